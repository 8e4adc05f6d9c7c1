"""The deterministic demo extract generator (src/chemsafe/demo) and the committed drop."""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import re
import sys
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:  # also runnable without the package installed
    sys.path.insert(0, str(ROOT / "src"))

from chemsafe.contract import FILES, FILES_BY_NAME, REASON_CODES  # noqa: E402
from chemsafe.demo import DEFAULT_SCALE, DEFAULT_SEED, generate  # noqa: E402
from chemsafe.demo import generator as generator_module  # noqa: E402
from chemsafe.demo.formats import Sink  # noqa: E402
from chemsafe.demo.generator import (  # noqa: E402
    GENERATOR_WORKERS_ENV,
    PARALLEL_MIN_FACILITIES,
    PARALLEL_MIN_SITES,
    _chunks,
    generator_workers,
    sizing,
)
from chemsafe.demo.reference import (  # noqa: E402
    CAS_BAD_CHECK_DIGITS,
    CAS_NOT_LISTED,
    LABELS,
    SUBSTANCES,
)
from conftest import decode_extract  # noqa: E402

COMMITTED = ROOT / "demo" / "extracts"
QUARTER_ENDS = [
    date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30),
    date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 30),
]
ABSOLUTE_CLAIMS = ("완전 안전", "완전안전", "사고 불가능", "completely safe", "zero risk")


# ----------------------------------------------------------------------------- helpers
def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Normalised header and trimmed records (blank lines skipped)."""
    text, _ = decode_extract(path.read_bytes())
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip().lower() for h in records[0]]
    rows = [[c.strip() for c in r] for r in records[1:] if r and "".join(r).strip()]
    return header, rows


def parse_date(cell: str) -> date | None:
    m = re.fullmatch(r"(\d{4})[-./]?(\d{2})[-./]?(\d{2})", cell)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def cas_valid(cas: str) -> bool:
    m = re.fullmatch(r"([1-9]\d{1,6})-(\d{2})-(\d)", cas)
    if not m:
        return False
    digits = (m[1] + m[2])[::-1]
    return sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10 == int(m[3])


@pytest.fixture(scope="module")
def drop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("demo_default")
    return out, generate(out)


# ----------------------------------------------------------------------------- tests
def test_same_arguments_give_identical_bytes(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", scale=0.3, seed=7)
    second = generate(tmp_path / "b", scale=0.3, seed=7)
    assert first == second
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    other = generate(tmp_path / "c", scale=0.3, seed=8)
    assert (tmp_path / "c" / "findings.csv").read_bytes() != (
        tmp_path / "a" / "findings.csv").read_bytes()
    assert other.keys() == first.keys()


def test_a_large_drop_written_by_several_processes_has_the_same_bytes(tmp_path: Path) -> None:
    """Past the sizes at which the facilities and the training records are written in
    parts by worker processes, two or three workers write the same files, byte for byte
    (README and its planted lines included), as one process, and leave nothing else."""
    scale = 30.0
    size = sizing(scale)
    assert size.facilities >= PARALLEL_MIN_FACILITIES and size.sites >= PARALLEL_MIN_SITES
    assert len(_chunks(size.facilities, 2, PARALLEL_MIN_FACILITIES)) > 1
    assert len(_chunks(size.sites, 2, PARALLEL_MIN_SITES)) > 1
    one = tmp_path / "one"
    counts = generate(one, scale=scale, seed=11, workers=1)
    names = sorted(p.name for p in one.iterdir())
    for workers in (2, 3):
        out = tmp_path / f"workers-{workers}"
        assert generate(out, scale=scale, seed=11, workers=workers) == counts
        assert sorted(p.name for p in out.iterdir()) == names  # no part folder left behind
        for name in names:
            assert (out / name).read_bytes() == (one / name).read_bytes(), (workers, name)


def _failing_part(folder: Path, scale: float, seed: int, kind: str, first: int,
                  stop: int) -> None:
    raise OSError(f"no space left on device writing {kind} {first}..{stop}")


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the failing part reaches the workers through fork")
def test_a_failing_worker_stops_the_drop_and_leaves_no_part_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator_module, "_write_part_files", _failing_part)
    out = tmp_path / "drop"
    with pytest.raises(OSError, match="no space left on device writing facilities"):
        generate(out, scale=30.0, seed=11, workers=2)
    assert [p.name for p in out.iterdir() if p.name.startswith(".generate-")] == []


def test_the_number_of_workers_is_a_positive_whole_number_else_the_cpus(
        monkeypatch: pytest.MonkeyPatch) -> None:
    default = max(1, min(8, os.cpu_count() or 1))
    for value, expected in (("3", 3), (" 5 ", 5), ("0", default), ("-2", default),
                            ("two", default), ("", default)):
        monkeypatch.setenv(GENERATOR_WORKERS_ENV, value)
        assert generator_workers() == expected, value
    monkeypatch.delenv(GENERATOR_WORKERS_ENV)
    assert generator_workers() == default


def test_a_part_appended_to_a_sink_keeps_every_line_number(tmp_path: Path) -> None:
    """A part (no header, no byte-order mark) appended after records with an embedded
    line break: its records land on its own line numbers moved by the lines before it."""
    whole = Sink(tmp_path / "whole.csv", ("id", "text"), encoding="utf-8-sig")
    assert whole.write(("1", "one")) == 2
    assert whole.write(("2", "two\nlines"), extra_lines=1) == 3
    part = Sink(tmp_path / "part.csv", None, encoding="utf-8-sig")
    assert part.write(("3", "three")) == 2  # counted as if a header stood before it
    assert part.blank() == 3
    assert part.write(("4", "four")) == 4
    part.close()
    assert (part.rows, part.lines) == (2, 3)
    assert not (tmp_path / "part.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert whole.append(tmp_path / "part.csv", part.rows, part.lines) == 3
    assert whole.write(("5", "five")) == 8
    whole.close()
    raw = (tmp_path / "whole.csv").read_bytes()
    assert raw.count(b"\xef\xbb\xbf") == 1 and raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").split("\n")
    assert lines[:8] == ["id,text", "1,one", '2,"two', 'lines"', "3,three", "", "4,four",
                         "5,five"]
    assert whole.rows == 5


def test_every_contract_file_with_every_column(drop: tuple[Path, dict[str, int]]) -> None:
    out, counts = drop
    assert set(counts) == {f.name for f in FILES}
    for f in FILES:
        header, rows = read_rows(out / f.file_name)
        assert len(header) == len(set(header)), f.file_name
        missing = [c for c in f.column_names if c not in header]
        assert not missing, f"{f.file_name} lacks {missing}"
        assert rows, f.file_name
        assert counts[f.name] == len(rows), f.file_name


def test_substance_cas_numbers_are_valid(drop: tuple[Path, dict[str, int]]) -> None:
    assert [s.cas_no for s in SUBSTANCES if not cas_valid(s.cas_no)] == []
    assert cas_valid(CAS_NOT_LISTED) and not any(cas_valid(c) for c in CAS_BAD_CHECK_DIGITS)
    header, rows = read_rows(drop[0] / "substances.csv")
    cas = [r[header.index("cas_no")] for r in rows]
    valid = [c for c in cas if cas_valid(c)]
    assert len(valid) >= 40 and len(set(valid)) == len(valid)
    for known in ("7647-01-0", "7664-93-9", "1310-73-2", "7664-41-7", "7782-50-5", "50-00-0",
                  "71-43-2", "108-88-3", "67-56-1", "7664-39-3", "75-21-8", "107-13-1"):
        assert known in valid
    assert [c for c in cas if not cas_valid(c)] == ["7647-01-1"]  # the planted bad_cas row


def test_inventory_reports_eight_quarter_ends(drop: tuple[Path, dict[str, int]]) -> None:
    header, rows = read_rows(drop[0] / "inventory_system.csv")
    dates = Counter(parse_date(r[header.index("reference_date")]) for r in rows)
    quarter_ends = sorted(d for d in dates if d is not None and d in QUARTER_ENDS)
    assert quarter_ends == QUARTER_ENDS
    assert all(dates[d] > 20 for d in QUARTER_ENDS)


def test_inventory_tolerance_cases(drop: tuple[Path, dict[str, int]]) -> None:
    """Exact boundaries and a line out of tolerance two quarters running are present."""
    def num(cell: str) -> Decimal:
        return Decimal(cell.replace(",", ""))

    precaution = {s.cas_no for s in SUBSTANCES if s.accident_precaution}
    sh, srows = read_rows(drop[0] / "inventory_system.csv")
    fh, frows = read_rows(drop[0] / "inventory_field.csv")
    system = {(parse_date(r[sh.index("reference_date")]), r[sh.index("facility_id")],
               r[sh.index("cas_no")]): num(r[sh.index("quantity_kg")]) for r in srows
              if re.fullmatch(r"-?[\d,]+(\.\d+)?", r[sh.index("quantity_kg")])}
    field = {(parse_date(r[fh.index("reference_date")]), r[fh.index("facility_id")],
              r[fh.index("cas_no")]): num(r[fh.index("counted_kg")]) for r in frows
             if re.fullmatch(r"-?[\d,]+(\.\d+)?", r[fh.index("counted_kg")])}
    at_boundary = 0
    misses: set[tuple[int, str, str]] = set()
    for key, qty in system.items():
        if key not in field or key[0] not in QUARTER_ENDS:
            continue
        rel = Decimal("0.005") if key[2] in precaution else Decimal("0.02")
        tol = max(Decimal(1), rel * qty)
        diff = abs(field[key] - qty)
        at_boundary += diff == tol
        if diff > tol:
            misses.add((QUARTER_ENDS.index(key[0]), key[1], key[2]))
    assert at_boundary >= 3
    assert any((q + 1, f, c) in misses for q, f, c in misses)
    assert set(system) - set(field) and set(field) - set(system)  # misses in both directions


def test_encodings_vary(drop: tuple[Path, dict[str, int]]) -> None:
    out = drop[0]
    for name in ("self_inspection_field.csv", "training_signin.csv"):
        raw = (out / name).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert decode_extract(raw)[1] == "cp949"
        assert re.search("[가-힣]", raw.decode("cp949"))
    assert (out / "drills.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    utf8 = [f.file_name for f in FILES
            if decode_extract((out / f.file_name).read_bytes())[1] == "utf-8"]
    assert len(utf8) == len(FILES) - 3


def test_value_spellings_vary(drop: tuple[Path, dict[str, int]]) -> None:
    """Korean labels, other date layouts, grouping, spaces, extra column, changed header."""
    out = drop[0]
    texts = {f.name: decode_extract((out / f.file_name).read_bytes())[0] for f in FILES}
    everything = "\n".join(texts.values())
    assert re.search(r",(고|중|저|보통|높음|낮음),", texts["risk_assessments"])
    assert re.search(r",(적합|부적합)$", texts["inspections"], re.M)
    assert re.search(r",(예|아니오),", everything)
    for pattern in (r"\b20\d\d\.\d\d\.\d\d\b", r"\b20\d\d/\d\d/\d\d\b", r",20\d\d[01]\d[0-3]\d,"):
        assert re.search(pattern, everything), pattern
    assert re.search(r'"\d{1,3}(,\d{3})+(\.\d+)?"', everything)
    assert re.search(r", +F\d{4}|F\d{4} +,| S\d\d", everything)
    assert texts["findings"].splitlines()[0].endswith(",remarks")
    field_header = texts["inventory_field"].splitlines()[0]
    assert field_header != ",".join(FILES_BY_NAME["inventory_field"].column_names)
    assert " CAS_No " in field_header
    assert "\n\n" in texts["findings"]  # a blank line
    assert re.search(r'"[^"\n]*\n[^"]*"', texts["findings"])  # a quoted cell with a line break
    assert re.search(r'"[^"\n]*,[^"\n]*"', texts["findings"])  # ... and one with a comma


def test_planted_bad_rows_cover_every_reason_code(drop: tuple[Path, dict[str, int]]) -> None:
    out, counts = drop
    readme = (out / "README.md").read_text(encoding="utf-8")
    bad = re.findall(r"^\| (\S+\.csv) \| (\d+) \| `(\w+)` \|", readme, re.M)
    assert {reason for _, _, reason in bad} == set(REASON_CODES)
    assert len(bad) < 0.01 * sum(counts.values())
    for file, line, _ in bad:
        text, _ = decode_extract((out / file).read_bytes())
        assert int(line) <= len(text.splitlines()), (file, line)


def test_findings_grow_with_scale(tmp_path: Path) -> None:
    small = generate(tmp_path / "s1", scale=1.0)["findings"]
    large = generate(tmp_path / "s3", scale=3.0)["findings"]
    assert 1000 <= small <= 3000
    assert 2.4 <= large / small <= 3.6


def test_labels_are_those_of_the_code_label_seed() -> None:
    seed = ROOT / "seeds" / "reference" / "code_labels.csv"
    with seed.open(encoding="utf-8") as fh:
        known = {(r["code_set"], r["code"], r["label"]) for r in csv.DictReader(fh)}
    used = {(code_set, code, label) for code_set, codes in LABELS.items()
            for code, labels in codes.items() for label in labels}
    assert used <= known, sorted(used - known)


def test_no_absolute_safety_claims(drop: tuple[Path, dict[str, int]]) -> None:
    sources = [*(ROOT / "src" / "chemsafe" / "demo").glob("*.py"), *drop[0].iterdir()]
    for path in sources:
        text = decode_extract(path.read_bytes())[0].lower()
        assert not [c for c in ABSOLUTE_CLAIMS if c.lower() in text], path.name


def test_script_entry_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "generate_demo_extracts", ROOT / "scripts" / "generate_demo_extracts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--out", str(tmp_path), "--scale", "0.2", "--seed", "3"]) == 0
    with pytest.raises(SystemExit):  # argparse's usage error
        module.main(["--out", str(tmp_path), "--workers", "0"])
    assert (tmp_path / "findings.csv").exists() and "findings.csv" in capsys.readouterr().out


def test_committed_drop_is_a_fresh_default_generation(
        drop: tuple[Path, dict[str, int]]) -> None:
    assert DEFAULT_SCALE == 1.0 and DEFAULT_SEED == 20260630
    out = drop[0]
    fresh = sorted(p.name for p in out.iterdir())
    assert sorted(p.name for p in COMMITTED.iterdir()) == fresh, (
        "demo/extracts differs: run python scripts/generate_demo_extracts.py")
    for name in fresh:
        assert (COMMITTED / name).read_bytes() == (out / name).read_bytes(), (
            f"demo/extracts/{name} is stale: run python scripts/generate_demo_extracts.py")
