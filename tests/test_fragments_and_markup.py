"""Reports as people actually have them (issue 15): fragments, markup passed to ``parse``,
paths passed to ``parse``, and a PDF→Markdown converter's small tables.

Expected values are read from the texts: the seed files (gold in tests/data/gold) and
tests/data/corpus/shuyang-2025.txt (a converter's Markdown of 沭阳县人民政府 2025; the rows
asserted below are its lines 99, 104, 111, 116, 155 and 156).
"""

from __future__ import annotations

import json

import pytest
from conftest import gold_cells, read_text
from render_files import render_html

import govreport
from govreport import NotAReportError

SEED = read_text("seeds/000_bfa6ed85e05c204a.txt")  # 2021, tab layout
GOLD = gold_cells("gold/000_bfa6ed85e05c204a.json")
APPEALS_HEADING = "四、政府信息公开行政复议、行政诉讼情况"


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


# ----------------------------------------------------------------- fragments


def test_table_four_alone_is_a_fragment_of_a_report() -> None:
    fragment = _between(SEED, APPEALS_HEADING, "五、存在的主要问题")
    report = govreport.parse(fragment)
    appeals = {k: v for k, v in govreport.flatten(report, meta=False).items() if k.startswith("appeals.")}
    assert appeals == {k: v for k, v in GOLD.items() if k.startswith("appeals.")}
    codes = [d.code for d in report.diagnostics]
    assert codes.count("table-missing") == 2
    # table 四 reads the same in both formats: the template is assumed, and said so
    assert "template-assumed" in codes and report.template_evidence == ()


def test_title_headings_and_a_table_header_are_a_fragment() -> None:
    cut = SEED.index("二、上年结转政府信息公开申请数量")
    fragment = SEED[: SEED.index("一、总体情况")] + "一、总体情况\n正文。\n" + SEED[SEED.index("三、收到和处理") : cut]
    report = govreport.parse(fragment)
    assert report.template == "2021"
    new = {k: v for k, v in govreport.flatten(report, meta=False).items() if k.startswith("applications.new.")}
    assert new == {k: v for k, v in GOLD.items() if k.startswith("applications.new.")}
    assert report.cell("applications.carried_over.total").status == "missing"
    assert any(d.code == "truncated" for d in report.diagnostics)


def test_text_with_no_report_in_it_is_still_refused() -> None:
    for text in ("今天天气很好。\n明天也很好。", "总计\n结果维持\n其他", "1 2 3\n4 5 6"):
        with pytest.raises(NotAReportError):
            govreport.parse(text)


# ----------------------------------------------------------------- markup and paths


def test_html_passed_to_parse_is_read_as_html() -> None:
    report = govreport.parse(SEED)
    html = render_html(report)
    assert govreport.flatten(govreport.parse(html), meta=False) == govreport.flatten(
        govreport.parse_html(html), meta=False
    )
    assert govreport.flatten(govreport.parse(html), meta=False) == GOLD


def test_a_table_fragment_inside_a_javascript_string_is_read() -> None:
    html = render_html(govreport.parse(SEED))
    body = html[html.index("<body") : html.index("</body>") + len("</body>")]
    script = "var content = " + json.dumps(body, ensure_ascii=False) + ";"
    assert '\\"' in script or "<\\/" in script or "colspan=\\" in script or "\\n" in script
    assert govreport.flatten(govreport.parse(script), meta=False) == GOLD


def test_markdown_with_br_in_cells_is_not_taken_for_html() -> None:
    text = read_text("seeds/003_76030b88ce706a45.txt").replace("行政规范性文件", "行政规范<br>性文件", 1)
    assert govreport.parse(text).source is None  # read as text, not through the HTML reader


@pytest.mark.parametrize("path", ["report.pdf", "C:\\\\reports\\\\2024.docx", "/data/政府信息公开年报.html", "a.wps"])
def test_a_path_passed_to_parse_says_use_parse_file(path: str) -> None:
    with pytest.raises(NotAReportError, match=r"looks like a file path.*parse_file"):
        govreport.parse(path)


# ----------------------------------------------------------------- converter Markdown

SHUYANG = read_text("corpus/shuyang-2025.txt")


def test_converter_markdown_rows_with_short_labels_are_read() -> None:
    report = govreport.parse(SHUYANG)
    rows = {
        "new": [705, 3, 0, 0, 5, 0, 713],
        "carried_over": [36, 0, 0, 0, 0, 0, 36],
        "granted": [290, 1, 0, 0, 3, 0, 294],
        "partially_granted": [99, 0, 0, 0, 2, 0, 101],
        "results_total": [710, 3, 0, 0, 5, 0, 718],
        "carried_forward": [31, 0, 0, 0, 0, 0, 31],
    }
    for key, values in rows.items():
        assert [c.value for c in report.applications.row(key).cells] == values, key
        assert {c.status for c in report.applications.row(key).cells} == {"number"}
    codes = {d.code for d in report.diagnostics}
    assert not codes & {"row-missing", "duplicate-row", "row-shape"}


def test_a_short_label_in_a_header_row_is_not_a_row() -> None:
    # the converter's invented header | 项目 | 本年新收件数 | … | 予以公开 | 部分公开 | … is no row
    report = govreport.parse(SHUYANG)
    assert not [d for d in report.diagnostics if d.code == "duplicate-row"]


def test_a_short_label_in_prose_is_not_a_row() -> None:
    text = SEED.replace("一、总体情况\n", "一、总体情况\n予以公开 | 12 件，部分公开 | 3 件。\n", 1)
    report = govreport.parse(text)
    assert govreport.flatten(report, meta=False) == GOLD


LABEL_BLOCK = """## 三、收到和处理政府信息公开申请情况

| 类别 |
|---|
| 本年新收政府信息公开申请数量 |
| 上年结转政府信息公开申请数量 |
| 予以公开 |

| 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |
|---|---|---|---|---|---|---|
| 705 | 3 | 0 | 0 | 5 | 0 | 713 |
| 36 | 0 | 0 | 0 | 0 | 0 | 36 |
{last}
## 四、政府信息公开行政复议、行政诉讼情况
"""


def test_a_block_of_labels_then_a_block_of_values_is_read_in_order() -> None:
    report = govreport.parse(LABEL_BLOCK.format(last="| 290 | 1 | 0 | 0 | 3 | 0 | 294 |\n"), infer=False)
    assert [c.value for c in report.applications.new.cells] == [705, 3, 0, 0, 5, 0, 713]
    assert [c.value for c in report.applications.carried_over.cells] == [36, 0, 0, 0, 0, 0, 36]
    assert [c.value for c in report.applications.granted.cells] == [290, 1, 0, 0, 3, 0, 294]
    assert [d.code for d in report.diagnostics].count("row-paired") == 3


def test_blocks_of_different_lengths_are_not_paired() -> None:
    # three labels, two value lines: which row lost its line is not known
    report = govreport.parse(LABEL_BLOCK.format(last=""), infer=False)
    for key in ("new", "carried_over", "granted"):
        assert report.applications.row(key).cells[0].value is None
    assert "row-paired" not in {d.code for d in report.diagnostics}
    assert any(d.code == "unplaced-value" and "705" in d.raw for d in report.diagnostics)


def test_table_three_tail_alone_is_a_fragment() -> None:
    start = SEED.index("\t(四) 无法提供")
    fragment = SEED[start : SEED.index(APPEALS_HEADING)]
    report = govreport.parse(fragment)
    got = govreport.flatten(report, meta=False)
    tail = ("applications.unavailable.", "applications.not_processed.", "applications.other_handling.")
    tail_keys = [k for k in GOLD if k.startswith(tail) or k.startswith("applications.results_total.")]
    assert tail_keys and all(got[k] == GOLD[k] for k in tail_keys)
    assert report.cell("applications.new.total").status in ("missing", "inferred")
    assert {d.code for d in report.diagnostics} >= {"row-missing", "table-missing"}
