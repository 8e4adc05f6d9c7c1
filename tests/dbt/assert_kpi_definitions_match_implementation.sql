-- Every KPI the models compute has a definition sheet (reference seed kpi_definitions) and
-- every definition sheet has a KPI computed, with the same unit and family. Also checks the
-- codes actually present in kpi_quarterly. Returns each mismatch with what is wrong.
with implemented as (

    {%- for kpi in implemented_kpis() %}
    select '{{ kpi.code }}' as kpi_code, '{{ kpi.family }}' as family, '{{ kpi.unit }}' as unit
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

defined as (

    select kpi_code, family, unit from {{ ref('kpi_definitions') }}

),

computed as (

    select distinct kpi_code from {{ ref('kpi_quarterly') }}

),

final as (

    select
        coalesce(implemented.kpi_code, defined.kpi_code) as kpi_code,
        case
            when defined.kpi_code is null then 'computed but has no definition sheet'
            when implemented.kpi_code is null then 'has a definition sheet but is not computed'
            when computed.kpi_code is null then 'missing from kpi_quarterly'
            when implemented.unit <> defined.unit then 'unit differs: ' || implemented.unit || ' vs ' || defined.unit
            when implemented.family <> defined.family then 'family differs: ' || implemented.family || ' vs ' || defined.family
        end as problem
    from implemented
    full outer join defined
        on implemented.kpi_code = defined.kpi_code
    left join computed
        on coalesce(implemented.kpi_code, defined.kpi_code) = computed.kpi_code

)

select * from final
where problem is not null
