{#- Accepted rows of protection_layer_checks.csv (방호계층 점검): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__protection_layer_checks') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        check_id,
        facility_id,
        layer,
        scheduled_on,
        performed_on,
        function_tested,
        defect_found,
        _line as source_line
    from accepted

)

select * from final
