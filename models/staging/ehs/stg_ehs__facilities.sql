{#- Accepted rows of facilities.csv (유해화학물질 취급시설): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__facilities') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        facility_id,
        site_id,
        facility_name,
        facility_type,
        commissioned_on,
        decommissioned_on,
        _line as source_line
    from accepted

)

select * from final
