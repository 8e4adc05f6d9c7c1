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

    {{ kpi_event('LAG_ADMIN_ACTIONS', 'period', 'site_id', 'admin_action', 'action_id',
                 'issued_on', 'null', 'null', 'true', 1, 'null') }}
    from actions_in_quarter

),

fine_events as (

    {{ kpi_event('LAG_FINES_KRW', 'period', 'site_id', 'admin_action', 'action_id',
                 'issued_on', 'null', 'null', 'true', 'coalesce(amount_krw, 0)', 'null') }}
    from actions_in_quarter
    where action_type = 'FINE'

),

final as (

    select * from action_events
    union all
    select * from fine_events

)

select * from final
