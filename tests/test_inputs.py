"""Files as people get them: PDF, HTML pages, Word documents, text in GB18030 or UTF-16."""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, gold_cells, read_gold, read_text
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from render import render_tab
from render_files import render_docx, render_html
from strategies import flat_values, reports

import govreport
from govreport import Report

FILES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
both_templates = st.sampled_from(("2021", "2019")).flatmap(lambda template: reports(template))
with_blank_cells = st.sampled_from(("2021", "2019")).flatmap(lambda template: reports(template, allow_blank=True))


def assert_same_values(parsed: Report, report: Report) -> None:
    assert [str(d) for d in parsed.diagnostics] == []
    assert govreport.flatten(parsed, meta=False) == flat_values(report)
    assert parsed.template == report.template
    assert (parsed.meta.agency, parsed.meta.year) == (report.meta.agency, report.meta.year)


# ----------------------------------------------------------------- PDF: the three real reports

PDFS = [
    ("external/hzq2023_working.pdf", "external/hzq2023.json", 5),
    ("external/hzq2024_working.pdf", "external/hzq2024.json", 5),
    ("external/szfgs2024.pdf", "external/szfgs2024.json", 6),
]


@pytest.mark.parametrize(("pdf", "gold", "pages"), PDFS)
def test_real_pdf_parses_to_the_gold_values(pdf: str, gold: str, pages: int) -> None:
    report = govreport.parse_file(DATA / pdf)
    g = read_gold(gold)
    assert govreport.flatten(report, meta=False) == gold_cells(gold)
    assert (report.template, report.meta.year) == (g["template"], g["year"])
    assert report.diagnostics == ()
    assert report.source == govreport.Source("pdf", str(DATA / pdf), pages=pages)


def test_pdf_tables_are_read_by_their_ruling_lines() -> None:
    """Each row of table 三 is one line of grid cells: the merged cells stay empty in place."""
    text = govreport.read_file(DATA / "external/szfgs2024.pdf").text
    lines = text.splitlines()
    assert "一、本年新收政府信息公开申请数量\t\t\t3001\t53\t0\t0\t61\t4\t3119" in lines
    assert "\t\t8.属于行政查询事项\t105\t0\t0\t0\t0\t0\t105" in lines
    assert "72\t64\t178\t37\t351\t13\t4\t8\t1\t26\t12\t1\t1\t6\t20" in lines


def test_pdf_spans_point_into_the_extracted_text() -> None:
    extracted = govreport.read_file(DATA / "external/hzq2024_working.pdf")
    report = govreport.parse(extracted.text)
    cell = report.cell("applications.new.total")
    assert cell.span is not None
    assert extracted.text[cell.span.start : cell.span.end] == "95"


def test_scanned_pdf_needs_ocr(tmp_path: Path) -> None:
    from PIL import Image  # installed with pdfplumber

    scan = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(scan, "PDF")
    with pytest.raises(govreport.ScannedPdfError, match="OCR") as info:
        govreport.parse_file(scan)
    assert info.value.name == str(scan)


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_truncated_pdf_is_a_govreport_error_or_says_it_is_damaged(cut: float) -> None:
    """Cut short, a PDF is refused, or read from the pages it still holds with ``pdf-damaged``
    first (tests/test_hostile_files.py checks what such a report holds)."""
    data = (DATA / "external/hzq2024_working.pdf").read_bytes()
    try:
        report = govreport.parse_file(data[: int(len(data) * cut)])
    except govreport.GovreportError as exc:
        assert str(exc).startswith("<bytes>: ")
        return
    assert report.diagnostics[0].code == "pdf-damaged"


# ----------------------------------------------------------------- HTML


@FILES
@given(both_templates)
def test_html_page_gives_every_value_back(report: Report) -> None:
    page = render_html(report)
    note(page)
    parsed = govreport.parse_html(page)
    assert_same_values(parsed, report)
    assert parsed.meta.title == report.meta.title
    assert parsed.source == govreport.Source("html")


@FILES
@given(both_templates)
def test_html_file_in_gb18030_gives_every_value_back(report: Report) -> None:
    data = render_html(report, charset="gb2312").encode("gb18030")
    parsed = govreport.parse_file(data)
    assert_same_values(parsed, report)
    assert parsed.source == govreport.Source("html", "<bytes>", encoding="gb18030")


@FILES
@given(with_blank_cells)
def test_html_blank_cells_are_none(report: Report) -> None:
    """A table grid places every cell, so a blank (&nbsp;) cell is None and nothing moves."""
    parsed = govreport.parse_html(render_html(report), infer=False)
    got = govreport.flatten(parsed, meta=False)
    assert got == flat_values(report)


def test_html_merged_cells_and_line_breaks() -> None:
    page = """<html><body><p>某某局2024年政府信息公开工作年度报告</p>
    <table><tr><td rowspan="2">三、本年<br>度办理结果</td><td colspan="2">（一）予以公开</td><td>5</td></tr>
    <tr><td>（三）不予<br/>公开</td><td>1.属于国家秘密</td><td>&nbsp;</td></tr></table></body></html>"""
    lines = govreport.read_file(page.encode()).text.splitlines()
    assert lines[1:] == ["三、本年度办理结果\t（一）予以公开\t\t5", "\t（三）不予公开\t1.属于国家秘密\t"]


def test_html_layout_tables_are_read_as_blocks() -> None:
    page = "<table><tr><td>导航</td><td><table><tr><td>规章</td><td>1</td><td>2</td></tr></table></td></tr></table>"
    assert govreport.read_file(page.encode()).text.splitlines() == ["导航", "规章\t1\t2"]


def test_html_scripts_and_styles_are_dropped() -> None:
    page = "<html><head><style>td{}</style><script>var n = 12;</script></head><body><p>正文 3</p></body></html>"
    assert govreport.read_file(page.encode()).text == "正文 3"


# ----------------------------------------------------------------- Word


@FILES
@given(both_templates)
def test_docx_gives_every_value_back(report: Report) -> None:
    parsed = govreport.parse_file(render_docx(report))
    assert_same_values(parsed, report)
    assert parsed.source == govreport.Source("docx", "<bytes>")


def test_truncated_docx_is_a_govreport_error(tmp_path: Path) -> None:
    data = render_docx(govreport.parse(read_text("seeds/000_bfa6ed85e05c204a.txt")))
    path = tmp_path / "report.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(govreport.UnreadableFileError, match=r"report\.docx"):
        govreport.parse_file(path)


def test_zip_that_is_not_a_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "1,2,3")
    with pytest.raises(govreport.UnreadableFileError, match="not a Word"):
        govreport.parse_file(buffer.getvalue())


def test_legacy_doc_is_refused_with_advice() -> None:
    with pytest.raises(govreport.UnreadableFileError, match=r"\.docx"):
        govreport.parse_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))


# ----------------------------------------------------------------- text encodings


@FILES
@given(both_templates, st.sampled_from(("gb18030", "utf-16", "utf-16-le", "utf-8-sig", "utf-8")))
def test_text_in_any_encoding_gives_every_value_back(report: Report, encoding: str) -> None:
    parsed = govreport.parse_file(render_tab(report).encode(encoding))
    assert_same_values(parsed, report)
    assert parsed.source is not None and parsed.source.kind == "text"
    assert parsed.source.encoding == {"utf-16-le": "utf-16-le", "utf-8-sig": "utf-8-sig"}.get(encoding, encoding)


@pytest.mark.parametrize("encoding", ["gbk", "gb2312", "gb18030"])
def test_seed_in_the_gb_encodings(encoding: str) -> None:
    text = read_text("seeds/000_bfa6ed85e05c204a.txt")
    report = govreport.parse_file(text.encode(encoding))
    assert govreport.flatten(report, meta=False) == gold_cells("gold/000_bfa6ed85e05c204a.json")
    assert report.source is not None and report.source.encoding == "gb18030"  # the superset of the three


def test_binary_data_is_refused() -> None:
    noise = bytes(range(256)) * 64
    with pytest.raises(govreport.GovreportError):
        govreport.parse_file(noise)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(govreport.UnreadableFileError, match=r"nope\.pdf"):
        govreport.parse_file(tmp_path / "nope.pdf")


def test_a_non_report_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text("<html><body><p>今日菜单：米饭 2 元</p></body></html>", encoding="utf-8")
    with pytest.raises(govreport.NotAReportError, match=r"menu\.html"):
        govreport.parse_file(path)


def test_text_file_object_is_refused_with_advice() -> None:
    with pytest.raises(TypeError, match="'rb'"):
        govreport.parse_file(io.StringIO("text"))  # type: ignore[arg-type]


# ----------------------------------------------------------------- missing extras


@pytest.mark.parametrize(
    ("modules", "kind", "extra"),
    [
        (("pypdfium2",), "pdf", "pdf"),
        (("selectolax", "selectolax.lexbor"), "html", "html"),
        (("lxml", "lxml.etree"), "docx", "docx"),  # python-docx brings lxml, which reads the XML
    ],
)
def test_missing_extra_names_the_pip_command(
    monkeypatch: pytest.MonkeyPatch, modules: tuple[str, ...], kind: str, extra: str
) -> None:
    seed = govreport.parse(read_text("seeds/000_bfa6ed85e05c204a.txt"))
    data = {
        "pdf": (DATA / "external/hzq2024_working.pdf").read_bytes(),
        "html": render_html(seed).encode(),
        "docx": render_docx(seed),
    }[kind]
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)  # makes "import module" raise ImportError
    with pytest.raises(govreport.MissingExtraError, match=rf"pip install 'govreport\[{extra}\]'") as info:
        govreport.parse_file(data)
    assert isinstance(info.value, ImportError)


def test_hostile_spans_are_refused_not_expanded() -> None:
    rows = "".join('<tr><td rowspan="65534" colspan="1000">x</td></tr>' for _ in range(200))
    with pytest.raises(govreport.UnreadableFileError, match="merged cells span more than"):
        govreport.parse_file(f"<html><body><table>{rows}</table></body></html>".encode())


def test_parse_html_takes_bytes_in_any_encoding() -> None:
    report = govreport.parse(read_text("seeds/000_bfa6ed85e05c204a.txt"))
    page = render_html(report, charset="gbk").encode("gb18030")
    parsed = govreport.parse_html(page)
    assert govreport.flatten(parsed, meta=False) == govreport.flatten(report, meta=False)
    assert parsed.source == govreport.Source("html", "<bytes>", encoding="gb18030")


def test_lines_inside_a_cell_are_joined_without_gluing_numbers() -> None:
    from govreport.readers.grid import join_lines

    assert join_lines("商业\n企业") == "商业企业"
    assert join_lines("结\n果\n维\n持") == "结果维持"
    assert join_lines("1\n2") == "1 2"  # two numbers stay two numbers
    assert join_lines("  行政许可 \n ") == "行政许可"


def test_markdown_with_html_tables_keeps_its_lines() -> None:
    """Converters such as MinerU write Markdown prose with the tables as HTML."""
    report = govreport.parse(read_text("seeds/000_bfa6ed85e05c204a.txt"))
    page = render_html(report)
    tables = [page[m.start() : page.index("</table>", m.start()) + 8] for m in re.finditer("<table class", page)]
    blocks = [
        "# " + report.meta.title,
        "## 一、总体情况",
        "本机关认真贯彻落实。",
        "## 二、主动公开政府信息情况",
        tables[0],
        "## 三、收到和处理政府信息公开申请情况",
        tables[1],
        "## 四、政府信息公开行政复议、行政诉讼情况",
        tables[2],
        "## 五、存在的主要问题及改进情况",
        "无。",
        "## 六、其他需要报告的事项",
        "无。",
    ]
    markdown = "\n\n".join(blocks)
    parsed = govreport.parse_file(markdown.encode("utf-8"))
    assert parsed.source == govreport.Source("text", "<bytes>", encoding="utf-8")
    assert govreport.flatten(parsed, meta=False) == govreport.flatten(report, meta=False)
    assert [s.number for s in parsed.sections] == ["一", "二", "三", "四", "五", "六"]
