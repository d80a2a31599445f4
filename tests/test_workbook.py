"""The audit workbook (``govreport export DIR -o audit.xlsx``), opened again with openpyxl.

Expected values are read from the report texts:

* tests/data/external/hzq2023.txt (洪泽区人民政府 2023), table 四 line 112:
  ``10 1 0 0 0 0 0 0 0 0 5 0 0 0 0``: 行政复议 结果维持 10, 结果纠正 1, 总计 0 (so S5 fails:
  10 + 1 ≠ 0), 复议后起诉 结果维持 5, 总计 0 (S5 fails again);
* tests/data/web/001.txt (a 2020 report, 2019 format): 行政强制 | 4 | 4 | - (处理决定数量 printed
  ``-``, a placeholder); 行政事業性收費 | ||||| (both cells printed empty); the excerpt stops
  before table 三 (its cells are lost);
* tests/data/web/025.txt: 行政事业性收费 followed by an empty paragraph and one holding a space
  (blank), and （二）部分公开 cut after six 0s (its 总计 not printed: filled by inference, 0).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve
from conftest import DATA

import govreport
from govreport.cli import main
from govreport.model import Origin
from govreport.workbook import FILLS, MAX_SHEET_NAME, AuditWorkbook, sheet_name

openpyxl = pytest.importorskip("openpyxl")

FILES = ("external/hzq2023.txt", "external/hzq2024.txt", "web/001.txt", "web/025.txt")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("corpus")
    for name in FILES:
        shutil.copy(DATA / name, folder / name.replace("/", "_"))
    (folder / "broken.txt").write_text("这不是一份年度报告。\n", encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")  # skipped by the folder scan, and named
    output = folder.parent / "audit.xlsx"
    assert main(["export", str(folder), "-o", str(output), "-j", "1", "-q"]) == 1  # broken.txt is unreadable
    return openpyxl.load_workbook(output)


def _fill(cell: Any) -> str:
    return str(cell.fill.fgColor.rgb)[-6:] if cell.fill is not None and cell.fill.fill_type == "solid" else ""


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows()]


def _find(sheet: Any, heading: str, label: str, column: str) -> Any:
    """The cell of row ``label`` (a label cell) and column ``column`` (the header row above it),
    in the table under ``heading``."""
    under, header = False, None
    for row in _rows(sheet):
        values = [c.value for c in row]
        if isinstance(values[0], str) and values[0].startswith(heading):  # "（报告中未印出此表）" may follow
            under = True
        if not under:
            continue
        if column in values:
            header = values
        elif label in values and header is not None:
            return row[header.index(column)]
    raise AssertionError(f"no {label}/{column} under {heading}")


def _one_line_values(sheet: Any, heading: str) -> tuple[Any, ...]:
    """The value row of a table printed on one line (四): the row after its column labels."""
    rows = _rows(sheet)
    start = next(i for i, row in enumerate(rows) if row[0].value == heading)
    labels = next(i for i in range(start, len(rows)) if rows[i][0].value == "结果维持")
    return rows[labels + 1]


def test_sheets_and_summary_ranked_by_failed_relations(book: Any) -> None:
    assert book.sheetnames[:3] == ["汇总", "问题", "逐年"]  # 洪泽区 2023 and 2024: a series
    assert {"external_hzq2023", "external_hzq2024", "web_001", "web_025"} <= set(book.sheetnames)
    rows = [[c.value for c in row] for row in book["汇总"].iter_rows()]
    assert rows[0][:5] == ["文件", "机关", "年度", "格式", "不成立"]
    # the files not read come first, with the reason: broken.txt is not a report, photo.jpg was skipped
    assert sorted(row[0].rsplit("/", 1)[-1] for row in rows[1:3]) == ["broken.txt", "photo.jpg"]
    assert all(row[-1] for row in rows[1:3])
    first = rows[3]
    assert first[0].endswith("external_hzq2023.txt")
    assert (first[1], first[2], first[3], first[4], first[8]) == ("洪泽区人民政府", 2023, "2021", 2, "external_hzq2023")
    failed = [row[4] for row in rows[3:]]
    assert failed == sorted(failed, reverse=True)
    findings = [[c.value for c in row] for row in book["问题"].iter_rows()]
    assert [row[1] for row in findings if str(row[0]).endswith("hzq2023.txt")] == ["S5", "S5"]
    assert [row[1:4] for row in findings if str(row[0]).endswith("photo.jpg")] == [["SKIP", "warning", "skipped"]]
    assert [row[1:4] for row in findings if str(row[0]).endswith("broken.txt")] == [["READ", "error", "unreadable"]]


def test_failed_relation_total_red_parts_light_red_with_comments(book: Any) -> None:
    values = _one_line_values(book["external_hzq2023"], "四、政府信息公开行政复议、行政诉讼情况")
    assert [c.value for c in values] == [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]
    review_total, review_upheld = values[4], values[0]
    assert _fill(review_total) == FILLS["failed_total"]
    assert _fill(review_upheld) == FILLS["failed_part"]
    assert "[S5]" in review_total.comment.text and "行政复议" in review_total.comment.text
    after_review_total = values[14]
    assert _fill(after_review_total) == FILLS["failed_total"] and "复议后起诉" in after_review_total.comment.text
    assert _fill(values[5]) == "" and values[5].comment is None  # 未经复议直接起诉: all 0, holds


def test_numbers_blank_placeholder_missing_and_inferred_cells(book: Any) -> None:
    sheet = book["web_001"]
    heading = "二、主动公开政府信息情况"
    licensing = _find(sheet, heading, "行政许可", "处理决定数量")
    assert (licensing.value, _fill(licensing), licensing.comment) == (93, "", None)
    coercion = _find(sheet, heading, "行政强制", "处理决定数量")
    assert (coercion.value, _fill(coercion)) == ("-", FILLS["placeholder"])
    assert "占位符" in coercion.comment.text
    for column in ("上一年项目数量", "本年增/减"):
        fee = _find(sheet, heading, "行政事业性收费", column)
        assert (fee.value, _fill(fee)) == ("空", FILLS["blank"])
    lost = _find(sheet, "三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量", "总计")
    assert (lost.value, _fill(lost)) == ("缺", FILLS["missing"])
    assert "缺失" in lost.comment.text

    sheet = book["web_025"]
    partial = _find(
        sheet, "三、收到和处理政府信息公开申请情况", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "总计"
    )
    assert (partial.value, _fill(partial)) == (0, FILLS["inferred"])
    assert "推断值" in partial.comment.text
    natural = _find(
        sheet,
        "三、收到和处理政府信息公开申请情况",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "自然人",
    )
    assert (natural.value, _fill(natural)) == (0, "")
    fee = _find(sheet, "二、主动公开政府信息情况", "行政事业性收费", "本年收费金额（单位：万元）")
    assert (fee.value, _fill(fee)) == ("空", FILLS["blank"])


def test_comments_give_the_page_and_the_equation_when_known(tmp_path: Path) -> None:
    report = govreport.parse_file(DATA / "external" / "hzq2023.txt")
    key = "appeals.review.total"
    report = report.with_cells({key: govreport.Cell("total", 0, "0", status="number", origin=Origin(page=4))})
    (finding, other) = govreport.check(report)
    finding = evolve(finding, equation_zh="行政复议 总计 = 0 ≠ 11 = 10 + 1 + 0 + 0")  # filled by checks in time
    book = AuditWorkbook(tmp_path / "one.xlsx", series=False)
    book.add("hzq2023.txt", report, (finding, other))
    book.close()
    values = _one_line_values(
        openpyxl.load_workbook(tmp_path / "one.xlsx")["hzq2023"], "四、政府信息公开行政复议、行政诉讼情况"
    )
    comment = values[4].comment.text
    assert "行政复议 总计 = 0 ≠ 11 = 10 + 1 + 0 + 0" in comment and "第4页" in comment
    assert "第4页" not in values[0].comment.text  # the page is given where it is known


def test_sheet_names_are_valid_for_excel() -> None:
    taken: set[str] = set()
    names = [sheet_name(w, taken) for w in ["a[1]:b*?/c\\d", "x" * 40, "x" * 40, "History", "'q'", "A", "a"]]
    assert names[0] == "a_1__b___c_d"
    assert len(names[1]) == MAX_SHEET_NAME and len(names[2]) == MAX_SHEET_NAME and names[1] != names[2]
    assert names[3] != "History" and names[4] == "q"
    assert names[5] == "A" and names[6].lower() != "a"
    assert len({n.lower() for n in names}) == len(names)


def test_export_refuses_an_unknown_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for suffix in ("table.xls", "table.json", "table"):
        assert main(["export", str(DATA / "external" / "hzq2023.txt"), "-o", str(tmp_path / suffix)]) == 2
        err = capsys.readouterr().err
        assert ".csv .parquet .xlsx" in err
        assert not (tmp_path / suffix).exists()
    assert list(tmp_path.iterdir()) == []


def test_series_workbook(tmp_path: Path) -> None:
    for name in ("hzq2023.txt", "hzq2024.txt", "hzq2024_working.pdf"):
        shutil.copy(DATA / "external" / name, tmp_path / name)
    output = tmp_path / "series.xlsx"
    assert main(["series", str(tmp_path), "-o", str(output), "-j", "1", "-q"]) == 0
    book = openpyxl.load_workbook(output)
    assert book.sheetnames == ["逐年"]
    rows = [[c.value for c in row] for row in book["逐年"].iter_rows()]
    assert rows[1][:4] == ["淮安市洪泽区人民政府", 2024, str(tmp_path / "hzq2024.txt"), "H0"]
