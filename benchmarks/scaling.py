"""Parse time against input size: 1×, 10× and 100× the size of a report, per input family.

Run from anywhere::

    python benchmarks/scaling.py [--sizes 1 10 100]

The families (``tests/hostile.py``) are a real report pasted n times and pathological texts:
a megabyte of ``|``, a line of a million digits or cells, thousands of table headers,
repeated section headings, a number per line, bare row labels, OCR-like garbage; most of
them inside a real report, so they pass every stage.  1× is the size of the report
(seed 000, about 5,000 characters).  For each family it prints the time of
``govreport.parse`` (a report or a ``GovreportError``; best of three below 100×), what
came out, and the ratio of each time to the 1× time.  Linear time means a 100× ratio
near 100 (less where the 1× time is mostly the fixed cost of a call); the target is under
150 for every family.  ``max_chars`` is raised for the 100× inputs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import govreport

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from hostile import FAMILIES, SEED

TARGET = 150


def timed(text: str, repeat: int) -> tuple[float, str]:
    best, outcome = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            report = govreport.parse(text, max_chars=len(text) + 1)
            outcome = f"report, {len(report.diagnostics)} diagnostics"
        except govreport.GovreportError as exc:
            outcome = type(exc).__name__
        best = min(best, time.perf_counter() - start)
    return best, outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100], help="multiples of the report's size")
    args = parser.parse_args()
    unit = len(SEED)
    govreport.parse(SEED)  # build the grammar before timing
    print(f"govreport scaling: parse time at {', '.join(f'{s}x' for s in args.sizes)} of {unit:,} characters\n")
    print(f"  {'family':<14}{'size':>6}{'characters':>12}{'ms':>10}{'ratio':>8}   outcome")
    worst = 0.0
    for name, (_, make) in FAMILIES.items():
        base = None
        for size in args.sizes:
            text = make(size * unit)
            seconds, outcome = timed(text, 1 if size >= 100 else 3)
            base = base or seconds
            ratio = seconds / base
            if size == max(args.sizes):
                worst = max(worst, ratio)
            print(f"  {name:<14}{size:>5}x{len(text):>12,}{seconds * 1000:>10.1f}{ratio:>8.1f}   {outcome}")
        print()
    largest = max(args.sizes)
    verdict = "met" if worst < TARGET else "NOT met"
    print(f"  worst ratio {largest}x / 1x: {worst:.1f}  (target < {TARGET}: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
