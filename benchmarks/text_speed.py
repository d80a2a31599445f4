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
``stage: …``       the pipeline's stages on their own (``--stages``), to see where time goes:

  ``normalise``                    ``normalize`` (NFKC, label variants, the offset map)
  ``grammar: Lark's lexer alone``  ``Lark.lex``: every token, no parser (Lark as it comes)
  ``grammar: scanner alone``       govreport's first-character scanner matching every token
                                   of the text, nothing else (no parser, no Token objects)
  ``grammar: items``               ``grammar.parse_items``: scanner + LALR tables + ``ItemBuilder``
  ``check``                        ``govreport.check`` on reports parsed before the rounds

  What ``parse`` costs beyond normalise + items is sections, placement and inference.

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


def stage_cases(texts: list[str]) -> list[Case]:
    """The stages of ``parse`` on their own, each over inputs prepared before the rounds."""
    from govreport.grammar import parse_items
    from govreport.lalr import _Lexer
    from govreport.normalize import normalize
    from govreport.registry import detect_template, label_cores, parser_for, printed_words

    labels, words = label_cores(), printed_words()
    normalized = [normalize(text, labels=labels, words=words)[0] for text in texts]
    parsers = [parser_for(detect_template(text)[0].name) for text in normalized]
    reports = [govreport.parse(text) for text in texts]
    # The scanner that scanner.install gave the lexer of all terminals (the contextual lexers'
    # scanners are the same kind, each over the terminals its parser state accepts).
    scanners = [_Lexer(parser.parser.lexer.root_lexer).scanner for parser in parsers]

    def lark_lexer() -> None:
        for parser, text in zip(parsers, normalized, strict=True):
            for _ in parser.lex(text):
                pass

    def scanner_alone() -> None:
        for scanner, text in zip(scanners, normalized, strict=True):
            pos, end = 0, len(text)
            while pos < end:
                found = scanner.match_at(text, pos, end)
                assert found is not None
                pos += len(found[1].group(0))

    def items() -> None:
        for parser, text in zip(parsers, normalized, strict=True):
            parse_items(parser, text)

    def check() -> None:
        for report in reports:
            govreport.check(report)

    return [
        Case("stage: normalise", lambda: [normalize(text, labels=labels, words=words) for text in texts]),
        Case("stage: grammar: Lark's lexer alone", lark_lexer),
        Case("stage: grammar: scanner alone", scanner_alone),
        Case("stage: grammar: items", items),
        Case("stage: check", check),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=7, help="interleaved rounds; the median is reported (default: 7)")
    ap.add_argument("--stages", action="store_true", help="also time the pipeline's stages on their own")
    args = ap.parse_args(argv)
    pinned = pin_to_one_cpu()
    texts = [p.read_text(encoding="utf-8") for p in TEXTS]
    parse(texts)  # builds (or loads) the grammars; not part of the steady state measured here

    cases = [
        Case("floor: NFKC + lines + cells", lambda: floor(texts)),
        Case("govreport.parse", lambda: parse(texts)),
        Case("govreport.parse + check", lambda: parse_check(texts)),
    ]
    if args.stages:
        cases += stage_cases(texts)
    timings = compare(cases, rounds=args.rounds)
    timings = [type(t)(t.name, t.seconds / len(texts), t.rounds) for t in timings]
    print(f"govreport text speed: Python {platform.python_version()}, {platform.machine()}, {pinned}")
    print(f"  {len(texts)} report texts, median of {args.rounds} interleaved rounds\n")
    print_table("text", timings, floor="floor: NFKC + lines + cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
