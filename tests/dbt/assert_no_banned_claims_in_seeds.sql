-- No narrative text in the project's reference seeds may contain an absolute safety claim
-- (reference seed banned_claims: 완전 안전, 사고 불가능, "completely safe", "zero risk", ...).
-- Scans every text column of every seed under seeds/reference except banned_claims itself.
-- The depends_on lines make dbt build the seeds first; a pytest test keeps the list complete.
-- depends_on: {{ ref('code_labels') }}
-- depends_on: {{ ref('reason_codes') }}
-- depends_on: {{ ref('risk_level_points') }}
-- depends_on: {{ ref('scoring_parameters') }}
-- depends_on: {{ ref('scoring_risk_weights') }}
-- depends_on: {{ ref('kpi_parameters') }}
-- depends_on: {{ ref('kpi_definitions') }}
-- depends_on: {{ ref('kpi_targets') }}
-- depends_on: {{ ref('safety_committee_reviews') }}
-- depends_on: {{ ref('disclosure_items') }}
-- depends_on: {{ ref('reconciliation_thresholds') }}
-- depends_on: {{ ref('reconciliation_sampling') }}
-- depends_on: {{ ref('compliance_items') }}
-- depends_on: {{ ref('compliance_indicator_map') }}
-- depends_on: {{ ref('field_checklist_items') }}
-- depends_on: {{ ref('field_checklist_thresholds') }}
{%- set texts = [] -%}
{%- if execute -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'seed' and node.original_file_path.startswith('seeds/reference')
              and node.name != 'banned_claims' -%}
            {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
            {%- if relation is not none -%}
                {%- for column in adapter.get_columns_in_relation(relation) -%}
                    {%- if column.is_string() -%}
                        {%- do texts.append("select '" ~ node.name ~ "' as seed_name, '" ~ column.name
                            ~ "' as column_name, cast(" ~ adapter.quote(column.name) ~ " as "
                            ~ dbt.type_string() ~ ") as text_value from " ~ relation) -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

with banned as (

    select lower(phrase) as phrase from {{ ref('banned_claims') }}

),

texts as (

    {%- if texts %}
    {{ texts | join('\n    union all\n    ') }}
    {%- else %}
    select 'none' as seed_name, 'none' as column_name, 'none' as text_value
    {%- endif %}

),

final as (

    select texts.seed_name, texts.column_name, texts.text_value, banned.phrase
    from texts
    inner join banned
        on {{ dbt.position('banned.phrase', 'lower(texts.text_value)') }} > 0

)

select * from final
