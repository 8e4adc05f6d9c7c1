{#- Inventory record accuracy at line level, for analysts and auditors: the lines computed
    once in int_inventory_reconciliation_lines (which the inventory KPI events read too),
    published with their grain (reference_date, facility_id, cas_no). -#}
with lines as (

    select * from {{ ref('int_inventory_reconciliation_lines') }}

),

final as (

    select
        reference_date,
        period,
        is_quarter_end,
        site_id,
        facility_id,
        cas_no,
        is_accident_precaution,
        quantity_kg,
        counted_kg,
        difference_kg,
        abs_difference_kg,
        abs_tol_kg,
        rel_tol_applied,
        tolerance_kg,
        tolerance_policy_version,
        match_status,
        is_match,
        max_instant_kg,
        counted_on,
        counted_by,
        sheet_no,
        previous_quarter_status,
        is_escalated,
        system_source_line,
        field_source_line
    from lines

)

select * from final
