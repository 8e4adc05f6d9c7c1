"""The semantic layer's metrics, generated from the KPI definition sheets.

One MetricFlow metric per KPI code (``lead_sq_basis_retention`` for LEAD_SQ_BASIS_RETENTION)
plus its trailing-four-quarter twin (``..._t4q``), built on the measures of the semantic
model ``kpi_events`` (models/marts/semantic/_semantic__semantic_models.yml, on
fct_kpi_events) as the KPI's ``rollup_rule`` in ``seeds/reference/kpi_definitions.csv``
says, so that any span of quarters (a quarter, a year, four trailing quarters) and any
site or tier gets the figure an auditor would compute:

- ``sum``: the sum of the events' numerator values;
- ``ratio_of_sums``: sum of numerators / sum of denominators (a MetricFlow ratio metric);
- ``last_quarter``: the same, over the events of the span's last quarter only (measures
  that are not additive over ``period_end``);
- ``index_of_sums`` (ECO_FACTOR_INDEX): value added per tonne of the span over that of
  the base year's same quarters.

The saved queries of the disclosure package list the KPIs of ``disclosure_items.csv``.

The YAML is committed; ``python scripts/generate_semantic_layer.py`` rewrites it after a
definition sheet changes, and a test fails while the committed file differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from chemsafe.seeds import seed_rows, seeds_dir

METRICS_PATH = Path("models") / "marts" / "semantic" / "_semantic__metrics.yml"
KPI_DIMENSION = "{{ Dimension('kpi_event__kpi_code') }}"
T4Q_WINDOW = "4 quarters"
HEADER = ("# Generated from seeds/reference/kpi_definitions.csv and disclosure_items.csv by\n"
          "# `python scripts/generate_semantic_layer.py` (chemsafe.semantic_layer); edit those,\n"
          "# never this file.\n")


@dataclass(frozen=True)
class Kpi:
    code: str
    name_en: str
    unit: str
    rollup_rule: str

    @property
    def metric(self) -> str:
        return self.code.lower()


def load_kpis(root: Path) -> list[Kpi]:
    return [Kpi(row["kpi_code"], row["name_en"], row["unit"], row["rollup_rule"])
            for row in seed_rows("kpi_definitions", seeds_dir(root))]


def disclosure_kpis(root: Path) -> list[str]:
    rows = sorted(seed_rows("disclosure_items", seeds_dir(root)),
                  key=lambda row: int(row["display_order"]))
    return [row["kpi_code"] for row in rows if row["kpi_code"]]


def _simple(name: str, label: str, measure: str, code: str, description: str,
            fill_zero: bool = False) -> dict[str, object]:
    measure_spec: dict[str, object] = {"name": measure}
    if fill_zero:
        measure_spec.update({"fill_nulls_with": 0, "join_to_timespine": True})
    return {
        "name": name, "label": label, "description": description, "type": "simple",
        "type_params": {"measure": measure_spec},
        "filter": f"{KPI_DIMENSION} = '{code}'",
    }


def _cumulative(name: str, label: str, measure: str, code: str,
                description: str) -> dict[str, object]:
    return {
        "name": name, "label": label, "description": description, "type": "cumulative",
        "type_params": {
            "measure": {"name": measure},
            "cumulative_type_params": {"window": T4Q_WINDOW, "period_agg": "last"},
        },
        "filter": f"{KPI_DIMENSION} = '{code}'",
    }


def _ratio(name: str, label: str, numerator: str, denominator: str,
           description: str) -> dict[str, object]:
    return {
        "name": name, "label": label, "description": description, "type": "ratio",
        "type_params": {"numerator": numerator, "denominator": denominator},
    }


def _derived(name: str, label: str, expr: str, inputs: list[str],
             description: str) -> dict[str, object]:
    return {
        "name": name, "label": label, "description": description, "type": "derived",
        "type_params": {"expr": expr, "metrics": [{"name": metric} for metric in inputs]},
    }


RULE_WORDS = {
    "sum": "sum of the events' values over the quarters of the query's time grain",
    "ratio_of_sums": ("summed numerators / summed denominators over the quarters of the "
                      "query's time grain (never a mean of quarterly values)"),
    "last_quarter": ("point in time: the figure of the last quarter of the query's time "
                     "grain (a year: its year-end quarter)"),
    "index_of_sums": ("value added per tonne of hazardous chemicals of the span over that of "
                      "the base year's same quarters"),
}


def kpi_metrics(kpi: Kpi) -> list[dict[str, object]]:
    """The metrics of one KPI: its figure at any time grain and its trailing four quarters."""
    m, code, label = kpi.metric, kpi.code, kpi.name_en
    about = (f"{code} ({kpi.unit}): {RULE_WORDS[kpi.rollup_rule]}. Definition and the "
             f"reason for the rule: dim_kpi_definitions.")
    t4q = (f"{code} over the four quarters ending with each quarter (meaningful from the "
           f"fourth quarter of the reporting window on).")
    if kpi.rollup_rule == "sum":
        return [
            _simple(m, label, "kpi_numerator", code, about, fill_zero=True),
            _cumulative(f"{m}_t4q", f"{label} (trailing 4 quarters)", "kpi_numerator",
                        code, t4q),
        ]
    if kpi.rollup_rule == "ratio_of_sums":
        return [
            _simple(f"{m}_numerator", f"{label}: numerator", "kpi_numerator", code,
                    f"Numerator of {code}."),
            _simple(f"{m}_denominator", f"{label}: denominator", "kpi_denominator", code,
                    f"Denominator of {code}."),
            _ratio(m, label, f"{m}_numerator", f"{m}_denominator", about),
            _cumulative(f"{m}_numerator_t4q", f"{label}: numerator (trailing 4 quarters)",
                        "kpi_numerator", code, f"Numerator of {code}, trailing 4 quarters."),
            _cumulative(f"{m}_denominator_t4q",
                        f"{label}: denominator (trailing 4 quarters)", "kpi_denominator",
                        code, f"Denominator of {code}, trailing 4 quarters."),
            _ratio(f"{m}_t4q", f"{label} (trailing 4 quarters)", f"{m}_numerator_t4q",
                   f"{m}_denominator_t4q", t4q),
        ]
    if kpi.rollup_rule == "last_quarter":
        t4q_last = (f"{code} is a point-in-time figure: over four trailing quarters it is the "
                    f"last quarter's, the same as {m}.")
        if kpi.unit in {"count", "kg", "KRW", "score"}:
            return [
                _simple(m, label, "kpi_numerator_at_period_end", code, about,
                        fill_zero=False),
                _derived(f"{m}_t4q", f"{label} (trailing 4 quarters)", m, [m], t4q_last),
            ]
        return [
            _simple(f"{m}_numerator", f"{label}: numerator", "kpi_numerator_at_period_end",
                    code, f"Numerator of {code} at the last quarter end of the span."),
            _simple(f"{m}_denominator", f"{label}: denominator",
                    "kpi_denominator_at_period_end", code,
                    f"Denominator of {code} at the last quarter end of the span."),
            _ratio(m, label, f"{m}_numerator", f"{m}_denominator", about),
            _derived(f"{m}_t4q", f"{label} (trailing 4 quarters)", m, [m], t4q_last),
        ]
    if kpi.rollup_rule == "index_of_sums":
        parts = ["value_added", "chem_t", "base_value_added", "base_chem_t"]
        metrics: list[dict[str, object]] = []
        for suffix, make in (("", _simple), ("_t4q", _cumulative)):
            for part in parts:
                metrics.append(make(f"{m}_{part}{suffix}", f"{label}: {part}{suffix}",
                                    f"eco_{part}", code,
                                    f"ECO_FACTOR_INDEX component {part}{suffix}."))
            names = [f"{m}_{part}{suffix}" for part in parts]
            expr = (f"({names[0]} / nullif({names[1]}, 0)) / "
                    f"nullif({names[2]} / nullif({names[3]}, 0), 0)")
            metrics.append(_derived(f"{m}{suffix}", label + (" (trailing 4 quarters)"
                                                             if suffix else ""),
                                    expr, names, about if not suffix else t4q))
        return metrics
    raise ValueError(f"{code}: unknown rollup_rule {kpi.rollup_rule!r}")


def saved_queries(root: Path) -> list[dict[str, object]]:
    metrics = [code.lower() for code in disclosure_kpis(root)]
    time = "TimeDimension('metric_time', '%s')"
    about = ("The KPIs of the ESG disclosure package (seeds/reference/disclosure_items.csv), "
             "company-wide, ")
    return [
        {"name": "disclosure_package_quarterly", "description": about + "per quarter.",
         "query_params": {"metrics": metrics, "group_by": [time % "quarter"]}},
        {"name": "disclosure_package_yearly",
         "description": about + "per year (year to date for the current year).",
         "query_params": {"metrics": metrics, "group_by": [time % "year"]}},
        {"name": "disclosure_package_yearly_by_site",
         "description": "The same KPIs per year and site.",
         "query_params": {"metrics": metrics,
                          "group_by": [time % "year", "Entity('site')"]}},
        {"name": "disclosure_package_trailing_four_quarters",
         "description": "The same KPIs over the four quarters ending with each quarter.",
         "query_params": {"metrics": [f"{metric}_t4q" for metric in metrics],
                          "group_by": [time % "quarter"]}},
    ]


def render(root: Path) -> str:
    metrics = [metric for kpi in load_kpis(root) for metric in kpi_metrics(kpi)]
    body = yaml.safe_dump({"metrics": metrics, "saved_queries": saved_queries(root)},
                          sort_keys=False, allow_unicode=True, width=100)
    return HEADER + body


def is_current(root: Path) -> bool:
    path = root / METRICS_PATH
    return path.is_file() and path.read_text(encoding="utf-8") == render(root)


def write(root: Path) -> Path:
    path = root / METRICS_PATH
    path.write_text(render(root), encoding="utf-8")
    return path
