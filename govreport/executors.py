"""Work on any ``concurrent.futures.Executor`` (a Dask cluster, a process pool), results in input order.

``parse_many(..., executor=...)`` and ``govreport export --scheduler`` use it to read a
corpus on many machines: the built-in pool of ``batch.py`` is one machine's, an executor
(Dask distributed's ``Client.get_executor()``) is a cluster's.  The guarantees stay those
of the built-in pool, as far as an executor lets them be kept:

* Memory stays flat: only ``jobs`` inputs are submitted at a time (a window, refilled as
  results come back), and at most ``AHEAD × jobs`` finished results wait for an earlier one.
  300,000 paths are never 300,000 futures.
* Results come in input order, each with its index and name, as soon as it and every
  result before it are done.
* One bad input never stops the run: ``work`` catches its own errors.  An input whose task
  is lost (its worker died, the connection dropped, a broken pool) is submitted once more,
  then blamed: ``fail(index, item, WorkerLostError)``.  A Dask scheduler already runs a
  task whose worker died on another worker, ``distributed.scheduler.allowed-failures``
  times, before it gives up with ``KilledWorker``; that answer is final here (submitting
  it again would kill as many workers again).
* The time limit per input counts from the task's submission, and only ``jobs`` tasks are
  in flight, so a task starts as soon as it is submitted.  An input over the limit gets
  ``fail(index, item, TimeLimitError)`` and its task is cancelled; but an executor cannot
  stop a task that is running (a Dask worker runs it in a thread), so its worker stays busy
  until the task ends.  The built-in pool kills the process instead.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, Executor, Future, wait
from contextlib import contextmanager
from typing import Any, TypeVar

from .errors import GovreportError, UsageError
from .readers.extras import require

T = TypeVar("T")
AHEAD = 4  # finished results that may wait for an earlier one, per job: a slow input holds back this many


class TimeLimitError(TimeoutError):
    """An input took longer than the time limit per file; its worker was stopped (or, on an
    executor, which cannot stop a running task, its result was dropped)."""

    def __init__(self, seconds: float, stopped: bool = True) -> None:
        what = "its worker was stopped" if stopped else "its result was dropped (an executor cannot stop a task)"
        super().__init__(f"took longer than {seconds:g} s to read (the time limit per file); {what}")
        self.seconds = seconds
        self.stopped = stopped


class WorkerLostError(ChildProcessError):
    """The task of an input was lost on the executor twice: its worker died, the connection to
    the cluster dropped, or the pool broke."""


class ExecutorError(GovreportError):
    """The executor cannot run govreport's work at all (govreport is not installed on its
    workers, the pool is shut down or broken): no input can be read there."""


class _Raised:
    """An exception that escaped ``work`` in a worker: raised again here, as a pool would."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


_AGAIN = object()  # _outcome: submit the task once more


class _Lost:
    """_outcome: the task is lost for good, and why (apart from a result that is an exception)."""

    def __init__(self, exc: WorkerLostError) -> None:
        self.exc = exc


def _attempt(
    work: Callable[[int, Any, dict[str, Any]], Any], index: int, item: Any, options: dict[str, Any], _: tuple[str, int]
) -> Any:
    """The task run on a worker.  The last argument (the run and the attempt) makes each
    submission a task of its own: Dask names a task by its arguments, and would otherwise
    give a second run over an unchanged path the first run's result, or a retry the failure."""
    try:
        return work(index, item, options)
    except Exception as exc:
        return _Raised(exc)


def _prepare(prepare: Callable[[], None], _: tuple[str, int]) -> None:
    prepare()


def executor_jobs(executor: Executor) -> int:
    """How many tasks the executor runs at once: a Dask cluster's threads, a pool's workers
    (1 when it cannot say: pass ``jobs=`` then)."""
    client = getattr(executor, "_client", None)  # distributed.cfexecutor.ClientExecutor
    if client is not None and hasattr(client, "nthreads"):
        threads: int = sum(client.nthreads().values())
        return max(1, threads)
    workers = getattr(executor, "_max_workers", None)  # ProcessPoolExecutor, ThreadPoolExecutor
    return workers if isinstance(workers, int) and workers > 0 else 1


def map_executor(
    work: Callable[[int, Any, dict[str, Any]], T],
    numbered: Iterator[tuple[int, Any]],
    *,
    fail: Callable[[int, Any, BaseException], T],
    executor: Executor,
    jobs: int | None = None,
    timeout: float | None = None,
    options: dict[str, Any] | None = None,
    prepare: Callable[[], None] | None = None,
) -> Iterator[T]:
    """``work(index, item, options)`` for every ``(index, item)`` on ``executor``, yielded in order.

    ``work`` and the items must be picklable (a Dask worker must be able to import ``work``'s
    module: govreport installed on every worker).  ``prepare()``, if given, is run ``jobs``
    times on the executor before the inputs (``parse_many`` builds the parsers there), so
    that no input's time limit pays for it.
    """
    jobs = executor_jobs(executor) if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    options = options or {}
    run = uuid.uuid4().hex
    if prepare is not None:
        _warm(executor, prepare, jobs, run)
    flight: dict[Future[Any], tuple[int, Any, int, float]] = {}  # future -> index, item, attempt, deadline
    again: deque[tuple[int, Any]] = deque()  # lost once: submitted again before any new input
    done: dict[int, T] = {}
    following = read = 0
    finished = False

    def submit(index: int, item: Any, attempt: int) -> None:
        try:
            future = executor.submit(_attempt, work, index, item, options, (run, attempt))
        except Exception as exc:  # shut down, or a broken pool: nothing more can run there
            raise ExecutorError(f"the executor takes no more work: {type(exc).__name__}: {exc}") from exc
        deadline = time.monotonic() + timeout if timeout is not None else float("inf")
        flight[future] = (index, item, attempt, deadline)

    try:
        while True:
            while following in done:  # first, so that the window below counts from the next result
                yield done.pop(following)
                following += 1
            while len(flight) < jobs and again:
                submit(*again.popleft(), 2)
            while len(flight) < jobs and not finished and read - following < AHEAD * jobs:
                pair = next(numbered, None)
                if pair is None:
                    finished = True
                else:
                    submit(*pair, 1)
                    read += 1
            if finished and following == read:
                return
            if not flight:
                waiting = sorted(done)[:5]
                raise RuntimeError(
                    f"map_executor: no task in flight, yet result {following} is missing ({read} read, {waiting} done)"
                )
            soonest = min(deadline for *_, deadline in flight.values())
            wait(list(flight), timeout=max(0.0, soonest - time.monotonic()) if timeout is not None else None,
                 return_when=FIRST_COMPLETED)  # fmt: skip
            now = time.monotonic()
            for future in list(flight):
                index, item, attempt, deadline = flight[future]
                if future.done():
                    del flight[future]
                    outcome = _outcome(future, attempt)
                    if outcome is _AGAIN:
                        again.append((index, item))
                    elif isinstance(outcome, _Lost):
                        done[index] = fail(index, item, outcome.exc)
                    else:
                        done[index] = outcome
                elif now >= deadline:
                    del flight[future]
                    future.cancel()
                    done[index] = fail(index, item, TimeLimitError(timeout or 0.0, stopped=False))
    finally:
        for future in flight:
            future.cancel()


def _outcome(future: Future[Any], attempt: int) -> Any:
    """The result of a finished task; ``_Lost`` once it is lost for good; ``_AGAIN`` to submit
    it again."""
    try:
        result = future.result()
    except (Exception, CancelledError) as exc:  # the task was lost, not failed: ``work`` catches its errors
        if attempt == 1 and not _final(exc):
            return _AGAIN
        reason = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        twice = f"lost twice on the executor, the second time: {reason}"
        return _Lost(WorkerLostError(reason if attempt == 1 else twice))
    if isinstance(result, _Raised):
        raise result.exc
    return result


def _final(exc: BaseException) -> bool:
    """Whether a lost task was retried already: Dask's ``KilledWorker`` comes after the
    scheduler's own retries."""
    distributed = sys.modules.get("distributed")
    return distributed is not None and isinstance(exc, distributed.KilledWorker)


def _warm(executor: Executor, prepare: Callable[[], None], jobs: int, run: str) -> None:
    try:
        futures = [executor.submit(_prepare, prepare, (run, n)) for n in range(jobs)]
        for future in futures:
            future.result()
    except Exception as exc:
        raise ExecutorError(
            f"the executor could not run govreport: {type(exc).__name__}: {exc} "
            "(is the same govreport installed on every worker?)"
        ) from exc


CONNECT_TIMEOUT = 10.0  # seconds to reach a Dask scheduler before giving up (govreport --scheduler)


@contextmanager
def dask_executor(address: str, connect_timeout: float | None = None) -> Iterator[Executor]:
    """The executor of a running Dask scheduler (``tcp://host:8786``), closed on leaving.

    ``UsageError`` when the address is not one, or no scheduler answers there within
    ``connect_timeout`` seconds (default ``CONNECT_TIMEOUT``); ``MissingExtraError`` without
    ``pip install 'govreport[dask]'``.
    """
    distributed = require("distributed", "--scheduler (a Dask cluster)", "dask")
    seconds = CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
    try:
        distributed.comm.get_address_host_port(address)
    except (ValueError, TypeError) as exc:
        raise UsageError(
            f"--scheduler {address}: not the address of a Dask scheduler ({exc}): use tcp://HOST:PORT"
        ) from None
    try:
        client = distributed.Client(address, timeout=seconds, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise UsageError(
            f"--scheduler {address}: no Dask scheduler answered within {seconds:g} s ({type(exc).__name__}: {exc}); "
            "start one with: dask scheduler  (and its workers: dask worker tcp://HOST:8786)"
        ) from None
    try:
        yield client.get_executor()
    finally:
        client.close()
