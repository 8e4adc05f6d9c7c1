-- The parameters that macros/cross_db/exact_decimal.sql multiplies fit its exact
-- arithmetic, which reads a rate with exact_rate (decimal(9, 8)) and a quantity with
-- exact_quantity (decimal(28, 10)):
-- the inventory's relative tolerances and PSE's tier2_tq_fraction from 0 to 1 with at most
-- 8 decimals; the inventory floor abs_tol_kg and the threshold quantities from 0 below
-- 10^18. A value outside would be rounded (or, on Spark, read as NULL) before the
-- comparison instead of failing it. Returns each parameter row that does not fit.
with kpi_parameters as (

    select * from {{ ref('kpi_parameters') }}

),

multiplied as (

    select
        policy_version,
        parameter,
        parameter_value,
        parameter in ('rel_tol', 'rel_tol_accident_precaution', 'tier2_tq_fraction') as is_rate
    from kpi_parameters
    where parameter in ('rel_tol', 'rel_tol_accident_precaution', 'tier2_tq_fraction',
                        'abs_tol_kg')
        or parameter like 'tq_kg_release_category_%'

),

final as (

    select policy_version, parameter, parameter_value
    from multiplied
    where case
        when parameter_value is null or parameter_value < 0 then true
        when not is_rate then parameter_value >= 1000000000000000000
        when parameter_value > 1 then true
        else parameter_value <> {{ exact_rate('parameter_value') }}
    end

)

select * from final
