"""Crawler dumps whose cells are glued (issue 15): labels found in the middle of a line, and
runs of digits split only where the table's arithmetic leaves exactly one reading.

The rule: every cell comes back exact (status ``number``), ``split`` with its true value,
inferred with its true value, or None with a diagnostic naming it.  Never a wrong number.

The hand-made examples below were worked out on paper (every reading of each run listed);
``test_glued_reports_*`` glues consistent reports of both templates (``render.render_glued``:
a line per table line, a line per table, or the whole page on one line).
"""

from __future__ import annotations

import pytest
from conftest import read_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render import GLUED_STYLES, render_glued
from strategies import flat_values, reports, typed

import govreport
from govreport import Report
from govreport.relations import Relation
from govreport.split import MAX_STEPS, GluedRun, read_runs

PAGE = (
    "某县人民政府2023年政府信息公开工作年度报告一、总体情况2023年，本机关认真贯彻落实《条例》。"
    "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
    "规章000行政规范性文件77132470"
    "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    "一、本年新收政府信息公开申请数量250000025"
    "二、上年结转政府信息公开申请数量123001016"
    "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
    "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
    "100010000021003"
    "五、存在的主要问题及改进情况无。六、其他需要报告的事项无。"
)
COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")


def _explained(report: Report, key: str) -> bool:
    return any(key in d.keys for d in report.diagnostics)


def test_a_page_on_one_line_is_read() -> None:
    report = govreport.parse(PAGE)
    assert report.template == "2021"
    assert [s.heading for s in report.sections][:2] == ["一、总体情况", "二、主动公开政府信息情况"]


def test_a_run_the_row_total_decides_is_split() -> None:
    # 250000025 as seven counts whose first six add up to the seventh: only 25,0,0,0,0,0,25.
    report = govreport.parse(PAGE)
    cells = [report.cell(f"applications.new.{c}") for c in COLUMNS]
    assert [c.value for c in cells] == [25, 0, 0, 0, 0, 0, 25]
    assert {c.status for c in cells} == {"split"}
    note = next(d for d in report.diagnostics if d.code == "split-run" and "applications.new.total" in d.keys)
    assert note.raw == "250000025" and "25 | 0 | 0 | 0 | 0 | 0 | 25" in note.message


def test_a_run_with_two_readings_is_not_split() -> None:
    # 123001016: 12,3,0,0,1,0,16 and 1,2,3,0,0,10,16 both add up; nothing else decides.
    report = govreport.parse(PAGE)
    for column in COLUMNS:
        key = f"applications.carried_over.{column}"
        cell = report.cell(key)
        assert cell.value is None and cell.status == "unresolved"
        assert _explained(report, key)
    note = next(d for d in report.diagnostics if d.raw == "123001016")
    assert note.code == "unplaced-value" and "2 readings" in note.message


def test_a_run_no_relation_checks_is_not_split() -> None:
    # Table 二 has no arithmetic: 77132470 could be 7,7,132470 or 77,13,2470 or ...
    report = govreport.parse(PAGE)
    for column in ("issued", "repealed", "in_force"):
        key = f"disclosure.normative_documents.{column}"
        assert report.value(key) is None and _explained(report, key)
    assert [report.value(f"disclosure.regulations.{c}") for c in ("issued", "repealed", "in_force")] == [0, 0, 0]


def test_table_four_glued_is_split_by_its_three_totals() -> None:
    # 100010000021003: 1+0+0+0=1 | 0+0+0+0=0 | 2+1+0+0=3 is its only reading.
    report = govreport.parse(PAGE)
    values = [cell.value for row in report.appeals.rows for cell in row.cells]
    assert values == [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 1, 0, 0, 3]
    assert {cell.status for row in report.appeals.rows for cell in row.cells} == {"split"}


def test_digits_alone_never_decide() -> None:
    # 123 for three cells reads only as 1,2,3, but a glued row may have lost a blank cell
    # (12, blank, 3): with no relation to check it, it is not split.
    run = GluedRun(_token("123"), ("t.r.a", "t.r.b", "t.r.c"))
    (reading,) = read_runs([run], {}, [])
    assert reading.values is None and "no relation" in reading.reason


def test_a_hostile_run_is_bounded() -> None:
    keys = tuple(f"t.r.c{n}" for n in range(40))
    total = Relation("S", keys[-1], keys[:-1], "", "")
    run = GluedRun(_token("1" * 400), keys)
    (reading,) = read_runs([run], {}, [total])
    assert reading.values is None and "too many" in reading.reason
    assert MAX_STEPS > 0


def test_split_cells_are_kept_apart_in_exports() -> None:
    from govreport.table import STATUS_COLUMNS, report_row

    report = govreport.parse(PAGE)
    assert govreport.statuses(report)["applications.new.total"] == "split"
    again = govreport.from_json(govreport.to_json(report))
    assert again.cell("applications.new.total").status == "split"
    assert "status.split" in STATUS_COLUMNS
    row = report_row("page.txt", report)
    assert set(str(row["status.split"]).split()) >= {f"applications.new.{c}" for c in COLUMNS}
    assert "applications.carried_over.total" in str(row["status.unresolved"]).split()


def _token(text: str) -> object:
    from lark import Token

    return Token("NUMBER", text, 0, 1, 1, 1, len(text) + 1, len(text))


# ----------------------------------------------------------------- the property


@pytest.mark.parametrize("style", GLUED_STYLES)
@pytest.mark.parametrize("template", ("2019", "2021"))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_glued_reports_come_back_exact_split_or_explained(template: str, style: str, data: st.DataObject) -> None:
    report = data.draw(reports(template, spans=False), label="report")
    text = render_glued(report, style=style)
    parsed = govreport.parse(text)
    truth = flat_values(report)
    bad = []
    for key, cell in parsed.keyed_cells(standard=True):
        if cell.value is None:
            if not _explained(parsed, key):
                bad.append(f"{key}: None ({cell.status}) without a diagnostic")
        elif typed(cell.value) != typed(truth[key]):
            bad.append(f"{key}: {cell.value!r} ({cell.status}), printed {truth[key]!r}")
        elif cell.status not in ("number", "split", "inferred"):
            bad.append(f"{key}: status {cell.status}")
    assert not bad, "\n".join(bad[:20]) + "\n\n" + text[:3000]


# ----------------------------------------------------------------- not one number

SEED = read_text("seeds/000_bfa6ed85e05c204a.txt")
NEW_ROW = "一、本年新收政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0"


@pytest.mark.parametrize(
    ("cells", "bad"),
    [
        ("12 34\t0\t0\t0\t0\t0\t46", "12 34"),  # two numbers in one delimited cell (a PDF cell's wrapped digits)
        ("0\t0\t0\t0\t0\t052.0\t52", "052.0"),  # a leading zero: no count or amount is printed so
        ("0\t0\t0\t0\t0\t17,05\t17", "17,05"),  # a comma that groups no thousands
    ],
)
@pytest.mark.parametrize("grid", [False, True])
def test_a_cell_that_is_not_one_number_reads_none(cells: str, bad: str, grid: bool) -> None:
    text = SEED.replace(NEW_ROW, "一、本年新收政府信息公开申请数量\t\t" + cells)
    report = govreport.parse(text, grid=grid, infer=False)
    values = [c.value for c in report.applications.new.cells]
    index = cells.split("\t").index(bad)
    assert values[index] is None
    key = f"applications.new.{COLUMNS[index]}"
    assert any(key in d.keys and d.raw == bad for d in report.diagnostics)
    assert [v for n, v in enumerate(values) if n != index] == [
        int(c) for n, c in enumerate(cells.split("\t")) if n != index
    ]


def test_two_cells_glued_by_a_comma_read_no_number() -> None:
    # 政府集中采购 items 7093 and amount 17,052.0 printed without a separator: 709317,052.0
    text = read_text("seeds/001_29ed77745b82a4d4.txt")
    line = next(ln for ln in text.splitlines() if ln.startswith("政府集中采购"))
    report = govreport.parse(text.replace(line, "政府集中采购\t709317,052.0"), infer=False)
    assert report.value("disclosure.procurement.items") is None
    assert report.value("disclosure.procurement.amount") is None
    assert any("709317,052.0" in d.raw for d in report.diagnostics)
