"""Static reference data of the fictional demo company 한빛케미칼 (Hanbit Chemical).

Everything here is plain data: substances with real CAS numbers, Korean site regions,
name pools, Korean free-text templates and the Korean code labels of the extract contract
(a test checks them against ``seeds/reference/code_labels.csv``). The company, its sites,
people and events are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

COMPANY_KO = "한빛케미칼"
COMPANY_EN = "Hanbit Chemical"


@dataclass(frozen=True)
class Substance:
    cas_no: str
    name_ko: str
    name_en: str
    acute_toxic: bool
    chronic_toxic: bool
    eco_toxic: bool
    accident_precaution: bool
    small_quantity_threshold_kg: int
    esg_concern: bool
    release_category: int | None  # API RP 754 threshold release category 1..7
    weight: int  # how common the substance is at the demo company's facilities

    @property
    def hazard_axis(self) -> int:
        """Default substance_hazard rating (1..3) of a facility whose main substance this is."""
        if self.accident_precaution and (self.acute_toxic or self.chronic_toxic):
            return 3
        if self.acute_toxic or self.chronic_toxic or self.accident_precaution:
            return 2
        return 1


def _s(
    cas: str, ko: str, en: str, flags: str, sq_kg: int, rc: int | None, weight: int
) -> Substance:
    """Compact constructor; ``flags`` holds letters a(cute) c(hronic) e(co) p(recaution) s(esg)."""
    return Substance(
        cas, ko, en, "a" in flags, "c" in flags, "e" in flags, "p" in flags, sq_kg,
        "s" in flags, rc, weight,
    )


# Real CAS numbers; tests/test_demo_generator.py verifies every check digit.
SUBSTANCES: tuple[Substance, ...] = (
    _s("7647-01-0", "염화수소(염산)", "Hydrogen chloride (hydrochloric acid)", "ap", 1000, 3, 10),
    _s("7664-93-9", "황산", "Sulfuric acid", "ap", 1000, 6, 10),
    _s("1310-73-2", "수산화나트륨", "Sodium hydroxide", "a", 2000, 6, 9),
    _s("7664-41-7", "암모니아", "Ammonia", "aep", 200, 4, 6),
    _s("7782-50-5", "염소", "Chlorine", "aep", 100, 2, 5),
    _s("50-00-0", "포름알데히드", "Formaldehyde", "acps", 500, 6, 5),
    _s("71-43-2", "벤젠", "Benzene", "cps", 500, 5, 6),
    _s("108-88-3", "톨루엔", "Toluene", "acp", 1000, 5, 8),
    _s("67-56-1", "메탄올", "Methanol", "ap", 1000, 5, 8),
    _s("7664-39-3", "불화수소", "Hydrogen fluoride", "ap", 100, 3, 4),
    _s("75-21-8", "산화에틸렌", "Ethylene oxide", "acps", 100, 4, 3),
    _s("107-13-1", "아크릴로니트릴", "Acrylonitrile", "aceps", 200, 3, 3),
    _s("1330-20-7", "자일렌", "Xylene", "a", 2000, 6, 6),
    _s("100-41-4", "에틸벤젠", "Ethylbenzene", "c", 2000, 5, 4),
    _s("100-42-5", "스티렌", "Styrene", "c", 2000, 6, 5),
    _s("106-99-0", "1,3-부타디엔", "1,3-Butadiene", "cs", 500, 4, 4),
    _s("75-01-4", "염화비닐", "Vinyl chloride", "cps", 500, 4, 3),
    _s("7697-37-2", "질산", "Nitric acid", "ap", 1000, 6, 5),
    _s("7722-84-1", "과산화수소", "Hydrogen peroxide", "ap", 1000, 6, 5),
    _s("74-90-8", "시안화수소", "Hydrogen cyanide", "aep", 10, 1, 1),
    _s("75-44-5", "포스겐", "Phosgene", "ap", 10, 1, 1),
    _s("7783-06-4", "황화수소", "Hydrogen sulfide", "aep", 100, 2, 2),
    _s("10025-87-3", "옥시염화인", "Phosphoryl chloride", "ap", 100, 2, 1),
    _s("7719-12-2", "삼염화인", "Phosphorus trichloride", "ap", 100, 3, 1),
    _s("79-10-7", "아크릴산", "Acrylic acid", "aep", 1000, 6, 3),
    _s("108-95-2", "페놀", "Phenol", "acp", 500, 6, 3),
    _s("584-84-9", "톨루엔-2,4-디이소시아네이트", "Toluene-2,4-diisocyanate", "acps", 100, 3, 2),
    _s("101-68-8", "메틸렌디페닐디이소시아네이트", "Methylene diphenyl diisocyanate", "c", 1000,
       7, 3),
    _s("75-56-9", "산화프로필렌", "Propylene oxide", "acps", 200, 4, 2),
    _s("107-18-6", "알릴알코올", "Allyl alcohol", "aep", 100, 3, 1),
    _s("7440-38-2", "비소", "Arsenic", "aces", 10, None, 1),
    _s("7439-92-1", "납", "Lead", "ces", 100, None, 2),
    _s("18540-29-9", "6가크롬", "Chromium(VI)", "aces", 10, None, 1),
    _s("7440-02-0", "니켈", "Nickel", "cs", 100, None, 2),
    _s("68-12-2", "N,N-디메틸포름아미드", "N,N-Dimethylformamide", "cs", 1000, 7, 4),
    _s("79-01-6", "트리클로로에틸렌", "Trichloroethylene", "ces", 500, 7, 3),
    _s("127-18-4", "테트라클로로에틸렌", "Tetrachloroethylene", "ces", 500, 7, 2),
    _s("75-09-2", "디클로로메탄", "Dichloromethane", "cs", 1000, 7, 4),
    _s("67-66-3", "클로로포름", "Chloroform", "acs", 500, 7, 2),
    _s("7681-52-9", "차아염소산나트륨", "Sodium hypochlorite", "e", 2000, 7, 6),
    _s("1310-58-3", "수산화칼륨", "Potassium hydroxide", "a", 2000, 6, 4),
    _s("7758-98-7", "황산구리", "Copper(II) sulfate", "e", 2000, None, 3),
)

SUBSTANCE_BY_CAS: dict[str, Substance] = {s.cas_no: s for s in SUBSTANCES}

# Valid CAS numbers that are *not* in substances.csv (for orphan references) and CAS-like
# strings with a wrong check digit (for bad_cas rows).
CAS_NOT_LISTED = "64-17-5"  # ethanol
CAS_BAD_CHECK_DIGITS = ("7647-01-1", "64-17-6")


@dataclass(frozen=True)
class Region:
    region: str  # short name used in site names
    ksic_code: str


# Real Korean industrial regions (the company is fictional). KSIC (10th rev.) codes:
# 20111 석유화학계 기초화학물질, 20119 기타 기초유기화학물질, 20121 산업용 가스,
# 20129 기타 기초무기화학물질, 20202 합성수지 및 기타 플라스틱물질, 20132 염료·안료,
# 20201 합성고무.
REGIONS: tuple[Region, ...] = (
    Region("울산", "20111"),
    Region("여수", "20111"),
    Region("대산", "20202"),
    Region("온산", "20129"),
    Region("시화", "20119"),
    Region("반월", "20132"),
    Region("군산", "20119"),
    Region("광양", "20129"),
    Region("당진", "20121"),
    Region("오창", "20119"),
    Region("구미", "20129"),
    Region("포항", "20129"),
    Region("익산", "20202"),
    Region("아산", "20201"),
    Region("평택", "20119"),
)

SURNAMES = ("김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신",
            "권", "황", "안", "송", "류", "홍")
GIVEN_NAMES = ("민수", "지훈", "서연", "현우", "지민", "수빈", "도윤", "예린", "준호", "하은",
               "성민", "유진", "동현", "수진", "태호", "은지", "상훈", "미영", "재원", "혜진")

TEAMS = ("환경안전팀", "생산1팀", "생산2팀", "설비보전팀", "공무팀", "품질보증팀", "물류팀",
         "공정기술팀")

REGULAR_INSPECTORS = ("한국환경공단", "한국가스안전공사", "한국환경공단 화학안전검사부")
DIAGNOSIS_INSPECTORS = ("(주)대한화학안전진단", "한국안전진단기술원", "(주)세이프켐엔지니어링")

CONTRACTOR_STEMS = ("대한", "세진", "동양", "한일", "미래", "태성", "우진", "신성", "대림",
                    "성원", "극동", "삼화", "청해", "동부", "한결")
CONTRACTOR_SUFFIXES = ("플랜트", "엔지니어링", "산업개발", "기술", "이앤씨", "환경", "건설",
                       "보수기술")

PRODUCTS = ("PVC", "ABS", "에폭시수지", "아크릴산에스테르", "폴리우레탄", "가성소다(전해)",
            "합성고무", "정밀화학 중간체", "염화비닐 단량체", "과산화수소")

LAYERS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "STORAGE": ("DIKE", "GAS_DETECTOR", "SHUTOFF_VALVE", "ALARM"),
    "PROCESS": ("INTERLOCK", "SHUTOFF_VALVE", "GAS_DETECTOR", "SCRUBBER", "ALARM"),
    "LOADING": ("SHUTOFF_VALVE", "GAS_DETECTOR", "ALARM"),
    "PIPING": ("SHUTOFF_VALVE", "GAS_DETECTOR"),
    "WASTE": ("SCRUBBER", "DIKE", "ALARM"),
}

FINDING_CATEGORIES = (
    "PROTECTION_LAYER", "CONTAINMENT", "LABELING", "DOCUMENTATION", "STORAGE", "PPE", "OTHER",
)

# Category weights per facility type, in the order of FINDING_CATEGORIES.
CATEGORY_WEIGHTS: dict[str, tuple[int, ...]] = {
    "STORAGE": (15, 25, 15, 15, 20, 5, 5),
    "PROCESS": (28, 18, 8, 20, 4, 16, 6),
    "LOADING": (18, 22, 12, 14, 6, 22, 6),
    "PIPING": (25, 35, 15, 15, 0, 5, 5),
    "WASTE": (12, 25, 18, 18, 15, 7, 5),
}

FINDING_TEXTS: dict[str, tuple[str, ...]] = {
    "PROTECTION_LAYER": (
        "긴급차단밸브 작동시험 기록 누락",
        "가스누출감지기 교정주기 경과",
        "인터록 바이패스 상태로 운전",
        "스크러버 순환펌프 예비기 고장 방치",
        "경보설비 작동 불량 (음량 미달)",
        "방호계층 정기 기능시험 미실시",
    ),
    "CONTAINMENT": (
        "방류벽 내부 균열 발견",
        "배관 플랜지부 미세 누출 흔적",
        "방류벽 배수밸브 상시 개방",
        "펌프 메커니컬씰 누설",
        "탱크 하부 부식 및 도장 박리",
        "하역호스 체결부 패킹 노후",
    ),
    "LABELING": (
        "유해화학물질 표지 훼손",
        "GHS 경고표지 미부착 용기 발견",
        "배관 물질명·흐름방향 표시 누락",
        "취급시설 명칭 표지판 퇴색",
    ),
    "DOCUMENTATION": (
        "취급일지 기록 누락",
        "MSDS 최신본 미비치",
        "자체점검표 서명 누락",
        "유해화학물질 취급자 교육 기록 미보관",
        "장외영향평가서 변경사항 미반영",
    ),
    "STORAGE": (
        "혼재 금지 물질 인접 보관",
        "보관용기 밀폐 불량",
        "보관량 표시와 실제 재고 불일치",
        "옥외 보관 용기 차광 조치 미흡",
    ),
    "PPE": (
        "보호구 착용 미흡 (보안경)",
        "방독마스크 정화통 교체주기 경과",
        "내화학 장갑 비치 수량 부족",
        "비상샤워·세안설비 작동 불량",
    ),
    "OTHER": (
        "비상연락망 게시물 최신화 미흡",
        "작업장 정리정돈 불량",
        "출입 통제 표지 미흡",
    ),
}

FINDING_REMARKS = ("현장 즉시 시정", "사진 첨부", "재발 방지 교육 실시", "담당자 면담 완료",
                   "후속 점검 예정")

DRILL_SCENARIOS: tuple[tuple[str, str], ...] = (
    ("염소 저장탱크 누출 및 주민 대피 연계 훈련", "HIGH"),
    ("불화수소 배관 파열 대응 훈련", "HIGH"),
    ("탱크로리 하역 중 염산 누출 대응", "MEDIUM"),
    ("공정 화재 및 폭발 초기 대응", "HIGH"),
    ("방류벽 내 황산 유출 회수 훈련", "MEDIUM"),
    ("야간 암모니아 누출 비상연락 훈련", "HIGH"),
    ("폐수처리장 약품 유출 대응", "LOW"),
    ("실험실 소량 용제 유출 대응", "LOW"),
    ("정전 시 스크러버 정지 대응", "MEDIUM"),
    ("합동 소방훈련 (관할 소방서 참여)", "MEDIUM"),
)

ADMIN_BASES: dict[str, tuple[str, ...]] = {
    "CORRECTIVE_ORDER": ("화학물질관리법 제24조(취급시설 등의 설치·관리)",
                         "화학물질관리법 제13조(취급기준)"),
    "IMPROVEMENT_ORDER": ("화학물질관리법 제24조(취급시설 등의 설치·관리)",
                          "화학물질관리법 제26조(취급시설의 검사)"),
    "FINE": ("화학물질관리법 제64조(과태료)",),
    "SUSPENSION": ("화학물질관리법 제35조(영업허가의 취소 등)",),
    "PROSECUTION": ("화학물질관리법 제59조(벌칙)",),
}

# Korean labels per code set, exactly as in the extract contract (and code_labels.csv).
LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "risk_level": {"LOW": ("저", "하", "낮음", "저위험"), "MEDIUM": ("중", "보통", "중위험"),
                   "HIGH": ("고", "상", "높음", "고위험")},
    "facility_type": {"STORAGE": ("저장",), "PROCESS": ("제조·사용",), "LOADING": ("운반·하역",),
                      "PIPING": ("배관",), "WASTE": ("폐기",)},
    "inspection_type": {"REGULAR_INSPECTION": ("정기검사",), "SAFETY_DIAGNOSIS": ("안전진단",),
                        "SELF_INSPECTION": ("자체점검",)},
    "inspection_result": {"PASS": ("적합",), "FAIL": ("부적합",)},
    "finding_category": {"PROTECTION_LAYER": ("방호계층",), "CONTAINMENT": ("누출방지",),
                         "LABELING": ("표시",), "DOCUMENTATION": ("서류",),
                         "STORAGE": ("보관",), "PPE": ("보호구",), "OTHER": ("기타",)},
    "protection_layer": {"SHUTOFF_VALVE": ("긴급차단밸브",), "GAS_DETECTOR": ("가스누출감지기",),
                         "DIKE": ("방류벽",), "SCRUBBER": ("스크러버",),
                         "INTERLOCK": ("인터록",), "ALARM": ("경보설비",)},
    "change_type": {"EQUIPMENT": ("설비",), "SUBSTANCE": ("물질",),
                    "OPERATING_CONDITION": ("운전조건",), "PROCEDURE": ("절차",)},
    "drill_evaluation": {"ADEQUATE": ("적합",), "INADEQUATE": ("부적합",)},
    "incident_type": {"LEAK": ("누출",), "SPILL": ("유출",), "FIRE": ("화재",),
                      "EXPLOSION": ("폭발",), "EXPOSURE": ("노출",), "NEAR_MISS": ("아차사고",)},
    "impact_scope": {"ON_SITE": ("사업장 내",), "OFF_SITE": ("사업장 외",),
                     "ENVIRONMENT": ("환경",)},
    "admin_action_type": {"CORRECTIVE_ORDER": ("시정명령",), "IMPROVEMENT_ORDER": ("개선명령",),
                          "FINE": ("과태료",), "SUSPENSION": ("영업정지",),
                          "PROSECUTION": ("고발",)},
    "contractor_assessment_type": {"PRE": ("사전평가",), "ONSITE": ("현장점검",),
                                   "RE": ("재평가",)},
    "boolean": {"TRUE": ("Y", "1", "예"), "FALSE": ("N", "0", "아니오")},
}
