{#- Record-level pairing of a system side and a field side (the self-inspection and training
    reconciliations). Records sharing a key are paired one to one in id order: each side
    numbers its records per key (pair_rank), and the model full-outer-joins the two sides on
    the key plus pair_rank (paired_on), so every record appears on exactly one line. The
    macros only write expressions over the two relations the model names; the model writes
    its own FROM and JOIN. -#}

{#- The number of a record among those of its side with the same key, in id order. -#}
{% macro pair_rank(keys, order_by) -%}
    cast(row_number() over (partition by {{ keys | join(', ') }} order by {{ order_by }}) as {{ dbt.type_bigint() }})
{%- endmacro %}

{#- Select items: the line's key and pair_rank, from whichever side has the record. -#}
{% macro paired_keys(system_alias, field_alias, keys) -%}
    {%- for key in keys + ['pair_rank'] %}
        coalesce({{ system_alias }}.{{ key }}, {{ field_alias }}.{{ key }}) as {{ key }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Join condition of the full outer join of the two sides: the same key and pair_rank. -#}
{% macro paired_on(system_alias, field_alias, keys) -%}
    {%- for key in keys %}
    {{ system_alias }}.{{ key }} = {{ field_alias }}.{{ key }} and
    {%- endfor %}
    {{ system_alias }}.pair_rank = {{ field_alias }}.pair_rank
{%- endmacro %}

{#- matched, missing_in_field (in the system only) or missing_in_system (field only). -#}
{% macro pairing_status(system_id, field_id) -%}
    case
        when {{ field_id }} is null then 'missing_in_field'
        when {{ system_id }} is null then 'missing_in_system'
        else 'matched'
    end
{%- endmacro %}
