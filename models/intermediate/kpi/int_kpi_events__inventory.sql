{#- LEAD_INVENTORY_ACCURACY. Denominator: inventory lines at reference_date = quarter_end
    after the full outer join of system and field (int_inventory_reconciliation_lines); numerator:
    lines within tolerance. A line on one side only is a miss. Site = facility's site.
    LEAD_HIGH_HAZARD_COVERAGE (not in kpi_spec; guide §5, inventory item: coverage of
    high-hazard substances under management). Denominator: the same quarter-end lines whose
    substance is high-hazard (acute_toxic, chronic_toxic, eco_toxic or accident_precaution
    in substances.csv); numerator: those with a system line (under system management), so
    a high-hazard substance found in the field and missing in the system is the miss. -#}
with lines as (

    select * from {{ ref('int_inventory_reconciliation_lines') }}

),

substances as (

    select * from {{ ref('stg_ehs__substances') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

lines_at_quarter_end as (

    select
        lines.*,
        quarters.period as quarter_period
    from lines
    inner join quarters
        on lines.reference_date = quarters.quarter_end

),

high_hazard_lines as (

    select
        lines_at_quarter_end.*,
        lines_at_quarter_end.system_source_line is not null as is_in_system
    from lines_at_quarter_end
    inner join substances
        on lines_at_quarter_end.cas_no = substances.cas_no
    where substances.acute_toxic
       or substances.chronic_toxic
       or substances.eco_toxic
       or substances.accident_precaution

),

final as (

    {{ kpi_event(
        kpi_code='LEAD_INVENTORY_ACCURACY', period='quarter_period', site_id='site_id',
        event_type='inventory_line',
        event_id="facility_id || '|' || cas_no || '@' || " ~ dbt.cast('reference_date', dbt.type_string()),
        event_date='reference_date', facility_id='facility_id', in_denominator='true',
        in_numerator='is_match', numerator_value=flag('is_match'), denominator_value=1) }}
    from lines_at_quarter_end

    union all

    {{ kpi_event(
        kpi_code='LEAD_HIGH_HAZARD_COVERAGE', period='quarter_period', site_id='site_id',
        event_type='inventory_line',
        event_id="facility_id || '|' || cas_no || '@' || " ~ dbt.cast('reference_date', dbt.type_string()),
        event_date='reference_date', facility_id='facility_id', in_denominator='true',
        in_numerator='is_in_system', numerator_value=flag('is_in_system'),
        denominator_value=1) }}
    from high_hazard_lines

)

select * from final
