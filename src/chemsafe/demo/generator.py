"""Deterministic, streamed generator of the demo extract drop (fictional 한빛케미칼).

``generate(out_dir, scale, seed)`` writes one CSV per file of the extract contract
(``chemsafe.contract.FILES``, named ``<name>.csv``) and a README.md listing the planted edge
cases and bad rows with their exact lines. Same arguments give byte-identical files:
every random draw comes from ``random.Random`` seeded with a string built from ``seed`` and
the entity (site, facility, contractor...), never from the clock, and nothing iterates over a
set. Rows are written as they are produced, entity by entity; the only state kept is one
facility's (or site's, employee's, contractor's) events at a time, so memory stays bounded at
any scale.

Size: facilities = max(12, round(36 * scale)) spread over max(3, round(3 * sqrt(scale)))
sites; everything per facility (inspections, findings, inventory lines, checks, changes,
calculations, engagements) and the employees scale with them. Findings come to about
``FINDINGS_PER_SCALE * scale`` = 1,260 × scale (1,274 at scale 1, 126,166 at scale 100, so
about 12.6 million at scale 10,000). The planted bad rows, file encodings and header
variants are fixed and do not grow with scale.

Speed: from PARALLEL_MIN_FACILITIES facilities (and PARALLEL_MIN_SITES sites), the
facilities and the training records are written in parts by worker processes and appended
in order, with the same bytes: 1M findings in 22.2 s with two processes against 42.5 s with
one, 10M in 233 s (bench/results/generator-2026-12-07.md).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import math
import random
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from chemsafe.contract import FILES
from chemsafe.demo import reference as ref
from chemsafe.demo.formats import (
    Note,
    Sink,
    centi,
    fbool,
    fbool_opt,
    fcode,
    fdate,
    fdate_opt,
    fnum,
    group,
    pad,
)
from chemsafe.demo.readme import render_readme
from chemsafe.policy import single_scoring_policy
from chemsafe.workers import workers_setting

DEFAULT_SEED = 20260630
DEFAULT_SCALE = 1.0

# Reporting window: 8 quarters 2024-Q3 .. 2026-Q2; the drop is extracted on EXTRACT_DATE.
WINDOW_START = date(2024, 7, 1)
WINDOW_END = date(2026, 6, 30)
EXTRACT_DATE = date(2026, 7, 10)
QUARTER_ENDS: tuple[date, ...] = (
    date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30),
    date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 30),
)
QUARTER_STARTS: tuple[date, ...] = (
    WINDOW_START, *(end + timedelta(days=1) for end in QUARTER_ENDS[:-1])
)
# Monday of every week whose Monday is in the window (2024-07-01 is a Monday).
MONDAYS: tuple[date, ...] = tuple(
    WINDOW_START + timedelta(weeks=k) for k in range((WINDOW_END - WINDOW_START).days // 7 + 1)
)
TRAINING_HORIZON = date(2026, 9, 30)  # LMS already holds records due in the next quarter

FACILITIES_PER_SCALE = 36
MIN_FACILITIES = 12
CONTRACTORS_PER_SCALE = 15
EMPLOYEES_PER_FACILITY = 6
FINDINGS_PER_SCALE = 1260  # measured: 1,274 at scale 1, 126,166 at scale 100
# A drop with at least this many facilities (or sites, for the training records) is
# written in parts by several processes (generate(workers=...)); below, in one.
PARALLEL_MIN_FACILITIES = 1000
PARALLEL_MIN_SITES = 16
GENERATOR_WORKERS_ENV = "CHEMSAFE_GENERATOR_WORKERS"

# One site has no findings at all in one quarter (S03, 2025-Q2).
NO_FINDINGS_SITE = 2
NO_FINDINGS_FROM = date(2025, 4, 1)
NO_FINDINGS_TO = date(2025, 6, 30)

# File layout variants (the contract's conventions, exercised on purpose).
_ENCODINGS: dict[str, str] = {
    "self_inspection_field": "cp949",
    "training_signin": "cp949",
    "drills": "utf-8-sig",
}
_CRLF_FILES = ("self_inspection_field", "training_signin", "drills", "hours_worked", "production")
_EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {"findings": ("remarks",)}
# inventory_field.csv: header in mixed case, with spaces, columns in another order.
_INVENTORY_FIELD_ORDER = (1, 2, 0, 3, 5, 4, 6)
_INVENTORY_FIELD_HEADER = (
    "Facility_ID", " CAS_No ", "REFERENCE_DATE", "Counted_KG", "counted_by ", " Counted_On",
    "Sheet_No",
)

_AXIS_CODE = {1: "LOW", 2: "MEDIUM", 3: "HIGH"}
_TYPES = ("STORAGE", "PROCESS", "LOADING", "PIPING", "WASTE")
_TYPE_CUM = tuple(itertools.accumulate((35, 30, 12, 13, 10)))
_SUBSTANCE_COUNT = {"STORAGE": (1, 2), "PROCESS": (2, 4), "LOADING": (1, 2), "PIPING": (1, 1),
                    "WASTE": (1, 3)}
_SUBSTANCE_CUM = tuple(itertools.accumulate(s.weight for s in ref.SUBSTANCES))
_EXPOSURE = {"STORAGE": (45, 40, 15), "PROCESS": (20, 50, 30), "LOADING": (0, 40, 60),
             "PIPING": (50, 50, 0), "WASTE": (60, 40, 0)}
_BASE_KG = {"STORAGE": (5_000, 150_000), "PROCESS": (500, 20_000), "LOADING": (1_000, 30_000),
            "PIPING": (20, 2_000), "WASTE": (200, 10_000)}
_CATEGORY_CUM = {t: tuple(itertools.accumulate(w)) for t, w in ref.CATEGORY_WEIGHTS.items()}
_SEVERITY_CUM = {"HIGH": tuple(itertools.accumulate((38, 28, 19, 10, 5))),
                 "OTHER": tuple(itertools.accumulate((48, 28, 14, 7, 3)))}
_SELF_OFFSETS = (0, 1, 1, 2, 2, 3, 4)  # self-inspections happen Monday..Friday, mostly Tue/Wed
_DUE_DAYS = {1: 60, 2: 45, 3: 30, 4: 21, 5: 14}
_CHANGE_TYPES = ("EQUIPMENT", "SUBSTANCE", "OPERATING_CONDITION", "PROCEDURE")
_INCIDENT_TYPES_RELEASE = ("LEAK", "SPILL")
_ADMIN_CUM = tuple(itertools.accumulate((40, 25, 30, 3, 2)))
_ADMIN_TYPES = ("CORRECTIVE_ORDER", "IMPROVEMENT_ORDER", "FINE", "SUSPENSION", "PROSECUTION")
_TQ_KG = {1: 5, 2: 25, 3: 100, 4: 200, 5: 500, 6: 1000, 7: 2000}

# Facilities with a planted role (by index, so every scale has them). Each plan is
# (facility_type, CAS numbers handled, fixed axes or None, facility name).
_ROLE_BY_INDEX: dict[int, str] = {
    0: "chlorine_storage",
    1: "override_high",
    2: "never_assessed",
    3: "same_day_assessments",
    4: "repeat_365",
    5: "repeat_366",
    6: "decommissioned_in_window",
    7: "commissioned_in_window",
    8: "decommissioned_before_window",
    9: "inventory_boundary",
    10: "weak_self_inspection",
    11: "low_tier",
}
_ROLE_PLANS: dict[str, tuple[str, tuple[str, ...], tuple[int, int, int] | None, str]] = {
    "chlorine_storage": ("STORAGE", ("7782-50-5", "7647-01-0"), (3, 2, 3), "염소 저장탱크 T-101"),
    "override_high": ("PIPING", ("7664-39-3",), (3, 1, 2), "불화수소 이송배관 1구간"),
    "never_assessed": ("LOADING", ("7664-93-9", "1310-73-2"), None,
                       "황산·가성소다 탱크로리 출하장"),
    "same_day_assessments": ("PROCESS", ("67-56-1", "50-00-0", "1310-73-2"), (2, 2, 3),
                             "포름알데히드 제조공정 1계열"),
    "repeat_365": ("STORAGE", ("108-88-3", "1330-20-7"), None, "톨루엔·자일렌 저장탱크 T-205"),
    "repeat_366": ("STORAGE", ("7697-37-2",), None, "질산 저장탱크 T-310"),
    "decommissioned_in_window": ("PROCESS", ("75-01-4", "7647-01-0"), None,
                                 "염화비닐 단량체 제조공정 2계열"),
    "commissioned_in_window": ("PROCESS", ("108-88-3", "50-00-0"), None,
                               "에폭시수지 제조공정 신규라인"),
    "decommissioned_before_window": ("WASTE", ("79-01-6",), None, "세정폐액 보관소(구)"),
    "inventory_boundary": ("PROCESS", ("1310-73-2", "7647-01-0", "7758-98-7"), (2, 2, 2),
                           "폐수처리 약품 투입공정"),
    "weak_self_inspection": ("STORAGE", ("7664-41-7",), None, "암모니아 저장탱크 T-402"),
    "low_tier": ("WASTE", ("7681-52-9",), (1, 1, 1), "차아염소산나트륨 중화처리시설"),
}
_FIXED_AXES_ROLES = ("chlorine_storage", "override_high", "low_tier", "inventory_boundary")
_BAD_ROWS_FACILITY = 3  # the facility whose rows carry most planted bad rows
# The approved scoring policy of the demo's reporting window, read from the reference
# seeds (never restated here): the planted tier and repeat cases follow whatever version
# the seeds hold.
_POLICY = single_scoring_policy(WINDOW_START - timedelta(days=3 * 365), EXTRACT_DATE)


# Two findings of the same category at one facility exactly the repeat window apart (a
# repeat) and one day more (not a repeat).
_REPEAT_PAIRS = {
    "repeat_365": (date(2024, 9, 10),
                   date(2024, 9, 10) + timedelta(days=_POLICY.repeat_window_days)),
    "repeat_366": (date(2024, 11, 5),
                   date(2024, 11, 5) + timedelta(days=_POLICY.repeat_window_days + 1)),
}
ORPHAN_FACILITY_ID = "FZ901"
ORPHAN_SITE_ID = "S99"


def _tier(axes: tuple[int, int, int]) -> str:
    """Facility tier of kpi_spec.md from the three axes (substance, exposure, protection)."""
    return _POLICY.tier(*axes)


def _poisson(rng: random.Random, lam: float) -> int:
    """Poisson draw (Knuth), fine for the small means used here."""
    limit = math.exp(-lam)
    k = 0
    p = rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _days(d: date, n: int) -> date:
    return d + timedelta(days=n)


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _month_starts(first: date, last: date) -> list[date]:
    months = []
    y, m = first.year, first.month
    while date(y, m, 1) <= last:
        months.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _person(rng: random.Random) -> str:
    return rng.choice(ref.SURNAMES) + rng.choice(ref.GIVEN_NAMES)


def _layouts() -> dict[str, str]:
    """Encoding, line ends and header variant of every file, for the README."""
    layouts = {}
    for f in FILES:
        encoding = {"cp949": "CP949", "utf-8-sig": "UTF-8 + BOM"}.get(
            _ENCODINGS.get(f.name, ""), "UTF-8")
        parts = [encoding, "CRLF" if f.name in _CRLF_FILES else "LF"]
        if f.name in _EXTRA_COLUMNS:
            parts.append("extra column " + ", ".join(_EXTRA_COLUMNS[f.name]))
        if f.name == "inventory_field":
            parts.append("header case/spaces/order changed")
        layouts[f.name] = ", ".join(parts)
    return layouts


@dataclass(frozen=True)
class Sizing:
    sites: int
    facilities: int
    contractors: int


def sizing(scale: float) -> Sizing:
    """Number of sites, facilities and contractors at ``scale``."""
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    return Sizing(
        sites=max(3, round(3 * math.sqrt(scale))),
        facilities=max(MIN_FACILITIES, round(FACILITIES_PER_SCALE * scale)),
        contractors=max(10, round(CONTRACTORS_PER_SCALE * scale)),
    )


@dataclass(frozen=True)
class _Site:
    index: int
    site_id: str
    name: str
    region: str
    ksic: str
    quality: float  # 0..1, drives every rate at the site so that KPIs differ between sites
    n_facilities: int
    n_employees: int
    first_employee: int


@dataclass(frozen=True)
class _Facility:
    index: int
    facility_id: str
    site: _Site
    ftype: str
    name: str
    commissioned: date
    decommissioned: date | None
    substances: tuple[ref.Substance, ...]
    axes: tuple[int, int, int]
    quality: float
    role: str

    def active(self, d: date) -> bool:
        return self.commissioned <= d and (self.decommissioned is None or self.decommissioned > d)

    @property
    def tier(self) -> str:
        return _tier(self.axes)


# A finding to write: (category, severity, description, repeat_of_finding_id, closed_on,
# remarks, line breaks embedded in the description, README note or "").
_Found = tuple[str, int, str, str, date | None, str, int, str]


class _Generator:
    """Holds the output sinks and writes every file, entity by entity."""

    def __init__(self, out_dir: Path, scale: float, seed: int) -> None:
        self.out_dir = out_dir
        self.scale = scale
        self.seed = seed
        size = sizing(scale)
        self.n_sites = size.sites
        self.n_facilities = size.facilities
        self.n_contractors = size.contractors
        self.fac_width = max(4, len(str(self.n_facilities)))
        self.con_width = max(3, len(str(self.n_contractors)))
        self.notes: list[Note] = []
        self.sinks: dict[str, Sink] = {}
        self.sites = self._build_sites()

    # ----------------------------------------------------------------- plumbing
    def rng(self, *parts: object) -> random.Random:
        """A generator of its own for one entity: stable whatever else the drop holds."""
        return random.Random("/".join([str(self.seed), *(str(p) for p in parts)]))

    def note(self, file: str, line: int, reason: str, text: str) -> None:
        self.notes.append(Note(file, line, reason, text))

    def write(self, name: str, row: Sequence[str], extra_lines: int = 0) -> int:
        return self.sinks[name].write(row, extra_lines)

    def planted(self, name: str, row: Sequence[str], reason: str, text: str) -> int:
        """Write a planted row and note it for the README."""
        line = self.write(name, row)
        self.note(f"{name}.csv", line, reason, text)
        return line

    def open_sinks(self, part: bool = False) -> None:
        """One sink per contract file; ``part``: files without a header, whose records
        the whole drop's sinks append later (see _Generator.run)."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for f in FILES:
            header: Sequence[str] = (*f.column_names, *_EXTRA_COLUMNS.get(f.name, ()))
            order = None
            if f.name == "inventory_field":
                header, order = _INVENTORY_FIELD_HEADER, _INVENTORY_FIELD_ORDER
            self.sinks[f.name] = Sink(
                self.out_dir / f.file_name,
                None if part else header,
                encoding=_ENCODINGS.get(f.name, "utf-8"),
                lineterminator="\r\n" if f.name in _CRLF_FILES else "\n",
                order=order,
            )

    def close_sinks(self) -> None:
        for sink in self.sinks.values():
            sink.close()

    # ----------------------------------------------------------------- sites and facilities
    def _site_of(self, i: int) -> int:
        """Site index of facility ``i``: round robin, the first site taking a double share."""
        r = i % (self.n_sites + 1)
        return r if r < self.n_sites else 0

    def _site_facility(self, j: int, k: int) -> int:
        """Index of the k-th facility of site ``j`` (see _site_of)."""
        m = self.n_sites + 1
        if j > 0:
            return j + m * k
        return m * (k // 2) + (self.n_sites if k % 2 else 0)

    def _build_sites(self) -> list[_Site]:
        m = self.n_sites + 1
        n = self.n_facilities

        def residue_count(residue: int) -> int:
            return max(0, (n - residue + m - 1) // m)

        width = max(2, len(str(self.n_sites)))
        sites = []
        next_employee = 10001
        for j in range(self.n_sites):
            rng = self.rng("site", j)
            region = ref.REGIONS[j % len(ref.REGIONS)]
            plant = f"{region.region}공장" if j < len(ref.REGIONS) else (
                f"{region.region} 제{j // len(ref.REGIONS) + 1}공장")
            quality = (0.8, 0.5, 0.3)[j] if j < 3 else round(rng.uniform(0.25, 0.9), 3)
            n_fac = residue_count(0) + residue_count(self.n_sites) if j == 0 else residue_count(j)
            n_emp = max(4, n_fac * EMPLOYEES_PER_FACILITY)
            sites.append(_Site(j, f"S{j + 1:0{width}d}", f"{ref.COMPANY_KO} {plant}",
                               region.region, region.ksic_code, quality, n_fac, n_emp,
                               next_employee))
            next_employee += n_emp
        return sites

    def facility(self, i: int) -> _Facility:
        """The plan of facility ``i``: a pure function of (seed, i, number of sites)."""
        rng = self.rng("facility", i)
        site = self.sites[self._site_of(i)]
        role = _ROLE_BY_INDEX.get(i, "")
        quality = min(1.0, max(0.0, site.quality + rng.uniform(-0.15, 0.15)))
        commissioned = _rand_date(rng, date(1996, 1, 1), date(2021, 12, 31))
        decommissioned = None
        if role:
            ftype, cas_numbers, fixed_axes, name = _ROLE_PLANS[role]
            substances = tuple(ref.SUBSTANCE_BY_CAS[c] for c in cas_numbers)
            if role == "weak_self_inspection":
                quality = 0.1
            elif role == "decommissioned_in_window":
                decommissioned = date(2025, 10, 31)
            elif role == "commissioned_in_window":
                commissioned = date(2025, 3, 3)
            elif role == "decommissioned_before_window":
                commissioned, decommissioned = date(2004, 5, 17), date(2023, 12, 31)
        else:
            ftype = _TYPES[rng.choices(range(5), cum_weights=_TYPE_CUM)[0]]
            low, high = _SUBSTANCE_COUNT[ftype]
            wanted = rng.randint(low, high)
            chosen: list[ref.Substance] = []
            while len(chosen) < wanted:
                sub = ref.SUBSTANCES[rng.choices(range(len(ref.SUBSTANCES)),
                                                 cum_weights=_SUBSTANCE_CUM)[0]]
                if sub not in chosen:
                    chosen.append(sub)
            substances = tuple(chosen)
            fixed_axes = None
            name = self._facility_name(rng, ftype, substances[0], i)
            if rng.random() < 0.05:
                decommissioned = _rand_date(rng, date(2024, 10, 1), date(2026, 3, 31))
        if fixed_axes is None:
            exposure = rng.choices((1, 2, 3), weights=_EXPOSURE[ftype])[0]
            weights = (35 + 35 * quality, 40, 20 - 15 * quality)
            protection = rng.choices((1, 2, 3), weights=weights)[0]
            axes = (substances[0].hazard_axis, exposure, protection)
        else:
            axes = fixed_axes
        return _Facility(i, f"F{i + 1:0{self.fac_width}d}", site, ftype, name, commissioned,
                         decommissioned, substances, axes, quality, role)

    @staticmethod
    def _facility_name(rng: random.Random, ftype: str, main: ref.Substance, i: int) -> str:
        n = i % 9 + 1
        if ftype == "STORAGE":
            return f"{main.name_ko} 저장탱크 T-{100 + i % 900}"
        if ftype == "PROCESS":
            return f"{rng.choice(ref.PRODUCTS)} 제조공정 {n}계열"
        if ftype == "LOADING":
            return f"{main.name_ko} 탱크로리 하역장 {n}번"
        if ftype == "PIPING":
            return f"{main.name_ko} 이송배관 {n}구간"
        return f"폐수·폐액 처리시설 {n}호"

    # ----------------------------------------------------------------- run
    def run(self, workers: int) -> dict[str, int]:
        """Write every file. The facilities and the employees' training records (almost
        all of a large drop) are written in parts by ``workers`` processes when the drop is
        large enough, and each part appended in order: the same bytes as one process.
        Each file is written in the same order either way (the site events and the
        training records go to different files)."""
        facility_jobs = _chunks(self.n_facilities, workers, PARALLEL_MIN_FACILITIES)
        training_jobs = _chunks(self.n_sites, workers, PARALLEL_MIN_SITES)
        with contextlib.ExitStack() as stack:
            pool: _Pool | None = None
            if len(facility_jobs) > 1 or len(training_jobs) > 1:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                # the folder outlives the pool: the workers stop before it is removed
                folder = Path(stack.enter_context(
                    tempfile.TemporaryDirectory(prefix=".generate-", dir=self.out_dir)))
                executor = ProcessPoolExecutor(max_workers=workers)
                # a failed part stops the drop: the parts not yet started are dropped
                stack.callback(executor.shutdown, wait=True, cancel_futures=True)
                pool = _Pool(executor, folder)
            # every part is started before the sinks open (no open file is forked)
            facility_parts = self._parts(pool, "facilities", facility_jobs)
            training_parts = self._parts(pool, "training", training_jobs)
            self.open_sinks()
            try:
                self.write_sites()
                self.write_substances()
                self.write_contractors()
                self._add_parts(facility_parts)
                self.write_orphan_facility()
                for site in self.sites:
                    self.write_site_events(site)
                self._add_parts(training_parts)
            finally:
                self.close_sinks()
        counts = {name: sink.rows for name, sink in self.sinks.items()}
        readme = render_readme(
            self.notes, counts, scale=self.scale, seed=self.seed, sites=self.n_sites,
            facilities=self.n_facilities, layouts=_layouts(), company=(ref.COMPANY_KO,
                                                                       ref.COMPANY_EN),
            findings_per_scale=FINDINGS_PER_SCALE,
        )
        (self.out_dir / "README.md").write_text(readme, encoding="utf-8")
        return counts

    def _parts(self, pool: _Pool | None, kind: str,
               jobs: list[tuple[int, int]]) -> list[Callable[[], _Part | None]]:
        """Each job's part, to wait for in order: written by the pool's workers into a
        folder of its own, or (no pool) straight into this drop's sinks when its turn
        comes."""
        if pool is None:
            return [functools.partial(self.write_part, kind, first, stop)
                    for first, stop in jobs]
        return [pool.executor.submit(_write_part_files, pool.folder / f"{kind}-{k}",
                                     self.scale, self.seed, kind, first, stop).result
                for k, (first, stop) in enumerate(jobs)]

    def write_part(self, kind: str, first: int, stop: int) -> None:
        """Facilities [first, stop) or the training records of sites [first, stop)."""
        if kind == "facilities":
            for i in range(first, stop):
                self.write_facility(self.facility(i))
        else:
            for site in self.sites[first:stop]:
                self.write_training(site)

    def _add_parts(self, parts: Iterable[Callable[[], _Part | None]]) -> None:
        for wait in parts:
            part = wait()
            if part is None:  # written straight into this drop's sinks
                continue
            offsets = {name: self.sinks[name].append(part.folder / self.sinks[name].file,
                                                     rows, lines)
                       for name, (rows, lines) in part.written.items()}
            for note in part.notes:
                moved = offsets[_FILE_NAMES[note.file]]
                if moved and _LINE_IN_TEXT.search(note.text):
                    raise RuntimeError(f"a note that names a line is in a part that moves: "
                                       f"{note}")
                self.notes.append(dataclasses.replace(note, line=note.line + moved))

    # ----------------------------------------------------------------- reference files
    def write_sites(self) -> None:
        rng = self.rng("sites")
        for site in self.sites:
            self.write("sites", (site.site_id, site.name, site.region, pad(rng, site.ksic, 0.1)))

    def write_substances(self) -> None:
        rng = self.rng("substances")
        for k, s in enumerate(ref.SUBSTANCES):
            rc = "" if s.release_category is None else str(s.release_category)
            if k == 5:
                rc += ".0"  # an integer written with a zero fraction is still an integer
            row = (
                s.cas_no, s.name_ko, s.name_en,
                fbool(rng, s.acute_toxic, p=0.15), fbool(rng, s.chronic_toxic, p=0.15),
                fbool(rng, s.eco_toxic, p=0.15), fbool(rng, s.accident_precaution, p=0.15),
                fnum(rng, str(s.small_quantity_threshold_kg), 0.3),
                fbool(rng, s.esg_concern, p=0.15), rc,
            )
            line = self.write("substances", row)
            if k == 5:
                self.note("substances.csv", line, "accepted",
                          f"release_category written '{rc}' (integer with zero fraction)")
            if k == 20:
                bad = ref.CAS_BAD_CHECK_DIGITS[0]
                self.planted("substances", (bad, "염화수소(오기)", "Hydrogen chloride (typo)",
                                            "Y", "N", "N", "Y", "1000", "N", "3"),
                             "bad_cas", f"CAS {bad}: wrong check digit")

    def write_contractors(self) -> None:
        for c in range(self.n_contractors):
            rng = self.rng("contractor", c)
            cid = f"C{c + 1:0{self.con_width}d}"
            stem = ref.CONTRACTOR_STEMS[c % len(ref.CONTRACTOR_STEMS)]
            suffix = ref.CONTRACTOR_SUFFIXES[(c // len(ref.CONTRACTOR_STEMS) + c)
                                             % len(ref.CONTRACTOR_SUFFIXES)]
            name = f"(주){stem}{suffix}" if c % 3 == 0 else f"{stem}{suffix}"
            if c >= len(ref.CONTRACTOR_STEMS) * len(ref.CONTRACTOR_SUFFIXES):
                name += f" {c // 120 + 1}지사"
            self.write("contractors", (cid, name))
            self.write_contractor_assessments(rng, cid, c)

    def write_contractor_assessments(self, rng: random.Random, cid: str, c: int) -> None:
        sink = "contractor_assessments"
        k = 0

        def emit(kind: str, on: date, passed: bool, valid_until: date) -> int:
            nonlocal k
            k += 1
            return self.write(sink, (
                f"CAS-{cid}-{k:02d}", cid, fcode(rng, "contractor_assessment_type", kind, 0.15),
                fdate(rng, on), fbool(rng, passed), fdate(rng, valid_until),
            ))

        # Most contractors pass a pre-assessment before their work; some never had one, some
        # failed it, some let it lapse inside the window. Three are fixed: C003 never had a
        # pre-assessment, C004's lapsed in 2024-07 (only re-assessed since), C005 had its
        # first one in 2025-05.
        if c == 3:
            emit("PRE", date(2022, 8, 1), True, date(2024, 7, 31))
            emit("RE", date(2025, 3, 10), True, date(2028, 3, 9))
        elif c == 4:
            emit("PRE", date(2025, 5, 12), True, date(2028, 5, 11))
        elif c != 2 and rng.random() >= 0.08:
            pre_on = _rand_date(rng, date(2022, 7, 1), date(2024, 6, 28) if rng.random() < 0.85
                                else date(2025, 6, 30))
            passed = rng.random() < 0.93
            valid = _days(pre_on, 730 if rng.random() < 0.3 else 1095)
            emit("PRE", pre_on, passed, valid)
            if not passed and rng.random() < 0.7:
                pre_on = _days(pre_on, rng.randint(30, 90))
                valid = _days(pre_on, 1095)
                emit("PRE", pre_on, True, valid)
            r = rng.random()
            if valid <= WINDOW_END and r < 0.85:
                # renewed before it lapses: most by a new pre-assessment, some by a re-assessment
                renew_on = _days(valid, -rng.randint(0, 30))
                emit("PRE" if r < 0.6 else "RE", renew_on, True, _days(renew_on, 1095))
        for year_start in (date(2024, 9, 1), date(2025, 7, 1)):
            if rng.random() < 0.5:
                on = _rand_date(rng, year_start, _days(year_start, 300))
                emit("ONSITE", on, rng.random() < 0.9, _days(on, 365))
        if c == 1:
            self.planted(sink, (f"CAS-{cid}-X1", cid, "ONSITE", "2025-02-03", "Y", "2025/02/29"),
                         "bad_date", "valid_until 2025/02/29 (2025 is not a leap year)")

    # ----------------------------------------------------------------- per facility
    def write_facility(self, fac: _Facility) -> None:
        rng = self.rng("facility-rows", fac.index)
        self.write("facilities", (
            fac.facility_id, pad(rng, fac.site.site_id, 0.03), fac.name,
            fcode(rng, "facility_type", fac.ftype, 0.12), fdate(rng, fac.commissioned),
            fdate_opt(rng, fac.decommissioned),
        ))
        self.write_risk_assessments(fac, self.rng("ra", fac.index))
        self.write_inventory(fac, self.rng("inventory", fac.index))
        self.write_inspections(fac, self.rng("inspections", fac.index))
        self.write_protection_checks(fac, self.rng("plc", fac.index))
        self.write_moc(fac, self.rng("moc", fac.index))
        self.write_small_quantity(fac, self.rng("sq", fac.index))
        self.write_engagements(fac, self.rng("engagements", fac.index))

    def write_risk_assessments(self, fac: _Facility, rng: random.Random) -> None:
        if fac.role == "never_assessed":
            return
        fid = fac.facility_id
        axes = fac.axes

        def interval(a: tuple[int, int, int]) -> int:
            return 365 if _tier(a) == "HIGH" else 730

        def emit(k: int, on: date, a: tuple[int, int, int]) -> int:
            approver = "" if rng.random() < 0.05 else (
                f"{rng.choice(('환경안전팀장', '공장장', '생산담당 임원'))} {_person(rng)}")
            return self.write("risk_assessments", (
                f"RA-{fid}-{k:02d}", pad(rng, fid), fdate(rng, on),
                *(fcode(rng, "risk_level", _AXIS_CODE[x], 0.12) for x in a),
                fdate(rng, _days(on, interval(a))), approver,
            ))

        if fac.role == "decommissioned_before_window":
            on = date(2021, 5, 20)
        elif fac.role == "commissioned_in_window":
            on = _days(fac.commissioned, -14)
        elif fac.role == "same_day_assessments":
            on = date(2024, 3, 4)
        else:
            on = _days(WINDOW_START, -rng.randint(20, interval(axes) - 20))
        k = 0
        while on <= EXTRACT_DATE and (fac.decommissioned is None or on < fac.decommissioned):
            k += 1
            if fac.role == "same_day_assessments" and k == 2:
                on = date(2025, 2, 24)
                line = emit(2, on, axes)
                axes = (2, 2, 2)
                emit(3, on, axes)
                k = 3
                self.note("risk_assessments.csv", line, "accepted",
                          f"two assessments of {fid} on {on} (RA-{fid}-02 HIGH, RA-{fid}-03 "
                          "MEDIUM: the greater id wins)")
            else:
                line = emit(k, on, axes)
                if fac.role == "override_high" and k == 1:
                    self.note("risk_assessments.csv", line, "accepted",
                              f"{fid}: substance_hazard HIGH, exposure LOW, protection MEDIUM "
                              "(6 points, HIGH by the override rule)")
            due = _days(on, interval(axes))
            late = rng.random() < 0.08 + 0.2 * (1 - fac.quality)
            on = _days(due, rng.randint(10, 120)) if late else _days(due, -rng.randint(0, 30))
            if fac.role not in _FIXED_AXES_ROLES:
                r = rng.random()
                if r < 0.2 and axes[2] > 1:
                    axes = (axes[0], axes[1], axes[2] - 1)
                elif r > 0.92 and axes[2] < 3:
                    axes = (axes[0], axes[1], axes[2] + 1)
        if fac.index == _BAD_ROWS_FACILITY:
            for risk in ("HIGH", "고"):
                self.planted("risk_assessments", (f"RA-{fid}-X1", fid, "2025-06-02", risk,
                                                  "MEDIUM", "MEDIUM", "2027-06-02", ""),
                             "key_conflict", f"RA-{fid}-X1 twice: HIGH vs 고 (same meaning, "
                             "different raw cell)")
            self.planted("risk_assessments", (f"RA-{fid}-X2", fid, "2025-06-03", "VERY_HIGH",
                                              "LOW", "LOW", "2026-06-03", ""),
                         "unknown_code", "substance_hazard VERY_HIGH")

    def write_inventory(self, fac: _Facility, rng: random.Random) -> None:
        fid = fac.facility_id
        low, high = _BASE_KG[fac.ftype]
        bases = [round(math.exp(rng.uniform(math.log(low), math.log(high))) * 100)
                 for _ in fac.substances]
        late_start = rng.randint(1, 6) if len(fac.substances) > 1 and rng.random() < 0.25 else 0
        counters = (_person(rng), _person(rng))
        for qi, qe in enumerate(QUARTER_ENDS):
            if not fac.active(qe):
                continue
            # The last quarter follows a count-accuracy programme: no random miss (one
            # planted line out of tolerance, see _planted_inventory), so the latest quarter
            # passes the reconciliation controls and the earlier ones do not.
            programme = qi == len(QUARTER_ENDS) - 1
            missing_p = 0.0 if programme else 0.02  # no physical count
            miss_p = 0.0 if programme else missing_p + 0.04 + 0.08 * (1 - fac.quality)
            counted_on = _days(qe, rng.randint(1, 8))
            sheet = f"IC-{qe:%y%m}-{fid}"
            for si, sub in enumerate(fac.substances):
                if si == len(fac.substances) - 1 and qi < late_start:
                    continue
                system_c = round(bases[si] * rng.uniform(0.6, 1.15) / 10) * 10
                max_instant = round(bases[si] * 1.25 / 100) * 100
                precaution = sub.accident_precaution
                tol = max(100.0, system_c / (200 if precaution else 50))
                r = rng.random()
                counted: int | None
                if r < missing_p:
                    counted = None
                elif r < miss_p:
                    delta = int(tol * rng.uniform(1.3, 4.0)) // 10 * 10 + 10
                    counted = system_c + (delta if rng.random() < 0.4 else -delta)
                elif r < 0.4:
                    counted = system_c
                else:
                    delta = int(tol * rng.uniform(0.0, 0.9)) // 10 * 10
                    counted = system_c + (delta if rng.random() < 0.5 else -delta)
                planted = self._planted_inventory(fac, qi, si, system_c)
                if planted is not None:
                    system_c, counted, text = planted
                    max_instant = max(max_instant, system_c)
                counted = None if counted is None else max(counted, 0)
                system_row = (
                    fdate(rng, qe, 0.02), pad(rng, fid), sub.cas_no,
                    fnum(rng, centi(system_c), 0.08), fnum(rng, centi(max_instant), 0.08),
                )
                sys_line = self.write("inventory_system", system_row)
                field_line = 0
                if counted is not None:
                    field_line = self.write("inventory_field", (
                        fdate(rng, qe, 0.03), fid, pad(rng, sub.cas_no),
                        fnum(rng, centi(counted), 0.05), fdate(rng, counted_on, 0.1),
                        counters[si % 2], sheet if rng.random() < 0.85 else "",
                    ))
                if planted is not None:
                    self.note("inventory_field.csv" if field_line else "inventory_system.csv",
                              field_line or sys_line, "accepted", text)
                if fac.index == _BAD_ROWS_FACILITY and qi == 1 and si == 0:
                    line = self.write("inventory_system", system_row)
                    self.note("inventory_system.csv", line, "duplicate",
                              f"exact duplicate of line {sys_line} (collapses to one)")
            # "found but not in the system": a count with no system line.
            if (rng.random() < 0.012 and not programme) or (fac.role == "repeat_365"
                                                              and qi == 5):
                extra = ref.SUBSTANCES[(fac.index * 7 + qi) % len(ref.SUBSTANCES)]
                if extra not in fac.substances:
                    line = self.write("inventory_field", (
                        fdate(rng, qe), fid, extra.cas_no, centi(rng.randint(10, 500) * 100),
                        fdate(rng, counted_on), counters[0], sheet,
                    ))
                    if fac.role == "repeat_365":
                        self.note("inventory_field.csv", line, "accepted",
                                  f"count of {extra.cas_no} at {fid} with no system line "
                                  "(found but not in the system)")
        if fac.role == "override_high":
            sub = fac.substances[0]
            adhoc = date(2025, 11, 30)
            line = self.write("inventory_system", (adhoc.isoformat(), fid, sub.cas_no,
                                                   "812.4", "1500"))
            self.write("inventory_field", (adhoc.isoformat(), fid, sub.cas_no, "812.4",
                                           "2025-12-01", counters[0], "IC-AD-2511"))
            self.note("inventory_system.csv", line, "accepted",
                      "ad-hoc reference_date 2025-11-30 (not a quarter end: ignored for the "
                      "window)")
        if fac.index == _BAD_ROWS_FACILITY:
            self._bad_inventory_rows(fac)

    @staticmethod
    def _planted_inventory(fac: _Facility, qi: int, si: int,
                           system_c: int) -> tuple[int, int | None, str] | None:
        """Fixed inventory lines: tolerance boundaries, repeated misses, a missing count.

        Quantities are in hundredths of a kg; returns (system, counted or None, note).
        """
        if fac.role == "chlorine_storage" and si == 0 and qi in (2, 3):
            return (system_c, system_c * 97 // 1000 * 10,
                    f"{fac.facility_id} chlorine (accident precaution) counted 3% short in "
                    f"{QUARTER_ENDS[qi]}: out of tolerance two quarters running")
        if fac.role == "repeat_365" and si == 0 and qi == 5:
            return (system_c, None, f"{fac.facility_id}: system line with no field count")
        if fac.role != "inventory_boundary":
            return None
        fid = fac.facility_id
        if qi == 1 and si == 0:
            return (123_450, 125_919, f"{fid} NaOH 1234.5 vs 1259.19: exactly 2% (match; "
                    "binary floating point would say miss)")
        if qi == 1 and si == 1:
            return (200_000, 199_000, f"{fid} HCl (accident precaution) 2000.0 vs 1990.0: "
                    "exactly 0.5% (match)")
        if qi == 1 and si == 2:
            return (3_000, 3_100, f"{fid} CuSO4 30.0 vs 31.0: exactly the 1.0 kg absolute "
                    "tolerance (match)")
        if qi == 2 and si == 0:
            return (123_450, 125_920, f"{fid} NaOH 1234.5 vs 1259.2: 0.01 kg beyond 2% (miss)")
        if qi == len(QUARTER_ENDS) - 1 and si == 0:
            return (123_450, 120_000, f"{fid} NaOH 1234.5 vs 1200.0: the one line out of "
                    "tolerance in the last quarter (hit rate still above target)")
        return None

    def _bad_inventory_rows(self, fac: _Facility) -> None:
        fid = fac.facility_id
        qe = QUARTER_ENDS[4].isoformat()
        bad_sys = (
            (("7439-92-1", "-5", "100"), "negative_value", "quantity_kg -5"),
            (("7440-02-0", "1,23.4", "500"), "bad_number", "quantity_kg '1,23.4' (bad grouping)"),
            ((ref.CAS_BAD_CHECK_DIGITS[1], "120.0", "500"), "bad_cas",
             f"cas_no {ref.CAS_BAD_CHECK_DIGITS[1]} (wrong check digit)"),
            ((ref.CAS_NOT_LISTED, "75.5", "200"), "orphan_reference",
             f"cas_no {ref.CAS_NOT_LISTED} (ethanol) is not in substances.csv"),
        )
        for (cas, qty, max_kg), reason, text in bad_sys:
            self.planted("inventory_system", (qe, fid, cas, qty, max_kg), reason, text)
        self.planted("inventory_field", (qe, fid, "7440-38-2", "12kg", "2025-10-03", "", ""),
                     "bad_number", "counted_kg '12kg'")
        self.planted("inventory_field", (qe, fid, "18540-29-9", "3.5", "2025-13-02", "", ""),
                     "bad_date", "counted_on 2025-13-02")

    # ----------------------------------------------------------------- inspections, findings
    def write_inspections(self, fac: _Facility, rng: random.Random) -> None:
        fid = fac.facility_id
        # (date, order, kind, in the system, date on the paper register)
        events: list[tuple[date, int, str, bool, date | None]] = []
        if fac.role in _REPEAT_PAIRS:
            regular = list(_REPEAT_PAIRS[fac.role])
        else:
            first = _days(WINDOW_START, rng.randint(0, 364))
            regular = [first, _days(first, 365 + rng.randint(-20, 20))]
        for d in regular:
            if d <= WINDOW_END and fac.active(d):
                events.append((d, 0, "REGULAR_INSPECTION", True, None))
        if rng.random() < (0.35 if fac.tier == "HIGH" else 0.15):
            d = _rand_date(rng, WINDOW_START, WINDOW_END)
            if fac.active(d):
                events.append((d, 1, "SAFETY_DIAGNOSIS", True, None))
        miss = 0.25 if fac.role == "weak_self_inspection" else 0.015 + 0.07 * (1 - fac.quality)
        for monday in MONDAYS:
            if not fac.active(monday) or rng.random() < miss:
                continue
            d = monday + timedelta(days=_SELF_OFFSETS[rng.randrange(7)])
            if not fac.active(d):
                continue
            r = rng.random()
            if r < 0.012:
                events.append((d, 2, "SELF_INSPECTION", False, d))  # on paper only
            elif r < 0.03:
                events.append((d, 2, "SELF_INSPECTION", True, None))  # not on paper
            elif r < 0.042:
                events.append((d, 2, "SELF_INSPECTION", True, _days(d, 1)))  # paper date off
            else:
                events.append((d, 2, "SELF_INSPECTION", True, d))
        events.sort(key=lambda e: (e[0], e[1]))

        inspectors = (_person(rng), _person(rng))
        last_by_category: dict[str, tuple[str, date]] = {}
        n_inspections = n_findings = n_checklists = n_regular = 0
        finding_rate = 0.7 + 0.6 * (1 - fac.quality) + (0.15 if fac.tier == "HIGH" else 0.0)
        closure = 0.7 + 1.1 * (1 - fac.quality)
        severity_cum = _SEVERITY_CUM["HIGH" if fac.tier == "HIGH" else "OTHER"]
        category_cum = _CATEGORY_CUM[fac.ftype]
        bad_rows_written = False
        for d, _, kind, in_system, paper in events:
            if paper is not None:
                n_checklists += 1
                self.write("self_inspection_field", (
                    f"CL-{fid}-{n_checklists:04d}", fid, fdate(rng, paper, 0.1),
                    inspectors[n_checklists % 2],
                ))
            if not in_system:
                continue
            n_inspections += 1
            inspection_id = f"INS-{fid}-{n_inspections:04d}"
            found: list[_Found] = []
            for _ in range(self._n_findings(fac, rng, kind, d, finding_rate)):
                category = ref.FINDING_CATEGORIES[rng.choices(range(7),
                                                              cum_weights=category_cum)[0]]
                while category == "OTHER" and fac.role in _REPEAT_PAIRS:
                    category = ref.FINDING_CATEGORIES[rng.randrange(6)]
                severity = rng.choices((1, 2, 3, 4, 5), cum_weights=severity_cum)[0]
                texts = ref.FINDING_TEXTS[category]
                description = texts[rng.randrange(len(texts))]
                repeat_of = ""
                previous = last_by_category.get(category)
                if previous is not None:
                    if 1 <= (d - previous[1]).days <= 400 and rng.random() < 0.35:
                        repeat_of = previous[0]
                elif rng.random() < 0.01:
                    repeat_of = f"FND-{fid}-H{rng.randint(1, 300):03d}"  # predates the extract
                if kind == "SELF_INSPECTION" and severity == 1 and rng.random() < 0.3:
                    lead = 0
                else:
                    mean = (6 + 5 * severity + (0 if kind == "SELF_INSPECTION" else 8)) * closure
                    lead = int(rng.expovariate(1 / mean))
                closed: date | None = _days(d, lead)
                if rng.random() < 0.025 or closed > EXTRACT_DATE:
                    closed = None
                remark = rng.choice(ref.FINDING_REMARKS) if rng.random() < 0.1 else ""
                found.append((category, severity, description, repeat_of, closed, remark, 0, ""))
            if kind == "REGULAR_INSPECTION":
                n_regular += 1
                found.extend(self._planted_findings(fac, d, n_regular))
            result = "FAIL" if any(f[1] >= 3 for f in found) else "PASS"
            inspector = inspectors[n_inspections % 2] if kind == "SELF_INSPECTION" else (
                rng.choice(ref.REGULAR_INSPECTORS if kind == "REGULAR_INSPECTION"
                           else ref.DIAGNOSIS_INSPECTORS))
            inspection_row = (
                inspection_id, pad(rng, fid), fcode(rng, "inspection_type", kind, 0.1),
                fdate(rng, d), inspector, fcode(rng, "inspection_result", result, 0.1),
            )
            self.write("inspections", inspection_row)
            for category, severity, description, repeat_of, closed, remark, breaks, text in found:
                n_findings += 1
                finding_id = f"FND-{fid}-{n_findings:04d}"
                row = (
                    finding_id, pad(rng, inspection_id), fid, fdate(rng, d),
                    fcode(rng, "finding_category", category, 0.1),
                    f"{severity}.0" if rng.random() < 0.01 else str(severity), description,
                    repeat_of, fdate_opt(rng, closed), remark,
                )
                line = self.write("findings", row, breaks)
                if text:
                    self.note("findings.csv", line, "accepted", f"{finding_id}: {text}")
                last_by_category[category] = (finding_id, d)
                self._finding_actions(rng, finding_id, d, severity, closed)
                if fac.index == _BAD_ROWS_FACILITY and n_findings in (1, 5):
                    dup_line = self.write("findings", row)
                    self.note("findings.csv", dup_line, "duplicate",
                              f"exact duplicate of {finding_id} (collapses to one)")
            if (fac.index == _BAD_ROWS_FACILITY and kind == "REGULAR_INSPECTION"
                    and not bad_rows_written):
                self._bad_inspection_rows(fac, inspection_row, d)
                bad_rows_written = True
        if fac.index == 1:
            line = self.sinks["findings"].blank()
            self.note("findings.csv", line, "accepted", "empty line (skipped)")

    def _n_findings(self, fac: _Facility, rng: random.Random, kind: str, d: date,
                    rate: float) -> int:
        if fac.site.index == NO_FINDINGS_SITE and NO_FINDINGS_FROM <= d <= NO_FINDINGS_TO:
            return 0
        rate *= 1.1 - 0.2 * (d - WINDOW_START).days / 730  # slow improvement over the window
        if kind == "SELF_INSPECTION":
            if rng.random() >= 0.25 * rate:
                return 0
            return 1 if rng.random() < 0.8 else 2
        return _poisson(rng, (2.6 if kind == "REGULAR_INSPECTION" else 3.5) * rate)

    @staticmethod
    def _planted_findings(fac: _Facility, d: date, regular_no: int) -> list[_Found]:
        """Fixed findings of a regular inspection: 365/366-day pairs, quoted descriptions."""
        fid = fac.facility_id
        if fac.role in _REPEAT_PAIRS:
            days = "365" if fac.role == "repeat_365" else "366"
            return [("OTHER", 2, ref.FINDING_TEXTS["OTHER"][0], "", _days(d, 21), "", 0,
                     f"{fid} OTHER finding on {d}, not linked; the two are {days} days apart")]
        if fac.role == "chlorine_storage" and regular_no == 1:
            return [
                ("CONTAINMENT", 3, "방류벽 배수밸브 상시 개방, 잠금장치 미설치", "",
                 _days(d, 12), "", 0, "quoted description with an embedded comma"),
                ("PROTECTION_LAYER", 4, "가스누출감지기 경보 미작동\n(교정 후 재점검 필요)",
                 f"FND-{fid}-H007", _days(d, 9), "사진 첨부", 1,
                 "quoted description with an embedded line break; repeat_of_finding_id "
                 f"FND-{fid}-H007 predates the extract"),
            ]
        return []

    def _bad_inspection_rows(self, fac: _Facility, inspection_row: Sequence[str],
                             d: date) -> None:
        """Planted bad rows in inspections, findings and corrective actions."""
        fid = fac.facility_id
        inspection_id = inspection_row[0]
        found_on = d.isoformat()
        later = _days(d, 20).isoformat()
        other = f"F{1:0{self.fac_width}d}"  # facility 0: a valid facility of another inspection

        line = self.write("inspections", inspection_row)
        self.note("inspections.csv", line, "duplicate",
                  f"exact duplicate of {inspection_id} (collapses to one)")
        self.planted("inspections", (f"INS-{fid}-X001", fid, "SELF_INSPECTION", "2025-1-5",
                                     "김민수", "PASS"),
                     "bad_date", "inspected_on 2025-1-5 (not zero-padded)")
        self.planted("inspections", (f"INS-{fid}-X002", fid, "", found_on, "", "PASS"),
                     "missing_required", "inspection_type empty")

        def finding(k: int, **cells: str) -> list[str]:
            row = {
                "finding_id": f"FND-{fid}-X{k:02d}", "inspection_id": inspection_id,
                "facility_id": fid, "found_on": found_on, "category": "STORAGE",
                "severity": "2", "description": ref.FINDING_TEXTS["STORAGE"][1],
                "repeat_of_finding_id": "", "closed_on": later, "remarks": "",
            }
            row.update(cells)
            return list(row.values())

        bad = (
            (finding(1)[:-1], "malformed_row", "9 fields where the header has 10"),
            (finding(2, found_on="2025-02-30"), "bad_date", "found_on 2025-02-30"),
            (finding(3, closed_on="2025-1-5"), "bad_date", "closed_on 2025-1-5"),
            (finding(4, severity="2.5"), "bad_integer", "severity 2.5"),
            (finding(5, severity="three"), "bad_integer", "severity 'three'"),
            (finding(6, category="ELECTRICAL"), "unknown_code", "category ELECTRICAL"),
            (finding(7, severity="7"), "out_of_range", "severity 7"),
            (finding(8, closed_on=_days(d, -3).isoformat()), "out_of_range",
             "closed_on 3 days before found_on"),
            (finding(9, severity=""), "missing_required", "severity empty"),
            (finding(10, severity="2"), "key_conflict", f"FND-{fid}-X10 twice, severity 2 vs 3"),
            (finding(10, severity="3"), "key_conflict", f"FND-{fid}-X10 twice, severity 2 vs 3"),
            (finding(11, inspection_id=f"INS-{fid}-9999"), "orphan_reference",
             f"inspection_id INS-{fid}-9999 does not exist"),
            (finding(12, facility_id=other), "inconsistent_reference",
             f"facility {other} differs from its inspection's facility {fid}"),
        )
        for row, reason, text in bad:
            self.planted("findings", row, reason, text)
        # Corrective actions: bad rows, and one whose source is a rejected finding.
        due = _days(d, 30).isoformat()
        self.planted("corrective_actions", (f"CA-FND-{fid}-X07", "FINDING", f"FND-{fid}-X07",
                                            due, "", "", "설비보전팀"),
                     "orphan_reference", f"source FND-{fid}-X07 is a rejected finding (cascade)")
        self.planted("corrective_actions", (f"CA-{fid}-X01", "FINDING", f"FND-{fid}-0001", due,
                                            "", "", "설비보전팀", "추가열"),
                     "malformed_row", "8 fields where the header has 7")
        self.planted("corrective_actions", (f"CA-{fid}-X02", "FINDING", f"FND-{fid}-0001", "",
                                            "", "", "공무팀"),
                     "missing_required", "due_on empty")
        self.planted("corrective_actions", (f"CA-{fid}-X03", "AUDIT", f"FND-{fid}-0001", due,
                                            "", "", "품질보증팀"),
                     "unknown_code", "source_type AUDIT")
        self.planted("corrective_actions", (f"CA-{fid}-X04", "DRILL", "DR-S01-999", due, "", "",
                                            "환경안전팀"),
                     "orphan_reference", "source DRILL DR-S01-999 does not exist")

    def _finding_actions(self, rng: random.Random, finding_id: str, found_on: date,
                         severity: int, closed: date | None) -> None:
        if rng.random() >= (0.3 if severity == 1 else 0.93):
            return
        due = _days(found_on, _DUE_DAYS[severity])
        completed = None
        if closed is not None:
            completed = max(found_on, _days(closed, -rng.randint(0, 2)))
        self._action(rng, "FINDING", finding_id, f"CA-{finding_id}", due, completed)
        if severity >= _POLICY.major_severity and rng.random() < 0.4:  # a major finding
            second = None
            if completed is not None and rng.random() < 0.8:
                second = _days(completed, rng.randint(5, 40))
                second = second if second <= EXTRACT_DATE else None
            self._action(rng, "FINDING", finding_id, f"CA-{finding_id}-2", _days(due, 30), second)

    def _action(self, rng: random.Random, source_type: str, source_id: str, action_id: str,
                due: date, completed: date | None) -> None:
        verified = None
        if completed is not None and rng.random() < 0.6:
            verified = _days(completed, rng.randint(1, 25))
            verified = verified if verified <= EXTRACT_DATE else None
        self.write("corrective_actions", (
            action_id, fcode(rng, "corrective_action_source", source_type, 0.02),
            pad(rng, source_id), fdate(rng, due), fdate_opt(rng, completed),
            fdate_opt(rng, verified), rng.choice(ref.TEAMS),
        ))

    @staticmethod
    def _completion(rng: random.Random, start: date, due: date, quality: float) -> date | None:
        """Completion date of an action: mostly on time, some late, some never."""
        r = rng.random()
        if r < 0.72 + 0.18 * quality:
            done = _days(start, rng.randint(0, max(0, (due - start).days)))
        elif r < 0.93:
            done = _days(due, rng.randint(1, 45))
        else:
            return None
        return done if done <= EXTRACT_DATE else None

    # ----------------------------------------------------------------- other facility files
    def write_protection_checks(self, fac: _Facility, rng: random.Random) -> None:
        fid = fac.facility_id
        layers = ref.LAYERS_BY_TYPE[fac.ftype]
        skip = 0.03 + 0.08 * (1 - fac.quality)
        k = 0
        for qi, start in enumerate(QUARTER_STARTS):
            for li, layer in enumerate(layers):
                scheduled = _days(start, 30 + (fac.index + 3 * li) % 25)
                if not fac.active(scheduled) or scheduled > EXTRACT_DATE:
                    continue
                k += 1
                r = rng.random()
                performed: date | None
                if r < skip:
                    performed = None
                elif r < skip + 0.05:
                    performed = _days(scheduled, rng.randint(15, 70))  # late
                else:
                    performed = _days(scheduled, rng.randint(-3, 5))
                if performed is not None and performed > EXTRACT_DATE:
                    performed = None
                tested = defect = None
                if performed is not None:
                    tested = rng.random() < 0.72 + 0.2 * fac.quality
                    defect = rng.random() < 0.06
                self.write("protection_layer_checks", (
                    f"PLC-{fid}-{k:03d}", fid, fcode(rng, "protection_layer", layer, 0.1),
                    fdate(rng, scheduled), fdate_opt(rng, performed), fbool_opt(rng, tested),
                    fbool_opt(rng, defect),
                ))
                if fac.index == _BAD_ROWS_FACILITY and qi == 2 and li == 0:
                    sched = scheduled.isoformat()
                    self.planted("protection_layer_checks", (f"PLC-{fid}-X01", fid, layer, sched,
                                                             sched, "maybe", "N"),
                                 "bad_boolean", "function_tested 'maybe'")
                    self.planted("protection_layer_checks", (f"PLC-{fid}-X02", fid, "FIRE_WALL",
                                                             sched, sched, "Y", "N"),
                                 "unknown_code", "layer FIRE_WALL")

    def write_moc(self, fac: _Facility, rng: random.Random) -> None:
        fid = fac.facility_id
        lam = 2.5 if fac.ftype == "PROCESS" else 0.9
        # (implemented, effect verified, README note)
        changes: list[tuple[date, date | None, str]] = []
        if fac.role == "chlorine_storage":
            changes += [(date(2025, 2, 10), date(2025, 3, 12), "effect verified 30 days after "
                         "implementation (counts as within 30 days)"),
                        (date(2025, 8, 18), date(2025, 9, 18), "effect verified 31 days after "
                         "implementation (too late)")]
        for _ in range(_poisson(rng, lam)):
            implemented = _rand_date(rng, WINDOW_START, WINDOW_END)
            r = rng.random()
            verified: date | None = None
            if r < 0.7:
                verified = _days(implemented, rng.randint(1, 30))
            elif r < 0.85:
                verified = _days(implemented, rng.randint(31, 75))
            if verified is not None and verified > EXTRACT_DATE:
                verified = None
            changes.append((implemented, verified, ""))
        changes.sort(key=lambda c: c[0])
        k = 0
        for implemented, verified, text in changes:
            if not fac.active(implemented):
                continue
            k += 1
            change_id = f"MOC-{fid}-{k:02d}"
            r = rng.random()
            approved: date | None
            if r < 0.05 + 0.1 * (1 - fac.quality):
                approved = None  # went in without MOC approval
            elif r < 0.11 + 0.15 * (1 - fac.quality):
                approved = _days(implemented, rng.randint(1, 20))  # approved after the fact
            else:
                approved = _days(implemented, -rng.randint(3, 40))
            line = self.write("moc_records", (
                change_id, fid, fcode(rng, "change_type", rng.choice(_CHANGE_TYPES), 0.1),
                fdate(rng, implemented), fdate_opt(rng, approved), fdate_opt(rng, verified),
            ))
            if text:
                self.note("moc_records.csv", line, "accepted", f"{change_id}: {text}")
            if rng.random() < 0.25:
                due = _days(implemented, 45)
                self._action(rng, "MOC", change_id, f"CA-{change_id}", due,
                             self._completion(rng, implemented, due, fac.quality))
        if fac.index == 2:
            line = self.sinks["moc_records"].blank("   ")
            self.note("moc_records.csv", line, "accepted", "line of only spaces (skipped)")

    def write_small_quantity(self, fac: _Facility, rng: random.Random) -> None:
        fid = fac.facility_id
        k = 0
        for _ in range(1 + _poisson(rng, 0.8)):
            calculated = _rand_date(rng, WINDOW_START, WINDOW_END)
            if not fac.active(calculated):
                continue
            k += 1
            sub = fac.substances[rng.randrange(len(fac.substances))]
            pct = round(rng.choice((rng.uniform(0.5, 10), rng.uniform(10, 35),
                                    rng.uniform(35, 70))), 1)
            mixture_kg = rng.uniform(50, 20_000)
            basis = f"BD-{calculated:%y}-{rng.randint(1, 99999):05d}" if (
                rng.random() < 0.75 + 0.2 * fac.quality) else ""
            reviewed = None
            conforming = None
            if rng.random() < 0.6 + 0.3 * fac.quality:
                reviewed = _days(calculated, rng.randint(5, 120))
                if reviewed > EXTRACT_DATE:
                    reviewed = None
                else:
                    conforming = rng.random() < 0.8 + 0.15 * fac.quality
            self.write("small_quantity_calcs", (
                f"SQ-{fid}-{k:02d}", fid, sub.cas_no,
                f"{rng.choice(('세정제', '처리약품', '중간체 용액', '희석액'))} "
                f"{chr(65 + k % 26)}-{fac.index % 90 + 10} ({sub.name_ko} {pct}%)",
                f"{pct}", fnum(rng, f"{mixture_kg * pct / 100:.1f}", 0.1),
                fdate(rng, calculated), basis, fdate_opt(rng, reviewed),
                fbool_opt(rng, conforming),
            ))
        if fac.index == _BAD_ROWS_FACILITY:
            sub = fac.substances[0]
            self.planted("small_quantity_calcs", (f"SQ-{fid}-X1", fid, sub.cas_no, "원액 오기입",
                                                  "120", "50.0", "2025-05-12", "", "", ""),
                         "out_of_range", "concentration_pct 120")

    def write_engagements(self, fac: _Facility, rng: random.Random) -> None:
        fid = fac.facility_id
        k = 0
        if fac.role == "chlorine_storage":
            k += 1
            contractor = f"C{3:0{self.con_width}d}"
            line = self.write("contractor_engagements", (f"EN-{fid}-{k:02d}", contractor, fid,
                                                         "2025-04-07", "2025-04-18"))
            self.note("contractor_engagements.csv", line, "accepted",
                      f"{contractor} (never pre-assessed) works at HIGH-tier {fid}")
        for _ in range(_poisson(rng, 1.4)):
            start = _rand_date(rng, WINDOW_START, WINDOW_END)
            if not fac.active(start):
                continue
            k += 1
            contractor = f"C{rng.randrange(self.n_contractors) + 1:0{self.con_width}d}"
            end = None if rng.random() < 0.12 else _days(start, rng.randint(2, 120))
            self.write("contractor_engagements", (
                f"EN-{fid}-{k:02d}", contractor, fid, fdate(rng, start), fdate_opt(rng, end),
            ))

    def write_orphan_facility(self) -> None:
        """A facility of a site missing from sites.csv: it and its rows become orphans."""
        fid = ORPHAN_FACILITY_ID
        self.planted("facilities", (fid, ORPHAN_SITE_ID, "인수 예정 공장 저장탱크", "STORAGE",
                                    "2010-04-01", ""),
                     "orphan_reference", f"site_id {ORPHAN_SITE_ID} is not in sites.csv")
        inspection_id = f"INS-{fid}-0001"
        self.planted("inspections", (inspection_id, fid, "REGULAR_INSPECTION", "2025-05-20",
                                     ref.REGULAR_INSPECTORS[0], "FAIL"),
                     "orphan_reference", f"facility {fid} is rejected (cascade)")
        for k, (category, severity) in enumerate((("LABELING", 2), ("CONTAINMENT", 3)), 1):
            texts = ref.FINDING_TEXTS[category]
            self.planted("findings", (f"FND-{fid}-{k:04d}", inspection_id, fid, "2025-05-20",
                                      category, str(severity), texts[0], "", "", ""),
                         "orphan_reference", f"inspection {inspection_id} is rejected (cascade)")
        self.planted("inventory_system", ("2025-06-30", fid, "7647-01-0", "5400.0", "8000"),
                     "orphan_reference", f"facility {fid} is rejected (cascade)")

    # ----------------------------------------------------------------- site-level files
    def write_site_events(self, site: _Site) -> None:
        rng = self.rng("site-events", site.index)
        self.write_hours_and_production(site, rng)
        self.write_drills(site, self.rng("drills", site.index))
        self.write_incidents(site, self.rng("incidents", site.index))
        self.write_admin_actions(site, self.rng("admin", site.index))

    def write_hours_and_production(self, site: _Site, rng: random.Random) -> None:
        sid = site.site_id
        for month in _month_starts(WINDOW_START, WINDOW_END):
            employee = site.n_employees * 173 * rng.uniform(0.95, 1.05)
            turnaround = 0.35 if month.month in (4, 10) else 0.0
            contractor = employee * (0.22 + turnaround) * rng.uniform(0.85, 1.15)
            self.write("hours_worked", (
                pad(rng, sid, 0.03), fdate(rng, month, 0.05),
                fnum(rng, f"{employee:.1f}", 0.15), fnum(rng, f"{contractor:.1f}", 0.15),
            ))
            if site.index == 0 and month == date(2025, 3, 1):
                self.planted("hours_worked", (sid, "2025-03-15", f"{employee:.1f}", "0"),
                             "out_of_range", "month 2025-03-15 (not the first of a month)")
        intensity0 = 90 + 60 * (1 - site.quality)  # kg of hazardous chemicals per tonne
        for month in _month_starts(date(2024, 1, 1), WINDOW_END):
            years = (month - date(2024, 1, 1)).days / 365
            seasonal = 0.8 if month.month in (4, 10) else 1.0
            tonnes = max(1, site.n_facilities) * 850 * seasonal * rng.uniform(0.9, 1.1)
            value = tonnes * rng.uniform(0.18, 0.3) * (1 + 0.04 * years)
            if site.index == 1 and month == date(2025, 4, 1):
                value = -184.3  # turnaround month with a loss
            use = tonnes * intensity0 * (1 - 0.07 * years) * rng.uniform(0.93, 1.07)
            line = self.write("production", (
                sid, fdate(rng, month, 0.05), fnum(rng, f"{tonnes:.1f}", 0.1),
                f"{value:.1f}", fnum(rng, f"{use:.1f}", 0.2),
                fnum(rng, f"{use * rng.uniform(0.02, 0.05):.1f}", 0.1),
            ))
            if value < 0:
                self.note("production.csv", line, "accepted",
                          f"{sid} {month:%Y-%m} value_added_krw_m negative (turnaround loss)")
        if site.index == 1:
            self.planted("production", (sid, "2023-12-01", "10200.0", "2100.5", "1250000.0",
                                        "-12.0"),
                         "negative_value", "hazardous_waste_kg -12.0")

    def write_drills(self, site: _Site, rng: random.Random) -> None:
        sid = site.site_id
        k = 0
        size = max(1.0, site.n_facilities / 12)
        for qi, start in enumerate(QUARTER_STARTS):
            n = 1 + _poisson(rng, 0.35 * size)
            for _ in range(n):
                k += 1
                drill_id = f"DR-{sid}-{k:03d}"
                on = _rand_date(rng, start, QUARTER_ENDS[qi])
                scenario, risk = ref.DRILL_SCENARIOS[rng.randrange(len(ref.DRILL_SCENARIOS))]
                if site.index == 0 and k == 1:
                    scenario = '"야간" 암모니아 누출 비상연락 훈련'
                planned = rng.randint(15, 60) * (2 if risk == "HIGH" else 1)
                actual = min(planned + 3, round(planned * rng.uniform(0.78, 1.05)))
                adequate = actual >= 0.8 * planned and rng.random() < 0.8 + 0.15 * site.quality
                evaluation = "ADEQUATE" if adequate else "INADEQUATE"
                line = self.write("drills", (
                    drill_id, sid, fdate(rng, on), scenario, fcode(rng, "risk_level", risk, 0.2),
                    str(planned), str(actual), fcode(rng, "drill_evaluation", evaluation, 0.2),
                ))
                if site.index == 0 and k == 1:
                    self.note("drills.csv", line, "accepted", "scenario with embedded quotes")
                n_actions = rng.randint(1, 2) if not adequate else int(rng.random() < 0.5)
                for a in range(1, n_actions + 1):
                    due = _days(on, 30 * a)
                    self._action(rng, "DRILL", drill_id, f"CA-{drill_id}-{a}", due,
                                 self._completion(rng, on, due, site.quality))
            if site.index == 0 and qi == 3:
                self.planted("drills", (f"DR-{sid}-X01", sid, "2025-06-27", "합동 소방훈련",
                                        "MEDIUM", "40", "3.5", "ADEQUATE"),
                             "bad_integer", "participants_actual 3.5")

    def write_incidents(self, site: _Site, rng: random.Random) -> None:
        sid = site.site_id
        size = max(1.0, site.n_facilities / 12)
        k = 0

        def pick_facility(on: date) -> _Facility | None:
            if site.n_facilities == 0:
                return None
            for _ in range(3):
                fac = self.facility(self._site_facility(site.index,
                                                        rng.randrange(site.n_facilities)))
                if fac.active(on):
                    return fac
            return None

        def emit(row: tuple[str, ...], text: str = "") -> str:
            nonlocal k
            k += 1
            incident_id = f"INC-{sid}-{k:04d}"
            line = self.write("incidents", (incident_id, *row))
            if text:
                self.note("incidents.csv", line, "accepted", text)
            return incident_id

        planted = self._planted_incidents(site)
        for qi, start in enumerate(QUARTER_STARTS):
            end = QUARTER_ENDS[qi]
            events: list[tuple[date, str]] = []
            for kind, lam in (("NEAR_MISS", 1.0 + 0.8 * (1 - site.quality)), ("EXPOSURE", 0.08),
                              ("RELEASE", 0.3), ("FIRE", 0.02)):
                events += [(_rand_date(rng, start, end), kind)
                           for _ in range(_poisson(rng, lam * size))]
            events += [(on, "PLANTED") for on in planted if start <= on <= end]
            events.sort()
            for on, kind in events:
                if kind == "PLANTED":
                    row, text = planted[on]
                    incident_id = emit(row, text)
                    self._action(rng, "INCIDENT", incident_id, f"CA-{incident_id}-1",
                                 _days(on, 30), self._completion(rng, on, _days(on, 30), 1.0))
                    continue
                fac = pick_facility(on)
                sub = None
                if fac is not None and rng.random() < 0.85:
                    sub = fac.substances[rng.randrange(len(fac.substances))]
                released = 0.0
                injuries = 0
                cost = 0
                scope = "NONE"
                if kind == "NEAR_MISS":
                    incident_type = "NEAR_MISS"
                elif kind == "EXPOSURE":
                    incident_type, injuries, scope = "EXPOSURE", 1, "ON_SITE"
                    cost = rng.randint(2, 30) * 100_000
                else:
                    incident_type = ("FIRE" if kind == "FIRE"
                                     else rng.choice(_INCIDENT_TYPES_RELEASE))
                    tq = _TQ_KG.get(sub.release_category or 0, 200) if sub else 200
                    share = rng.uniform(0.1, 0.4) if rng.random() < 0.08 else rng.uniform(
                        0.002, 0.08)
                    released = 0.0 if kind == "FIRE" else round(tq * share, 1)
                    injuries = int(rng.random() < 0.06)
                    scope = "ENVIRONMENT" if rng.random() < 0.04 else "ON_SITE"
                    cost = rng.randint(1, 40) * 100_000 if kind != "FIRE" else rng.randint(
                        5, 28) * 100_000
                reportable = released > 0 and (scope != "ON_SITE" or rng.random() < 0.3)
                incident_id = emit((
                    pad(rng, sid, 0.02), "" if fac is None else fac.facility_id,
                    fdate(rng, on), fcode(rng, "incident_type", incident_type, 0.15),
                    "" if sub is None else sub.cas_no, fnum(rng, f"{released:.1f}", 0.1),
                    fcode(rng, "impact_scope", scope, 0.15), fbool(rng, reportable),
                    str(injuries), "0", "0", fbool(rng, False), fnum(rng, str(cost), 0.3),
                ))
                if incident_type != "NEAR_MISS" or rng.random() < 0.4:
                    due = _days(on, 30)
                    self._action(rng, "INCIDENT", incident_id, f"CA-{incident_id}-1", due,
                                 self._completion(rng, on, due, site.quality))
        if site.index == 0:
            other = self.facility(1)  # a facility of the second site
            self.planted("incidents", (f"INC-{sid}-X001", sid, other.facility_id, "2025-07-14",
                                       "NEAR_MISS", "", "0", "NONE", "N", "0", "0", "0", "N",
                                       "0"),
                         "inconsistent_reference",
                         f"facility {other.facility_id} belongs to {other.site.site_id}, "
                         f"not {sid}")
            self.planted("incidents", (f"INC-{sid}-X002", sid, "", "2025-07-15", "SPILL",
                                       "1310-73-2", "-2", "ON_SITE", "N", "0", "0", "0", "N",
                                       "0"),
                         "negative_value", "released_kg -2")

    def _planted_incidents(self, site: _Site) -> dict[date, tuple[tuple[str, ...], str]]:
        """Process-safety events that must occur: a Tier 1 release, a Tier 2 release, a fire."""
        if site.index == 0:
            fac = self.facility(0)
            return {
                date(2025, 5, 14): ((site.site_id, fac.facility_id, "2025-05-14", "LEAK",
                                     "7782-50-5", "40.0", "ON_SITE", "Y", "2", "1", "0", "N",
                                     "18,500,000"),
                                    "Tier 1: chlorine leak 40 kg >= TQ 25 kg (category 2), "
                                    "1 lost-time injury"),
                date(2025, 11, 3): ((site.site_id, "", "2025-11-03", "화재", "", "0",
                                     "사업장 내", "N", "0", "0", "0", "N", "8,700,000"),
                                    "Tier 2: warehouse fire, direct cost 8,700,000 KRW"),
            }
        if site.index == 1:
            fac = self.facility(1)
            return {
                date(2026, 2, 9): ((site.site_id, fac.facility_id, "2026.02.09", "LEAK",
                                    "7664-39-3", "35.0", "ON_SITE", "예", "0", "0", "0", "아니오",
                                    "4200000"),
                                   "Tier 2: hydrogen fluoride 35 kg >= TQ/10 = 10 kg "
                                   "(category 3, TQ 100 kg)"),
            }
        return {}

    def write_admin_actions(self, site: _Site, rng: random.Random) -> None:
        sid = site.site_id
        actions: list[tuple[date, str]] = []
        for _ in range(_poisson(rng, 0.6 * max(1.0, site.n_facilities / 12))):
            kind = _ADMIN_TYPES[rng.choices(range(5), cum_weights=_ADMIN_CUM)[0]]
            actions.append((_rand_date(rng, WINDOW_START, WINDOW_END), kind))
        if site.index == 0:
            actions.append((date(2025, 6, 20), "FINE"))
        actions.sort()
        for k, (on, kind) in enumerate(actions, 1):
            amount = ""
            if kind == "FINE":
                amount = "3000000" if (site.index == 0 and on == date(2025, 6, 20)) else str(
                    rng.randint(2, 20) * 500_000)
                amount = group(amount) if rng.random() < 0.6 else amount
            self.write("admin_actions", (
                f"AA-{sid}-{k:02d}", sid, fdate(rng, on),
                fcode(rng, "admin_action_type", kind, 0.25),
                rng.choice(ref.ADMIN_BASES[kind]), amount,
            ))

    # ----------------------------------------------------------------- training
    def write_training(self, site: _Site) -> None:
        sid = site.site_id
        for e in range(site.n_employees):
            number = site.first_employee + e
            rng = self.rng("employee", number)
            employee_no = f"E{number}"
            high_risk = rng.random() < 0.35
            courses = [("CHEM-101", 365)]
            if high_risk:
                courses += [("CHEM-201", 182), ("CHEM-301", 365)]
            if rng.random() < 0.2:
                courses.append(("PSM-110", 730))
            k = 0
            signed: list[tuple[str, date]] = []
            for course, period in courses:
                due = _days(WINDOW_START, rng.randint(0, period - 1))
                while due <= TRAINING_HORIZON:
                    k += 1
                    record_id = f"TR-{employee_no}-{k:02d}"
                    r = rng.random()
                    completed: date | None = None
                    if r < 0.8 + 0.12 * site.quality:
                        completed = _days(due, -rng.randint(1, 45))
                    elif r < 0.96:
                        completed = _days(due, rng.randint(1, 60))
                    if completed is not None and completed > EXTRACT_DATE:
                        completed = None
                    score = ""
                    passed: bool | None = None
                    if completed is not None:
                        passed = True
                        if rng.random() >= 0.04:
                            value = min(100.0, max(40.0, round(rng.gauss(86, 8) * 2) / 2))
                            score = f"{value:g}"
                            passed = value >= 70
                    row = (
                        record_id, employee_no, pad(rng, sid, 0.02), fbool(rng, high_risk, "TF"),
                        course, fdate(rng, due), fdate_opt(rng, completed), score,
                        fbool_opt(rng, passed, "TF"),
                    )
                    self.write("training_records", row)
                    self._signin(rng, site, employee_no, course, due, completed, signed)
                    if site.index == 0 and e == 0 and k == 1:
                        line = self.write("training_records", row)
                        self.note("training_records.csv", line, "duplicate",
                                  f"exact duplicate of {record_id} (collapses to one)")
                    due = _days(due, period)
            if site.index == 0 and e == 1:
                self.planted("training_records", (f"TR-{employee_no}-X1", employee_no, sid, "Y",
                                                  "CHEM-101", "2025-03-31", "2025-03-20", "105",
                                                  "Y"),
                             "out_of_range", "score 105")
                self.planted("training_records", (f"TR-{employee_no}-X2", employee_no, sid, "Y",
                                                  "", "2025-03-31", "", "", ""),
                             "missing_required", "course_code empty")
        # Sign-ins of people the LMS does not know (e.g. a transferred worker).
        rng = self.rng("signin-extra", site.index)
        for x in range(1 + site.n_employees // 150):
            session = _rand_date(rng, WINDOW_START, WINDOW_END)
            self.write("training_signin", (
                f"서명부-{sid}-{session:%y%m%d}-CHEM-101", f"E9{site.index:03d}{x:03d}",
                "CHEM-101", fdate(rng, session, 0.1),
            ))

    def _signin(self, rng: random.Random, site: _Site, employee_no: str, course: str, due: date,
                completed: date | None, signed: list[tuple[str, date]]) -> None:
        """Paper sign-in of one LMS record: mostly matching, some missing or off either way."""
        r = rng.random()
        if completed is not None:
            if r < 0.025:
                return  # completed in the LMS, no signature on paper
            session = completed if r >= 0.05 else _days(completed, rng.choice((-2, -1, 1, 2)))
        elif due <= EXTRACT_DATE and r < 0.25:
            session = _days(due, -rng.randint(0, 10))  # attended, LMS never updated
        else:
            return
        if session > EXTRACT_DATE:
            return
        while (course, session) in signed:
            session = _days(session, 1)
        signed.append((course, session))
        self.write("training_signin", (
            f"서명부-{site.site_id}-{session:%y%m%d}-{course}", employee_no, course,
            fdate(rng, session, 0.1),
        ))


@dataclass(frozen=True)
class _Part:
    """What one part wrote: its folder, (records, physical lines) per file, its notes
    (lines counted from the part's first line as if it followed a header)."""

    folder: Path
    written: dict[str, tuple[int, int]]
    notes: list[Note]


@dataclass(frozen=True)
class _Pool:
    """The worker processes of one drop and the folder their parts go to."""

    executor: ProcessPoolExecutor
    folder: Path


_FILE_NAMES = {f.file_name: f.name for f in FILES}
_LINE_IN_TEXT = re.compile(r"\bline \d")


def _chunks(n: int, workers: int, at_least: int) -> list[tuple[int, int]]:
    """[first, stop) ranges over n items: one when small or with one worker, else about
    four per worker so that uneven parts even out."""
    if workers <= 1 or n < at_least:
        return [(0, n)]
    count = min(n, 4 * workers)
    bounds = [n * k // count for k in range(count + 1)]
    return list(itertools.pairwise(bounds))


def _write_part_files(folder: Path, scale: float, seed: int, kind: str, first: int,
                      stop: int) -> _Part:
    """In a worker process: one part of the drop into its own headerless files."""
    gen = _Generator(folder, scale, seed)
    gen.open_sinks(part=True)
    try:
        gen.write_part(kind, first, stop)
    finally:
        gen.close_sinks()
    return _Part(folder, {name: (sink.rows, sink.lines) for name, sink in gen.sinks.items()},
                 gen.notes)


def generator_workers() -> int:
    """Processes that write a large drop: CHEMSAFE_GENERATOR_WORKERS, else the CPUs (at
    most 8)."""
    return workers_setting(GENERATOR_WORKERS_ENV, at_most=8)


def generate(
    out_dir: Path, scale: float = DEFAULT_SCALE, seed: int = DEFAULT_SEED,
    workers: int | None = None,
) -> dict[str, int]:
    """Write the demo extract drop into ``out_dir``; return records written per file.

    One ``<name>.csv`` per file of the contract plus ``README.md``. Counts include planted bad
    rows and exact duplicates (every record, not the header or blank lines). ``workers``
    (default: generator_workers()) processes write a large drop; the bytes are the same
    whatever their number.
    """
    return _Generator(Path(out_dir), scale, seed).run(workers or generator_workers())
