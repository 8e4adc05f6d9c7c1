{#- Accepted rows of moc_records.csv (변경관리): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__moc_records') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        change_id,
        facility_id,
        change_type,
        implemented_on,
        moc_approved_on,
        effect_verified_on,
        _line as source_line
    from accepted

)

select * from final
