"""Throughput per worker: one process, the built-in pool, and a Dask ``LocalCluster``.

Run from the repository root (needs ``pip install 'govreport[dask]'``)::

    python benchmarks/cluster_throughput.py [--repeat 8] [--workers 2] [--pdf]

The corpus is every report text in tests/data (seeds, corpus, web, external: 37 texts),
or with ``--pdf`` the three PDFs of tests/data/external, repeated ``--repeat`` times under
their own paths, so each configuration reads the same files.  For each of

1. **one process**: ``parse_many(paths, jobs=1, timeout=None)``, parsed here;
2. **built-in pool**: ``parse_many(paths, jobs=W)``, W worker processes;
3. **Dask LocalCluster**: W worker processes of one thread each,
   ``parse_many(paths, executor=client.get_executor())``;

it prints the wall time of the best of three passes (the pool and the cluster are started
before the clock starts, the parsers built), reports per second, and reports per second
per worker.  On a shared machine the wall time depends on what else runs, so it also
prints the CPU time of the best pass, summed over every process taking part (this one,
which holds the Dask scheduler, the pool's workers, the cluster's nannies and workers),
and **reports per CPU-second**: what one worker with a core of its own gives, the figure
docs/scale.md multiplies to size a cluster.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

import govreport

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def corpus(pdf: bool = False) -> list[str]:
    if pdf:
        return sorted(str(path) for path in (DATA / "external").glob("*.pdf"))
    texts = [*(DATA / "seeds").glob("*.txt"), *(DATA / "corpus").iterdir(), *(DATA / "web").glob("*.txt")]
    texts += (DATA / "external").glob("*.txt")
    return sorted(str(path) for path in texts)


def cpu_seconds() -> float:
    """CPU time of this process, its reaped children and its living descendants."""
    import psutil  # a dependency of distributed

    own = os.times()
    total = own.user + own.system + own.children_user + own.children_system
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def best(run: Callable[[], int], passes: int = 3) -> tuple[float, float]:
    """The wall time and the CPU time of the fastest of ``passes`` runs."""
    results = []
    for _ in range(passes):
        cpu, start = cpu_seconds(), time.perf_counter()
        run()
        results.append((time.perf_counter() - start, cpu_seconds() - cpu))
    return min(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pdf", action="store_true", help="the PDFs of tests/data/external instead of the texts")
    args = parser.parse_args()
    paths = corpus(args.pdf) * args.repeat
    workers = args.workers
    load = os.getloadavg()[0]
    print(f"{len(paths)} reports ({len(set(paths))} files × {args.repeat}); {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {load:.2f} at the start")  # fmt: skip

    def count(results: object) -> int:
        n = 0
        for result in results:  # type: ignore[attr-defined]
            assert result.ok, result.error
            n += 1
        return n

    rows = []
    rows.append(("one process", 1, best(lambda: count(govreport.parse_many(paths, jobs=1, timeout=None)))))
    rows.append(("built-in pool", workers, best(lambda: count(govreport.parse_many(paths, jobs=workers)))))

    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        executor = client.get_executor()
        count(govreport.parse_many(paths[:10], executor=executor))  # the workers import govreport, load the parsers
        rows.append(("Dask LocalCluster", workers, best(lambda: count(govreport.parse_many(paths, executor=executor)))))
    print(f"{'':20} {'workers':>7} {'seconds':>8} {'reports/s':>10} {'per worker':>11} {'CPU s':>7} {'per CPU-s':>10}")
    for name, n, (seconds, cpu) in rows:
        rate = len(paths) / seconds
        print(f"{name:20} {n:>7} {seconds:>8.2f} {rate:>10.1f} {rate / n:>11.1f} {cpu:>7.2f} {len(paths) / cpu:>10.1f}")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
