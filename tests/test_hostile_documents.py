"""Hostile Word, HTML and text files (issue 16, items 5, 7, 8, 9): each is read into a report or
refused with a govreport error, within 2 seconds and 200 MB.

Each file is built at test time (``tests/hostile_files/documents.py``) and read by
``parse_file`` in a fresh Python process, so that the time and the peak memory measured
are those of reading that one file (the process's peak resident memory, ``VmHWM``,
imports included), not of the test process.  The child runs under a 3 GB address-space limit and a time-out, so
a reader that fails the bounds fails the test without taking the machine down.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_files import documents

from govreport import UnreadableFileError, parse_file

pytest.importorskip("selectolax")
pytest.importorskip("docx")

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 2.0
MEGABYTES = 200

_CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
import govreport
import govreport.readers.docx, govreport.readers.html, govreport.readers.text  # imports are not the file's cost
from govreport.readers.extras import require
require("lxml.etree", "", ""); require("selectolax.lexbor", "", "")
start = time.perf_counter()
try:
    govreport.parse_file(sys.argv[1])
    outcome = "report"
except govreport.GovreportError as exc:
    outcome = f"{type(exc).__name__}: {exc}"[:300]
except BaseException as exc:
    outcome = f"FOREIGN {type(exc).__name__}: {exc}"[:300]
seconds = time.perf_counter() - start
try:  # the peak of this process since exec (ru_maxrss would count the test process it was forked from)
    status = open("/proc/self/status").read()
    megabytes = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError):
    megabytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"outcome": outcome, "seconds": seconds, "megabytes": megabytes}))
"""


def read_in_child(path: Path) -> dict[str, object]:
    """How reading ``path`` ended in a fresh process, in how many seconds and peak megabytes."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path.name}: still reading after 30 s")
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


# name: (the file, how reading it must end).  The files, then smaller ones that each
# reach one limit before any other.
HOSTILE = {
    "zip-bomb.docx": (documents.docx_zip_bomb, "UnreadableFileError: .*expands to more than"),
    "small-bomb.docx": (lambda: documents.docx_zip_bomb(15), "UnreadableFileError: .*more than 100 times"),
    "many-cells.docx": (documents.docx_many_cells, "UnreadableFileError: .*expands to more than"),
    "30k-cells.docx": (lambda: documents.docx_many_cells(30_000), "UnreadableFileError: .*more than 20,000 cells"),
    "nested-tables.html": (documents.html_nested_tables, "UnreadableFileError: .*more than 50,000 tags"),
    "2k-nested-tables.html": (lambda: documents.html_nested_tables(2_000), "UnreadableFileError: .*nesting more"),
    "nested-divs.html": (documents.html_nested_divs, "UnreadableFileError: .*more than 50,000 tags"),
    "10k-nested-divs.html": (lambda: documents.html_nested_divs(10_000), "UnreadableFileError: .*nesting more"),
    "many-cells.html": (documents.html_many_cells, "UnreadableFileError: .*more than 20,000 table cells"),
    "table-openings.md": (documents.text_of_table_openings, "NotAReportError: "),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_refused_within_bounds(tmp_path: Path, name: str) -> None:
    make, expected = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(make())
    result = read_in_child(path)
    assert re.match(expected, str(result["outcome"])), result
    assert float(str(result["seconds"])) < SECONDS, result
    assert float(str(result["megabytes"])) < MEGABYTES, result


# ----------------------------------------------------------------- spans that are no plain number


@pytest.mark.parametrize("value", documents.BAD_SPANS.values(), ids=documents.BAD_SPANS.keys())
@pytest.mark.parametrize("attribute", ["gridSpan", "gridBefore"])
def test_docx_span_that_is_no_plain_number_is_refused(value: str, attribute: str) -> None:
    data = documents.docx_with_span(value, attribute)
    if attribute == "gridBefore":  # a row property, not a cell's
        data = documents.docx(
            f'<w:tbl><w:tr><w:trPr><w:gridBefore w:val="{value}"/></w:trPr>'
            "<w:tc><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        )
    with pytest.raises(UnreadableFileError, match=rf"w:{attribute} is .*not a number of columns"):
        parse_file(data)


def test_docx_vmerge_that_is_neither_restart_nor_continue_is_refused() -> None:
    with pytest.raises(UnreadableFileError, match=r"w:vMerge is '③'"):
        parse_file(documents.docx_with_span("③", "vMerge"))


@pytest.mark.parametrize("value", ["2", "02", " 2 ", "0" * 5000 + "2"])
def test_docx_plain_spans_are_read(value: str) -> None:
    """A plain gridSpan still spans: 信息内容 over 规章 and 4, 本年制发件数 over 5."""
    from govreport.readers.docx import docx_to_text

    assert docx_to_text(documents.docx_with_span(value), "x").splitlines() == ["信息内容\t\t本年制发件数", "规章\t4\t5"]


@pytest.mark.parametrize(
    ("value", "span"),
    [("2", 2), (" +2x", 2), ("0002", 2), ("３", 1), ("²", 1), ("③", 1), ("-2", 1), ("", 1), ("9" * 5000, 10_000_000)],
)
def test_html_spans_are_read_as_browsers_read_them(value: str, span: int) -> None:
    """ASCII digits only (the HTML standard's rules for non-negative integers); a huge one is clamped later."""
    from govreport.readers.html import _span

    assert _span(value) == span


def test_text_with_a_table_after_many_openings_is_still_converted() -> None:
    """The linear search pairs each <table with the first </table> after it, as the old regex did."""
    from govreport.readers.content import Content
    from govreport.readers.text import read_text

    text = "前言 <table> 文字\n<table><tr><td>规章</td><td>5</td></tr></table>\n后记 <table"
    # The first <table ... </table> is one table (its text and the inner table), the last <table stays text.
    assert read_text(Content(text.encode())).text == "前言 \n文字\n规章\t5\n\n后记 <table"
