{#- Accepted rows of findings.csv (지적사항): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__findings') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        finding_id,
        inspection_id,
        facility_id,
        found_on,
        category,
        severity,
        description,
        repeat_of_finding_id,
        closed_on,
        _line as source_line
    from accepted

)

select * from final
