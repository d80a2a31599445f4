"""Values and structure read by hand from the reports, and behaviour on small inputs.

Expected values here were read from the printed text of each report, not taken
from the parser's output.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import read_text

import govreport

SEED_000 = "seeds/000_bfa6ed85e05c204a.txt"


@pytest.fixture(scope="module")
def luoyang() -> govreport.Report:
    return govreport.parse(read_text(SEED_000))


def test_meta_of_seed_000(luoyang: govreport.Report) -> None:
    assert luoyang.template == "2021"
    assert luoyang.meta.title == "市科学技术局2022年政府信息公开工作年度报告"
    assert luoyang.meta.agency == "市科学技术局"
    assert luoyang.meta.year == 2022


def test_attribute_access(luoyang: govreport.Report) -> None:
    assert luoyang.disclosure.normative_documents.issued == 8
    assert luoyang.disclosure.normative_documents.repealed == 9
    assert luoyang.disclosure.normative_documents.in_force == 24
    assert luoyang.applications.new.total == 0
    assert luoyang.applications.denied.state_secret.natural_person == 0
    assert luoyang.disclosure.fees.amount == Decimal("0")
    assert isinstance(luoyang.applications.new.total, int)


def test_sections_of_seed_000(luoyang: govreport.Report) -> None:
    numbers = [s.number for s in luoyang.sections]
    kinds = [s.kind for s in luoyang.sections]
    assert numbers == ["一", "二", "三", "四", "五", "六"]
    assert kinds == ["overview", "disclosure", "applications", "appeals", "problems", "other"]
    overview = luoyang.sections[0]
    assert [s.heading for s in overview.subsections] == [
        "（一）主动公开",
        "（二）依申请公开",
        "（三）政府信息管理",
        "（四）政府信息公开平台建设",
        "（五）监督保障",
    ]
    first = overview.subsections[0]
    assert [s.heading for s in first.subsections] == ["一是严格落实工作机制", "二是认真完善公开项目"]
    assert "0元" in luoyang.sections[5].text
    # Table rows are not prose: 四、结转下年度继续办理 is a row, not a fifth section heading.
    assert "结转下年度" not in luoyang.sections[2].text


def test_every_value_keeps_its_position(luoyang: govreport.Report) -> None:
    text = read_text(SEED_000)
    cell = luoyang.cell("disclosure.normative_documents.in_force")
    assert cell.raw == "24" and cell.status == "number"
    assert text[cell.span.start : cell.span.end] == "24"
    line_no = next(i for i, ln in enumerate(text.split("\n"), 1) if ln.startswith("行政规范性文件"))
    assert cell.span.line == line_no
    assert cell.span.column == len("行政规范性文件\t8\t9\t") + 1


def test_pdf_text_positions_point_into_the_original() -> None:
    text = read_text("external/szfgs2024.txt")
    report = govreport.parse(text)
    cell = report.cell("disclosure.licensing.decisions")
    assert cell.value == 447228
    assert text[cell.span.start : cell.span.end] == "447228"
    assert text.split("\n")[cell.span.line - 1] == "行政许可 447228"


def test_weihai_meta_and_signature() -> None:
    report = govreport.parse(read_text("seeds/004_2c53d4ed00bed9fe.txt"))
    assert report.meta.agency == "威海市科学技术局"
    assert report.meta.year == 2022
    assert report.meta.signed_on == "2023-01-30"
    assert report.meta.signed_by == "威海市科学技术局"
    assert report.disclosure.normative_documents.issued == 4
    assert report.disclosure.normative_documents.in_force == 17
    # 行政许可 0 is printed glued to its label in one cell.
    assert report.disclosure.licensing.decisions == 0


def test_huaian_values_read_from_the_pdf() -> None:
    report = govreport.parse(read_text("external/szfgs2024.txt"))
    assert report.meta.agency == "淮安市人民政府"
    assert report.disclosure.fees.amount == Decimal("96171.6")
    assert report.applications.new.values() == {
        "natural_person": 3001,
        "commercial": 53,
        "research": 0,
        "social_welfare": 0,
        "legal_services": 61,
        "other_org": 4,
        "total": 3119,
    }
    # Printed on a wrapped label, its values on the label's second line.
    assert report.applications.other_handling.no_correction.total == 71
    assert report.appeals.review.values() == {"upheld": 72, "corrected": 64, "other": 178, "pending": 37, "total": 351}


def test_hongze_values_printed_before_their_label() -> None:
    # "10 0 0 0 0 0 10" is printed on the line *before* "1.本机关不掌握相关政府信息".
    report = govreport.parse(read_text("external/hzq2023.txt"))
    assert report.applications.unavailable.not_held.total == 10
    assert report.applications.unavailable.needs_creation.total == 3
    assert report.applications.denied.state_secret.natural_person == 1
    assert report.appeals.review.upheld == 10 and report.appeals.review.total == 0


MINI = """某局2023年政府信息公开工作年度报告
一、总体情况
本年度工作平稳。
二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t{reg}
行政规范性文件\t１\t２\t３
第二十条第（五）项
信息内容\t本年处理决定数量
行政许可\t5
"""


def mini(reg: str) -> govreport.Report:
    return govreport.parse(MINI.format(reg=reg))


def test_full_width_digits_and_blank_cells() -> None:
    report = mini("0\t\t7")
    assert report.disclosure.normative_documents.values() == {"issued": 1, "repealed": 2, "in_force": 3}
    regs = report.disclosure.regulations
    assert regs.values() == {"issued": 0, "repealed": None, "in_force": 7}
    assert regs.cell("repealed").status == "blank"
    cell = report.disclosure.normative_documents.cell("issued")
    assert MINI.format(reg="0\t\t7")[cell.span.start : cell.span.end] == "１"


def test_placeholder_is_none_with_raw_text() -> None:
    regs = mini("/\t—\t0").disclosure.regulations
    assert regs.values() == {"issued": None, "repealed": None, "in_force": 0}
    assert (regs.cell("issued").raw, regs.cell("issued").status) == ("/", "placeholder")
    assert regs.cell("repealed").raw == "—"


def test_short_row_is_none_with_a_diagnostic() -> None:
    report = mini("4\t2")
    assert report.disclosure.regulations.values() == {"issued": None, "repealed": None, "in_force": None}
    shape = [d for d in report.diagnostics if d.code == "row-shape"]
    assert shape and "disclosure.regulations.issued" in shape[0].keys
    assert shape[0].raw == "4 2"
    assert shape[0].line == 7


def test_long_row_is_none_with_a_diagnostic() -> None:
    report = mini("1\t2\t3\t4")
    assert report.disclosure.regulations.issued is None
    assert any(d.code == "row-shape" and d.raw == "1 2 3 4" for d in report.diagnostics)


def test_missing_tables_are_diagnosed() -> None:
    report = mini("0\t0\t0")
    assert report.applications.printed is False
    assert report.applications.new.total is None
    assert any(d.code == "table-missing" for d in report.diagnostics)


def test_strict_raises_parse_error_listing_diagnostics() -> None:
    with pytest.raises(govreport.ParseError) as info:
        govreport.parse(MINI.format(reg="4\t2"), strict=True)
    assert info.value.diagnostics
    assert "row-shape" in str(info.value)
    govreport.parse(read_text(SEED_000), strict=True)  # a clean report passes


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t \n",
        "今天天气很好，我们去公园散步。\n然后回家吃饭。",
        bytes(range(256)).decode("latin-1") * 20,
        "\x00\x01\x02\ufffd\ufffd" * 500,
    ],
)
def test_not_a_report(text: str) -> None:
    with pytest.raises(govreport.NotAReportError):
        govreport.parse(text)


def test_wrong_input_types_and_size() -> None:
    with pytest.raises(govreport.NotAReportError, match="decode"):
        govreport.parse(read_text(SEED_000).encode("utf-8"))  # type: ignore[arg-type]
    with pytest.raises(govreport.NotAReportError, match="max_chars"):
        govreport.parse(read_text(SEED_000), max_chars=1000)
    with pytest.raises(govreport.GovreportError):
        govreport.parse(None)  # type: ignore[arg-type]


def test_unknown_template_suggests_the_closest() -> None:
    with pytest.raises(govreport.UnknownTemplateError, match="did you mean '2021'"):
        govreport.parse(read_text(SEED_000), template="2012")


def test_weihai_row_with_lost_cells_is_filled_by_inference() -> None:
    # Row 一、本年新收 prints five 0 cells for seven columns (自然人 and 商业企业 lost by OCR);
    # where the five belong is uncertain, but every other row of the table is 0, so the
    # per-column identity 新收 + 结转 = 总计 + 结转下年度 makes all seven 0.
    text = read_text("seeds/004_2c53d4ed00bed9fe.txt")
    raw = govreport.parse(text, infer=False)
    assert raw.applications.new.natural_person is None
    report = govreport.parse(text)
    cell = report.applications.new.cell("natural_person")
    assert (cell.value, cell.inferred, cell.status) == (0, True, "inferred")
    assert report.applications.new.total == 0
    assert govreport.from_json(govreport.to_json(report)).applications.new.cell("commercial").inferred


def test_inference_leaves_undetermined_cells_missing() -> None:
    # Rows 4. and 5. of （三） each miss 科研机构 and 法律服务机构.  Their row totals and the
    # column totals leave two solutions (1,0 / 0,1 or 0,1 / 1,0): nothing may be filled.
    text = read_text(SEED_000)
    rows = {
        "一、本年新收政府信息公开申请数量\t": "\t1\t0\t1\t0\t1\t0\t3",
        "4.保护第三方合法权益": "\t1\t0\t\t0\t\t0\t2",
        "5.属于三类内部事务信息": "\t0\t0\t\t0\t\t0\t1",
        "(七) 总计\t": "\t1\t0\t1\t0\t1\t0\t3",
    }
    lines = text.split("\n")
    for i, line in enumerate(lines):
        for label, cells in rows.items():
            if line.strip().startswith(label.strip()):
                lines[i] = line[: line.index(label.strip()) + len(label.strip())] + cells
    report = govreport.parse("\n".join(lines))
    a = report.applications
    assert a.new.total == 3 and a.results_total.total == 3
    for row in (a.denied.third_party, a.denied.internal_affairs):
        assert row.research is None and row.legal_services is None
        assert row.cell("research").status == "blank"
    assert govreport.inferred_keys(report) == []


def test_a_row_that_cannot_be_placed_is_not_filled() -> None:
    text = read_text("external/szfgs2024.txt").replace(
        "（七）总计 2932 53 0 0 61 4 3050", "（七）总计 2932 53 0 0 61 4"
    )
    report = govreport.parse(text)
    # The row now prints 6 values for 7 cells, so none can be placed.  The other rows (S2)
    # would determine all seven, but the row may print a blank (PDF text drops blank
    # cells), and a printed blank is never filled: the cells stay None, unresolved.
    row = report.applications.results_total
    assert set(row.values().values()) == {None}
    assert {c.status for c in row.cells} == {"unresolved"}
    assert not [k for k in govreport.inferred_keys(report) if k.startswith("applications.results_total.")]
    assert any(d.code == "row-shape" and "applications.results_total.total" in d.keys for d in report.diagnostics)
