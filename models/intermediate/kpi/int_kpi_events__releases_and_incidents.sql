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

    {{ kpi_event('LAG_RELEASES', 'period', 'site_id', 'incident', 'incident_id',
                 'occurred_on', 'facility_id', 'null', 'true', 1, 'null') }}
    from incidents_in_quarter
    where is_release

),

offsite_events as (

    {{ kpi_event('LAG_RELEASES_OFFSITE', 'period', 'site_id', 'incident', 'incident_id',
                 'occurred_on', 'facility_id', 'null', 'true', 1, 'null') }}
    from incidents_in_quarter
    where is_release and is_offsite

),

released_kg_events as (

    {{ kpi_event('LAG_RELEASED_KG', 'period', 'site_id', 'incident', 'incident_id',
                 'occurred_on', 'facility_id', 'null', 'true', 'released_kg', 'null') }}
    from incidents_in_quarter
    where is_release

),

reportable_events as (

    {{ kpi_event('LAG_REPORTABLE', 'period', 'site_id', 'incident', 'incident_id',
                 'occurred_on', 'facility_id', 'null', 'true', 1, 'null') }}
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
