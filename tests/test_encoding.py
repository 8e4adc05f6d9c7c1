"""Unit tests of encoding detection, record reading and header matching (no dbt)."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from chemsafe import encoding
from chemsafe.contract import FILES_BY_NAME
from chemsafe.encoding import EncodingError, fingerprint
from chemsafe.ingest import IngestError, iter_records, match_header, normalise_header

KOREAN = "사업장 내 누출, 방호계층·제조 점검 - 똠방각하"


def write(tmp_path: Path, data: bytes, name: str = "extract.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def records(tmp_path: Path, text: str, enc: str = "utf-8") -> list[tuple[int, list[str]]]:
    return list(iter_records(write(tmp_path, text.encode(enc)), enc))


# --- fingerprint: encoding in the contract's order, hash of the original bytes -------


@pytest.mark.parametrize(
    ("data", "expected", "label"),
    [
        (b"site_id,site_name\nS01,Ulsan\n", "utf-8", "UTF-8"),
        (f"site_id,site_name\nS01,{KOREAN}\n".encode(), "utf-8", "UTF-8"),
        (codecs.BOM_UTF8 + f"site_id\n{KOREAN}\n".encode(), "utf-8-sig", "UTF-8 (BOM)"),
        (f"site_id,site_name\nS01,{KOREAN}\n".encode("cp949"), "cp949", "CP949"),
        ("site_id\n똠\n".encode("cp949"), "cp949", "CP949"),  # not in EUC-KR proper
        (b"", "utf-8", "UTF-8"),
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (BOM)"),
    ],
    ids=["ascii", "utf8-korean", "bom", "cp949", "cp949-extension", "empty", "bom-only"],
)
def test_fingerprint_detects_encoding_and_hashes_original_bytes(tmp_path, data, expected, label):
    fp = fingerprint(write(tmp_path, data))
    assert (fp.encoding, fp.label) == (expected, label)
    assert fp.sha256 == hashlib.sha256(data).hexdigest()
    assert fp.size_bytes == len(data)


def test_utf8_wins_over_cp949_when_both_decode(tmp_path):
    # '가' in UTF-8 (EA B0 80) is not valid CP949, but plain ASCII is both: UTF-8 first
    assert fingerprint(write(tmp_path, b"a,b\n1,2\n")).encoding == "utf-8"
    assert fingerprint(write(tmp_path, "가".encode())).encoding == "utf-8"


def test_truncated_utf8_at_end_is_not_utf8(tmp_path):
    # the final flush of the decoder counts: a dangling lead byte is not UTF-8
    fp = fingerprint(write(tmp_path, b"a,b\n1," + "가".encode()[:2]))
    assert fp.encoding != "utf-8"


@pytest.mark.parametrize(
    "data",
    [b"site_id\n\xff\xfe\xfa\n", b"a,b\n1,\x80\xff\n", b"\xff"],
    ids=["ff-fe-fa", "80-ff", "ff"],
)
def test_neither_utf8_nor_cp949_fails_naming_the_file(tmp_path, data):
    path = write(tmp_path, data, "sites.csv")
    with pytest.raises(EncodingError, match=r"sites\.csv"):
        fingerprint(path)


@pytest.mark.parametrize(
    "data",
    [b"site_id\n\xff\xfe\xfa\n", b"a,b\n1,\x80\xff\n", b"\xff", b"a\n" + b"\xb0" * 3],
    ids=["ff-fe-fa", "80-ff", "ff", "truncated-at-end"],
)
def test_decoding_into_the_utf8_view_fails_with_the_message_of_the_check(tmp_path, data):
    """Ingestion's engine path decodes a CP949 file once, into its UTF-8 copy, instead of
    checking it first and decoding it again: a file CP949 rejects fails there with the
    same message, the same byte offset, as the check before the copy would give."""
    path = write(tmp_path, data, "sites.csv")
    with pytest.raises(EncodingError) as checked:
        fingerprint(path)
    assert fingerprint(path, confirm_cp949=False).encoding == "cp949"
    with pytest.raises(EncodingError) as decoded:
        encoding.decode_to_utf8(path, "cp949", tmp_path / "copy.csv")
    assert str(decoded.value) == str(checked.value)


def test_bom_with_invalid_utf8_fails(tmp_path):
    path = write(tmp_path, codecs.BOM_UTF8 + "a\n가\n".encode("cp949"), "inspections.csv")
    with pytest.raises(EncodingError, match=r"inspections\.csv.*byte-order mark"):
        fingerprint(path)


@pytest.mark.parametrize(
    ("char", "enc", "expected"),
    [("가", "utf-8", "utf-8"), ("가", "cp949", "cp949"), ("똠", "cp949", "cp949")],
)
@pytest.mark.parametrize("offset", [1, 2, 3])
def test_multibyte_character_across_a_chunk_boundary(tmp_path, monkeypatch, char, enc,
                                                     expected, offset):
    monkeypatch.setattr(encoding, "CHUNK", 8)
    data = b"x" * (8 - offset) + char.encode(enc) + b"\n" + char.encode(enc) * 5
    fp = fingerprint(write(tmp_path, data))
    assert fp.encoding == expected
    assert fp.sha256 == hashlib.sha256(data).hexdigest()
    assert fp.size_bytes == len(data)


def test_invalid_byte_far_into_the_file_is_found(tmp_path, monkeypatch):
    monkeypatch.setattr(encoding, "CHUNK", 16)
    path = write(tmp_path, b"a,b\n" + b"1,2\n" * 50 + b"\xff\n", "production.csv")
    with pytest.raises(EncodingError, match=r"production\.csv.*offset 204"):
        fingerprint(path)


def _utf8_samples() -> list[bytes]:
    """Byte strings on the edges of UTF-8 validity, and random ones heavy in lead and
    continuation bytes."""
    import random

    rng = random.Random(20261206)
    samples = [
        b"", b"abc", "가나다".encode(), "가나다".encode()[:-1], b"\xed\xa0\x80",  # surrogate
        b"\xc0\xaf", b"\xe0\x80\xaf",  # overlong forms
        b"\xf4\x90\x80\x80",  # above U+10FFFF
        "\U0010ffff\U0001f600".encode(), KOREAN.encode("cp949"), b"\x80abc", b"abc\xc2",
    ]
    for _ in range(400):
        n = rng.randint(0, 24)
        samples.append(bytes(rng.choice([rng.randint(0, 255), 0xE0, 0xED, 0x80, 0xBF, 0xC2,
                                         0xF0, 0xF4, 0x41]) for _ in range(n)))
        samples.append("".join(chr(rng.choice([0x41, 0xE9, 0xAC00, 0x1F600, 0x10FFFF, 0x800]))
                               for _ in range(n)).encode())
    return samples


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 1 << 20])
def test_utf8_check_agrees_with_pythons_strict_decoder(tmp_path, monkeypatch, chunk):
    """The fast (Arrow) UTF-8 check, streamed in chunks that split characters anywhere,
    says exactly what Python's strict decoder says, on every sample."""
    monkeypatch.setattr(encoding, "VALIDATE_CHUNK", chunk)
    path = tmp_path / "sample.csv"
    disagreements = []
    for sample in _utf8_samples():
        path.write_bytes(sample)
        try:
            sample.decode("utf-8")
            expected = True
        except UnicodeDecodeError:
            expected = False
        sha, size, valid = encoding._hash_and_check_utf8(path, 0)
        assert (sha, size) == (hashlib.sha256(sample).hexdigest(), len(sample))
        if valid != expected:
            disagreements.append(sample)
    assert disagreements == []


# --- iter_records: physical line numbers, blank lines ---------------------------------


def test_header_is_line_one_and_lines_are_physical(tmp_path):
    assert records(tmp_path, "a,b\n1,2\n3,4\n") == [
        (1, ["a", "b"]), (2, ["1", "2"]), (3, ["3", "4"])]


def test_blank_and_whitespace_lines_are_skipped_but_counted(tmp_path):
    text = "a,b\n\n1,2\n   \n\t\n \u3000\xa0\n3,4\n\n"
    assert records(tmp_path, text) == [(1, ["a", "b"]), (3, ["1", "2"]), (7, ["3", "4"])]


def test_blank_lines_before_the_header_count(tmp_path):
    assert records(tmp_path, "\n\na,b\n1,2\n") == [(3, ["a", "b"]), (4, ["1", "2"])]


def test_embedded_newline_shifts_the_next_record(tmp_path):
    text = 'a,b\n1,"two\nlines"\n2,"three\n\nlines, with a blank one"\n3,x\n'
    assert records(tmp_path, text) == [
        (1, ["a", "b"]),
        (2, ["1", "two\nlines"]),
        (4, ["2", "three\n\nlines, with a blank one"]),
        (7, ["3", "x"]),
    ]


def test_line_of_only_commas_is_a_record_of_empty_cells(tmp_path):
    assert records(tmp_path, "a,b,c\n,,\n , ,\n") == [
        (1, ["a", "b", "c"]), (2, ["", "", ""]), (3, [" ", " ", ""])]


def test_quoted_empty_field_is_a_record_not_a_blank_line(tmp_path):
    # `""` is one (empty) field: not a blank line, so it must reach the field-count check
    assert records(tmp_path, 'a,b\n""\n"  "\n1,2\n') == [
        (1, ["a", "b"]), (2, [""]), (3, ["  "]), (4, ["1", "2"])]


def test_wrong_field_counts_are_yielded_as_read(tmp_path):
    assert records(tmp_path, "a,b\n1\n1,2,3\n1,2,\n") == [
        (1, ["a", "b"]), (2, ["1"]), (3, ["1", "2", "3"]), (4, ["1", "2", ""])]


def test_crlf_line_ends(tmp_path):
    text = 'a,b\r\n1,2\r\n\r\n3,"x\r\ny"\r\n4,5\r\n'
    assert records(tmp_path, text) == [
        (1, ["a", "b"]), (2, ["1", "2"]), (4, ["3", "x\r\ny"]), (6, ["4", "5"])]


def test_last_line_without_newline(tmp_path):
    assert records(tmp_path, "a,b\n1,2") == [(1, ["a", "b"]), (2, ["1", "2"])]


def test_cp949_and_bom_files_decode_to_the_same_text(tmp_path):
    text = f'site_id,site_name\nS01,"{KOREAN}"\n'
    expected = [(1, ["site_id", "site_name"]), (2, ["S01", KOREAN])]
    assert records(tmp_path, text, "cp949") == expected
    path = write(tmp_path, codecs.BOM_UTF8 + text.encode(), "bom.csv")
    assert list(iter_records(path, fingerprint(path).encoding)) == expected


def test_fixture_findings_lines():
    path = Path(__file__).parent / "fixtures" / "bad_rows" / "findings.csv"
    lines = [line for line, _ in iter_records(path, "utf-8")]
    assert lines == [1, 2, 3, *range(7, 19)]


# --- match_header -------------------------------------------------------------------


SITES = FILES_BY_NAME["sites"]
DRILLS = FILES_BY_NAME["drills"]


def test_normalise_header():
    assert normalise_header("  Site_ID ") == "site_id"
    assert normalise_header("\tSEVERITY\u3000") == "severity"


def test_match_header_in_contract_order():
    assert match_header(SITES, ["site_id", "site_name", "region", "ksic_code"]) == (
        [0, 1, 2, 3], [])


def test_match_header_other_case_spaces_and_order():
    header = [" Evaluation ", " DRILL_ID", "Site_Id ", "drill_on", "Scenario", "SCENARIO_RISK",
              " participants_actual ", "Participants_Planned"]
    positions, extras = match_header(DRILLS, header)
    assert [header[p] for p in positions] == [
        " DRILL_ID", "Site_Id ", "drill_on", "Scenario", "SCENARIO_RISK",
        "Participants_Planned", " participants_actual ", " Evaluation "]
    assert extras == []


def test_match_header_keeps_extra_columns_normalised():
    header = ["Remarks ", "site_id", "site_name", "region", "ksic_code", "Note"]
    assert match_header(SITES, header) == ([1, 2, 3, 4], [("remarks", 0), ("note", 5)])


def test_missing_column_names_file_and_column():
    with pytest.raises(IngestError, match=r"^sites\.csv: header lacks column 'region'"):
        match_header(SITES, ["site_id", "site_name", "ksic_code"])


def test_all_missing_columns_are_listed():
    with pytest.raises(IngestError) as failure:
        match_header(SITES, ["site_id"])
    message = str(failure.value)
    assert message.startswith("sites.csv: ")
    for column in ("site_name", "region", "ksic_code"):
        assert column in message


def test_bom_left_in_the_header_is_not_matched():
    # the BOM must be removed by decoding (utf-8-sig), never matched around
    with pytest.raises(IngestError, match="site_id"):
        match_header(SITES, ["\ufeffsite_id", "site_name", "region", "ksic_code"])


@pytest.mark.parametrize(
    "header",
    [
        ["site_id", "site_name", "region", "ksic_code", "region"],
        ["site_id", "Site_Name", "region", "ksic_code", " site_name "],
        ["site_id", "site_name", "region", "ksic_code", "note", "NOTE"],
    ],
    ids=["exact", "after-normalising", "extra-column"],
)
def test_doubled_column_names_file_and_column(header):
    doubled = normalise_header(header[-1])
    with pytest.raises(IngestError, match=rf"^sites\.csv: .*'{doubled}' twice"):
        match_header(SITES, header)


@pytest.mark.parametrize(("limit", "parts", "expected"), [
    ("1500MB", 2, "750000000 bytes"),
    ("1GiB", 4, "268435456 bytes"),
    ("2 gb", 2, "1000000000 bytes"),
    ("1500MB", 1, "1500MB"),
    ("80%", 2, "80%"),  # not a size this reads: passed on whole
])
def test_concurrent_ingest_reads_share_the_memory_bound(monkeypatch, limit, parts, expected):
    from chemsafe.engine_read import MEMORY_LIMIT_ENV, memory_share

    monkeypatch.setenv(MEMORY_LIMIT_ENV, limit)
    assert memory_share(parts) == expected
