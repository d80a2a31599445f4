"""OFD files (GB/T 33190-2016, the national fixed-layout format): positioned text read into lines and tables.

An OFD file is a ZIP archive: ``OFD.xml`` names the document (``DocBody/DocRoot``), whose
``Document.xml`` lists the pages, each a ``Content.xml`` of positioned objects.  A
``TextObject`` (``Boundary="x y w h"``) holds ``TextCode`` runs at ``X``, ``Y`` (the
baseline, from the top of the page) with ``DeltaX`` advances; a ``PathObject`` draws lines
(``AbbreviatedData``: ``M x y L x y ...``), which is how the tables' rulings are drawn.

No maintained OFD library is light: easyofd (the one kept up) renders OFD to PDF and images
and pulls in PyMuPDF, onnxruntime and reportlab.  The XML is simple, so it is read here
with the standard library through defusedxml (a file from the web may be an XML bomb:
entity declarations are refused), and the tables are found the way the PDF reader finds
them: pdfplumber's own table algorithm (``pdfplumber.table``) turns the ruling lines into
cells, merged cells included, so a value keeps its row and column and a merged cell is
empty in every grid position but its first.  Text outside the tables is read line by line.
Both come from extra ``govreport[ofd]``.

Hostile archives are bounded: at most ``MAX_PAGES`` pages, ``MAX_XML_BYTES`` per XML part
and ``MAX_TOTAL_BYTES`` in all, counted as the parts are decompressed (a ZIP's declared
sizes may lie: ``zipped.py``).  Nesting costs nothing: objects are found by iteration, not recursion.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Iterable, Iterator
from typing import Any

from attrs import frozen

from ..errors import UnreadableFileError
from ..model import Origin, Source
from .content import Content, Extracted, Origins, PlacedLine, placed_text
from .extras import require
from .grid import grid_lines, join_lines
from .zipped import Archive

MAX_PAGES = 1_000  # a report has 4 to 20
MAX_XML_BYTES = 50_000_000  # one decompressed XML part; a report's page is about 100 kB
MAX_TOTAL_BYTES = 200_000_000  # all the XML read from one file

_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TOLERANCE = 1.5  # mm: ruling lines this close are one line; OFD units are millimetres


@frozen
class Run:
    """One ``TextCode``: its text, where it starts (x, baseline y), its width and font size."""

    text: str
    x: float
    y: float
    width: float
    size: float

    @property
    def top(self) -> float:
        return self.y - self.size

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y - self.size / 2


def read_ofd(content: Content) -> Extracted:
    """The ``ofd`` reader: the text, the number of pages in ``Source.pages``, and the page of each line."""
    text, pages, origins = ofd_to_placed_text(content.data, content.name)
    return Extracted(text, Source("ofd", content.name, pages=pages), origins=origins)


def ofd_to_text(data: bytes, name: str) -> tuple[str, int]:
    """The text of an OFD file as the parser reads it, and its number of pages."""
    text, pages, _ = ofd_to_placed_text(data, name)
    return text, pages


def ofd_to_placed_text(data: bytes, name: str) -> tuple[str, int, Origins]:
    """``ofd_to_text``, and the page (1-based) each line of the text is on."""
    etree = require("defusedxml.ElementTree", "reading OFD", "ofd")
    table = require("pdfplumber.table", "reading OFD", "ofd")
    with Archive(data, name, "OFD", max_part=MAX_XML_BYTES, max_total=MAX_TOTAL_BYTES) as archive:
        parts = _Parts(archive, etree, name)
        pages = parts.pages()
        if len(pages) > MAX_PAGES:
            raise UnreadableFileError(name, f"an OFD document of {len(pages):,} pages, more than {MAX_PAGES:,}")
        text = [_page_lines(parts.xml(page), table) for page in pages]
    placed: list[PlacedLine] = []
    for number, lines in enumerate(text, 1):
        page = Origin(page=number)
        placed.extend([(line, [(0, len(line), page)]) for line in lines] or [("", ())])
    joined, origins = placed_text(placed)
    return joined, len(pages), origins


class _Parts:
    """The XML parts of one archive, parsed safely and within the size limits."""

    def __init__(self, archive: Archive, etree: Any, name: str) -> None:
        self.archive, self.etree, self.name = archive, etree, name

    def xml(self, path: str) -> Any:
        path = path.lstrip("/")
        raw = self.archive.read(path)
        try:
            return self.etree.fromstring(raw)
        except Exception as exc:  # ParseError, and defusedxml's refusals of entities and DTDs
            raise UnreadableFileError(self.name, f"bad XML in {path}: {type(exc).__name__}: {exc}") from exc

    def pages(self) -> list[str]:
        """The paths of the pages' ``Content.xml``, in document order (the first document only)."""
        root = _child_text(self.xml("OFD.xml"), "DocBody", "DocRoot")
        if not root:
            raise UnreadableFileError(self.name, "OFD.xml names no document (DocBody/DocRoot)")
        document = self.xml(root)
        base = posixpath.dirname(root.lstrip("/"))
        pages = []
        for page in _all(document, "Page"):
            location = page.get("BaseLoc")
            if location:
                pages.append(location if location.startswith("/") else posixpath.join(base, location))
                if len(pages) > MAX_PAGES:
                    break
        return pages


def _page_lines(page: Any, table: Any) -> list[str]:
    """Tables and text lines of one page, top to bottom, as pdf.py puts them."""
    runs = list(_runs(page))
    cells = table.intersections_to_cells(table.edges_to_intersections(_edges(page, table), _TOLERANCE, _TOLERANCE))
    blocks: list[tuple[float, list[str]]] = []
    inside: set[int] = set()
    for bboxes in table.cells_to_tables(cells):
        grid = table.Table(None, bboxes)  # rows and merged cells come from the cells alone
        rows = []
        for row in grid.rows:
            line = []
            for bbox in row.cells:
                chosen = [i for i, run in enumerate(runs) if bbox is not None and _within(run, bbox)]
                inside.update(chosen)
                line.append(_cell_text(runs[i] for i in chosen))
            rows.append(line)
        blocks.append((grid.bbox[1], grid_lines(rows)))
    rest = [run for i, run in enumerate(runs) if i not in inside]
    blocks.extend((line[0].top, [_line_text(line)]) for line in _lines(rest))
    blocks.sort(key=lambda block: block[0])
    return [line for _, lines in blocks for line in lines]


def _runs(page: Any) -> Iterator[Run]:
    for obj in _all(page, "TextObject"):
        x0, y0 = _numbers(obj.get("Boundary"), 2)
        ctm = _numbers(obj.get("CTM"), 6) if obj.get("CTM") else None
        size = abs(_float(obj.get("Size"), 3.5))
        for code in _all(obj, "TextCode"):
            text = code.text or ""
            if not text.strip():
                continue
            x, y = _float(code.get("X"), 0.0), _float(code.get("Y"), 0.0)
            advances = _advances(code.get("DeltaX"))
            width = sum(advances[: len(text) - 1]) + size if advances else size * len(text)
            if ctm is not None:
                a, b, c, d, e, f = ctm
                x, y = a * x + c * y + e, b * x + d * y + f
                width *= abs(a) or 1.0
            yield Run(text, x0 + x, y0 + y, width, size)


def _edges(page: Any, table: Any) -> list[dict[str, Any]]:
    """The horizontal and vertical segments the page's paths draw, as pdfplumber's edges."""
    edges = []
    for path in _all(page, "PathObject"):
        data = _child_text(path, "AbbreviatedData")
        if not data:
            continue
        x0, y0 = _numbers(path.get("Boundary"), 2)
        ctm = _numbers(path.get("CTM"), 6) if path.get("CTM") else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        for (ax, ay), (bx, by) in _segments(data):
            a, b, c, d, e, f = ctm
            ax, ay = x0 + a * ax + c * ay + e, y0 + b * ax + d * ay + f
            bx, by = x0 + a * bx + c * by + e, y0 + b * bx + d * by + f
            left, right, top, bottom = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
            if bottom - top < 0.1 < right - left:
                edges.append(_edge("h", left, right, top, top))
            elif right - left < 0.1 < bottom - top:
                edges.append(_edge("v", left, left, top, bottom))
    return list(table.merge_edges(edges, _TOLERANCE, _TOLERANCE, _TOLERANCE, _TOLERANCE))


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict[str, Any]:
    return {
        "object_type": "line",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }


_OPERANDS = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}


def _segments(data: str) -> Iterator[tuple[tuple[float, float], tuple[float, float]]]:
    """The straight segments of an ``AbbreviatedData`` path (moves, lines, closes); curves only move the pen."""
    tokens = data.split()
    start = pen = (0.0, 0.0)
    i = 0
    while i < len(tokens):
        op = tokens[i]
        count = _OPERANDS.get(op)
        if count is None:
            return  # not a path we understand: its lines are not used
        numbers = [float(t) for t in tokens[i + 1 : i + 1 + count] if _NUMBER.fullmatch(t)]
        if len(numbers) < count:
            return
        i += 1 + count
        if op in ("S", "M"):
            start = pen = (numbers[0], numbers[1])
        elif op == "L":
            yield pen, (numbers[0], numbers[1])
            pen = (numbers[0], numbers[1])
        elif op == "C":
            yield pen, start
            pen = start
        else:
            pen = (numbers[-2], numbers[-1])


def _within(run: Run, bbox: tuple[float, float, float, float]) -> bool:
    x, y = run.center
    x0, top, x1, bottom = bbox
    return x0 <= x <= x1 and top <= y <= bottom


def _lines(runs: Iterable[Run]) -> list[list[Run]]:
    """Runs grouped into lines: the same baseline, within a third of the font size."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        if lines and abs(run.y - lines[-1][0].y) <= run.size / 3:
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.x) for line in lines]


def _line_text(line: list[Run]) -> str:
    """One line: runs that touch are joined, runs apart are separated by a space."""
    parts = [line[0].text]
    for before, run in itertools.pairwise(line):
        gap = run.x - (before.x + before.width)
        parts.append((" " if gap > run.size / 2 else "") + run.text)
    return "".join(parts)


def _cell_text(runs: Iterable[Run]) -> str:
    return join_lines("\n".join(_line_text(line) for line in _lines(runs)))


def _advances(delta: str | None) -> list[float]:
    """``DeltaX``: advances between characters; ``g N D`` repeats ``D`` N times."""
    if not delta:
        return []
    tokens = delta.split()
    out: list[float] = []
    i = 0
    while i < len(tokens) and len(out) < 100_000:
        if tokens[i] == "g" and i + 2 < len(tokens):
            count, value = _float(tokens[i + 1], 0.0), _float(tokens[i + 2], 0.0)
            out.extend([value] * min(int(count), 100_000))
            i += 3
        else:
            out.append(_float(tokens[i], 0.0))
            i += 1
    return out


def _numbers(text: str | None, count: int) -> tuple[float, ...]:
    values = [float(t) for t in (text or "").split() if _NUMBER.fullmatch(t)]
    return tuple(values[:count]) if len(values) >= count else (0.0,) * count


def _float(text: str | None, default: float) -> float:
    return float(text) if text is not None and _NUMBER.fullmatch(text.strip()) else default


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _all(node: Any, tag: str) -> Iterator[Any]:
    return (child for child in node.iter() if _local(child.tag) == tag)


def _child_text(node: Any, *path: str) -> str:
    for step in path:
        node = next((c for c in node if _local(c.tag) == step), None)
        if node is None:
            return ""
    return (node.text or "").strip()
