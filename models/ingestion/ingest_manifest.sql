{#- One row per extract file of the current load: the sha256 of its original bytes,
    its detected encoding and how many records it held. Every KPI traces back here. -#}
with manifest as (

    select * from {{ ref('raw__ingest_manifest') }}

),

final as (

    select
        load_id,
        source_file,
        sha256,
        size_bytes,
        encoding,
        records_read,
        malformed_records,
        nullif(extra_columns, '') as extra_columns,
        source_path,
        {{ dbt.safe_cast('loaded_at', api.Column.translate_type('timestamp')) }} as loaded_at
    from manifest

)

select * from final
