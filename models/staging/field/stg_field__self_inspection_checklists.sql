{#- Accepted rows of self_inspection_field.csv (자체점검표 대장): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_field__self_inspection_checklists') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        checklist_no,
        facility_id,
        inspected_on,
        inspector,
        _line as source_line
    from accepted

)

select * from final
