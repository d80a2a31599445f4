"""The installed ``govreport`` console script, run as a subprocess over a small corpus."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA
from hypothesis.errors import NonInteractiveExampleWarning
from render import render_tab
from strategies import flat_values, reports

import govreport
import govreport.cli

SCRIPT = Path(sys.executable).with_name("govreport")
GENERATED = 12
ROOT = Path(__file__).resolve().parent.parent
# The console script imports this checkout's govreport, before the installed one (an editable
# install may point at another checkout).
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert SCRIPT.exists(), f"the console script is not installed next to {sys.executable}"
    result = subprocess.run(
        [str(SCRIPT), *args],
        input=stdin.decode() if stdin else None,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=cwd,
        env=ENV,
    )
    return result


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Seeds, the external PDFs and texts, generated reports, one corrupt PDF and one non-report."""
    root = tmp_path_factory.mktemp("corpus")
    expected: dict[str, dict[str, Any] | None] = {}
    for source in sorted((DATA / "seeds").glob("*.txt")) + sorted((DATA / "external").glob("*.pdf")):
        shutil.copy(source, root / source.name)
    (root / "external").mkdir()
    for source in sorted((DATA / "external").glob("*.txt")):
        shutil.copy(source, root / "external" / source.name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        strategy = reports()
        generated = [strategy.example() for _ in range(GENERATED)]
    (root / "generated").mkdir()
    for n, report in enumerate(generated):
        path = root / "generated" / f"g{n:03d}.txt"
        path.write_text(render_tab(report), encoding="gb18030" if n % 2 else "utf-8")
        expected[str(path)] = flat_values(report)
    (root / "corrupt.pdf").write_bytes((DATA / "external/szfgs2024.pdf").read_bytes()[:5000])
    (root / "menu.txt").write_text("今日菜单\n米饭 2 元\n", encoding="utf-8")
    (root / "notes.csv").write_text("ignored,because,of,the,extension\n", encoding="utf-8")
    files = govreport.cli.expand_inputs([str(root)])
    return {"root": root, "files": files, "generated": expected}


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def as_csv(value: Any) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def test_export_writes_every_file_and_names_the_bad_ones(corpus: dict[str, Any], tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    result = run("export", str(corpus["root"]), "-o", str(table), "--jobs", "2", "--lang", "en")
    assert result.returncode == 1, result.stderr  # two files could not be read
    rows = read_csv(table)
    files = corpus["files"]
    assert [row["file"] for row in rows] == files  # every file, in a deterministic order
    assert len(files) == 5 + 3 + 3 + GENERATED + 2  # notes.csv is not a report file
    by_file = {row["file"]: row for row in rows}
    bad = {f for f in files if f.endswith(("corrupt.pdf", "menu.txt"))}
    assert {row["file"] for row in rows if row["error"]} == bad
    assert "UnreadableFileError" in by_file[next(f for f in bad if f.endswith(".pdf"))]["error"]
    assert "NotAReportError" in by_file[next(f for f in bad if f.endswith(".txt"))]["error"]
    header = list(rows[0])
    assert header[:2] == ["file", "error"]
    assert header[2 : 2 + len(govreport.META_KEYS)] == list(govreport.META_KEYS)
    for name, values in corpus["generated"].items():
        row = by_file[name]
        assert {key: row[key] for key in values} == {key: as_csv(v) for key, v in values.items()}, name
    pdf = by_file[next(f for f in files if f.endswith("szfgs2024.pdf"))]
    gold = json.loads((DATA / "external/szfgs2024.json").read_text(encoding="utf-8"))
    assert {k: pdf[k] for k in gold["cells"]} == {k: as_csv(v) for k, v in gold["cells"].items()}

    findings = read_csv(tmp_path / "table.findings.csv")
    assert {f["file"] for f in findings if f["status"] == "unreadable"} == bad
    # 淮安市洪泽区 2023 prints a 行政复议 total that does not add up (see tests/data/SOURCES.md).
    hzq2023 = [f for f in findings if f["file"].endswith("hzq2023_working.pdf") and f["status"] == "failed"]
    assert ("S5", "error", "11", "0") in {(f["rule"], f["severity"], f["expected"], f["actual"]) for f in hzq2023}
    generated_failures = [f for f in findings if "generated" in f["file"] and f["severity"] == "error"]
    assert generated_failures == []  # consistent reports have no failed relation
    assert "2 unreadable" in result.stderr


def test_export_is_the_same_with_one_job_or_two(corpus: dict[str, Any], tmp_path: Path) -> None:
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    run("export", str(corpus["root"]), "-o", str(one), "-j", "1", "-q")
    run("export", str(corpus["root"]), "-o", str(two), "-j", "2", "-q")
    assert one.read_bytes() == two.read_bytes()
    assert (tmp_path / "one.findings.csv").read_bytes() == (tmp_path / "two.findings.csv").read_bytes()


def test_parse_jsonl_gives_the_reports_back(corpus: dict[str, Any]) -> None:
    files = [f for f in corpus["files"] if "generated" in f][:4] + [f for f in corpus["files"] if "menu" in f]
    result = run("parse", *files, "-j", "2")
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == files
    for line in lines[:4]:
        report = govreport.from_dict(line["report"])
        assert govreport.flatten(report, meta=False) == corpus["generated"][line["file"]]
    assert lines[4]["report"] is None and "NotAReportError" in lines[4]["error"]
    assert "menu.txt" in result.stderr


def test_parse_one_file_is_json_and_csv_has_one_row_per_report(corpus: dict[str, Any], tmp_path: Path) -> None:
    seed = str(corpus["root"] / "000_bfa6ed85e05c204a.txt")
    result = run("parse", seed)
    assert result.returncode == 0, result.stderr
    assert govreport.from_json(result.stdout).meta.year == 2022
    out = tmp_path / "two.csv"
    assert run("parse", seed, seed, "-f", "csv", "-o", str(out)).returncode == 0
    rows = read_csv(out)
    assert len(rows) == 2 and rows[0]["applications.new.total"] == "0"


def test_standard_input(corpus: dict[str, Any]) -> None:
    data = (corpus["root"] / "001_29ed77745b82a4d4.txt").read_bytes()
    result = run("parse", "-", "-f", "jsonl", stdin=data)
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["file"] == "<stdin>" and line["report"]["template"] == "2019"


def test_check_exit_status(corpus: dict[str, Any]) -> None:
    consistent = [f for f in corpus["files"] if "generated" in f]
    clean = run("check", *consistent, "-q")
    assert (clean.returncode, clean.stdout) == (0, "")
    hzq2023 = str(corpus["root"] / "hzq2023_working.pdf")
    failing = run("check", hzq2023, "--lang", "en")
    assert failing.returncode == 1
    assert f"{hzq2023}: S5 error failed: appeals.review: total = 0 ≠ 11 = upheld 10" in failing.stdout
    assert "appeals.review.total" in failing.stdout
    assert "1 file(s), 1 with errors" in failing.stderr
    unreadable = run("check", str(corpus["root"] / "corrupt.pdf"), "--lang", "en")
    assert unreadable.returncode == 1 and "READ error: UnreadableFileError" in unreadable.stdout
    assert run("check", "--no-such-option", hzq2023).returncode == 2
    assert run("parse").returncode == 2


def test_check_json(corpus: dict[str, Any]) -> None:
    hzq2023 = str(corpus["root"] / "hzq2023_working.pdf")
    records = json.loads(run("check", hzq2023, hzq2023, "-f", "json", "-q").stdout)
    assert len(records) == 2
    s5 = [f for f in records[0]["findings"] if f["rule"] == "S5"]
    assert s5[0]["expected"] == "11" and s5[0]["actual"] == "0"


def test_help_and_version() -> None:
    for command in ("show", "parse", "check", "export", "templates"):
        result = run(command, "--help")
        assert result.returncode == 0 and "examples:" in result.stdout, command
    assert run("--version").stdout.strip() == f"govreport {govreport.__version__}"
    assert "2021" in run("templates").stdout
    export = run("export", "--help").stdout
    assert "--timeout SECONDS" in export and "(default: 60; 0: no limit)" in export and "--resume" in export


def test_no_progress_bar_when_not_a_terminal(corpus: dict[str, Any], tmp_path: Path) -> None:
    result = run("export", str(corpus["root"] / "generated"), "-o", str(tmp_path / "t.csv"), "--lang", "en")
    assert "\r" not in result.stderr and "[#" not in result.stderr
    assert result.stderr.startswith("govreport export:")


def test_progress_bar_on_a_terminal(corpus: dict[str, Any]) -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = govreport.cli.Progress(2, quiet=False, stream=stream)
    progress.step(govreport.cli.Outcome("a"))
    progress.step(govreport.cli.Outcome("b", error="x"))
    progress.close()
    assert "2/2 files" in stream.getvalue() and "1 unreadable" in stream.getvalue()
    quiet = Terminal()
    govreport.cli.Progress(2, quiet=True, stream=quiet).step(govreport.cli.Outcome("a"))
    assert quiet.getvalue() == ""


def test_parquet_export(corpus: dict[str, Any], tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "table.parquet"
    result = run("export", str(corpus["root"] / "external"), str(corpus["root"] / "generated"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    table = pq.read_table(out)
    assert table.num_rows == 3 + GENERATED
    assert str(table.schema.field("applications.new.total").type) == "int64"
    assert str(table.schema.field("disclosure.fees.amount").type) == "decimal128(38, 10)"
    rows = table.to_pylist()
    szfgs = next(r for r in rows if r["file"].endswith("szfgs2024.txt"))
    assert szfgs["disclosure.fees.amount"] == Decimal("96171.6") and szfgs["applications.new.total"] == 3119
    assert (tmp_path / "table.findings.csv").exists()


def test_export_names_every_file_it_skips(corpus: dict[str, Any], tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    root = corpus["root"]
    (root / ".hidden.txt").write_text("x", encoding="utf-8")
    (root / "no-extension").write_bytes((DATA / "external/hzq2024.txt").read_bytes())
    try:
        result = run("export", str(root), "-o", str(table), "--jobs", "2", "--lang", "en")
        notes, hidden = str(root / "notes.csv"), str(root / ".hidden.txt")
        assert f"govreport export: skipped {notes}: not a report format: no reader reads .csv files" in result.stderr
        assert f"govreport export: skipped {hidden}: a hidden file" in result.stderr
        assert ", 2 skipped ->" in result.stderr
        skipped = [f for f in read_csv(tmp_path / "table.findings.csv") if f["rule"] == "SKIP"]
        assert [(f["file"], f["status"]) for f in skipped] == [(hidden, "skipped"), (notes, "skipped")]
        rows = {row["file"]: row for row in read_csv(table)}
        assert rows[str(root / "no-extension")]["applications.new.total"] == "95"  # read by its content
    finally:
        (root / ".hidden.txt").unlink()
        (root / "no-extension").unlink()


def test_an_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("export", str(empty), "-o", str(tmp_path / "t.csv"))
    assert result.returncode == 2
    assert "no report files in" in result.stderr
    (empty / "photo.jpg").write_bytes(b"\xff\xd8")
    result = run("check", str(empty))
    assert result.returncode == 2
    assert "(1 skipped)" in result.stderr and "photo.jpg" in result.stderr
