"""How fast govreport reads a PDF, as ratios to PDFium's own text extraction.

Run from the repository root (needs the ``pdf`` extra; pdfplumber for the comparison row)::

    python benchmarks/pdf_speed.py [--rounds 7]

Every case reads all the PDFs of tests/data/external, each from its bytes, once per call,
and the rate is in pages a second.  The cases, timed side by side in interleaved rounds
(``ratio.py``):

* ``floor: PDFium text``: pypdfium2 opens each file and, for every page, builds its text
  page and takes its text (``get_textpage().get_text_range()``): the least any PDFium
  reader does;
* ``govreport.read_file``: the text with tables read by their ruling lines, and the page
  and box of every word and cell;
* ``govreport.parse_file``: that, parsed and checked into a report;
* ``pdfplumber extract_text``: pdfplumber's plain text of every page, for comparison
  (the reader govreport used before PDFium), when pdfplumber is installed.

The ratio column is the time against the floor: 2.0× is twice as slow as PDFium's text.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import platform
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pypdfium2 as pdfium  # noqa: E402
from ratio import Case, compare, pin_to_one_cpu, print_table  # noqa: E402

import govreport  # noqa: E402

PDFS = sorted((ROOT / "tests" / "data" / "external").glob("*.pdf"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    data = [p.read_bytes() for p in PDFS]
    pages = sum(len(pdfium.PdfDocument(d)) for d in data)

    def floor() -> None:
        for d in data:
            doc = pdfium.PdfDocument(d)
            for page in doc:
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
            doc.close()

    def read() -> None:
        for d in data:
            govreport.read_file(d)

    def parse() -> None:
        for d in data:
            govreport.parse_file(d)

    cases = [Case("floor: PDFium text", floor), Case("govreport.read_file", read), Case("govreport.parse_file", parse)]
    if importlib.util.find_spec("pdfplumber") is not None:
        import pdfplumber

        def plumber() -> None:
            for d in data:
                with pdfplumber.open(io.BytesIO(d)) as pdf:
                    for page in pdf.pages:
                        page.extract_text()

        cases.append(Case("pdfplumber extract_text", plumber))
    versions = f"Python {platform.python_version()}, pypdfium2 {metadata.version('pypdfium2')}"
    print(f"{len(PDFS)} PDFs, {pages} pages; {versions}")
    print(pin_to_one_cpu())
    timings = compare(cases, rounds=args.rounds)
    per_page = [type(t)(t.name, t.seconds / pages, tuple(s / pages for s in t.rounds)) for t in timings]
    ratios = print_table("PDF pages", per_page, floor="floor: PDFium text", unit="page")
    if "pdfplumber extract_text" in ratios:
        for name in ("govreport.read_file", "govreport.parse_file"):
            print(
                f"{name} is {ratios['pdfplumber extract_text'] / ratios[name]:.1f}× as fast as pdfplumber extract_text"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
