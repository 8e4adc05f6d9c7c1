{#- LEAD_INVENTORY_ACCURACY. Denominator: inventory lines at reference_date = quarter_end
    after the full outer join of system and field (fct_inventory_reconciliation); numerator:
    lines within tolerance. A line on one side only is a miss. Site = facility's site. -#}
with lines as (

    select * from {{ ref('fct_inventory_reconciliation') }}

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

final as (

    {{ kpi_event('LEAD_INVENTORY_ACCURACY', 'quarter_period', 'site_id', 'inventory_line',
                 "facility_id || '|' || cas_no || '@' || " ~ dbt.cast('reference_date', dbt.type_string()),
                 'reference_date', 'facility_id', 'true', 'is_match', flag('is_match'), 1) }}
    from lines_at_quarter_end

)

select * from final
