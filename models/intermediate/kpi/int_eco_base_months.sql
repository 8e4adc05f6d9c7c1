{#- The production months of each quarter's ECO base-year quarter (int_eco_base_quarters):
    one row per (period, site_id, month). The one place the base period meets the
    production months: the ECO_FACTOR_INDEX denominator events and the base values
    (int_eco_base_value_per_chem) read it. -#}
with production as (

    select * from {{ ref('stg_erp__production_months') }}

),

base_quarters as (

    select * from {{ ref('int_eco_base_quarters') }}

),

final as (

    select
        base_quarters.period,
        production.site_id,
        production.month,
        production.value_added_krw_m,
        production.hazardous_chem_use_kg
    from production
    inner join base_quarters
        on production.month >= base_quarters.base_quarter_start
        and production.month <= base_quarters.base_quarter_end

)

select * from final
