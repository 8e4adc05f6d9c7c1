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

    {{ kpi_event(
        kpi_code='LEAD_SQ_BASIS_RETENTION', period='period', site_id='site_id',
        event_type='small_quantity_calc', event_id='calc_id', event_date='calculated_on',
        facility_id='facility_id', in_denominator='true', in_numerator='has_basis_document',
        numerator_value=flag('has_basis_document'), denominator_value=1) }}
    from calcs_in_quarter

),

review_events as (

    {{ kpi_event(
        kpi_code='LEAD_SQ_REVIEW_CONFORMITY', period='period', site_id='site_id',
        event_type='small_quantity_calc', event_id='calc_id', event_date='calculated_on',
        facility_id='facility_id', in_denominator='true', in_numerator='is_reviewed_conforming',
        numerator_value=flag('is_reviewed_conforming'), denominator_value=1) }}
    from calcs_in_quarter

),

final as (

    select * from basis_events
    union all
    select * from review_events

)

select * from final
