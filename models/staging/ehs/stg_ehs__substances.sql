{#- Accepted rows of substances.csv (물질 정보): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__substances') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        cas_no,
        name_ko,
        name_en,
        acute_toxic,
        chronic_toxic,
        eco_toxic,
        accident_precaution,
        small_quantity_threshold_kg,
        esg_concern,
        release_category,
        _line as source_line
    from accepted

)

select * from final
