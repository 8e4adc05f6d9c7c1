{#-
    parse_extract(file_name)

    The whole single-file part of the extract contract, for one raw extract, with the
    file's columns, rules and key read from the contract (macros/contract/
    extract_contract.sql), one CTE per step:
      source       the file as ingested (every cell text, untrimmed; source('extracts'));
      cleaned      1. every cell trimmed, empty = NULL;
      deduplicated 2. exact duplicate rows (every trimmed cell equal, extra columns
                      included) collapse to one, counted in _copies;
      typed        3. every column parsed to its type (NULL when it does not parse);
      validated    4. every column through required -> type -> code or CAS form ->
                      negative -> range (the contract's date window included);
      first_rejection  the first failing column is the row's rejection (reason, column,
                      trimmed raw value);
      key_checked  5. among rows that parsed, rows sharing a key are all rejected
                      (key_conflict).
    Cross-file rules (references, consistency) are applied by the reference_checks
    models (check_references). The column dicts (contract_columns()) hold: name, type
    (text|date|number|integer|boolean|code|cas), required, required_when_present (the
    name of another column: this one may be NULL only while that one is NULL), code_set,
    non_negative, min_value, max_value, not_before (a date column this one may not
    precede), first_of_month, pseudonymise (a personal identifier: the file already holds
    its keyed hash, written by `chemsafe ingest`, output as is under the name `as`), mask
    (output the text with every employee number masked).
    Personal data is protected at ingest (src/chemsafe/personal.py): no engine sees an
    employee number in clear or needs the pseudonym key. Its _masked_digest column (the
    keyed hash of a record's cells before ingest masked an employee number in them)
    takes part in the duplicate rule, so two records that differed only in a masked
    employee number stay two records, as when staging compared the clear cells.
-#}
{% macro parse_extract(file_name) -%}
{%- set extract = contract_file(file_name) -%}
{%- set columns = contract_columns(extract) -%}
{%- set key = extract.key -%}
{%- set raw_names = [] -%}
{%- for column in columns -%}{%- do raw_names.append(column.name ~ '__raw') -%}{%- endfor -%}
{%- set by_name = {} -%}
{%- for column in columns -%}{%- do by_name.update({column.name: column}) -%}{%- endfor -%}

with source as (

    select * from {{ source('extracts', file_name) }}

),

code_labels as (

    select * from {{ ref('code_labels') }}

),

cleaned as (

    select
        cast(_line as {{ dbt.type_bigint() }}) as _line,
        {%- for column in columns %}
        {{ trim_whitespace(column.name) }} as {{ column.name }}__raw,
        {%- endfor %}
        {{ trim_whitespace('_extras') }} as _extras,
        {{ trim_whitespace('_masked_digest') }} as _masked_digest
    from source

),

deduplicated as (

    select
        min(_line) as _line,
        count(*) as _copies,
        {{ raw_names | join(',\n        ') }},
        _extras
    from cleaned
    group by
        {{ raw_names | join(',\n        ') }},
        _extras,
        _masked_digest

),

labels as (

    select
        code_set,
        label_key,
        max(code) as code
    from code_labels
    group by
        code_set,
        label_key

),

typed as (

    select
        deduplicated.*,
        {%- for column in columns %}
        {{ _typed_value(column) }} as {{ _output_name(column) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from deduplicated
    {%- for column in columns if column.type in ('code', 'boolean') %}
    left join labels as {{ column.name }}__label
        on {{ column.name }}__label.code_set = '{{ column.code_set }}'
        and {{ column.name }}__label.label_key = lower({{ column.name }}__raw)
    {%- endfor %}

),

validated as (

    select
        typed.*,
        {%- for column in columns %}
        {{ _rejection(column, by_name) }} as {{ column.name }}__rejection{{ ',' if not loop.last }}
        {%- endfor %}
    from typed

),

first_rejection as (

    select
        validated.*,
        coalesce(
            {%- for column in columns %}
            {{ column.name }}__rejection{{ ',' if not loop.last }}
            {%- endfor %}
        ) as _parse_rejection,
        case
            {%- for column in columns %}
            when {{ column.name }}__rejection is not null then '{{ column.name }}'
            {%- endfor %}
        end as _parse_rejection_column,
        case
            {%- for column in columns %}
            when {{ column.name }}__rejection is not null then {{ _display_raw(column) }}
            {%- endfor %}
        end as _parse_rejection_value,
        {{ _record_key(key, by_name) }} as record_key
    from validated

),

key_checked as (

    select
        first_rejection.*,
        case
            when _parse_rejection is not null then _parse_rejection
            when count(case when _parse_rejection is null then 1 end) over (
                partition by {% for part in key %}{{ _output_name(by_name[part]) }}{{ ', ' if not loop.last }}{% endfor %}
            ) > 1 then 'key_conflict'
        end as rejection_reason
    from first_rejection

),

{#- the columns of base_columns(), in its order; these three computed here -#}
{%- set reported = {
    'parse_rejection_reason': 'rejection_reason',
    'parse_rejection_column': "case
            when rejection_reason = 'key_conflict' then '" ~ (key | join('|')) ~ "'
            else _parse_rejection_column
        end",
    'parse_rejection_value': "case
            when rejection_reason = 'key_conflict' then record_key
            else _parse_rejection_value
        end",
} %}

final as (

    select
        {%- for column in base_columns(extract) %}
        {% if column in reported %}{{ reported[column] }} as {% endif %}{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from key_checked

)

select * from final
{%- endmacro %}


{#- The columns of a base_ table, in order: parse_extract's final step selects exactly
    these, and the models that pass a base_ row on whole under its own names
    (check_references) name them from here, so the two cannot drift apart. -#}
{% macro base_columns(extract) -%}
    {%- set names = ['_line', '_copies', 'record_key', 'parse_rejection_reason',
                     'parse_rejection_column', 'parse_rejection_value'] -%}
    {%- for column in contract_columns(extract) -%}
        {%- do names.append(_output_name(column)) -%}
    {%- endfor -%}
    {%- do names.append('_extras') -%}
    {{ return(names) }}
{%- endmacro %}


{% macro _output_name(column) -%}
    {{- column.get('as', column.name) -}}
{%- endmacro %}


{#- The trimmed raw value as the quarantine may show it: a personal identifier as the
    keyed hash ingest wrote (never masked: a hex hash may hold `e` and digits), any other
    value with employee numbers masked. -#}
{% macro _display_raw(column) -%}
    {%- if column.get('pseudonymise', false) -%}
        {{ column.name }}__raw
    {%- else -%}
        {{ mask_employee_numbers(column.name ~ '__raw') }}
    {%- endif -%}
{%- endmacro %}


{#- A text column's staged value: a personal identifier as the keyed hash ingest wrote,
    free text and masked columns with employee numbers masked, any other text as it was
    (trimmed). -#}
{% macro _text_value(column) -%}
    {%- if column.get('pseudonymise', false) -%}
        {{ column.name }}__raw
    {%- elif column.get('mask', false) -%}
        {{ mask_employee_numbers(column.name ~ '__raw') }}
    {%- else -%}
        {{ column.name }}__raw
    {%- endif -%}
{%- endmacro %}


{% macro _typed_value(column) -%}
    {%- set raw = column.name ~ '__raw' -%}
    {%- if column.type == 'text' -%}
        {{ _text_value(column) }}
    {%- elif column.type == 'date' -%}
        {{ parse_date_value(raw) }}
    {%- elif column.type == 'number' -%}
        {{ parse_number_value(raw) }}
    {%- elif column.type == 'integer' -%}
        {{ parse_integer_value(raw) }}
    {%- elif column.type == 'boolean' -%}
        {{ boolean_from_code(column.name ~ '__label.code') }}
    {%- elif column.type == 'code' -%}
        {{ column.name }}__label.code
    {%- elif column.type == 'cas' -%}
        {{ parse_cas_value(raw) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown column type " ~ column.type ~ " for " ~ column.name) }}
    {%- endif -%}
{%- endmacro %}


{#- required -> type -> code or CAS form -> negative -> range: first failure wins. A
    conditionally required column (required_when_present) is missing_required when it is
    empty while the column it names is not. -#}
{% macro _rejection(column, by_name) -%}
    {%- set raw = column.name ~ '__raw' -%}
    {%- set value = _output_name(column) -%}
    {%- set type_reason = {
        'text': none, 'date': 'bad_date', 'number': 'bad_number', 'integer': 'bad_integer',
        'boolean': 'bad_boolean', 'code': 'unknown_code', 'cas': 'bad_cas'}[column.type] -%}
    {%- set numeric = column.type in ('number', 'integer') -%}
    {%- set has_range = column.get('min_value') is not none or column.get('max_value') is not none -%}
    {%- set required_when_present = column.get('required_when_present') -%}
    {%- if required_when_present is not none -%}
        {%- if required_when_present not in by_name or required_when_present == column.name -%}
            {{ exceptions.raise_compiler_error("required_when_present of " ~ column.name ~ " names no other column of the file: " ~ required_when_present) }}
        {%- endif -%}
        {%- if column.get('required', true) -%}
            {{ exceptions.raise_compiler_error("column " ~ column.name ~ " has required_when_present, so it must say 'required': false") }}
        {%- endif -%}
    {%- endif -%}
    case
        {%- if required_when_present is not none %}
        when {{ raw }} is null and {{ required_when_present }}__raw is not null then 'missing_required'
        {%- endif %}
        when {{ raw }} is null then {{ "'missing_required'" if column.get('required', true) else 'null' }}
        {%- if type_reason is not none %}
        when {{ value }} is null then '{{ type_reason }}'
        {%- endif %}
        {%- if numeric and not has_range and column.get('non_negative', true) %}
        when {{ value }} < 0 then 'negative_value'
        {%- endif %}
        {%- if column.get('min_value') is not none %}
        when {{ value }} < {{ column.min_value }} then 'out_of_range'
        {%- endif %}
        {%- if column.get('max_value') is not none %}
        when {{ value }} > {{ column.max_value }} then 'out_of_range'
        {%- endif %}
        {%- if column.type == 'date' %}
        {%- set window = date_window() %}
        when {{ value }} < cast('{{ window.first }}' as {{ type_date() }}) then 'out_of_range'
        when {{ value }} > cast('{{ window.last }}' as {{ type_date() }}) then 'out_of_range'
        {%- endif %}
        {%- if column.get('first_of_month', false) %}
        when {{ dbt.date_trunc('month', value) }} <> {{ value }} then 'out_of_range'
        {%- endif %}
        {%- if column.get('not_before') %}
        when {{ value }} < {{ _output_name(by_name[column.not_before]) }} then 'out_of_range'
        {%- endif %}
    end
{%- endmacro %}


{#- The row's key as text for the quarantine ('|' between parts; personal identifiers
    hashed, employee numbers in other parts masked); NULL when every part is empty (a row
    with no key). Only empty parts give exactly the separators, so nullif is exact. -#}
{% macro _record_key(key, by_name) -%}
    nullif(
    {%- for part in key -%}
        coalesce({{ _display_raw(by_name[part]) }}, ''){{ " || '|' || " if not loop.last }}
    {%- endfor -%}
    , '{{ "|" * (key | length - 1) }}')
{%- endmacro %}
