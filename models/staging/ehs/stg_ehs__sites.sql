{#- Accepted rows of sites.csv (사업장): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__sites') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        site_id,
        site_name,
        region,
        ksic_code,
        _line as source_line
    from accepted

)

select * from final
