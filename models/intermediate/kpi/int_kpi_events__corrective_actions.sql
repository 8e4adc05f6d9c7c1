{#- LEAD_CA_COMPLETION, LEAD_DRILL_CA_COMPLETION. Denominator: corrective actions with
    due_on in the quarter (all sources; DRILL only for the second). Numerator: completed_on
    <= due_on. Site = the site of the source (finding -> facility -> site, drill -> site,
    incident -> site, MOC change -> facility -> site). -#}
with actions as (

    select * from {{ ref('stg_ehs__corrective_actions') }}

),

findings as (

    select * from {{ ref('stg_ehs__findings') }}

),

drills as (

    select * from {{ ref('stg_ehs__drills') }}

),

incidents as (

    select * from {{ ref('stg_ehs__incidents') }}

),

changes as (

    select * from {{ ref('stg_ehs__moc_records') }}

),

facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

source_sites as (

    select 'FINDING' as source_type, findings.finding_id as source_id,
           facilities.site_id, findings.facility_id
    from findings
    inner join facilities on findings.facility_id = facilities.facility_id
    union all
    select 'DRILL' as source_type, drill_id as source_id, site_id, null as facility_id
    from drills
    union all
    select 'INCIDENT' as source_type, incident_id as source_id, site_id, facility_id
    from incidents
    union all
    select 'MOC' as source_type, changes.change_id as source_id, facilities.site_id,
           changes.facility_id
    from changes
    inner join facilities on changes.facility_id = facilities.facility_id

),

due_in_quarter as (

    select
        actions.action_id,
        actions.source_type,
        actions.due_on,
        source_sites.site_id,
        source_sites.facility_id,
        quarters.period,
        coalesce(actions.completed_on <= actions.due_on, false) as is_on_time
    from actions
    inner join quarters
        on {{ in_quarter('quarters', 'actions.due_on') }}
    inner join source_sites
        on actions.source_type = source_sites.source_type
        and actions.source_id = source_sites.source_id

),

all_source_events as (

    {{ kpi_event(
        kpi_code='LEAD_CA_COMPLETION', period='period', site_id='site_id',
        event_type='corrective_action', event_id='action_id', event_date='due_on',
        facility_id='facility_id', in_denominator='true', in_numerator='is_on_time',
        numerator_value=flag('is_on_time'), denominator_value=1) }}
    from due_in_quarter

),

drill_source_events as (

    {{ kpi_event(
        kpi_code='LEAD_DRILL_CA_COMPLETION', period='period', site_id='site_id',
        event_type='corrective_action', event_id='action_id', event_date='due_on',
        facility_id='facility_id', in_denominator='true', in_numerator='is_on_time',
        numerator_value=flag('is_on_time'), denominator_value=1) }}
    from due_in_quarter
    where source_type = 'DRILL'

),

final as (

    select * from all_source_events
    union all
    select * from drill_source_events

)

select * from final
