"""How fast reports go to and from JSON, next to the standard library's ``json`` on the same data.

Run from anywhere::

    python benchmarks/json_speed.py [--rounds N]

The reports are the texts in ``tests/data/seeds`` and ``tests/data/external``, parsed once.
The floor of each case is what any writer or reader of the same JSON must do at least,
done by the standard library in C: ``json.dumps`` of the report's dict (the dict
``govreport.to_dict`` gives, so the same keys and values) and ``json.loads`` of its JSON
text.  ``to_json`` adds building that dict from the model; ``from_json`` adds building
the model from the parsed JSON, strictly (exact types, no extra keys) and checking that
the report is whole for its template (``govreport.validate``).

Each figure is per report, the median of interleaved rounds in one process pinned to one
CPU (``ratio.py``): the ratio to the floor is the figure to compare across machines.
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path

from ratio import Case, compare, pin_to_one_cpu, print_table

import govreport

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt")) + sorted(
    (ROOT / "tests" / "data" / "external").glob("*.txt")
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=7, help="interleaved rounds; the median is reported (default: 7)")
    args = ap.parse_args(argv)
    pinned = pin_to_one_cpu()

    reports = [govreport.parse(path.read_text(encoding="utf-8")) for path in TEXTS]
    texts = [govreport.to_json(report) for report in reports]
    dicts = [json.loads(text) for text in texts]
    n = len(reports)

    def dumps() -> None:
        for data in dicts:
            json.dumps(data, ensure_ascii=False)

    def to_json() -> None:
        for report in reports:
            govreport.to_json(report)

    def loads() -> None:
        for text in texts:
            json.loads(text)

    def from_json() -> None:
        for text in texts:
            govreport.from_json(text)

    print("govreport JSON speed")
    print(f"  Python {platform.python_version()}, govreport {govreport.__version__}, single thread, {pinned}")
    print(f"  {n} reports ({', '.join(p.name for p in TEXTS)}), {sum(map(len, texts)) // n:,} characters of JSON each")
    print(f"  timing: median of {args.rounds} interleaved rounds; figures per report")
    print()
    for title, floor, subject in (
        ("writing: to_json", Case("floor: json.dumps of the report's dict", dumps), Case("govreport.to_json", to_json)),
        (
            "reading: from_json",
            Case("floor: json.loads of the JSON text", loads),
            Case("govreport.from_json", from_json),
        ),
    ):
        timings = compare([floor, subject], rounds=args.rounds)
        per_report = [type(t)(t.name, t.seconds / n, tuple(s / n for s in t.rounds)) for t in timings]
        print_table(title, per_report, floor=floor.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
