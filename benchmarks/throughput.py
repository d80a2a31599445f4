"""Corpus throughput: reports per second on one core, the floor, and the speed-up of --jobs 2.

Run from anywhere (needs the test dependencies, for the report generator)::

    python benchmarks/throughput.py [--reports 2000] [--seconds 3]

It prints, in one run:

1. **one core, in process**: ``govreport.parse`` + ``govreport.check(prose=True)`` over the
   generated texts, reports per second (best of three passes, one thread pinned to a CPU);
2. **the floor** on the same texts: splitting into lines and cells only
   (``parse_speed.split_lines_and_cells``), and the ratio of the two;
3. **the command line**: ``govreport export DIR -o table.csv`` over a corpus of ``--reports``
   files (default 2,000) with ``--jobs 1`` and ``--jobs 2``: wall time, files per second,
   the speed-up, and the peak resident memory of the largest process;
4. **memory against corpus size**: the same export with ``--jobs 1`` over a quarter of the
   corpus and over all of it; flat memory means the two peaks are about equal.

The corpus is 200 distinct consistent reports from ``tests/strategies.py`` (both formats,
random values, written with ``tests/render.py``'s tab layout), each written under
several file names to reach ``--reports`` files; half the files are GB18030.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from parse_speed import split_lines_and_cells

import govreport

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
DISTINCT = 200


def generate(n: int) -> list[str]:
    from hypothesis.errors import NonInteractiveExampleWarning
    from render import render_tab
    from strategies import reports

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        strategies = [reports("2021"), reports("2019")]
        return [render_tab(strategies[i % 4 == 3].example()) for i in range(n)]


def per_second(texts: list[str], fn, seconds: float) -> float:  # type: ignore[no-untyped-def]
    best = 0.0
    for _ in range(3):
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            for text in texts:
                fn(text)
            done += len(texts)
        best = max(best, done / (time.perf_counter() - start))
    return best


def parse_and_check(text: str) -> None:
    govreport.check(govreport.parse(text), prose=True)


def export(corpus: Path, jobs: int, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the largest process of one ``govreport export``."""
    script = Path(sys.executable).with_name("govreport")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "govreport"]
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n"
    )
    args = [*command, "export", str(corpus), "-o", str(out), "--jobs", str(jobs), "-q"]
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    seconds, rss_kib, status = result.stdout.split()
    if status != "0":
        raise SystemExit(f"govreport export failed with status {status}")
    return float(seconds), int(rss_kib) / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--reports", type=int, default=2000, help="files in the corpus (default: 2000)")
    ap.add_argument("--seconds", type=float, default=3.0, help="time per in-process pass (default: 3)")
    args = ap.parse_args(argv)

    texts = generate(DISTINCT)
    print("govreport throughput")
    print(f"  Python {platform.python_version()}, govreport {govreport.__version__}, {os.cpu_count()} CPUs")
    print(f"  {DISTINCT} distinct generated reports, {sum(map(len, texts)) // DISTINCT:,} characters each on average")
    print()

    cpu = min(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    if cpu is not None:
        allowed = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {cpu})
    for text in texts[:3]:
        parse_and_check(text)  # build the grammar first
    ours = per_second(texts, parse_and_check, args.seconds)
    floor = per_second(texts, split_lines_and_cells, args.seconds)
    if cpu is not None:
        os.sched_setaffinity(0, allowed)
    print("  one core, in process (best of 3 passes)")
    print(f"    govreport.parse + check      {ours:>12,.1f} reports/s   ({1000 / ours:.2f} ms/report)")
    print(f"    floor: lines and cells only  {floor:>12,.1f} reports/s")
    print(f"    ratio floor / govreport      {floor / ours:>12,.0f}×")
    print(f"    target 500 reports/s         {'met' if ours >= 500 else 'NOT met'}")
    print()

    tmp = Path(tempfile.mkdtemp(prefix="govreport-throughput-"))
    try:
        for quarter in (args.reports // 4, args.reports):
            corpus = tmp / f"corpus-{quarter}"
            corpus.mkdir()
            for n in range(quarter):
                encoding = "gb18030" if n % 2 else "utf-8"
                (corpus / f"r{n:06d}.txt").write_bytes(texts[n % DISTINCT].encode(encoding))
        full = tmp / f"corpus-{args.reports}"
        one_s, one_rss = export(full, 1, tmp / "one.csv")
        two_s, two_rss = export(full, 2, tmp / "two.csv")
        same = (tmp / "one.csv").read_bytes() == (tmp / "two.csv").read_bytes()
        small_s, small_rss = export(tmp / f"corpus-{args.reports // 4}", 1, tmp / "small.csv")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n = args.reports
    print(f"  govreport export, {n:,} files (parse + check + CSV, wall time)")
    print(f"    --jobs 1   {one_s:8.2f} s   {n / one_s:10,.1f} files/s   peak RSS {one_rss:7.1f} MiB")
    print(f"    --jobs 2   {two_s:8.2f} s   {n / two_s:10,.1f} files/s   peak RSS {two_rss:7.1f} MiB")
    print(f"    speed-up   {one_s / two_s:8.2f}×  (target ≥ 1.7×: {'met' if one_s / two_s >= 1.7 else 'NOT met'})")
    print(f"    outputs identical: {same}")
    print()
    print("  peak memory against corpus size (--jobs 1)")
    print(f"    {n // 4:>7,} files   peak RSS {small_rss:7.1f} MiB   ({small_s:.2f} s)")
    print(f"    {n:>7,} files   peak RSS {one_rss:7.1f} MiB   ({one_s:.2f} s)")
    print(f"    growth ×{one_rss / small_rss:.2f} for ×4 the files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
