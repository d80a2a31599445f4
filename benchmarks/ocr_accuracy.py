"""Scanned PDFs: cell accuracy of the OCR reader, and pages per second per core.

    python benchmarks/ocr_accuracy.py            # both templates, clean and noisy scans
    python benchmarks/ocr_accuracy.py --speed    # also time OCR against rendering alone

Accuracy.  Reports of both templates (the 洪泽区 2024 report, 2021 template; a 2019 report
of fixed-seed values, as tests/test_ocr.py draws them) are drawn as scans
(tests/render_scan.py: 200 dpi, a CJK font, ruled tables), clean and with noise, and read
back with ``parse_file``.  The printed values are those the same grids give as HTML
(tests/render_files.py), read exactly.  Each printed value is *exact*, *None* (left unread,
with a diagnostic; maybe filled back by inference, counted apart) or *wrong*.  The table
also shows what other thresholds would have given, from the same OCR results (the engine's
answers are kept and replayed, so the sweep costs no more OCR).

Speed.  With ``--speed`` the process is pinned to one CPU and one page is timed two ways,
interleaved (benchmarks/ratio.py): the floor, pypdfium2 rendering the page at the OCR
resolution (what any OCR reader must do first), and the whole OCR read of that page.  Pages
per second per core is the OCR read's rate; the ratio says how much of it OCR itself costs.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import govreport  # noqa: E402
from govreport.readers import ocr  # noqa: E402

NOISES = ((), ("blur",), ("skew",), ("jpeg",), ("blur", "skew", "jpeg"))
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


class _Replay:
    """The OCR engine, its answers kept by image and arguments so a threshold sweep reuses them."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.answers: dict[tuple[str, str], Any] = {}

    def __call__(self, image: Any, **kwargs: Any) -> Any:
        key = (hashlib.sha1(image.tobytes() + str(image.shape).encode()).hexdigest(), repr(sorted(kwargs.items())))
        if key not in self.answers:
            self.answers[key] = self.engine(image, **kwargs)
        return self.answers[key]


def _reports() -> dict[str, govreport.Report]:
    from test_ocr import report_2019, report_2021

    return {"2021": report_2021(), "2019": report_2019()}


def _printed(report: govreport.Report) -> dict[str, Any]:
    from render_files import render_html

    read = govreport.parse_html(render_html(report))
    return {k: c.value for k, c in read.keyed_cells() if c.value is not None and c.status == "number"}


def score(read: govreport.Report, printed: dict[str, Any]) -> Counter[str]:
    cells = dict(read.keyed_cells())
    counts: Counter[str] = Counter()
    for key, value in printed.items():
        cell = cells.get(key)
        if cell is None or cell.value is None:
            counts["none"] += 1
        elif cell.value != value:
            counts["wrong"] += 1
        elif cell.status == "inferred":
            counts["inferred"] += 1
        else:
            counts["exact"] += 1
    return counts


def accuracy() -> None:
    from render_scan import render_scan

    replay = _Replay(ocr._engine())
    ocr._engine.cache_clear()
    original = ocr._engine
    ocr._engine = lambda: replay  # type: ignore[assignment]
    try:
        print(f"{'scan':<26} {'values':>6} {'exact':>6} {'infer':>6} {'None':>6} {'wrong':>6}   by threshold")
        for template, report in _reports().items():
            printed = _printed(report)
            for noise in NOISES:
                pdf = render_scan(report, noise=noise)
                sweep = []
                for threshold in THRESHOLDS:
                    extracted = ocr.read_scanned(govreport.readers.Content(pdf, "<scan>"), threshold=threshold)
                    read = govreport.files._parse_extracted(extracted)
                    counts = score(read, printed)
                    sweep.append((threshold, counts))
                    if threshold == ocr.CONFIDENCE_THRESHOLD:
                        main = counts
                name = f"{template} {'+'.join(noise) or 'clean'}"
                others = "  ".join(
                    f"{t}: {c['exact'] + c['inferred']}/{c['wrong']}w"
                    for t, c in sweep
                    if t != ocr.CONFIDENCE_THRESHOLD
                )
                print(
                    f"{name:<26} {len(printed):>6} {main['exact']:>6} {main['inferred']:>6} {main['none']:>6} "
                    f"{main['wrong']:>6}   {others}"
                )
    finally:
        ocr._engine = original  # type: ignore[assignment]
    print(f"\n(threshold {ocr.CONFIDENCE_THRESHOLD}; 'by threshold': values read (exact + inferred) / wrong)")


def speed() -> None:
    import pypdfium2
    from ratio import Case, compare, pin_to_one_cpu, print_table
    from render_scan import render_scan
    from test_ocr import report_2021

    print(pin_to_one_cpu())
    pdf = render_scan(report_2021())
    page_pdf = pypdfium2.PdfDocument.new()
    page_pdf.import_pages(pypdfium2.PdfDocument(pdf), [1])  # the page of table 三
    import io

    buffer = io.BytesIO()
    page_pdf.save(buffer)
    one_page = buffer.getvalue()

    def render() -> None:
        document = pypdfium2.PdfDocument(one_page)
        document[0].render(scale=ocr.OCR_DPI / 72, grayscale=True).to_pil()
        document.close()

    def read() -> None:
        ocr.read_scanned(govreport.readers.Content(one_page, "<scan>"))

    rows = compare([Case("render the page (floor)", render), Case("OCR read of the page", read)], rounds=3)
    ratios = print_table("one A4 page of table 三, 150 dpi", rows, floor="render the page (floor)", unit="page")
    print(f"pages per second per core: {1 / rows[1].seconds:.3f}  ({ratios['OCR read of the page']:.0f}× the floor)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speed", action="store_true", help="also time OCR against rendering, on one core")
    args = parser.parse_args()
    accuracy()
    if args.speed:
        speed()


if __name__ == "__main__":
    main()
