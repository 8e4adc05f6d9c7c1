{#- LEAD_CONTRACTOR_PREASSESS. Denominator: engagements starting in the quarter at
    facilities whose tier on start_on is HIGH. Numerator: the contractor has a PRE
    assessment with passed = true, assessed_on <= start_on and valid_until >= start_on. -#}
with engagements as (

    select * from {{ ref('stg_ehs__contractor_engagements') }}

),

assessments as (

    select * from {{ ref('stg_ehs__contractor_assessments') }}

),

facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

tier_history as (

    select * from {{ ref('int_facility_tier_history') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

high_tier_engagements as (

    select
        engagements.engagement_id,
        engagements.contractor_id,
        engagements.facility_id,
        facilities.site_id,
        engagements.start_on,
        quarters.period
    from engagements
    inner join quarters
        on {{ in_quarter('quarters', 'engagements.start_on') }}
    inner join facilities
        on engagements.facility_id = facilities.facility_id
    inner join tier_history
        on {{ high_tier_on('tier_history', 'engagements.facility_id', 'engagements.start_on') }}

),

valid_pre_assessments as (

    select distinct
        high_tier_engagements.engagement_id
    from high_tier_engagements
    inner join assessments
        on high_tier_engagements.contractor_id = assessments.contractor_id
    where assessments.assessment_type = 'PRE'
      and assessments.passed
      and assessments.assessed_on <= high_tier_engagements.start_on
      and assessments.valid_until >= high_tier_engagements.start_on

),

assessed as (

    select
        high_tier_engagements.*,
        valid_pre_assessments.engagement_id is not null as has_valid_pre_assessment
    from high_tier_engagements
    left join valid_pre_assessments
        on high_tier_engagements.engagement_id = valid_pre_assessments.engagement_id

),

final as (

    {{ kpi_event(
        kpi_code='LEAD_CONTRACTOR_PREASSESS', period='period', site_id='site_id',
        event_type='contractor_engagement', event_id='engagement_id', event_date='start_on',
        facility_id='facility_id', in_denominator='true',
        in_numerator='has_valid_pre_assessment',
        numerator_value=flag('has_valid_pre_assessment'), denominator_value=1) }}
    from assessed

)

select * from final
