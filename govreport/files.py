"""``parse_file`` and ``parse_html``: read a file with the right reader, then parse its text."""

from __future__ import annotations

from typing import Any

from attrs import evolve

from .errors import NotAReportError, ParseError
from .model import Report, Source
from .pipeline import parse
from .provenance import attach_origins
from .readers import MAX_FILE_BYTES, MAX_PAGES, Extracted, FileInput, find_reader, read_file
from .readers.html import html_to_placed_text


def parse_file(
    file: FileInput,
    *,
    kind: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_pages: int = MAX_PAGES,
    **options: Any,
) -> Report:
    """Parse a report file: text in any common encoding, HTML, PDF, Word (.docx), or a registered format.

    ``file`` is a path, bytes or a binary file object; the reader is chosen from the
    content (``kind``, one of ``govreport.readers.kinds()``, overrides it).  A file of more
    than ``max_bytes`` bytes, or a PDF of more than ``max_pages`` pages, is refused with
    ``UnreadableFileError`` before it is read.  ``options`` are those of ``parse``.  The
    report's ``source`` records the kind, the detected encoding and the page count; its
    spans point into the extracted text, which ``govreport.read_file`` returns.  What the
    reader could not read (the pages of a damaged PDF) comes first in its diagnostics.
    """
    return _parse_extracted(read_file(file, kind=kind, max_bytes=max_bytes, max_pages=max_pages), **options)


def parse_html(html: str | bytes, **options: Any) -> Report:
    """Parse a report given as HTML: a string (a whole page or a fragment), or bytes in any encoding."""
    if isinstance(html, (bytes, bytearray)):
        return _parse_extracted(read_file(bytes(html), kind="html"), **options)
    if not isinstance(html, str):
        raise TypeError(f"parse_html takes a str or bytes, not {type(html).__name__}")
    text, origins = html_to_placed_text(html)
    return _parse_extracted(Extracted(text, Source("html"), origins=origins), **options)


def _parse_extracted(extracted: Extracted, **options: Any) -> Report:
    # The reader says whether its tables are exact grids (the text reader's are not).
    reader = find_reader(extracted.source.kind)
    grid = reader.grid if reader is not None else extracted.source.kind != "text"
    # The reader's diagnostics count for ``strict`` too, so parse is told not to raise first.
    strict = bool(options.get("strict", False)) and bool(extracted.diagnostics)
    if strict:
        options = {**options, "strict": False}
    try:
        report = parse(extracted.text, **{"grid": grid, **options})
    except NotAReportError as exc:
        # A damaged file may have lost what made it a report: say so with the refusal.
        lost = "".join(f"; {d.code}: {d.message}" for d in extracted.diagnostics if d.severity != "info")
        message = f"{exc.args[0] if exc.args else exc}{lost}"
        exc.args = (f"{extracted.source.name}: {message}" if extracted.source.name else message, *exc.args[1:])
        raise
    report = evolve(report, source=extracted.source, diagnostics=extracted.diagnostics + report.diagnostics)
    report = attach_origins(report, extracted.text, extracted.origins)
    if strict and any(d.severity != "info" for d in report.diagnostics):
        raise ParseError([d for d in report.diagnostics if d.severity != "info"])
    return report
