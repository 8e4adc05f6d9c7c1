{#- The rows where what a test reported differs from what was expected: the comparison of
    the singular tests that hold the project's uniqueness and reference tests to
    hand-listed rows.
    `wanted` and `reported` are relations (CTE names) with `group_column` (which test or
    strategy), the `key_columns` and `occurrences`; they are fully outer-joined on the
    group and the keys (NULL equal to NULL), so a row on one side only, or another count,
    is a difference. -#}
{% macro repeats_that_differ(wanted, reported, group_column, key_columns) -%}
    select
        coalesce(wanted.{{ group_column }}, reported.{{ group_column }}) as {{ group_column }},
        {%- for column in key_columns %}
        coalesce(wanted.{{ column }}, reported.{{ column }}) as {{ column }},
        {%- endfor %}
        wanted.occurrences as expected_occurrences,
        reported.occurrences as reported_occurrences
    from {{ wanted }} as wanted
    full outer join {{ reported }} as reported
        on wanted.{{ group_column }} = reported.{{ group_column }}
        {%- for column in key_columns %}
        and {{ null_safe_equal('wanted.' ~ column, 'reported.' ~ column) }}
        {%- endfor %}
    where {{ differs('reported.occurrences', 'wanted.occurrences') }}
{%- endmacro %}

{#- The rows every test (or strategy) in `names` should report: each row of the `expected`
    relation once per name, the name in `group_column`; the `wanted` side of
    repeats_that_differ. -#}
{% macro expected_for_each(group_column, names, expected) -%}
    select
        names.{{ group_column }},
        {{ expected }}.*
    from (
        {%- for name in names %}
        select '{{ name }}' as {{ group_column }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    ) as names
    cross join {{ expected }}
{%- endmacro %}
