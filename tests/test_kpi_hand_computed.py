"""marts.kpi_quarterly on a tiny extract set, against a table worked out BY HAND.

The fixture tests/fixtures/kpi_small/ (119 data rows in the 23 contract files) was built
so that every KPI of shared/kpi_spec.md (and LEAD_HIGH_HAZARD_COVERAGE, issue 16) has a
non-trivial value somewhere. Every number in EXPECTED below was computed by hand from
those rows and the spec; none was copied from the program's output. If the warehouse
disagrees, re-read the spec and the fixture rows named in the comment before touching an
expectation.

The fixture at a glance (all dates 2026 unless said otherwise)

Reporting window: inventory_system reference dates 03-31 and 09-30 are quarter ends,
05-15 is not (ignored) -> 2026-Q1, 2026-Q2 (no line dated 06-30, still reported), 2026-Q3.
as_of_date defaults to 09-30.

Facilities and tiers (weights LOW 1 / MEDIUM 3 / HIGH 7):
  S01  F01  HIGH all window: RA01 2025-06-01 H/H/H=9 (next_due 06-01), RA02 07-10 H/H/M=8
                             (next_due 2027-07-10)
       F02  MEDIUM until 05-03: RA03 2025-12-01 M/M/M=6 (next_due 12-01);
            HIGH from 05-04 (a Monday): RA04 H/L/M=6, HIGH by "substance HIGH and
            protection MEDIUM/HIGH" (next_due 2027-05-04)
  S02  F03  LOW: RA05 and RA06 both 2025-12-15, the greater id RA06 wins: L/M/L=4 -> LOW,
            next_due 09-15 (RA05 would say HIGH, next_due 2027)
       F04  no assessment at all -> HIGH (unassessed), never current
       F05  MEDIUM: RA07 2025-03-01 H/L/L=5 (substance HIGH but protection LOW -> not
            HIGH), next_due 03-01 (lapsed); decommissioned 05-15 (a Friday)

Mondays: Q1 Jan 5 .. Mar 30, Q2 Apr 6 .. Jun 29, Q3 Jul 6 .. Sep 28: 13 weeks each; the
week of Mon Dec 29 2025 belongs to 2025-Q4. F05 is active on the Q2 Mondays Apr 6, 13,
20, 27, May 4, 11 (6 weeks), on no Q3 Monday. F02 is MEDIUM on Apr 6..27 (4 weeks) and
HIGH on May 4..Jun 29 (9 weeks).

Hours (employee + contractor): S01 Q1 Jan 12000 + Mar 12000 = 24000 (Feb missing),
Q2 May 10000, Q3 Jul 15000 + Sep 15000 = 30000 (Aug missing); S02 Q1 Feb 5000, Q2 none
(0 hours -> rates NULL), Q3 Aug 10000.

2026-Q2 at S02 has no event at all: every flow numerator is 0 and every ratio NULL; only
the stock-like KPIs (risk-assessment currency, self-inspection coverage denominators,
open risk score of FD08) have values there.

Readings taken where the spec leaves room (see the report to the lead):
- a ratio whose denominator set is empty has denominator 0 (a count or a sum over
  nothing), numerator 0, value NULL; only ECO_FACTOR_INDEX uses NULL parts, as its row
  in the spec says;
- ECO_VALUE_PER_CHEM's denominator is in tonnes (hazardous_chem_use_kg / 1000);
- ECO_FACTOR_INDEX numerator and denominator are the two ECO_VALUE_PER_CHEM values.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import FIXTURES, assert_marts_unchanged, query

KPI_SMALL = FIXTURES / "kpi_small"

Q1, Q2, Q3 = "2026-Q1", "2026-Q2", "2026-Q3"
PERIODS = (Q1, Q2, Q3)
PERIOD_BOUNDS = {
    Q1: (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    Q2: (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    Q3: (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
}
S1, S2, CO = "S01", "S02", None  # CO: the company-wide row (site_id NULL)
SITES = (S1, S2, CO)
TOLERANCE = 1e-9  # absolute below 1, relative above

Num = int | float | None
Cell = tuple[Num, Num, Num]  # (numerator, denominator, value)
Key = tuple[str, str | None]  # (period, site_id)

# kpi_code -> (unit, {(period, site_id): (numerator, denominator, value)})
EXPECTED: dict[str, tuple[str, dict[Key, Cell]]] = {
    # ---------------------------------------------------------------- leading indicators
    "LEAD_PL_CHECK_HIGH": ("ratio", {
        # S01 Q1: PC01 (01-15) and PC02 (03-20) scheduled at HIGH F01; PC01 performed
        # 01-15, PC02 only on 04-05 > 03-31; PC03 at F02 (MEDIUM on 02-10) not counted -> 1/2
        (Q1, S1): (1, 2, 0.5),
        (Q1, S2): (0, 0, None),
        (Q1, CO): (1, 2, 0.5),  # PC01, PC02
        # S01 Q2: PC04 F02 scheduled 05-10, F02 HIGH since RA04 05-04, performed 05-12 -> 1/1
        (Q2, S1): (1, 1, 1.0),
        (Q2, S2): (0, 0, None),
        (Q2, CO): (1, 1, 1.0),
        (Q3, S1): (0, 1, 0.0),  # PC06 F01 scheduled 09-20, never performed -> 0/1
        (Q3, S2): (1, 1, 1.0),  # PC05 F04 (unassessed -> HIGH) performed 08-03 -> 1/1
        (Q3, CO): (1, 2, 0.5),  # PC05 performed, PC06 not
    }),
    "LEAD_PL_FUNCTION_TEST_HIGH": ("ratio", {
        (Q1, S1): (1, 1, 1.0),  # of PC01 (the performed one): function_tested Y -> 1/1
        (Q1, S2): (0, 0, None),
        (Q1, CO): (1, 1, 1.0),
        (Q2, S1): (0, 1, 0.0),  # PC04 performed but function_tested N (visual only) -> 0/1
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 1, 0.0),
        (Q3, S1): (0, 0, None),  # PC06 in the check denominator but not performed -> 0/0
        (Q3, S2): (1, 1, 1.0),  # PC05 function_tested Y
        (Q3, CO): (1, 1, 1.0),
    }),
    "LEAD_MOC_HIGH": ("ratio", {
        # S01 Q1: MC01 F01 implemented 02-01, approved 01-20 (ok); MC02 F01 implemented 03-15
        # without approval; MC03 at F02 (MEDIUM on 02-15) not counted -> 1/2
        (Q1, S1): (1, 2, 0.5),
        (Q1, S2): (0, 0, None),
        (Q1, CO): (1, 2, 0.5),
        (Q2, S1): (1, 1, 1.0),  # MC04 F02 (HIGH) implemented 06-01, approved 06-01 (<=) -> 1/1
        (Q2, S2): (0, 0, None),
        (Q2, CO): (1, 1, 1.0),
        (Q3, S1): (0, 0, None),
        (Q3, S2): (0, 1, 0.0),  # MC05 F04 implemented 08-10, approved 08-20 (after) -> 0/1
        (Q3, CO): (0, 1, 0.0),
    }),
    "LEAD_MOC_VERIFIED_30D": ("ratio", {
        # S01 Q1: MC01 implemented 02-01, verified 03-04 = +31 days -> no;
        # MC02 implemented 03-15, verified 04-14 = +30 days (after quarter end, allowed) -> 1/2
        (Q1, S1): (1, 2, 0.5),
        (Q1, S2): (0, 0, None),
        (Q1, CO): (1, 2, 0.5),
        (Q2, S1): (0, 1, 0.0),  # MC04 implemented 06-01, verified 05-30 (before) -> 0/1
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 1, 0.0),
        (Q3, S1): (0, 0, None),
        (Q3, S2): (1, 1, 1.0),  # MC05 implemented 08-10, verified 08-10 (+0 days) -> 1/1
        (Q3, CO): (1, 1, 1.0),
    }),
    "LEAD_RA_CURRENT": ("ratio", {
        # S01 Q1 (03-31): F01 RA01 due 06-01 ok, F02 RA03 due 12-01 ok -> 2/2
        (Q1, S1): (2, 2, 1.0),
        # S02 Q1: F03 RA06 (wins over RA05 same day) due 09-15 ok; F04 unassessed no;
        # F05 (active, decommissioned only 05-15) RA07 due 03-01 < 03-31 no -> 1/3
        (Q1, S2): (1, 3, 1 / 3),
        (Q1, CO): (3, 5, 0.6),  # 3/5 = 0.6, not the mean of 1 and 1/3 (0.667)
        # S01 Q2 (06-30): F01 latest RA01 due 06-01 < 06-30 no; F02 RA04 due 2027-05-04 -> 1/2
        (Q2, S1): (1, 2, 0.5),
        (Q2, S2): (1, 2, 0.5),  # F03 ok, F04 no; F05 decommissioned 05-15 <= 06-30: not active
        (Q2, CO): (2, 4, 0.5),
        (Q3, S1): (2, 2, 1.0),  # F01 RA02 07-10 due 2027-07-10, F02 RA04
        (Q3, S2): (0, 2, 0.0),  # F03 RA06 due 09-15 < 09-30 (RA05's 2027 date must not win), F04
        (Q3, CO): (2, 4, 0.5),
    }),
    "LEAD_SELF_INSPECTION_COVERAGE": ("ratio", {
        # S01 Q1: F01+F02 active all 13 weeks -> 26. Covered: F01 week Mon 01-05 (IN03 01-07
        # and IN09 01-08 count once), F01 week Mon 03-30 (IN10 on Thu 04-02: Sunday 04-05 in
        # Q2, week in Q1), F02 week Mon 02-09 (IN11 02-10). IN08 (Fri 01-02) sits in the week
        # of Mon 2025-12-29 (2025-Q4): not counted -> 3/26
        (Q1, S1): (3, 26, 3 / 26),
        # S02 Q1: F03, F04, F05 active 13 weeks each -> 39; F03 week Mon 03-02 (IN13 03-03);
        # the paper register SC01 (F03 03-17) does not count -> 1/39
        (Q1, S2): (1, 39, 1 / 39),
        (Q1, CO): (4, 65, 4 / 65),
        (Q2, S1): (1, 26, 1 / 26),  # F02 week Mon 05-04 (IN12 05-04)
        (Q2, S2): (0, 32, 0.0),  # F03 13 + F04 13 + F05 6 (Mondays up to 05-11) = 32, none
        (Q2, CO): (1, 58, 1 / 58),
        (Q3, S1): (0, 26, 0.0),
        (Q3, S2): (1, 26, 1 / 26),  # F05 gone; F04 week Mon 07-13 (IN05 07-15)
        (Q3, CO): (1, 52, 1 / 52),
    }),
    "LEAD_SELF_INSPECTION_COVERAGE_WEIGHTED": ("ratio", {
        # S01 Q1: required F01 13*7=91 + F02 13*3=39 = 130; covered F01 7+7, F02 3 -> 17/130
        (Q1, S1): (17, 130, 17 / 130),
        # S02 Q1: required F03 13*1 + F04 13*7 + F05 13*3 = 13+91+39 = 143; covered F03 1
        (Q1, S2): (1, 143, 1 / 143),
        (Q1, CO): (18, 273, 18 / 273),
        # S01 Q2: required F01 91 + F02 (4 MEDIUM weeks *3 + 9 HIGH weeks *7 = 12+63 = 75)
        # = 166; covered F02 week Mon 05-04, HIGH on that Monday (RA04 05-04) -> 7/166
        (Q2, S1): (7, 166, 7 / 166),
        (Q2, S2): (0, 122, 0.0),  # F03 13 + F04 91 + F05 6*3=18 = 122
        (Q2, CO): (7, 288, 7 / 288),
        (Q3, S1): (0, 182, 0.0),  # F01 91 + F02 13*7=91
        (Q3, S2): (7, 104, 7 / 104),  # F03 13 + F04 91; covered F04 (HIGH) 7
        (Q3, CO): (7, 286, 7 / 286),
    }),
    "LEAD_TRAINING_HIGH_RISK": ("ratio", {
        # S01 Q1: high-risk records due in Q1: TR01 due 02-28 done 02-20 (ok), TR02 due 03-15
        # done 04-02 (late); TR03 is not high_risk_group -> 1/2
        (Q1, S1): (1, 2, 0.5),
        (Q1, S2): (1, 1, 1.0),  # TR05 due 01-31, completed 01-31 (same day) -> 1/1
        (Q1, CO): (2, 3, 2 / 3),  # 2/3, not the mean of 0.5 and 1 (0.75)
        (Q2, S1): (0, 0, None),
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 0, None),
        (Q3, S1): (0, 1, 0.0),  # TR04 due 08-31, never completed
        (Q3, S2): (1, 1, 1.0),  # TR06 due 09-30, completed 09-10
        (Q3, CO): (1, 2, 0.5),
    }),
    "LEAD_TRAINING_PASS": ("ratio", {
        (Q1, S1): (1, 1, 1.0),  # completed in Q1, high-risk: TR01 passed (TR03 not high-risk)
        (Q1, S2): (1, 1, 1.0),  # TR05 passed
        (Q1, CO): (2, 2, 1.0),
        (Q2, S1): (0, 1, 0.0),  # TR02 completed 04-02, passed N
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 1, 0.0),
        (Q3, S1): (0, 0, None),  # TR04 not completed
        (Q3, S2): (1, 1, 1.0),  # TR06 completed 09-10, passed
        (Q3, CO): (1, 1, 1.0),
    }),
    "LEAD_DRILL_ADEQUACY": ("ratio", {
        (Q1, S1): (1, 2, 0.5),  # DR01 ADEQUATE, DR02 INADEQUATE
        (Q1, S2): (0, 0, None),
        (Q1, CO): (1, 2, 0.5),
        (Q2, S1): (0, 0, None),
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 0, None),
        (Q3, S1): (0, 0, None),
        (Q3, S2): (0, 1, 0.0),  # DR03 INADEQUATE
        (Q3, CO): (0, 1, 0.0),
    }),
    "LEAD_DRILL_HIGH_SCENARIO": ("ratio", {
        (Q1, S1): (1, 2, 0.5),  # DR01 HIGH, DR02 MEDIUM
        (Q1, S2): (0, 0, None),
        (Q1, CO): (1, 2, 0.5),
        (Q2, S1): (0, 0, None),
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 0, None),
        (Q3, S1): (0, 0, None),
        (Q3, S2): (1, 1, 1.0),  # DR03 HIGH
        (Q3, CO): (1, 1, 1.0),
    }),
    "LEAD_CA_COMPLETION": ("ratio", {
        # S01 Q1: CA01 (FINDING FD01 -> F01) due 02-28 done 02-25 ok; CA06 (DRILL DR01) due
        # 03-20 done 03-19 ok; CA02 (DRILL DR02) due 03-31 done 04-10 late -> 2/3
        (Q1, S1): (2, 3, 2 / 3),
        (Q1, S2): (0, 0, None),
        (Q1, CO): (2, 3, 2 / 3),
        (Q2, S1): (0, 1, 0.0),  # CA04 (MOC MC02 -> F01 -> S01) due 05-31, not completed
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 1, 0.0),
        (Q3, S1): (0, 0, None),
        # S02 Q3: CA03 (INCIDENT IC05 -> S02) due 08-15 done 08-15; CA05 (DRILL DR03) due
        # 09-30 done 09-29 -> 2/2
        (Q3, S2): (2, 2, 1.0),
        (Q3, CO): (2, 2, 1.0),
    }),
    "LEAD_DRILL_CA_COMPLETION": ("ratio", {
        (Q1, S1): (1, 2, 0.5),  # DRILL sources only: CA06 ok, CA02 late
        (Q1, S2): (0, 0, None),
        (Q1, CO): (1, 2, 0.5),
        (Q2, S1): (0, 0, None),  # CA04 is a MOC action
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 0, None),
        (Q3, S1): (0, 0, None),
        (Q3, S2): (1, 1, 1.0),  # CA05
        (Q3, CO): (1, 1, 1.0),
    }),
    "LEAD_CONTRACTOR_PREASSESS": ("ratio", {
        # S01 Q1: CE01 C01 at F01 start 02-01: CQ01 PRE passed 01-05, valid to 12-31 -> ok;
        # CE02 C02 at F01 start 03-01: C02 has only an ONSITE assessment -> no -> 1/2
        (Q1, S1): (1, 2, 0.5),
        (Q1, S2): (0, 0, None),
        (Q1, CO): (1, 2, 0.5),
        (Q2, S1): (1, 1, 1.0),  # CE03 C03 at F01 start 06-30 = CQ03 valid_until 06-30 -> ok
        (Q2, S2): (0, 0, None),
        (Q2, CO): (1, 1, 1.0),
        # S01 Q3: CE04 C03 at F02 (HIGH on 07-01) start 07-01 > CQ03 valid_until 06-30 -> 0/1
        (Q3, S1): (0, 1, 0.0),
        (Q3, S2): (1, 1, 1.0),  # CE05 C01 at F04 (unassessed -> HIGH) start 08-01, CQ01 valid
        (Q3, CO): (1, 2, 0.5),
    }),
    "LEAD_SQ_BASIS_RETENTION": ("ratio", {
        (Q1, S1): (1, 2, 0.5),  # SQ01 basis DOC-001, SQ02 no basis document
        (Q1, S2): (0, 0, None),
        (Q1, CO): (1, 2, 0.5),
        (Q2, S1): (0, 0, None),
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 0, None),
        (Q3, S1): (0, 0, None),
        (Q3, S2): (1, 1, 1.0),  # SQ03 basis DOC-003
        (Q3, CO): (1, 1, 1.0),
    }),
    "LEAD_SQ_REVIEW_CONFORMITY": ("ratio", {
        # S01 Q1: SQ01 reviewed 03-01 conforming -> yes; SQ02 conforming but reviewed 04-05,
        # after the quarter end -> no -> 1/2
        (Q1, S1): (1, 2, 0.5),
        (Q1, S2): (0, 0, None),
        (Q1, CO): (1, 2, 0.5),
        (Q2, S1): (0, 0, None),
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 0, None),
        (Q3, S1): (0, 0, None),
        (Q3, S2): (0, 1, 0.0),  # SQ03 reviewed 07-20 but review_conforming N
        (Q3, CO): (0, 1, 0.0),
    }),
    "LEAD_INVENTORY_ACCURACY": ("ratio", {
        # S01 Q1 (03-31): F01 HCl (accident precaution, rel 0.005) 1000 vs 1005: |5| <=
        # max(1, 5) hit; F01 HF (accident precaution) 400 vs 403: 3 > max(1, 2) miss -> 1/2
        (Q1, S1): (1, 2, 0.5),
        # S02 Q1: F03 acetone 40.1 vs 41.1: diff exactly 1.0 in decimal <= max(1, 0.802) hit
        # (binary float gives 1.0000000000000014); F04 toluene system only: miss; F05 acetone
        # field only: miss -> 1/3
        (Q1, S2): (1, 3, 1 / 3),
        (Q1, CO): (2, 5, 0.4),
        (Q2, S1): (0, 0, None),  # no line dated 06-30 (the 05-15 line is not a quarter end)
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 0, None),
        (Q3, S1): (0, 1, 0.0),  # F01 HCl 1000 vs 1005.01: 5.01 > 5 miss
        (Q3, S2): (1, 1, 1.0),  # F04 toluene (rel 0.02) 200 vs 204: 4 <= max(1, 4) hit
        (Q3, CO): (1, 2, 0.5),
    }),
    "LEAD_HIGH_HAZARD_COVERAGE": ("ratio", {
        # Not in kpi_spec (issue 16, guide §5): the quarter-end lines of high-hazard
        # substances (HCl, HF: acute + accident precaution; toluene: chronic + eco; acetone
        # is in no class) that have a system line. S01 Q1: F01 HCl, F01 HF, both in the
        # system -> 2/2
        (Q1, S1): (2, 2, 1.0),
        # S02 Q1: F04 toluene (system only) counts; F03 and F05 acetone are not high-hazard
        (Q1, S2): (1, 1, 1.0),
        (Q1, CO): (3, 3, 1.0),
        (Q2, S1): (0, 0, None),  # no line dated 06-30
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 0, None),
        (Q3, S1): (1, 1, 1.0),  # F01 HCl on both sides
        (Q3, S2): (1, 1, 1.0),  # F04 toluene on both sides
        (Q3, CO): (2, 2, 1.0),
    }),
    # ---------------------------------------------------------------- lagging indicators
    "LAG_RELEASES": ("count", {
        (Q1, S1): (2, None, 2),  # IC01 LEAK, IC02 SPILL (IC08 EXPLOSION is not a release here)
        (Q1, S2): (0, None, 0),
        (Q1, CO): (2, None, 2),
        (Q2, S1): (0, None, 0),  # IC03 is a NEAR_MISS
        (Q2, S2): (0, None, 0),
        (Q2, CO): (0, None, 0),
        (Q3, S1): (2, None, 2),  # IC06 LEAK, IC07 SPILL
        (Q3, S2): (1, None, 1),  # IC05 LEAK (IC04 is a FIRE)
        (Q3, CO): (3, None, 3),
    }),
    "LAG_RELEASES_OFFSITE": ("count", {
        (Q1, S1): (0, None, 0),  # IC01 ON_SITE, IC02 NONE
        (Q1, S2): (0, None, 0),
        (Q1, CO): (0, None, 0),
        (Q2, S1): (0, None, 0),
        (Q2, S2): (0, None, 0),
        (Q2, CO): (0, None, 0),
        (Q3, S1): (1, None, 1),  # IC06 ENVIRONMENT (IC07 ON_SITE)
        (Q3, S2): (1, None, 1),  # IC05 OFF_SITE
        (Q3, CO): (2, None, 2),
    }),
    "LAG_RELEASED_KG": ("kg", {
        (Q1, S1): (256, None, 256),  # IC01 6 + IC02 250
        (Q1, S2): (0, None, 0),
        (Q1, CO): (256, None, 256),
        (Q2, S1): (0, None, 0),
        (Q2, S2): (0, None, 0),
        (Q2, CO): (0, None, 0),
        (Q3, S1): (8000, None, 8000),  # IC06 5000 + IC07 3000
        (Q3, S2): (8, None, 8),  # IC05 8
        (Q3, CO): (8008, None, 8008),
    }),
    "LAG_REPORTABLE": ("count", {
        (Q1, S1): (2, None, 2),  # IC01 Y, IC08 Y (any type), IC02 N
        (Q1, S2): (0, None, 0),
        (Q1, CO): (2, None, 2),
        (Q2, S1): (0, None, 0),  # IC03 N
        (Q2, S2): (0, None, 0),
        (Q2, CO): (0, None, 0),
        (Q3, S1): (1, None, 1),  # IC06 Y, IC07 N
        (Q3, S2): (2, None, 2),  # IC04 FIRE Y, IC05 Y
        (Q3, CO): (3, None, 3),
    }),
    "LAG_ADMIN_ACTIONS": ("count", {
        (Q1, S1): (1, None, 1),  # AA01
        (Q1, S2): (0, None, 0),
        (Q1, CO): (1, None, 1),
        (Q2, S1): (0, None, 0),
        (Q2, S2): (0, None, 0),
        (Q2, CO): (0, None, 0),
        (Q3, S1): (0, None, 0),
        (Q3, S2): (2, None, 2),  # AA02 08-01, AA03 09-30 (quarter end)
        (Q3, CO): (2, None, 2),
    }),
    "LAG_FINES_KRW": ("KRW", {
        (Q1, S1): (3000000, None, 3000000),  # AA01 FINE
        (Q1, S2): (0, None, 0),
        (Q1, CO): (3000000, None, 3000000),
        (Q2, S1): (0, None, 0),
        (Q2, S2): (0, None, 0),
        (Q2, CO): (0, None, 0),
        (Q3, S1): (0, None, 0),
        (Q3, S2): (1500000, None, 1500000),  # AA02 FINE (AA03 is an order, amount NULL)
        (Q3, CO): (1500000, None, 1500000),
    }),
    "LAG_NONCONFORMITIES": ("count", {
        # S01 Q1: FD01, FD02 (IN01 REGULAR), FD04 (IN02 SAFETY_DIAGNOSIS); FD03 is from the
        # SELF_INSPECTION IN03 -> 3
        (Q1, S1): (3, None, 3),
        (Q1, S2): (1, None, 1),  # FD08 (IN07 REGULAR at F05)
        (Q1, CO): (4, None, 4),
        (Q2, S1): (1, None, 1),  # FD05 (IN06 REGULAR)
        (Q2, S2): (0, None, 0),
        (Q2, CO): (1, None, 1),
        (Q3, S1): (0, None, 0),
        (Q3, S2): (1, None, 1),  # FD06 (IN04 REGULAR); FD07 is from SELF_INSPECTION IN05
        (Q3, CO): (1, None, 1),
    }),
    "LAG_MAJOR_FINDING_RATIO": ("ratio", {
        (Q1, S1): (2, 4, 0.5),  # FD01 sev 4, FD04 sev 5 major; FD02 sev 2, FD03 sev 3
        (Q1, S2): (0, 1, 0.0),  # FD08 sev 3
        (Q1, CO): (2, 5, 0.4),  # 0.4, not the mean of 0.5 and 0 (0.25)
        (Q2, S1): (1, 1, 1.0),  # FD05 sev 4
        (Q2, S2): (0, 0, None),
        (Q2, CO): (1, 1, 1.0),
        (Q3, S1): (0, 0, None),
        (Q3, S2): (1, 2, 0.5),  # FD07 sev 4 major, FD06 sev 2
        (Q3, CO): (1, 2, 0.5),
    }),
    "LAG_HIGH_MAJOR_FINDINGS": ("count", {
        (Q1, S1): (1, None, 1),  # FD01 (F01 HIGH); FD04 sev 5 but F02 MEDIUM on 02-15
        (Q1, S2): (0, None, 0),
        (Q1, CO): (1, None, 1),
        (Q2, S1): (1, None, 1),  # FD05 sev 4, F02 HIGH on 05-20
        (Q2, S2): (0, None, 0),
        (Q2, CO): (1, None, 1),
        (Q3, S1): (0, None, 0),
        (Q3, S2): (1, None, 1),  # FD07 sev 4 at F04 (unassessed -> HIGH)
        (Q3, CO): (1, None, 1),
    }),
    "LAG_LEAD_TIME_HIGH_DAYS": ("days", {
        # S01 Q1: closed in Q1 at HIGH (tier on found_on): FD01 01-20 -> 02-19 = 30 days,
        # FD02 01-20 -> 03-11 = 50 days; FD04 closed later -> (30 + 50) / 2
        (Q1, S1): (80, 2, 40.0),
        (Q1, S2): (0, 0, None),
        (Q1, CO): (80, 2, 40.0),
        (Q2, S1): (93, 1, 93.0),  # FD03 F01 01-07 -> 04-10 = 24 + 28 + 31 + 10 = 93 days
        (Q2, S2): (0, 0, None),
        (Q2, CO): (93, 1, 93.0),
        # S01 Q3: FD04 closed 07-15, but F02 was MEDIUM on its found_on 02-15 -> excluded
        (Q3, S1): (0, 0, None),
        (Q3, S2): (30, 1, 30.0),  # FD07 F04 (HIGH) 07-15 -> 08-14 = 30 days
        (Q3, CO): (30, 1, 30.0),
    }),
    "LAG_OPEN_RISK_SCORE": ("score", {
        # Q1 (A = 03-31). Open: FD03 (closed 04-10 > A), FD04 (closed 07-15), FD08 (open).
        # FD03: HIGH 7 * sev 3 * (1 + 83/30) [01-07 -> 03-31 = 83 d], not a repeat (FD01 is
        #   later; no earlier PROTECTION_LAYER finding at F01) = 21 * 113/30 = 79.1
        # FD04: MEDIUM 3 (F02 on 02-15) * 5 * (1 + 44/30) [02-15 -> 03-31 = 44 d] = 37.0
        # S01 = 79.1 + 37.0 = 116.1
        (Q1, S1): (116.1, None, 116.1),
        # FD08: F05 MEDIUM 3 * sev 3 * (1 + 11/30) [03-20 -> 03-31] = 9 * 41/30 = 12.3
        (Q1, S2): (12.3, None, 12.3),
        (Q1, CO): (128.4, None, 128.4),
        # Q2 (A = 06-30). FD03 closed 04-10 <= A: out.
        # FD04: 3 * 5 * (1 + 135/30) [02-15 -> 06-30 = 135 d] = 15 * 5.5 = 82.5 (tier stays
        #   MEDIUM: the tier on found_on, not F02's HIGH tier on 06-30)
        # FD05: HIGH 7 * sev 4 * (1 + 41/30) [05-20 -> 06-30] * 1.5 (repeat: FD04 same
        #   facility and category 94 days earlier) = 42 * 71/30 = 99.4
        # S01 = 82.5 + 99.4 = 181.9
        (Q2, S1): (181.9, None, 181.9),
        # FD08 at decommissioned F05 still counts: 9 * (1 + 102/30) [03-20 -> 06-30] = 39.6
        (Q2, S2): (39.6, None, 39.6),
        (Q2, CO): (221.5, None, 221.5),
        # Q3 (A = 09-30). FD04 closed 07-15, FD07 closed 08-14: out.
        # FD05: 28 * (1 + 133/30) * 1.5 [05-20 -> 09-30 = 133 d] = 42 * 163/30 = 228.2
        (Q3, S1): (228.2, None, 228.2),
        # FD08: 9 * (1 + 194/30) [03-20 -> 09-30 = 194 d] = 67.2;
        # FD06: LOW 1 * sev 2 * (1 + 56/30) [08-05 -> 09-30] * 1.5 (repeat_of_finding_id set,
        #   FD-2024-17 not in the extract) = 3 * 86/30 = 8.6; S02 = 67.2 + 8.6 = 75.8
        (Q3, S2): (75.8, None, 75.8),
        (Q3, CO): (304.0, None, 304.0),
    }),
    # ------------------------------------------------------------------ process safety
    # Releases: IC01 LEAK HF (cat 1, TQ 5) 6 kg >= 5 -> Tier 1; points: chemical ON_SITE 3.
    #   IC02 SPILL acetone (cat 7, TQ 2000) 250 kg >= 200 -> Tier 2; chemical NONE 1.
    #   IC08 EXPLOSION 5,000,000 KRW >= 3,250,000 -> Tier 2; 0 points (cost < 32.5M, 0 kg).
    #   IC03 NEAR_MISS: never tiered.
    #   IC04 FIRE, lost_time_injuries 1 (and cost 150M >= 32.5M) -> Tier 1; safety 3 (LTI
    #   beats injuries, not 3 + 1), fire cost >= 130M 3, no chemical (0 kg) -> 6.
    #   IC05 LEAK HCl (cat 3, TQ 100) 8 kg < 10, injuries 1 -> Tier 2; safety 1 + OFF_SITE 9
    #   -> 10.
    #   IC06 LEAK toluene (no release_category: no quantity criterion) community_evacuated
    #   -> Tier 1; ENVIRONMENT 9 + community 9 -> 18.
    #   IC07 SPILL toluene 3000 kg, no category, nothing else -> neither tier.
    "PSE_TIER1": ("count", {
        (Q1, S1): (1, None, 1),  # IC01
        (Q1, S2): (0, None, 0),
        (Q1, CO): (1, None, 1),
        (Q2, S1): (0, None, 0),
        (Q2, S2): (0, None, 0),
        (Q2, CO): (0, None, 0),
        (Q3, S1): (1, None, 1),  # IC06
        (Q3, S2): (1, None, 1),  # IC04
        (Q3, CO): (2, None, 2),
    }),
    "PSE_TIER2": ("count", {
        (Q1, S1): (2, None, 2),  # IC02, IC08
        (Q1, S2): (0, None, 0),
        (Q1, CO): (2, None, 2),
        (Q2, S1): (0, None, 0),
        (Q2, S2): (0, None, 0),
        (Q2, CO): (0, None, 0),
        (Q3, S1): (0, None, 0),  # IC07 is not tiered
        (Q3, S2): (1, None, 1),  # IC05
        (Q3, CO): (1, None, 1),
    }),
    "PSE_TIER1_RATE": ("per_200k_h", {
        (Q1, S1): (200000, 24000, 200000 / 24000),  # 1 * 200000 / (Jan 12000 + Mar 12000)
        (Q1, S2): (0, 5000, 0.0),
        (Q1, CO): (200000, 29000, 200000 / 29000),  # not the mean of 8.33 and 0
        (Q2, S1): (0, 10000, 0.0),
        (Q2, S2): (0, 0, None),  # no hours reported for Q2 at S02 -> 0 hours -> NULL
        (Q2, CO): (0, 10000, 0.0),
        (Q3, S1): (200000, 30000, 200000 / 30000),  # Jul 15000 + Sep 15000 (Aug missing)
        (Q3, S2): (200000, 10000, 20.0),
        (Q3, CO): (400000, 40000, 10.0),  # 10, not the mean of 6.67 and 20
    }),
    "PSE_TOTAL_RATE": ("per_200k_h", {
        (Q1, S1): (600000, 24000, 25.0),  # (1 + 2) * 200000 / 24000
        (Q1, S2): (0, 5000, 0.0),
        (Q1, CO): (600000, 29000, 600000 / 29000),
        (Q2, S1): (0, 10000, 0.0),
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 10000, 0.0),
        (Q3, S1): (200000, 30000, 200000 / 30000),  # (1 + 0) * 200000
        (Q3, S2): (400000, 10000, 40.0),  # (1 + 1) * 200000
        (Q3, CO): (600000, 40000, 15.0),
    }),
    "PSE_SEVERITY_RATE": ("per_200k_h", {
        (Q1, S1): (800000, 24000, 800000 / 24000),  # (IC01 3 + IC02 1 + IC08 0) * 200000
        (Q1, S2): (0, 5000, 0.0),
        (Q1, CO): (800000, 29000, 800000 / 29000),
        (Q2, S1): (0, 10000, 0.0),
        (Q2, S2): (0, 0, None),
        (Q2, CO): (0, 10000, 0.0),
        (Q3, S1): (3600000, 30000, 120.0),  # IC06 18 * 200000
        (Q3, S2): (3200000, 10000, 320.0),  # (IC04 6 + IC05 10) * 200000
        (Q3, CO): (6800000, 40000, 170.0),  # 34 * 200000
    }),
    # ------------------------------------------------------------------ eco-efficiency
    # production.csv: S01 2025-02 (outside the window and not the base year: unused);
    # S01 Q1 Jan 150 t / 80 MKRW / 3000 kg + Mar 100 / -5 / 2000; Q2 May 200 / 80 / 4000;
    # Q3 Aug 120 / 60 / 0 kg; S02 Q1 Feb 40 / 10 / 3000; Q2 nothing; Q3 Jul 80 / 30 / 1500.
    "ECO_CHEM_INTENSITY": ("kg_per_t", {
        (Q1, S1): (5000, 250, 20.0),
        (Q1, S2): (3000, 40, 75.0),
        (Q1, CO): (8000, 290, 8000 / 290),  # 27.59, not the mean of 20 and 75
        (Q2, S1): (4000, 200, 20.0),
        (Q2, S2): (0, 0, None),
        (Q2, CO): (4000, 200, 20.0),
        (Q3, S1): (0, 120, 0.0),
        (Q3, S2): (1500, 80, 18.75),
        (Q3, CO): (1500, 200, 7.5),
    }),
    "ECO_VALUE_PER_CHEM": ("mkrw_per_t", {
        (Q1, S1): (75, 5, 15.0),  # (80 - 5) / (5000 kg / 1000)
        (Q1, S2): (10, 3, 10 / 3),
        (Q1, CO): (85, 8, 10.625),
        (Q2, S1): (80, 4, 20.0),
        (Q2, S2): (0, 0, None),
        (Q2, CO): (80, 4, 20.0),
        (Q3, S1): (60, 0, None),  # no hazardous chemical used: denominator 0 -> NULL
        (Q3, S2): (30, 1.5, 20.0),
        (Q3, CO): (90, 1.5, 60.0),
    }),
    "ECO_FACTOR_INDEX": ("index", {
        # base year = 2026 (year of the window's first quarter): each quarter against itself
        (Q1, S1): (15.0, 15.0, 1.0),
        (Q1, S2): (10 / 3, 10 / 3, 1.0),
        (Q1, CO): (10.625, 10.625, 1.0),
        (Q2, S1): (20.0, 20.0, 1.0),
        (Q2, S2): (None, None, None),  # ECO_VALUE_PER_CHEM undefined (no production rows)
        (Q2, CO): (20.0, 20.0, 1.0),
        (Q3, S1): (None, None, None),  # ECO_VALUE_PER_CHEM undefined (0 kg used)
        (Q3, S2): (20.0, 20.0, 1.0),
        (Q3, CO): (60.0, 60.0, 1.0),
    }),
}

KPI_CODES = sorted(EXPECTED)
COUNT_UNITS = {"count", "kg", "KRW", "score"}  # counts and sums: denominator NULL


def _same(expected: Num, actual: object) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(actual, bool) or not isinstance(actual, int | float | Decimal):
        return False
    a, e = float(actual), float(expected)
    return abs(a - e) <= TOLERANCE * max(1.0, abs(e))


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _fmt(key: tuple[str, str, str | None]) -> str:
    kpi, period, site = key
    return f"{kpi} {period} {site or 'company'}"


# --- the expected table itself (no warehouse needed) --------------------------------------

def test_expected_table_is_complete_and_consistent() -> None:
    """Catch slips in the hand-written table before comparing it with anything."""
    assert len(EXPECTED) == 37
    prefixes = Counter(code.split("_")[0] for code in EXPECTED)
    assert prefixes == {"LEAD": 18, "LAG": 11, "PSE": 5, "ECO": 3}
    problems = []
    for kpi, (unit, cells) in EXPECTED.items():
        assert set(cells) == {(p, s) for p in PERIODS for s in SITES}, kpi
        for (period, site), (num, den, value) in cells.items():
            where = _fmt((kpi, period, site))
            if unit in COUNT_UNITS:
                if den is not None or num is None or not _same(num, value):
                    problems.append(f"{where}: a count/sum needs den None and value = num")
            elif den is None or den == 0 or num is None:
                if value is not None:
                    problems.append(f"{where}: value must be NULL without a denominator")
            elif not _same(num / den, value):
                problems.append(f"{where}: {num}/{den} != {value}")
        # every KPI has a non-trivial value somewhere
        if not any(v not in (None, 0) for _, _, v in cells.values()):
            problems.append(f"{kpi}: only zero or NULL values")
    assert problems == []


# --- the warehouse ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kpi_warehouse(kpi_small_warehouse: Path) -> Path:
    return kpi_small_warehouse


@pytest.mark.slow
def test_every_mart_is_unchanged(kpi_warehouse: Path) -> None:
    assert_marts_unchanged(kpi_warehouse, "kpi_small")


@pytest.fixture(scope="module")
def kpi_rows(kpi_warehouse: Path) -> list[tuple]:
    warehouse = kpi_warehouse
    rejected = query(warehouse, "select source_file, line_number, reason_code "
                                "from audit.quarantine")
    assert rejected == [], f"the kpi_small fixture must load without rejections: {rejected}"
    return query(
        warehouse,
        "select kpi_code, period, period_start, period_end, site_id, numerator, denominator,"
        " value, unit from marts.kpi_quarterly",
    )


@pytest.mark.slow
def test_grain_and_completeness(kpi_rows: list[tuple]) -> None:
    assert len(kpi_rows) == 37 * 3 * 3
    keys = Counter((r[0], r[1], r[4]) for r in kpi_rows)
    duplicates = [_fmt(k) for k, n in keys.items() if n > 1]
    assert duplicates == []
    expected_keys = {(k, p, s) for k in KPI_CODES for p in PERIODS for s in SITES}
    missing = sorted(_fmt(k) for k in expected_keys - set(keys))
    extra = sorted(_fmt(k) for k in set(keys) - expected_keys)
    assert (missing, extra) == ([], [])
    wrong_bounds = [
        f"{_fmt((r[0], r[1], r[4]))}: {r[2]}..{r[3]}"
        for r in kpi_rows
        if (_as_date(r[2]), _as_date(r[3])) != PERIOD_BOUNDS.get(r[1])
    ]
    assert wrong_bounds == []


@pytest.mark.slow
def test_every_cell_matches_the_hand_computation(kpi_rows: list[tuple]) -> None:
    actual = {(r[0], r[1], r[4]): (r[5], r[6], r[7], r[8]) for r in kpi_rows}
    mismatches = []
    for kpi, (unit, cells) in EXPECTED.items():
        for (period, site), (num, den, value) in cells.items():
            key = (kpi, period, site)
            if key not in actual:
                mismatches.append(f"{_fmt(key)}: row missing")
                continue
            a_num, a_den, a_value, a_unit = actual[key]
            diffs = [
                f"{name} expected {exp!r} got {act!r}"
                for name, exp, act in (("numerator", num, a_num), ("denominator", den, a_den),
                                       ("value", value, a_value))
                if not _same(exp, act)
            ]
            if a_unit != unit:
                diffs.append(f"unit expected {unit!r} got {a_unit!r}")
            if diffs:
                mismatches.append(f"{_fmt(key)}: " + "; ".join(diffs))
    assert mismatches == [], f"{len(mismatches)} cell(s) differ:\n" + "\n".join(mismatches)


@pytest.mark.slow
def test_company_rows_are_not_site_means(kpi_rows: list[tuple]) -> None:
    """Company ratios come from the events: at least one differs from the sites' mean."""
    values = {(r[0], r[1], r[4]): r[7] for r in kpi_rows}
    units = {r[0]: r[8] for r in kpi_rows}
    differing = []
    for kpi in KPI_CODES:
        if units.get(kpi) != "ratio":
            continue
        for period in PERIODS:
            s1, s2, co = (values.get((kpi, period, s)) for s in SITES)
            if None in (s1, s2, co):
                continue
            if abs(float(co) - (float(s1) + float(s2)) / 2) > 1e-6:
                differing.append((kpi, period))
    assert differing, "every company ratio equals the mean of its site ratios"
    # the hand-computed cases: 3/5 vs (1 + 1/3) / 2, 2/3 vs 0.75, 2/5 vs 0.25
    for kpi, period in (("LEAD_RA_CURRENT", Q1), ("LEAD_TRAINING_HIGH_RISK", Q1),
                        ("LAG_MAJOR_FINDING_RATIO", Q1)):
        assert (kpi, period) in differing, (kpi, period)


# --- years and years to date (marts.kpi_yearly) ---------------------------------------------

# kpi_spec: LEAD_RA_CURRENT counts facilities active on quarter_end, LAG_OPEN_RISK_SCORE the
# findings open on it: a span of quarters takes its last quarter's figure. Every other KPI
# with a denominator is a ratio of the span's sums, every count or sum adds up, and
# ECO_FACTOR_INDEX is the span's ECO_VALUE_PER_CHEM over the base year's same quarters.
POINT_IN_TIME = {"LEAD_RA_CURRENT", "LAG_OPEN_RISK_SCORE"}
SPANS = {  # (period_type, period) -> quarters of the span
    ("year", "2026"): PERIODS,
    ("year_to_date", Q1): (Q1,),
    ("year_to_date", Q2): (Q1, Q2),
    ("year_to_date", Q3): PERIODS,
}


def _rolled_up(kpi: str, quarters: tuple[str, ...], site: str | None) -> Cell:
    """The span's (numerator, denominator, value) from the hand table, in plain Python."""
    unit, cells = EXPECTED[kpi]
    if kpi in POINT_IN_TIME:
        return cells[(quarters[-1], site)]
    if kpi == "ECO_FACTOR_INDEX":
        # base year 2026 = the window's year: the span against itself
        num, den, _ = _rolled_up("ECO_VALUE_PER_CHEM", quarters, site)
        value_per_chem = None if not den else num / den
        return (value_per_chem, value_per_chem, None if value_per_chem is None else 1.0)
    num = sum(cells[(q, site)][0] for q in quarters)
    if unit in COUNT_UNITS:
        return (num, None, num)
    den = sum(cells[(q, site)][1] for q in quarters)
    return (num, den, None if den == 0 else num / den)


@pytest.mark.slow
def test_kpi_yearly_rolls_the_hand_table_up(kpi_warehouse: Path) -> None:
    rows = query(kpi_warehouse,
                 "select kpi_code, period_type, period, site_id, numerator, denominator, "
                 "value, quarters_in_period, is_full_year from marts.kpi_yearly")
    actual = {(r[0], r[1], r[2], r[3]): r[4:] for r in rows}
    expected_keys = {(k, t, p, s) for k in KPI_CODES for (t, p) in SPANS for s in SITES}
    assert set(actual) == expected_keys
    wrong = []
    for (kpi, period_type, period, site), got in sorted(actual.items(), key=str):
        quarters = SPANS[(period_type, period)]
        want = _rolled_up(kpi, quarters, site)
        if not all(_same(e, a) for e, a in zip(want, got[:3], strict=True)):
            wrong.append(f"{kpi} {period_type} {period} {site}: {got[:3]} != {want}")
        if got[3:] != (len(quarters), False):  # 2026 has three quarters in the window
            wrong.append(f"{kpi} {period_type} {period} {site}: span {got[3:]}")
    assert wrong == [], f"{len(wrong)} differ:\n" + "\n".join(wrong[:20])
    # by hand: 2026 company risk-assessment currency is Q3's 2/4 = 0.5, not the quarters
    # summed, (3+2+2)/(5+4+4) = 7/13; the company's mean lead time over Q1..Q3 is the sum
    # of days over the sum of findings, whatever the quarters' own means
    assert actual[("LEAD_RA_CURRENT", "year", "2026", None)][:3] == (2, 4, 0.5)
    lead_time = EXPECTED["LAG_LEAD_TIME_HIGH_DAYS"][1]
    days = sum(lead_time[(q, None)][0] for q in PERIODS)
    closed = sum(lead_time[(q, None)][1] for q in PERIODS)
    assert _same(days / closed, actual[("LAG_LEAD_TIME_HIGH_DAYS", "year", "2026", None)][2])
