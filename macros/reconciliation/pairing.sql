{#- Record-level pairing of a system side and a field side (the self-inspection and training
    reconciliations). Records sharing a key are paired one to one in id order: each side
    numbers its records per key (pair_rank), and the two sides are full-outer-joined on the
    key plus pair_rank, so every record appears on exactly one line. The sides are CTEs
    named system_records and field_records with the same key column names. -#}

{#- The number of a record among those of its side with the same key, in id order. -#}
{% macro pair_rank(keys, order_by) -%}
    row_number() over (partition by {{ keys | join(', ') }} order by {{ order_by }})
{%- endmacro %}

{#- Select items: the line's key and pair_rank, from whichever side has the record. -#}
{% macro paired_keys(keys) -%}
    {%- for key in keys + ['pair_rank'] %}
        coalesce(system_records.{{ key }}, field_records.{{ key }}) as {{ key }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The full outer join of the two sides. -#}
{% macro full_outer_join_paired(keys) -%}
    from system_records
    full outer join field_records
        on
        {%- for key in keys %}
        system_records.{{ key }} = field_records.{{ key }} and
        {%- endfor %}
        system_records.pair_rank = field_records.pair_rank
{%- endmacro %}

{#- matched, missing_in_field (in the system only) or missing_in_system (field only). -#}
{% macro pairing_status(system_id, field_id) -%}
    case
        when {{ field_id }} is null then 'missing_in_field'
        when {{ system_id }} is null then 'missing_in_system'
        else 'matched'
    end
{%- endmacro %}
