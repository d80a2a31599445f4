"""How much of a glued crawler dump comes back: the oracle of tests/test_glued.py as numbers.

Run from the repository root (needs the test dependencies)::

    python benchmarks/glued_recovery.py [--reports 40] [--seed 0] [--max-digits 6]

For each template and glue style (``render.GLUED_STYLES``: a line per table line, a line
per table, the whole page on one line) it generates ``--reports`` consistent reports (the
strategies of the tests, seeded, so a run repeats exactly), prints them without separators,
parses them and counts, over every cell:

* ``exact``: the printed value with status ``number``; ``split``: the true value with status
  ``split`` (a run the arithmetic split); ``inferred``: the true value, filled;
* ``explained``: None with a diagnostic naming the cell;
* ``wrong``: any other value, or None without a diagnostic; it must be 0.

``recovered`` is (exact + split + inferred) / cells.  ``--max-digits`` caps the drawn counts
(real tables mostly print counts of one to four digits; the tests draw up to six).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import strategies  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from render import GLUED_STYLES, render_glued  # noqa: E402
from strategies import flat_values, reports, typed  # noqa: E402

import govreport  # noqa: E402

OUTCOMES = ("exact", "split", "inferred", "explained", "wrong")


def measure(template: str, style: str, count: int, at: int) -> Counter[str]:
    counts: Counter[str] = Counter()

    @seed(at)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        report = data.draw(reports(template, spans=False))
        parsed = govreport.parse(render_glued(report, style=style))
        truth = flat_values(report)
        named = {key for d in parsed.diagnostics for key in d.keys}
        for key, cell in parsed.keyed_cells(standard=True):
            if cell.value is None:
                counts["explained" if key in named else "wrong"] += 1
            elif typed(cell.value) != typed(truth[key]):
                counts["wrong"] += 1
            else:
                counts[{"split": "split", "inferred": "inferred"}.get(cell.status, "exact")] += 1

    run()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-digits", type=int, default=6)
    args = parser.parse_args()
    default_count = strategies._count

    def capped(draw: st.DrawFn, max_digits: int = 6) -> int:
        return default_count(draw, min(max_digits, args.max_digits))

    strategies._count = capped  # type: ignore[assignment]
    total: Counter[str] = Counter()
    print(f"{'template':8} {'style':7} {'cells':>6} " + " ".join(f"{o:>9}" for o in OUTCOMES) + "  recovered")
    for template in ("2019", "2021"):
        for style in GLUED_STYLES:
            start = time.perf_counter()
            counts = measure(template, style, args.reports, args.seed)
            total += counts
            cells = sum(counts.values())
            good = counts["exact"] + counts["split"] + counts["inferred"]
            print(
                f"{template:8} {style:7} {cells:6} "
                + " ".join(f"{counts[o]:9}" for o in OUTCOMES)
                + f"  {good / cells:8.1%}  ({time.perf_counter() - start:.1f} s)"
            )
    cells = sum(total.values())
    good = total["exact"] + total["split"] + total["inferred"]
    print(f"{'all':16} {cells:6} " + " ".join(f"{total[o]:9}" for o in OUTCOMES) + f"  {good / cells:8.1%}")


if __name__ == "__main__":
    main()
