{#- Value parsers of the extract contract ("Values"). Each takes the trimmed raw cell
    (NULL when empty) and returns the typed value, or NULL when the cell does not parse.
    The rejection reasons are assigned from these in parse_extract(). -#}

{% macro date_pattern() -%}
^[0-9]{4}-[0-9]{2}-[0-9]{2}$|^[0-9]{4}[.][0-9]{2}[.][0-9]{2}$|^[0-9]{4}/[0-9]{2}/[0-9]{2}$|^[0-9]{8}$
{%- endmacro %}

{% macro number_pattern() -%}
^-?[0-9]+([.][0-9]+)?$|^-?[1-9][0-9]{0,2}(,[0-9]{3})+([.][0-9]+)?$
{%- endmacro %}

{% macro cas_pattern() -%}
^[1-9][0-9]{1,6}-[0-9]{2}-[0-9]$
{%- endmacro %}

{% macro iso_date_pattern() -%}
^[0-9]{4}-[0-9]{2}-[0-9]{2}$
{%- endmacro %}

{#- Zero-padded YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD or YYYYMMDD, and a real calendar date.
    YYYY-MM-DD, the form almost every cell has, is cast as written (rebuilding it from its
    digits gives the same text: three times slower for nothing); the others are rebuilt
    into it first. -#}
{% macro parse_date_value(raw) -%}
    {%- set digits = "replace(replace(replace(" ~ raw ~ ", '-', ''), '.', ''), '/', '')" -%}
    case
        when substr({{ raw }}, 1, 4) = '0000' then null
        when {{ regexp_like(raw, iso_date_pattern()) }}
        then {{ dbt.safe_cast(raw, type_date()) }}
        when {{ regexp_like(raw, date_pattern()) }}
        then {{ dbt.safe_cast("substr(" ~ digits ~ ", 1, 4) || '-' || substr(" ~ digits ~ ", 5, 2) || '-' || substr(" ~ digits ~ ", 7, 2)", type_date()) }}
    end
{%- endmacro %}

{#- -?digits[.digits], or comma thousands grouping in groups of exactly three; exact decimal:
    a value that would not be stored exactly (exact_number_pattern) does not parse. -#}
{% macro parse_number_value(raw) -%}
    {%- set digits = "replace(" ~ raw ~ ", ',', '')" -%}
    case
        when {{ regexp_like(raw, number_pattern()) }}
         and {{ regexp_like(digits, exact_number_pattern()) }}
        then {{ dbt.safe_cast(digits, type_quantity()) }}
    end
{%- endmacro %}

{#- A number whose fraction is zero (3.0 is 3); 3.5 does not parse as an integer, nor does
    a number that parse_number_value() would not store exactly (1.0000000000000000001). -#}
{% macro parse_integer_value(raw) -%}
    {%- set number = parse_number_value(raw) -%}
    case
        when ({{ number }}) = floor({{ number }})
        then {{ dbt.safe_cast(number, dbt.type_bigint()) }}
    end
{%- endmacro %}

{#- Codes and booleans are looked up in the reference seed code_labels by a join in
    parse_extract() (a code or Korean label of the column's code set, trimmed, any case);
    a boolean's code is TRUE or FALSE. -#}
{% macro boolean_from_code(code) -%}
    case {{ code }}
        when 'TRUE' then true
        when 'FALSE' then false
    end
{%- endmacro %}

{#- NNNNNNN-NN-N (2 to 7 digits first, no leading zero) with a valid check digit:
    the sum of each digit (check digit excluded) times its position counted from the
    right, modulo 10, equals the check digit. -#}
{% macro parse_cas_value(raw) -%}
    {%- set body = "reverse(replace(substr(" ~ raw ~ ", 1, length(" ~ raw ~ ") - 2), '-', ''))" -%}
    case
        when {{ regexp_like(raw, cas_pattern()) }}
         and mod(
            {%- for position in range(1, 10) %}
            {{ '+ ' if not loop.first }}coalesce({{ dbt.safe_cast("nullif(substr(" ~ body ~ ", " ~ position ~ ", 1), '')", dbt.type_int()) }}, 0) * {{ position }}
            {%- endfor %}
            , 10) = {{ dbt.safe_cast("substr(" ~ raw ~ ", length(" ~ raw ~ "), 1)", dbt.type_int()) }}
        then {{ raw }}
    end
{%- endmacro %}
