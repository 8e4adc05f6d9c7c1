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

{# The same lines again, for the details of the drawn lines only. The ranking below sorts
    every line (3,965,975 at 1M findings, of which 41,777 are drawn), so it carries only
    the columns it needs; sorting whole lines made the model take 1.5 times as long at 1M
    (measured). A second import rather than a second reference to `lines`, so that DuckDB
    does not store all the lines once more to read them twice. #}
line_details as (

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
        lines.period,
        lines.quarter_end,
        lines.reconciliation,
        lines.site_id,
        lines.line_key,
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

drawn as (

    select
        ranked.*,
        rules.sample_size as stratum_sample_size,
        rules.policy_version as sampling_policy_version
    from ranked
    inner join rules
        on ranked.reconciliation = rules.reconciliation
        and ranked.stratum = rules.stratum
        and {{ in_force('rules', 'ranked.quarter_end') }}
    where rules.sample_size is null
       or ranked.draw_rank <= rules.sample_size

),

final as (

    select
        drawn.period,
        drawn.quarter_end,
        drawn.reconciliation,
        drawn.site_id,
        drawn.stratum,
        drawn.stratum_lines,
        drawn.stratum_sample_size,
        drawn.draw_rank,
        drawn.sample_hash,
        drawn.line_key,
        line_details.facility_id,
        facilities.facility_name,
        drawn.facility_tier,
        line_details.line_date,
        line_details.item_code,
        line_details.system_record_id,
        line_details.field_record_id,
        line_details.quantity_kg,
        line_details.counted_kg,
        line_details.system_inspector,
        line_details.field_inspector,
        line_details.match_status,
        line_details.system_source_line,
        line_details.field_source_line,
        drawn.sampling_policy_version
    from drawn
    inner join line_details
        on drawn.period = line_details.period
        and drawn.reconciliation = line_details.reconciliation
        and drawn.line_key = line_details.line_key
    left join facilities
        on line_details.facility_id = facilities.facility_id

)

select * from final
