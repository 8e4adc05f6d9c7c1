{#- The repeat rule of kpi_spec "Finding score", written once: a finding is a repeat when
    it is explicitly linked to an earlier finding, or when an earlier finding of the same
    category at the same facility was found at most repeat_window_days before it (the
    window of the policy version in force; days from int_finding_repeats, joined on
    facility, category and found_on). fct_findings and
    int_finding_quarter_snapshots call these. -#}
{% macro within_repeat_window(days_since_previous, repeat_window_days) -%}
    coalesce({{ days_since_previous }} <= {{ repeat_window_days }}, false)
{%- endmacro %}

{#- Which part of the rule makes the finding a repeat ('explicit_link' first: the
    finding's repeat_of_finding_id is set, to anything, resolving or not), NULL when none
    does; `is not null` on it is the rule itself. -#}
{% macro repeat_rule(repeat_of_finding_id, days_since_previous, repeat_window_days) -%}
    case
            when {{ repeat_of_finding_id }} is not null then 'explicit_link'
            when {{ within_repeat_window(days_since_previous, repeat_window_days) }}
                then 'same_category_window'
        end
{%- endmacro %}
