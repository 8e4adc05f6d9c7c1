-- LEAD_INVENTORY_ACCURACY and the inventory reconciliation summary are the same figure:
-- every (period, site) value of the KPI equals the summary's hit rate, numerator its
-- matched lines and denominator its lines. Returns each disagreement.
with kpi as (

    select * from {{ ref('kpi_quarterly') }}
    where kpi_code = 'LEAD_INVENTORY_ACCURACY'

),

summary as (

    select * from {{ ref('fct_reconciliation_quarter_summary') }}
    where reconciliation = 'inventory'

),

final as (

    select kpi.period, kpi.site_id, kpi.numerator, summary.matched, kpi.denominator,
           summary.lines_total, kpi.value, summary.hit_rate
    from kpi
    left join summary
        on kpi.period = summary.period
        and (kpi.site_id = summary.site_id or (kpi.site_id is null and summary.site_id is null))
    where summary.period is null
       or kpi.numerator <> summary.matched
       or kpi.denominator <> summary.lines_total
       or coalesce(abs(kpi.value - summary.hit_rate) > 1e-12,
                   (kpi.value is null) <> (summary.hit_rate is null))

)

select * from final
