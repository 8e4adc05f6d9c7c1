{#- The audit sample of the quarterly reconciliation (domain.md "Evidence that survives an
    audit"): reconciled lines drawn for checking against the paper records, reproducibly.
    Population per quarter: the inventory lines at the quarter end, the self-inspection
    lines and the training lines dated in the quarter (matched lines and exceptions
    alike; fct_reconciliation_lines, the lines the quarterly summary counts). Strata per reconciliation and site: inventory and self-inspection by the
    facility's tier on the line's date (kpi_spec "Facility risk tier"; unassessed =
    HIGH), with every inventory miss on an accident-precaution substance in a stratum of
    its own; training (no facility) as one stratum ALL. Within a stratum the lines are
    ranked by md5('<period>|<site_id>|<line_key>') (hex, ascending; line_key breaks a
    tie), so the draw is seeded by the quarter and the site, repeats on every rerun and
    can be redone by hand; the first sample_size lines of the rule in force on the
    quarter end (reconciliation_sampling) are drawn, all lines when the stratum is
    smaller or the rule is a census. Grain: one row per drawn line
    (period, reconciliation, line_key). -#}
with lines as (

    select * from {{ ref('fct_reconciliation_lines') }}

),

facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

tier_history as (

    select * from {{ ref('int_facility_tier_history') }}

),

rules as (

    select * from {{ ref('reconciliation_sampling') }}

),

stratified as (

    select
        lines.*,
        tier_history.risk_tier as facility_tier,
        case
            when lines.reconciliation = 'training' then 'ALL'
            when lines.is_accident_precaution and lines.match_status <> 'matched'
                then 'ACCIDENT_PRECAUTION_MISS'
            else tier_history.risk_tier
        end as stratum,
        {{ dbt.hash("lines.period || '|' || coalesce(lines.site_id, '') || '|' || lines.line_key") }}
            as sample_hash
    from lines
    left join tier_history
        on {{ facility_tier_on('tier_history', 'lines.facility_id', 'lines.line_date') }}

),

ranked as (

    select
        stratified.*,
        count(*) over (
            partition by period, reconciliation, site_id, stratum
        ) as stratum_lines,
        cast(row_number() over (
            partition by period, reconciliation, site_id, stratum
            order by sample_hash, line_key
        ) as {{ dbt.type_bigint() }}) as draw_rank
    from stratified

),

final as (

    select
        ranked.period,
        ranked.quarter_end,
        ranked.reconciliation,
        ranked.site_id,
        ranked.stratum,
        ranked.stratum_lines,
        rules.sample_size as stratum_sample_size,
        ranked.draw_rank,
        ranked.sample_hash,
        ranked.line_key,
        ranked.facility_id,
        facilities.facility_name,
        ranked.facility_tier,
        ranked.line_date,
        ranked.item_code,
        ranked.system_record_id,
        ranked.field_record_id,
        ranked.quantity_kg,
        ranked.counted_kg,
        ranked.system_inspector,
        ranked.field_inspector,
        ranked.match_status,
        ranked.system_source_line,
        ranked.field_source_line,
        rules.policy_version as sampling_policy_version
    from ranked
    inner join rules
        on ranked.reconciliation = rules.reconciliation
        and ranked.stratum = rules.stratum
        and {{ in_force('rules', 'ranked.quarter_end') }}
    left join facilities
        on ranked.facility_id = facilities.facility_id
    where rules.sample_size is null
       or ranked.draw_rank <= rules.sample_size

)

select * from final
