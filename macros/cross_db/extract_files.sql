{#- Make the dbt source `extracts` resolve to the files of the current load on engines
    that cannot read a file in a FROM clause the way dbt-duckdb's external_location does.
    Run by on-run-start (dbt_project.yml) before anything reads a source.

    DuckDB: nothing to do (the source's meta.external_location is read_csv over the file).
    Spark: each extract becomes an external table over its CSV, read with the contract's
    quoting (header row, RFC 4180 quotes doubled inside a quoted cell, records spanning
    lines), every column a string in contract order (named by the header when the
    source lists no columns), a malformed record failing the run
    rather than being dropped. The folder is the source's meta.folder (the data
    directory's ingest/current) unless the var `extracts_location` names another (object
    storage on a cluster, e.g. s3a://bucket/chemsafe/ingest/current). The table is
    re-created on every run: dropping an external table never deletes its files. -#}
{% macro register_extract_files() -%}
    {{ return(adapter.dispatch('register_extract_files', 'chemsafe_esg')()) }}
{%- endmacro %}

{% macro default__register_extract_files() -%}
    select 1 as extract_files_read_in_place
{%- endmacro %}

{% macro spark__register_extract_files() -%}
    {%- if execute -%}
        {%- set extracts = graph.sources.values() | selectattr('source_name', 'equalto', 'extracts') | list -%}
        {%- for table in extracts | sort(attribute='identifier') -%}
            {%- if loop.first %}
                {% do run_query('create database if not exists ' ~ table.schema) %}
            {%- endif -%}
            {%- set folder = var('extracts_location', none) or table.source_meta.folder -%}
            {%- set relation = table.schema ~ '.' ~ table.identifier -%}
            {% do run_query('drop table if exists ' ~ relation) %}
            {%- set create -%}
                create table {{ relation }}
                {%- if table.columns %} (
                    {%- for column in table.columns.values() %}
                    {{ adapter.quote(column.name) }} string{{ ',' if not loop.last }}
                    {%- endfor %}
                ){%- endif %}
                using csv
                options (
                    path '{{ folder }}/{{ table.identifier }}.csv',
                    header 'true',
                    multiLine 'true',
                    quote '"',
                    escape '"',
                    encoding 'UTF-8',
                    mode 'FAILFAST'
                )
            {%- endset -%}
            {% do run_query(create) %}
        {%- endfor -%}
    {%- endif %}
    select 1 as extract_files_registered
{%- endmacro %}
