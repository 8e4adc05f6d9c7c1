{#- Inventory record accuracy at line level, for analysts and auditors: the lines computed
    once in int_inventory_reconciliation_lines (which the inventory KPI events read too),
    published with their grain (reference_date, facility_id, cas_no). The kg differences and
    the tolerance are cast to the contract's decimal(38, 10): the scale an engine infers for
    decimal arithmetic differs (DuckDB 10, Spark 9 and 6). -#}
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
        cast(difference_kg as decimal(38, 10)) as difference_kg,
        cast(abs_difference_kg as decimal(38, 10)) as abs_difference_kg,
        abs_tol_kg,
        rel_tol_applied,
        cast(tolerance_kg as decimal(38, 10)) as tolerance_kg,
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
