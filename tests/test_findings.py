"""Findings people can act on: one equation per failed relation, the same set from Python and
the command line, the not-checkable relations apart, Chinese by default and English on request.

The numbers asserted are read from the documents: tests/data/external/hzq2023.txt line 112
prints 行政复议 ``10 1 0 0 0`` (结果维持 10, 结果纠正 1, 总计 0) and 复议后起诉 ``5 0 0 0 0``;
tests/data/corpus/kewei-2024.md prints 四、结转下年度继续办理 with 自然人 1 and 总计 blank.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from conftest import DATA, read_text

import govreport
from govreport.cli import main
from govreport.messages import messages, text
from govreport.model import Origin
from govreport.printout import print_report
from govreport.registry import get_template, templates

ROOT = Path(__file__).resolve().parent.parent
HZQ2023 = DATA / "external/hzq2023.txt"
KEWEI = DATA / "corpus/kewei-2024.md"


def _real_reports() -> list[Path]:
    found = [p for p in sorted((DATA / "external").iterdir()) if p.suffix in (".txt", ".pdf")]
    for folder in ("seeds", "corpus", "web"):
        found.extend(
            sorted(p for p in (DATA / folder).iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")
        )
    return found


def _shape(finding: dict) -> tuple:
    return (finding["rule"], finding["status"], tuple(finding["keys"]), finding["expected"], finding["actual"])


def test_the_command_line_and_python_give_the_same_findings_for_every_real_report() -> None:
    paths = _real_reports()
    assert len(paths) >= 20
    command = [sys.executable, "-m", "govreport", "check", "-f", "jsonl", "-q", "-j", "2", *map(str, paths)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in records] == [str(p) for p in paths]
    rules = set()
    for path, record in zip(paths, records, strict=True):
        assert record["error"] is None, path
        python = govreport.check(govreport.parse_file(path))
        expected = [
            (f.rule, f.status, f.keys, *(None if v is None else str(v) for v in (f.expected, f.actual))) for f in python
        ]
        assert [_shape(f) for f in record["findings"]] == expected, path
        rules |= {f.rule for f in python}
    assert "TXT" in rules  # hzq2024: the CLI said "1 failed" and Python nothing before


def test_a_failed_relation_shows_its_equation_with_the_printed_numbers() -> None:
    report = govreport.parse(read_text("external/hzq2023.txt"))
    review = govreport.check(report)[0]
    assert review.equation_zh == "四、行政复议：总计 = 0 ≠ 11 = 结果维持 10 + 结果纠正 1 + 其他结果 0 + 尚未审结 0"
    assert review.equation_en == "appeals.review: total = 0 ≠ 11 = upheld 10 + corrected 1 + other 0 + pending 0"


def test_blanks_show_as_blank_and_lost_cells_as_missing() -> None:
    report = govreport.parse(read_text("corpus/kewei-2024.md"))
    s1 = next(f for f in govreport.check(report) if f.rule == "S1" and f.status == "failed")
    assert s1.equation_zh.startswith("四、结转下年度继续办理：总计 = 空 ≠ 1 = 自然人 1 + ")
    assert "total = blank ≠ 1" in s1.equation_en
    unchecked = [f for f in govreport.check(report) if f.status == "not_checkable"]
    assert unchecked and all("≟" in f.equation_zh and "缺" in f.equation_zh for f in unchecked)
    assert all("missing" in f.equation_en for f in unchecked)


def test_a_long_sum_names_every_term_that_is_not_zero() -> None:
    report = govreport.parse(read_text("external/szfgs2024.txt"))
    key = "applications.results_total.natural_person"
    cell = report.cell(key)
    assert cell.value is not None
    changed = report.with_cells({key: attrs.evolve(cell, value=cell.value + 2, raw=str(cell.value + 2))})
    s2 = next(f for f in govreport.check(changed, prose=False) if f.rule == "S2")
    assert s2.equation_zh.startswith(
        f"自然人列：三、（七）总计 = {cell.value + 2} ≠ {cell.value} = 三、（一）予以公开 "
    )
    terms = [k for k in s2.keys[1:] if changed.value(k)]
    assert terms and all(f"{k.rsplit('.', 1)[0]} {changed.value(k)} " in s2.equation_en + " " for k in terms)
    assert "…" in s2.equation_zh and s2.equation_zh.count("+") < len(s2.keys) - 1


def test_show_gives_the_equation_and_where_each_cell_is_printed() -> None:
    report = govreport.parse(read_text("external/hzq2023.txt"))
    out = io.StringIO()
    print_report(report, govreport.check(report), out)
    shown = out.getvalue()
    assert "核对：2 项不成立，0 项无法核对，0 项疑似误读" in shown
    assert "四、行政复议：总计 = 0 ≠ 11 = 结果维持 10" in shown
    assert re.search(r"appeals\.review\.upheld +10  112:1  四、行政复议 结果维持", shown)
    assert "p." not in shown  # no origin: the line:column only


def test_show_gives_the_page_and_box_when_the_reader_gave_an_origin() -> None:
    report = govreport.parse(read_text("external/hzq2023.txt"))
    key = "appeals.review.total"
    placed = report.with_cells({key: attrs.evolve(report.cell(key), origin=Origin(page=3, bbox=(72, 410.5, 96, 422)))})
    out = io.StringIO()
    print_report(placed, govreport.check(placed), out, "en")
    assert re.search(r"appeals\.review\.total +0  p\.3 \[72,410\.5,96,422\] 112:10", out.getvalue())
    row = govreport.table.finding_rows("f", govreport.check(placed), report=placed)[0]
    assert (row["pages"], row["lines"]) == ("3", "112:10 112:1 112:4 112:6 112:8")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_puts_the_unchecked_apart_and_its_summary_counts_what_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for source in (HZQ2023, KEWEI):
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "notes.csv").write_text("not a report", encoding="utf-8")
    (folder / "menu.txt").write_text("首页 新闻 联系我们\n", encoding="utf-8")
    table, unchecked = tmp_path / "table.csv", tmp_path / "todo.csv"
    code = main(["export", str(folder), "-o", str(table), "--unchecked", str(unchecked), "-j", "1", "--lang", lang])
    assert code == 1  # menu.txt is not a report
    findings = _rows(tmp_path / "table.findings.csv")
    later = _rows(unchecked)
    assert {row["status"] for row in later} == {"not_checkable"}
    assert "not_checkable" not in {row["status"] for row in findings}
    failed = [row for row in findings if row["rule"] not in ("READ", "SKIP")]
    # hzq2023: two S5; kewei: P1 and S1 on 结转下年度 (its 总计 printed blank)
    assert sorted((Path(r["file"]).name, r["rule"]) for r in failed) == [
        ("hzq2023.txt", "S5"),
        ("hzq2023.txt", "S5"),
        ("kewei-2024.md", "P1"),
        ("kewei-2024.md", "S1"),
    ]
    hzq = next(row for row in failed if row["file"].endswith("hzq2023.txt"))
    assert (hzq["agency"], hzq["year"], hzq["template"], hzq["lines"].split()[0]) == (
        "洪泽区人民政府",  # line 1 of the text
        "2023",
        "2021",
        "112:10",
    )
    assert hzq["equation"].startswith(
        "四、行政复议：总计 = 0 ≠ 11" if lang == "zh" else "appeals.review: total = 0 ≠ 11"
    )
    summary = capsys.readouterr().err.splitlines()[-1]
    numbers = [
        int(n.replace(",", ""))
        for n in re.findall(r"(?<![\w.])(\d[\d,]*)(?= ?(?:个|条|项|file|unreadable|with|finding|not|skipped))", summary)
    ]
    files, unreadable, with_errors, n_findings, n_unchecked, skipped = numbers
    assert files == len(_rows(table)) == 3
    assert unreadable == sum(row["rule"] == "READ" for row in findings) == 1
    assert skipped == sum(row["rule"] == "SKIP" for row in findings) == 1
    assert n_findings == len(failed) == 4
    assert n_unchecked == len(later) > 0
    assert with_errors == len({row["file"] for row in failed if row["severity"] == "error"}) == 2
    wide = {Path(row["file"]).name: row for row in _rows(table)}
    assert wide["kewei-2024.md"]["checks.not_checkable"] == str(sum(r["file"].endswith("kewei-2024.md") for r in later))


def test_check_speaks_chinese_by_default_and_english_on_request(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["check", str(HZQ2023), "-j", "1"]) == 1
    out, err = capsys.readouterr()
    assert f"{HZQ2023}: S5 错误 不成立: 四、行政复议：总计 = 0 ≠ 11" in out and " @ 112:10 112:1" in out
    assert err.startswith("govreport check：共 1 个文件，1 个有错误")
    monkeypatch.setenv("GOVREPORT_LANG", "en")
    assert main(["check", str(HZQ2023), "-j", "1"]) == 1
    out, err = capsys.readouterr()
    assert f"{HZQ2023}: S5 error failed: appeals.review: total = 0 ≠ 11" in out
    assert err.startswith("govreport check: 1 file(s), 1 with errors")


def test_show_in_chinese_gives_each_diagnostic_its_chinese_title(capsys: pytest.CaptureFixture[str]) -> None:
    path = DATA / "seeds/004_2c53d4ed00bed9fe.txt"
    assert main(["show", str(path), "-j", "1"]) == 0
    out = capsys.readouterr().out
    # line 72 of the seed prints a 3 under table 四 that no label claims (docs/errors.md)
    assert f"72:25: unplaced-value {text('diagnostic.unplaced-value')}：“3”" in out
    assert main(["show", str(path), "-j", "1", "--lang", "en"]) == 0
    assert "72:25: unplaced-value: table appeals" in capsys.readouterr().out


def _emitted_codes() -> set[str]:
    """The first argument of every ``Diagnostic(...)`` and ``ctx.report(...)`` call, and the
    codes a conditional hands to one (``cells.py``: ``"truncated"`` …)."""
    codes: set[str] = set()
    for path in (ROOT / "govreport").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                first = node.args[0]
                if (
                    name in ("Diagnostic", "report")
                    and isinstance(first, ast.Constant)
                    and isinstance(first.value, str)
                ):
                    codes.add(first.value)
    return codes


def _documented_codes() -> set[str]:
    page = (ROOT / "docs/errors.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| \[`([a-z-]+)`\]\(#", page, re.MULTILINE))


def test_every_diagnostic_code_and_rule_has_a_chinese_and_an_english_text() -> None:
    codes = _documented_codes()
    assert len(codes) >= 25 and _emitted_codes() <= codes  # docs/errors.md's table is the one list
    table = messages()
    assert {key.removeprefix("diagnostic.") for key in table if key.startswith("diagnostic.")} == codes
    rules = {"D1", "M1", "TXT", "READ", "SKIP", "H0", "H4", "H5"}  # H0, H4, H5: govreport.series, every template
    for description in templates():
        template = get_template(description["name"])
        rules |= {spec.rule for spec in (*template.relations, *template.series)}
    assert {"P1", "S1", "S2", "S5", "H1", "H2", "H3"} <= rules
    for key in [*(f"diagnostic.{c}" for c in codes), *(f"rule.{r}" for r in rules)]:
        assert table[key]["zh"] and table[key]["en"], key
    statuses = {"failed", "not_checkable", "suspected_misread", "unreadable", "skipped"}
    assert all(f"status.{s}" in table for s in statuses) and all(f"severity.{s}" in table for s in ("error", "warning"))


def test_a_cross_year_finding_names_the_year_of_each_cell() -> None:
    # hzq2023.txt prints 四、结转下年度继续办理 all 0; hzq2024.txt 二、上年结转 all 0.  Set 2024's to 3.
    before = govreport.parse(read_text("external/hzq2023.txt"))
    after = govreport.parse(read_text("external/hzq2024.txt"))
    key = "applications.carried_over.natural_person"
    after = after.with_cells({key: attrs.evolve(after.cell(key), value=3, raw="3")})
    h1 = [f for f in govreport.check_series([before, after]) if f.rule == "H1"]
    assert [f.equation_zh for f in h1] == [
        "自然人列：2024年 二、上年结转政府信息公开申请数量 = 3 ≠ 0 = 2023年 四、结转下年度继续办理 0"
    ]
    assert h1[0].equation_en == (
        "column natural_person: 2024:applications.carried_over = 3 ≠ 0 = 2023:applications.carried_forward 0"
    )
