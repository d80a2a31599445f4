"""PDF files: the text layer, with tables read by their ruling lines, on PDFium.

Uses pypdfium2 (PDFium, Chrome's PDF engine; optional extra ``govreport[pdf]``): the
characters of each page with their boxes, and the paths it draws.  The tables drawn with
ruling lines are found from the paths' horizontal and vertical segments (a thin filled
rectangle is a rule too) and read cell by cell, so every value keeps its row and column
even when the text order of the page would interleave a wrapped label with numbers.  A
merged cell is empty in every position but its first, as in the tab layout.  The text
outside the tables is read line by line, and tables and lines are put back in page order
by their vertical position.  A page without ruling lines is read as text.

The rules become cells and tables by pdfplumber's table algorithm (snap and join the rules,
find their crossings, the cells, the tables), the one the OFD reader uses, written again
in ``lattice.py``: PDFium is the only dependency, and the tables are pdfplumber's.

Every word of a text line keeps its page and box (``Origin``: 1-based page, ``(x0, top,
x1, bottom)`` in PDF points from the top-left corner; PDFium's origin is the bottom-left:
the boxes are turned over here), and so does every word of a table cell (the cell's
ruled box when its text and characters cannot be matched): ``Extracted.origins``.  A
word's box spans its characters' advances across and their ink down (the font's ascent
and descent would reach into the lines above and below).  Characters are grouped into
lines and words as pdfplumber groups them (3 points of tolerance), so the text is the
one the pdfplumber reader gave.

Speed: the per-character calls (one loose box, one ink box) cost less than PDFium's own
building of the text page; what is left is Python's grouping of characters and the
enumeration of the page's objects for its paths (``benchmarks/pdf_speed.py``).

PDFium is not thread-safe: one lock serialises the documents a process reads (a batch
reads in a pool of processes, each with its own PDFium).

Hostile and damaged files are bounded and reported, never read wrong in silence:

* more pages than ``Content.max_pages`` are refused before any page is read;
* an encrypted PDF that needs a password is refused saying so (one encrypted with the
  empty password, which any viewer opens, is read);
* a PDF whose cross-reference table is lost (a download cut short) is read from its
  complete objects (``pdf-damaged``); a page whose content or fonts refer to an object the
  file no longer holds (PDFium would read it without, or not load it) is left out and
  reported (``pages-lost``), never read half or as the wrong characters;
* a compressed stream whose data is damaged (PDFium decodes what it can and says
  nothing) is found by decompressing the file's streams and reported as ``pdf-damaged``,
  with the page it is the content of.

The file's own syntax for these is read in ``pdfbytes.py``.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import threading
from bisect import bisect_left
from collections.abc import Iterable
from typing import Any, NamedTuple

from ..errors import ScannedPdfError, UnreadableFileError
from ..model import Diagnostic, Origin, Source
from .content import MAX_PAGES, Content, Extracted, Origins, PlacedLine, Run, placed_text
from .extras import require
from .grid import grid_cells
from .lattice import Rule, Table, tables
from .pdfbytes import damaged_streams, pages_needing_lost_objects, repair

_MAX_MESSAGES = 20  # distinct damage messages reported for one file


class _PageLost(Exception):
    """A page PDFium cannot read."""


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
    pdfium = require("pypdfium2", "reading PDF", "pdf")
    with PDFIUM_LOCK:
        doc, repaired = _open(pdfium, data, name)
        try:
            return _read(pdfium.raw, doc, data, name, max_pages, repaired)
        finally:
            doc.close()


def _open(pdfium: Any, data: bytes, name: str) -> tuple[Any, bytes | None]:
    """The open PDF, and the repaired file it was opened from when its cross-reference table was lost."""
    try:
        return pdfium.PdfDocument(data), None
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise UnreadableFileError(
                name,
                "the PDF is encrypted and needs a password to open: decrypt it first "
                "(for example qpdf --decrypt --password=PASSWORD in.pdf out.pdf) and parse the result",
            ) from exc
        if code == pdfium.raw.FPDF_ERR_SECURITY:
            raise UnreadableFileError(
                name, "the PDF is encrypted with a method PDFium cannot decrypt: decrypt it first"
            ) from exc
        repaired = repair(data)
        if repaired is not None:
            try:
                return pdfium.PdfDocument(repaired), repaired
            except pdfium.PdfiumError:
                pass
        raise UnreadableFileError(name, f"cannot read the PDF: {_reason(exc)}") from exc


def _read(
    raw: Any, doc: Any, data: bytes, name: str, max_pages: int, repaired: bytes | None
) -> tuple[str, int, tuple[Diagnostic, ...], Origins]:
    total = len(doc)
    if total > max_pages:
        raise UnreadableFileError(
            name,
            f"the PDF has {total:,} pages, more than the limit of {max_pages:,} (a report has 4 to 30); "
            "pass max_pages= to read a longer document",
        )
    diagnostics: list[Diagnostic] = []
    needing: set[int] = set()
    if repaired is not None:
        needing = pages_needing_lost_objects(repaired) or set()
        diagnostics.append(
            Diagnostic(
                "pdf-damaged",
                "the PDF is damaged (cut short, or its cross-reference table is lost): "
                "it is read from the objects it still holds whole",
            )
        )
    texts: list[list[PlacedLine]] = []
    lost: list[int] = []
    chars = 0
    for number in range(1, total + 1):
        page = raw.FPDF_LoadPage(doc.raw, number - 1) if number not in needing else None
        if not page:
            lost.append(number)
            continue
        try:
            left, ceiling = _page_origin(raw, page)
            found = _page_chars(raw, page, left, ceiling)
            chars += sum(1 for c in found if c.text not in _SPACE)
            edges = _page_edges(raw, page, left, ceiling) if found else []
            texts.append(_page_lines(found, tables(edges), number) or [("", ())])
        except _PageLost:
            lost.append(number)
        finally:
            raw.FPDF_ClosePage(page)
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
    if lost:
        diagnostics.append(
            Diagnostic(
                "pages-lost",
                f"{len(lost)} of the PDF's {total} pages could not be read ({_pages(lost)}): "
                "the file is damaged or cut short; what they printed is not in the text",
                raw=_pages(lost),
            )
        )
    diagnostics.extend(_damage(damaged_streams(data)))
    text, origins = placed_text(itertools.chain.from_iterable(texts))
    return text, total, tuple(diagnostics), origins


def _page_origin(raw: Any, page: Any) -> tuple[float, float]:
    """The left and top of the page's media box: where ``x0`` and ``top`` are measured from."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if raw.FPDFPage_GetMediaBox(page, left, bottom, right, top):
        return left.value, top.value
    return 0.0, raw.FPDF_GetPageHeightF(page)


def _damage(messages: dict[str, list[int]]) -> list[Diagnostic]:
    """One ``pdf-damaged`` per distinct damage found, with the pages it was on."""
    found = []
    for message, pages in itertools.islice(messages.items(), _MAX_MESSAGES):
        where = f"on {_pages(sorted(set(pages)))}" if pages else "in an object of the file"
        found.append(
            Diagnostic("pdf-damaged", f"the PDF is damaged {where}: {message}", raw=message, severity="warning")
        )
    if len(messages) > _MAX_MESSAGES:
        found.append(Diagnostic("pdf-damaged", f"... and {len(messages) - _MAX_MESSAGES} more damaged objects"))
    return found


def _pages(numbers: Iterable[int]) -> str:
    """``page 3`` or ``pages 2, 5, 6``."""
    listed = [str(n) for n in numbers]
    return ("page " if len(listed) == 1 else "pages ") + ", ".join(listed)


def _reason(exc: BaseException) -> str:
    return type(exc).__name__ + (f": {exc}" if str(exc) else "")


PDFIUM_LOCK = threading.RLock()  # PDFium is not thread-safe: one document is read at a time per process
_TOLERANCE = 3.0  # points: pdfplumber's defaults for snapping rules and grouping characters
_SPACE = frozenset(" \t\r\n\u3000\xa0")


class _Char(NamedTuple):
    """One printed character: its text, its advance box (``x0``, ``x1``; ``top``, ``bottom`` from
    the font's ascent and descent, which group characters into lines) and the top and bottom
    of its ink (what a word's box holds), in points from the page's top-left corner.  A named
    tuple, not an attrs class: a page has a thousand of them, made in the reader's inner loop."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    ink_top: float
    ink_bottom: float


def _page_chars(raw: Any, page: Any, left: float, ceiling: float) -> list[_Char]:
    """The characters of a page, spaces the PDF prints included (they separate words) and the
    ones PDFium puts in itself (line breaks, guessed spaces) left out."""
    textpage = raw.FPDFText_LoadPage(page)
    if not textpage:
        raise _PageLost("PDFium could not read the page's text")
    try:
        count = raw.FPDFText_CountChars(textpage)
        if count <= 0:
            return []
        buffer = ctypes.create_string_buffer((count + 1) * 2)
        raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        units = buffer.raw[: count * 2]
        text = units.decode("utf-16-le", errors="replace")
        if len(text) != count:  # characters outside the BMP: one per index instead
            text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(count))
        loose = raw.FS_RECTF()
        ink_left, ink_right, ink_bottom, ink_top = (ctypes.c_double() for _ in range(4))
        loose_box, ink_box, generated = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharBox, raw.FPDFText_IsGenerated
        chars: list[_Char] = []
        new = tuple.__new__
        for i, char in enumerate(text):
            if char in _SPACE and generated(textpage, i):
                continue
            if not loose_box(textpage, i, loose) or not ink_box(textpage, i, ink_left, ink_right, ink_bottom, ink_top):
                continue
            x0, x1, top, bottom = loose.left, loose.right, loose.top, loose.bottom
            ink_width, ink_height = ink_right.value - ink_left.value, ink_top.value - ink_bottom.value
            if x1 - x0 > 4 * ink_width + 4 and top - bottom > 4 * ink_height + 4 and char not in _SPACE:
                # a font whose metrics PDFium misreads (seen: a box 200 points wide for a
                # 10-point character): the ink is the better box
                x0, x1, top, bottom = ink_left.value, ink_right.value, ink_top.value, ink_bottom.value
            box = (
                x0 - left,
                ceiling - top,
                x1 - left,
                ceiling - bottom,
                ceiling - ink_top.value,
                ceiling - ink_bottom.value,
            )
            chars.append(new(_Char, (char, *box)))  # _Char(...) without its Python __new__: 1,000 a page
        return chars
    finally:
        raw.FPDFText_ClosePage(textpage)


def _page_edges(raw: Any, page: Any, left: float, ceiling: float) -> list[Rule]:
    """The horizontal and vertical segments every path of the page draws (forms included), as
    pdfplumber's ``edges``: a ruling line, and each side of a rectangle (a thin filled
    rectangle's two long sides snap into one rule)."""
    edges: list[Rule] = []
    matrix = raw.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    kinds = (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM)
    get_object, get_type = _object_calls(raw)
    handle = ctypes.cast(page, ctypes.c_void_p).value
    # A page has a few hundred objects, nearly all text: their types are read with bare calls,
    # and only paths and forms become pypdfium2's typed pointers.
    stack: list[tuple[Any, tuple[float, ...]]] = [
        (ctypes.cast(obj, raw.FPDF_PAGEOBJECT), identity)
        for obj in (get_object(handle, i) for i in range(raw.FPDFPage_CountObjects(page)))
        if get_type(obj) in kinds
    ]
    while stack:
        obj, outer = stack.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in kinds or not raw.FPDFPageObj_GetMatrix(obj, matrix):
            continue
        m = _times((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            stack.extend((raw.FPDFFormObj_GetObject(obj, i), m) for i in range(raw.FPDFFormObj_CountObjects(obj)))
            continue
        a, b, c, d, e, f = m
        start = pen = None
        for i in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, i)
            if not raw.FPDFPathSegment_GetPoint(segment, x, y):
                continue
            point = (a * x.value + c * y.value + e - left, ceiling - (b * x.value + d * y.value + f))
            kind = raw.FPDFPathSegment_GetType(segment)
            if kind == raw.FPDF_SEGMENT_MOVETO or pen is None:
                start = pen = point
                continue
            _add_edge(edges, pen, point)
            pen = point
            if raw.FPDFPathSegment_GetClose(segment) and start is not None:
                _add_edge(edges, pen, start)
                pen = start
    return edges


@functools.cache
def _object_calls(raw: Any) -> tuple[Any, Any]:
    """``FPDFPage_GetObject`` and ``FPDFPageObj_GetType`` taking and giving bare addresses: half
    the cost of a call through pypdfium2's typed pointers (measured: 1.9 against 3.5 µs)."""
    get_object = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
    get_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
    return get_object(_address(raw.FPDFPage_GetObject)), get_type(_address(raw.FPDFPageObj_GetType))


def _address(function: Any) -> int:
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address is not None  # a function of a loaded library
    return address


def _times(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix product ``m × n`` (PDF's row-vector convention: ``m`` is applied first)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _add_edge(edges: list[Rule], one: tuple[float, float], two: tuple[float, float]) -> None:
    (ax, ay), (bx, by) = one, two
    x0, x1, top, bottom = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
    if bottom - top < 0.01 < x1 - x0:
        edges.append(("h", x0, top, x1, top))
    elif x1 - x0 < 0.01 < bottom - top:
        edges.append(("v", x0, top, x0, bottom))


def _page_lines(chars: list[_Char], tables: list[Table], number: int) -> list[PlacedLine]:
    """Tables and text lines of one page, top to bottom, with where their words are."""
    boxes = [t.bbox for t in tables]
    inside: list[_Char] = []
    rest: list[_Char] = []
    for char in chars if boxes else ():
        x, y = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
        for x0, top, x1, bottom in boxes:
            if x0 <= x <= x1 and top <= y <= bottom:
                inside.append(char)
                break
        else:
            rest.append(char)
    if not boxes:
        rest = chars
    blocks: list[tuple[float, list[PlacedLine]]] = [(t.bbox[1], _table_lines(t, number, inside)) for t in tables]
    for line in _lines(rest):
        words = _words(line)
        if words:
            blocks.append((min(c.top for c in line), [_placed_words(words, number)]))
    blocks.sort(key=lambda block: block[0])
    return [line for _, lines in blocks for line in lines]


def _lines(chars: Iterable[_Char]) -> list[list[_Char]]:
    """Characters grouped into lines, top to bottom, each left to right: as pdfplumber clusters
    them, a character joins the line when its bottom is within ``_TOLERANCE`` of the last
    one's (the bottom, not the top: a Latin font's ascent is not a Chinese one's)."""
    lines: list[list[_Char]] = []
    last = None
    for char in sorted(chars, key=lambda c: c.bottom):
        if last is None or char.bottom - last > _TOLERANCE:
            lines.append([])
        lines[-1].append(char)
        last = char.bottom
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def _words(line: list[_Char]) -> list[list[_Char]]:
    """A line's words: a space the PDF prints, or a gap wider than ``_TOLERANCE``, separates two."""
    words: list[list[_Char]] = []
    word: list[_Char] = []
    for char in line:
        if char.text in _SPACE:
            if word:
                words.append(word)
            word = []
            continue
        if word and char.x0 > word[-1].x1 + _TOLERANCE:
            words.append(word)
            word = []
        word.append(char)
    if word:
        words.append(word)
    return words


def _placed_words(words: list[list[_Char]], number: int) -> PlacedLine:
    """A line of words joined by spaces, each word at the box of its characters."""
    runs: list[Run] = []
    parts: list[str] = []
    at = 0
    for word in words:
        text = "".join(c.text for c in word)
        runs.append((at, at + len(text), Origin(number, _word_box(word))))
        parts.append(text)
        at += len(text) + 1
    return " ".join(parts), runs


def _word_box(chars: Iterable[_Char]) -> tuple[float, float, float, float]:
    """Across, the characters' advances; down, their ink."""
    _, x0, _, x1, _, top, bottom = zip(*chars, strict=True)  # the fields of _Char, as columns
    return round(min(x0), 2), round(min(top), 2), round(max(x1), 2), round(max(bottom), 2)


def _table_lines(table: Table, number: int, chars: list[_Char]) -> list[PlacedLine]:
    """A table's grid lines, each word of a cell placed at its characters.

    A cell holds the characters whose centre is in it (and in its row), as pdfplumber's
    ``Table.extract`` puts them: lines joined by line breaks, words by spaces; ``grid_cells``
    then joins the lines.  A cell whose text and characters disagree is placed at its ruled box."""
    grid: list[list[str | None]] = []
    found: dict[tuple[int, int], list[_Char]] = {}
    centres = sorted(((c, (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2) for c in chars), key=lambda e: e[2])
    heights = [e[2] for e in centres]  # the characters by the height of their centre, to cut a row's band
    rows = table.rows
    for r, row in enumerate(rows):
        rx0, rtop, rx1, rbottom = row.bbox
        band = centres[bisect_left(heights, rtop) : bisect_left(heights, rbottom)]
        in_row = [entry for entry in band if rx0 <= entry[1] < rx1]
        cells: list[str | None] = []
        for column, cell in enumerate(row.cells):
            if cell is None:
                cells.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            held = [c for c, x, y in in_row if cx0 <= x < cx1 and ctop <= y < cbottom]
            lines = [_words(line) for line in _lines(held)]
            found[r, column] = [c for words in lines for word in words for c in word]
            cells.append("\n".join(" ".join("".join(c.text for c in w) for w in words) for words in lines if words))
        grid.append(cells)
    placed: list[PlacedLine] = []
    for index, line, where in grid_cells(grid):
        boxes = rows[index].cells if index < len(rows) else []
        runs: list[Run] = []
        for start, end, column in where:
            box = boxes[column] if column < len(boxes) else None
            if box is None:
                runs.append((start, end, Origin(number)))
                continue
            words = _word_runs(line[start:end], found.get((index, column), []), number, _box(box))
            runs.extend((start + a, start + b, origin) for a, b, origin in words)
        placed.append((line, runs))
    return placed


def _word_runs(text: str, chars: list[_Char], number: int, whole: tuple[float, float, float, float]) -> list[Run]:
    """Each word of ``text`` (what whitespace separates) at the union of its characters' boxes.

    ``text`` is the characters' text in order, with spaces and line breaks put between words
    or dropped (a cell's lines joined); should the two ever disagree, the whole text is placed
    at the box ``whole`` (the cell's) rather than a word at a wrong one."""
    runs: list[Run] = []
    start: int | None = None
    word: list[_Char] = []
    at = k = 0
    while at < len(text):
        piece = chars[k].text if k < len(chars) else ""
        if piece and text.startswith(piece, at):
            if start is None:
                start, word = at, []
            word.append(chars[k])
            at += len(piece)
            k += 1
        elif text[at].isspace():
            if start is not None:
                runs.append((start, at, Origin(number, _word_box(word))))
            start = None
            at += 1
        else:
            return [(0, len(text), Origin(number, whole))]
    if start is not None:
        runs.append((start, len(text), Origin(number, _word_box(word))))
    return runs


def _box(box: Any) -> tuple[float, float, float, float]:
    """A box in PDF points, to 1/100 point (sums of floats carry noise: 478.82294117647047)."""
    x0, top, x1, bottom = box
    return round(float(x0), 2), round(float(top), 2), round(float(x1), 2), round(float(bottom), 2)
