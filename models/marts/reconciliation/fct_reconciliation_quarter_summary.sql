{#- Quarterly summary of the three reconciliations of field records against system data,
    per site and company-wide (site_id NULL). Grain: one row per (reconciliation, period,
    site_id). Inventory counts the lines at reference_date = quarter_end (these feed
    LEAD_INVENTORY_ACCURACY); self-inspection and training count the lines dated in the
    quarter. hit_rate = matched / all lines (NULL when there are none); a line on one side
    only is a miss in its direction, and variances are never netted. The lines are
    fct_reconciliation_lines, the population the audit sample draws from. -#}
with lines as (

    select * from {{ ref('fct_reconciliation_lines') }}

),

quarters as (

    select * from {{ ref('dim_quarters') }}

),

sites as (

    select * from {{ ref('dim_sites') }}

),

reconciliations as (

    select 'inventory' as reconciliation
    union all
    select 'self_inspection' as reconciliation
    union all
    select 'training' as reconciliation

),

report_sites as (

    select site_id from sites
    union all
    select {{ dbt.safe_cast('null', dbt.type_string()) }} as site_id

),

spine as (

    select
        reconciliations.reconciliation,
        quarters.period,
        quarters.quarter_end,
        report_sites.site_id
    from reconciliations
    cross join quarters
    cross join report_sites

),

counted as (

    select
        spine.reconciliation,
        spine.period,
        spine.quarter_end,
        spine.site_id,
        count(lines.match_status) as lines_total,
        sum(case when lines.match_status in ('matched', 'out_of_tolerance', 'missing_in_field')
                 then 1 else 0 end) as lines_in_system,
        sum(case when lines.match_status in ('matched', 'out_of_tolerance', 'missing_in_system')
                 then 1 else 0 end) as lines_in_field,
        sum(case when lines.match_status = 'matched' then 1 else 0 end) as matched,
        sum(case when lines.match_status = 'out_of_tolerance' then 1 else 0 end)
            as out_of_tolerance,
        sum(case when lines.match_status = 'missing_in_field' then 1 else 0 end)
            as missing_in_field,
        sum(case when lines.match_status = 'missing_in_system' then 1 else 0 end)
            as missing_in_system,
        sum(case when lines.is_escalated then 1 else 0 end) as escalated_lines,
        sum(case when lines.is_accident_precaution
                  and lines.match_status in ('missing_in_field', 'missing_in_system')
                 then 1 else 0 end) as accident_precaution_missing_lines
    from spine
    left join lines
        on spine.reconciliation = lines.reconciliation
        and spine.period = lines.period
        and (spine.site_id = lines.site_id or spine.site_id is null)
    group by spine.reconciliation, spine.period, spine.quarter_end, spine.site_id

),

final as (

    select
        reconciliation,
        period,
        quarter_end,
        site_id,
        lines_total,
        cast(coalesce(lines_in_system, 0) as {{ dbt.type_bigint() }}) as lines_in_system,
        cast(coalesce(lines_in_field, 0) as {{ dbt.type_bigint() }}) as lines_in_field,
        cast(coalesce(matched, 0) as {{ dbt.type_bigint() }}) as matched,
        cast(coalesce(out_of_tolerance, 0) as {{ dbt.type_bigint() }}) as out_of_tolerance,
        cast(coalesce(missing_in_field, 0) as {{ dbt.type_bigint() }}) as missing_in_field,
        cast(coalesce(missing_in_system, 0) as {{ dbt.type_bigint() }}) as missing_in_system,
        cast(coalesce(escalated_lines, 0) as {{ dbt.type_bigint() }}) as escalated_lines,
        cast(coalesce(accident_precaution_missing_lines, 0) as {{ dbt.type_bigint() }})
            as accident_precaution_missing_lines,
        {{ safe_ratio('coalesce(matched, 0)', 'lines_total') }} as hit_rate
    from counted

)

select * from final
