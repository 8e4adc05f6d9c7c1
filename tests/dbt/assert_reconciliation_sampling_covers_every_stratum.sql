{#- Every stratum a reconciled line can fall in has a sampling rule in force on every
    quarter end of the window; otherwise fct_reconciliation_audit_sample would silently
    draw nothing from it. Returns the (quarter, reconciliation, stratum) without a rule. -#}
with quarters as (

    select * from {{ ref('dim_quarters') }}

),

rules as (

    select * from {{ ref('reconciliation_sampling') }}

),

strata as (

    select 'inventory' as reconciliation, 'ACCIDENT_PRECAUTION_MISS' as stratum
    union all
    select 'inventory' as reconciliation, 'HIGH' as stratum
    union all
    select 'inventory' as reconciliation, 'MEDIUM' as stratum
    union all
    select 'inventory' as reconciliation, 'LOW' as stratum
    union all
    select 'self_inspection' as reconciliation, 'HIGH' as stratum
    union all
    select 'self_inspection' as reconciliation, 'MEDIUM' as stratum
    union all
    select 'self_inspection' as reconciliation, 'LOW' as stratum
    union all
    select 'training' as reconciliation, 'ALL' as stratum

),

final as (

    select
        quarters.period,
        strata.reconciliation,
        strata.stratum
    from quarters
    cross join strata
    where not exists (
        select rules.stratum
        from rules
        where rules.reconciliation = strata.reconciliation
          and rules.stratum = strata.stratum
          and {{ in_force('rules', 'quarters.quarter_end') }}
    )

)

select * from final
