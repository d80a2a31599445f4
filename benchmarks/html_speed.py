"""How fast the HTML reader is, next to the floor of Lexbor parsing the page and reading its cells.

Run from anywhere (needs ``pip install 'govreport[html]'``)::

    python benchmarks/html_speed.py [--rounds N]

The pages are built the way ``input_speed.py`` builds them: the three real reports of
``tests/data/external/`` parsed, then printed by ``tests/render_files.py`` as whole
government pages (the official merged-cell grids wrapped in navigation, scripts and a
footer).  ``tests/data/web`` holds text excerpts, not pages, so there is no real page to
add.

Three cases, timed in interleaved rounds by ``ratio.compare`` on one pinned CPU:

``floor: Lexbor parse + cell texts``
    ``selectolax.lexbor.LexborHTMLParser(page)``, then ``td.text()`` of every
    ``td``/``th``: the least any reader of the page's tables must do.
``govreport.read_file``
    The HTML reader alone: bytes to the text the parser reads, with the page's limits
    checked, merged cells expanded and every cell's origin kept.
``govreport.parse_file``
    The reader, then the parse of its text (``check`` is not included).
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

from ratio import Case, Timing, compare, pin_to_one_cpu, print_table

import govreport

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from render_files import render_html  # noqa: E402  (a test helper, on purpose)

PDFS = sorted((ROOT / "tests" / "data" / "external").glob("*.pdf"))


def pages() -> list[bytes]:
    """The three real reports as whole government HTML pages, UTF-8."""
    texts = [govreport.read_file(p.read_bytes()).text for p in PDFS]
    return [render_html(govreport.parse(t)).encode("utf-8") for t in texts]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=7, help="interleaved rounds; the median is reported (default: 7)")
    args = ap.parse_args(argv)
    from selectolax.lexbor import LexborHTMLParser

    pinned = pin_to_one_cpu()
    batch = pages()

    def floor() -> None:
        for page in batch:
            for td in LexborHTMLParser(page.decode("utf-8")).css("td, th"):
                td.text()

    def read() -> None:
        for page in batch:
            govreport.read_file(page)

    def parse() -> None:
        for page in batch:
            govreport.parse_file(page)

    floor_name = "floor: Lexbor parse + cell texts"
    cases = [Case(floor_name, floor), Case("govreport.read_file", read), Case("govreport.parse_file", parse)]
    timings = compare(cases, rounds=args.rounds)
    # a call reads the whole batch; per page is that divided by its size
    per_page = [Timing(t.name, t.seconds / len(batch), tuple(s / len(batch) for s in t.rounds)) for t in timings]
    print(f"govreport HTML reader speed: Python {platform.python_version()}, govreport {govreport.__version__}")
    print(f"  {len(batch)} pages ({', '.join(p.name for p in PDFS)} rendered), {pinned}")
    print(f"  median of {args.rounds} interleaved rounds")
    print(f"  page sizes: {', '.join(f'{len(p):,}' for p in batch)} bytes")
    print()
    print_table("HTML page", per_page, floor=floor_name, unit="page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
