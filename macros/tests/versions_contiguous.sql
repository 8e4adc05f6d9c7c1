{#- Versioned reference rows (valid_from inclusive, valid_to exclusive, NULL = open):
    within each `partition_by` group the versions never overlap and leave no gap. Fails
    for every version whose successor does not start exactly where it ends, for every
    version with valid_to <= valid_from, and for an open version that is not the last. -#}
{% test versions_contiguous(model, partition_by, valid_from='valid_from', valid_to='valid_to') %}

with versions as (

    select
        {{ partition_by }} as version_group,
        {{ valid_from }} as valid_from,
        {{ valid_to }} as valid_to,
        lead({{ valid_from }}) over (
            partition by {{ partition_by }} order by {{ valid_from }}
        ) as next_valid_from
    from {{ model }}

),

final as (

    select * from versions
    where valid_from is null
       or (valid_to is not null and valid_to <= valid_from)
       or (next_valid_from is not null and (valid_to is null or valid_to <> next_valid_from))

)

select * from final

{% endtest %}
