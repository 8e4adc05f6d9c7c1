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
        sum(case when is_active then 1 else 0 end) as active_facility_count,
        sum(case when is_active and current_risk_tier = 'HIGH' then 1 else 0 end)
            as active_high_tier_facility_count
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
