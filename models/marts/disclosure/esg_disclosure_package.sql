{#- The ESG disclosure package (domain.md: 3 quantitative KPI pairs + 3 operating systems +
    1 improvement case, with lagging counts always beside leading indicators), per quarter
    and per year of the reporting window, company-wide. Grain: one row per (period_type,
    period, item_code); the items are the reference seed disclosure_items. Quarter values
    come from kpi_quarterly's company rows, year values from kpi_yearly's (each KPI's
    rollup_rule: sums, ratios of sums, the year-end quarter of a point-in-time KPI such as
    LEAD_RA_CURRENT). Committee reviews are
    counted from the reference seed safety_committee_reviews; the improvement case comes from
    disclosure_improvement_cases. Each KPI item names the compliance item of the guide's §5
    table its KPI belongs to (dim_compliance_indicator_map), so the package groups by it. -#}
with items as (

    select * from {{ ref('disclosure_items') }}

),

kpis as (

    select * from {{ ref('kpi_quarterly') }}
    where site_id is null

),

yearly_kpis as (

    select * from {{ ref('kpi_yearly') }}
    where site_id is null
      and period_type = 'year'

),

reviews as (

    select * from {{ ref('safety_committee_reviews') }}

),

cases as (

    select * from {{ ref('disclosure_improvement_cases') }}

),

periods as (

    select * from {{ ref('int_reporting_periods') }}

),

compliance_map as (

    select * from {{ ref('dim_compliance_indicator_map') }}

),

kpi_values as (

    select 'quarter' as period_type, period, kpi_code, unit, numerator, denominator, value
    from kpis

    union all

    select period_type, period, kpi_code, unit, numerator, denominator, value
    from yearly_kpis

),

review_counts as (

    select
        periods.period_type,
        periods.period,
        count(reviews.review_id) as reviews_held
    from periods
    left join reviews
        on reviews.review_on >= periods.period_start
        and reviews.review_on <= periods.period_end
    group by periods.period_type, periods.period

),

final as (

    select
        periods.period_type,
        periods.period,
        periods.period_start,
        periods.period_end,
        items.item_code,
        items.section,
        items.pair_id,
        items.role,
        items.display_order,
        items.label_ko,
        items.label_en,
        items.kpi_code,
        cast(case
            when items.item_code = 'SYS_COMMITTEE' then review_counts.reviews_held
            when items.item_code = 'CASE_IMPROVEMENT' then cases.finding_score
            else kpi_values.numerator
        end as {{ type_double() }}) as numerator,
        cast(case
            when items.kpi_code is not null then kpi_values.denominator
        end as {{ type_double() }}) as denominator,
        cast(case
            when items.item_code = 'SYS_COMMITTEE' then review_counts.reviews_held
            when items.item_code = 'CASE_IMPROVEMENT' then cases.finding_score
            else kpi_values.value
        end as {{ type_double() }}) as value,
        case
            when items.item_code = 'SYS_COMMITTEE' then 'count'
            when items.item_code = 'CASE_IMPROVEMENT' then 'score'
            else kpi_values.unit
        end as unit,
        cases.finding_id as improvement_finding_id,
        cases.action_id as improvement_action_id,
        case when items.item_code = 'CASE_IMPROVEMENT' then
            case when cases.finding_id is null then 'No finding met the selection rule in this period.'
            else 'Finding ' || cases.finding_id || ' (' || cases.category || ', severity '
                || cast(cases.severity as {{ dbt.type_string() }}) || ', '
                || cases.risk_tier_on_found || ' tier, site ' || cases.site_id || ') found '
                || cast(cases.found_on as {{ dbt.type_string() }}) || ', closed '
                || cast(cases.closed_on as {{ dbt.type_string() }}) || ' after '
                || cast(cases.lead_time_days as {{ dbt.type_string() }}) || ' days; corrective action '
                || cases.action_id || ' verified '
                || cast(cases.action_verified_on as {{ dbt.type_string() }}) || '.'
            end
        end as evidence_text,
        compliance_map.item_code as compliance_item_code,
        compliance_map.item_display_order as compliance_item_display_order,
        compliance_map.item_name_ko as compliance_item_name_ko,
        compliance_map.item_name_en as compliance_item_name_en
    from periods
    cross join items
    left join kpi_values
        on periods.period_type = kpi_values.period_type
        and periods.period = kpi_values.period
        and items.kpi_code = kpi_values.kpi_code
    left join review_counts
        on periods.period_type = review_counts.period_type
        and periods.period = review_counts.period
    left join cases
        on periods.period_type = cases.period_type
        and periods.period = cases.period
        and items.item_code = 'CASE_IMPROVEMENT'
    left join compliance_map
        on items.kpi_code = compliance_map.kpi_code

)

select * from final
