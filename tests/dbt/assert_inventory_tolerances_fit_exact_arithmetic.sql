-- The inventory tolerances of kpi_parameters fit the exact arithmetic of
-- macros/reconciliation/inventory_tolerance.sql, which reads a relative tolerance as a
-- decimal(9, 8) and the floor abs_tol_kg as a quantity (decimal(28, 10)): a relative
-- tolerance from 0 to 1 with at most 8 decimals, a floor from 0 below 10^18. A value
-- outside would be rounded (or, on Spark, read as NULL) before the comparison instead of
-- failing it. Returns each parameter row that does not fit.
with kpi_parameters as (

    select * from {{ ref('kpi_parameters') }}

),

tolerances as (

    select policy_version, parameter, parameter_value
    from kpi_parameters
    where parameter in ('abs_tol_kg', 'rel_tol', 'rel_tol_accident_precaution')

),

final as (

    select policy_version, parameter, parameter_value
    from tolerances
    where case
        when parameter_value is null or parameter_value < 0 then true
        when parameter = 'abs_tol_kg' then parameter_value >= 1000000000000000000
        when parameter_value > 1 then true
        else parameter_value <> cast(parameter_value as decimal(9, 8))
    end

)

select * from final
