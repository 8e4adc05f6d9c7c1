{#- "Tier of facility F on date d": join condition to int_facility_tier_history, whose
    rows are the intervals [valid_from, valid_to) of each facility's tier (valid_from NULL
    = since always, for the precautionary unassessed HIGH interval; valid_to NULL = still
    in force). Every model that needs a tier on a date uses this. -#}
{% macro facility_tier_on(history_alias, facility_id, on_date) -%}
    {{ history_alias }}.facility_id = {{ facility_id }}
    and ({{ history_alias }}.valid_from is null or {{ history_alias }}.valid_from <= {{ on_date }})
    and ({{ history_alias }}.valid_to is null or {{ on_date }} < {{ history_alias }}.valid_to)
{%- endmacro %}

{#- The tier rule of kpi_spec.md, thresholds from the policy in force, written once. It
    names the branch that decides (so the tier and the rule that made it are both read from
    it, never re-derived): 'high_points', 'hazard_override', 'medium_points', 'low_points'.
    risk_tier_of_branch() turns a branch into the tier. -#}
{% macro risk_tier_branch(risk_points, substance_hazard_points, protection_weakness_points,
                          high_min_points, medium_min_points, override_min_protection_weakness) -%}
    case
        when {{ risk_points }} >= {{ high_min_points }} then 'high_points'
        when {{ substance_hazard_points }} = 3
             and {{ protection_weakness_points }} >= {{ override_min_protection_weakness }} then 'hazard_override'
        when {{ risk_points }} >= {{ medium_min_points }} then 'medium_points'
        else 'low_points'
    end
{%- endmacro %}

{% macro risk_tier_of_branch(branch) -%}
    case {{ branch }}
            when 'high_points' then 'HIGH'
            when 'hazard_override' then 'HIGH'
            when 'medium_points' then 'MEDIUM'
            else 'LOW'
        end
{%- endmacro %}
