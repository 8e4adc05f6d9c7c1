{#- Keyed hash (HMAC-SHA256, hex) of a personal identifier. The key comes from the
    environment variable CHEMSAFE_PSEUDONYM_KEY, never from the repository.
    DuckDB: the function is registered on the connection by the chemsafe.dbt_plugin
    plugin (profiles.yml), so the key appears in no compiled SQL.
    Other engines: their built-in HMAC (Trino's hmac_sha256). -#}
{% macro pseudonymise(expr) -%}
    {{ return(adapter.dispatch('pseudonymise', 'chemsafe_esg')(expr)) }}
{%- endmacro %}

{% macro duckdb__pseudonymise(expr) -%}
    chemsafe_pseudonymise({{ expr }})
{%- endmacro %}

{% macro default__pseudonymise(expr) -%}
    {%- set key = env_var('CHEMSAFE_PSEUDONYM_KEY', 'chemsafe-DEMO-key-NOT-FOR-PRODUCTION') -%}
    lower(to_hex(hmac_sha256(to_utf8({{ expr }}), to_utf8('{{ key }}'))))
{%- endmacro %}
