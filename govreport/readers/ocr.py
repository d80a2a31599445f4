"""Scanned PDFs: page images read by OCR (optional extra ``govreport[ocr]``).

A PDF whose pages are images without a text layer (``ScannedPdfError`` from the PDF
reader) is rendered page by page with pypdfium2 and read with RapidOCR (PP-OCRv4 Chinese
models on onnxruntime, shipped inside the ``rapidocr_onnxruntime`` wheel: nothing is
downloaded at run time).  docs/ocr.md says why this engine and not Tesseract.

Tables are rebuilt from the image, not from the order of the recognised text: the ruling
lines are found by morphology (long horizontal and vertical runs of ink), the page is
turned straight by their slope, and each ruled cell is a rectangle of the grid the lines
make, merged where a line between two grid positions is absent.  Every recognised text
box goes to the cell its centre is in; a box the detector ran across a ruling line
("律行政法规0") is cut at the line and each piece read again.  The grid is then written
as tab-separated rows, the same text every other reader gives, so labels are placed by
meaning and values by column as for HTML, Word and text PDFs.

OCR confidence is provenance: every run of text carries ``Origin.confidence`` (the
recogniser's score, 0..1), with its page and box in PDF points.  A table cell that is not a
label (no two Chinese characters in a row) and whose score is below
``CONFIDENCE_THRESHOLD``, or that is neither a number nor a placeholder mark ("。" for a
"0"), is not guessed: its text is marked unreadable (``"95?"``, or ``"?0"`` when OCR saw no digit), so the
parser keeps the cell ``missing`` (inference may fill it from the table's arithmetic) and
an ``ocr-low-confidence`` diagnostic gives the page, box, score and what OCR saw.  Before
that, such a cell's ink is read once more on its own, enlarged (``_reread_ink``): a lone
``0`` gives the recogniser no context at the page's size, and only a number it then reads
over the threshold is taken.  A cell
with ink that no text box covers is read on its own, and marked the same way if that fails.

Limits, with their defaults: ``OCR_DPI`` (150) dots per inch for rendering, at most
``MAX_SIDE_PIXELS`` (4,000) on a page's longer side, and ``Content.max_pages`` pages
(100).  A page of table takes some 12 seconds of one core (docs/ocr.md).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from attrs import frozen

from ..errors import MissingExtraError, ScannedPdfError, UnreadableFileError
from ..model import Diagnostic, Origin, Source
from .content import Content, Extracted, PlacedLine, Run, placed_text
from .extras import require
from .grid import grid_cells

#: A value cell read with a lower score than this is not trusted: None with a diagnostic.
CONFIDENCE_THRESHOLD = 0.8
#: Pages are rendered at this resolution (dots per inch) for OCR.
OCR_DPI = 150
#: A page is rendered at most this many pixels on its longer side (a poster-sized page is scaled down).
MAX_SIDE_PIXELS = 4000

_INK = 160  # grey levels below this are ink
_LINE_MM = 6.0  # a run of ink this long (millimetres) is a ruling line, longer than any stroke of a character
_CLUSTER = 6  # pixels: line positions this close are one line
_LABEL = re.compile(r"[\u4e00-\u9fff]{2}")
# What a value cell may hold: digits with separators, or a placeholder (/, —, -, 无).
_VALUE = re.compile(r"[\d,.，．]+|[/／\-—–－]+|无")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_INSTALL = "pip install 'govreport[ocr]'"


def read_pdf_or_scan(content: Content) -> Extracted:
    """The ``pdf`` reader: the text layer (``readers.pdf``), or OCR for a scan when the extra is installed."""
    from .pdf import read_pdf

    try:
        return read_pdf(content)
    except ScannedPdfError as exc:
        try:
            _modules()
        except MissingExtraError as missing:
            raise ScannedPdfError(
                content.name, f"{exc.reason}; or install the OCR extra, which reads it: {_INSTALL}"
            ) from missing
        return read_scanned(content)


def _modules() -> tuple[Any, Any, Any, Any]:
    what = "reading a scanned PDF"
    return (
        require("pypdfium2", what, "ocr"),
        require("numpy", what, "ocr"),
        require("cv2", what, "ocr"),
        require("rapidocr_onnxruntime", what, "ocr"),
    )


@lru_cache(maxsize=1)
def _engine() -> Any:
    """One RapidOCR engine per process (loading its models takes most of a second)."""
    rapidocr = _modules()[3]
    return rapidocr.RapidOCR(print_verbose=False)


def read_scanned(content: Content, *, dpi: int = OCR_DPI, threshold: float = CONFIDENCE_THRESHOLD) -> Extracted:
    """A scanned PDF read by OCR: its text with tables as grids, and where each run is, with its score."""
    from .pdf import PDFIUM_LOCK  # PDFium is not thread-safe: every call into it holds this lock

    pdfium, np, _, _ = _modules()
    try:
        with PDFIUM_LOCK:
            document = pdfium.PdfDocument(content.data)
    except Exception as exc:  # pdfium raises PdfiumError for anything it cannot open
        raise UnreadableFileError(content.name, f"cannot read the PDF: {exc}") from exc
    try:
        count = len(document)
        if count > content.max_pages:
            raise UnreadableFileError(
                content.name,
                f"the PDF has {count:,} pages, more than the limit of {content.max_pages:,} (a report has 4 to 30); "
                "pass max_pages= to read a longer document",
            )
        pages: list[list[tuple[float, list[PlacedLine]]]] = []
        diagnostics: list[Diagnostic] = []
        for number in range(1, count + 1):
            with PDFIUM_LOCK:  # the page is rendered under the lock; OCR reads the image outside it
                page = document[number - 1]
                try:
                    width, height = page.get_size()
                    scale = min(dpi / 72, MAX_SIDE_PIXELS / max(width, height, 1))
                    image = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
                finally:
                    page.close()
            blocks, found = _read_page(image, number, 1 / scale, threshold)
            pages.append(blocks)
            diagnostics.extend(found)
    finally:
        with PDFIUM_LOCK:
            document.close()
    if not any(blocks for blocks in pages):
        raise ScannedPdfError(
            content.name, f"the PDF has {count} page(s) but no text layer, and OCR found no text on them"
        )
    lines = [line for blocks in pages for _, block in sorted(blocks, key=lambda b: b[0]) for line in block]
    text, origins = placed_text(lines)
    note = Diagnostic(
        "ocr",
        f"the PDF has no text layer: its {count} page(s) were read by OCR (RapidOCR, {dpi} dpi); "
        f"every value is status 'ocr' with its score, values scored below {threshold} are left unread",
        raw=f"pages 1-{count}",
        severity="info",
    )
    return Extracted(text, Source("pdf", content.name, pages=count), (note, *diagnostics), origins)


# ----------------------------------------------------------------- one page


@frozen
class _Box:
    """A recognised text box, in pixels of the straightened page."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@frozen
class _Table:
    """A ruled table: its line positions and its cells, each ``(r0, c0, r1, c1)`` in grid slots."""

    xs: tuple[int, ...]
    ys: tuple[int, ...]
    cells: tuple[tuple[int, int, int, int], ...]

    def cell_at(self, x: float, y: float) -> int | None:
        for index, (r0, c0, r1, c1) in enumerate(self.cells):
            if self.xs[c0] <= x < self.xs[c1 + 1] and self.ys[r0] <= y < self.ys[r1 + 1]:
                return index
        return None

    def box(self, index: int) -> tuple[int, int, int, int]:
        r0, c0, r1, c1 = self.cells[index]
        return self.xs[c0], self.ys[r0], self.xs[c1 + 1], self.ys[r1 + 1]


def _read_page(
    image: Any, number: int, points: float, threshold: float
) -> tuple[list[tuple[float, list[PlacedLine]]], list[Diagnostic]]:
    """The blocks of one page (tables and text lines, each with its top) and what could not be trusted.
    ``points`` is the size of a pixel in PDF points."""
    _, np, cv2, _ = _modules()
    line = max(15, round(_LINE_MM / 25.4 * 72 / points))
    image = _straighten(image, line)
    ink = (image < _INK).astype(np.uint8) * 255
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, line), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((line, 1), np.uint8))
    tables = _tables(horizontal, vertical, line)
    rgb = np.ascontiguousarray(np.stack([image] * 3, axis=-1))
    result, _ = _engine()(rgb, use_cls=False, text_score=0.0)
    boxes = [_box(points_, text, score) for points_, text, score in (result or [])]
    boxes = [b for b in boxes if b.text.strip()]
    blocks: list[tuple[float, list[PlacedLine]]] = []
    diagnostics: list[Diagnostic] = []
    rest: list[_Box] = []
    owned: dict[int, list[_Box]] = {}
    for box in boxes:
        for t, table in enumerate(tables):
            if table.xs[0] <= box.cx <= table.xs[-1] and table.ys[0] <= box.cy <= table.ys[-1]:
                owned.setdefault(t, []).append(box)
                break
        else:
            rest.append(box)
    cleared = np.where((horizontal | vertical) > 0, 255, image).astype(np.uint8)
    for t, table in enumerate(tables):
        lines, found = _table_lines(table, owned.get(t, []), cleared, number, points, threshold)
        blocks.append((table.ys[0], lines))
        diagnostics.extend(found)
    for top, placed in _text_lines(rest, number, points):
        blocks.append((top, [placed]))
    return blocks, diagnostics


def _points(box: tuple[float, float, float, float], points: float) -> tuple[float, float, float, float]:
    """A box in pixels as PDF points from the page's top-left corner, to 1/100 point."""
    x0, y0, x1, y1 = (round(float(v) * points, 2) for v in box)
    return x0, y0, x1, y1


def _box(corners: Sequence[Sequence[float]], text: str, score: float) -> _Box:
    xs = [float(p[0]) for p in corners]
    ys = [float(p[1]) for p in corners]
    return _Box(min(xs), min(ys), max(xs), max(ys), str(text), float(score))


def _straighten(image: Any, line: int) -> Any:
    """The page turned so that its long horizontal lines are level (a scan a degree askew)."""
    _, np, cv2, _ = _modules()
    ink = (image < _INK).astype(np.uint8) * 255
    # a short kernel: a line a degree askew still has level runs of this length
    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, line), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    angles = []
    for k in range(1, count):
        x, y, w, h, _ = stats[k]
        if w < image.shape[1] // 3 or h > w // 10:
            continue
        ys, xs = np.nonzero(labels[y : y + h, x : x + w] == k)
        if len(xs) > 10:
            angles.append(float(np.degrees(np.arctan(np.polyfit(xs, ys, 1)[0]))))
    if not angles:
        return image
    angle = float(np.median(angles))
    if abs(angle) < 0.05:
        return image
    h, w = image.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def _positions(profile: Any) -> list[int]:
    """The centres of the runs of non-zero entries of a projection, runs closer than ``_CLUSTER`` joined."""
    indices = [int(i) for i in profile.nonzero()[0]]
    groups: list[list[int]] = []
    for i in indices:
        if groups and i - groups[-1][-1] <= _CLUSTER:
            groups[-1].append(i)
        else:
            groups.append([i])
    return [round(sum(g) / len(g)) for g in groups]


def _tables(horizontal: Any, vertical: Any, line: int) -> list[_Table]:
    """The ruled tables of a page: regions where horizontal and vertical lines meet, with their grids."""
    _, np, cv2, _ = _modules()
    both = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    tables = []
    for k in range(1, count):
        x, y, w, h, _ = stats[k]
        if w < 3 * line or h < line:
            continue
        hs = horizontal[y : y + h, x : x + w]
        vs = vertical[y : y + h, x : x + w]
        ys = [y + p for p in _positions((hs > 0).sum(axis=1))]
        xs = [x + p for p in _positions((vs > 0).sum(axis=0))]
        if len(xs) < 2 or len(ys) < 2:
            continue
        tables.append(_grid(tuple(xs), tuple(ys), horizontal, vertical))
    return sorted(tables, key=lambda t: t.ys[0])


def _grid(xs: tuple[int, ...], ys: tuple[int, ...], horizontal: Any, vertical: Any) -> _Table:
    """The cells of a grid: neighbouring slots with no ruling line between them are one merged cell."""
    rows, columns = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * columns))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def ruled(strip: Any) -> bool:
        return (
            bool(strip.size) and float((strip > 0).any(axis=0 if strip.shape[0] < strip.shape[1] else 1).mean()) > 0.6
        )

    for r in range(rows):
        top, bottom = ys[r] + 3, ys[r + 1] - 2
        for c in range(columns):
            left, right = xs[c] + 3, xs[c + 1] - 2
            if c + 1 < columns and bottom > top:
                x = xs[c + 1]
                if not ruled(vertical[top:bottom, max(x - 3, 0) : x + 4].T):
                    parent[find(r * columns + c + 1)] = find(r * columns + c)
            if r + 1 < rows and right > left:
                y = ys[r + 1]
                if not ruled(horizontal[max(y - 3, 0) : y + 4, left:right]):
                    parent[find((r + 1) * columns + c)] = find(r * columns + c)
    spans: dict[int, list[int]] = {}
    for r in range(rows):
        for c in range(columns):
            span = spans.setdefault(find(r * columns + c), [r, c, r, c])
            span[0], span[1] = min(span[0], r), min(span[1], c)
            span[2], span[3] = max(span[2], r), max(span[3], c)
    cells = tuple(sorted((tuple(s) for s in spans.values()), key=lambda s: (s[0], s[1])))
    return _Table(xs, ys, cells)  # type: ignore[arg-type]


def _table_lines(
    table: _Table, boxes: list[_Box], image: Any, number: int, points: float, threshold: float
) -> tuple[list[PlacedLine], list[Diagnostic]]:
    """A table's grid rows as tab-separated lines, each cell placed at its ruled box with its score."""
    pieces: dict[int, list[_Box]] = {}
    for box in boxes:
        for piece in _cut(table, box, image):
            index = table.cell_at(piece.cx, piece.cy)
            if index is not None:
                pieces.setdefault(index, []).append(piece)
    width, height = len(table.xs) - 1, len(table.ys) - 1
    grid = [[""] * width for _ in range(height)]
    places: dict[tuple[int, int], Origin] = {}
    diagnostics = []
    for index, (r0, c0, _, _) in enumerate(table.cells):
        x0, y0, x1, y1 = table.box(index)
        found = pieces.get(index, [])
        if not found:
            inside = image[y0 + 4 : y1 - 3, x0 + 4 : x1 - 3]
            if inside.size == 0 or int((inside < _INK).sum()) < 12:
                continue  # an empty cell: printed blank
            found = [_reread(image, x0 + 4, y0 + 4, x1 - 3, y1 - 3)]
        text = _joined(found)
        score = min(p.score for p in found)
        bbox = _points((x0, y0, x1, y1), points)
        if not _LABEL.search(text) and (score < threshold or not _VALUE.fullmatch(text.strip())):
            again = _reread_ink(image, x0 + 4, y0 + 4, x1 - 3, y1 - 3)
            if again is not None and again.score >= threshold and _VALUE.fullmatch(again.text):
                text, score = again.text, again.score
        if not _LABEL.search(text) and (score < threshold or not _VALUE.fullmatch(text.strip())):
            seen = text
            text = _unread(text)
            diagnostics.append(
                Diagnostic(
                    "ocr-low-confidence",
                    f"page {number}, box {bbox}: OCR read {seen!r} with confidence {score:.2f} "
                    f"(below {threshold}, or not a number): the value is left unread",
                    raw=seen,
                    page=number,
                )
            )
        grid[r0][c0] = text
        places[r0, c0] = Origin(number, bbox, confidence=round(score, 3))
    lines: list[PlacedLine] = []
    for row, line, cells in grid_cells(grid):
        runs: list[Run] = [(start, end, places[row, column]) for start, end, column in cells]
        lines.append((line, runs))
    return lines, diagnostics


def _unread(text: str) -> str:
    """What a value cell OCR cannot vouch for is written as: an unreadable number to the parser
    (a token with a digit that is no number), so the cell is ``missing``, never ``blank``.
    The digits OCR saw are kept (``"95?"``); with none, ``"?0"`` (the diagnostic has what OCR saw)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return f"{digits}?" if digits else "?0"


def _cut(table: _Table, box: _Box, image: Any) -> list[_Box]:
    """A text box cut at the vertical ruling lines it runs across, each piece read again."""
    inner = [x for x in table.xs[1:-1] if box.x0 + 4 < x < box.x1 - 4]
    if not inner:
        return [box]
    index = table.cell_at(box.x0 + 2, box.cy)
    cells = set()
    for x in inner:
        left, right = table.cell_at(x - 3, box.cy), table.cell_at(x + 3, box.cy)
        if left != right:
            cells.add(x)
    if not cells or index is None:
        return [box]
    edges = [box.x0, *sorted(cells), box.x1]
    out = []
    for a, b in itertools.pairwise(edges):
        if b - a > 6:
            out.append(_reread(image, int(a) + 3, int(box.y0), int(b) - 2, int(box.y1)))
    return [p for p in out if p.text.strip()]


def _reread(image: Any, x0: int, y0: int, x1: int, y1: int) -> _Box:
    """The text of one region read on its own (no detection), on a white margin."""
    _, np, _, _ = _modules()
    region = image[max(y0, 0) : max(y1, y0 + 1), max(x0, 0) : max(x1, x0 + 1)]
    padded = np.full((region.shape[0] + 16, region.shape[1] + 16), 255, np.uint8)
    padded[8:-8, 8:-8] = region
    rgb = np.ascontiguousarray(np.stack([padded] * 3, axis=-1))
    result, _ = _engine()(rgb, use_det=False, use_cls=False)
    text, score = (str(result[0][0]), float(result[0][1])) if result else ("", 0.0)
    return _Box(x0, y0, x1, y1, text.strip(), score)


def _reread_ink(image: Any, x0: int, y0: int, x1: int, y1: int) -> _Box | None:
    """The ink of a cell read again on its own, at twice the size with a margin of half its height.

    A lone glyph (a ``0``) gives the recogniser no context, and at the page's size it often
    scores it low or takes it for ``。``; enlarged it reads most of them with a high score.
    Only a number read with a score over the threshold is then taken; anything else stays
    unread.  None for a cell whose ink is more than one line (a label)."""
    _, np, cv2, _ = _modules()
    inside = image[max(y0, 0) : max(y1, y0 + 1), max(x0, 0) : max(x1, x0 + 1)]
    ys, xs = np.nonzero(inside < _INK)
    if len(xs) < 12:
        return None
    glyphs = inside[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    height = glyphs.shape[0]
    if height > 2 * (y1 - y0) / 3 and height > 40:
        return None
    enlarged = cv2.resize(glyphs, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    pad = height
    framed = np.full((enlarged.shape[0] + 2 * pad, enlarged.shape[1] + 2 * pad), 255, np.uint8)
    framed[pad : pad + enlarged.shape[0], pad : pad + enlarged.shape[1]] = enlarged
    result, _ = _engine()(np.ascontiguousarray(np.stack([framed] * 3, axis=-1)), use_det=False, use_cls=False)
    if not result:
        return None
    return _Box(x0, y0, x1, y1, str(result[0][0]).strip(), float(result[0][1]))


def _rows_of(boxes: Iterable[_Box]) -> list[list[_Box]]:
    """Boxes grouped into lines (their vertical centres within half a box height), top to bottom, left to right."""
    lines: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        if lines and abs(box.cy - lines[-1][-1].cy) < (box.y1 - box.y0) / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _join(left: str, right: str) -> str:
    """Two pieces of one line: Chinese runs on without a space, anything else keeps one."""
    if left and right and _CJK.match(left[-1]) and _CJK.match(right[0]):
        return left + right
    return f"{left} {right}" if left and right else left or right


def _joined(boxes: list[_Box]) -> str:
    """The text of one cell: its lines joined by line breaks (``grid.join_lines`` joins wrapped labels)."""
    texts = []
    for line in _rows_of(boxes):
        text = ""
        for box in line:
            text = _join(text, box.text.strip())
        texts.append(text)
    return "\n".join(texts)


def _text_lines(boxes: list[_Box], number: int, points: float) -> list[tuple[float, PlacedLine]]:
    """The text outside the tables, line by line, each line placed at the union of its boxes."""
    out: list[tuple[float, PlacedLine]] = []
    for line in _rows_of(boxes):
        text = ""
        for box in line:
            text = _join(text, box.text.strip())
        x0, y0 = min(b.x0 for b in line), min(b.y0 for b in line)
        x1, y1 = max(b.x1 for b in line), max(b.y1 for b in line)
        bbox = _points((x0, y0, x1, y1), points)
        origin = Origin(number, bbox, confidence=round(min(b.score for b in line), 3))
        out.append((y0, (text, [(0, len(text), origin)] if text else [])))
    return out
