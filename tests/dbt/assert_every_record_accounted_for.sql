-- No row is ever lost: for every extract file, the records the ingestion read equal the
-- rows accepted + rows rejected + exact duplicates collapsed, and the quarantine holds a
-- row for every rejection. Returns the files where that does not hold.
with summary as (

    select * from {{ ref('load_summary') }}

),

manifest as (

    select * from {{ ref('ingest_manifest') }}

),

final as (

    select
        manifest.source_file,
        manifest.records_read,
        summary.rows_accepted,
        summary.rows_rejected,
        summary.duplicates_collapsed
    from manifest
    left join summary
        on manifest.source_file = summary.source_file
    where summary.source_file is null
       or manifest.records_read
          <> summary.rows_accepted + summary.rows_rejected + summary.duplicates_collapsed

)

select * from final
