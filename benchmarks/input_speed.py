"""Reports per second (and pages per second) for PDF, HTML and Word input, next to plain text.

Run from anywhere (needs ``pip install 'govreport[all]'``)::

    python benchmarks/input_speed.py [--seconds N] [--repeat K]

The same reports are read in every format, so the rows compare readers, not reports:

* the three real PDF reports in ``tests/data/external/`` (16 pages; ruling-line tables);
* the same three reports as whole government HTML pages and as Word documents, built
  from their parsed content by ``tests/render_files.py`` (the official merged-cell grids,
  wrapped in navigation, scripts and a footer);
* plain text: the text ``govreport.read_file`` extracts from the PDFs.

For each format two figures are taken: reading the file into text only
(``govreport.read_file``), and the whole ``govreport.parse_file`` (read + parse + checks
are not included; ``check`` costs the same whatever the input).  Timing is as in
``parse_speed.py``: one thread pinned to one CPU, best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import platform
import sys
from collections.abc import Callable
from pathlib import Path

from parse_speed import measure, pin_to_one_cpu

import govreport

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from render_files import render_docx, render_html  # noqa: E402  (a test helper, on purpose)

PDFS = sorted((ROOT / "tests" / "data" / "external").glob("*.pdf"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--seconds", type=float, default=3.0, help="time budget per measurement run (default: 3)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is reported (default: 3)")
    args = ap.parse_args(argv)
    pinned = pin_to_one_cpu()

    pdf_bytes = [p.read_bytes() for p in PDFS]
    texts = [govreport.read_file(b).text for b in pdf_bytes]
    pages = sum(govreport.read_file(b).source.pages or 0 for b in pdf_bytes)
    reports = [govreport.parse(t) for t in texts]
    inputs: dict[str, list[bytes]] = {
        "PDF": pdf_bytes,
        "HTML page": [render_html(r).encode("utf-8") for r in reports],
        "Word (.docx)": [render_docx(r) for r in reports],
        "plain text (UTF-8)": [t.encode("utf-8") for t in texts],
        "plain text (GB18030)": [t.encode("gb18030") for t in texts],
    }

    def each(fn: Callable[[bytes], object]) -> Callable[[list[bytes]], None]:
        def run(batch: list[bytes]) -> None:
            for item in batch:
                fn(item)

        return run

    rows = []
    for name, batch in inputs.items():
        read = measure(each(govreport.read_file), batch, args.seconds, args.repeat) * len(batch)
        full = measure(each(govreport.parse_file), batch, args.seconds, args.repeat) * len(batch)
        rows.append((name, sum(map(len, batch)) // len(batch), read, full))

    print("govreport input speed")
    print(f"  Python {platform.python_version()}, govreport {govreport.__version__}, single thread, {pinned}")
    print(f"  {len(PDFS)} reports ({', '.join(p.name for p in PDFS)}), {pages} PDF pages")
    print(f"  timing: best of {args.repeat} × {args.seconds:g} s per figure")
    print()
    header = f"  {'input':<22} {'bytes/report':>12} {'read reports/s':>15} {'parse_file reports/s':>21}"
    print(header + f" {'PDF pages/s':>12} {'vs plain text':>14}")
    text_rate = rows[3][3]
    for name, size, read, full in rows:
        per_page = f"{full * pages / len(PDFS):,.1f}" if name == "PDF" else ""
        print(f"  {name:<22} {size:>12,} {read:>15,.1f} {full:>21,.1f} {per_page:>12} {full / text_rate:>13.3f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
