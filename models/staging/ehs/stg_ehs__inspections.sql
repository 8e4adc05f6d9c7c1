{#- Accepted rows of inspections.csv (검사·점검): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__inspections') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        inspection_id,
        facility_id,
        inspection_type,
        inspected_on,
        inspector,
        result,
        _line as source_line
    from accepted

)

select * from final
