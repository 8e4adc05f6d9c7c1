{#- Self-inspection records: the paper checklist register (self_inspection_field.csv) vs
    the SELF_INSPECTION rows of inspections.csv, reconciled on (facility_id, inspected_on).
    Several records with the same key on one side are paired in id order with those of the
    other side, so every record appears exactly once. match_status: matched,
    missing_in_field (in the system, no paper checklist), missing_in_system (a paper
    checklist with no system record). Grain: one row per reconciled line. -#}
with checklists as (

    select * from {{ ref('stg_field__self_inspection_checklists') }}

),

inspections as (

    select * from {{ ref('stg_ehs__inspections') }}

),

facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

field_records as (

    select
        checklist_no,
        facility_id,
        inspected_on,
        inspector,
        source_line,
        {{ pair_rank(['facility_id', 'inspected_on'], 'checklist_no') }} as pair_rank
    from checklists

),

system_records as (

    select
        inspection_id,
        facility_id,
        inspected_on,
        inspector,
        source_line,
        {{ pair_rank(['facility_id', 'inspected_on'], 'inspection_id') }} as pair_rank
    from inspections
    where inspection_type = 'SELF_INSPECTION'

),

joined as (

    select
        {{ paired_keys('system_records', 'field_records', ['facility_id', 'inspected_on']) }},
        system_records.inspection_id,
        field_records.checklist_no,
        system_records.inspector as system_inspector,
        field_records.inspector as field_inspector,
        system_records.source_line as system_source_line,
        field_records.source_line as field_source_line
    from system_records
    full outer join field_records
        on {{ paired_on('system_records', 'field_records', ['facility_id', 'inspected_on']) }}

),

final as (

    select
        joined.facility_id
            || '@' || {{ dbt.cast('joined.inspected_on', dbt.type_string()) }}
            || '#' || {{ dbt.cast('joined.pair_rank', dbt.type_string()) }} as line_id,
        {{ quarter_label('joined.inspected_on') }} as period,
        facilities.site_id,
        joined.facility_id,
        joined.inspected_on,
        joined.pair_rank,
        joined.inspection_id,
        joined.checklist_no,
        {{ pairing_status('joined.inspection_id', 'joined.checklist_no') }} as match_status,
        joined.inspection_id is not null and joined.checklist_no is not null as is_match,
        joined.system_inspector,
        joined.field_inspector,
        joined.system_source_line,
        joined.field_source_line
    from joined
    inner join facilities
        on joined.facility_id = facilities.facility_id

)

select * from final
