"""Hostile files and paths given to ``parse_file``: refused early with a clear error, or read
with what was lost said, within 2 s and 200 MB.

The bounded cases run in a fresh interpreter, so that the time and the peak memory are
the parse's own: the child times the call (not its imports) and reports its peak resident
memory, imports included, from ``VmHWM`` in ``/proc/self/status``.  (Not ``getrusage``: on
Linux a child's ``ru_maxrss`` starts from its parent's at the fork and survives the exec,
so after a test that used 280 MB every child would report 280 MB.)  A child that blocks (a
FIFO read the old way) is killed after ``TIMEOUT`` seconds, and the test fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import read_gold
from hostile_files import files

import govreport
from govreport import ParseError, UnreadableFileError

pytest.importorskip("pdfplumber")
# FIFOs, /dev/zero and /proc/self/status (the peak memory) are Linux's.
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux files and /proc")

SECONDS = 2.0
MEGABYTES = 200
TIMEOUT = 30
TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

_CHILD = """
import json, sys, time
sys.path[:0] = [{root!r}, {tests!r}]
import govreport, pdfplumber
from hostile_files import files
{setup}
start = time.perf_counter()
try:
    result = {call}
    outcome = {{"result": type(result).__name__}}
except Exception as exc:
    outcome = {{"error": type(exc).__name__, "message": str(exc)}}
outcome["seconds"] = time.perf_counter() - start
with open("/proc/self/status") as status:
    peak = next(line for line in status if line.startswith("VmHWM:"))
outcome["megabytes"] = int(peak.split()[1]) / 1024
print(json.dumps(outcome))
"""


def bounded(call: str, setup: str = "") -> dict[str, Any]:
    """Run ``call`` in a fresh interpreter; its outcome, seconds and peak memory (MB)."""
    code = _CHILD.format(root=str(ROOT), tests=str(TESTS), setup=setup, call=call)
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"killed after {TIMEOUT} s: {call}")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    outcome: dict[str, Any] = json.loads(done.stdout)
    return outcome


def assert_refused(outcome: dict[str, Any], *words: str) -> None:
    assert outcome.get("error") == "UnreadableFileError", outcome
    for word in words:
        assert word in outcome["message"], outcome
    assert outcome["seconds"] < SECONDS, outcome
    assert outcome["megabytes"] < MEGABYTES, outcome


# ----------------------------------------------------------------- pages


@pytest.mark.parametrize(("pages", "shown"), [(300, "300 pages"), (2000, "2,000 pages")])
def test_a_pdf_of_too_many_pages_is_refused_before_its_text_is_read(pages: int, shown: str) -> None:
    outcome = bounded("govreport.parse_file(data)", f"data = files.many_pages_pdf({pages})")
    assert_refused(outcome, shown, "limit of 100", "max_pages=")


def test_the_page_limit_is_the_documented_default_and_can_be_raised() -> None:
    assert govreport.readers.MAX_PAGES == 100
    hundred = govreport.read_file(files.many_pages_pdf(100))
    assert hundred.source.pages == 100
    longer = files.many_pages_pdf(101)
    with pytest.raises(UnreadableFileError, match="more than the limit of 100"):
        govreport.read_file(longer)
    extracted = govreport.read_file(longer, max_pages=101)
    assert extracted.source.pages == 101
    assert extracted.text.splitlines()[-1] == "Page 101 12345"
    with pytest.raises(UnreadableFileError, match="limit of 5"):
        govreport.parse_file(files.many_pages_pdf(6), max_pages=5)


# ----------------------------------------------------------------- files that are no files


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    pipe = files.fifo(tmp_path)
    assert_refused(bounded(f"govreport.parse_file({str(pipe)!r})"), "FIFO", "regular file")


def test_dev_zero_is_refused_without_being_read() -> None:
    assert_refused(bounded(f"govreport.parse_file({files.DEV_ZERO!r})"), "character device", "regular file")


def test_a_binary_file_object_is_read_up_to_the_byte_limit() -> None:
    setup = f"handle = open({files.DEV_ZERO!r}, 'rb')"
    outcome = bounded("govreport.parse_file(handle, max_bytes=10_000_000)", setup)
    assert_refused(outcome, "more than 10,000,000 bytes", "max_bytes=")


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    assert govreport.readers.MAX_FILE_BYTES == 200_000_000
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2_000_001)
    with pytest.raises(UnreadableFileError, match="2,000,001 bytes, more than the limit of 2,000,000"):
        govreport.parse_file(big, max_bytes=2_000_000)
    with pytest.raises(UnreadableFileError, match="more than the limit"):
        govreport.parse_file(big.read_bytes(), max_bytes=2_000_000)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="a directory, not a regular file"):
        govreport.parse_file(tmp_path)


# ----------------------------------------------------------------- paths and arguments


def test_a_path_with_a_nul_byte_is_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="NUL byte") as caught:
        govreport.parse_file(files.nul_path(tmp_path))
    assert "\0" not in str(caught.value)


def test_a_bytes_path_is_read_as_the_path_it_encodes() -> None:
    report = govreport.parse_file(files.bytes_path())
    assert report.source is not None
    assert (report.source.kind, report.source.name) == ("pdf", str(files.REAL_PDF))
    assert report.source.pages == 6
    with pytest.raises(UnreadableFileError, match="No such file"):
        govreport.parse_file(b"/nonexistent/folder/report.pdf")


def test_bytes_that_are_content_stay_content(tmp_path: Path) -> None:
    name = tmp_path / "report.txt"
    name.write_text("a report", encoding="utf-8")
    # A line naming a file is a path (spaces around it are ignored); two lines are text.
    assert govreport.read_file(os.fsencode(name)).text == "a report"
    assert govreport.read_file(os.fsencode(name) + b"\n").text == "a report"
    assert govreport.read_file(b"path:\n" + os.fsencode(name)).text == f"path:\n{name}"
    assert govreport.read_file(files.REAL_PDF.read_bytes()).source.name == "<bytes>"


@pytest.mark.parametrize("template", [2021, 2019.0, b"2021"])
def test_a_template_that_is_not_a_name_is_a_type_error_naming_the_argument(template: object) -> None:
    text = (files.DATA / "external" / "szfgs2024.txt").read_text(encoding="utf-8")
    with pytest.raises(TypeError, match=r"template= takes a template name \(str\) such as '2021'"):
        govreport.parse(text, template=template)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="template="):
        govreport.parse_file(files.REAL_PDF, template=template)


# ----------------------------------------------------------------- encrypted and damaged PDFs


def test_an_encrypted_pdf_is_refused_saying_it_is_encrypted() -> None:
    outcome = bounded("govreport.parse_file(data)", "data = files.encrypted_pdf('secret')")
    assert_refused(outcome, "the PDF is encrypted and needs a password", "decrypt it first")


def test_a_pdf_encrypted_with_the_empty_password_is_read() -> None:
    extracted = govreport.read_file(files.encrypted_pdf(""))
    assert extracted.text == "Encrypted 2024\nTotal 42"
    assert extracted.diagnostics == ()


def test_a_damaged_stream_is_a_pdf_damaged_diagnostic() -> None:
    extracted = govreport.read_file(files.damaged_stream_pdf())
    assert extracted.text == "Damaged 2024\nTotal 7"
    assert [(d.code, d.severity, d.line) for d in extracted.diagnostics] == [("pdf-damaged", "warning", None)]
    assert "page 1" in extracted.diagnostics[0].message
    assert "Data-loss" in extracted.diagnostics[0].message


@pytest.fixture(scope="module")
def truncated() -> govreport.Report:
    return govreport.parse_file(files.truncated_pdf(0.8))


def test_a_truncated_pdf_reads_the_pages_it_holds_and_reports_the_lost_ones(truncated: govreport.Report) -> None:
    codes = [(d.code, d.line, d.column) for d in truncated.diagnostics[:2]]
    assert codes == [("pdf-damaged", None, None), ("pages-lost", None, None)]
    lost = truncated.diagnostics[1]
    assert lost.severity == "warning"
    assert "3 of the PDF's 6 pages" in lost.message
    assert lost.raw == "pages 4, 5, 6"
    assert truncated.source is not None
    assert truncated.source.pages == 6


def test_a_truncated_pdf_gives_no_number_that_is_not_printed(truncated: govreport.Report) -> None:
    gold = read_gold("external/szfgs2024.json")["cells"]
    read = {}
    for table in truncated.tables:
        for row in table.rows:
            for cell in row.cells:
                key = f"{table.name}.{row.key}.{cell.column}"
                if cell.value is not None and key in gold:
                    read[key] = cell.value
    # Pages 1-3 print table 二 down to 行政许可; the rest of it and tables 三, 四 were on the
    # lost pages: missing, never filled.
    printed = ["regulations", "normative_documents"]
    expected = {k for k in gold if k.split(".")[:2] in (["disclosure", r] for r in printed)}
    assert set(read) == expected | {"disclosure.licensing.decisions"}
    assert all(str(value) == str(gold[key]) for key, value in read.items())
    missing = {d.message for d in truncated.diagnostics if d.code == "table-missing"}
    assert missing == {"table applications is not in the text", "table appeals is not in the text"}


def test_a_truncated_pdf_in_strict_mode_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="pages-lost"):
        govreport.parse_file(files.truncated_pdf(0.8), strict=True)


def test_a_truncated_pdf_that_lost_its_tables_says_so_when_refused() -> None:
    with pytest.raises(govreport.NotAReportError, match="pages-lost: 4 of the PDF's 5 pages"):
        govreport.parse_file(files.truncated_pdf(0.8, files.DATA / "external" / "hzq2024_working.pdf"))


def test_a_truncated_pdf_is_read_within_the_bounds() -> None:
    outcome = bounded("govreport.parse_file(data)", "data = files.truncated_pdf(0.8)")
    assert outcome.get("result") == "Report", outcome
    assert outcome["seconds"] < 3 * SECONDS, outcome  # three pages of tables: slower than a refusal
    assert outcome["megabytes"] < MEGABYTES, outcome
