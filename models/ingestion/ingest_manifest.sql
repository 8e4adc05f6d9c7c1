{#- One row per extract file of the current load: the sha256 of its original bytes,
    its detected encoding, how many records it held and how its physical lines divide
    into blank lines and the lines of records (header included). Every KPI traces back
    here. -#}
with manifest as (

    select * from {{ source('extracts', 'ingest_manifest') }}

),

final as (

    select
        load_id,
        source_file,
        sha256,
        cast(size_bytes as {{ dbt.type_bigint() }}) as size_bytes,
        encoding,
        cast(records_read as {{ dbt.type_bigint() }}) as records_read,
        cast(malformed_records as {{ dbt.type_bigint() }}) as malformed_records,
        nullif(extra_columns, '') as extra_columns,
        source_path,
        {{ dbt.safe_cast('loaded_at', api.Column.translate_type('timestamp')) }} as loaded_at,
        cast(physical_lines as {{ dbt.type_bigint() }}) as physical_lines,
        cast(blank_lines as {{ dbt.type_bigint() }}) as blank_lines,
        cast(record_lines as {{ dbt.type_bigint() }}) as record_lines
    from manifest

)

select * from final
