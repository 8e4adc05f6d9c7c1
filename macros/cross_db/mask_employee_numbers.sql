{#- `expr` with every employee number in it (a match of the contract's
    personal_data.employee_number_pattern, anywhere, any case) replaced by
    personal_data.mask: for text that people type (free text) or that may quote an
    employee number (a sign-in sheet number). The pattern is the employee-number format,
    not a list of employees, so the clear numbers never appear in compiled SQL. -#}
{% macro mask_employee_numbers(expr) -%}
    {{ return(adapter.dispatch('mask_employee_numbers', 'chemsafe_esg')(expr)) }}
{%- endmacro %}

{% macro duckdb__mask_employee_numbers(expr) -%}
    {%- set settings = personal_data() -%}
    regexp_replace({{ expr }}, '{{ settings.employee_number_pattern }}', '{{ settings.mask }}', 'gi')
{%- endmacro %}

{% macro default__mask_employee_numbers(expr) -%}
    {%- set settings = personal_data() -%}
    regexp_replace({{ expr }}, '(?i){{ settings.employee_number_pattern }}', '{{ settings.mask }}')
{%- endmacro %}
