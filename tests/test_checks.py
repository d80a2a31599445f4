"""The arithmetic checks, cross-year checks, text checks, misread hints and inference."""

from __future__ import annotations

import json

from conftest import read_text
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import reports

import govreport
from govreport.checks import relations
from govreport.model import Cell, Report

PROPERTY = settings(max_examples=100, deadline=None)


def _with_cells(report: Report, changes: dict[str, Cell]) -> Report:
    return report.with_cells(changes)


def _keys(report: Report) -> list[str]:
    return [k for k in govreport.flatten(report, meta=False)]


# ------------------------------------------------------------------ real reports


def test_hongze_2023_table_four_violations_are_reported() -> None:
    # The report prints 行政复议 10 1 0 0 0 and 复议后起诉 5 0 0 0 0.
    findings = govreport.check(govreport.parse(read_text("external/hzq2023.txt")))
    failed = {(f.rule, f.keys[0], f.expected, f.actual) for f in findings if f.status == "failed"}
    assert failed == {("S5", "appeals.review.total", 11, 0), ("S5", "appeals.litigation_after_review.total", 5, 0)}
    assert all(f.message_zh and f.message_en and f.severity == "error" for f in findings)


def test_huaian_and_hongze_2024_pass_every_check() -> None:
    for name in ("external/szfgs2024.txt", "external/hzq2024.txt", "seeds/000_bfa6ed85e05c204a.txt"):
        assert govreport.check(govreport.parse(read_text(name)), prose=False) == (), name


def test_check_includes_the_text_against_the_tables_by_default() -> None:
    # hzq2024.txt lines 23-24: 区政府办代表区政府受理政府信息公开申请 17 件; table 三 prints 95 新收, 0 结转.
    findings = govreport.check(govreport.parse(read_text("external/hzq2024.txt")))
    assert [(f.rule, f.status, f.expected, f.actual) for f in findings] == [("TXT", "failed", 95, 17)]
    assert findings[0].equation_zh.startswith("正文 收到/受理政府信息公开申请 = 17 ≠ ")
    assert govreport.check(govreport.parse(read_text("external/hzq2024.txt")), prose=False) == ()


def test_missing_cells_make_relations_not_checkable() -> None:
    report = govreport.parse(read_text("external/szfgs2024.txt"), infer=False)
    report = _with_cells(report, {"applications.granted.commercial": Cell("commercial")})
    findings = govreport.check(report)
    assert findings and {f.status for f in findings} == {"not_checkable"}
    assert {f.rule for f in findings} == {"S1", "S2"}
    assert all("applications.granted.commercial" in f.keys for f in findings)


def test_blank_total_with_nonzero_parts_is_missing_not_zero() -> None:
    report = govreport.parse(read_text("external/szfgs2024.txt"), infer=False)
    report = _with_cells(report, {"applications.new.total": Cell("total", status="blank")})
    s1 = [f for f in govreport.check(report) if f.rule == "S1" and f.keys[0] == "applications.new.total"]
    assert len(s1) == 1 and s1[0].status == "failed" and s1[0].expected == 3119 and s1[0].actual is None


def test_negative_count_is_a_domain_error() -> None:
    report = govreport.parse(read_text("seeds/000_bfa6ed85e05c204a.txt"))
    report = _with_cells(report, {"disclosure.licensing.decisions": Cell("decisions", -3, "-3", status="number")})
    assert [(f.rule, f.actual) for f in govreport.check(report)] == [("D1", -3)]


def test_misread_hint_for_two_cells_printed_as_one() -> None:
    text = read_text("external/szfgs2024.txt").replace(
        "（七）总计 2932 53 0 0 61 4 3050", "（七）总计 2932 530 0 61 4 3050"
    )
    report = govreport.parse(text)
    hints = [f for f in govreport.check(report) if f.rule == "M1"]
    assert len(hints) == 1
    assert "530 read as 53 and 0" in hints[0].message_en
    assert hints[0].keys[0] == "applications.results_total.natural_person"
    # a hint only: nothing is changed, and a row whose printed values cannot be placed is not
    # filled by inference either (it may print blanks, which are never filled)
    cell = report.cell("applications.results_total.commercial")
    assert (cell.value, cell.status) == (None, "unresolved")


def test_text_against_tables() -> None:
    # 洪泽 2024: "区政府办代表区政府受理政府信息公开申请 17 件" while table 三 prints 95 new applications.
    (finding,) = govreport.check_prose(govreport.parse(read_text("external/hzq2024.txt")))
    assert (finding.rule, finding.severity, finding.expected, finding.actual) == ("TXT", "warning", 95, 17)
    assert "受理政府信息公开申请 17 件" in finding.message_zh
    # 淮安 2024 quotes 3119 applications, 103 carried forward, 行政复议 351 and 行政诉讼 46 (26 + 20).
    assert govreport.check_prose(govreport.parse(read_text("external/szfgs2024.txt"))) == ()
    # 沭阳 2025: "受理…749 件" is 新收 713 + 上年结转 36.
    assert govreport.check_prose(govreport.parse(read_text("corpus/shuyang-2025.txt"))) == ()


def test_checks_in_json_when_requested() -> None:
    report = govreport.parse(read_text("external/hzq2023.txt"))
    data = json.loads(govreport.to_json(report, findings=govreport.check(report, prose=True)))
    assert [c["rule"] for c in data["checks"]] == ["S5", "S5"]
    assert "checks" not in govreport.to_dict(report)
    assert govreport.from_dict(data) == report


# ------------------------------------------------------------------ across years


def test_series_hongze_2023_2024() -> None:
    a = govreport.parse(read_text("external/hzq2023.txt"))
    b = govreport.parse(read_text("external/hzq2024.txt"))
    # 2023 carries 0 forward, 2024 carries 0 over; 行政规范性文件 in force 5 → 5 + 3 − 0 = 8.
    assert govreport.check_series([b, a]) == ()
    changed = _with_cells(
        b,
        {
            "applications.carried_over.total": Cell("total", 4, "4", status="number"),
            "disclosure.normative_documents.in_force": Cell("in_force", 9, "9", status="number"),
        },
    )
    findings = govreport.check_series([a, changed])
    assert {(f.rule, f.keys[0], f.expected, f.actual) for f in findings} == {
        ("H1", "2024:applications.carried_over.total", 0, 4),
        ("H2", "2024:disclosure.normative_documents.in_force", 8, 9),
    }
    assert all(f.severity == "warning" for f in findings)


def test_series_across_the_format_change_and_2019_items() -> None:
    y2020 = govreport.parse(read_text("seeds/001_29ed77745b82a4d4.txt"))  # 2019 format, all zero
    y2021 = govreport.parse(read_text("seeds/000_bfa6ed85e05c204a.txt").replace("2022年", "2021年", 1))
    assert (y2020.template, y2021.template, y2021.meta.year) == ("2019", "2021", 2021)
    assert govreport.check_series([y2020, y2021]) == ()  # H1 holds across the formats
    y2019 = _with_cells(
        y2020,
        {
            "disclosure.licensing.previous": Cell("previous", 10, "10", status="number"),
            "disclosure.licensing.change": Cell("change", -2, "-2", status="number"),
        },
    )
    y2019 = govreport.from_dict(
        {**govreport.to_dict(y2019), "meta": {**govreport.to_dict(y2019)["meta"], "year": 2019}}
    )
    (h3,) = [f for f in govreport.check_series([y2019, y2020]) if f.rule == "H3"]
    assert (h3.keys[0], h3.expected, h3.actual) == ("2020:disclosure.licensing.previous", 8, 0)


# ------------------------------------------------------------------ properties


TEMPLATES = st.sampled_from(["2019", "2021"]).flatmap(reports)


@PROPERTY
@given(TEMPLATES)
def test_consistent_reports_pass(report: Report) -> None:
    assert govreport.check(report) == ()


@PROPERTY
@given(TEMPLATES, st.data())
def test_changing_one_cell_names_exactly_its_relations(report: Report, data: st.DataObject) -> None:
    keys = [k for k in _keys(report) if not k.startswith("disclosure.")]
    key = data.draw(st.sampled_from(keys))
    cell = report.cell(key)
    delta = data.draw(st.integers(1, 50))
    changed = _with_cells(
        report, {key: Cell(cell.column, cell.value + delta, str(cell.value + delta), status="number")}
    )
    involved = {(r.rule, r.total) for r in relations(report) if key in (r.total, *(a.lstrip("-") for a in r.addends))}
    failed = {(f.rule, f.keys[0]) for f in govreport.check(changed) if f.status == "failed"}
    assert failed == involved


@PROPERTY
@given(TEMPLATES, st.data())
def test_inference_restores_a_deleted_row(report: Report, data: st.DataObject) -> None:
    # Every cell of a table 三 row is pinned by its column's relation (S2 or P1).
    row = data.draw(st.sampled_from(report.applications.rows))
    deleted = {f"applications.{row.key}.{c.column}": Cell(c.column) for c in row.cells}
    restored = govreport.infer(_with_cells(report, deleted))
    for key in deleted:
        assert restored.cell(key).value == report.cell(key).value
        assert restored.cell(key).inferred


@PROPERTY
@given(reports(), st.data())
def test_inference_leaves_an_undetermined_appeals_row_alone(report: Report, data: st.DataObject) -> None:
    # A table 四 group has one equation for five cells: two or more missing cells are not
    # determined (unless the total is 0, which forces every part to 0).
    row = data.draw(st.sampled_from(report.appeals.rows))
    deleted = {f"appeals.{row.key}.{c}": Cell(c) for c in ("upheld", "corrected")}
    restored = govreport.infer(_with_cells(report, deleted))
    for key in deleted:
        cell = restored.cell(key)
        if row.total == 0:
            assert (cell.value, cell.inferred) == (0, True)
        else:
            assert cell.value is None and not cell.inferred


@PROPERTY
@given(TEMPLATES, st.data())
def test_inference_never_fills_a_wrong_value(report: Report, data: st.DataObject) -> None:
    keys = [k for k in _keys(report) if not k.startswith("disclosure.")]
    chosen = data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=60, unique=True))
    damaged = _with_cells(report, {k: Cell(report.cell(k).column) for k in chosen})
    restored = govreport.infer(damaged)
    for key in chosen:
        cell = restored.cell(key)
        assert cell.value is None or (cell.value == report.cell(key).value and cell.inferred)
    for key in set(keys) - set(chosen):
        assert restored.cell(key) == report.cell(key)  # printed values are never changed
