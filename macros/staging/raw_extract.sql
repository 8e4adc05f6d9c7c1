{#- The relation a base model reads one raw extract from. Staging does not care where
    the raw table came from:
      var raw_source = 'seeds' (default): the dbt seed raw_<name>, written by
        `chemsafe ingest` and loaded by dbt;
      var raw_source = 'files': the same converted file read directly by the engine
        (extracts too big for dbt seeds), as CSV or, with var raw_file_format = 'parquet',
        as the Parquet copy `chemsafe ingest --parquet` writes beside it.
    Both paths read identical converted rows, so the contract's rules hold identically
    (tested: tests/test_raw_paths.py). `name` is the file stem (findings) or, for the
    ingestion's own tables, _ingest_manifest / _malformed_rows. -#}
{% macro raw_extract(name) -%}
    {%- set source_kind = var('raw_source', 'seeds') -%}
    {%- if source_kind == 'seeds' -%}
        {{ ref('raw_' ~ name) }}
    {%- elif source_kind == 'files' -%}
        {{ return(adapter.dispatch('raw_extract_file', 'chemsafe_esg')(name)) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("var raw_source must be 'seeds' or 'files', got '" ~ source_kind ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{% macro raw_files_folder() -%}
    {{ return(var('raw_files_dir', env_var('CHEMSAFE_DATA_DIR', 'data') ~ '/ingest/current')) }}
{%- endmacro %}

{% macro duckdb__raw_extract_file(name) -%}
    {%- set path = raw_files_folder() ~ '/raw_' ~ name -%}
    {%- if var('raw_file_format', 'csv') == 'parquet' -%}
        read_parquet('{{ path }}.parquet')
    {%- else -%}
        read_csv('{{ path }}.csv', header = true, all_varchar = true, delim = ',',
                 quote = '"', escape = '"', null_padding = false, parallel = true)
    {%- endif -%}
{%- endmacro %}

{% macro default__raw_extract_file(name) -%}
    {{ exceptions.raise_compiler_error("raw_source = 'files' reads files with the engine's own reader; implement raw_extract_file for " ~ target.type ~ " (e.g. an external table over the ingested folder)") }}
{%- endmacro %}
