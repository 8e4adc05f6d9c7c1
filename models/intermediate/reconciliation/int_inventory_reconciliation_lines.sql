{#- Inventory record accuracy at line level (domain.md "Reconciliation conventions",
    kpi_spec "Inventory tolerance"): the system quantities (inventory_system.csv) and the
    physical counts (inventory_field.csv) fully outer-joined on (reference_date,
    facility_id, cas_no); a count is matched to the system by reference_date alone. A line
    matches when both sides exist and |counted_kg - quantity_kg| <= max(abs_tol_kg, rel_tol *
    quantity_kg), with rel_tol_accident_precaution for accident-precaution substances and
    the tolerances in force on the reference date, in exact decimal arithmetic on every
    engine (macros/cross_db/exact_decimal.sql). Lines on one
    side only never match (missing_in_field / missing_in_system); variances are never
    netted. A quarter-end line out of tolerance at this and the previous quarter end is
    escalated (is_escalated). Grain: one row per line (reference_date, facility_id, cas_no). -#}
with system_lines as (

    select * from {{ ref('stg_erp__inventory_balances') }}

),

field_lines as (

    select * from {{ ref('stg_field__inventory_counts') }}

),

substances as (

    select * from {{ ref('stg_ehs__substances') }}

),

facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

kpi_parameters as (

    select * from {{ ref('kpi_parameters') }}

),

joined as (

    select
        coalesce(system_lines.reference_date, field_lines.reference_date) as reference_date,
        coalesce(system_lines.facility_id, field_lines.facility_id) as facility_id,
        coalesce(system_lines.cas_no, field_lines.cas_no) as cas_no,
        system_lines.quantity_kg,
        system_lines.max_instant_kg,
        field_lines.counted_kg,
        field_lines.counted_on,
        field_lines.counted_by,
        field_lines.sheet_no,
        system_lines.source_line as system_source_line,
        field_lines.source_line as field_source_line
    from system_lines
    full outer join field_lines
        on system_lines.reference_date = field_lines.reference_date
        and system_lines.facility_id = field_lines.facility_id
        and system_lines.cas_no = field_lines.cas_no

),

reference_dates as (

    select distinct reference_date from joined

),

tolerances_in_force as (

    select
        reference_dates.reference_date,
        kpi_parameters.parameter,
        kpi_parameters.parameter_value,
        kpi_parameters.policy_version
    from reference_dates
    left join kpi_parameters
        on kpi_parameters.parameter in ('abs_tol_kg', 'rel_tol', 'rel_tol_accident_precaution')
        and {{ in_force('kpi_parameters', 'reference_dates.reference_date') }}

),

tolerances as (

    select
        reference_date,
        {{ pivot_parameters('tolerances_in_force',
                            ['abs_tol_kg', 'rel_tol', 'rel_tol_accident_precaution']) }},
        max(case when parameter = 'rel_tol' then policy_version end) as tolerance_policy_version
    from tolerances_in_force
    group by reference_date

),

with_tolerance as (

    select
        joined.*,
        facilities.site_id,
        coalesce(substances.accident_precaution, false) as is_accident_precaution,
        case
            when coalesce(substances.accident_precaution, false)
                then cast(tolerances.rel_tol_accident_precaution as decimal(12, 9))
            else cast(tolerances.rel_tol as decimal(12, 9))
        end as rel_tol_applied,
        cast(tolerances.abs_tol_kg as {{ type_quantity() }}) as abs_tol_kg,
        tolerances.tolerance_policy_version
    from joined
    inner join tolerances
        on joined.reference_date = tolerances.reference_date
    inner join facilities
        on joined.facility_id = facilities.facility_id
    left join substances
        on joined.cas_no = substances.cas_no

),

measured as (

    select
        with_tolerance.*,
        {{ exact_difference_kg('counted_kg', 'quantity_kg') }} as difference_kg,
        abs({{ exact_difference_kg('counted_kg', 'quantity_kg') }}) as abs_difference_kg,
        {{ inventory_tolerance_kg('rel_tol_applied', 'quantity_kg', 'abs_tol_kg') }}
            as tolerance_kg
    from with_tolerance

),

classified as (

    select
        measured.*,
        case
            when quantity_kg is null then 'missing_in_system'
            when counted_kg is null then 'missing_in_field'
            when abs_difference_kg <= tolerance_kg then 'matched'
            else 'out_of_tolerance'
        end as match_status
    from measured

),

with_previous as (

    select
        current_line.*,
        previous_line.match_status as previous_quarter_status
    from classified as current_line
    left join classified as previous_line
        on current_line.facility_id = previous_line.facility_id
        and current_line.cas_no = previous_line.cas_no
        and previous_line.reference_date
            = {{ dbt.dateadd('day', -1, dbt.date_trunc('quarter', 'current_line.reference_date')) }}
        and current_line.reference_date = {{ quarter_end('current_line.reference_date') }}

),

final as (

    select
        reference_date,
        {{ quarter_label('reference_date') }} as period,
        reference_date = {{ quarter_end('reference_date') }} as is_quarter_end,
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
        quantity_kg is not null and counted_kg is not null
            and abs_difference_kg <= tolerance_kg as is_match,
        max_instant_kg,
        counted_on,
        counted_by,
        sheet_no,
        previous_quarter_status,
        coalesce(
            match_status = 'out_of_tolerance'
            and previous_quarter_status = 'out_of_tolerance',
            false
        ) as is_escalated,
        system_source_line,
        field_source_line
    from with_previous

)

select * from final
