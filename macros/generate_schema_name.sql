{#- Schemas are named by layer (raw, reference, staging, intermediate, marts, audit), not
    prefixed with the target schema: the warehouse is one file per environment. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
