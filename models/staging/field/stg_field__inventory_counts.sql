{#- Accepted rows of inventory_field.csv (현장 실사 재고): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_field__inventory_counts') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        reference_date,
        facility_id,
        cas_no,
        counted_kg,
        counted_on,
        counted_by,
        sheet_no,
        _line as source_line
    from accepted

)

select * from final
