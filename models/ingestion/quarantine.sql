{#- Every rejected row of every extract, with its file, physical line, key, the column
    and trimmed raw value that failed, and the reason code. Nothing rejected is ever
    dropped silently: accepted + rejected + collapsed duplicates = records read. -#}
with
{%- for extract in extract_files() %}

{{ extract.file }}_rejected as (

    select
        '{{ extract.file }}.csv' as source_file,
        _line as line_number,
        record_key,
        rejection_column as column_name,
        rejection_value as raw_value,
        rejection_reason as reason_code
    from {{ ref(extract.check_model) }}
    where rejection_reason is not null

),
{%- endfor %}

malformed as (

    select
        source_file,
        cast(line_number as {{ dbt.type_bigint() }}) as line_number,
        {{ dbt.safe_cast('null', api.Column.translate_type('string')) }} as record_key,
        -- the column of a cell over the contract's length limit; NULL for a wrong field count
        nullif(column_name, '') as column_name,
        -- a malformed record cannot be split reliably into columns, so the raw text of
        -- files holding employee numbers is withheld (see the source file); elsewhere
        -- employee numbers in it are masked, as in free text.
        case
            when source_file in (
                {%- for extract in extract_files() if extract.get('personal') -%}
                '{{ extract.file }}.csv'{{ ', ' if not loop.last }}
                {%- endfor -%}
            ) then '[withheld: record holds personal identifiers; see the source file]'
            else {{ mask_employee_numbers('raw_record') }}
        end as raw_value,
        'malformed_row' as reason_code
    from {{ source('extracts', 'malformed_rows') }}

),

unioned as (

    {%- for extract in extract_files() %}
    select * from {{ extract.file }}_rejected
    union all
    {%- endfor %}
    select * from malformed

),

reasons as (

    select * from {{ ref('reason_codes') }}

),

final as (

    select
        unioned.source_file,
        unioned.line_number,
        unioned.record_key,
        unioned.column_name,
        unioned.raw_value,
        unioned.reason_code,
        reasons.description_en as reason_description,
        reasons.description_ko as reason_description_ko
    from unioned
    left join reasons
        on unioned.reason_code = reasons.reason_code

)

select * from final
