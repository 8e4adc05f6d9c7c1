{#- Accepted rows of hours_worked.csv (근로시간): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_erp__hours_worked') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        site_id,
        month,
        employee_hours,
        contractor_hours,
        _line as source_line
    from accepted

)

select * from final
