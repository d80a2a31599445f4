"""Word (.docx) files: paragraphs and tables in document order, merged cells expanded.

The main part (``word/document.xml``, or the part ``_rels/.rels`` names) is read with
lxml (optional extra ``govreport[docx]``): ``w:gridSpan`` is a
colspan, a ``w:vMerge`` continuation is the empty lower part of a vertically merged cell,
``w:gridBefore`` shifts a row right.  A span that is not a plain number (``"²"``,
``"③"``, thousands of digits) is refused: guessing it would move every cell after it.

A .docx is a ZIP archive, and a small one can inflate to gigabytes or hold a million
cells, so the main part is read within ``MAX_XML_BYTES`` (``zipped.py``) and parsed
incrementally, counting elements and table cells as they arrive: beyond
``MAX_ELEMENTS`` or ``MAX_CELLS`` the file is refused before the rest is parsed.

Each table cell's text keeps its place (``Extracted.origins``): the table (1-based, every
``w:tbl`` counted in document order, a table nested in a cell after the one holding it),
the row and the column of the grid (1-based, merged cells expanded).
"""

from __future__ import annotations

import itertools
import posixpath
from collections.abc import Iterator
from typing import Any

from ..errors import UnreadableFileError
from ..model import Origin, Source
from .content import Content, Extracted, Origins, PlacedLine, placed_text
from .extras import require
from .grid import MAX_COLSPAN, GridCell, expand, grid_cells, join_lines
from .zipped import Archive

MAX_XML_BYTES = 20_000_000  # the inflated main part; a report's is under 2 MB
MAX_ELEMENTS = 1_000_000  # XML elements in the main part; a report has about 50,000
MAX_CELLS = 20_000  # table cells (``w:tc``) in the main part; an official table has about 300, a report about 1,000

_MAIN_PART = "word/document.xml"
_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False}  # a file from the web
_CHUNK = 1 << 20  # bytes fed to the parser at a time: the limits are checked between chunks


def read_docx(content: Content) -> Extracted:
    """The ``docx`` reader."""
    text, origins = docx_to_placed_text(content.data, content.name)
    return Extracted(text, Source("docx", content.name), origins=origins)


def docx_to_text(data: bytes, name: str) -> str:
    """The text of a .docx file as the parser reads it."""
    return docx_to_placed_text(data, name)[0]


def docx_to_placed_text(data: bytes, name: str) -> tuple[str, Origins]:
    """``docx_to_text``, and the table, row and column of each table cell's text."""
    etree = require("lxml.etree", "reading Word documents", "docx")
    with Archive(data, name, "Word document", max_part=MAX_XML_BYTES, max_total=2 * MAX_XML_BYTES) as archive:
        part = _main_part(archive, etree)
        root = _parse(archive.read(part), part, name, etree)
    body = next((child for child in root.iterchildren() if _local(child.tag) == "body"), None)
    if body is None:
        return "", Origins()
    return placed_text(_block_lines(body, name, itertools.count(1)))


def _main_part(archive: Archive, etree: Any) -> str:
    """The part the package relationships name as the document (``word/document.xml`` in practice)."""
    if archive.has("_rels/.rels"):
        try:
            rels = etree.fromstring(archive.read("_rels/.rels"), etree.XMLParser(**_SAFE))
        except etree.XMLSyntaxError:
            rels = None
        for rel in rels if rels is not None else ():
            if str(rel.get("Type", "")).endswith("/officeDocument") and rel.get("Target"):
                target = posixpath.normpath(str(rel.get("Target")).lstrip("/"))
                if archive.has(target):
                    return target
    return _MAIN_PART


def _parse(xml: bytes, part: str, name: str, etree: Any) -> Any:
    """The part's XML tree, refused as soon as it holds more than ``MAX_ELEMENTS`` elements or ``MAX_CELLS`` cells."""
    parser = etree.XMLPullParser(events=("start",), **_SAFE)
    elements = cells = 0
    try:
        for start in range(0, len(xml), _CHUNK):
            parser.feed(xml[start : start + _CHUNK])
            for _, element in parser.read_events():
                elements += 1
                if _local(element.tag) == "tc":
                    cells += 1
            if elements > MAX_ELEMENTS:
                raise UnreadableFileError(name, f"a Word document of more than {MAX_ELEMENTS:,} XML elements")
            if cells > MAX_CELLS:
                raise UnreadableFileError(name, f"a Word document whose tables hold more than {MAX_CELLS:,} cells")
        return parser.close()
    except etree.Error as exc:  # XMLSyntaxError, also "excessive depth" (lxml's own limit of 256 levels)
        raise UnreadableFileError(name, f"bad XML in {part}: {type(exc).__name__}: {exc}") from exc


def _block_lines(container: Any, name: str, tables: Iterator[int]) -> list[PlacedLine]:
    """The lines of paragraphs and tables, a table row's with the place of each cell
    (``tables`` numbers the tables as they come)."""
    lines: list[PlacedLine] = []
    for child in container.iterchildren():
        tag = _local(child.tag)
        if tag == "p":
            # A tab typed in a paragraph is not a grid cell: it becomes a space.
            lines.extend((ln.replace("\t", " "), ()) for ln in _paragraph_text(child).split("\n") if ln.strip())
        elif tag == "tbl":
            number = next(tables)
            for row, line, cells in grid_cells(expand(_table_rows(child, name, tables), name)):
                lines.append(
                    (
                        line,
                        [
                            (start, end, Origin(table=number, row=row + 1, column=column + 1))
                            for start, end, column in cells
                        ],
                    )
                )
        elif tag in ("sdt", "sdtContent", "customXml"):
            lines.extend(_block_lines(child, name, tables))
    return lines


def _table_rows(tbl: Any, name: str, tables: Iterator[int]) -> list[list[GridCell]]:
    rows = []
    for tr in tbl.iterchildren():
        if _local(tr.tag) != "tr":
            continue
        before = _span(tr, "trPr/gridBefore", name)  # grid columns left empty before the first cell
        cells = [GridCell("", colspan=before)] if before > 0 else []
        for tc in tr.iterchildren():
            if _local(tc.tag) != "tc":
                continue
            text = "" if _continues(tc, name) else join_lines("\n".join(ln for ln, _ in _block_lines(tc, name, tables)))
            cells.append(GridCell(text, colspan=max(1, _span(tc, "tcPr/gridSpan", name))))
        rows.append(cells)
    return rows


def _paragraph_text(p: Any) -> str:
    parts: list[str] = []
    for node in p.iter():
        tag = _local(node.tag)
        if tag == "t" and node.text:
            parts.append(node.text)
        elif tag == "tab":
            parts.append("\t")
        elif tag in ("br", "cr"):
            parts.append("\n")
    return "".join(parts)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _find(node: Any, path: str) -> Any:
    for step in path.split("/"):
        node = next((c for c in node.iterchildren() if _local(c.tag) == step), None)
        if node is None:
            return None
    return node


def _continues(tc: Any, name: str) -> bool:
    """Whether the cell is the lower part of a vertically merged cell (``w:vMerge``, no value or ``continue``)."""
    if _find(tc, "tcPr/vMerge") is None:
        return False
    value = _val(tc, "tcPr/vMerge")
    if value not in (None, "continue", "restart"):
        raise UnreadableFileError(name, f"a table cell's w:vMerge is {value[:20]!r}, not 'restart' or 'continue'")
    return value != "restart"


def _val(node: Any, path: str) -> str | None:
    found = _find(node, path)
    if found is None:
        return None
    for key, value in found.attrib.items():
        if _local(key) == "val":
            return str(value)
    return None


def _span(node: Any, path: str, name: str) -> int:
    """A ``w:gridSpan`` or ``w:gridBefore``: 0 when absent, else a plain number of grid columns.

    Anything else (``"²"``, ``"③"``, ``"-1"``, thousands of digits) is refused: any guess
    would silently move every later cell of the row."""
    value = _val(node, path)
    if value is None:
        return 0
    digits = value.strip()
    digits = digits.lstrip("0") or digits
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 4 or int(digits) > MAX_COLSPAN:
        attribute = "w:" + path.rsplit("/", 1)[-1]
        raise UnreadableFileError(
            name, f"a table's {attribute} is {value[:20]!r}, not a number of columns from 0 to {MAX_COLSPAN:,}"
        )
    return int(digits)
