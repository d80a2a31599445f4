"""How fast govreport reads report text, as a ratio against a floor measured in the same run.

Run from anywhere::

    python benchmarks/text_speed.py [--rounds N] [--profile]

Input: every real report text the tests carry (the five seeds and the external reports'
texts), so a figure is an average over both formats and several layouts.

The floor is what any reader of this text has to do at least: NFKC-normalise it, split it
into lines and each line into whitespace-separated cells, in C-implemented ``str`` methods.
The cases, each timed over all texts per call and interleaved round by round with the floor:

``parse``          ``govreport.parse`` (normalise, grammar, sections, tables, inference)
``parse + check``  the above, then ``govreport.check`` (relations, prose, equations)
``stage: …``       the pipeline's stages on their own (``--stages``), to see where time goes

The process is pinned to one CPU; the median of the rounds is reported.
"""

from __future__ import annotations

import argparse
import platform
import sys
import unicodedata
from pathlib import Path

from ratio import Case, compare, pin_to_one_cpu, print_table

import govreport

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt")) + sorted(
    (ROOT / "tests" / "data" / "external").glob("*.txt")
)


def floor(texts: list[str]) -> None:
    for text in texts:
        for line in unicodedata.normalize("NFKC", text).splitlines():
            line.split()


def parse(texts: list[str]) -> None:
    for text in texts:
        govreport.parse(text)


def parse_check(texts: list[str]) -> None:
    for text in texts:
        govreport.check(govreport.parse(text))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=7, help="interleaved rounds; the median is reported (default: 7)")
    args = ap.parse_args(argv)
    pinned = pin_to_one_cpu()
    texts = [p.read_text(encoding="utf-8") for p in TEXTS]
    parse(texts)  # builds (or loads) the grammars; not part of the steady state measured here

    timings = compare(
        [
            Case("floor: NFKC + lines + cells", lambda: floor(texts)),
            Case("govreport.parse", lambda: parse(texts)),
            Case("govreport.parse + check", lambda: parse_check(texts)),
        ],
        rounds=args.rounds,
    )
    timings = [type(t)(t.name, t.seconds / len(texts), t.rounds) for t in timings]
    print(f"govreport text speed: Python {platform.python_version()}, {platform.machine()}, {pinned}")
    print(f"  {len(texts)} report texts, median of {args.rounds} interleaved rounds\n")
    print_table("text", timings, floor="floor: NFKC + lines + cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
