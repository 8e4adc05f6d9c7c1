{#- LAG_ADMIN_ACTIONS (administrative actions issued in the quarter) and LAG_FINES_KRW
    (sum of amount_krw over FINE actions issued in the quarter; a FINE without an amount adds
    nothing). Counts and sums: no denominator. -#}
with actions as (

    select * from {{ ref('stg_ehs__admin_actions') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

actions_in_quarter as (

    select
        actions.*,
        quarters.period
    from actions
    inner join quarters
        on {{ in_quarter('quarters', 'actions.issued_on') }}

),

action_events as (

    {{ kpi_event(
        kpi_code='LAG_ADMIN_ACTIONS', period='period', site_id='site_id',
        event_type='admin_action', event_id='action_id', event_date='issued_on',
        facility_id='null', in_denominator='null', in_numerator='true', numerator_value=1,
        denominator_value='null') }}
    from actions_in_quarter

),

fine_events as (

    {{ kpi_event(
        kpi_code='LAG_FINES_KRW', period='period', site_id='site_id', event_type='admin_action',
        event_id='action_id', event_date='issued_on', facility_id='null', in_denominator='null',
        in_numerator='true', numerator_value='coalesce(amount_krw, 0)',
        denominator_value='null') }}
    from actions_in_quarter
    where action_type = 'FINE'

),

final as (

    select * from action_events
    union all
    select * from fine_events

)

select * from final
