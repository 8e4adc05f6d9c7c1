{#- The facts behind the repeat rule, one row per accepted finding: whether the inspector
    linked it to an earlier finding (repeat_of_finding_id set, to anything), and the
    nearest earlier accepted finding at the same facility with the same category (its date,
    id and the gap in days). Whether the gap makes a repeat depends on the
    repeat_window_days in force, so that comparison is made where the score is computed.
    Found via the previous distinct date per facility and category (no pairwise join). -#}
with findings as (

    select * from {{ ref('stg_ehs__findings') }}

),

finding_dates as (

    select
        facility_id,
        category,
        found_on,
        max(finding_id) as last_finding_id_on_date
    from findings
    group by facility_id, category, found_on

),

previous_dates as (

    select
        facility_id,
        category,
        found_on,
        lag(found_on) over (
            partition by facility_id, category order by found_on
        ) as previous_found_on,
        lag(last_finding_id_on_date) over (
            partition by facility_id, category order by found_on
        ) as previous_finding_id
    from finding_dates

),

final as (

    select
        findings.finding_id,
        findings.repeat_of_finding_id is not null as has_explicit_repeat_link,
        previous_dates.previous_finding_id as previous_same_category_finding_id,
        previous_dates.previous_found_on as previous_same_category_found_on,
        {{ days_between('previous_dates.previous_found_on', 'findings.found_on') }}
            as days_since_previous_same_category
    from findings
    inner join previous_dates
        on findings.facility_id = previous_dates.facility_id
        and findings.category = previous_dates.category
        and findings.found_on = previous_dates.found_on

)

select * from final
