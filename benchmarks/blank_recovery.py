"""How well printed blanks and cut text are read: the oracle of tests/test_blanks.py as numbers.

Run from the repository root (needs the test dependencies)::

    python benchmarks/blank_recovery.py [--reports 40] [--seed 0]

For each layout class and template it generates ``--reports`` consistent reports (the
same strategies as the tests, seeded, so a run repeats exactly), prints them with random
blank cells in one of the layout's blank forms and, for every second report, cuts the text
at a random point, then parses with ``infer=True`` and prints:

* ``printed``: cells whose value the text shows; ``exact``: the share returned exactly;
* ``blanks``: cells printed blank; ``as blank``: the share returned None with status blank;
* ``wrong``: values that differ from the printed one (or, for a cut cell, from its true
  value); it must be 0;
* ``filled``: printed blanks that came back with a value (inferred or not);
* ``cut ok``: the share of cells lost to a cut that came back None with a diagnostic (or
  inferred correctly); ``raised``: parses that raised.

Then it scores tests/data/web as ``shared/tools/score_dev.py`` does: each hand-read gold
cell is correct (the value, or None for a gold null), missed (None) or wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from render import LAYOUT_CLASSES  # noqa: E402
from test_blanks import TEMPLATES, cases, expectations, judge  # noqa: E402

import govreport  # noqa: E402

WEB = ROOT / "tests" / "data" / "web"


def measure(template: str, layout: str, reports: int, at: int) -> Counter[str]:
    """Counts of each (state, outcome) over ``reports`` generated cases."""
    counts: Counter[str] = Counter()

    @seed(at)
    @settings(
        max_examples=reports,
        database=None,
        deadline=None,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data: Any) -> None:
        cut = data.draw(st.booleans())
        case = data.draw(cases(template, layout, blanks=True, cut=cut))
        counts["reports"] += 1
        try:
            parsed = govreport.parse(case.rendered.text[: case.cut], infer=True)
        except Exception:  # counted: a parse must not raise
            counts["raised"] += 1
            return
        expected = expectations(case.rendered, case.shown, case.full, case.cut)
        for key, result in judge(case.rendered, case.cut, expected, parsed, layout).items():
            counts[f"{expected[key].state} {result}"] += 1

    run()
    return counts


def share(part: int, whole: int) -> str:
    return f"{part / whole:7.1%}" if whole else "      -"


def row(layout: str, template: str, c: Counter[str]) -> str:
    printed = sum(n for k, n in c.items() if k.startswith("value "))
    blanks = sum(n for k, n in c.items() if k.startswith("blank "))
    cut = sum(n for k, n in c.items() if k.startswith(("lost ", "edge ")))
    cut_ok = c["lost ok"] + c["edge ok"]
    wrong = sum(n for k, n in c.items() if k.endswith(" wrong"))
    return (
        f"{layout:21} {template:5} {c['reports']:4} {printed:8} {share(c['value ok'], printed)} "
        f"{blanks:7} {share(c['blank ok'], blanks)} {wrong:6} {c['blank filled']:7} "
        f"{share(cut_ok, cut)} {c['raised']:6}"
    )


def same(got: Any, want: Any) -> bool:
    if want is None or got is None:
        return got is None and want is None
    try:
        return Decimal(str(got)) == Decimal(str(want))
    except Exception:
        return False


def score_web() -> str:
    t = Counter[str]()
    for gold_path in sorted((WEB / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        cells = gold.get("cells", {})
        t["files"] += 1
        t["cells"] += len(cells)
        try:
            flat = govreport.flatten(govreport.parse((WEB / gold["file"]).read_text(encoding="utf-8")))
        except Exception:
            t["raised"] += 1
            t["missed"] += len(cells)
            continue
        for key, want in cells.items():
            got = flat.get(key)
            t["correct" if same(got, want) else "missed" if got is None else "wrong"] += 1
    pct = t["correct"] / t["cells"] if t["cells"] else 0
    return (
        f"web       files={t['files']} cells={t['cells']} correct={t['correct']} ({pct:.1%}) "
        f"wrong={t['wrong']} missed={t['missed']} raised={t['raised']}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--reports", type=int, default=40, help="generated reports per layout and template")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    started = time.perf_counter()
    print(
        f"{'layout':21} {'tmpl':5} {'n':>4} {'printed':>8} {'exact':>7} {'blanks':>7} {'as blank':>7} "
        f"{'wrong':>6} {'filled':>7} {'cut ok':>7} {'raised':>6}"
    )
    total: Counter[str] = Counter()
    for layout in LAYOUT_CLASSES:
        for template in TEMPLATES:
            counts = measure(template, layout, a.reports, a.seed)
            total += counts
            print(row(layout, template, counts), flush=True)
    print(row("all", "", total))
    print(score_web())
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
