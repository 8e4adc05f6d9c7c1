{#- The KPI mart of kpi_spec.md ("KPI mart contract"): one row per (kpi_code, period,
    site_id) for every KPI, every quarter of the reporting window and every site, plus the
    company-wide row (site_id NULL) computed from the events, never averaged. For KPIs with a
    denominator value = numerator / denominator, NULL when the denominator is 0 or NULL; for
    counts and sums the denominator is NULL and value = numerator. A period or site with no
    activity still has its rows (numerator 0). Each KPI's events are computed in
    models/intermediate/kpi/int_kpi_events__<family>.sql (family: see kpi_definitions). -#}
with events as (

    select * from {{ ref('fct_kpi_events') }}

),

quarters as (

    select * from {{ ref('dim_quarters') }}

),

sites as (

    select * from {{ ref('dim_sites') }}

),

production as (

    select * from {{ ref('stg_erp__production_months') }}

),

base_quarters as (

    select * from {{ ref('int_eco_base_quarters') }}

),

catalog as (

    {%- for kpi in implemented_kpis() %}
    select
        '{{ kpi.code }}' as kpi_code,
        '{{ kpi.unit }}' as unit,
        {{ 'true' if kpi.unit in additive_units() else 'false' }} as is_additive
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

report_sites as (

    select site_id from sites
    union all
    select {{ dbt.safe_cast('null', dbt.type_string()) }} as site_id

),

spine as (

    select
        catalog.kpi_code,
        catalog.unit,
        catalog.is_additive,
        quarters.period,
        quarters.quarter_start as period_start,
        quarters.quarter_end as period_end,
        report_sites.site_id
    from catalog
    cross join quarters
    cross join report_sites

),

totals as (

    {{ site_and_company_totals('events', ['kpi_code', 'period']) }}

),

base_value_per_chem_sites as (

    select
        base_quarters.period,
        production.site_id,
        {{ safe_ratio(exact_sum('production.value_added_krw_m'), exact_sum('production.hazardous_chem_use_kg / 1000.0')) }}
            as value_per_chem
    from base_quarters
    inner join production
        on production.month >= base_quarters.base_quarter_start
        and production.month <= base_quarters.base_quarter_end
    group by base_quarters.period, production.site_id

),

base_value_per_chem_company as (

    select
        base_quarters.period,
        {{ safe_ratio(exact_sum('production.value_added_krw_m'), exact_sum('production.hazardous_chem_use_kg / 1000.0')) }}
            as value_per_chem
    from base_quarters
    inner join production
        on production.month >= base_quarters.base_quarter_start
        and production.month <= base_quarters.base_quarter_end
    group by base_quarters.period

),

assembled as (

    select
        spine.*,
        totals.numerator as summed_numerator,
        totals.denominator as summed_denominator
    from spine
    left join totals
        on {{ scope_matches('spine', 'totals', ['kpi_code', 'period']) }}

),

additive_and_ratios as (

    select
        kpi_code,
        period,
        period_start,
        period_end,
        site_id,
        unit,
        coalesce(summed_numerator, 0) as numerator,
        case when is_additive then null else coalesce(summed_denominator, 0) end as denominator,
        case
            when is_additive then coalesce(summed_numerator, 0)
            else {{ safe_ratio('coalesce(summed_numerator, 0)', 'summed_denominator') }}
        end as value
    from assembled
    where kpi_code <> 'ECO_FACTOR_INDEX'

),

value_per_chem as (

    select * from additive_and_ratios
    where kpi_code = 'ECO_VALUE_PER_CHEM'

),

factor_index as (

    select
        spine.kpi_code,
        spine.period,
        spine.period_start,
        spine.period_end,
        spine.site_id,
        spine.unit,
        value_per_chem.value as numerator,
        coalesce(base_sites.value_per_chem, base_company.value_per_chem) as denominator
    from spine
    inner join value_per_chem
        on {{ scope_matches('spine', 'value_per_chem', ['period']) }}
    left join base_value_per_chem_sites as base_sites
        on spine.period = base_sites.period
        and spine.site_id = base_sites.site_id
    left join base_value_per_chem_company as base_company
        on spine.period = base_company.period
        and spine.site_id is null
    where spine.kpi_code = 'ECO_FACTOR_INDEX'

),

final as (

    select
        kpi_code,
        period,
        period_start,
        period_end,
        site_id,
        cast(numerator as {{ type_double() }}) as numerator,
        cast(denominator as {{ type_double() }}) as denominator,
        cast(value as {{ type_double() }}) as value,
        unit
    from additive_and_ratios

    union all

    select
        kpi_code,
        period,
        period_start,
        period_end,
        site_id,
        cast(numerator as {{ type_double() }}) as numerator,
        cast(denominator as {{ type_double() }}) as denominator,
        cast(
            case when numerator is null then null
                 else {{ safe_ratio('numerator', 'denominator') }} end
            as {{ type_double() }}
        ) as value,
        unit
    from factor_index

)

select * from final
