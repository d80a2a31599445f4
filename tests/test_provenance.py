"""Provenance to the page: ``Cell.origin`` says where a number is printed in the document.

The expected pages and points were read off the pages themselves (rendered to PNG with
pypdfium2 at 1.5x, 4x and 8x, a point in the printed number noted in PDF points); the
table cell around that point is found from the PDF's own ruling lines (pdfplumber's
``edges``), never from govreport's output.  A number's box is the box of its characters,
inside its cell.
"""

from __future__ import annotations

import io
import math
import time
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, read_text
from render_files import render_docx, render_html, render_ofd

import govreport
from govreport import from_json, to_json
from govreport.errors import DeserializationError
from govreport.model import Origin
from govreport.readers import Origins, placed_text, read_file

pdfplumber = pytest.importorskip("pdfplumber")

EXTERNAL = DATA / "external"

# (file, key, page, a point (x, y) inside the printed number, the number as printed).
# Points read from the rendered pages: e.g. hzq2023 page 3, 一、本年新收 row, 总计 column: "21".
PDF_CELLS = [
    ("hzq2023_working.pdf", "applications.new.total", 3, (499, 491), "21"),
    ("hzq2023_working.pdf", "disclosure.fees.amount", 3, (373, 289), "7730.28"),
    ("hzq2023_working.pdf", "applications.results_total.total", 4, (500, 235), "21"),
    ("hzq2023_working.pdf", "appeals.review.total", 4, (217, 459), "0"),
    ("hzq2023_working.pdf", "appeals.litigation_after_review.upheld", 4, (387, 459), "5"),
    ("hzq2024_working.pdf", "applications.new.total", 3, (499, 509), "95"),
    ("hzq2024_working.pdf", "disclosure.fees.amount", 3, (373, 335), "7545"),
    ("szfgs2024.pdf", "applications.new.total", 4, (503, 469), "3119"),
    ("szfgs2024.pdf", "disclosure.fees.amount", 4, (265, 275), "96171.6"),
    ("szfgs2024.pdf", "applications.results_total.total", 5, (503, 413), "3050"),
    ("szfgs2024.pdf", "appeals.review.total", 5, (205, 670), "351"),
]
# szfgs2024 page 5, 351 read at 8x: the ink of the digits from x 193.5 to 210.6, y 665.6 to 674.6
# (a character's box also holds the font's descent below the baseline: a few points more).
SZFGS_351_INK = (193.5, 665.6, 210.6, 674.6)
TOLERANCE = 3.5  # points


@pytest.fixture(scope="module")
def reports() -> dict[str, govreport.Report]:
    return {name: govreport.parse_file(EXTERNAL / name) for name in {c[0] for c in PDF_CELLS}}


def ruled_cell(page: object, x: float, y: float) -> tuple[float, float, float, float]:
    """The box the ruling lines drawn around the point (x, y) make on a PDF page."""
    edges = page.edges  # type: ignore[attr-defined]
    verticals = [e["x0"] for e in edges if e["orientation"] == "v" and e["top"] - 1 <= y <= e["bottom"] + 1]
    horizontals = [e["top"] for e in edges if e["orientation"] == "h" and e["x0"] - 1 <= x <= e["x1"] + 1]
    return (
        max(v for v in verticals if v < x),
        max(h for h in horizontals if h < y),
        min(v for v in verticals if v > x),
        min(h for h in horizontals if h > y),
    )


@pytest.mark.parametrize(("name", "key", "page", "point", "printed"), PDF_CELLS)
def test_a_pdf_cell_is_placed_on_its_page_in_its_ruled_box(
    reports: dict[str, govreport.Report], name: str, key: str, page: int, point: tuple[float, float], printed: str
) -> None:
    cell = reports[name].cell(key)
    assert cell.raw == printed
    assert cell.origin is not None and cell.origin.page == page and cell.origin.bbox is not None
    x0, top, x1, bottom = cell.origin.bbox
    assert x0 <= point[0] <= x1 and top <= point[1] <= bottom
    with pdfplumber.open(EXTERNAL / name) as pdf:
        drawn = pdf.pages[page - 1]
        cx0, ctop, cx1, cbottom = ruled_cell(drawn, *point)
        assert cx0 - 1 <= x0 < x1 <= cx1 + 1 and ctop - 1 <= top < bottom <= cbottom + 1
        assert x1 - x0 <= 8 * len(printed) and bottom - top <= 16  # the digits, not the cell
        assert drawn.crop(cell.origin.bbox).extract_text().strip() == printed


def test_the_box_read_off_the_rendered_page(reports: dict[str, govreport.Report]) -> None:
    origin = reports["szfgs2024.pdf"].cell("appeals.review.total").origin
    assert origin is not None and origin.page == 5 and origin.bbox is not None
    assert origin.bbox == pytest.approx(SZFGS_351_INK, abs=TOLERANCE)


def test_every_printed_pdf_cell_has_a_page_and_a_box_holding_its_text(reports: dict[str, govreport.Report]) -> None:
    for name, report in reports.items():
        with pdfplumber.open(EXTERNAL / name) as pdf:
            printed = [(k, c) for k, c in report.keyed_cells() if c.raw and c.span is not None]
            assert len(printed) > 150
            for key, cell in printed:
                assert cell.origin is not None and cell.origin.page is not None and cell.origin.bbox, key
                assert 1 <= cell.origin.page <= len(pdf.pages)
                text = pdf.pages[cell.origin.page - 1].crop(cell.origin.bbox).extract_text()
                assert "".join(text.split()) == "".join(cell.raw.split()), (name, key)


def test_cells_with_nothing_printed_have_no_origin() -> None:
    # The test reports print no blank cell, so one is made: the 结果纠正 cell of 行政复议 left empty.
    html = render_html(govreport.parse(read_text("external/szfgs2024.txt"))).replace(">64<", "><")
    report = govreport.parse_html(html)
    cell = report.cell("appeals.review.corrected")
    assert cell.status == "blank" and cell.origin is None
    assert report.cell("appeals.review.upheld").origin == Origin(table=4, row=4, column=1)


def test_the_word_of_a_text_line_is_placed_at_its_characters() -> None:
    # 全年组织 4 次 on szfgs2024 page 3, in a paragraph of prose (drawn in a box, which
    # pdfplumber takes for a table of one cell): the word "4" has a box of one digit.
    extracted = read_file(EXTERNAL / "szfgs2024.pdf")
    origins = extracted.origins
    assert origins is not None
    at = extracted.text.index("全年组织 4 次") + len("全年组织 ")
    (place,) = origins.covering(at, at + 1)
    assert place.page == 3 and place.bbox is not None
    with pdfplumber.open(EXTERNAL / "szfgs2024.pdf") as pdf:
        assert pdf.pages[2].crop(place.bbox).extract_text().strip() == "4"
    assert place.bbox[2] - place.bbox[0] < 10


# ----------------------------------------------------------------- HTML and Word tables


def _szfgs() -> govreport.Report:
    return govreport.parse(read_text("external/szfgs2024.txt"))


# The rendered document's tables (tests/render_files.py): the applications table's value rows
# start at grid row 4 (three header rows), values in columns 4-10 (the label spans 3); the
# appeals values are row 4, columns 1-15; disclosure (2021) puts 行政事业性收费 in row 14, column 2.
TABLE_CELLS = [
    ("applications.new.total", "3119", "applications", 4, 10),
    ("applications.new.natural_person", "3001", "applications", 4, 4),
    ("appeals.review.total", "351", "appeals", 4, 5),
    ("appeals.litigation_after_review.upheld", "12", "appeals", 4, 11),
    ("disclosure.fees.amount", "96171.6", "disclosure", 14, 2),
]


@pytest.mark.parametrize(("key", "printed", "table", "row", "column"), TABLE_CELLS)
def test_an_html_cell_keeps_its_table_row_and_column(key: str, printed: str, table: str, row: int, column: int) -> None:
    # The page wraps its content in a layout <table> (the 1st); then disclosure, applications, appeals.
    number = {"disclosure": 2, "applications": 3, "appeals": 4}[table]
    html = render_html(_szfgs())
    for report in (govreport.parse_html(html), govreport.parse_html(html.encode("utf-8"))):
        cell = report.cell(key)
        assert cell.raw == printed
        assert cell.origin == Origin(table=number, row=row, column=column)


@pytest.mark.parametrize(("key", "printed", "table", "row", "column"), TABLE_CELLS)
def test_a_word_cell_keeps_its_table_row_and_column(key: str, printed: str, table: str, row: int, column: int) -> None:
    docx = pytest.importorskip("docx")
    data = render_docx(_szfgs())
    number = {"disclosure": 1, "applications": 2, "appeals": 3}[table]
    cell = govreport.parse_file(data).cell(key)
    assert cell.raw == printed
    assert cell.origin == Origin(table=number, row=row, column=column)
    # python-docx, on its own, finds the number at that place.
    assert docx.Document(io.BytesIO(data)).tables[number - 1].cell(row - 1, column - 1).text == printed


def test_an_ofd_cell_keeps_its_page() -> None:
    pytest.importorskip("defusedxml")
    data = render_ofd(_szfgs())
    cell = govreport.parse_file(data).cell("disclosure.fees.amount")
    assert cell.raw == "96171.6" and cell.origin is not None and cell.origin.bbox is None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pages = sorted(n for n in archive.namelist() if n.endswith("Content.xml"))
        holding = [
            i for i, n in enumerate(pages, 1) if b">96171.6<" in archive.read(f"Doc_0/Pages/Page_{i - 1}/Content.xml")
        ]
    assert len(pages) > 1 and holding == [cell.origin.page]


def test_text_input_has_no_origin(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(read_text("external/szfgs2024.txt"), encoding="utf-8")
    report = govreport.parse_file(path)
    assert read_file(path).origins is None
    assert all(cell.origin is None for _, cell in report.keyed_cells())
    assert all(d.page is None for d in report.diagnostics)
    assert all(cell.origin is None for _, cell in _szfgs().keyed_cells())


# ----------------------------------------------------------------- JSON


def test_json_keeps_the_origins(reports: dict[str, govreport.Report]) -> None:
    report = reports["szfgs2024.pdf"]
    text = to_json(report)
    assert '"bbox": [' in text
    assert from_json(text) == report
    html = govreport.parse_html(render_html(_szfgs()))
    assert from_json(to_json(html)) == html


@pytest.mark.parametrize(
    ("origin", "problem"),
    [
        ({"page": 0}, "page"),
        ({"page": 1, "bbox": [1, 2, 3]}, "bbox"),
        ({"page": 1, "bbox": ["1", 2, 3, 4]}, "bbox"),
        ({"page": 1, "bbox": [True, 2, 3, 4]}, "bbox"),
        ({"page": 1, "bbox": [1, 2, 3, math.inf]}, "bbox"),
        ({"page": 1, "bbox": [5, 2, 3, 4]}, "bbox"),
        ({"table": 1, "row": -2, "column": 1}, "row"),
        ({"page": 1.5}, "page"),
        ({"pages": 1}, "pages"),
        ([1, 2], "origin"),
    ],
)
def test_a_malformed_origin_is_refused(reports: dict[str, govreport.Report], origin: object, problem: str) -> None:
    data = govreport.to_dict(reports["szfgs2024.pdf"])
    data["applications"]["rows"][0]["cells"][0]["origin"] = origin
    with pytest.raises(DeserializationError) as raised:
        govreport.from_dict(data)
    assert problem in str(raised.value) + " ".join(getattr(raised.value, "errors", []) or [])


def test_diagnostic_pages() -> None:
    # A diagnostic with a line gets the page that line is on.
    text = "第一行\n第二行\n第三行"
    origins = Origins((0, 4, 8), (3, 7, 11), (Origin(page=1), Origin(page=1), Origin(page=2)))
    from govreport.model import Diagnostic, Report
    from govreport.provenance import attach_origins

    report = Report("2021", diagnostics=(Diagnostic("x", "y", line=3, column=2), Diagnostic("x", "z")))
    paged = attach_origins(report, text, origins)
    assert [d.page for d in paged.diagnostics] == [2, None]


def test_origins_lookup() -> None:
    text, origins = placed_text(
        [("a\tbc", [(0, 1, Origin(table=1, row=1, column=1)), (2, 4, Origin(table=1, row=1, column=2))]), ("x", [])]
    )
    assert text == "a\tbc\nx"
    assert origins.covering(2, 4) == (Origin(table=1, row=1, column=2),)
    assert origins.covering(3, 3) == (Origin(table=1, row=1, column=2),)
    assert origins.covering(0, 4) == (Origin(table=1, row=1, column=1), Origin(table=1, row=1, column=2))
    assert origins.covering(1, 2) == ()
    assert origins.covering(5, 6) == ()


# ----------------------------------------------------------------- cost


def test_origins_cost_little(reports: dict[str, govreport.Report]) -> None:
    """The runs of the biggest test PDF: a few hundred, one per word or cell."""
    extracted = read_file(EXTERNAL / "szfgs2024.pdf")
    assert extracted.origins is not None
    assert len(extracted.origins) < len(extracted.text) / 4
    start = time.perf_counter()
    for _ in range(1000):
        extracted.origins.covering(2012, 2016)
    assert time.perf_counter() - start < 0.5
