"""Write the table of readers in docs/inputs.md from the shipped readers' registrations.

    python docs/gen_inputs.py          # rewrites the table between its markers, in place

The rest of the page is hand-written, so the table sits between two comment lines and
only it is replaced.  ``render(page)`` returns the page with the table regenerated;
tests/test_docs.py checks that the committed file equals it.

Kinds, formats, extensions and install commands come from ``govreport/readers/builtin.py``
(the readers a plugin registers are not part of govreport's documentation); the library
and what each reader keeps are described here, and every shipped kind must have both.
"""

from __future__ import annotations

import sys
from pathlib import Path

from govreport.readers.builtin import BUILTIN

PAGE = Path(__file__).resolve().parent / "inputs.md"
BEGIN = (
    "<!-- The table of readers is generated from govreport/readers/builtin.py by docs/gen_inputs.py:"
    " do not edit it here. Regenerate: python docs/gen_inputs.py -->"
)
END = "<!-- end of the generated table of readers -->"

LIBRARY = {
    "text": "built in",
    "html": "[selectolax](https://github.com/rushter/selectolax) (Lexbor)",
    "pdf": "[pypdfium2](https://github.com/pypdfium2-team/pypdfium2) (PDFium)",
    "docx": "[lxml](https://lxml.de) (the .docx package read with bounded zip reads)",
    "doc": "LibreOffice (`soffice --headless`, to .docx), then the .docx reader (lxml)",
    "ofd": "[defusedxml](https://github.com/tiran/defusedxml) and pdfplumber's table finder",
}
KEEPS = {
    "text": "the text; the encoding is detected; HTML tables in Markdown become grids",
    "html": "block structure as lines, tables as grids",
    "pdf": "ruling-line tables cell by cell, other text line by line",
    "docx": "paragraphs and tables in document order",
    "doc": "as .docx: paragraphs and tables in document order",
    "ofd": "ruled tables cell by cell, other text line by line",
}
# Where a cell is in the document (``Cell.origin``, set by parse_file from ``Extracted.origins``).
ORIGIN = {
    "text": "none (`None`): the span is the place",
    "html": "table (every `<table>` of the page counted in document order), row and column of the grid",
    "pdf": "page and box of the printed characters (PDF points, top-left origin)",
    "docx": "table (every `w:tbl` in document order), row and column of the grid",
    "doc": "as .docx, in the converted document",
    "ofd": "page",
}
# What happens without the extra (or program): the rows of the table of every input form.
WITHOUT = {
    "text": "always available",
    "html": "`MissingExtraError`: `pip install 'govreport[html]'`",
    "pdf": "`MissingExtraError`: `pip install 'govreport[pdf]'`",
    "docx": "`MissingExtraError`: `pip install 'govreport[docx]'`",
    "doc": "`MissingExtraError`: `pip install 'govreport[doc]'`; without LibreOffice `MissingToolError`: "
    "`apt-get install libreoffice-writer-nogui`",
    "ofd": "`MissingExtraError`: `pip install 'govreport[ofd]'`",
}


def table() -> str:
    """The Markdown table of the shipped readers, in sniffing order."""
    missing = [
        r.kind
        for r in BUILTIN
        if r.kind not in LIBRARY or r.kind not in KEEPS or r.kind not in WITHOUT or r.kind not in ORIGIN
    ]
    assert not missing, f"describe the reader(s) {missing} in LIBRARY, KEEPS, ORIGIN and WITHOUT of docs/gen_inputs.py"
    lines = [
        "| kind | format | read with | install | extensions (folder scan) | what it keeps "
        "| where a cell is (`Cell.origin`) | without the extra |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for reader in BUILTIN:
        install = f"`pip install 'govreport[{reader.extra}]'`" if reader.extra else "`pip install govreport`"
        suffixes = " ".join(f"`{e}`" for e in reader.extensions)
        lines.append(
            f"| `{reader.kind}` | {reader.title} | {LIBRARY[reader.kind]} | {install} | {suffixes} "
            f"| {KEEPS[reader.kind]} | {ORIGIN[reader.kind]} | {WITHOUT[reader.kind]} |"
        )
    return "\n".join(lines) + "\n"


def render(page: str) -> str:
    """``page`` with the text between the markers replaced by the current table."""
    start = page.index(BEGIN) + len(BEGIN)
    end = page.index(END, start)
    return page[:start] + "\n" + table() + page[end:]


if __name__ == "__main__":
    text = PAGE.read_text(encoding="utf-8")
    PAGE.write_text(render(text), encoding="utf-8")
    print(f"gen_inputs: {PAGE} {'unchanged' if render(text) == text else 'rewritten'}", file=sys.stderr)
