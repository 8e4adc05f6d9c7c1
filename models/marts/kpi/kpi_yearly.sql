{#- Every KPI per year and year to date, for BI tools without the semantic layer. Grain: one
    row per (kpi_code, period_type, period, site_id), site_id NULL for the company:
      period_type 'year'          period YYYY: the year's quarters in the reporting window
                                  (a year the window cuts is flagged is_full_year false);
      period_type 'year_to_date'  period YYYY-Qn: Q1 (or the window's first quarter of the
                                  year) through that quarter.
    The figure of a span follows the KPI's rollup_rule (reference seed kpi_definitions,
    where rollup_note says why): sum (counts, amounts), ratio_of_sums (summed numerators /
    summed denominators, NULL when the latter is 0; never a mean of quarterly values),
    last_quarter (point-in-time KPIs: the span's last quarter, e.g. the year-end one) or
    index_of_sums (ECO_FACTOR_INDEX: the span's value added per tonne over the base year's
    same quarters, from the months in fct_kpi_events; a site without base-year production
    has no base value and its index is NULL, as in kpi_quarterly and the spec). Quarters come from kpi_quarterly, whose site and
    company rows are computed from the events, so every span row is too. -#}
with quarterly as (

    select * from {{ ref('kpi_quarterly') }}

),

quarters as (

    select * from {{ ref('dim_quarters') }}

),

definitions as (

    select * from {{ ref('kpi_definitions') }}

),

events as (

    select * from {{ ref('fct_kpi_events') }}

),

years as (

    select
        'year' as period_type,
        cast(year as {{ dbt.type_string() }}) as period,
        min(quarter_start) as period_start,
        max(quarter_end) as period_end,
        count(*) as quarters_in_period
    from quarters
    group by year

),

year_to_date as (

    select
        'year_to_date' as period_type,
        through_quarter.period,
        min(year_quarter.quarter_start) as period_start,
        through_quarter.quarter_end as period_end,
        count(*) as quarters_in_period
    from quarters as through_quarter
    inner join quarters as year_quarter
        on year_quarter.year = through_quarter.year
        and year_quarter.quarter_end <= through_quarter.quarter_end
    group by through_quarter.period, through_quarter.quarter_end

),

spans as (

    select * from years
    union all
    select * from year_to_date

),

summed as (

    select
        spans.period_type,
        spans.period,
        quarterly.kpi_code,
        quarterly.site_id,
        {{ exact_sum('quarterly.numerator') }} as numerator,
        {{ exact_sum('quarterly.denominator') }} as denominator
    from spans
    inner join quarterly
        on quarterly.period_start >= spans.period_start
        and quarterly.period_end <= spans.period_end
    group by spans.period_type, spans.period, quarterly.kpi_code, quarterly.site_id

),

last_quarter as (

    select
        spans.period_type,
        spans.period,
        quarterly.kpi_code,
        quarterly.site_id,
        quarterly.numerator,
        quarterly.denominator,
        quarterly.value
    from spans
    inner join quarterly
        on quarterly.period_end = spans.period_end

),

eco_months as (

    select
        period_end,
        site_id,
        case when in_numerator then numerator_value end as value_added,
        case when in_numerator then denominator_value end as chem_t,
        case when in_denominator then numerator_value end as base_value_added,
        case when in_denominator then denominator_value end as base_chem_t
    from events
    where kpi_code = 'ECO_FACTOR_INDEX'

),

eco_site_sums as (

    select
        spans.period_type,
        spans.period,
        eco_months.site_id,
        {{ exact_sum('eco_months.value_added') }} as value_added,
        {{ exact_sum('eco_months.chem_t') }} as chem_t,
        {{ exact_sum('eco_months.base_value_added') }} as base_value_added,
        {{ exact_sum('eco_months.base_chem_t') }} as base_chem_t
    from spans
    inner join eco_months
        on eco_months.period_end >= spans.period_start
        and eco_months.period_end <= spans.period_end
    group by spans.period_type, spans.period, eco_months.site_id

),

eco_company_sums as (

    select
        period_type,
        period,
        sum(value_added) as value_added,
        sum(chem_t) as chem_t,
        sum(base_value_added) as base_value_added,
        sum(base_chem_t) as base_chem_t
    from eco_site_sums
    group by period_type, period

),

eco_index as (

    select
        eco_site_sums.period_type,
        eco_site_sums.period,
        eco_site_sums.site_id,
        {{ safe_ratio('eco_site_sums.value_added', 'eco_site_sums.chem_t') }} as numerator,
        {{ safe_ratio('eco_site_sums.base_value_added', 'eco_site_sums.base_chem_t') }}
            as denominator
    from eco_site_sums

    union all

    select
        period_type,
        period,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as site_id,
        {{ safe_ratio('value_added', 'chem_t') }} as numerator,
        {{ safe_ratio('base_value_added', 'base_chem_t') }} as denominator
    from eco_company_sums

),

assembled as (

    select
        summed.kpi_code,
        summed.period_type,
        summed.period,
        summed.site_id,
        definitions.unit,
        definitions.rollup_rule,
        case definitions.rollup_rule
            when 'sum' then summed.numerator
            when 'ratio_of_sums' then summed.numerator
            when 'last_quarter' then last_quarter.numerator
            when 'index_of_sums' then eco_index.numerator
        end as numerator,
        case definitions.rollup_rule
            when 'ratio_of_sums' then summed.denominator
            when 'last_quarter' then last_quarter.denominator
            when 'index_of_sums' then eco_index.denominator
        end as denominator,
        case definitions.rollup_rule
            when 'sum' then summed.numerator
            when 'ratio_of_sums' then {{ safe_ratio('summed.numerator', 'summed.denominator') }}
            when 'last_quarter' then last_quarter.value
            when 'index_of_sums' then
                case when eco_index.numerator is not null
                    then {{ safe_ratio('eco_index.numerator', 'eco_index.denominator') }} end
        end as value
    from summed
    inner join definitions
        on summed.kpi_code = definitions.kpi_code
    left join last_quarter
        on {{ scope_matches('summed', 'last_quarter', ['kpi_code', 'period_type', 'period']) }}
    left join eco_index
        on summed.kpi_code = 'ECO_FACTOR_INDEX'
        and {{ scope_matches('summed', 'eco_index', ['period_type', 'period']) }}

),

final as (

    select
        assembled.kpi_code,
        assembled.period_type,
        assembled.period,
        spans.period_start,
        spans.period_end,
        cast(spans.quarters_in_period as {{ dbt.type_int() }}) as quarters_in_period,
        spans.period_type = 'year' and spans.quarters_in_period = 4 as is_full_year,
        assembled.site_id,
        cast(assembled.numerator as {{ type_double() }}) as numerator,
        cast(assembled.denominator as {{ type_double() }}) as denominator,
        cast(assembled.value as {{ type_double() }}) as value,
        assembled.unit,
        assembled.rollup_rule
    from assembled
    inner join spans
        on assembled.period_type = spans.period_type
        and assembled.period = spans.period

)

select * from final
