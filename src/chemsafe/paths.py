"""Where the project lives and where everything written at run time goes.

Every file the pipeline writes (ingested raw seeds, the DuckDB warehouse, dbt's target
and logs, reports, exports) lives under one data directory: ``CHEMSAFE_DATA_DIR`` when
set, else ``data/`` inside the project (git-ignored). Paths are always made absolute so
nothing depends on the directory a command is started from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "CHEMSAFE_DATA_DIR"


def project_root() -> Path:
    """The dbt project folder (the one holding dbt_project.yml)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "dbt_project.yml").is_file():
            return parent
    raise RuntimeError(f"cannot find dbt_project.yml above {here}")


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def ingest_dir(self) -> Path:
        return self.root / "ingest"

    @property
    def loads_dir(self) -> Path:
        """One folder per ingested load, kept for the audit trail."""
        return self.ingest_dir / "loads"

    @property
    def current_seeds(self) -> Path:
        """Symlink to the load whose files dbt reads as its sources (swapped atomically)."""
        return self.ingest_dir / "current"

    def current_load(self) -> Path | None:
        """The load folder `ingest/current` points at, if any."""
        link = self.current_seeds
        return link.resolve() if link.is_symlink() and link.exists() else None

    @property
    def warehouse(self) -> Path:
        return self.root / "chemsafe.duckdb"

    @property
    def dbt_target(self) -> Path:
        return self.root / "dbt" / "target"

    @property
    def dbt_logs(self) -> Path:
        return self.root / "dbt" / "logs"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def spark_dir(self) -> Path:
        """The `spark` target's Parquet tables and Derby metastore (profiles.yml names the
        same folder): written only by builds with --target spark."""
        return self.root / "spark"

    def reconciliation_report_dir(self, quarter: str) -> Path:
        """`chemsafe reconcile`: the auditor report, exception CSVs and audit sample of a
        quarter (replaced as a whole by a rerun of that quarter)."""
        return self.reports_dir / quarter

    @property
    def reconcile_work_dir(self) -> Path:
        """`chemsafe reconcile` scratch space: a copy of the GX project per run, removed
        after the run."""
        return self.root / "reconcile"

    # What analysts open: written by `chemsafe publish` only after a build passed.

    @property
    def serving_dir(self) -> Path:
        return self.root / "serving"

    @property
    def serving_db(self) -> Path:
        """The published warehouse BI tools open read-only (replaced atomically)."""
        return self.serving_dir / "chemsafe_serving.duckdb"

    @property
    def publication_record(self) -> Path:
        """JSON record of the publication the serving file holds."""
        return self.serving_dir / "publication.json"

    @property
    def publish_lock(self) -> Path:
        return self.serving_dir / ".publish.lock"

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    @property
    def parquet_exports(self) -> Path:
        """Link to the current publication's Parquet files (swapped atomically)."""
        return self.exports_dir / "parquet"

    @property
    def export_releases(self) -> Path:
        """One folder of Parquet files per publication; the last few are kept."""
        return self.exports_dir / "releases"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def docs_index(self) -> Path:
        """dbt docs as one static page that works offline."""
        return self.docs_dir / "index.html"

    @property
    def dashboard_dir(self) -> Path:
        return self.root / "dashboard"

    @property
    def dashboard_html(self) -> Path:
        """The EHS managers' static dashboard."""
        return self.dashboard_dir / "index.html"


def semantic_manifest_path(project: Path | None = None) -> Path:
    """Where MetricFlow's `mf` reads the semantic manifest: <project>/target, a place it
    fixes; the one file chemsafe writes outside the data directory (publish puts it)."""
    return (project or project_root()) / "target" / "semantic_manifest.json"


def output_paths(paths: DataPaths) -> list[tuple[str, Path]]:
    """Everything chemsafe writes under a data directory, labelled for `chemsafe paths`
    (the reports of a quarter go to reports/<quarter>/)."""
    return [
        ("current load", paths.current_seeds),
        ("loads", paths.loads_dir),
        ("warehouse", paths.warehouse),
        ("dbt target", paths.dbt_target),
        ("dbt logs", paths.dbt_logs),
        ("serving file", paths.serving_db),
        ("publication", paths.publication_record),
        ("parquet", paths.parquet_exports),
        ("releases", paths.export_releases),
        ("docs", paths.docs_index),
        ("dashboard", paths.dashboard_html),
        ("reports", paths.reports_dir),
        ("spark", paths.spark_dir),
    ]


def data_paths() -> DataPaths:
    configured = os.environ.get(DATA_DIR_ENV)
    root = Path(configured).expanduser() if configured else project_root() / "data"
    return DataPaths(root.resolve())
