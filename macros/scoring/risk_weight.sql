{#- The risk weight of a facility's tier under the weight policy in force (kpi_spec
    "Finding score": the LOW / MEDIUM / HIGH weights of the approved seed
    scoring_risk_weights, as columns risk_weight_low / _medium / _high of the policy
    relation, int_scoring_policy_dates). The one place the tier -> weight rule is written:
    fct_findings, int_finding_quarter_snapshots and the self-inspection coverage weights
    call it. -#}
{% macro risk_weight(risk_tier, policy) -%}
    case {{ risk_tier }}
            when 'LOW' then {{ policy }}.risk_weight_low
            when 'MEDIUM' then {{ policy }}.risk_weight_medium
            when 'HIGH' then {{ policy }}.risk_weight_high
        end
{%- endmacro %}
