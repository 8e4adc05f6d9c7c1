{#- The same-category facts behind the repeat rule, one row per facility, category and
    date with an accepted finding: the nearest earlier date with an accepted finding at the
    same facility in the same category, the greatest finding id on that date, and the gap
    in days. Every finding of a facility, category and date has the same nearest earlier
    finding, so the scoring models join on those three columns (no join back to each
    finding here). The explicit link (repeat_of_finding_id) is a column of the finding
    itself, and whether the gap makes a repeat depends on the repeat_window_days in force:
    both are applied where the score is computed (macro repeat_rule). Found via the
    previous distinct date per facility and category (no pairwise join). -#}
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
        facility_id,
        category,
        found_on,
        previous_finding_id as previous_same_category_finding_id,
        previous_found_on as previous_same_category_found_on,
        {{ days_between('previous_found_on', 'found_on') }}
            as days_since_previous_same_category
    from previous_dates

)

select * from final
