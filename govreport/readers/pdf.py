"""PDF files: the text layer, with tables read by their ruling lines.

Uses pdfplumber (optional extra ``govreport[pdf]``).  On each page the tables drawn with
ruling lines are found and read cell by cell, so every value keeps its row and column
even when the text order of the page would interleave a wrapped label with numbers.
A merged cell is empty in every position but its first, as in the tab layout.  The
text outside the tables is read line by line, and tables and lines are put back in
page order by their vertical position.  A page without ruling lines is read as text.
"""

from __future__ import annotations

import io
from typing import Any

from ..errors import ScannedPdfError, UnreadableFileError
from ..model import Source
from .content import Content, Extracted
from .extras import require
from .grid import grid_lines


def read_pdf(content: Content) -> Extracted:
    """The ``pdf`` reader: the text, and the number of pages in ``Source.pages``."""
    text, pages = pdf_to_text(content.data, content.name)
    return Extracted(text, Source("pdf", content.name, pages=pages))


def pdf_to_text(data: bytes, name: str) -> tuple[str, int]:
    """The text of a PDF as the parser reads it, and its number of pages."""
    pdfplumber = require("pdfplumber", "reading PDF", "pdf")
    pages: list[str] = []
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                chars += len(page.chars)
                pages.append("\n".join(_page_lines(page)))
                page.close()  # pdfplumber caches layout objects per page; free them as we go
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        reason = type(exc).__name__ + (f": {exc}" if str(exc) else "")
        if "Password" in type(exc).__name__ or "encrypt" in str(exc).lower():
            reason = f"the PDF is encrypted ({reason})"
        raise UnreadableFileError(name, f"cannot read the PDF: {reason}") from exc
    if pages and chars == 0:
        raise ScannedPdfError(
            name,
            f"the PDF has {len(pages)} page(s) but no text layer (a scan): run OCR on it first "
            "(for example ocrmypdf) and parse the result",
        )
    return "\n".join(pages), len(pages)


def _page_lines(page: Any) -> list[str]:
    """Tables and text lines of one page, top to bottom."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    blocks: list[tuple[float, list[str]]] = [(t.bbox[1], grid_lines(t.extract())) for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    rest = page.filter(outside) if boxes else page
    blocks.extend((line["top"], [line["text"]]) for line in rest.extract_text_lines())
    blocks.sort(key=lambda block: block[0])
    return [line for _, lines in blocks for line in lines]
