{#- ECO_CHEM_INTENSITY (hazardous_chem_use_kg / production_t, both summed over the quarter's
    months) and ECO_VALUE_PER_CHEM (value_added_krw_m / (hazardous_chem_use_kg / 1000)).
    Production months are the events. ECO_FACTOR_INDEX is a ratio of two quarters' values,
    not a sum of events: it is assembled in kpi_quarterly from ECO_VALUE_PER_CHEM and the
    base-year quarter's value (int_eco_base_value_per_chem); its drill-down events are
    listed here (months of the quarter in the numerator, months of the base-year quarter,
    int_eco_base_months, in the denominator), each with its value added (numerator_value) and hazardous chemical use in
    tonnes (denominator_value): the index of any span of quarters is
    (sum over in_numerator rows of numerator_value / of denominator_value) /
    (the same over in_denominator rows), which the semantic layer computes. These values
    are not summed across both kinds of row anywhere. -#}
with production as (

    select * from {{ ref('stg_erp__production_months') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

base_months as (

    select * from {{ ref('int_eco_base_months') }}

),

months_in_quarter as (

    select
        production.*,
        quarters.period
    from production
    inner join quarters
        on {{ in_quarter('quarters', 'production.month') }}

),

intensity_events as (

    {{ kpi_event(
        kpi_code='ECO_CHEM_INTENSITY', period='period', site_id='site_id',
        event_type='production_month',
        event_id="site_id || '@' || " ~ dbt.cast('month', dbt.type_string()),
        event_date='month', facility_id='null', in_denominator='true', in_numerator='true',
        numerator_value='hazardous_chem_use_kg', denominator_value='production_t') }}
    from months_in_quarter

),

value_events as (

    {{ kpi_event(
        kpi_code='ECO_VALUE_PER_CHEM', period='period', site_id='site_id',
        event_type='production_month',
        event_id="site_id || '@' || " ~ dbt.cast('month', dbt.type_string()),
        event_date='month', facility_id='null', in_denominator='true', in_numerator='true',
        numerator_value='value_added_krw_m',
        denominator_value=kg_to_tonnes('hazardous_chem_use_kg')) }}
    from months_in_quarter

),

factor_events as (

    {{ kpi_event(
        kpi_code='ECO_FACTOR_INDEX', period='period', site_id='site_id',
        event_type='production_month',
        event_id="site_id || '@' || " ~ dbt.cast('month', dbt.type_string()),
        event_date='month', facility_id='null', in_denominator='false', in_numerator='true',
        numerator_value='value_added_krw_m',
        denominator_value=kg_to_tonnes('hazardous_chem_use_kg')) }}
    from months_in_quarter

    union all

    {{ kpi_event(
        kpi_code='ECO_FACTOR_INDEX', period='period', site_id='site_id',
        event_type='base_year_production_month',
        event_id="site_id || '@' || " ~ dbt.cast('month', dbt.type_string()),
        event_date='month', facility_id='null', in_denominator='true', in_numerator='false',
        numerator_value='value_added_krw_m',
        denominator_value=kg_to_tonnes('hazardous_chem_use_kg')) }}
    from base_months

),

final as (

    select * from intensity_events
    union all
    select * from value_events
    union all
    select * from factor_events

)

select * from final
