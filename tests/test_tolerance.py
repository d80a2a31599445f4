"""Noise found in real report text (docs/layouts.md): each case read by hand."""

from __future__ import annotations

import json
from decimal import Decimal

import opencc
import pytest
from conftest import gold_cells, read_text

import govreport

SEEDS = [
    ("seeds/000_bfa6ed85e05c204a.txt", "gold/000_bfa6ed85e05c204a.json"),
    ("seeds/001_29ed77745b82a4d4.txt", "gold/001_29ed77745b82a4d4.json"),
]


@pytest.mark.parametrize(("text", "gold"), SEEDS)
def test_traditional_mirror_with_pinyin_glosses(text: str, gold: str) -> None:
    # What mirror sites do to a report: Traditional characters (規範性文件 kept or turned into
    # the Taiwan word 規範性檔案) and pinyin after characters: 項(xiàng), 數(shù), 發(fā).
    mirrored = opencc.OpenCC("s2tw").convert(read_text(text)).replace("規範性文件", "規範性檔案")
    mirrored = mirrored.replace("項", "項(xiàng)").replace("數", "數(shù)").replace("發", "發(fā)")
    report = govreport.parse(mirrored)
    assert govreport.flatten(report, meta=False) == gold_cells(gold)
    assert any(d.code == "traditional-text" and d.severity == "info" for d in report.diagnostics)
    # positions still point into the mirrored text
    cell = report.cell("disclosure.regulations." + ("issued" if report.template == "2021" else "made"))
    assert mirrored[cell.span.start : cell.span.end] == "0"


def test_run_together_zeros_are_split_and_flagged() -> None:
    # P3 layout of xiangqiao.gov.cn: "一、本年新收政府信息公开申请数量\n\n0000000"
    text = read_text("seeds/000_bfa6ed85e05c204a.txt")
    for label in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"):
        text = text.replace(f"{label}\t\t0\t0\t0\t0\t0\t0\t0", f"{label}\n\n0000000")
    report = govreport.parse(text, infer=False)
    assert report.applications.new.values() == dict.fromkeys(report.applications.new.columns, 0)
    split = [d for d in report.diagnostics if d.code == "split-zeros"]
    assert [d.raw for d in split] == ["0000000", "0000000"]
    assert {c.status for c in report.applications.new.cells} == {"split"}
    # any other run on a line of its own is not split (a blank cell beside it would be an empty
    # line, so one run may be one value of a row that prints blanks): it is reported
    report = govreport.parse(text.replace("0000000", "0100001", 1), infer=False)
    assert report.applications.new.total is None
    assert any(d.code == "unplaced-value" and "0100001" in d.raw.split() for d in report.diagnostics)


def test_pre_2019_report_is_recognised() -> None:
    text = "\n".join(
        [
            "南平市人民政府2012年政府信息公开工作年度报告",
            "一、概述",
            "2012年，我市认真贯彻《条例》。",
            "二、主动公开政府信息情况",
            "全年主动公开政府信息1234条。",
            "三、依申请公开政府信息情况",
            "全年受理申请12件。",
            "四、政府信息公开的收费及减免情况",
            "未收取费用。",
            "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
            "无。",
        ]
    )
    with pytest.raises(govreport.PreStandardReportError) as info:
        govreport.parse(text)
    assert info.value.meta.year == 2012 and info.value.meta.agency == "南平市人民政府"
    assert isinstance(info.value, govreport.NotAReportError)


def test_report_cut_off_mid_table() -> None:
    text = read_text("external/szfgs2024.txt")
    cut = text[: text.index("（四）无 1.本机关")]
    report = govreport.parse(cut)
    # everything visible is read
    assert report.applications.denied.administrative_query.total == 105
    assert report.disclosure.fees.amount == Decimal("96171.6")
    (truncated,) = [d for d in report.diagnostics if d.code == "truncated"]
    assert "8.属于行政查询事项" in truncated.message and truncated.line == cut.count("\n")
    assert report.applications.unavailable.not_held.total is None
    assert report.appeals.printed is False


def test_tables_without_sections_parse() -> None:
    text = read_text("seeds/000_bfa6ed85e05c204a.txt")
    tables = text[text.index("第二十条第（一）项") : text.index("五、存在的主要问题")]
    tables = tables.replace("三、收到和处理政府信息公开申请情况", "").replace(
        "四、政府信息公开行政复议、行政诉讼情况", ""
    )
    report = govreport.parse(tables)
    assert govreport.flatten(report, meta=False) == gold_cells("gold/000_bfa6ed85e05c204a.json")


def test_breadcrumbs_duplicate_title_and_spam_lines_are_ignored() -> None:
    text = read_text("seeds/000_bfa6ed85e05c204a.txt")
    chrome = "\n".join(
        [
            "当前位置:首页 > 政务公开 > 政府信息公开年报",
            "市科学技术局2022年政府信息公开工作年度报告",
            "日期:2023-01-29 字体:【 默认 超大",
            "索 引 号 | 014416330/2023-04736 | 分 类 | 政府信息公开年报 |",
            "",
        ]
    )
    spam = "我局没有自建网站,政府信息公开载体为德赢VWIN门户网站,日常信息维护更新良好。\n"
    noisy = chrome + text.replace("五、存在的主要问题及改进情况", spam + "五、存在的主要问题及改进情况")
    report = govreport.parse(noisy)
    assert report.meta.title == "市科学技术局2022年政府信息公开工作年度报告"
    assert report.meta.year == 2022
    assert govreport.flatten(report, meta=False) == gold_cells("gold/000_bfa6ed85e05c204a.json")
    assert json.loads(govreport.to_json(report))["template"] == "2021"


def test_short_row_is_anchored_only_among_rows_of_the_same_shape() -> None:
    # Pipe rows without colspan padding: 三、本年度办理结果 shares its line with （一）予以公开,
    # so that row has one cell more than the others and its columns are shifted by one.
    # Found by the layout property (tests/test_layouts.py): the short row must not be
    # aligned with rows of another shape.
    text = read_text("seeds/000_bfa6ed85e05c204a.txt")
    lines = []
    for line in text.split("\n"):
        if line.count("\t") >= 7 and not line.startswith("(本列"):
            cells = [c for c in line.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            line = " | ".join(cells) + " |"
        lines.append(line)
    piped = "\n".join(lines)
    piped = piped.replace(
        "三、本年度办理结果 | (一) 予以公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "三、本年度办理结果 | (一) 予以公开 |  |  |  |  |  | 0 |  |",
    )
    report = govreport.parse(piped, infer=False)
    granted = report.applications.granted
    assert granted.other_org in (0, None) and granted.total is None
    assert all(v is None for v in granted.values().values()) or granted.cell("other_org").raw == "0"


def test_text_cut_inside_the_last_value_of_a_wrapped_label_row_loses_that_value() -> None:
    """PDF text, a label wrapped over three lines, its values on the second: ``正、行政机关
    不再处理其政府信 67 3 0 0 1 0 71``.  Cut inside ``71``, the row's total is lost, never 7."""
    text = read_text("external/szfgs2024.txt")
    line = "正、行政机关不再处理其政府信 67 3 0 0 1 0 71"
    cut = text[: text.index(line) + len(line) - 1]
    report = govreport.parse(cut)
    row = report.applications.other_handling.no_correction
    assert (row.natural_person, row.commercial, row.legal_services) == (67, 3, 1)
    total = report.cell("applications.other_handling.no_correction.total")
    assert total.value != 7 and total.status in ("missing", "inferred")
    assert total.status != "inferred" or total.value == 71
    truncated = [d for d in report.diagnostics if d.code == "truncated"]
    assert any("applications.other_handling.no_correction.total" in d.keys for d in truncated)


def test_text_cut_inside_a_value_of_an_extra_row_loses_that_value() -> None:
    """An agency's extra row under 第二十条第（一）项 (web excerpt 001): ``| 186 | 86 | 255 |``.
    Cut inside ``186``, the row keeps no 18."""
    text = read_text("web/001.txt")
    row = "| 186 | 86 | 255 |"
    cut = text[: text.index(row) + len("| 18")]
    report = govreport.parse(cut)
    (extra,) = [r for r in report.disclosure.rows if not r.standard]
    assert [c.value for c in extra.cells] == [None] and extra.cells[0].status == "missing"
    truncated = [d for d in report.diagnostics if d.code == "truncated" and "extra" in d.message]
    assert truncated and f"disclosure.{extra.key}.{extra.cells[0].column}" in truncated[0].keys
    cut = text[: text.index(row) + len("| 186 | 86 | 25")]
    (extra,) = [r for r in govreport.parse(cut).disclosure.rows if not r.standard]
    assert [c.value for c in extra.cells] == [186, 86, None]


def test_text_cut_in_a_row_of_a_table_that_drops_its_empty_cells_places_nothing() -> None:
    """Web excerpt 031 prints one value per paragraph and leaves table 三's empty cells out
    (``一、本年新收`` shows 1 and 1 for seven cells, so that row is not placed; README of the
    web corpus).  Cut after ``二、上年结转 … 0``, that 0 is not read as the first cell."""
    text = read_text("web/031.txt")
    row = "二、上年结转政府信息公开申请数量\n\n0\n"
    report = govreport.parse(text[: text.index(row) + len(row)])
    cells = report.applications.carried_over.cells
    assert all(c.value is None for c in cells)
    unresolved = [d for d in report.diagnostics if d.code == "row-unresolved"]
    assert any("applications.carried_over.natural_person" in d.keys for d in unresolved)
