"""Notebook manners: a short ``repr``, the tables as HTML, ``to_frame`` of paths and texts,
and the progress bar of the batch commands.

Expected values are read from tests/data/external/hzq2024.txt (淮安市洪泽区人民政府, 2024):
``一、本年新收政府信息公开申请数量 95 0 0 0 0 0 95``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import govreport
from govreport.cli import Outcome, Progress

DATA = Path(__file__).parent / "data"
TEXT = DATA / "external" / "hzq2024.txt"
PDF = DATA / "external" / "hzq2024_working.pdf"


def test_the_repr_is_one_short_line() -> None:
    text = TEXT.read_text(encoding="utf-8").replace("2.重复申请 0 0 0 0 0 0 0", "2.重复申请 0 / 0 0 0 0 0")
    report = govreport.parse(text)
    # The 2021 form has 200 cells; this report prints （六）其他处理 as one row instead of its
    # three (7 columns each): 186.  One is printed "/", the others as numbers.
    cells = 186
    assert repr(report) == (
        f"<Report 2021 淮安市洪泽区人民政府 2024: 3 tables, {cells} cells "
        f"({cells - 1} number, 1 placeholder), {len(report.diagnostics)} diagnostics>"
    )
    assert "\n" not in repr(report) and len(repr(report)) < 200
    assert repr(govreport.Report("2021")) == "<Report 2021 ? ?: 0 tables, 0 cells (none), 0 diagnostics>"


def test_repr_html_shows_the_three_tables() -> None:
    report = govreport.parse(TEXT.read_text(encoding="utf-8"))
    page = report._repr_html_()
    assert page is not None and page.count("<table data-table=") == 3
    assert "一、本年新收政府信息公开申请数量" in page and 'data-key="applications.new.total"' in page
    assert "<script" not in page  # a notebook fragment: no script, no source text


def test_to_frame_of_paths_texts_reports_and_results() -> None:
    pytest.importorskip("pandas")
    text = TEXT.read_text(encoding="utf-8")
    items = [
        str(PDF),  # a str without a line break: a path
        Path(TEXT),  # a Path: a file
        text,  # a str with line breaks: report text
        govreport.parse(text),
        *govreport.parse_many([str(TEXT)], jobs=1),
        str(DATA / "no such file.pdf"),
        42,
    ]
    frame = govreport.to_frame(items)
    assert list(frame["applications.new.total"][:5]) == [95] * 5
    assert list(frame["file"][:3]) == [str(PDF), str(TEXT), "<text 2>"]
    assert frame["error"][:5].isna().all()
    assert "UnreadableFileError" in frame["error"][5] and "TypeError" in frame["error"][6]
    assert frame["applications.new.total"][5:].isna().all()
    single = govreport.to_frame(str(TEXT))  # one item, not iterated character by character
    assert len(single) == 1 and single["applications.new.total"][0] == 95


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_tqdm_and_only_on_a_terminal() -> None:
    stream = Terminal()
    progress = Progress(3, quiet=False, stream=stream)
    assert type(progress.bar).__module__.startswith("tqdm")
    progress.step(Outcome("a"))
    progress.step(Outcome("b", error="x"))
    progress.step(Outcome("c"))
    progress.close()
    assert "3/3 files" in stream.getvalue() and "1 unreadable" in stream.getvalue()
    for quiet, out in ((True, Terminal()), (False, io.StringIO())):  # -q, or not a terminal: nothing
        silent = Progress(3, quiet=quiet, stream=out)
        silent.step(Outcome("a"))
        silent.close()
        assert out.getvalue() == ""


def test_results_go_above_the_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Terminal()
    monkeypatch.setattr("sys.stdout", Terminal())
    progress = Progress(2, quiet=False, stream=stream)
    progress.bar.mininterval = 0  # draw at every step
    progress.step(Outcome("a"))
    drawn = stream.getvalue()
    with progress.above():
        cleared = stream.getvalue()[len(drawn) :]
    redrawn = stream.getvalue()[len(drawn) + len(cleared) :]
    progress.close()
    assert "1/2 files" in drawn and "files" not in cleared and cleared  # the bar is wiped …
    assert "1/2 files" in redrawn  # … and drawn again below what was printed
