"""Quarterly reconciliation of field records against system data (`chemsafe reconcile`).

The controls (expectations/controls.toml, Great Expectations suites in expectations/gx,
thresholds in the reference seeds) are computed twice: GX validates the quarter's lines
(one pandas batch per checkpoint, read from the DuckDB warehouse) and SQL measures them in
the warehouse; the two must agree (else exit code 2). The results, every exception line and
the audit sample go to the warehouse (schema audit) and to the auditor report under
<data dir>/reports/<quarter>/, with GX's own validation results JSON. Modules:

    catalog     the controls catalog (words, SQL, fragments, checkpoint SQL), parameter binding
    warehouse   everything read from the warehouse: quarter, thresholds, measures, exception
                lines, counts, and each checkpoint's table of lines for GX
    gx_runner   Great Expectations: open a copy of the file project, run the checkpoints
    outcome     per-control results from GX's results, compared with the SQL figures
    store       audit.reconciliation_runs / _results / _exceptions, replaced per quarter
    html        escaping HTML builder and the auditor report
    files       CSV exports and the per-quarter report folder swap
    runinfo     the code version a report names (git commit, else package version)
    run         the whole job for one quarter
    cli         the `reconcile` sub-command (add_reconcile_parser, cmd_reconcile)
"""
