{#- The KPI codes the models compute, with their family (the intermediate model
    int_kpi_events__<family> that computes them) and unit (kpi_spec "KPI mart contract").
    `ratio_like`: the KPI has a denominator (value = numerator / denominator, NULL when the
    denominator is 0 or NULL); otherwise it is a count or sum (denominator NULL, value =
    numerator). A dbt test keeps this list equal to the definition sheets seed. -#}
{% macro implemented_kpis() -%}
    {{ return([
        {'code': 'LEAD_PL_CHECK_HIGH', 'family': 'protection_layers', 'unit': 'ratio'},
        {'code': 'LEAD_PL_FUNCTION_TEST_HIGH', 'family': 'protection_layers', 'unit': 'ratio'},
        {'code': 'LEAD_MOC_HIGH', 'family': 'management_of_change', 'unit': 'ratio'},
        {'code': 'LEAD_MOC_VERIFIED_30D', 'family': 'management_of_change', 'unit': 'ratio'},
        {'code': 'LEAD_RA_CURRENT', 'family': 'risk_assessment', 'unit': 'ratio'},
        {'code': 'LEAD_SELF_INSPECTION_COVERAGE', 'family': 'self_inspection', 'unit': 'ratio'},
        {'code': 'LEAD_SELF_INSPECTION_COVERAGE_WEIGHTED', 'family': 'self_inspection', 'unit': 'ratio'},
        {'code': 'LEAD_TRAINING_HIGH_RISK', 'family': 'training', 'unit': 'ratio'},
        {'code': 'LEAD_TRAINING_PASS', 'family': 'training', 'unit': 'ratio'},
        {'code': 'LEAD_DRILL_ADEQUACY', 'family': 'drills', 'unit': 'ratio'},
        {'code': 'LEAD_DRILL_HIGH_SCENARIO', 'family': 'drills', 'unit': 'ratio'},
        {'code': 'LEAD_CA_COMPLETION', 'family': 'corrective_actions', 'unit': 'ratio'},
        {'code': 'LEAD_DRILL_CA_COMPLETION', 'family': 'corrective_actions', 'unit': 'ratio'},
        {'code': 'LEAD_CONTRACTOR_PREASSESS', 'family': 'contractors', 'unit': 'ratio'},
        {'code': 'LEAD_SQ_BASIS_RETENTION', 'family': 'small_quantity', 'unit': 'ratio'},
        {'code': 'LEAD_SQ_REVIEW_CONFORMITY', 'family': 'small_quantity', 'unit': 'ratio'},
        {'code': 'LEAD_INVENTORY_ACCURACY', 'family': 'inventory', 'unit': 'ratio'},
        {'code': 'LEAD_HIGH_HAZARD_COVERAGE', 'family': 'inventory', 'unit': 'ratio'},
        {'code': 'LAG_RELEASES', 'family': 'releases_and_incidents', 'unit': 'count'},
        {'code': 'LAG_RELEASES_OFFSITE', 'family': 'releases_and_incidents', 'unit': 'count'},
        {'code': 'LAG_RELEASED_KG', 'family': 'releases_and_incidents', 'unit': 'kg'},
        {'code': 'LAG_REPORTABLE', 'family': 'releases_and_incidents', 'unit': 'count'},
        {'code': 'LAG_ADMIN_ACTIONS', 'family': 'admin_actions', 'unit': 'count'},
        {'code': 'LAG_FINES_KRW', 'family': 'admin_actions', 'unit': 'KRW'},
        {'code': 'LAG_NONCONFORMITIES', 'family': 'findings', 'unit': 'count'},
        {'code': 'LAG_MAJOR_FINDING_RATIO', 'family': 'findings', 'unit': 'ratio'},
        {'code': 'LAG_HIGH_MAJOR_FINDINGS', 'family': 'findings', 'unit': 'count'},
        {'code': 'LAG_LEAD_TIME_HIGH_DAYS', 'family': 'findings', 'unit': 'days'},
        {'code': 'LAG_OPEN_RISK_SCORE', 'family': 'findings', 'unit': 'score'},
        {'code': 'PSE_TIER1', 'family': 'process_safety', 'unit': 'count'},
        {'code': 'PSE_TIER2', 'family': 'process_safety', 'unit': 'count'},
        {'code': 'PSE_TIER1_RATE', 'family': 'process_safety', 'unit': 'per_200k_h'},
        {'code': 'PSE_TOTAL_RATE', 'family': 'process_safety', 'unit': 'per_200k_h'},
        {'code': 'PSE_SEVERITY_RATE', 'family': 'process_safety', 'unit': 'per_200k_h'},
        {'code': 'ECO_CHEM_INTENSITY', 'family': 'eco_efficiency', 'unit': 'kg_per_t'},
        {'code': 'ECO_VALUE_PER_CHEM', 'family': 'eco_efficiency', 'unit': 'mkrw_per_t'},
        {'code': 'ECO_FACTOR_INDEX', 'family': 'eco_efficiency', 'unit': 'index'}
    ]) }}
{%- endmacro %}

{#- Units whose KPIs are counts or sums (no denominator). -#}
{% macro additive_units() -%}
    {{ return(['count', 'kg', 'KRW', 'score']) }}
{%- endmacro %}
