{{ config(materialized='view') }}
{#- The population of a quarter's reconciliation, one definition for the quarterly summary
    and the audit sample: every reconciled line of the three reconciliations in the
    quarter it counts in, matched lines and exceptions alike. Inventory: the lines at
    reference_date = quarter_end (other reference dates count nowhere); self-inspection and
    training: the lines dated in the quarter. Columns that a reconciliation does not have
    are NULL (false for the flags). Grain: one row per (reconciliation, period, line_key).
    A view (its readers aggregate or rank it); the serving file holds it as a table, so the
    control SQL printed in the auditor report runs there. -#}
with inventory as (

    select * from {{ ref('fct_inventory_reconciliation') }}

),

self_inspection as (

    select * from {{ ref('fct_self_inspection_reconciliation') }}

),

training as (

    select * from {{ ref('fct_training_reconciliation') }}

),

quarters as (

    select * from {{ ref('dim_quarters') }}

),

inventory_lines as (

    select
        'inventory' as reconciliation,
        quarters.period,
        quarters.quarter_end,
        inventory.site_id,
        inventory.facility_id,
        inventory.reference_date as line_date,
        inventory.facility_id || '|' || inventory.cas_no as line_key,
        inventory.cas_no as item_code,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as system_record_id,
        inventory.sheet_no as field_record_id,
        inventory.quantity_kg,
        inventory.counted_kg,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as system_inspector,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as field_inspector,
        inventory.match_status,
        inventory.is_accident_precaution,
        inventory.is_escalated,
        inventory.system_source_line,
        inventory.field_source_line
    from inventory
    inner join quarters
        on inventory.reference_date = quarters.quarter_end

),

self_inspection_lines as (

    select
        'self_inspection' as reconciliation,
        quarters.period,
        quarters.quarter_end,
        self_inspection.site_id,
        self_inspection.facility_id,
        self_inspection.inspected_on as line_date,
        self_inspection.line_id as line_key,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as item_code,
        self_inspection.inspection_id as system_record_id,
        self_inspection.checklist_no as field_record_id,
        {{ dbt.safe_cast('null', type_quantity()) }} as quantity_kg,
        {{ dbt.safe_cast('null', type_quantity()) }} as counted_kg,
        self_inspection.system_inspector,
        self_inspection.field_inspector,
        self_inspection.match_status,
        false as is_accident_precaution,
        false as is_escalated,
        self_inspection.system_source_line,
        self_inspection.field_source_line
    from self_inspection
    inner join quarters
        on self_inspection.period = quarters.period

),

training_lines as (

    select
        'training' as reconciliation,
        quarters.period,
        quarters.quarter_end,
        training.site_id,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as facility_id,
        training.trained_on as line_date,
        training.line_id as line_key,
        training.course_code as item_code,
        training.record_id as system_record_id,
        training.sheet_no as field_record_id,
        {{ dbt.safe_cast('null', type_quantity()) }} as quantity_kg,
        {{ dbt.safe_cast('null', type_quantity()) }} as counted_kg,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as system_inspector,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as field_inspector,
        training.match_status,
        false as is_accident_precaution,
        false as is_escalated,
        training.system_source_line,
        training.field_source_line
    from training
    inner join quarters
        on training.period = quarters.period

),

final as (

    select * from inventory_lines
    union all
    select * from self_inspection_lines
    union all
    select * from training_lines

)

select * from final
