{#- dbt-duckdb loads a seed with COPY ... (FORMAT CSV, HEADER, DELIMITER) and leaves the
    quote character to DuckDB's sniffer, which can guess ' for a file whose cells contain
    JSON (e.g. the _extras column), leaving "" in the values. Seeds here are always written
    with RFC 4180 quoting, so say so explicitly. Otherwise the same as dbt-duckdb's macro. -#}
{% macro duckdb__load_csv_rows(model, agate_table) %}
    {% set seed_file_path = adapter.get_seed_file_path(model) %}
    {% set delimiter = config.get('delimiter', ',') %}
    {% set sql %}
      COPY {{ this.render() }} FROM '{{ seed_file_path }}' (FORMAT CSV, HEADER TRUE, DELIMITER '{{ delimiter }}', QUOTE '"', ESCAPE '"')
    {% endset %}
    {% do adapter.add_query(sql, abridge_sql_log=True) %}
    {{ return(sql) }}
{% endmacro %}
