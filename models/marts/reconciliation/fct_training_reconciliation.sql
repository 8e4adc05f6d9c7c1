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
        {{ pair_rank(['employee_key', 'course_code', 'completed_on'], 'record_id') }}
            as pair_rank
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
        {{ pair_rank(['employee_key', 'course_code', 'session_on'], 'sheet_no') }}
            as pair_rank
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
        {{ paired_keys('system_records', 'field_records', ['employee_key', 'course_code', 'trained_on']) }},
        system_records.record_id,
        field_records.sheet_no,
        system_records.site_id as system_site_id,
        system_records.source_line as system_source_line,
        field_records.source_line as field_source_line
    from system_records
    full outer join field_records
        on {{ paired_on('system_records', 'field_records', ['employee_key', 'course_code', 'trained_on']) }}

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
        {{ pairing_status('joined.record_id', 'joined.sheet_no') }} as match_status,
        joined.record_id is not null and joined.sheet_no is not null as is_match,
        joined.system_source_line,
        joined.field_source_line
    from joined
    left join employee_sites
        on joined.employee_key = employee_sites.employee_key

)

select * from final
