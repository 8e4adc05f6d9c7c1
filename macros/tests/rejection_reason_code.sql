{#- Fails for every value of the column that is not a reason code of the reference seed
    reason_codes (the one list of rejection reasons with their stage and meaning; it and the
    extract contract's reason_codes are held equal by tests/test_contract_models.py) of the
    given rule stages. By default the stages a staging model can reject a row at (parse,
    key, reference); malformed_row (stage ingestion) only ever reaches audit.quarantine.
    NULL (the row was accepted) passes. -#}
{% test rejection_reason_code(model, column_name, stages=['parse', 'key', 'reference']) %}

with reasons as (

    select reason_code from {{ ref('reason_codes') }}
    where rule_stage in ('{{ stages | join("', '") }}')

),

final as (

    select tested.{{ column_name }}
    from {{ model }} as tested
    left join reasons
        on tested.{{ column_name }} = reasons.reason_code
    where tested.{{ column_name }} is not null
        and reasons.reason_code is null

)

select * from final

{% endtest %}
