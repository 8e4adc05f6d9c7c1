{#- The indicator definition sheets (지표 정의서) as a mart: one row per KPI code, from the
    versioned reference seed kpi_definitions (purpose, scope, exclusions, numerator,
    denominator, data source, formula, weight basis, unit, direction, cycle, owner, approver,
    revision, sampling rule, framework mapping, and how a year's figure follows from the
    quarters: rollup_rule / rollup_note). Join to kpi_quarterly on kpi_code. -#}
with definitions as (

    select * from {{ ref('kpi_definitions') }}

),

final as (

    select
        kpi_code,
        family,
        'models/intermediate/kpi/int_kpi_events__' || family || '.sql' as computed_in,
        indicator_type,
        name_ko,
        name_en,
        purpose,
        scope,
        exclusions,
        numerator,
        denominator,
        data_source,
        formula,
        weight_basis,
        unit,
        direction,
        collection_cycle,
        owner,
        approver,
        revision,
        effective_date,
        revision_note,
        sampling_rule,
        kesg_item,
        gri_disclosure,
        sasb_code,
        esrs_datapoint,
        tier_focus,
        rollup_rule,
        rollup_note
    from definitions

)

select * from final
