"""Where each cell and diagnostic is in the source document: ``Cell.origin``, ``Diagnostic.page``.

A ``Span`` points into the text a reader extracted, which no one can find in a PDF.  The
reader keeps where each stretch of that text came from (``Extracted.origins``); a cell's
span (an offset range of that same text: ``parse`` keeps offsets into its input) is looked
up there by bisection.  A cell covering several runs (a number printed as two words) is
placed at the union of their boxes; what its runs disagree on (two tables, two pages) is
left ``None`` rather than picked.

A number read by OCR (its origin has a ``confidence``: a scanned PDF) becomes status ``ocr``
here, after the checks and inference have read it as a printed number; a cell of several
runs has the lowest of their scores.

A cell with nothing printed (``blank``, ``missing``, ``inferred``) has no origin: a blank
cell's span is its row label's, and the label's box is not the cell's.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate

from attrs import evolve

from .model import Cell, Diagnostic, Origin, Report
from .readers.content import Origins


def attach_origins(report: Report, text: str, origins: Origins | None) -> Report:
    """``report`` with ``Cell.origin`` set for every printed cell and ``Diagnostic.page`` for
    every diagnostic with a line, from the reader's ``origins`` of ``text`` (the text parsed)."""
    if not origins:
        return report
    changes: dict[str, Cell] = {}
    for key, cell in report.keyed_cells():
        if cell.span is None or not cell.raw:
            continue
        origin = merged(origins.covering(cell.span.start, cell.span.end))
        if origin is not None:
            # a number read by OCR (a scanned PDF) is told apart from one printed in a text layer
            status = "ocr" if origin.confidence is not None and cell.status == "number" else cell.status
            changes[key] = evolve(cell, origin=origin, status=status)
    if changes:
        report = report.with_cells(changes)
    if any(d.line is not None for d in report.diagnostics) and origins.places[0].page is not None:
        report = evolve(report, diagnostics=_paged(report.diagnostics, text, origins))
    return report


def merged(places: Sequence[Origin]) -> Origin | None:
    """One origin for the runs of one cell: what they all agree on, and the union of their boxes."""
    if not places:
        return None
    first = places[0]
    if all(place == first for place in places):
        return first

    def common(values: list[int | None]) -> int | None:
        return values[0] if all(v == values[0] for v in values) else None

    page = common([p.page for p in places])
    boxes = [p.bbox for p in places]
    bbox = None
    if page is not None and all(b is not None for b in boxes):
        known = [b for b in boxes if b is not None]
        bbox = (
            min(b[0] for b in known),
            min(b[1] for b in known),
            max(b[2] for b in known),
            max(b[3] for b in known),
        )
    table = common([p.table for p in places])
    row = common([p.row for p in places]) if table is not None else None
    column = common([p.column for p in places]) if row is not None else None
    scores = [p.confidence for p in places]
    confidence = None if any(s is None for s in scores) else min(s for s in scores if s is not None)
    origin = Origin(page, bbox, table, row, column, confidence)
    return None if origin == Origin() else origin


def _paged(diagnostics: Sequence[Diagnostic], text: str, origins: Origins) -> tuple[Diagnostic, ...]:
    """The diagnostics, each with a line given the page that line is on."""
    starts = [0, *accumulate(len(line) + 1 for line in text.split("\n"))]
    out = []
    for diagnostic in diagnostics:
        if diagnostic.line is not None and 1 <= diagnostic.line < len(starts) and diagnostic.page is None:
            offset = starts[diagnostic.line - 1] + max((diagnostic.column or 1) - 1, 0)
            place = origins.before(offset)
            if place is not None and place.page is not None:
                diagnostic = evolve(diagnostic, page=place.page)
        out.append(diagnostic)
    return tuple(out)
