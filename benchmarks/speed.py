"""Every speed figure govreport quotes, each as a ratio against its floor measured in the same run.

Run from anywhere (the PDF and HTML rows need ``pip install 'govreport[pdf,html]'``)::

    python benchmarks/speed.py [--rounds N]

Runs, one after the other, each benchmark that has a floor of its own:

* ``text_speed.py``  parse and parse+check against NFKC + lines + cells;
* ``json_speed.py``  ``to_json``/``from_json`` against the standard library's ``json``;
* ``pdf_speed.py``   ``read_file``/``parse_file`` on PDFs against PDFium's own text extraction;
* ``html_speed.py``  ``read_file``/``parse_file`` on pages against Lexbor parsing + cell texts;
* ``cold_start.py``  a new process importing govreport and parsing one report, against
  starting Python and reading the file.

The README's performance section quotes this output (median of interleaved rounds, CPU time).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCHMARKS = ("text_speed", "json_speed", "pdf_speed", "html_speed", "cold_start")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=7, help="interleaved rounds per benchmark (default: 7)")
    args = ap.parse_args(argv)
    status = 0
    for name in BENCHMARKS:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:  # an optional extra is missing
            print(f"{name}: skipped ({exc})\n")
            continue
        status |= module.main(["--rounds", str(args.rounds)])
    return status


if __name__ == "__main__":
    sys.exit(main())
