{#- Accepted rows of small_quantity_calcs.csv (소량기준·혼합물 산정): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__small_quantity_calcs') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        calc_id,
        facility_id,
        cas_no,
        mixture_name,
        concentration_pct,
        max_instant_kg,
        calculated_on,
        basis_doc_id,
        reviewed_on,
        review_conforming,
        _line as source_line
    from accepted

)

select * from final
