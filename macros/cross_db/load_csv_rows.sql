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

{#- dbt-spark's own macro binds each cell as '{value}' with no escaping: an apostrophe
    ends the literal (the insert fails) and an empty cell (None) loads as the text 'None'.
    Here every cell is rendered as a Spark SQL literal: NULL for an empty cell, text
    quoted with \ and ' escaped (Spark string literals treat \ as an escape), dates and
    numbers as their text, then cast to the seed's column type as dbt-spark does. No
    bindings are passed, so a % in a cell is never taken for a placeholder. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {% set batch_size = get_batch_size() %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(batch_size) %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = column_override.get(col_name, inferred_type) -%}
                    cast({{ spark_seed_literal(row[loop.index0]) }} as {{ type }})
                    {%- if not loop.last %}, {% endif %}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        {% endset %}
        {% do adapter.add_query(sql, abridge_sql_log=True) %}
        {% if loop.index0 == 0 %}
            {% do statements.append(sql) %}
        {% endif %}
    {% endfor %}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true -%}
        true
    {%- elif value is sameas false -%}
        false
    {%- else -%}
        '{{ (value | string) | replace("\\", "\\\\") | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
