"""README.md of a generated demo drop (Korean + English), listing the planted rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chemsafe.contract import FILES
from chemsafe.demo.formats import Note

_INTRO = """\
# 데모 추출 파일 / Demo extract drop

가상의 화학회사 **{company}**의 화학물질관리법 관련 기록을 흉내 낸 데모 추출 파일입니다.
회사, 사업장, 사람, 사건은 모두 가상이며, 물질의 CAS 번호와 산업단지 지역명만 실제입니다.
이 폴더는 생성기가 만든 결과물이므로 직접 수정하지 말고 다시 생성하십시오.

A demo drop of the fictional chemical company **{company_en}**, laid out as fixed by
`docs/extract_contract.md`. The company, its sites, people and events are fictional; the
CAS numbers and the industrial regions are real. The folder is generated: do not edit it by
hand, regenerate it:

```
python scripts/generate_demo_extracts.py --out demo/extracts --scale {scale} --seed {seed}
```

Same arguments give byte-identical files. Scale {scale}: {sites} sites, {facilities}
facilities, {findings} finding records; reporting window 2024-Q3 .. 2026-Q2 (eight quarter-end
`reference_date`s in inventory_system.csv), extracted 2026-07-10. Facilities (and all that
hangs on them) grow linearly with the scale, at least 12; sites as max(3, round(3·√scale));
findings ≈ {per_scale:,} × scale (about {at_10k:.1f} million at scale 10,000). The planted bad
rows, encodings and header variants below are fixed and do not grow with the scale.

The data are meant to make KPIs differ between sites and quarters, not to look good: counts
miss, checks are skipped, actions run late. They say nothing about any real company.
"""

_CONVENTIONS = """\
## 적용된 규약 / Conventions exercised

- 인코딩 / encodings: `self_inspection_field.csv` and `training_signin.csv` are CP949 (not
  valid UTF-8), `drills.csv` is UTF-8 with BOM, every other file UTF-8 without BOM.
  CP949 files and `drills.csv`, `hours_worked.csv`, `production.csv` end lines with CRLF.
- 헤더 / headers: `inventory_field.csv` has its header in mixed case, with surrounding
  spaces and in another column order; `findings.csv` has an extra column `remarks`.
- 값 표기 / value spellings, on a small share of rows: dates as `YYYY.MM.DD`, `YYYY/MM/DD`,
  `YYYYMMDD`; Korean code labels (`고`/`중`/`저`, `적합`/`부적합`, `정기검사`, `누출` ...) and
  lower-case codes; booleans as `Y`/`N`, `1`/`0`, `TRUE`/`false`, `예`/`아니오`; numbers with
  quoted thousands grouping (`"12,345.6"`); integers written `3.0`; cells with surrounding
  spaces; blank lines and a line of only spaces.
- 재고 / inventory: counts a few days after each quarter end, mostly within tolerance, some
  out of it, some missing on either side; exact tolerance boundaries are listed below. The
  last quarter (2026-Q2) follows a count-accuracy programme: one line out of tolerance and
  none missing, so `chemsafe reconcile` passes its controls there (exit 0) and fails them in
  the earlier quarters (exit 1).
- 대사 / reconciliations: the paper self-inspection register, the training sign-in sheets and
  the physical counts each match their system data for most rows and differ for a few, in
  both directions.
- 행정·사고 / events: one site (S03) has no findings at all in 2025-Q2.
"""


def _table(notes: Sequence[Note], with_reason: bool) -> list[str]:
    order = {f.file_name: k for k, f in enumerate(FILES)}
    rows = sorted(notes, key=lambda n: (order.get(n.file, 99), n.line))
    header = "| file | line | reason | what |" if with_reason else "| file | line | what |"
    lines = [header, "|---|---|---|---|" if with_reason else "|---|---|---|"]
    for n in rows:
        text = n.text.replace("|", "\\|").replace("\n", " ")
        if with_reason:
            lines.append(f"| {n.file} | {n.line} | `{n.reason}` | {text} |")
        else:
            lines.append(f"| {n.file} | {n.line} | {text} |")
    return lines


def render_readme(
    notes: Sequence[Note],
    counts: Mapping[str, int],
    *,
    scale: float,
    seed: int,
    sites: int,
    facilities: int,
    layouts: Mapping[str, str],
    company: tuple[str, str],
    findings_per_scale: int,
) -> str:
    """The README text: intro, files, conventions and the planted rows with their lines."""
    out = [_INTRO.format(company=company[0], company_en=company[1], scale=scale, seed=seed,
                         sites=sites, facilities=facilities,
                         findings=f"{counts.get('findings', 0):,}",
                         per_scale=findings_per_scale,
                         at_10k=findings_per_scale * 10_000 / 1e6)]
    out += ["## 파일 / Files", "", "| file | records | layout | 내용 |", "|---|---|---|---|"]
    for f in FILES:
        out.append(f"| {f.file_name} | {counts.get(f.name, 0):,} | {layouts[f.name]} | "
                   f"{f.label_ko} |")
    out += ["", "Records count every data record written, planted bad rows and exact duplicates "
            "included; line numbers are physical lines, the header being line 1.", ""]
    out.append(_CONVENTIONS)
    accepted = [n for n in notes if n.reason == "accepted"]
    duplicates = [n for n in notes if n.reason == "duplicate"]
    rejected = [n for n in notes if n.reason not in ("accepted", "duplicate")]
    out += ["## 경계 사례 (적재됨) / Planted edge cases (all load)", ""]
    out += _table(accepted, with_reason=False)
    out += ["", "## 중복 행 / Exact duplicate rows (collapse to one, counted)", ""]
    out += _table(duplicates, with_reason=False)
    out += ["", "## 불량 행 (거부 대상) / Planted bad rows (rejected, with the expected reason)",
            "", "Each is an additional row: the accepted rows keep every property above. Rows "
            "whose parent is rejected are rejected in turn (`orphan_reference`, cascade).", ""]
    out += _table(rejected, with_reason=True)
    reasons = sorted({n.reason for n in rejected})
    out += ["", f"Reason codes present: {', '.join(f'`{r}`' for r in reasons)}.", ""]
    return "\n".join(out)
