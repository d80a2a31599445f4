"""The time limit per input of ``parse_many`` and of the command line (``--timeout``), and the
folder walk that lists only regular files: one file never holds a corpus run."""

from __future__ import annotations

import inspect
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA
from slow_reader import SLOW, slow_file

import govreport
import govreport.cli
from govreport import register_reader, unregister_reader
from govreport.batch import TimeLimitError, map_ordered

TESTS = Path(__file__).resolve().parent
# The commands run this checkout's govreport, before any installed one.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS.parent), os.environ.get("PYTHONPATH")]))}
SEED = DATA / "seeds/000_bfa6ed85e05c204a.txt"
OLD = DATA / "seeds/001_29ed77745b82a4d4.txt"

forked = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="a reader registered here reaches forked workers only"
)


def _sleep_on_slow(index: int, item: Any, options: dict[str, Any]) -> tuple[int, str]:
    if item == "slow":
        time.sleep(60)
    return index, "ok"


def _failure(index: int, item: Any, exc: BaseException) -> tuple[int, str]:
    return index, type(exc).__name__


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_input_over_the_limit_fails_alone_and_the_batch_goes_on(jobs: int) -> None:
    items = ["a", "b", "slow", "c", "d", "slow", "e"]
    start = time.monotonic()
    results = list(map_ordered(_sleep_on_slow, items, fail=_failure, jobs=jobs, timeout=1))
    elapsed = time.monotonic() - start
    assert results == [(i, "TimeLimitError" if item == "slow" else "ok") for i, item in enumerate(items)]
    assert elapsed < 20  # two inputs of 60 s each were stopped after 1 s


def test_without_a_limit_one_job_runs_in_this_process() -> None:
    (pid,) = map_ordered(_pid, ["x"], fail=_failure, jobs=1, timeout=None)
    assert pid == os.getpid()
    (pid,) = map_ordered(_pid, ["x"], fail=_failure, jobs=1, timeout=5)
    assert pid != os.getpid()  # a limit needs a process that can be stopped


def _pid(index: int, item: Any, options: dict[str, Any]) -> int:
    return os.getpid()


def test_the_default_limit_and_bad_limits() -> None:
    assert inspect.signature(govreport.parse_many).parameters["timeout"].default == 60
    for bad in (0, -1, float("nan"), "10", True):
        with pytest.raises(ValueError, match="timeout must be a number of seconds"):
            list(govreport.parse_many(["x"], timeout=bad))


@pytest.fixture
def slow() -> Iterator[None]:
    register_reader(SLOW)
    try:
        yield
    finally:
        unregister_reader("slow")


@forked
@pytest.mark.parametrize("jobs", [1, 2])
def test_parse_many_stops_a_slow_file(slow: None, tmp_path: Path, jobs: int) -> None:
    seed = SEED.read_bytes()
    stuck = tmp_path / "stuck.slow"
    stuck.write_bytes(slow_file(60, seed))
    late = tmp_path / "late.slow"
    late.write_bytes(slow_file(0.2, seed))  # slow, but within the limit: read
    start = time.monotonic()
    results = list(govreport.parse_many([SEED, stuck, late, OLD], jobs=jobs, timeout=2))
    assert time.monotonic() - start < 30
    assert [r.ok for r in results] == [True, False, True, True]
    report, expected = results[2].report, govreport.parse_file(SEED)
    assert report is not None and (report.tables, report.meta) == (expected.tables, expected.meta)
    assert results[1].name == str(stuck)
    error = results[1].error or ""
    assert error.startswith("TimeLimitError: took longer than 2 s to read (the time limit per file)")
    assert "parse_many(..., timeout=SECONDS)" in error


def test_the_error_of_a_stopped_input() -> None:
    (result,) = map_ordered(_sleep_on_slow, ["slow"], fail=govreport.batch._failed_result, jobs=1, timeout=0.5)
    assert result.error == (
        "TimeLimitError: took longer than 0.5 s to read (the time limit per file); its worker was stopped "
        "(to allow more time: parse_many(..., timeout=SECONDS))"
    )
    assert isinstance(TimeLimitError(1), TimeoutError)


@forked
def test_export_stops_a_slow_file(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "b.slow").write_bytes(slow_file(120, SEED.read_bytes()))
    (folder / "c.txt").write_bytes(OLD.read_bytes())
    table = tmp_path / "table.csv"
    command = [sys.executable, str(TESTS / "slow_reader.py"), "export", str(folder), "-o", str(table), "--lang", "en"]
    # No parser cache on disk, as on a fresh machine: building the grammars takes seconds,
    # and that is no file's time (the batch builds them before its workers start).
    cold = {**ENV, "GOVREPORT_CACHE_DIR": "off"}
    start = time.monotonic()
    result = subprocess.run(
        [*command, "--timeout", "1.5", "-j", "1"], capture_output=True, text=True, timeout=200, env=cold
    )
    assert time.monotonic() - start < 150
    assert result.returncode == 1, result.stderr
    assert "1 unreadable" in result.stderr
    rows = read_rows(table)
    assert [row["file"] for row in rows] == [str(folder / name) for name in ("a.txt", "b.slow", "c.txt")]
    assert [row["error"] for row in rows] == [
        "",
        "TimeLimitError: took longer than 1.5 s to read (the time limit per file); its worker was stopped "
        "(to allow more time: --timeout SECONDS)",
        "",
    ]
    assert rows[0]["applications.new.total"] and rows[2]["meta.template"] == "2019"
    findings = read_rows(tmp_path / "table.findings.csv")
    assert [(row["file"], row["rule"]) for row in findings] == [(str(folder / "b.slow"), "READ")]


def read_rows(path: Path) -> list[dict[str, str]]:
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_timeout_option() -> None:
    parser = govreport.cli.build_parser()
    assert parser.parse_args(["export", "d", "-o", "t.csv"]).timeout == 60
    assert parser.parse_args(["check", "d", "--timeout", "2.5"]).timeout == 2.5
    assert parser.parse_args(["parse", "d", "--timeout", "0"]).timeout == 0  # no limit
    with pytest.raises(SystemExit):
        parser.parse_args(["export", "d", "-o", "t.csv", "--timeout", "-1"])


# ----------------------------------------------------------------- only regular files under a folder


def test_a_named_pipe_in_a_folder_is_skipped_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe")
    os.symlink(tmp_path / "pipe.txt", tmp_path / "link.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "alias.txt")
    inputs = govreport.cli.scan_inputs([str(tmp_path)])
    assert inputs.paths == [str(tmp_path / "a.txt"), str(tmp_path / "alias.txt")]  # a link to a file is read
    fifo = "not a regular file: a named pipe (FIFO)"
    assert inputs.skipped == [(str(tmp_path / name), fifo) for name in ("link.txt", "pipe", "pipe.txt")]


def test_a_device_in_a_folder_is_skipped(tmp_path: Path) -> None:
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    inputs = govreport.cli.scan_inputs([str(tmp_path)])
    assert inputs.paths == [str(tmp_path / "a.txt")]
    assert inputs.skipped == [(str(tmp_path / "zero.txt"), "not a regular file: a device")]


def test_export_of_a_folder_with_a_named_pipe_finishes(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    os.mkfifo(folder / "b.txt")
    table = tmp_path / "table.csv"
    command = [sys.executable, "-m", "govreport", "export", str(folder), "-o", str(table)]
    # A hang would never end; 300 s only allows for a cold grammar build (the CLI run from the
    # checkout has a cache of its own) on a loaded machine, as test_cli.py does.
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=ENV)
    assert result.returncode == 0, result.stderr
    assert f"govreport export: skipped {folder / 'b.txt'}: not a regular file: a named pipe (FIFO)" in result.stderr
    assert [row["file"] for row in read_rows(table)] == [str(folder / "a.txt")]
    findings = read_rows(tmp_path / "table.findings.csv")
    assert [(row["file"], row["rule"], row["message"]) for row in findings] == [
        (str(folder / "b.txt"), "SKIP", "not a regular file: a named pipe (FIFO)")
    ]


def _crash_on_two(index: int, item: Any, options: dict[str, Any]) -> int:
    if item == 2:
        os.kill(os.getpid(), 9)  # as the out-of-memory killer would
    return index


def test_the_error_of_an_input_whose_worker_died() -> None:
    results = list(map_ordered(_crash_on_two, range(4), fail=govreport.batch._failed_result, jobs=1, timeout=30))
    assert results[:2] == [0, 1] and results[3] == 3
    assert results[2].error == "the worker process died reading it (ChildProcessError: killed by signal SIGKILL)"
