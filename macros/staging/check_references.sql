{#-
    check_references(file_name)

    The cross-file part of the extract contract for one extract, with its references and
    consistency rules read from the contract (macros/contract/extract_contract.sql). A
    reference must resolve to an *accepted* row of the referenced file (its stg_ model),
    else orphan_reference: so a rejected parent takes its children with it. References
    by type (corrective_actions.source_id names a row of the file its source_type names)
    are checked against the file the type names. Consistency rules (a finding's facility
    = its inspection's facility; an incident's facility belongs to its site) give
    inconsistent_reference. Rows already rejected by parsing keep their first reason.
    Reads the materialised base_ table of the file, never the raw file. Output: the base
    table's columns plus rejection_reason, rejection_column and rejection_value for every
    row (NULL = accepted). One pass: each base row goes through the left joins to its
    parents whole (a parent key is the key of an accepted row, so unique: a join adds no
    row), with no join back to the base table by _line (which cost a quarter of the model's
    time at 2.8M inspections).
-#}
{% macro check_references(file_name) -%}
{%- set extract = contract_file(file_name) -%}
{%- set base_model = 'base_' ~ extract.system ~ '__' ~ extract.entity -%}
{%- set references = contract_references(extract) -%}
{%- set consistency = extract.get('consistency', []) -%}
{%- set checked_columns = [] -%}
{%- for reference in references -%}
    {%- if reference.column not in checked_columns -%}{%- do checked_columns.append(reference.column) -%}{%- endif -%}
{%- endfor -%}

with base as (

    select * from {{ ref(base_model) }}

),
{%- for reference in references %}

parent_{{ loop.index }} as (

    select
        {{ reference.parent_key }} as parent_key
        {%- for rule in consistency if rule.reference == reference.column %},
        {{ rule.parent_column }} as parent_{{ rule.parent_column }}
        {%- endfor %}
    from {{ ref(reference.parent) }}

),
{%- endfor %}

joined as (

    select
        base.*
        {%- for rule in consistency %},
        {%- for reference in references %}{% if reference.column == rule.reference %}
        parent_{{ loop.index }}.parent_{{ rule.parent_column }} as expected_{{ loop.index }}_{{ rule.parent_column }}
        {%- endif %}{% endfor %}
        {%- endfor %}
        {%- for reference in references %},
        parent_{{ loop.index }}.parent_key as parent_{{ loop.index }}_key
        {%- endfor %}
    from base
    {%- for reference in references %}
    left join parent_{{ loop.index }}
        on base.{{ reference.column }} = parent_{{ loop.index }}.parent_key
        {%- if reference.get('when') %}
        and base.{{ reference.when }}
        {%- endif %}
    {%- endfor %}

),

reference_rejections as (

    select
        joined.*,
        case
            when parse_rejection_reason is not null then null
            {%- for column in checked_columns %}
            when {{ _orphan_condition(column, references) }} then 'orphan_reference'
            {%- endfor %}
            {%- for rule in consistency %}
            when {{ _inconsistent_condition(rule, references) }} then 'inconsistent_reference'
            {%- endfor %}
        end as reference_rejection_reason,
        case
            when parse_rejection_reason is not null then null
            {%- for column in checked_columns %}
            when {{ _orphan_condition(column, references) }} then '{{ column }}'
            {%- endfor %}
            {%- for rule in consistency %}
            when {{ _inconsistent_condition(rule, references) }} then '{{ rule.column }}'
            {%- endfor %}
        end as reference_rejection_column,
        -- the value as the quarantine shows it: employee numbers masked, as everywhere
        case
            when parse_rejection_reason is not null then null
            {%- for column in checked_columns %}
            when {{ _orphan_condition(column, references) }} then {{ mask_employee_numbers(column) }}
            {%- endfor %}
            {%- for rule in consistency %}
            when {{ _inconsistent_condition(rule, references) }} then {{ mask_employee_numbers(rule.column) }}
            {%- endfor %}
        end as reference_rejection_value
    from joined

),

final as (

    select
        {%- for column in base_columns(extract) %}
        {{ column }},
        {%- endfor %}
        coalesce(parse_rejection_reason, reference_rejection_reason) as rejection_reason,
        coalesce(parse_rejection_column, reference_rejection_column) as rejection_column,
        coalesce(parse_rejection_value, reference_rejection_value) as rejection_value
    from reference_rejections

)

select * from final
{%- endmacro %}


{% macro _orphan_condition(column, references) -%}
    ({{ column }} is not null and coalesce(
        {%- for reference in references -%}{%- if reference.column == column -%}
            parent_{{ loop.index }}_key{{ ', ' }}
        {%- endif -%}{%- endfor -%}
        null) is null)
{%- endmacro %}


{% macro _inconsistent_condition(rule, references) -%}
    {%- for reference in references -%}{%- if reference.column == rule.reference -%}
        (expected_{{ loop.index }}_{{ rule.parent_column }} <> {{ rule.own_column }})
    {%- endif -%}{%- endfor -%}
{%- endmacro %}
