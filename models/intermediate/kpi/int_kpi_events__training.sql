{#- LEAD_TRAINING_HIGH_RISK, LEAD_TRAINING_PASS (site = the record's site_id).
    High-risk training on time: records with due_on in the quarter and high_risk_group;
    numerator completed_on <= due_on. Pass: records with completed_on in the quarter and
    high_risk_group; numerator passed = true (NULL counts as false). -#}
with training as (

    select * from {{ ref('stg_lms__training_records') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

due_in_quarter as (

    select
        training.record_id,
        training.site_id,
        training.due_on,
        quarters.period,
        coalesce(training.completed_on <= training.due_on, false) as is_on_time
    from training
    inner join quarters
        on {{ in_quarter('quarters', 'training.due_on') }}
    where training.high_risk_group

),

completed_in_quarter as (

    select
        training.record_id,
        training.site_id,
        training.completed_on,
        quarters.period,
        coalesce(training.passed, false) as is_passed
    from training
    inner join quarters
        on {{ in_quarter('quarters', 'training.completed_on') }}
    where training.high_risk_group

),

on_time_events as (

    {{ kpi_event(
        kpi_code='LEAD_TRAINING_HIGH_RISK', period='period', site_id='site_id',
        event_type='training_record', event_id='record_id', event_date='due_on',
        facility_id='null', in_denominator='true', in_numerator='is_on_time',
        numerator_value=flag('is_on_time'), denominator_value=1) }}
    from due_in_quarter

),

pass_events as (

    {{ kpi_event(
        kpi_code='LEAD_TRAINING_PASS', period='period', site_id='site_id',
        event_type='training_record', event_id='record_id', event_date='completed_on',
        facility_id='null', in_denominator='true', in_numerator='is_passed',
        numerator_value=flag('is_passed'), denominator_value=1) }}
    from completed_in_quarter

),

final as (

    select * from on_time_events
    union all
    select * from pass_events

)

select * from final
