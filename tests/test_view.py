"""``govreport view``: the HTML page, read as a DOM (selectolax) and loaded in a real browser.

The expected values are read from tests/data/external/hzq2024.txt (淮安市洪泽区 2024):
line 66 prints ``一、本年新收政府信息公开申请数量 95 0 0 0 0 0 95`` and line 68
``（一）予以公开 50 0 0 0 0 0 50``.  ``hostile_text`` changes that row's total to 51 (so the
row no longer adds up: S1 fails), prints ``/`` in a cell of 2.重复申请 (a placeholder), and
puts a ``<script>`` and an ``<img onerror>`` into the prose.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from attrs import evolve

import govreport
from govreport.cli import main
from govreport.model import Origin, Report
from govreport.view import STATUS_CLASSES, render_html, render_tables

lexbor = pytest.importorskip("selectolax.lexbor")

DATA = Path(__file__).parent / "data"
TEXT = DATA / "external" / "hzq2024.txt"
PDF = DATA / "external" / "hzq2024_working.pdf"
SCRIPT = "<script>document.title='PWNED'</script>"
IMG = "<img src=x onerror=\"document.title='PWNED2'\">"


def hostile_text() -> str:
    text = TEXT.read_text(encoding="utf-8")
    changed = text.replace("（一）予以公开 50 0 0 0 0 0 50", "（一）予以公开 50 0 0 0 0 0 51")
    changed = changed.replace("2.重复申请 0 0 0 0 0 0 0", "2.重复申请 0 / 0 0 0 0 0")
    changed = changed.replace("（一）主动公开情况。", f"（一）主动公开情况。{SCRIPT}{IMG}")
    assert changed.count("51") > text.count("51") and "0 / 0" in changed and SCRIPT in changed
    return changed


def dom(page: str) -> lexbor.LexborHTMLParser:
    return lexbor.LexborHTMLParser(page)


def link(tree: lexbor.LexborHTMLParser, key: str) -> lexbor.LexborNode:
    node = tree.css_first(f'[data-key="{key}"]')
    assert node is not None, key
    return node


# ----------------------------------------------------------------- the page, as HTML


def test_a_value_links_to_its_highlight_in_the_source_text() -> None:
    text = TEXT.read_text(encoding="utf-8")
    tree = dom(render_html(govreport.parse(text), text))
    anchor = link(tree, "applications.granted.natural_person")
    assert anchor.tag == "a" and anchor.text() == "50"
    target = tree.css_first(anchor.attributes["href"])
    assert target is not None and target.tag == "mark" and target.text() == "50"
    # The highlight sits on line 68, the line that prints the row (read from the file).
    lines = text.splitlines()
    assert lines[67].startswith("（一）予以公开 50 ")
    source = tree.css_first("pre.src").html or ""
    line_68 = source.split('id="L68"')[1].split('id="L69"')[0]
    assert f'id="{target.attributes["id"]}"' in line_68
    assert "第68行" in (anchor.attributes["title"] or "")


def test_the_tables_use_the_template_labels() -> None:
    text = TEXT.read_text(encoding="utf-8")
    report = govreport.parse(text)
    tree = dom(render_tables(report))
    headers = [th.text() for th in tree.css("th")]
    template = govreport.get_template(report.template)
    for table in report.tables:
        specs = {spec.key: spec for spec in template.table_rows(table.name)}
        for row in table.rows:
            spec = specs[row.key]
            assert spec.label in headers, spec.label  # every row label, as the form prints it
            for column in spec.columns:
                assert column.label in headers, column.label
    # The rows under 三、本年度办理结果 are grouped under one merged label, as on the form.
    merged = [th for th in tree.css("th") if th.text() == "三、本年度办理结果"]
    assert len(merged) == 1 and int(merged[0].attributes["rowspan"] or 0) > 10


def test_a_failed_relation_is_red_with_the_relation_as_title() -> None:
    text = hostile_text()
    report = govreport.parse(text)
    findings = govreport.check(report, prose=True)
    s1 = next(f for f in findings if f.rule == "S1" and "applications.granted.total" in f.keys)
    assert s1.status == "failed"
    tree = dom(render_html(report, text, findings))
    anchor = link(tree, "applications.granted.total")
    assert anchor.text() == "51"
    cell = anchor.parent
    assert cell is not None and "failed" in (cell.attributes["class"] or "").split()
    assert (s1.equation_zh or s1.message_zh) in (anchor.attributes["title"] or "")
    # A row that adds up is not red.
    other = link(tree, "applications.partially_granted.natural_person").parent  # its row and column add up
    assert other is not None and "failed" not in (other.attributes.get("class") or "")


def test_the_report_text_is_escaped() -> None:
    text = hostile_text()
    page = render_html(govreport.parse(text), text)
    assert SCRIPT not in page and IMG not in page
    assert "&lt;script&gt;document.title=" in page
    tree = dom(page)
    assert len(tree.css("script")) == 1 and not tree.css("img")


def test_every_cell_status_looks_different() -> None:
    text = TEXT.read_text(encoding="utf-8")
    report = govreport.parse(text)
    row = "applications.denied.state_secret."
    original = {key: cell for key, cell in report.keyed_cells() if key.startswith(row)}
    columns = sorted(original)
    changes = {
        columns[0]: evolve(original[columns[0]], value=None, raw="", status="blank"),
        columns[1]: evolve(original[columns[1]], value=None, raw="/", span=None, status="placeholder"),
        columns[2]: evolve(original[columns[2]], value=None, raw="", span=None, status="missing"),
        columns[3]: evolve(original[columns[3]], value=None, status="unresolved"),
        columns[4]: evolve(original[columns[4]], value=0, raw="", span=None, status="inferred", inferred=True),
        columns[5]: evolve(original[columns[5]], status="split"),
    }
    scanned = "applications.new.total"  # a row has seven cells: status ocr in another row
    changes[scanned] = evolve(report.cell(scanned), status="ocr", origin=Origin(page=1, confidence=0.97))
    statuses = {"number": columns[6]} | {changes[key].status: key for key in changes}
    assert set(statuses) == set(STATUS_CLASSES)
    tree = dom(render_html(report.with_cells(changes), text))
    looks = {}
    for status, key in statuses.items():
        node = link(tree, key)
        assert node.attributes["data-status"] == status
        assert status in (node.attributes["class"] or "").split()
        looks[status] = (node.attributes["class"], node.text())
    assert len(set(looks.values())) == len(STATUS_CLASSES)  # no two statuses drawn alike
    assert looks["blank"][1] == "空白" and looks["placeholder"][1] == "/"
    assert looks["missing"][1] == "?" and "inferred" in (looks["inferred"][0] or "")


def test_page_numbers_and_english() -> None:
    text = TEXT.read_text(encoding="utf-8")
    report = govreport.parse(text)
    key = "applications.new.total"
    report = report.with_cells({key: evolve(report.cell(key), origin=Origin(page=3))})
    assert "第3页" in (link(dom(render_html(report, text)), key).attributes["title"] or "")
    english = render_html(report, text, lang="en")
    assert "page 3" in (link(dom(english), key).attributes["title"] or "")
    assert '<html lang="en">' in english and "Checks" in english and "勾稽关系检查" not in english


def test_a_text_that_is_not_the_reports_is_refused() -> None:
    text = TEXT.read_text(encoding="utf-8")
    with pytest.raises(govreport.GovreportError):
        render_html(govreport.parse(text), text[:1000])


def test_the_view_command_reads_a_pdf(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert main(["view", str(PDF), "-o", str(out)]) == 0
    tree = dom(out.read_text(encoding="utf-8"))
    assert "淮安市洪泽区人民政府" in (tree.css_first("h1").text() if tree.css_first("h1") else "")
    anchor = link(tree, "applications.new.total")  # the PDF prints 95 new applications
    assert anchor.text() == "95"
    assert tree.css_first(anchor.attributes["href"]).text() == "95"
    assert main(["view", str(tmp_path / "none.pdf"), "-o", str(out)]) == 2


# ----------------------------------------------------------------- the page, in a browser


def _browser() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


needs_chromium = pytest.mark.skipif(
    _browser() is None and not os.environ.get("GOVREPORT_REQUIRE_TOOLS"),
    reason="Chromium is not installed (apt-get install chromium): the page is not loaded in a browser",
)


def _dump_dom(url: str) -> str:
    browser = _browser()
    assert browser is not None, "GOVREPORT_REQUIRE_TOOLS=1 but Chromium is not installed (apt-get install chromium)"
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


@needs_chromium
def test_in_a_browser_a_link_highlights_its_source_and_the_report_script_is_inert(tmp_path: Path) -> None:
    text = hostile_text()
    report = govreport.parse(text)
    page = tmp_path / "report.html"
    page.write_text(render_html(report, text), encoding="utf-8")
    href = link(dom(page.read_text(encoding="utf-8")), "applications.granted.natural_person").attributes["href"]
    loaded = dom(_dump_dom(page.as_uri() + (href or "")))
    # The page's own script ran (allowed by its hash) and marked both ends of the link.
    target = loaded.css_first(href or "")
    assert target is not None and target.text() == "50"
    assert "current" in (target.attributes.get("class") or "").split()
    cell = link(loaded, "applications.granted.natural_person").parent
    assert cell is not None and "current" in (cell.attributes.get("class") or "").split()
    # The failed cell is red; the report's <script> and <img onerror> did not run.
    red = link(loaded, "applications.granted.total").parent
    assert red is not None and "failed" in (red.attributes.get("class") or "").split()
    title = loaded.css_first("title")
    assert title is not None and "PWNED" not in title.text()
    assert len(loaded.css("script")) == 1 and not loaded.css("img")


@pytest.mark.skipif(not os.environ.get("GOVREPORT_REQUIRE_TOOLS"), reason="only where the tools are required (CI)")
def test_chromium_is_found_for_the_browser_tests() -> None:
    """CI installs Chromium (apt-get install chromium): the browser test needs it."""
    assert _browser() is not None


def test_a_report_without_text_still_renders() -> None:
    page = render_html(Report("2021"), None)
    assert "<table" in page and "m-0" not in page
