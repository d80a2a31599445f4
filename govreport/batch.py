"""``parse_many``: many reports, in parallel, in order, in bounded memory, a time limit on each.

Inputs are handed to worker processes a few at a time, and only a fixed number of inputs
is read ahead of the next result (``jobs × WINDOW × CHUNK``): a generator of 100,000 paths
is read as the results are consumed, never all at once, and each result is yielded as soon
as it and every result before it are done.  One bad input never stops the batch: its result
carries the error instead of a report.  Each worker has a pipe of its own, so the parent
always knows which input a worker is reading and since when: an input that takes longer
than the time limit, or whose worker dies, fails alone, and its worker is replaced (a thread
cannot be stopped; a process can).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from itertools import islice
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from attrs import frozen

from .errors import GovreportError, UnreadableFileError
from .executors import TimeLimitError, map_executor
from .files import parse_file
from .model import Report
from .pipeline import parse
from .readers import MAX_FILE_BYTES, FileInput
from .readers.extras import require
from .registry import build_parsers

T = TypeVar("T")
CHUNK = 4  # inputs per message to a worker: enough to amortise the traffic, small enough to balance
WINDOW = 4  # chunks read ahead per worker
TIMEOUT = 60.0  # seconds one input may take (parse_many(timeout=...), govreport --timeout): a report takes < 2 s


@frozen
class BatchResult:
    """The outcome for one input of ``parse_many``: a report, or the reason there is none."""

    index: int  # position in the input sequence
    name: str  # the path, or "<text 3>" / "<bytes 3>" for inputs given in memory
    report: Report | None = None
    error: str | None = None  # "UnreadableFileError: a.pdf: cannot read the PDF: ..."

    @property
    def ok(self) -> bool:
        return self.report is not None


def input_name(item: object, index: int) -> str:
    if isinstance(item, str):
        return f"<text {index}>" if _is_text(item) else item
    if isinstance(item, (bytes, bytearray, memoryview)):
        return f"<bytes {index}>"
    if isinstance(item, os.PathLike):
        return str(os.fspath(item))
    return f"<input {index}>"


def _is_text(item: str) -> bool:
    """A ``str`` is report text when it has a line break (every report has) or is blank; else a path."""
    return "\n" in item or not item.strip() or len(item) > 4096


URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")  # s3://bucket/a.pdf, gs://..., https://..., file:///...


def parse_one(item: str | FileInput, **options: Any) -> Report:
    """Parse one input of ``parse_many``: a report text, a file (path, bytes), or a URL
    (``s3://bucket/a.pdf``: read with fsspec, ``pip install 'govreport[fsspec]'`` and the
    file system's package, such as ``s3fs``)."""
    if isinstance(item, str) and _is_text(item):
        return parse(item, **options)
    if isinstance(item, str) and URL.match(item):
        return parse_file(_open_url(item, options.get("max_bytes", MAX_FILE_BYTES)), **options)
    return parse_file(item, **options)


def _open_url(url: str, max_bytes: int) -> io.BytesIO:
    """The bytes at a URL (at most one more than ``max_bytes``: ``parse_file`` refuses a larger
    file), in a file object named after the URL, so that the report's source names it."""
    fsspec = require("fsspec", f"reading {url}", "fsspec")
    try:
        with fsspec.open(url, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except (OSError, ValueError) as exc:  # not found, no permission, an unknown protocol
        raise UnreadableFileError(url, f"{type(exc).__name__}: {exc}") from exc
    except ImportError as exc:  # the protocol's package (s3fs, gcsfs) is missing
        raise UnreadableFileError(url, f"{exc} (pip install it on every worker)") from exc
    buffer = io.BytesIO(data)
    buffer.name = url
    return buffer


def describe(exc: BaseException, name: str = "") -> str:
    """An error as one line: its type and message, without the file name the caller shows anyway."""
    kind = type(exc).__name__
    if not isinstance(exc, (GovreportError, OSError, TypeError, ValueError)):
        kind = f"internal error ({kind}); please report it"
    message = str(exc)
    if name and message.startswith(f"{name}: "):
        message = message[len(name) + 2 :]
    return f"{kind}: {message}".replace("\n", " ")


def _parse_result(index: int, item: Any, options: dict[str, Any]) -> BatchResult:
    name = input_name(item, index)
    try:
        return BatchResult(index, name, report=parse_one(item, **options))
    except Exception as exc:  # one bad input must not stop the batch; the reason is kept
        return BatchResult(index, name, error=describe(exc, name))


def _failed_result(index: int, item: Any, exc: BaseException) -> BatchResult:
    return BatchResult(index, input_name(item, index), error=worker_died(exc, "parse_many(..., timeout=SECONDS)"))


def worker_died(exc: BaseException, raise_limit: str) -> str:
    """The error of an input whose worker process was stopped at the time limit, or died
    (a crash in a C library, the memory limit); ``raise_limit`` says how to allow more time."""
    if isinstance(exc, TimeLimitError):
        return f"TimeLimitError: {exc} (to allow more time: {raise_limit})"
    return f"the worker process died reading it ({describe(exc)})"


def check_timeout(timeout: float | None) -> float | None:
    """``timeout`` as seconds, or None for no limit; a clear ``ValueError`` for anything else."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"timeout must be a number of seconds above 0, or None for no limit, not {timeout!r}")
    return float(timeout)


def parse_many(
    inputs: Iterable[str | FileInput],
    *,
    jobs: int | None = None,
    timeout: float | None = TIMEOUT,
    executor: Executor | None = None,
    **options: Any,
) -> Iterator[BatchResult]:
    """Parse many reports; yield one ``BatchResult`` per input, in input order.

    Each input is a report text (a ``str`` with a line break, or blank), a path (any other
    ``str``, or a ``pathlib.Path``), a URL (``s3://bucket/a.pdf``, through fsspec), or the
    bytes of a file.  ``jobs`` is the number of worker processes (default: all CPUs).
    ``timeout`` is the time limit per input, in seconds (default ``TIMEOUT``, 60): an input
    that takes longer gets a ``TimeLimitError`` result and the batch goes on.
    ``timeout=None`` lifts the limit (and with ``jobs=1`` parses in this process).
    ``options`` are those of ``parse``.  Memory stays bounded however many inputs there are.

    ``executor``, any ``concurrent.futures.Executor`` (a Dask cluster's
    ``Client.get_executor()``), does the work instead of the built-in worker processes;
    ``jobs`` is then the number of inputs in flight on it (default: its workers' threads).
    ``govreport.executors`` says how its guarantees differ (a task over the time limit is
    reported, but cannot be stopped).
    """
    yield from map_ordered(
        _parse_result,
        inputs,
        fail=_failed_result,
        jobs=jobs,
        timeout=timeout,
        options=options,
        prepare=build_parsers,
        executor=executor,
    )


def map_ordered(
    work: Callable[[int, Any, dict[str, Any]], T],
    inputs: Iterable[Any],
    *,
    fail: Callable[[int, Any, BaseException], T],
    jobs: int | None = None,
    timeout: float | None = None,
    options: dict[str, Any] | None = None,
    prepare: Callable[[], None] | None = None,
    executor: Executor | None = None,
) -> Iterator[T]:
    """``work(index, item, options)`` for every input, in worker processes, yielded in order.

    ``work`` must be a module-level function (it is pickled to the workers) that catches
    its own errors.  An input whose ``work`` runs longer than ``timeout`` seconds gets
    ``fail(index, item, TimeLimitError)``: its worker is killed and replaced.  If a worker
    dies anyway (a crash in a C library, the memory limit), the input it was reading gets
    ``fail(index, item, exception)`` and the others it held go to a new worker: the batch
    goes on, and no input is blamed for another's crash.  ``prepare()``, if given, runs here
    before the workers start (and share what it built): ``parse_many`` builds the parsers
    there, so that a cold grammar build is never counted against the first input's time.  With ``jobs=1`` and no
    ``timeout``, the work is done in this process.  With an ``executor``, the work is done
    there instead (``executors.map_executor``), ``jobs`` inputs at a time.
    """
    options = options or {}
    if executor is not None:
        yield from map_executor(
            work,
            enumerate(inputs),
            fail=fail,
            executor=executor,
            jobs=jobs,
            timeout=check_timeout(timeout),
            options=options,
            prepare=prepare,
        )
        return
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    timeout = check_timeout(timeout)
    numbered = enumerate(inputs)
    if jobs == 1 and timeout is None:
        for index, item in numbered:
            yield work(index, item, options)
        return
    if prepare is not None:
        prepare()
    yield from _Workers(work, fail, options, jobs, timeout).run(numbered)


class _Raised:
    """An exception that escaped ``work`` in a worker, sent back to be raised in the parent."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def _serve(
    conn: Connection, others: list[Connection], work: Callable[[int, Any, dict[str, Any]], Any], options: dict[str, Any]
) -> None:
    """A worker: read a chunk of inputs, send back each result as it is done; None ends it.

    It ends too when the parent is gone (killed): ``others`` are the parent's ends of the
    pipes, inherited in a fork and closed here so that a dead parent's pipes read as closed.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    for other in others:
        other.close()
    parent = os.getppid()
    try:
        while True:
            while not conn.poll(1.0):
                if os.getppid() != parent:
                    return
            chunk = conn.recv()
            if chunk is None:
                return
            for index, item in chunk:
                try:
                    result: Any = work(index, item, options)
                except Exception as exc:  # a bug in ``work``: raised again in the parent, as a pool would
                    result = _Raised(exc)
                conn.send(result)
    except (EOFError, BrokenPipeError):  # the parent is gone
        return


class _Worker:
    """One worker process, its pipe, the inputs it holds (the first is being read) and since when."""

    def __init__(
        self, work: Callable[[int, Any, dict[str, Any]], Any], options: dict[str, Any], others: list[Connection]
    ) -> None:
        here, there = multiprocessing.Pipe()
        arguments = (there, [here, *others], work, options)
        self.process = multiprocessing.Process(target=_serve, args=arguments, daemon=True)
        self.process.start()
        there.close()
        self.conn = here
        self.held: deque[tuple[int, Any]] = deque()
        self.since = 0.0  # time.monotonic() when the first input held started

    def give(self, chunk: list[tuple[int, Any]]) -> None:
        """Only an idle worker is given a chunk: it is waiting to read, so the send never blocks."""
        self.held.extend(chunk)
        self.since = time.monotonic()
        try:
            self.conn.send(chunk)
        except OSError:  # it died: found by ``run`` through its sentinel
            pass

    def stop(self, kill: bool) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(timeout=None if kill else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()
        self.process.close()


def _death(worker: _Worker) -> ChildProcessError:
    """How a worker process ended: ``killed by signal SIGKILL``, ``exit code 1``."""
    worker.process.join(timeout=5)
    code = worker.process.exitcode
    if code is not None and code < 0:
        try:
            return ChildProcessError(f"killed by signal {signal.Signals(-code).name}")
        except ValueError:
            pass
    return ChildProcessError(f"exit code {code}")


class _Workers(Generic[T]):
    """``jobs`` worker processes fed in input order; results yielded in order, time-limited."""

    def __init__(
        self,
        work: Callable[[int, Any, dict[str, Any]], T],
        fail: Callable[[int, Any, BaseException], T],
        options: dict[str, Any],
        jobs: int,
        timeout: float | None,
    ) -> None:
        self.work, self.fail, self.options, self.jobs, self.timeout = work, fail, options, jobs, timeout
        self.workers: list[_Worker] = []
        self.waiting: deque[tuple[int, Any]] = deque()  # read, not yet given to a worker
        self.done: dict[int, T] = {}  # results waiting for an earlier one

    def _retire(self, worker: _Worker, exc: BaseException) -> None:
        """A worker died or was stopped: its input fails, the inputs behind it wait for another."""
        worker.stop(kill=True)
        self.workers.remove(worker)
        if worker.held:
            index, item = worker.held.popleft()
            self.done[index] = self.fail(index, item, exc)
            self.waiting.extendleft(reversed(worker.held))

    def _receive(self, worker: _Worker) -> None:
        """Every result the worker has sent; its death if its pipe is closed."""
        raised: _Raised | None = None
        try:
            while worker.held and worker.conn.poll():
                result = worker.conn.recv()
                index, _ = worker.held.popleft()
                worker.since = time.monotonic()  # the next input started (at the latest) now
                if isinstance(result, _Raised):
                    raised = result
                    break
                self.done[index] = result
        except (EOFError, OSError):
            self._retire(worker, _death(worker))
            return
        if raised is not None:
            raise raised.exc
        if not worker.process.is_alive() and not worker.conn.poll():
            self._retire(worker, _death(worker))

    def run(self, numbered: Iterator[tuple[int, Any]]) -> Iterator[T]:
        ahead = self.jobs * WINDOW * CHUNK
        following = 0  # the index of the next result to yield
        read = 0
        finished = False
        try:
            while True:
                while not finished and read - following < ahead:
                    chunk = list(islice(numbered, min(CHUNK, ahead - (read - following))))
                    self.waiting.extend(chunk)
                    read += len(chunk)
                    finished = not chunk
                while following in self.done:
                    yield self.done.pop(following)
                    following += 1
                if finished and following == read:
                    return
                if not finished and read - following < ahead:
                    continue
                self._feed()
                busy = [w for w in self.workers if w.held]
                if not busy:  # every input read is in ``done`` or ``waiting``, and ``_feed`` gave out ``waiting``
                    raise RuntimeError("parse_many: no worker holds an input, yet results are missing")
                ready = wait(
                    [w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=self._until_deadline(busy)
                )
                for worker in busy:
                    if worker.conn in ready or worker.process.sentinel in ready:
                        self._receive(worker)
                self._stop_overdue()
        finally:
            errors = bool(self.waiting) or any(w.held for w in self.workers)
            for worker in self.workers:
                worker.stop(kill=errors or bool(worker.held))
            self.workers.clear()

    def _feed(self) -> None:
        """Give each idle worker the next chunk of inputs, starting workers up to ``jobs``.

        A chunk is smaller when few inputs wait, so that a short batch still uses every worker.
        """
        size = max(1, min(CHUNK, len(self.waiting) // self.jobs))
        while self.waiting:
            worker = next((w for w in self.workers if not w.held), None)
            if worker is None:
                if len(self.workers) == self.jobs:
                    return
                worker = _Worker(self.work, self.options, [w.conn for w in self.workers])
                self.workers.append(worker)
            worker.give([self.waiting.popleft() for _ in range(min(size, len(self.waiting)))])

    def _until_deadline(self, busy: list[_Worker]) -> float | None:
        if self.timeout is None or not busy:
            return None
        return max(0.0, min(w.since for w in busy) + self.timeout - time.monotonic())

    def _stop_overdue(self) -> None:
        if self.timeout is None:
            return
        now = time.monotonic()
        for worker in [w for w in self.workers if w.held and now - w.since > self.timeout]:
            self._receive(worker)  # it may have finished just now
            if worker in self.workers and worker.held and now - worker.since > self.timeout:
                self._retire(worker, TimeLimitError(self.timeout))


def default_jobs() -> int:
    """All the CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
