"""Fuzz govreport for a fixed time with the properties of ``tests/test_robustness.py``.

Run from anywhere (needs the test dependencies)::

    python benchmarks/fuzz.py [--minutes 10]

Hypothesis generates the inputs, at random (a new seed every round): arbitrary Unicode
text, text made of the grammar's labels, headings, numbers, separators and OCR debris, any
bytes for ``parse_file``, a real report in bytes among garbage, mutations of the five
seeds and the three external reports (characters, lines and cells deleted, duplicated,
swapped; garbage inserted), damaged JSON, and damaged files for ``parse_file``: the three
external PDFs and a .docx and an HTML page rendered from a seed, cut short, with bytes
flipped, deleted or inserted.  The targets take turns in rounds of 200 examples (20 for
the files, which take about a second each) until the time is up.  Each property is the
test's own: a report whose printed values are at their spans (and, for mutations, not
moved to another cell) or a ``GovreportError``; anything else is a failure, shrunk by Hypothesis and printed.

It prints, per target, the inputs tried, the rate and the failures found; the exit
status is 1 if any failure was found.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_files import render_docx, render_html
from test_robustness import (
    MAGIC,
    REAL,
    grammar_texts,
    test_a_report_in_bytes_with_garbage_gives_a_report_or_a_govreport_error,
    test_any_bytes_give_a_report_or_a_govreport_error,
    test_any_text_gives_a_report_or_a_govreport_error,
    test_damaged_json_loads_or_raises_deserialization_error,
    test_mutated_report_never_gives_a_number_not_printed_or_moved,
    test_text_from_the_grammars_alphabet_gives_a_report_or_a_govreport_error,
)

import govreport

ROUND = 200
FILE_ROUND = 20
TEST_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
tried: Counter[str] = Counter()


def real_files() -> list[tuple[str, bytes]]:
    """Real files of each format the readers read: the external PDFs, a .docx and an HTML page."""
    found = [(path.name, path.read_bytes()) for path in sorted((TEST_DATA / "external").glob("*.pdf"))]
    report = govreport.parse((TEST_DATA / "external" / "szfgs2024.txt").read_text(encoding="utf-8"))
    found.append(("szfgs2024.docx", render_docx(report)))
    found.append(("szfgs2024.html", render_html(report).encode("utf-8")))
    return found


@st.composite
def damaged_files(draw: st.DrawFn, files: list[tuple[str, bytes]]) -> bytes:
    """A real file cut short, or with a few bytes flipped, deleted or inserted."""
    _, data = draw(st.sampled_from(files))
    damaged = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(0, len(damaged) - 1)))
        edit = draw(st.sampled_from(["cut", "flip", "delete", "insert"]))
        if edit == "cut":
            del damaged[at:]
        elif edit == "flip" and damaged:
            damaged[at] ^= draw(st.integers(1, 255))
        elif edit == "delete":
            del damaged[at : at + draw(st.integers(1, 4096))]
        else:
            damaged[at:at] = draw(st.binary(min_size=1, max_size=64))
    return bytes(damaged)


def file_gives_a_report_or_a_govreport_error(data: bytes) -> None:
    """``parse_file`` on a damaged file: a report, or a ``GovreportError``; never another exception."""
    try:
        report = govreport.parse_file(data)
    except govreport.GovreportError:
        return
    assert isinstance(report, govreport.Report)


def inner(test: Any) -> Callable[..., None]:
    return test.hypothesis.inner_test  # type: ignore[no-any-return]


DATA = object()  # stands for Hypothesis's st.data() object in a target's arguments


def counted(name: str, body: Callable[..., None], strategies: tuple[Any, ...]) -> Callable[[Any], None]:
    """A one-argument test for @given(st.data()) that draws the body's arguments and counts calls."""

    def run(data: Any) -> None:
        tried[name] += 1
        body(*(data if s is DATA else data.draw(s) for s in strategies))

    return run


def targets() -> dict[str, Callable[[], None]]:
    """Each target runs one round of ROUND examples of one property."""
    fuzz = settings(
        max_examples=ROUND,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    mutated = inner(test_mutated_report_never_gives_a_number_not_printed_or_moved)
    bytes_with_report = inner(test_a_report_in_bytes_with_garbage_gives_a_report_or_a_govreport_error)
    cases: dict[str, tuple[Callable[..., None], tuple[Any, ...]]] = {
        "any text": (
            inner(test_any_text_gives_a_report_or_a_govreport_error),
            (st.text(st.characters(blacklist_categories=()), max_size=5000),),
        ),
        "grammar alphabet": (
            inner(test_text_from_the_grammars_alphabet_gives_a_report_or_a_govreport_error),
            (grammar_texts(),),
        ),
        "any bytes": (
            inner(test_any_bytes_give_a_report_or_a_govreport_error),
            (st.sampled_from(MAGIC), st.binary(max_size=5000)),
        ),
        "report among bytes": (
            lambda magic, data, sep: bytes_with_report(magic, data, sep),
            (st.sampled_from(MAGIC), st.binary(max_size=300), st.sampled_from(["\t", "|", " "])),
        ),
        "mutated reports": (
            lambda real, data: mutated(real[0], real[1], data),
            (st.sampled_from(REAL), DATA),
        ),
        "damaged JSON": (inner(test_damaged_json_loads_or_raises_deserialization_error), (DATA,)),
    }
    runs = {name: fuzz(given(st.data())(counted(name, body, strategies))) for name, (body, strategies) in cases.items()}
    fuzz_files = settings(fuzz, max_examples=FILE_ROUND)
    files = real_files()
    run = counted("damaged files", file_gives_a_report_or_a_govreport_error, (damaged_files(files),))
    runs["damaged files"] = fuzz_files(given(st.data())(run))
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    budget = args.minutes * 60
    runs = targets()
    failures: dict[str, list[str]] = {name: [] for name in runs}
    seconds: Counter[str] = Counter()
    start = time.perf_counter()
    print(f"govreport fuzz: {args.minutes:g} minutes, rounds of {ROUND} examples per target\n", flush=True)
    while time.perf_counter() - start < budget:
        for name, run in runs.items():
            if time.perf_counter() - start >= budget:
                break
            began = time.perf_counter()
            try:
                run()
            except Exception as exc:  # a failure, already shrunk by Hypothesis
                text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                if text not in failures[name]:
                    failures[name].append(text)
                    print(f"FAILURE in {name}:\n{text}\n", flush=True)
            seconds[name] += time.perf_counter() - began
    elapsed = time.perf_counter() - start
    print(f"  {'target':<22}{'inputs':>10}{'per second':>12}{'failures':>10}")
    for name in runs:
        rate = tried[name] / seconds[name] if seconds[name] else 0.0
        print(f"  {name:<22}{tried[name]:>10,}{rate:>12.1f}{len(failures[name]):>10}")
    total = sum(tried.values())
    found = sum(len(f) for f in failures.values())
    print(f"\n  {total:,} inputs in {elapsed / 60:.1f} minutes, {found} distinct failure(s)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
