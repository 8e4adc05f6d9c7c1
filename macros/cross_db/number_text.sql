{#- A number as text, the same on every engine: rounded half up to `decimals` places on
    its decimal value, written in plain digits with no trailing zeros but one digit after
    the point (0.875, 1.0, 0.0005, 12000000.0). A cast of a double to text is not
    portable: Spark writes Java's form (5.0E-4 below 0.001, 1.2E7 from 10 million) where
    DuckDB writes 0.0005 and 12000000.0, and Spark's round of a double rounds its decimal
    form half up (3/20000 -> 0.0002) where DuckDB rounds the binary value (0.0001). The
    singular test assert_number_text_is_the_same_on_every_engine holds the cases, on each
    engine the project is built on. Exact for values below 10^12 (checked up to
    98765432109.8765): from about 10^14 DuckDB's cast of a double to decimal(38, 10)
    writes digits the double does not hold (300000000000000.5 -> ...0.4782). The
    evidence's rates and thresholds are far below. -#}
{% macro number_text(expr, decimals) -%}
    regexp_replace(
        regexp_replace(
            cast(cast(round(cast({{ expr }} as decimal(38, 10)), {{ decimals }})
                      as decimal(38, {{ decimals }})) as {{ dbt.type_string() }}),
            '0+$', ''),
        '[.]$', '.0')
{%- endmacro %}
