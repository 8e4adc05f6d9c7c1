-- The definition sheets (reference seed kpi_definitions) are the KPI catalogue: kpi_quarterly
-- reports one row per sheet. So every sheet's KPI must be computed, by the events model of
-- its family (int_kpi_events__<family>, whose code names the KPI: read from dbt's graph, so
-- that a KPI without events on a small drop still counts as computed), and every KPI the
-- events models emit must have a sheet. Returns each mismatch with what is wrong.
{%- set written = [] -%}
{%- if execute -%}
    {%- for family in kpi_event_families() -%}
        {%- set node = graph.nodes.get('model.' ~ project_name ~ '.int_kpi_events__' ~ family) -%}
        {%- if node is none -%}
            {{ exceptions.raise_compiler_error("kpi_event_families() names '" ~ family ~ "' but there is no model int_kpi_events__" ~ family) }}
        {%- endif -%}
        {%- for code in modules.re.findall("'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'", node.raw_code) | unique -%}
            {%- do written.append({'family': family, 'code': code}) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif %}
with defined as (

    select kpi_code, family from {{ ref('kpi_definitions') }}

),

written as (

    {%- for row in written %}
    select '{{ row.family }}' as family, '{{ row.code }}' as kpi_code
    union all
    {%- endfor %}
    select
        {{ dbt.safe_cast('null', dbt.type_string()) }} as family,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as kpi_code
    where 1 = 0

),

emitted as (

    select distinct kpi_code from {{ ref('fct_kpi_events') }}

),

final as (

    select
        defined.kpi_code,
        'has a definition sheet but int_kpi_events__' || defined.family || ' does not compute it'
            as problem
    from defined
    left join written
        on defined.kpi_code = written.kpi_code
        and defined.family = written.family
    where written.kpi_code is null

    union all

    select
        emitted.kpi_code,
        'computed but has no definition sheet' as problem
    from emitted
    left join defined
        on emitted.kpi_code = defined.kpi_code
    where defined.kpi_code is null

)

select * from final
