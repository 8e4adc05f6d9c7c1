{#- The relation a base model reads one raw extract from. Staging does not care where
    the raw table came from: with var raw_source = 'seeds' (the default) it is the dbt
    seed `raw_<file>` written by `chemsafe ingest`. Other sources (files read directly
    by the engine, for extracts too big for seeds) plug in here and nowhere else. -#}
{% macro raw_extract(file_name) -%}
    {%- set source_kind = var('raw_source', 'seeds') -%}
    {%- if source_kind == 'seeds' -%}
        {{ ref('raw_' ~ file_name) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("var raw_source must be 'seeds', got '" ~ source_kind ~ "'") }}
    {%- endif -%}
{%- endmacro %}
