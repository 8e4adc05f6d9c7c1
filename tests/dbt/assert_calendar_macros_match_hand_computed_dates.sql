{#- The project's calendar macros (macros/calendar/quarters.sql) on this engine, against
    dates worked out by hand: quarter boundaries, leap days, year steps, month ends.
    --vars '{calendar_macros: adapter}' runs the same cases through the adapter's own
    dbt.dateadd / dbt.datediff instead: on Spark that variant fails (dbt-spark counts 9
    quarters from 2024-12-31 to 2026-12-31 and leaves a year step by an expression NULL),
    which is why the project never uses them for quarters and years
    (tests/test_spark_parity.py runs both variants). Rows returned = wrong results. -#}
{%- set adapter_macros = var('calendar_macros', 'project') == 'adapter' -%}

{#- (case, kind, first argument, second argument, expected result as text); a date
    argument is written 'YYYY-MM-DD', a count as an SQL expression. -#}
{%- set cases = [
    ('quarters 2024-12-31 .. 2026-12-31 (two years after a leap year)', 'quarters', '2024-12-31', '2026-12-31', '8'),
    ('quarters 2023-12-31 .. 2025-12-31', 'quarters', '2023-12-31', '2025-12-31', '8'),
    ('quarters 2024-03-31 .. 2024-06-30', 'quarters', '2024-03-31', '2024-06-30', '1'),
    ('quarters 2024-02-29 .. 2025-02-28', 'quarters', '2024-02-29', '2025-02-28', '4'),
    ('quarters 2025-01-01 .. 2025-03-31 (same quarter)', 'quarters', '2025-01-01', '2025-03-31', '0'),
    ('quarters 2025-03-31 .. 2025-04-01 (one day, next quarter)', 'quarters', '2025-03-31', '2025-04-01', '1'),
    ('quarters 2026-12-31 .. 2024-12-31 (backwards)', 'quarters', '2026-12-31', '2024-12-31', '-8'),
    ('2024-11-30 plus 1 quarter (month end clamped)', 'add_quarters', '2024-11-30', '1', '2025-02-28'),
    ('2024-03-31 minus 1 quarter', 'add_quarters', '2024-03-31', '-1', '2023-12-31'),
    ('2023-11-30 plus 1 quarter (leap February)', 'add_quarters', '2023-11-30', '1', '2024-02-29'),
    ('2024-02-29 plus 1 year', 'add_years', '2024-02-29', '1', '2025-02-28'),
    ('2025-04-01 to base year 2023 (a year step by an expression)', 'add_years', '2025-04-01', "2023 - extract(year from cast('2025-04-01' as date))", '2023-04-01'),
    ('2025-10-01 to base year 2024 (a year step by an expression)', 'add_years', '2025-10-01', "2024 - extract(year from cast('2025-10-01' as date))", '2024-10-01'),
    ('quarter end of 2024-02-29', 'quarter_end', '2024-02-29', none, '2024-03-31'),
    ('quarter end of 2024-11-15', 'quarter_end', '2024-11-15', none, '2024-12-31'),
    ('quarter start of 2024-08-31', 'quarter_start', '2024-08-31', none, '2024-07-01'),
    ('days 2024-02-28 .. 2024-03-01 (leap day between)', 'days', '2024-02-28', '2024-03-01', '2'),
    ('days 2023-12-31 .. 2024-12-31', 'days', '2023-12-31', '2024-12-31', '366'),
    ('2024-02-28 plus 1 day', 'add_days', '2024-02-28', '1', '2024-02-29'),
    ('2024-03-01 minus 1 day', 'add_days', '2024-03-01', '-1', '2024-02-29'),
    ('label of 2024-02-29', 'label', '2024-02-29', none, '2024-Q1'),
] -%}

with cases as (
    {%- for name, kind, first, second, expected in cases %}
    {%- set day = "cast('" ~ first ~ "' as date)" %}
    {%- set other_day = "cast('" ~ second ~ "' as date)" %}
    {%- if kind == 'quarters' %}
        {%- set actual = dbt.datediff(day, other_day, 'quarter') if adapter_macros
                         else quarters_between(day, other_day) %}
    {%- elif kind == 'add_quarters' %}
        {%- set actual = 'cast(' ~ dbt.dateadd('quarter', second, day) ~ ' as date)' if adapter_macros
                         else add_quarters(day, second) %}
    {%- elif kind == 'add_years' %}
        {%- set actual = 'cast(' ~ dbt.dateadd('year', second, day) ~ ' as date)' if adapter_macros
                         else add_years(day, second) %}
    {%- elif kind == 'quarter_end' %}
        {%- set actual = quarter_end(day) %}
    {%- elif kind == 'quarter_start' %}
        {%- set actual = quarter_start(day) %}
    {%- elif kind == 'days' %}
        {%- set actual = days_between(day, other_day) %}
    {%- elif kind == 'add_days' %}
        {%- set actual = add_days(day, second) %}
    {%- else %}
        {%- set actual = quarter_label(day) %}
    {%- endif %}
    select
        '{{ name }}' as case_name,
        cast({{ actual }} as {{ dbt.type_string() }}) as actual,
        '{{ expected }}' as expected
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select * from cases
    where actual is null or actual <> expected
)

select * from final
