{#- Keyed hash (HMAC-SHA256, hex) of a personal identifier. The key comes from the
    environment variable CHEMSAFE_PSEUDONYM_KEY, never from the repository, and never
    appears in compiled SQL, logs or dbt's target folder.
    DuckDB: the function is registered on the connection by the chemsafe.dbt_plugin
    plugin (profiles.yml).
    Other engines: no version yet. Writing the key into the SQL text (as an engine's
    built-in HMAC would need) would put it in target/compiled, target/run and the query
    logs, so the default refuses instead of doing that. -#}
{% macro pseudonymise(expr) -%}
    {{ return(adapter.dispatch('pseudonymise', 'chemsafe_esg')(expr)) }}
{%- endmacro %}

{% macro duckdb__pseudonymise(expr) -%}
    chemsafe_pseudonymise({{ expr }})
{%- endmacro %}

{% macro default__pseudonymise(expr) -%}
    {{ exceptions.raise_compiler_error(
        "pseudonymise: no keyed hash for adapter '" ~ adapter.type() ~ "' that keeps "
        ~ "CHEMSAFE_PSEUDONYM_KEY out of the compiled SQL; register a connection function "
        ~ "as chemsafe.dbt_plugin does for DuckDB before running on this engine") }}
{%- endmacro %}
