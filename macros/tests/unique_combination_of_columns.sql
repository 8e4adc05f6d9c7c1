{#- Fails for every combination of the given columns that occurs more than once
    (the composite-key test usually taken from dbt-utils, written here so the project
    needs no package download). NULL counts as equal to NULL, as in a GROUP BY.

    strategy 'hash' (the default): one GROUP BY. It holds every distinct combination in
    a hash table at once: fast, but at 10M findings the reconciliation lines' table did
    not fit DuckDB's 1200MB bound and the aggregate could not spill enough of it.
    strategy 'sort': each row is compared with the one before it in the order of the
    columns (a window partitioned by all columns but the last, ordered by the last): a
    sort, which the engines spill to disk, so the test runs within the memory bound
    whatever the row count; a few times slower on small tables. For the line-level facts
    that grow with the extracts. -#}
{% test unique_combination_of_columns(model, combination_of_columns, strategy='hash') %}
{%- if strategy not in ('hash', 'sort') -%}
    {{ exceptions.raise_compiler_error(
        "unique_combination_of_columns: strategy must be 'hash' or 'sort', not '"
        ~ strategy ~ "'") }}
{%- endif -%}
{%- set columns_csv = combination_of_columns | join(', ') -%}
{%- if strategy == 'hash' %}

with grouped as (

    select
        {{ columns_csv }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns_csv }}

),

final as (

    select * from grouped
    where occurrences > 1

)

select * from final
{%- else %}
{%- set partition_columns = combination_of_columns[:-1] -%}
{%- set last_column = combination_of_columns[-1] -%}
{%- set in_order -%}
    {% if partition_columns %}partition by {{ partition_columns | join(', ') }} {% endif -%}
    order by {{ last_column }}
{%- endset %}

with ordered as (

    select
        {{ columns_csv }},
        row_number() over ({{ in_order }}) as position_in_order,
        lag({{ last_column }}) over ({{ in_order }}) as previous_value
    from {{ model }}

),

repeated as (

    select {{ columns_csv }}
    from ordered
    where
        position_in_order > 1
        and {{ null_safe_equal(last_column, 'previous_value') }}

),

final as (

    select
        {{ columns_csv }},
        count(*) + 1 as occurrences
    from repeated
    group by {{ columns_csv }}

)

select * from final
{%- endif %}

{% endtest %}
