"""How fast ``govreport.parse`` reads one report, next to a line/cell split floor.

Run from anywhere::

    python benchmarks/parse_speed.py [--file PATH] [--seconds N] [--repeat K]

By default the input is seed report 000 (``tests/data/seeds/000_bfa6ed85e05c204a.txt``,
resolved relative to this file).  Everything runs in this one thread; on Linux the
process is also pinned to a single CPU so the figures are per core.

Three measurements are taken with the same loop (``time.perf_counter``; calls are
timed in batches long enough that the clock's own cost does not count; each
measurement runs for ``--seconds`` and the best of ``--repeat`` runs is kept):

``baseline: split into lines and cells``
    ``text.splitlines()``, then each line split on ``"\\t"`` and each piece on
    ``"|"``.  This is a *floor*, not a competitor: any parser of these reports
    has at least to find the lines and the cells of the tables, and this does
    nothing else (no normalisation, no grammar, no numbers, no diagnostics), in
    C-implemented ``str`` methods.  The ratio to it says how much the rest of the
    pipeline costs, not how good a rival would be.

``govreport.parse``
    The whole pipeline on the text: normalisation with the offset map, the Lark
    LALR grammar, sections and metadata, table layout, cells and diagnostics.
    The first call builds and caches the grammar; that call is timed on its own
    and left out of the loop (it also warms ``govreport``'s per-character cache,
    so the loop measures the steady state of a long-running process).

``govreport.parse + flatten + to_json``
    As above, then ``govreport.flatten(report)`` and ``govreport.to_json(report)``:
    what a batch conversion to a flat table and to JSON costs per report.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ratio import pin_to_one_cpu

import govreport

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "tests" / "data" / "seeds" / "000_bfa6ed85e05c204a.txt"
#: A timed batch runs at least this long, so the clock is read rarely.
MIN_BATCH_SECONDS = 0.02


def split_lines_and_cells(text: str) -> None:
    """The floor: lines, then cells on tabs, then cells on ``|``."""
    for line in text.splitlines():
        for cell in line.split("\t"):
            cell.split("|")


def parse_only(text: str) -> None:
    govreport.parse(text)


def parse_flatten_json(text: str) -> None:
    report = govreport.parse(text)
    govreport.flatten(report)
    govreport.to_json(report)


def batch_size(fn: Callable[[str], None], text: str) -> int:
    """How many calls make a batch of at least ``MIN_BATCH_SECONDS`` (also warms ``fn`` up)."""
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn(text)
        elapsed = time.perf_counter() - start
        if elapsed >= MIN_BATCH_SECONDS:
            return n
        n = n * 2 if elapsed <= 0 else max(n + 1, int(n * MIN_BATCH_SECONDS * 1.2 / elapsed))


def measure(fn: Callable[[str], None], text: str, seconds: float, repeat: int) -> float:
    """Best calls per second over ``repeat`` runs of about ``seconds`` each."""
    n = batch_size(fn, text)
    best = 0.0
    for _ in range(repeat):
        calls = 0
        start = time.perf_counter()
        deadline = start + seconds
        now = start
        while now < deadline:
            for _ in range(n):
                fn(text)
            calls += n
            now = time.perf_counter()
        best = max(best, calls / (now - start))
    return best


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE, help="report text to parse (default: seed 000)")
    ap.add_argument("--seconds", type=float, default=3.0, help="time budget per measurement run (default: 3)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is reported (default: 3)")
    args = ap.parse_args(argv)
    if args.seconds <= 0 or args.repeat < 1:
        ap.error("--seconds must be > 0 and --repeat >= 1")

    text = args.file.read_text(encoding="utf-8")
    pinned = pin_to_one_cpu()

    # The first call builds the grammar (Lark LALR tables) and caches it for the process.
    start = time.perf_counter()
    govreport.parse(text)
    first_call = time.perf_counter() - start

    results = [
        ("baseline: split into lines and cells", measure(split_lines_and_cells, text, args.seconds, args.repeat)),
        ("govreport.parse", measure(parse_only, text, args.seconds, args.repeat)),
        ("govreport.parse + flatten + to_json", measure(parse_flatten_json, text, args.seconds, args.repeat)),
    ]
    rates = dict(results)
    parse_ms = 1000 / rates["govreport.parse"]

    print("govreport parse speed")
    python = f"{platform.python_version()} ({platform.python_implementation()})"
    print(f"  Python {python}, govreport {govreport.__version__}")
    print(f"  input: {display_path(args.file)}, {len(text):,} characters, {len(text.splitlines()):,} lines")
    print(f"  timing: time.perf_counter, best of {args.repeat} × {args.seconds:g} s, single thread, {pinned}")
    print()
    print(
        f"  first govreport.parse call: {first_call * 1000:.1f} ms "
        f"(grammar build ~ {max(first_call * 1000 - parse_ms, 0):.1f} ms + one parse)"
    )
    print()
    width = max(len(name) for name, _ in results)
    print(f"  {'name':<{width}}  {'reports/s':>12}  {'ms/report':>10}")
    for name, rate in results:
        print(f"  {name:<{width}}  {rate:>12,.1f}  {1000 / rate:>10.4f}")
    print()
    ratio = rates["baseline: split into lines and cells"] / rates["govreport.parse"]
    print(f"  govreport is {ratio:,.0f}× slower than the line/cell split floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
