"""Quarterly reconciliation of field records against system data (`chemsafe reconcile`).

The controls (expectations/controls.toml, Great Expectations suites in expectations/gx,
thresholds in the reference seeds) are measured by SQL in the DuckDB warehouse; GX
validates the small row of measurements of each checkpoint; the results, every exception
line and the audit sample go to the warehouse (schema audit) and to the auditor report
under <data dir>/reports/<quarter>/. Modules:

    catalog     the controls catalog (words, SQL, fragments) and SQL parameter binding
    warehouse   everything read from the warehouse: quarter, thresholds, measures, counts
    gx_runner   Great Expectations: open a copy of the file project, run the checkpoints
    outcome     per-control results assembled from GX's expectation results
    store       audit.reconciliation_runs / _results / _exceptions, replaced per quarter
    html        escaping HTML builder and the auditor report
    files       CSV exports and the per-quarter report folder swap
    runinfo     the code version a report names (git commit, else package version)
    run         the whole job for one quarter
    cli         the `reconcile` sub-command (add_reconcile_parser, cmd_reconcile)
"""
