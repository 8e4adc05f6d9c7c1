{#- LEAD_SQ_BASIS_RETENTION, LEAD_SQ_REVIEW_CONFORMITY. Denominator: small-quantity /
    mixture calculations with calculated_on in the quarter (site = facility's site).
    Basis: basis_doc_id is set. Review: reviewed_on set, reviewed_on <= quarter_end and
    review_conforming = true. -#}
with calcs as (

    select * from {{ ref('stg_ehs__small_quantity_calcs') }}

),

facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

calcs_in_quarter as (

    select
        calcs.calc_id,
        calcs.facility_id,
        facilities.site_id,
        calcs.calculated_on,
        quarters.period,
        calcs.basis_doc_id is not null as has_basis_document,
        coalesce(
            calcs.reviewed_on <= quarters.quarter_end and calcs.review_conforming, false
        ) as is_reviewed_conforming
    from calcs
    inner join quarters
        on {{ in_quarter('quarters', 'calcs.calculated_on') }}
    inner join facilities
        on calcs.facility_id = facilities.facility_id

),

basis_events as (

    {{ kpi_event('LEAD_SQ_BASIS_RETENTION', 'period', 'site_id', 'small_quantity_calc',
                 'calc_id', 'calculated_on', 'facility_id', 'true', 'has_basis_document',
                 flag('has_basis_document'), 1) }}
    from calcs_in_quarter

),

review_events as (

    {{ kpi_event('LEAD_SQ_REVIEW_CONFORMITY', 'period', 'site_id', 'small_quantity_calc',
                 'calc_id', 'calculated_on', 'facility_id', 'true', 'is_reviewed_conforming',
                 flag('is_reviewed_conforming'), 1) }}
    from calcs_in_quarter

),

final as (

    select * from basis_events
    union all
    select * from review_events

)

select * from final
