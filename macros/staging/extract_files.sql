{#- The extract files of the contract and the staging models that check them, in the
    order the contract lists them. `personal`: the file holds personal identifiers
    (employee numbers), so a malformed record's raw text is withheld downstream. The quarantine and the load summary read every file
    from this list; a pytest test keeps it equal to chemsafe.contract.FILES. -#}
{% macro extract_files() -%}
    {{ return([
        {'file': 'sites', 'check_model': 'chk_ehs__sites'},
        {'file': 'facilities', 'check_model': 'chk_ehs__facilities'},
        {'file': 'risk_assessments', 'check_model': 'chk_ehs__risk_assessments'},
        {'file': 'substances', 'check_model': 'chk_ehs__substances'},
        {'file': 'inventory_system', 'check_model': 'chk_erp__inventory_balances'},
        {'file': 'inventory_field', 'check_model': 'chk_field__inventory_counts'},
        {'file': 'inspections', 'check_model': 'chk_ehs__inspections'},
        {'file': 'self_inspection_field', 'check_model': 'chk_field__self_inspection_checklists'},
        {'file': 'findings', 'check_model': 'chk_ehs__findings'},
        {'file': 'corrective_actions', 'check_model': 'chk_ehs__corrective_actions'},
        {'file': 'protection_layer_checks', 'check_model': 'chk_ehs__protection_layer_checks'},
        {'file': 'moc_records', 'check_model': 'chk_ehs__moc_records'},
        {'file': 'training_records', 'check_model': 'chk_lms__training_records', 'personal': true},
        {'file': 'training_signin', 'check_model': 'chk_field__training_signins', 'personal': true},
        {'file': 'drills', 'check_model': 'chk_ehs__drills'},
        {'file': 'incidents', 'check_model': 'chk_ehs__incidents'},
        {'file': 'admin_actions', 'check_model': 'chk_ehs__admin_actions'},
        {'file': 'contractors', 'check_model': 'chk_ehs__contractors'},
        {'file': 'contractor_engagements', 'check_model': 'chk_ehs__contractor_engagements'},
        {'file': 'contractor_assessments', 'check_model': 'chk_ehs__contractor_assessments'},
        {'file': 'small_quantity_calcs', 'check_model': 'chk_ehs__small_quantity_calcs'},
        {'file': 'hours_worked', 'check_model': 'chk_erp__hours_worked'},
        {'file': 'production', 'check_model': 'chk_erp__production_months'}
    ]) }}
{%- endmacro %}

{#- The contract's rejection reason codes, in the order rules are applied. -#}
{% macro contract_reason_codes() -%}
    {{ return([
        'malformed_row', 'missing_required', 'bad_date', 'bad_number', 'bad_integer',
        'bad_boolean', 'unknown_code', 'bad_cas', 'negative_value', 'out_of_range',
        'key_conflict', 'orphan_reference', 'inconsistent_reference'
    ]) }}
{%- endmacro %}
