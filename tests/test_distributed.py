"""``parse_many(executor=...)`` and ``export --scheduler`` on a real Dask ``LocalCluster``
(two worker processes of one thread): the same results as one process, in input order,
a bounded window, a lost task retried once and then blamed, the time limit, clear errors."""

from __future__ import annotations

import itertools
import os
import socket
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import cloudpickle
import dask
import pytest
from conftest import DATA
from distributed import Client, LocalCluster

import govreport
import govreport.cli
import govreport.executors
from govreport.batch import _failed_result, map_ordered
from govreport.executors import AHEAD, ExecutorError

# The work functions below run on the cluster's workers, which cannot import this test module.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

SEED = DATA / "seeds/000_bfa6ed85e05c204a.txt"
CORPUS = [
    *sorted((DATA / "seeds").glob("*.txt")),
    *sorted((DATA / "corpus").iterdir()),
    *sorted((DATA / "web").glob("*.txt"))[:6],
    DATA / "external/hzq2024.txt",
    DATA / "external/szfgs2024.pdf",
]


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    # One retry by the scheduler for a task whose worker died, then KilledWorker: "retried once, then blamed".
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local,
    ):
        yield local


@pytest.fixture(scope="module")
def client(cluster: LocalCluster) -> Iterator[Client]:
    with Client(cluster, set_as_default=False) as connected:
        yield connected


@pytest.fixture(scope="module")
def executor(client: Client) -> Executor:
    return client.get_executor()


def _inputs() -> list[Any]:
    """The corpus, then a missing file and a text that is no report: each has its result."""
    return [*[str(path) for path in CORPUS], str(DATA / "no-such-report.txt"), "这不是一份年度报告。\n"]


def test_a_cluster_gives_what_one_process_gives(executor: Executor) -> None:
    single = list(govreport.parse_many(_inputs(), jobs=1, timeout=None))
    spread = list(govreport.parse_many(_inputs(), executor=executor))
    assert [r.index for r in spread] == list(range(len(_inputs())))
    assert spread == single
    assert [r.ok for r in spread[-2:]] == [False, False]
    assert spread[-2].error is not None and spread[-2].error.startswith("UnreadableFileError")
    assert spread[-1].error is not None and spread[-1].error.startswith("NotAReportError")


def test_a_process_pool_is_an_executor_too() -> None:
    inputs = _inputs()[:6]
    with ProcessPoolExecutor(2) as pool:
        assert list(govreport.parse_many(inputs, executor=pool)) == list(
            govreport.parse_many(inputs, jobs=1, timeout=None)
        )


def test_only_a_window_of_inputs_is_read_ahead(executor: Executor) -> None:
    pulled = itertools.count()

    def endless() -> Iterator[str]:
        while True:
            next(pulled)
            yield str(SEED)

    results = govreport.parse_many(endless(), executor=executor, jobs=2)
    first = list(itertools.islice(results, 3))
    results.close()  # cancels what is in flight
    assert [r.index for r in first] == [0, 1, 2] and all(r.ok for r in first)
    assert next(pulled) <= 3 + AHEAD * 2  # never the whole stream: flat memory


def _die_on_two(index: int, item: Any, options: dict[str, Any]) -> tuple[int, str]:
    if item == 2:
        os._exit(1)  # as a crash in a C library, or the out-of-memory killer
    return index, "ok"


def test_a_worker_that_dies_is_retried_once_then_its_input_is_blamed(executor: Executor) -> None:
    results = list(map_ordered(_die_on_two, range(5), fail=_failed_result, executor=executor, jobs=2))
    assert results[:2] == [(0, "ok"), (1, "ok")] and results[3:] == [(3, "ok"), (4, "ok")]
    error = results[2].error
    assert error.startswith("the worker process died reading it (WorkerLostError: KilledWorker: Attempted to run task")
    assert "on 2 different workers, but all those workers died while running it" in error  # run twice, then blamed


class _Flaky(Executor):
    """Runs tasks in this process; the task of ``lose`` is lost (a dropped connection) ``times`` times."""

    def __init__(self, lose: int, times: int) -> None:
        self.lose, self.times, self.submitted = lose, times, 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        if args[2] == self.lose:  # _attempt(work, index, item, options, (run, attempt))
            self.submitted += 1
            if self.submitted <= self.times:
                future.set_exception(ConnectionResetError("the connection to the worker was reset"))
                return future
        future.set_result(fn(*args, **kwargs))
        return future


def _ok(index: int, item: Any, options: dict[str, Any]) -> tuple[int, str]:
    return index, "ok"


def test_a_lost_task_is_submitted_once_more() -> None:
    flaky = _Flaky(lose=1, times=1)
    assert list(map_ordered(_ok, range(3), fail=_failed_result, executor=flaky, jobs=2)) == [
        (0, "ok"),
        (1, "ok"),
        (2, "ok"),
    ]
    assert flaky.submitted == 2


def test_a_task_lost_twice_is_blamed_and_the_run_goes_on() -> None:
    flaky = _Flaky(lose=1, times=5)
    results = list(map_ordered(_ok, range(3), fail=_failed_result, executor=flaky, jobs=2))
    assert flaky.submitted == 2  # once more, not more
    assert results[0] == (0, "ok") and results[2] == (2, "ok")
    assert results[1].error == (
        "the worker process died reading it (WorkerLostError: lost twice on the executor, the second time: "
        "ConnectionResetError: the connection to the worker was reset)"
    )


def _slow_first(index: int, item: Any, options: dict[str, Any]) -> int:
    if index == 0:
        time.sleep(0.5)  # the window fills behind it
    return index


def test_a_slow_first_input_holds_the_window_and_the_run_then_goes_on() -> None:
    with ThreadPoolExecutor(2) as pool:
        assert list(map_ordered(_slow_first, range(30), fail=_failed_result, executor=pool, jobs=2)) == list(range(30))


def _nothing(index: int, item: Any, options: dict[str, Any]) -> None:
    return None


def test_a_result_of_none_is_a_result() -> None:
    with ThreadPoolExecutor(2) as pool:
        assert list(map_ordered(_nothing, range(3), fail=_failed_result, executor=pool)) == [None, None, None]


def _sleep_on_slow(index: int, item: Any, options: dict[str, Any]) -> tuple[int, str]:
    if item == "slow":
        time.sleep(60)
    return index, "ok"


def test_an_input_over_the_time_limit_is_reported_and_the_run_goes_on(client: Client, executor: Executor) -> None:
    start = time.monotonic()
    items = ["a", "b", "c", "slow"]
    results = list(map_ordered(_sleep_on_slow, items, fail=_failed_result, executor=executor, timeout=4))
    assert time.monotonic() - start < 30  # not the 60 s of the slow input
    assert results[:3] == [(0, "ok"), (1, "ok"), (2, "ok")]
    assert results[3].error == (
        "TimeLimitError: took longer than 4 s to read (the time limit per file); its result was dropped "
        "(an executor cannot stop a task) (to allow more time: parse_many(..., timeout=SECONDS))"
    )
    client.restart()  # the worker still runs it (a task cannot be stopped): a new one for the next tests


def _raise(index: int, item: Any, options: dict[str, Any]) -> None:
    raise KeyError(item)


def test_a_bug_in_the_work_is_raised_here_as_with_the_built_in_pool(executor: Executor) -> None:
    with pytest.raises(KeyError):
        list(map_ordered(_raise, ["x"], fail=_failed_result, executor=executor))


def test_a_broken_pool_stops_the_run_with_a_clear_error() -> None:
    with ProcessPoolExecutor(1) as pool, pytest.raises(ExecutorError, match="BrokenProcessPool"):
        list(map_ordered(_die_on_two, range(5), fail=_failed_result, executor=pool, jobs=1))


# ----------------------------------------------------------------- export --scheduler


def test_export_on_the_cluster_writes_the_same_tables(cluster: LocalCluster, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in CORPUS[:8]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 nothing more")
    here = govreport.cli.main(["export", str(folder), "-o", str(tmp_path / "one.csv"), "--jobs", "1", "-q"])
    there = govreport.cli.main(
        ["export", str(folder), "-o", str(tmp_path / "two.csv"), "--scheduler", cluster.scheduler_address, "-q"]
    )
    assert here == there == 1  # broken.pdf is unreadable
    for suffix in (".csv", ".findings.csv", ".unchecked.csv"):
        one, two = (tmp_path / f"{stem}{suffix}" for stem in ("one", "two"))
        assert two.read_bytes() == one.read_bytes()
    assert "broken.pdf" in (tmp_path / "two.csv").read_text(encoding="utf-8-sig")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_scheduler_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(govreport.executors, "CONNECT_TIMEOUT", 1.0)
    address = f"tcp://127.0.0.1:{_closed_port()}"
    output = tmp_path / "t.csv"
    assert govreport.cli.main(["export", str(SEED), "-o", str(output), "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"govreport: --scheduler {address}: no Dask scheduler answered within 1 s")
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing written before the connection
    assert govreport.cli.main(["export", str(SEED), "-o", str(output), "--scheduler", "localhost"]) == 2
    assert "not the address of a Dask scheduler" in capsys.readouterr().err


def test_without_distributed_the_option_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    status = govreport.cli.main(["export", str(SEED), "-o", str(tmp_path / "t.csv"), "--scheduler", "tcp://h:8786"])
    assert status == 2
    assert "pip install 'govreport[dask]'" in capsys.readouterr().err


# ----------------------------------------------------------------- URLs through fsspec


def test_a_url_is_read_through_fsspec() -> None:
    url = SEED.resolve().as_uri()  # file:///.../000_bfa6ed85e05c204a.txt
    by_url, missing = govreport.parse_many([url, url + ".missing"], jobs=1, timeout=None)
    (by_path,) = govreport.parse_many([SEED], jobs=1, timeout=None)
    assert by_url.report is not None and by_path.report is not None
    assert by_url.report.source.name == url
    assert by_url.report.tables == by_path.report.tables
    assert missing.error == (
        f"UnreadableFileError: FileNotFoundError: [Errno 2] No such file or directory: '{SEED.resolve()}.missing'"
    )
