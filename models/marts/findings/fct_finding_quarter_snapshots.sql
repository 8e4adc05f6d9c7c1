{#- Periodic snapshot of open findings for analysts: one row per finding per quarter end
    at which it was open, scored as of that quarter end. Computed once, in
    int_finding_quarter_snapshots (which the open-risk KPI reads too); this mart publishes
    it with its contract. -#}
with snapshots as (

    select * from {{ ref('int_finding_quarter_snapshots') }}

),

final as (

    select
        finding_id,
        period,
        quarter_end,
        site_id,
        facility_id,
        category,
        severity,
        is_major,
        found_on,
        closed_on,
        risk_tier_on_found,
        is_unassessed_on_found,
        risk_weight,
        weight_policy_version,
        days_open,
        open_factor_days,
        open_factor,
        is_repeat,
        repeat_factor,
        parameter_policy_version,
        finding_score
    from snapshots

)

select * from final
