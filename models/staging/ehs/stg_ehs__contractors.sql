{#- Accepted rows of contractors.csv (협력사): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__contractors') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        contractor_id,
        contractor_name,
        _line as source_line
    from accepted

)

select * from final
