{#- Accepted rows of production.csv (생산·자원): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_erp__production_months') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        site_id,
        month,
        production_t,
        value_added_krw_m,
        hazardous_chem_use_kg,
        hazardous_waste_kg,
        _line as source_line
    from accepted

)

select * from final
