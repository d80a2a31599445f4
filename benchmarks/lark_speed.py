"""What govreport's two speed-ups of Lark save, measured side by side.

Run from anywhere::

    python benchmarks/lark_speed.py [--rounds N]

The same texts as ``text_speed.py`` are parsed and checked with the shipped parsers three
times per round, interleaved:

1. Lark as it comes: its own scanners in the lexers and its own parser loop (the floor here:
   what the parse costs without the speed-ups);
2. ``scanner.FirstCharScanner`` in the lexers, Lark's loop;
3. both: the first-character scanner and ``lalr.Driver``'s one loop (what ``parse`` runs).

The items are the same every way (``tests/test_scanner.py``, ``tests/test_lalr.py``); only
the time differs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ratio import Case, compare, pin_to_one_cpu, print_table

import govreport
from govreport import grammar
from govreport.registry import parser_for

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt")) + sorted(
    (ROOT / "tests" / "data" / "external").glob("*.txt")
)


def _lexers() -> list[Any]:
    found = []
    for name in ("2021", "2019"):
        lexer = parser_for(name).parser.lexer
        found += [*lexer.lexers.values(), lexer.root_lexer]
    return found


def _scanners(lexers: list[Any]) -> dict[int, Any]:
    for each in lexers:
        each.scanner  # noqa: B018 - built now if it was waiting for first use
    return {id(each): each._scanner for each in lexers}


def _with(lexers: list[Any], scanners: dict[int, Any], drivers: dict[Any, Any], texts: list[str]) -> Callable[[], None]:
    def run() -> None:
        for each in lexers:
            each._scanner = scanners[id(each)]
        grammar._DRIVERS.update(drivers)
        for text in texts:
            govreport.check(govreport.parse(text))

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=9, help="interleaved rounds; the median is reported (default: 9)")
    args = ap.parse_args(argv)
    pinned = pin_to_one_cpu()
    texts = [p.read_text(encoding="utf-8") for p in TEXTS]
    for text in texts:  # builds the parsers and their scanners
        govreport.check(govreport.parse(text))
    lexers = _lexers()
    first_char = _scanners(lexers)
    for each in lexers:
        each._scanner = None  # Lark builds its own again on first use
    lark_own = _scanners(lexers)
    drivers = {parser_for(name): grammar._DRIVERS.get(parser_for(name)) for name in ("2021", "2019")}
    no_drivers = dict.fromkeys(drivers)
    floor = "parse + check, Lark as it comes"
    timings = compare(
        [
            Case(floor, _with(lexers, lark_own, no_drivers, texts)),
            Case("parse + check, first-char scanner", _with(lexers, first_char, no_drivers, texts)),
            Case("parse + check, scanner + one loop", _with(lexers, first_char, drivers, texts)),
        ],
        rounds=args.rounds,
    )
    timings = [type(t)(t.name, t.seconds / len(texts), t.rounds) for t in timings]
    print(f"govreport's speed-ups of Lark: {len(texts)} report texts, median of {args.rounds} rounds, {pinned}\n")
    print_table("text", timings, floor=floor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
