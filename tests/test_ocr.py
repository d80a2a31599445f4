"""Scanned PDFs read by OCR (``govreport[ocr]``): every value exact, or None with a diagnostic.

The scans are made here: a report of each template is drawn as page images in a CJK font
(tests/render_scan.py: ruled tables with merged cells, as reports print them) and wrapped
as a PDF without a text layer, clean and with noise (blur, a page turned by a degree, JPEG).
The expected values are the ones drawn: the real 洪泽区 2024 report (2021 template, its
values checked against tests/data/external/hzq2024.json below) and a 2019-template report
of values drawn by a fixed-seed generator.  Each scan is read once per test session.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest

import govreport
from govreport import Report

DATA = Path(__file__).parent / "data"
EXTRA = all(importlib.util.find_spec(m) is not None for m in ("pypdfium2", "rapidocr_onnxruntime", "cv2", "PIL"))


def _font() -> str | None:
    from render_scan import font_path

    return font_path()


needs_ocr = pytest.mark.skipif(
    not (EXTRA and _font()) and not os.environ.get("GOVREPORT_REQUIRE_TOOLS"),
    reason="the [ocr] extra (pip install 'govreport[ocr]') or a CJK font (apt-get install fonts-wqy-microhei) "
    "is not installed",
)


def report_2021() -> Report:
    report = govreport.parse((DATA / "external/hzq2024.txt").read_text(encoding="utf-8"))
    gold = json.loads((DATA / "external/hzq2024.json").read_text(encoding="utf-8"))["cells"]
    cells = dict(report.keyed_cells())
    assert {k: str(cells[k].value) for k in gold} == {k: str(v) for k, v in gold.items()}  # drawn = gold
    return report


def report_2019() -> Report:
    """A 2019-template report of consistent values, the same on every run (a fixed seed)."""
    import random

    from hypothesis import HealthCheck, given, settings
    from strategies import reports

    found: list[Report] = []

    @settings(max_examples=1, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(reports("2019", spans=False))
    def draw(report: Report) -> None:
        found.append(report)

    random.seed(0)
    draw()
    return found[0]


REPORTS = {"2021": report_2021, "2019": report_2019}
CASES = [("2021", ()), ("2021", ("blur", "skew", "jpeg")), ("2019", ()), ("2019", ("blur", "skew", "jpeg"))]
_READ: dict[tuple[str, tuple[str, ...]], tuple[Report, Report]] = {}


def scanned(template: str, noise: tuple[str, ...]) -> tuple[Report, Report]:
    """The report drawn, and the report read back from its scan (read once per session)."""
    if (template, noise) not in _READ:
        from render_scan import render_scan

        drawn = REPORTS[template]()
        read = govreport.parse_file(render_scan(drawn, noise=noise))
        _READ[template, noise] = (drawn, read)
    return _READ[template, noise]


def _printed(report: Report) -> dict[str, Any]:
    """The values the scan prints: the same grids written as HTML (render_files) and read back exactly."""
    from render_files import render_html

    printed = govreport.parse_html(render_html(report))
    return {k: c.value for k, c in printed.keyed_cells() if c.value is not None and c.status == "number"}


@needs_ocr
@pytest.mark.parametrize(("template", "noise"), CASES, ids=[f"{t}-{'+'.join(n) or 'clean'}" for t, n in CASES])
def test_every_value_of_a_scan_is_exact_or_none_with_a_diagnostic(template: str, noise: tuple[str, ...]) -> None:
    drawn, read = scanned(template, noise)
    assert read.template == template
    assert read.source is not None and read.source.kind == "pdf"
    assert any(d.code == "ocr" for d in read.diagnostics)
    cells = dict(read.keyed_cells())
    expected = _printed(drawn)
    assert set(expected) <= set(cells)
    wrong = {k: (v, cells[k].value) for k, v in expected.items() if cells[k].value not in (None, v)}
    assert not wrong, f"wrong numbers: {wrong}"
    lost = [k for k, v in expected.items() if cells[k].value is None]
    for key in lost:  # a value OCR did not trust: unread, never "printed blank"
        assert cells[key].status in ("missing", "unresolved"), (key, cells[key])
    for key, cell in cells.items():  # a value read is OCR's (or inferred from OCR's), exact
        if cell.value is not None:
            assert cell.status in ("ocr", "inferred"), (key, cell)
            if key in expected:
                assert cell.value == expected[key], (key, cell)
    if lost:
        assert any(d.code == "ocr-low-confidence" for d in read.diagnostics)
    read_back = sum(1 for k in expected if cells[k].value is not None)
    # not a test that passes by reading nothing: most values come back from a clean scan, a good
    # part from a noisy one (benchmarks/ocr_accuracy.py has the figures)
    assert read_back >= (0.95 if not noise else 0.8) * len(expected), (read_back, len(expected))


@needs_ocr
@pytest.mark.parametrize(("template", "noise"), CASES[:1], ids=["2021-clean"])
def test_ocr_cells_carry_their_confidence_page_and_box(template: str, noise: tuple[str, ...]) -> None:
    from govreport.readers.ocr import CONFIDENCE_THRESHOLD

    _, read = scanned(template, noise)
    ocr = [c for _, c in read.keyed_cells() if c.status == "ocr"]
    assert ocr
    for cell in ocr:
        assert cell.value is not None and cell.origin is not None
        assert cell.origin.page is not None and cell.origin.bbox is not None
        assert cell.origin.confidence is not None and CONFIDENCE_THRESHOLD <= cell.origin.confidence <= 1
        x0, top, x1, bottom = cell.origin.bbox
        assert 0 <= x0 < x1 <= 600 and 0 <= top < bottom <= 850  # an A4 page, in points
    assert not any(c.status == "number" for _, c in read.keyed_cells())  # no value claims a text layer
    # a low score becomes a diagnostic with its page and box, the cell then missing or inferred
    for diagnostic in read.diagnostics:
        if diagnostic.code == "ocr-low-confidence":
            assert diagnostic.page is not None and "box (" in diagnostic.message
    data = govreport.to_dict(read)
    assert govreport.from_dict(data) == read  # the status and the confidence survive JSON


@needs_ocr
def test_inference_fills_a_cell_ocr_did_not_trust() -> None:
    drawn, read = scanned("2021", ())
    expected = _printed(drawn)
    filled = {k: c.value for k, c in read.keyed_cells() if c.status == "inferred"}
    assert all(expected.get(k, 0) == v for k, v in filled.items()), filled


def _blank_scan(path: Path) -> None:
    from PIL import Image  # installed with pdfplumber

    Image.new("RGB", (600, 800), "white").save(path, "PDF")


def test_scan_without_the_extra_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govreport.errors import MissingExtraError
    from govreport.readers import ocr

    def missing() -> None:
        raise MissingExtraError("reading a scanned PDF", "ocr", "rapidocr_onnxruntime")

    monkeypatch.setattr(ocr, "_modules", missing)
    scan = tmp_path / "scan.pdf"
    _blank_scan(scan)
    with pytest.raises(govreport.ScannedPdfError, match=r"pip install 'govreport\[ocr\]'") as info:
        govreport.parse_file(scan)
    assert info.value.name == str(scan)


@needs_ocr
def test_a_scan_of_blank_pages_is_refused_saying_ocr_found_nothing(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    _blank_scan(scan)
    with pytest.raises(govreport.ScannedPdfError, match="OCR found no text"):
        govreport.parse_file(scan)
