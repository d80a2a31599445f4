"""``govreport export`` killed midway keeps every finished row, and ``--resume`` goes on from there."""

from __future__ import annotations

import csv
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA
from slow_reader import slow_file

import govreport
from govreport.csvfiles import FlushedCsv, resume
from govreport.table import FINDING_COLUMNS, columns, finding_rows, report_findings, report_row

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
# The command runs this checkout's govreport, before any installed one.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
SEEDS = sorted((DATA / "seeds").glob("*.txt"))
FLAWED = DATA / "external/hzq2023.txt"  # a report with findings (S5 and others)
COPIES = 40  # 200 reports: several seconds with one worker, time enough to kill it midway
MENU = "今日菜单\n米饭 2 元\n"  # not a report: a READ finding


def export(*args: str) -> list[str]:
    return [sys.executable, "-m", "govreport", "export", "--lang", "en", *args]


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def as_csv(row: dict[str, object], header: list[str]) -> dict[str, str]:
    """A row as it reads back from the CSV: every column, blank for None, amounts in full."""
    values = {key: row.get(key) for key in header}
    return {key: "" if v is None else format(v, "f") if isinstance(v, Decimal) else str(v) for key, v in values.items()}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("copies")
    for n in range(COPIES):
        for seed in SEEDS:
            shutil.copy(seed, root / f"{n:03d}_{seed.name}")
        if n % 10 == 3:
            (root / f"{n:03d}_menu.txt").write_text(MENU, encoding="utf-8")
        if n % 10 == 5:
            shutil.copy(FLAWED, root / f"{n:03d}_{FLAWED.name}")
    return root


def expected_rows(folder: Path) -> dict[str, tuple[dict[str, str], list[dict[str, str]]]]:
    """Each file's table row and findings rows, from the seed it copies, parsed here."""
    by_seed: dict[str, tuple[dict[str, object], list[dict[str, object]]]] = {}
    for seed in [*SEEDS, FLAWED]:
        report = govreport.parse_file(seed)
        findings = report_findings(report)
        rows = finding_rows("", findings, None, report=report, lang="en")  # the runs below say --lang en
        by_seed[seed.name] = (report_row("", report, findings), [r for r in rows if r["status"] != "not_checkable"])
    expected = {}
    for path in sorted(folder.iterdir()):
        if path.name.endswith("menu.txt"):
            continue
        row, findings = by_seed[path.name[4:]]
        named = [as_csv(f | {"file": str(path)}, FINDING_COLUMNS) for f in findings]
        expected[str(path)] = (as_csv(row | {"file": str(path)}, columns()), named)
    return expected


def test_a_killed_export_keeps_its_rows_and_resume_finishes_it(folder: Path, tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    process = subprocess.Popen(
        export(str(folder), "-o", str(table), "-j", "1", "-q"),
        env=ENV,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if table.exists() and table.read_bytes().count(b"\n") > 30:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the export ended before it could be killed: " + process.stderr.read().decode()
    os.killpg(process.pid, signal.SIGKILL)  # the command and its worker, as the OOM killer or kill -9 would
    process.wait()
    process.stderr.close()

    files = sorted(str(path) for path in folder.iterdir())
    rows = read_rows(table)
    assert 30 <= len(rows) < len(files)  # killed midway, every finished row kept
    assert all(None not in row and None not in row.values() for row in rows)  # complete: no cell short or over
    expected = expected_rows(folder)
    assert [row["file"] for row in rows] == files[: len(rows)]  # in order: the first files
    for row in rows:
        if row["file"] in expected:
            assert row == expected[row["file"]][0]
        else:
            assert row["error"].startswith("NotAReportError")

    result = subprocess.run(
        export(str(folder), "-o", str(table), "-j", "2", "--resume"),
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr  # the menus are unreadable
    assert f"already in {table}" in result.stderr
    rows = read_rows(table)
    assert [row["file"] for row in rows] == files  # every file exactly once, in order
    for row in rows:
        if row["file"] in expected:
            assert row == expected[row["file"]][0]
    findings = read_rows(tmp_path / "table.findings.csv")
    menus = [f for f in files if f.endswith("menu.txt")]
    assert [(f["file"], f["rule"]) for f in findings if f["rule"] == "READ"] == [(m, "READ") for m in menus]
    wanted = [f for path in files if path in expected for f in expected[path][1]]
    assert len(wanted) >= 8 and [f for f in findings if f["rule"] != "READ"] == wanted


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the slow reader reaches forked workers only")
def test_the_rows_before_a_stuck_file_are_on_disk_at_once(tmp_path: Path) -> None:
    """Three reports, then a file that never ends: their rows are in the table while it is read
    (before, they waited in a buffer, and a kill left the header alone)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, seed in zip("abc", SEEDS, strict=False):
        shutil.copy(seed, folder / f"{name}.txt")
    (folder / "d.slow").write_bytes(slow_file(600, SEEDS[0].read_bytes()))
    shutil.copy(SEEDS[3], folder / "e.txt")
    table = tmp_path / "table.csv"
    command = [sys.executable, str(TESTS / "slow_reader.py"), "export", str(folder), "-o", str(table), "--lang", "en"]
    process = subprocess.Popen([*command, "-q"], env=ENV, start_new_session=True, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (table.exists() and len(read_rows(table)) >= 3):
            time.sleep(0.05)
        time.sleep(0.5)  # whatever else it would write
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    rows = read_rows(table)
    assert [row["file"] for row in rows] == [str(folder / f"{name}.txt") for name in "abc"]
    assert all(not row["error"] and row["meta.template"] for row in rows)

    result = subprocess.run(
        [*command, "--resume", "--timeout", "1"], env=ENV, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1, result.stderr  # d.slow is stopped
    assert "2 file(s), 3 already in" in result.stderr
    rows = read_rows(table)
    assert [row["file"] for row in rows] == [
        str(folder / name) for name in ("a.txt", "b.txt", "c.txt", "d.slow", "e.txt")
    ]
    assert [bool(row["error"]) for row in rows] == [False, False, False, True, False]


def test_resume_cuts_an_unfinished_row_and_the_findings_of_a_file_not_in_the_table(tmp_path: Path) -> None:
    table, findings = tmp_path / "t.csv", tmp_path / "t.findings.csv"
    with FlushedCsv(table, columns()) as out:
        out.write({"file": "a.txt", "error": None, "meta.title": "第一\n行"})
        out.write({"file": "b.txt", "error": "NotAReportError: no"})
    with FlushedCsv(findings, FINDING_COLUMNS) as out:
        out.write({"file": "b.txt", "rule": "READ"})
        out.write({"file": "skipped.jpg", "rule": "SKIP"})
        out.write({"file": "c.txt", "rule": "S5"})  # written just before the kill: c.txt's row is not
    whole = table.read_bytes()
    with open(table, "ab") as handle:
        handle.write(b'c.txt,,"cut in a quoted cell\n')  # the write the kill cut
    earlier = resume(table, findings)
    assert earlier.files == {"a.txt", "b.txt"} and earlier.unreadable == 1 and earlier.skipped == {"skipped.jpg"}
    assert table.read_bytes() == whole
    assert [(row["file"], row["rule"]) for row in read_rows(findings)] == [("b.txt", "READ"), ("skipped.jpg", "SKIP")]
    assert read_rows(table)[0]["meta.title"] == "第一\n行"


def test_resume_refuses_what_it_cannot_append_to(tmp_path: Path) -> None:
    seed = tmp_path / "a.txt"
    seed.write_bytes(SEEDS[0].read_bytes())
    result = subprocess.run(
        export(str(seed), "-o", str(tmp_path / "t.parquet"), "--resume"), env=ENV, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "--resume cannot append to" in result.stderr and "export to a .csv table to resume" in result.stderr
    other = tmp_path / "other.csv"
    other.write_text("name,value\nx,1\n", encoding="utf-8")
    result = subprocess.run(export(str(seed), "-o", str(other), "--resume"), env=ENV, capture_output=True, text=True)
    assert result.returncode == 2
    assert f"--resume: {other} is not a table of this govreport version (its columns differ)" in result.stderr
    assert other.read_text(encoding="utf-8") == "name,value\nx,1\n"  # left as it was


def test_resume_without_an_earlier_table_is_a_whole_run(tmp_path: Path) -> None:
    seed = tmp_path / "a.txt"
    seed.write_bytes(SEEDS[0].read_bytes())
    table = tmp_path / "t.csv"
    result = subprocess.run(export(str(seed), "-o", str(table), "--resume"), env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert [row["file"] for row in read_rows(table)] == [str(seed)]
    again = subprocess.run(export(str(seed), "-o", str(table), "--resume"), env=ENV, capture_output=True, text=True)
    assert again.returncode == 0 and "0 file(s), 1 already in" in again.stderr
    assert [row["file"] for row in read_rows(table)] == [str(seed)]
