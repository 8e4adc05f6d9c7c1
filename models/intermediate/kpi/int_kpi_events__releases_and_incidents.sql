{#- LAG_RELEASES (incidents in the quarter of type LEAK or SPILL), LAG_RELEASES_OFFSITE
    (of those, impact_scope OFF_SITE or ENVIRONMENT), LAG_RELEASED_KG (sum of released_kg over
    those LEAK and SPILL incidents), LAG_REPORTABLE (incidents in the quarter with
    legally_reportable = true). Counts and sums: no denominator. Site = incident's site. -#}
with incidents as (

    select * from {{ ref('stg_ehs__incidents') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

incidents_in_quarter as (

    select
        incidents.*,
        quarters.period,
        incidents.incident_type in ('LEAK', 'SPILL') as is_release,
        incidents.impact_scope in ('OFF_SITE', 'ENVIRONMENT') as is_offsite
    from incidents
    inner join quarters
        on {{ in_quarter('quarters', 'incidents.occurred_on') }}

),

release_events as (

    {{ kpi_event(
        kpi_code='LAG_RELEASES', period='period', site_id='site_id', event_type='incident',
        event_id='incident_id', event_date='occurred_on', facility_id='facility_id',
        in_denominator='null', in_numerator='true', numerator_value=1,
        denominator_value='null') }}
    from incidents_in_quarter
    where is_release

),

offsite_events as (

    {{ kpi_event(
        kpi_code='LAG_RELEASES_OFFSITE', period='period', site_id='site_id',
        event_type='incident', event_id='incident_id', event_date='occurred_on',
        facility_id='facility_id', in_denominator='null', in_numerator='true',
        numerator_value=1, denominator_value='null') }}
    from incidents_in_quarter
    where is_release and is_offsite

),

released_kg_events as (

    {{ kpi_event(
        kpi_code='LAG_RELEASED_KG', period='period', site_id='site_id', event_type='incident',
        event_id='incident_id', event_date='occurred_on', facility_id='facility_id',
        in_denominator='null', in_numerator='true', numerator_value='released_kg',
        denominator_value='null') }}
    from incidents_in_quarter
    where is_release

),

reportable_events as (

    {{ kpi_event(
        kpi_code='LAG_REPORTABLE', period='period', site_id='site_id', event_type='incident',
        event_id='incident_id', event_date='occurred_on', facility_id='facility_id',
        in_denominator='null', in_numerator='true', numerator_value=1,
        denominator_value='null') }}
    from incidents_in_quarter
    where legally_reportable

),

final as (

    select * from release_events
    union all
    select * from offsite_events
    union all
    select * from released_kg_events
    union all
    select * from reportable_events

)

select * from final
