"""PDF files: the text layer, with tables read by their ruling lines.

Uses pdfplumber (optional extra ``govreport[pdf]``).  On each page the tables drawn with
ruling lines are found and read cell by cell, so every value keeps its row and column
even when the text order of the page would interleave a wrapped label with numbers.
A merged cell is empty in every position but its first, as in the tab layout.  The
text outside the tables is read line by line, and tables and lines are put back in
page order by their vertical position.  A page without ruling lines is read as text.

Every word of a text line keeps its page and box (``Origin``: 1-based page, ``(x0, top,
x1, bottom)`` in PDF points from the top-left corner, as pdfplumber gives them), and every
table cell the box its ruling lines draw: ``Extracted.origins``.

Hostile and damaged files are bounded and reported, never read wrong in silence:

* more pages than ``Content.max_pages`` are refused before any page's text is read
  (pdfplumber reads about 14 pages a second, and a report has 4 to 30);
* an encrypted PDF that needs a password is refused saying so (one encrypted with the
  empty password, which any viewer opens, is read);
* a PDF whose cross-reference table is lost (a download cut short) is read from its
  complete objects; a page that refers to an object the file no longer holds (a font, a
  content stream) is left out rather than read without it, and reported (``pages-lost``);
* what pdfminer logs while reading (``Data-loss while decompressing corrupted data``) is
  reported as ``pdf-damaged``: pdfminer says nothing of damage in any other way.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from ..errors import ScannedPdfError, UnreadableFileError
from ..model import Diagnostic, Origin, Source
from .content import MAX_PAGES, Content, Extracted, Origins, PlacedLine, Run, placed_text
from .extras import require
from .grid import grid_cells

# Resources that cannot carry text: a page that lost one of them is still read whole.
_NO_TEXT = frozenset({"Parent", "ColorSpace", "Pattern", "Shading", "ExtGState", "Annots", "Thumb", "Metadata"})
# What decodes a font's text only when it has no ToUnicode map.
_GLYPHS = frozenset({"FontFile", "FontFile2", "FontFile3", "CIDSystemInfo", "CIDSet"})
_CATALOG = re.compile(rb"/Type\s*/Catalog\b")
_OBJECT_HEAD = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj\b")
_ENCRYPTION = re.compile(rb"/Filter\s*/Standard\b")
_LOSS = re.compile(r"data-loss|corrupt|truncat|eof|decompress|decode|missing", re.IGNORECASE)
_MAX_MESSAGES = 20  # distinct pdfminer messages reported for one file


def read_pdf(content: Content) -> Extracted:
    """The ``pdf`` reader: the text, the number of pages in ``Source.pages``, what was lost, and
    the page and box of each word and table cell."""
    text, pages, diagnostics, origins = pdf_to_placed_text(content.data, content.name, content.max_pages)
    return Extracted(text, Source("pdf", content.name, pages=pages), diagnostics, origins)


def pdf_to_text(data: bytes, name: str, max_pages: int = MAX_PAGES) -> tuple[str, int, tuple[Diagnostic, ...]]:
    """The text of a PDF as the parser reads it, its number of pages, and what could not be read."""
    text, pages, diagnostics, _ = pdf_to_placed_text(data, name, max_pages)
    return text, pages, diagnostics


def pdf_to_placed_text(
    data: bytes, name: str, max_pages: int = MAX_PAGES
) -> tuple[str, int, tuple[Diagnostic, ...], Origins]:
    """``pdf_to_text``, and where each word and table cell of the text is on its page."""
    pdfplumber = require("pdfplumber", "reading PDF", "pdf")
    with _PdfminerLog() as log:
        pdf, repaired = _open(pdfplumber, data, name)
        try:
            return _read(pdf, name, max_pages, repaired, log)
        finally:
            # pdfplumber's close() lists every page first: not for a document refused as too long.
            if "_pages" in vars(pdf):
                pdf.close()


def _open(pdfplumber: Any, data: bytes, name: str) -> tuple[Any, bool]:
    """The open PDF, and whether it had to be repaired (its cross-reference table was lost)."""
    try:
        return pdfplumber.open(io.BytesIO(data)), False
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        cause = _cause(exc)
        if _is_encryption_error(cause):
            raise UnreadableFileError(name, _encryption_reason(cause)) from exc
        repaired = _repair(data)
        if repaired is not None:
            try:
                return pdfplumber.open(io.BytesIO(repaired)), True
            except Exception:
                pass
        raise UnreadableFileError(name, f"cannot read the PDF: {_reason(cause)}") from exc


def _read(
    pdf: Any, name: str, max_pages: int, repaired: bool, log: _PdfminerLog
) -> tuple[str, int, tuple[Diagnostic, ...], Origins]:
    from pdfminer.pdfpage import PDFPage

    declared = _declared_pages(pdf.doc)
    found = sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), max_pages + 1))
    if found > max_pages:
        count = (
            f"{declared:,} pages" if declared is not None and declared > max_pages else f"more than {max_pages:,} pages"
        )
        raise UnreadableFileError(
            name,
            f"the PDF has {count}, more than the limit of {max_pages:,} (a report has 4 to 30); "
            "pass max_pages= to read a longer document",
        )
    diagnostics: list[Diagnostic] = []
    if repaired:
        diagnostics.append(
            Diagnostic(
                "pdf-damaged",
                "the PDF is damaged (cut short, or its cross-reference table is lost): "
                "it is read from the objects it still holds whole",
            )
        )
    messages: dict[str, list[int]] = {}
    for message in log.take():
        messages.setdefault(message, [])
    texts: list[list[PlacedLine]] = []
    lost: list[int] = []
    chars = 0
    try:
        pages = pdf.pages
    except Exception as exc:  # the page tree itself is damaged
        raise UnreadableFileError(name, f"cannot read the PDF's pages: {_reason(_cause(exc))}") from exc
    for number, page in enumerate(pages, 1):
        try:
            if repaired and _refers_to_lost_object(pdf.doc, page.page_obj.attrs):
                lost.append(number)
                continue
            chars += len(page.chars)
            texts.append(_page_lines(page, number) or [("", ())])
        except MemoryError:
            raise
        except Exception as exc:  # a damaged page: the others are still read
            lost.append(number)
            messages.setdefault(f"{_reason(_cause(exc))}", []).append(number)
        finally:
            page.close()  # pdfplumber caches layout objects per page; free them as we go
        for message in log.take():
            messages.setdefault(message, []).append(number)
    total = max(len(pages), declared or 0)
    if not texts:
        if lost:
            raise UnreadableFileError(name, f"cannot read the PDF: none of its {total:,} page(s) could be read")
        raise UnreadableFileError(name, "cannot read the PDF: it has no pages")
    if chars == 0:
        raise ScannedPdfError(
            name,
            f"the PDF has {len(texts)} page(s) but no text layer (a scan): run OCR on it first "
            "(for example ocrmypdf) and parse the result",
        )
    missing = lost + list(range(len(pages) + 1, total + 1))
    if missing:
        diagnostics.append(
            Diagnostic(
                "pages-lost",
                f"{len(missing)} of the PDF's {total} pages could not be read ({_pages(missing)}): "
                "the file is damaged or cut short; what they printed is not in the text",
                raw=_pages(missing),
            )
        )
    diagnostics.extend(_damage(messages))
    text, origins = placed_text(itertools.chain.from_iterable(texts))
    return text, total, tuple(diagnostics), origins


def _damage(messages: dict[str, list[int]]) -> list[Diagnostic]:
    """One ``pdf-damaged`` per distinct message pdfminer logged, with the pages it was on."""
    found = []
    for message, pages in itertools.islice(messages.items(), _MAX_MESSAGES):
        where = f"on {_pages(sorted(set(pages)))}" if pages else "while opening the file"
        severity = "warning" if _LOSS.search(message) else "info"
        found.append(Diagnostic("pdf-damaged", f"pdfminer reported {where}: {message}", raw=message, severity=severity))
    if len(messages) > _MAX_MESSAGES:
        found.append(Diagnostic("pdf-damaged", f"... and {len(messages) - _MAX_MESSAGES} more messages from pdfminer"))
    return found


def _pages(numbers: Iterable[int]) -> str:
    """``page 3`` or ``pages 2, 5, 6``."""
    listed = [str(n) for n in numbers]
    return ("page " if len(listed) == 1 else "pages ") + ", ".join(listed)


def _declared_pages(doc: Any) -> int | None:
    """The page count the page tree declares (``/Count``), if it is a whole number."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(doc.catalog.get("Pages")).get("Count"))
    except Exception:
        return None
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else None


def _refers_to_lost_object(doc: Any, attrs: dict[str, Any]) -> bool:
    """Whether a page's contents or text resources (fonts, forms) refer to an object the file
    does not hold: read without it, the page's text would be incomplete or wrongly decoded.
    A font's glyph program and character collection (``_GLYPHS``) only decode its text when it
    has no ``ToUnicode`` map, so with one they may be lost."""
    from pdfminer.pdftypes import PDFObjRef, PDFStream

    stack: list[tuple[Any, str, bool]] = [(attrs.get("Contents"), "Contents", False)]
    stack.append((attrs.get("Resources"), "Resources", False))
    seen: set[int] = set()
    while stack:
        obj, key, mapped = stack.pop()
        if isinstance(obj, PDFObjRef):
            if obj.objid in seen:
                continue
            seen.add(obj.objid)
            try:
                obj = doc.getobj(obj.objid)
            except Exception:  # PDFObjectNotFound, or an object cut in two
                if key in _GLYPHS and mapped:
                    continue
                return True
        if isinstance(obj, PDFStream):
            obj = obj.attrs
        if isinstance(obj, dict):
            mapped = mapped or _has_unicode_map(doc, obj)
            stack.extend((value, name, mapped) for name, value in obj.items() if name not in _NO_TEXT)
        elif isinstance(obj, list):
            stack.extend((value, key, mapped) for value in obj)
    return False


def _has_unicode_map(doc: Any, font: dict[str, Any]) -> bool:
    """Whether a font dictionary's ``ToUnicode`` map is in the file."""
    from pdfminer.pdftypes import PDFObjRef, PDFStream

    target = font.get("ToUnicode")
    if isinstance(target, PDFObjRef):
        try:
            target = doc.getobj(target.objid)
        except Exception:
            return False
    return isinstance(target, PDFStream)


def _repair(data: bytes) -> bytes | None:
    """A PDF whose cross-reference table and trailer are lost, made readable: cut after its
    last complete object, with a trailer naming its catalog.  pdfminer then finds the
    objects by scanning the file.  None when there is no catalog to name, or the file was
    encrypted (its key is in the lost trailer)."""
    end = data.rfind(b"endobj")
    if end == -1:
        return None
    body = data[: end + len(b"endobj")]
    catalog = _CATALOG.search(body)
    if catalog is None or _ENCRYPTION.search(body):
        return None
    heads = list(_OBJECT_HEAD.finditer(body, max(0, catalog.start() - 65_536), catalog.start()))
    if not heads:
        return None
    head = heads[-1]
    root = f"{int(head.group(1))} {int(head.group(2))} R".encode()
    return body + b"\ntrailer\n<< /Root " + root + b" >>\n%%EOF\n"


def _cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exception in its ``PdfminerException``: the one inside."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
    return inner or exc.__cause__ or exc.__context__ or exc


def _reason(exc: BaseException) -> str:
    return type(exc).__name__ + (f": {exc}" if str(exc) else "")


def _is_encryption_error(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError

    return isinstance(exc, PDFEncryptionError)


def _encryption_reason(exc: BaseException) -> str:
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    if isinstance(exc, PDFPasswordIncorrect):
        return (
            "the PDF is encrypted and needs a password to open: decrypt it first "
            "(for example qpdf --decrypt --password=PASSWORD in.pdf out.pdf) and parse the result"
        )
    return f"the PDF is encrypted with a method pdfminer cannot decrypt ({_reason(exc)}): decrypt it first"


class _PdfminerLog(logging.Handler):
    """The warnings pdfminer logs while this thread reads the file, in order."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())

    def take(self) -> list[str]:
        """The messages logged since the last call."""
        messages, self.messages = self.messages, []
        return messages

    def __enter__(self) -> _PdfminerLog:
        logging.getLogger("pdfminer").addHandler(self)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        logging.getLogger("pdfminer").removeHandler(self)


def _page_lines(page: Any, number: int) -> list[PlacedLine]:
    """Tables and text lines of one page, top to bottom, with where their words are."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    chars = page.chars if tables else []
    blocks: list[tuple[float, list[PlacedLine]]] = [(t.bbox[1], _table_lines(t, number, chars)) for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    rest = page.filter(outside) if boxes else page
    blocks.extend(
        (line["top"], [(line["text"], _word_runs(line["text"], line.get("chars") or [], number, _line_box(line)))])
        for line in rest.extract_text_lines()
    )
    blocks.sort(key=lambda block: block[0])
    return [line for _, lines in blocks for line in lines]


def _table_lines(table: Any, number: int, chars: list[dict[str, Any]]) -> list[PlacedLine]:
    """A table's grid lines, each word of a cell placed at its characters.

    pdfplumber's ``Table.rows`` hold the cells of ``Table.extract()`` position for position,
    and a cell's text is made of the characters whose centre is in the cell (and in its
    row): the same characters are found here, in the order its text puts them.  A cell whose
    text and characters disagree is placed at its ruled box."""
    x0, top, x1, bottom = table.bbox
    inside = [(c, (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in chars]
    inside = [entry for entry in inside if x0 <= entry[1] <= x1 and top <= entry[2] <= bottom]
    found: dict[tuple[int, int], list[dict[str, Any]]] = {}
    rows = table.rows
    for r, row in enumerate(rows):
        rx0, rtop, rx1, rbottom = row.bbox
        in_row = [entry for entry in inside if rx0 <= entry[1] < rx1 and rtop <= entry[2] < rbottom]
        for column, cell in enumerate(row.cells):
            if cell is not None:
                cx0, ctop, cx1, cbottom = cell
                found[r, column] = [c for c, x, y in in_row if cx0 <= x < cx1 and ctop <= y < cbottom]
    lines: list[PlacedLine] = []
    for index, line, cells in grid_cells(table.extract()):
        boxes = rows[index].cells if index < len(rows) else []
        runs: list[Run] = []
        for start, end, column in cells:
            box = boxes[column] if column < len(boxes) else None
            if box is None:
                runs.append((start, end, Origin(number)))
                continue
            ordered = _reading_order(found.get((index, column), []))
            words = _word_runs(line[start:end], ordered, number, _box(box))
            runs.extend((start + a, start + b, origin) for a, b, origin in words)
        lines.append((line, runs))
    return lines


def _reading_order(chars: list[dict[str, Any]], tolerance: float = 3) -> list[dict[str, Any]]:
    """Characters as pdfplumber's text puts them: lines top to bottom (tops within
    ``tolerance`` are one line), each left to right."""
    ordered: list[dict[str, Any]] = []
    line: list[dict[str, Any]] = []
    for char in sorted(chars, key=lambda c: c["top"]):
        if line and char["top"] - line[0]["top"] > tolerance:
            ordered.extend(sorted(line, key=lambda c: c["x0"]))
            line = []
        line.append(char)
    ordered.extend(sorted(line, key=lambda c: c["x0"]))
    return ordered


def _word_runs(
    text: str, chars: list[dict[str, Any]], number: int, whole: tuple[float, float, float, float]
) -> list[Run]:
    """Each word of ``text`` (what whitespace separates) at the union of its characters' boxes.

    ``text`` is the characters' text in order, with spaces and line breaks put between words
    or dropped (a cell's lines joined); should the two ever disagree, the whole text is placed
    at the box ``whole`` (the line's, the cell's) rather than a word at a wrong one."""
    runs: list[Run] = []
    start: int | None = None
    box = [0.0, 0.0, 0.0, 0.0]
    at = k = 0
    while k < len(chars) and chars[k]["text"].isspace():
        k += 1
    while at < len(text):
        piece = chars[k]["text"] if k < len(chars) else ""
        if piece and text.startswith(piece, at):
            char = chars[k]
            if start is None:
                start, box = at, [char["x0"], char["top"], char["x1"], char["bottom"]]
            else:
                box = [
                    min(box[0], char["x0"]),
                    min(box[1], char["top"]),
                    max(box[2], char["x1"]),
                    max(box[3], char["bottom"]),
                ]
            at += len(piece)
            k += 1
            while k < len(chars) and chars[k]["text"].isspace():
                k += 1  # a space of the PDF: the text has its own, or none
        elif text[at].isspace():
            if start is not None:
                runs.append((start, at, Origin(number, _box(box))))
            start = None
            at += 1
        else:
            return [(0, len(text), Origin(number, whole))]
    if start is not None:
        runs.append((start, len(text), Origin(number, _box(box))))
    return runs


def _line_box(line: dict[str, Any]) -> tuple[float, float, float, float]:
    return _box((line["x0"], line["top"], line["x1"], line["bottom"]))


def _box(box: Any) -> tuple[float, float, float, float]:
    """A box in PDF points, to 1/100 point (pdfplumber's sums carry float noise: 478.82294117647047)."""
    x0, top, x1, bottom = box
    return round(float(x0), 2), round(float(top), 2), round(float(x1), 2), round(float(bottom), 2)
