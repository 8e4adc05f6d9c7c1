{#- Accepted rows of inventory_system.csv (시스템 재고): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_erp__inventory_balances') }}

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
        quantity_kg,
        max_instant_kg,
        _line as source_line
    from accepted

)

select * from final
