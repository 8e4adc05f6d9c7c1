{#- Sites (사업장). One row per accepted site. -#}
with sites as (

    select * from {{ ref('stg_ehs__sites') }}

),

facilities as (

    select * from {{ ref('dim_facilities') }}

),

facility_counts as (

    select
        site_id,
        count(*) as facility_count,
        {#- sum() of integers is a 128-bit integer on DuckDB: cast to bigint, the type
            of the contract, which every BI driver reads. #}
        cast(sum(case when is_active then 1 else 0 end) as {{ dbt.type_bigint() }})
            as active_facility_count,
        cast(sum(case when is_active and current_risk_tier = 'HIGH' then 1 else 0 end)
            as {{ dbt.type_bigint() }}) as active_high_tier_facility_count
    from facilities
    group by site_id

),

final as (

    select
        sites.site_id,
        sites.site_name,
        sites.region,
        sites.ksic_code,
        coalesce(facility_counts.facility_count, 0) as facility_count,
        coalesce(facility_counts.active_facility_count, 0) as active_facility_count,
        coalesce(facility_counts.active_high_tier_facility_count, 0)
            as active_high_tier_facility_count
    from sites
    left join facility_counts
        on sites.site_id = facility_counts.site_id

)

select * from final
