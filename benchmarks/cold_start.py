"""Cold start: a new Python process that imports govreport and parses one report, against a floor.

Run from anywhere::

    python benchmarks/cold_start.py [--rounds N]

What a one-file CLI call or a short script pays before its first result.  Each case is a
new interpreter (``sys.executable``), timed by the CPU time it used (user + system, from
``resource.getrusage(RUSAGE_CHILDREN)``), in interleaved rounds:

``floor``                   start Python, read the example report, split it into lines
``import govreport``        start Python and import the package
``import + first parse``    … and parse the example report (the grammar comes from the
                            disk cache, built once before the rounds)
``import + parse + check``  … and check it

The target of issue 19 is ``import + first parse`` under 0.3 s on the reference machine
(2 cores, x86_64); the ratio to the floor is what to compare across machines.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "huaian-2024.txt"

CASES = {
    "floor: python + read + split lines": f"open({str(EXAMPLE)!r}, encoding='utf-8').read().splitlines()",
    "import govreport": "import govreport",
    "import + first parse": f"import govreport; govreport.parse(open({str(EXAMPLE)!r}, encoding='utf-8').read())",
    "import + parse + check": (
        f"import govreport; govreport.check(govreport.parse(open({str(EXAMPLE)!r}, encoding='utf-8').read()))"
    ),
}


# As installed: pip writes the .pyc files at install time.  Without them (PYTHONDONTWRITEBYTECODE set
# in the environment, as on some build machines) every start compiles govreport's sources again,
# about 0.2 s of CPU that no installed copy pays.
_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def child_cpu(code: str) -> float:
    """CPU seconds (user + system) of a new interpreter running ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=_ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=7, help="interleaved rounds; the median is reported (default: 7)")
    args = ap.parse_args(argv)
    child_cpu(CASES["import + parse + check"])  # builds the grammar cache and writes the .pyc files
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.rounds):
        for name, code in CASES.items():
            times[name].append(child_cpu(code))
    medians = {name: statistics.median(t) for name, t in times.items()}
    floor = medians["floor: python + read + split lines"]
    print(f"govreport cold start: Python {platform.python_version()}, {platform.machine()}")
    print(f"  new interpreter per call, CPU time, median of {args.rounds} interleaved rounds\n")
    print("cold start")
    print(f"  {'case':<44} {'seconds':>12} {'× floor':>9}")
    for name, seconds in medians.items():
        print(f"  {name:<44} {seconds:>12.3f} {seconds / floor:>8.1f}×")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
