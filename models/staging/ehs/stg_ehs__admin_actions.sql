{#- Accepted rows of admin_actions.csv (행정처분): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__admin_actions') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        action_id,
        site_id,
        issued_on,
        action_type,
        legal_basis,
        amount_krw,
        _line as source_line
    from accepted

)

select * from final
