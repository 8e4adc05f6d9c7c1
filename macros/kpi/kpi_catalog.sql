{#- The KPI catalogue (code, family, unit, rollup rule, definition) is the reference seed
    kpi_definitions, and only that: kpi_quarterly's rows come from it. What the seed cannot
    give at parse time is the list of events models, which fct_kpi_events unions and dbt
    must know before any seed is loaded: the families, one int_kpi_events__<family> model
    each. tests/dbt/assert_kpi_definitions_match_implementation holds the two together
    (every KPI of the seed is written by its family's model, every KPI emitted has a sheet). -#}
{% macro kpi_event_families() -%}
    {{ return([
        'protection_layers', 'management_of_change', 'risk_assessment', 'self_inspection',
        'training', 'drills', 'corrective_actions', 'contractors', 'small_quantity',
        'inventory', 'releases_and_incidents', 'admin_actions', 'findings', 'process_safety',
        'eco_efficiency'
    ]) }}
{%- endmacro %}

{#- Units whose KPIs are counts or sums (no denominator). -#}
{% macro additive_units() -%}
    {{ return(['count', 'kg', 'KRW', 'score']) }}
{%- endmacro %}
