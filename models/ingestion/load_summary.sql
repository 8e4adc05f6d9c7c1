{#- Per extract file of the current load: physical lines (counted from the file's bytes)
    and what they hold, records read, exact duplicates collapsed, accepted, rejected (in
    total and by reason). Every physical line is blank or part of the header or a record
    (lines_unaccounted = 0), and records_read always equals accepted + rejected +
    duplicates_collapsed (rows_unaccounted = 0); both are tested. -#}
with manifest as (

    select * from {{ ref('ingest_manifest') }}

),
{%- for extract in extract_files() %}

{{ extract.file }}_counts as (

    select
        '{{ extract.file }}.csv' as source_file,
        cast(sum(_copies) as {{ dbt.type_bigint() }}) as parsed_records,
        cast(sum(_copies - 1) as {{ dbt.type_bigint() }}) as duplicates_collapsed,
        cast(sum(case when rejection_reason is null then 1 else 0 end) as {{ dbt.type_bigint() }})
            as rows_accepted
    from {{ ref(extract.check_model) }}

),
{%- endfor %}

file_counts as (

    {%- for extract in extract_files() %}
    select * from {{ extract.file }}_counts
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

rejections as (

    select
        source_file,
        count(*) as rows_rejected,
        {%- for reason in contract_reason_codes() %}
        cast(sum(case when reason_code = '{{ reason }}' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as rejected_{{ reason }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('quarantine') }}
    group by source_file

),

final as (

    select
        manifest.load_id,
        manifest.source_file,
        manifest.encoding,
        manifest.sha256,
        manifest.physical_lines,
        manifest.blank_lines,
        manifest.record_lines,
        manifest.physical_lines - manifest.blank_lines - manifest.record_lines
            as lines_unaccounted,
        manifest.records_read,
        coalesce(file_counts.duplicates_collapsed, 0) as duplicates_collapsed,
        coalesce(file_counts.rows_accepted, 0) as rows_accepted,
        coalesce(rejections.rows_rejected, 0) as rows_rejected,
        {%- for reason in contract_reason_codes() %}
        coalesce(rejections.rejected_{{ reason }}, 0) as rejected_{{ reason }},
        {%- endfor %}
        manifest.records_read
            - coalesce(file_counts.duplicates_collapsed, 0)
            - coalesce(file_counts.rows_accepted, 0)
            - coalesce(rejections.rows_rejected, 0) as rows_unaccounted
    from manifest
    left join file_counts
        on manifest.source_file = file_counts.source_file
    left join rejections
        on manifest.source_file = rejections.source_file

)

select * from final
