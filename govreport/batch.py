"""``parse_many``: many reports, in parallel, in order, in bounded memory.

Inputs are handed to worker processes in small chunks, and only a fixed number of chunks
is in flight at any time (``jobs × 4``): a generator of 100,000 paths is read as the
results are consumed, never all at once, and each result is yielded as soon as it and
every result before it are done.  One bad input never stops the batch: its result
carries the error instead of a report.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, TypeVar

from attrs import frozen

from .errors import GovreportError
from .files import parse_file
from .model import Report
from .pipeline import parse
from .readers import FileInput

T = TypeVar("T")
CHUNK = 4  # inputs per task: enough to amortise the inter-process traffic, small enough to balance
WINDOW = 4  # chunks in flight per worker


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


def parse_one(item: str | FileInput, **options: Any) -> Report:
    """Parse one input of ``parse_many``: a report text, or a file (path, bytes)."""
    if isinstance(item, str) and _is_text(item):
        return parse(item, **options)
    return parse_file(item, **options)


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
    return BatchResult(index, input_name(item, index), error=worker_died(exc))


def worker_died(exc: BaseException) -> str:
    """The error of an input whose worker process died (a crash in a C library, the memory limit)."""
    return f"the worker process died reading it ({describe(exc)})"


def parse_many(inputs: Iterable[str | FileInput], *, jobs: int | None = None, **options: Any) -> Iterator[BatchResult]:
    """Parse many reports; yield one ``BatchResult`` per input, in input order.

    Each input is a report text (a ``str`` with a line break, or blank), a path (any other
    ``str``, or a ``pathlib.Path``), or the bytes of a file.  ``jobs`` is the number of
    worker processes (default: all CPUs; 1 runs in this process).  ``options`` are those of
    ``parse``.  Memory stays bounded however many inputs there are.
    """
    yield from map_ordered(_parse_result, inputs, fail=_failed_result, jobs=jobs, options=options)


def map_ordered(
    work: Callable[[int, Any, dict[str, Any]], T],
    inputs: Iterable[Any],
    *,
    fail: Callable[[int, Any, BaseException], T],
    jobs: int | None = None,
    options: dict[str, Any] | None = None,
) -> Iterator[T]:
    """``work(index, item, options)`` for every input, in worker processes, yielded in order.

    ``work`` must be a module-level function (it is pickled to the workers) that catches
    its own errors.  If a worker dies anyway (a crash in a C library, the memory limit), the
    inputs of its chunk are retried one by one in a fresh pool; one that breaks the pool again
    is run alone, and if it kills a worker even then it gets ``fail(index, item, exception)``:
    the batch goes on, and no input is blamed for another's crash.
    """
    options = options or {}
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    numbered = enumerate(inputs)
    if jobs == 1:
        for index, item in numbered:
            yield work(index, item, options)
        return
    yield from _Windowed(work, fail, options, jobs).run(numbered)


class _Windowed:
    """A process pool with at most ``jobs × WINDOW`` chunks in flight, read in order."""

    def __init__(
        self,
        work: Callable[[int, Any, dict[str, Any]], T],
        fail: Callable[[int, Any, BaseException], T],
        options: dict[str, Any],
        jobs: int,
    ) -> None:
        self.work, self.fail, self.options, self.jobs = work, fail, options, jobs
        self.pool = ProcessPoolExecutor(max_workers=jobs)
        self.pending: deque[tuple[Future[list[Any]], list[tuple[int, Any]]]] = deque()

    def _submit(self, chunk: list[tuple[int, Any]]) -> tuple[Future[list[Any]], list[tuple[int, Any]]]:
        try:
            return self.pool.submit(_run_chunk, self.work, chunk, self.options), chunk
        except BrokenProcessPool:
            self._restart()
            return self.pool.submit(_run_chunk, self.work, chunk, self.options), chunk

    def _restart(self) -> None:
        """A worker died: start a new pool and resubmit what was in flight."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = ProcessPoolExecutor(max_workers=self.jobs)
        chunks = [chunk for _, chunk in self.pending]
        self.pending.clear()
        self.pending.extend(self._submit(chunk) for chunk in chunks)

    def _alone(self, chunk: list[tuple[int, Any]]) -> list[Any]:
        """One input whose pool broke, run again in a pool of its own: the crash may have been
        another input's, running beside it, and only a crash when alone is its own."""
        with ProcessPoolExecutor(max_workers=1) as pool:
            try:
                return pool.submit(_run_chunk, self.work, chunk, self.options).result()
            except BrokenProcessPool as again:
                return [self.fail(chunk[0][0], chunk[0][1], again)]

    def run(self, numbered: Iterator[tuple[int, Any]]) -> Iterator[Any]:
        def refill() -> None:
            while len(self.pending) < self.jobs * WINDOW:
                chunk = list(islice(numbered, CHUNK))
                if not chunk:
                    return
                self.pending.append(self._submit(chunk))

        try:
            refill()
            while self.pending:
                future, chunk = self.pending.popleft()
                try:
                    results = future.result()
                except BrokenProcessPool:
                    self._restart()
                    if len(chunk) > 1:  # find the culprit: one input per task
                        self.pending.extendleft(reversed([self._submit([pair]) for pair in chunk]))
                        continue
                    results = self._alone(chunk)
                yield from results
                refill()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _run_chunk(
    work: Callable[[int, Any, dict[str, Any]], T], chunk: list[tuple[int, Any]], options: dict[str, Any]
) -> list[T]:
    return [work(index, item, options) for index, item in chunk]


def default_jobs() -> int:
    """All the CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
