"""Word (.docx) files: paragraphs and tables in document order, merged cells expanded.

Uses python-docx (optional extra ``govreport[docx]``) to open the package and reads the
body's XML directly: ``w:gridSpan`` is a colspan, a ``w:vMerge`` continuation is the
empty lower part of a vertically merged cell, ``w:gridBefore`` shifts a row right.
"""

from __future__ import annotations

import io
from typing import Any

from ..errors import UnreadableFileError
from ..model import Source
from .content import Content, Extracted
from .extras import require
from .grid import GridCell, expand, grid_lines, join_lines


def read_docx(content: Content) -> Extracted:
    """The ``docx`` reader."""
    return Extracted(docx_to_text(content.data, content.name), Source("docx", content.name))


def docx_to_text(data: bytes, name: str) -> str:
    """The text of a .docx file as the parser reads it."""
    docx = require("docx", "reading Word documents", "docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, lxml and python-docx each raise their own types
        raise UnreadableFileError(name, f"cannot read the Word document: {type(exc).__name__}: {exc}") from exc
    return "\n".join(_block_lines(document.element.body, name))


def _block_lines(container: Any, name: str) -> list[str]:
    lines: list[str] = []
    for child in container.iterchildren():
        tag = _local(child.tag)
        if tag == "p":
            # A tab typed in a paragraph is not a grid cell: it becomes a space.
            lines.extend(ln.replace("\t", " ") for ln in _paragraph_text(child).split("\n") if ln.strip())
        elif tag == "tbl":
            lines.extend(grid_lines(expand(_table_rows(child, name), name)))
        elif tag in ("sdt", "sdtContent", "customXml"):
            lines.extend(_block_lines(child, name))
    return lines


def _table_rows(tbl: Any, name: str) -> list[list[GridCell]]:
    rows = []
    for tr in tbl.iterchildren():
        if _local(tr.tag) != "tr":
            continue
        before = _int_val(tr, "trPr/gridBefore")  # grid columns left empty before the first cell
        cells = [GridCell("", colspan=before)] if before > 0 else []
        for tc in tr.iterchildren():
            if _local(tc.tag) != "tc":
                continue
            continued = _val(tc, "tcPr/vMerge") == "continue" or (
                _has(tc, "tcPr/vMerge") and _val(tc, "tcPr/vMerge") is None
            )
            text = "" if continued else join_lines("\n".join(_block_lines(tc, name)))
            cells.append(GridCell(text, colspan=max(1, _int_val(tc, "tcPr/gridSpan"))))
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


def _has(node: Any, path: str) -> bool:
    return _find(node, path) is not None


def _val(node: Any, path: str) -> str | None:
    found = _find(node, path)
    if found is None:
        return None
    for key, value in found.attrib.items():
        if _local(key) == "val":
            return str(value)
    return None


def _int_val(node: Any, path: str) -> int:
    value = _val(node, path)
    return int(value) if value is not None and value.isdigit() else 0
