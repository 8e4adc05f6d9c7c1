{#- Training records: the field sign-in sheets (training_signin.csv) vs the LMS completions
    (training_records.csv rows with completed_on set), reconciled on (employee_key,
    course_code, completed_on = session_on); employee numbers only as keyed hash, the same
    key on both sides. Several records with the same key on one side are paired in id
    order. match_status: matched, missing_in_field (an LMS completion with no signature),
    missing_in_system (a signature with no LMS completion). Site: the LMS record's site, or
    for a signature alone the site of the employee's latest LMS record (NULL if none).
    Grain: one row per reconciled line. -#}
with training as (

    select * from {{ ref('stg_lms__training_records') }}

),

signins as (

    select * from {{ ref('stg_field__training_signins') }}

),

system_records as (

    select
        record_id,
        employee_key,
        course_code,
        completed_on as trained_on,
        site_id,
        source_line,
        row_number() over (
            partition by employee_key, course_code, completed_on order by record_id
        ) as pair_rank
    from training
    where completed_on is not null

),

field_records as (

    select
        sheet_no,
        employee_key,
        course_code,
        session_on as trained_on,
        source_line,
        row_number() over (
            partition by employee_key, course_code, session_on order by sheet_no
        ) as pair_rank
    from signins

),

employee_sites as (

    select employee_key, site_id
    from (
        select
            employee_key,
            site_id,
            row_number() over (
                partition by employee_key order by due_on desc, record_id desc
            ) as recency
        from training
    ) as ranked
    where recency = 1

),

joined as (

    select
        coalesce(system_records.employee_key, field_records.employee_key) as employee_key,
        coalesce(system_records.course_code, field_records.course_code) as course_code,
        coalesce(system_records.trained_on, field_records.trained_on) as trained_on,
        coalesce(system_records.pair_rank, field_records.pair_rank) as pair_rank,
        system_records.record_id,
        field_records.sheet_no,
        system_records.site_id as system_site_id,
        system_records.source_line as system_source_line,
        field_records.source_line as field_source_line
    from system_records
    full outer join field_records
        on system_records.employee_key = field_records.employee_key
        and system_records.course_code = field_records.course_code
        and system_records.trained_on = field_records.trained_on
        and system_records.pair_rank = field_records.pair_rank

),

final as (

    select
        joined.employee_key || '|' || joined.course_code
            || '@' || {{ dbt.cast('joined.trained_on', dbt.type_string()) }}
            || '#' || {{ dbt.cast('joined.pair_rank', dbt.type_string()) }} as line_id,
        {{ quarter_label('joined.trained_on') }} as period,
        coalesce(joined.system_site_id, employee_sites.site_id) as site_id,
        joined.employee_key,
        joined.course_code,
        joined.trained_on,
        joined.pair_rank,
        joined.record_id,
        joined.sheet_no,
        case
            when joined.sheet_no is null then 'missing_in_field'
            when joined.record_id is null then 'missing_in_system'
            else 'matched'
        end as match_status,
        joined.record_id is not null and joined.sheet_no is not null as is_match,
        joined.system_source_line,
        joined.field_source_line
    from joined
    left join employee_sites
        on joined.employee_key = employee_sites.employee_key

)

select * from final
