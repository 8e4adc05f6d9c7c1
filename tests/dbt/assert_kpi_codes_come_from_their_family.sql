-- Each KPI code is emitted only by the events model of the family its definition sheet
-- (reference seed kpi_definitions) names: int_kpi_events__<family>. One check across the
-- models against the seed, instead of a test per model restating the codes its own SQL
-- writes. Returns every (events model, kpi_code) that breaks it.
{%- set families = kpi_event_families() %}
with definitions as (

    select kpi_code, family from {{ ref('kpi_definitions') }}

),

emitted as (

    {%- for family in families %}
    select distinct '{{ family }}' as events_family, kpi_code
    from {{ ref('int_kpi_events__' ~ family) }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        emitted.events_family,
        emitted.kpi_code,
        definitions.family as defined_family
    from emitted
    left join definitions
        on emitted.kpi_code = definitions.kpi_code
    where definitions.family is null
        or definitions.family <> emitted.events_family

)

select * from final
