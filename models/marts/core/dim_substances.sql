{#- Substances (물질 정보) with their hazard classes and flags. One row per CAS number. -#}
with substances as (

    select * from {{ ref('stg_ehs__substances') }}

),

final as (

    select
        cas_no,
        name_ko,
        name_en,
        acute_toxic,
        chronic_toxic,
        eco_toxic,
        acute_toxic or chronic_toxic or eco_toxic as is_hazardous,
        accident_precaution,
        esg_concern,
        small_quantity_threshold_kg,
        release_category
    from substances

)

select * from final
