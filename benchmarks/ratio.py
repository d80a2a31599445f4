"""Time a subject against its floor in the same run, and print the ratio.

Every speed figure govreport quotes is a ratio: how many times slower than a *floor*
(the least any reader of the same input must do: split lines and cells, let PDFium
extract the text, let Lexbor parse the page) measured side by side, in the same
process, in interleaved rounds. A ratio survives a slower or busier machine; a
seconds figure does not.

Use::

    from ratio import Case, compare, print_table

    rows = compare([Case("floor", floor_fn), Case("parse+check", subject_fn)], rounds=7)
    print_table("text", rows, floor="floor")

Each function takes no argument and does one unit of work (one report, one page).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence

import attrs

#: CPU time of this process: a figure then does not count the time other programs on the
#: machine take the CPU away, only what the case itself costs (the issue's own figures are CPU time).
_clock = time.process_time

#: A timed batch runs at least this long, so the clock is read rarely.
MIN_BATCH_SECONDS = 0.05


@attrs.frozen
class Case:
    """One thing to time: a name and a call that does one unit of work."""

    name: str
    run: Callable[[], object]


@attrs.frozen
class Timing:
    """The median seconds per call of a case over the rounds, and the rounds themselves."""

    name: str
    seconds: float
    rounds: tuple[float, ...]


def _batch(fn: Callable[[], object]) -> int:
    """How many calls make a batch of at least ``MIN_BATCH_SECONDS`` (also warms ``fn`` up)."""
    n = 1
    while True:
        start = _clock()
        for _ in range(n):
            fn()
        elapsed = _clock() - start
        if elapsed >= MIN_BATCH_SECONDS:
            return n
        n = n * 2 if elapsed <= 0 else max(n + 1, int(n * MIN_BATCH_SECONDS * 1.2 / elapsed))


def compare(cases: Sequence[Case], rounds: int = 7) -> list[Timing]:
    """Median CPU seconds per call of each case, the cases interleaved round by round.

    Interleaving puts every case under the same machine load: a burst of other work
    slows one round of every case, not all the rounds of one.
    """
    sizes = [_batch(case.run) for case in cases]
    per_call: list[list[float]] = [[] for _ in cases]
    for _ in range(rounds):
        for i, (case, n) in enumerate(zip(cases, sizes, strict=True)):
            start = _clock()
            for _ in range(n):
                case.run()
            per_call[i].append((_clock() - start) / n)
    return [
        Timing(case.name, statistics.median(times), tuple(times)) for case, times in zip(cases, per_call, strict=True)
    ]


def print_table(title: str, timings: Sequence[Timing], floor: str, unit: str = "report") -> dict[str, float]:
    """Print each case's rate and its ratio to the floor; return the ratios by name."""
    base = next(t for t in timings if t.name == floor)
    print(f"{title}")
    print(f"  {'case':<44} {unit + 's/s':>12} {'ms/' + unit:>12} {'× floor':>9}")
    ratios = {}
    for t in timings:
        ratios[t.name] = t.seconds / base.seconds
        print(f"  {t.name:<44} {1 / t.seconds:>12,.1f} {t.seconds * 1000:>12.3f} {ratios[t.name]:>8.1f}×")
    print()
    return ratios


def pin_to_one_cpu() -> str:
    """Pin this process to one CPU where the OS allows it; say what was done."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
    except OSError as exc:
        return f"not pinned ({exc})"
    return f"pinned to CPU {cpu}"
