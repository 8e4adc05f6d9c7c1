{#- ECO_FACTOR_INDEX's denominator: the value added per tonne of hazardous chemicals used
    (ECO_VALUE_PER_CHEM's formula, summed exactly as the quarter's own value is, so a
    base-year quarter's index against itself is exactly 1.0) over the months of each
    quarter's base-year quarter
    (int_eco_base_months), per site and for the company (site_id NULL, from all the sites'
    months, never averaged). One row per (period, site_id); a site without base-year
    months has no row. -#}
with base_months as (

    select * from {{ ref('int_eco_base_months') }}

),

final as (

    select
        period,
        site_id,
        {{ safe_ratio(exact_sum('value_added_krw_m'), exact_sum(kg_to_tonnes('hazardous_chem_use_kg'))) }}
            as value_per_chem
    from base_months
    {#- sqlfluff's duckdb grammar does not parse grouping sets (standard SQL, run on
        DuckDB and Spark): the lint skips this clause. #}
    group by grouping sets ((period, site_id), (period))  -- noqa: PRS

)

select * from final
