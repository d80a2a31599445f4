"""Year over year for one agency: grouping a corpus by agency, and the H0-H5 checks.

The real series is 淮安市洪泽区人民政府 2023 and 2024 (tests/data/external/hzq2023.txt,
hzq2024.txt; the 2023 report names itself 洪泽区人民政府 in its title, the 2024 one
淮安市洪泽区人民政府).  Read from the texts: 2023 prints 四、结转下年度继续办理 0 0 0 0 0 0 0
(line 103), 2024 prints 二、上年结转 0 0 0 0 0 0 0 (line 67); 行政规范性文件 is 0 5 5 in 2023
(line 43) and 3 0 8 in 2024 (line 44): 5 + 3 − 0 = 8; 本年新收 total 21 (2023) and 95 (2024).
No third 洪泽区 or 淮安 report exists in shared/corpus or shared/seeds (淮安市人民政府 2024,
szfgs2024, is another agency), so the longer series is generated: a report built from values
(below), printed by tests/render.py and parsed back.
"""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA
from render import render_tab

import govreport
from govreport import Cell, Meta, Report, Row, Table, get_template
from govreport.cli import main
from govreport.series import Filed, Limits, agency_key, check_groups, group_series

EXTERNAL = DATA / "external"


def _parse(name: str) -> Report:
    return govreport.parse_file(EXTERNAL / name)


# ----------------------------------------------------------------- the real reports


def test_hongze_reports_are_one_agency_and_agree_year_over_year() -> None:
    reports = [Filed(n, _parse(n)) for n in ("hzq2024.txt", "szfgs2024.txt", "hzq2023.txt")]
    grouping = group_series(reports)
    by_agency = {s.agency: s for s in grouping.series}
    assert set(by_agency) == {"淮安市洪泽区人民政府", "淮安市人民政府"}
    hongze = by_agency["淮安市洪泽区人民政府"]
    assert hongze.years == (2023, 2024)
    assert set(hongze.names) == {"洪泽区人民政府", "淮安市洪泽区人民政府"}
    assert [f.name for f in hongze.reports] == ["hzq2023.txt", "hzq2024.txt"]
    assert check_groups(grouping) == []  # H1 0 = 0, H2 5 + 3 − 0 = 8, 21 → 95 is no ×10 jump


def test_a_duplicate_year_is_reported_not_dropped() -> None:
    grouping = group_series([Filed(n, _parse(n)) for n in ("hzq2023.txt", "hzq2024.txt", "hzq2024_working.pdf")])
    found = check_groups(grouping)
    assert [(f.finding.rule, f.year, f.file) for f in found] == [("H0", 2024, "hzq2024.txt")]
    assert "hzq2024_working.pdf" in found[0].finding.message_en
    assert "hzq2024_working.pdf" in found[0].finding.message_zh


def test_agency_names_are_matched_by_places_in_front_and_only_when_unambiguous() -> None:
    assert agency_key("淮安市 洪泽区人民政府") == agency_key("淮安市洪泽区人民政府")
    assert agency_key("淮安市洪泽区人民政府（ＸＸ）") == "淮安市洪泽区人民政府(XX)"
    reports = [
        _report("洪泽区人民政府", 2023, {}),
        _report("江苏省淮安市洪泽区人民政府", 2024, {}),
        _report("鼓楼区人民政府", 2023, {}),
        _report("南京市鼓楼区人民政府", 2024, {}),
        _report("福州市鼓楼区人民政府", 2024, {}),
        _report("", 2024, {}),
    ]
    grouping = group_series(Filed(str(i), r) for i, r in enumerate(reports))
    groups = {s.agency: [f.name for f in s.reports] for s in grouping.series}
    assert groups == {
        "江苏省淮安市洪泽区人民政府": ["0", "1"],
        "鼓楼区人民政府": ["2"],  # two 鼓楼区 in the corpus: which one is not known
        "南京市鼓楼区人民政府": ["3"],
        "福州市鼓楼区人民政府": ["4"],
    }
    assert [f.name for f in grouping.unplaced] == ["5"]


# ----------------------------------------------------------------- a generated 3-year series


def _report(agency: str, year: int, values: dict[str, int | Decimal]) -> Report:
    """A 2021-format report of ``agency`` for ``year``: every cell 0 except ``values``."""
    template = get_template("2021")
    tables = {}
    for name in template.table_names:
        rows = []
        for spec in template.table_rows(name):
            if spec.variant_of:
                continue
            cells = []
            for column in spec.columns:
                value = values.get(f"{name}.{spec.key}.{column.key}", 0)
                cells.append(Cell(column.key, value, str(value), status="number"))
            rows.append(Row(spec.key, spec.label, tuple(cells)))
        tables[name] = Table(name, tuple(rows), printed=True)
    return Report("2021", Meta(title=f"{agency}{year}年政府信息公开工作年度报告", agency=agency, year=year), **tables)


AGENCY = "示例县示例局"  # the generated series' agency


def _built(year: int, new: int, carried_over: int, granted: int, docs: tuple[int, int, int], **more: int) -> Report:
    """A consistent report: applications by 自然人 only (P1, S1, S2 hold), 行政规范性文件 issued,
    repealed, in force, and a few other cells (``table__row__column=value``)."""
    values: dict[str, int | Decimal] = {}
    for row, value in {
        "new": new,
        "carried_over": carried_over,
        "granted": granted,
        "results_total": granted,
        "carried_forward": new + carried_over - granted,
    }.items():
        values[f"applications.{row}.natural_person"] = values[f"applications.{row}.total"] = value
    for column, value in zip(("issued", "repealed", "in_force"), docs, strict=True):
        values[f"disclosure.normative_documents.{column}"] = value
    values["disclosure.fees.amount"] = Decimal("12.5")
    values.update({k.replace("__", "."): v for k, v in more.items()})
    return _report(AGENCY, year, values)


def _year(year: int, new: int, carried_over: int, granted: int, docs: tuple[int, int, int], **more: int) -> Report:
    """``_built``, printed by tests/render.py and parsed back."""
    text = render_tab(_built(year, new, carried_over, granted, docs, **more))
    report = govreport.parse(text)
    assert (report.meta.agency, report.meta.year) == (AGENCY, year)
    assert govreport.check(report) == (), text  # the generated report itself adds up
    return report


def _consistent() -> list[Report]:
    appeal = {"appeals__review__corrected": 1, "appeals__review__total": 1}
    return [
        _year(2021, 30, 2, 25, (4, 1, 20), disclosure__licensing__decisions=300, **appeal),  # carries 7 forward
        _year(2022, 40, 7, 44, (6, 2, 24), disclosure__licensing__decisions=350, **appeal),  # carries 3 forward
        _year(2023, 35, 3, 30, (2, 5, 21), disclosure__licensing__decisions=410, **appeal),
    ]


def test_a_consistent_series_raises_no_alarm() -> None:
    series = _consistent()
    assert [r.meta.year for r in series] == [2021, 2022, 2023]
    # table 四 is the same all three years (行政复议 结果纠正 1): one distinct number is no copy
    assert govreport.check_series(series) == ()
    assert check_groups(group_series(series)) == []


def test_a_carried_over_mismatch_is_found() -> None:
    y2021, _, y2023 = _consistent()
    y2022 = _year(2022, 38, 9, 44, (6, 2, 24))  # 上年结转 9 where 2021 carried 7 forward
    findings = govreport.check_series([y2023, y2022, y2021])
    assert {(f.rule, f.keys[0], f.keys[1], f.expected, f.actual) for f in findings} == {
        (
            "H1",
            "2022:applications.carried_over.natural_person",
            "2021:applications.carried_forward.natural_person",
            7,
            9,
        ),
        ("H1", "2022:applications.carried_over.total", "2021:applications.carried_forward.total", 7, 9),
    }
    assert all(f.severity == "warning" and f.status == "failed" for f in findings)


def test_a_copied_table_is_found() -> None:
    y2021, y2022, _ = _consistent()
    copied = _year(2023, 40, 7, 44, (2, 5, 21), disclosure__licensing__decisions=410)  # table 三 of 2022 again
    findings = govreport.check_series([y2021, y2022, copied])
    h4 = [f for f in findings if f.rule == "H4"]
    assert len(h4) == 1
    assert "三、收到和处理政府信息公开申请情况" in h4[0].message_zh
    assert all(k.startswith("2023:applications.") for k in h4[0].keys)
    # copying also breaks 上年结转: 2023 prints 7, 2022 carried 3 forward
    assert {(f.keys[0], f.expected, f.actual) for f in findings if f.rule == "H1"} == {
        ("2023:applications.carried_over.natural_person", 3, 7),
        ("2023:applications.carried_over.total", 3, 7),
    }


def test_a_jump_is_found_and_its_limits_can_be_set() -> None:
    y2021, y2022, _ = _consistent()
    y2023 = _year(2023, 3500, 3, 3495, (2, 5, 21))  # 40 → 3,500 applications
    jumps = {(f.keys[0], f.expected, f.actual) for f in govreport.check_series([y2022, y2023]) if f.rule == "H5"}
    assert ("2023:applications.new.total", 40, 3500) in jumps
    assert ("2023:applications.results_total.total", 44, 3495) in jumps
    assert all(key.endswith(".total") or ".results_total." in key for key, _, _ in jumps)
    # ×87 is below a factor of 100; a jump of 3,460 below a minimum of 5,000
    assert not [f for f in govreport.check_series([y2022, y2023], Limits(factor=100)) if f.rule == "H5"]
    assert not [f for f in govreport.check_series([y2022, y2023], Limits(minimum=5000)) if f.rule == "H5"]
    # and ×1.25 (40 → 50) with the default limits is none
    assert not [f for f in govreport.check_series([y2021, y2022]) if f.rule == "H5"]


# ----------------------------------------------------------------- the command


def test_series_command_prints_writes_csv_and_refuses_unknown_suffixes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("hzq2023.txt", "hzq2024.txt", "szfgs2024.txt"):
        shutil.copy(EXTERNAL / name, tmp_path / name)
    (tmp_path / "gen2022.txt").write_text(render_tab(_built(2022, 40, 7, 44, (6, 2, 24))), encoding="utf-8")
    bad = _built(2023, 38, 9, 44, (2, 5, 21), disclosure__licensing__decisions=410)  # 上年结转 9, not 3
    (tmp_path / "gen2023.txt").write_text(render_tab(bad), encoding="utf-8")
    assert main(["series", str(tmp_path), "-j", "1", "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split("\t")[:3] == ["agency", "year", "rule"]
    assert len(lines) == 3  # H1 for 自然人 and 总计; the 洪泽区 reports agree
    assert all(line.split("\t")[:3] == [AGENCY, "2023", "H1"] for line in lines[1:])
    assert "3 agencies (2 with several years)" in err
    csv_path = tmp_path / "series.csv"
    assert main(["series", str(tmp_path), "-j", "1", "-q", "-o", str(csv_path)]) == 0
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert {(r["rule"], r["file"].rsplit("/", 1)[-1], r["expected"], r["actual"]) for r in rows} == {
        ("H1", "gen2023.txt", "3", "9")
    }
    assert main(["series", str(tmp_path), "-q", "-o", str(tmp_path / "series.json")]) == 2
    assert "use .csv or .xlsx" in capsys.readouterr().err
