{#- The field-application checklist of the guide's §9 (reference seed field_checklist_items),
    per quarter and site: for each item, whether the extracts show the minimum criterion
    met, the recommended criterion met, or neither, with the evidence figures behind the
    verdict (fct_field_checklist_evidence, thresholds of field_checklist_thresholds in force
    on the quarter end). A level's status over its measures: not_met when any measure is
    not met, else not_evidenced when any cannot be judged, else met (verification: the
    same, with for_review before met). Verdict: neither when the minimum is not met;
    not_evidenced when the extracts cannot show the minimum (e.g. a signed safety pledge),
    whatever the recommended level shows; recommended_met when the minimum and the
    recommended criteria are met; else minimum_met. The verification status is shown
    beside the verdict and does not change it. Grain: one row per (period, site_id,
    item_code). -#}
with evidence as (

    select * from {{ ref('fct_field_checklist_evidence') }}

),

items as (

    select * from {{ ref('field_checklist_items') }}

),

level_status as (

    select
        period,
        quarter_end,
        site_id,
        item_code,
        criterion_level,
        case
            when sum(case when status = 'not_met' then 1 else 0 end) > 0 then 'not_met'
            when sum(case when status = 'not_evidenced' then 1 else 0 end) > 0 then 'not_evidenced'
            when sum(case when status = 'for_review' then 1 else 0 end) > 0 then 'for_review'
            else 'met'
        end as level_status,
        max(threshold_policy_version) as threshold_policy_version
    from evidence
    group by period, quarter_end, site_id, item_code, criterion_level

),

evidence_lines as (

    select
        period,
        site_id,
        item_code,
        case criterion_level when 'minimum' then 1 when 'recommended' then 2 else 3 end
            as level_order,
        measure_code,
        criterion_level || ' ' || measure_code || ' = '
            || coalesce({{ number_text('value', 4) }}, '-')
            || case
                when denominator is null then ''
                else ' (' || cast(cast(numerator as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
                    || '/' || cast(cast(denominator as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
                    || ')'
            end
            || case
                when comparator is null then ''
                else ' ' || comparator || ' ' || {{ number_text('threshold_value', 10) }}
            end
            || ': ' || status as evidence_line
    from evidence

),

evidence_text as (

    select
        period,
        site_id,
        item_code,
        {{ dbt.listagg('evidence_line', "'; '", 'order by level_order, measure_code') }}
            as evidence_summary
    from evidence_lines
    group by period, site_id, item_code

),

pivoted as (

    select
        period,
        quarter_end,
        site_id,
        item_code,
        max(case when criterion_level = 'minimum' then level_status end) as minimum_status,
        max(case when criterion_level = 'recommended' then level_status end) as recommended_status,
        max(case when criterion_level = 'verification' then level_status end) as verification_status,
        max(threshold_policy_version) as threshold_policy_version
    from level_status
    group by period, quarter_end, site_id, item_code

),

final as (

    select
        pivoted.period,
        pivoted.quarter_end,
        pivoted.site_id,
        pivoted.item_code,
        items.display_order,
        items.name_ko,
        items.name_en,
        pivoted.minimum_status,
        pivoted.recommended_status,
        pivoted.verification_status,
        case
            when pivoted.minimum_status = 'not_met' then 'neither'
            when pivoted.minimum_status = 'not_evidenced' then 'not_evidenced'
            when pivoted.recommended_status = 'met' then 'recommended_met'
            else 'minimum_met'
        end as verdict,
        case
            when pivoted.minimum_status = 'not_met' then '미충족 · neither criterion met'
            when pivoted.minimum_status = 'not_evidenced'
                then '추출자료로 확인 불가 · not evidenced by the extracts'
            when pivoted.recommended_status = 'met' then '권장 기준 충족 · recommended met'
            else '최소 기준 충족 · minimum met'
        end as verdict_label,
        evidence_text.evidence_summary,
        pivoted.threshold_policy_version
    from pivoted
    inner join items
        on pivoted.item_code = items.item_code
    inner join evidence_text
        on pivoted.period = evidence_text.period
        and pivoted.site_id = evidence_text.site_id
        and pivoted.item_code = evidence_text.item_code

)

select * from final
