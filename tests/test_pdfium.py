"""The PDF reader on PDFium: ruled tables from rules (``readers/lattice.py``), threads, boxes.

The lattice cases are drawn by hand: the expected cells are read off the drawing in the
comments, not off the code.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import DATA

import govreport
from govreport.readers.lattice import Rule, merge, tables

pytest.importorskip("pypdfium2")

EXTERNAL = DATA / "external"


def h(y: float, x0: float, x1: float) -> Rule:
    return ("h", x0, y, x1, y)


def v(x: float, top: float, bottom: float) -> Rule:
    return ("v", x, top, x, bottom)


def test_a_grid_of_two_by_two_cells() -> None:
    #  0   50  100
    #  +---+---+   0
    #  |   |   |
    #  +---+---+  20
    #  |   |   |
    #  +---+---+  40
    rules = [h(0, 0, 100), h(20, 0, 100), h(40, 0, 100), v(0, 0, 40), v(50, 0, 40), v(100, 0, 40)]
    (table,) = tables(rules)
    assert table.bbox == (0, 0, 100, 40)
    assert [row.cells for row in table.rows] == [
        ((0, 0, 50, 20), (50, 0, 100, 20)),
        ((0, 20, 50, 40), (50, 20, 100, 40)),
    ]


def test_a_merged_cell_leaves_its_other_positions_empty() -> None:
    #  0   50  100
    #  +---+---+   0
    #  |   |   |
    #  |   +---+  20     the left cell spans both rows
    #  |   |   |
    #  +---+---+  40
    rules = [h(0, 0, 100), h(20, 50, 100), h(40, 0, 100), v(0, 0, 40), v(50, 0, 40), v(100, 0, 40)]
    (table,) = tables(rules)
    assert [row.cells for row in table.rows] == [
        ((0, 0, 50, 40), (50, 0, 100, 20)),
        (None, (50, 20, 100, 40)),
    ]
    assert table.rows[0].bbox == (0, 0, 100, 40)


def test_thin_rectangles_snap_into_one_rule_and_pieces_are_joined() -> None:
    # A rule drawn as a filled rectangle 0.5 pt high (two edges, y 10 and 10.5) and a second
    # piece at y 10, 2 pt to its right: one rule, at the mean of the three (10 1/6).
    rules = [h(10, 0, 40), h(10.5, 0, 40), h(10, 42, 100)]
    ((kind, x0, top, x1, bottom),) = merge(rules)
    assert (kind, x0, x1) == ("h", 0, 100)
    assert top == bottom == pytest.approx(10 + 1 / 6)


def test_a_box_of_one_cell_is_not_a_table_and_short_rules_are_dropped() -> None:
    box = [h(0, 0, 100), h(40, 0, 100), v(0, 0, 40), v(100, 0, 40)]
    assert tables(box) == []
    assert tables([*box, v(50, 0, 2)]) == []  # 2 pt: shorter than the 3 pt a rule needs


def test_two_tables_apart_are_two_tables_top_first() -> None:
    def grid(top: float) -> list[Rule]:
        return [h(top, 0, 100), h(top + 20, 0, 100), v(0, top, top + 20), v(50, top, top + 20), v(100, top, top + 20)]

    found = tables(grid(200) + grid(0))
    assert [t.bbox for t in found] == [(0, 0, 100, 20), (0, 200, 100, 220)]


def test_threads_read_pdfs_as_one_thread_does() -> None:
    # PDFium is not thread-safe: the reader serialises documents, so threads get the same text.
    names = ["hzq2023_working.pdf", "hzq2024_working.pdf", "szfgs2024.pdf"] * 2
    alone = {name: govreport.read_file(EXTERNAL / name).text for name in set(names)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda name: govreport.read_file(EXTERNAL / name).text, names))
    assert together == [alone[name] for name in names]


def test_a_box_is_measured_from_the_top_left() -> None:
    # szfgs2024 page 4, row 一、本年新收, column 总计: "3119", four digits of a 7.5-point
    # font around the point (503, 469) from the top-left corner read off the rendered page
    # (test_provenance.py).  PDFium measures from the bottom, where the point is at y 373.
    report = govreport.parse_file(EXTERNAL / "szfgs2024.pdf")
    origin = report.cell("applications.new.total").origin
    assert origin is not None and origin.page == 4 and origin.bbox is not None
    x0, top, x1, bottom = origin.bbox
    assert 494 <= x0 < x1 <= 514 and 462 <= top < bottom <= 476


@pytest.mark.parametrize("name", ["hzq2023_working.pdf", "hzq2024_working.pdf", "szfgs2024.pdf"])
def test_a_pdf_cut_short_reads_whole_pages_or_none(name: str) -> None:
    # Cut short, a page whose fonts were cut off must be left out (pages-lost), never read
    # as codes or without the characters of a lost font (once read as "年 023" for "2023 年"):
    # every line read is a line of the whole file.
    data = (EXTERNAL / name).read_bytes()
    whole = set(govreport.read_file(data).text.splitlines())
    for cut in (0.35, 0.65, 0.8, 0.9, 0.97):
        try:
            extracted = govreport.read_file(data[: int(len(data) * cut)])
        except govreport.GovreportError:
            continue
        assert extracted.diagnostics[0].code == "pdf-damaged"
        assert [line for line in extracted.text.splitlines() if line not in whole] == [], cut
