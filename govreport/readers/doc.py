"""Word 97–2003 (.doc) and WPS (.wps) files: LibreOffice converts them to .docx, read as Word.

Both are OLE2 compound files holding a ``WordDocument`` stream (WPS Office writes its .wps
files in the Word 97 binary format).  Tables are what matters in a report, with their
merged cells, and only LibreOffice, of the tools Debian ships, keeps them: antiword loses
whole rows of a merged table and catdoc drops the empty positions of merged cells, which
would move values to the wrong column.  So the file is converted to .docx by
``soffice --headless`` (Debian: ``apt-get install libreoffice-writer-nogui``) and read by
the .docx reader (lxml, extra ``govreport[doc]``): merged cells come out as the
same grid rows.  Each conversion runs in a fresh temporary directory with its own
LibreOffice profile, so parallel workers do not share (and lock) one, and is stopped
after ``TIMEOUT`` seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import UnreadableFileError
from ..model import Source
from .content import Content, Extracted
from .docx import docx_to_placed_text, docx_to_text
from .extras import require, require_program

PROGRAMS = ("soffice", "libreoffice")
INSTALL = "apt-get install libreoffice-writer-nogui (Debian, Ubuntu), or install LibreOffice"
TIMEOUT = 120  # seconds for one conversion; a report takes about 3 (most of it LibreOffice starting)


def read_doc(content: Content) -> Extracted:
    """The ``doc`` reader: as the ``docx`` reader, tables placed by table, row and column."""
    require("docx", "reading Word 97 and WPS documents", "doc")
    soffice = require_program(PROGRAMS, "reading Word 97 and WPS documents", "doc", INSTALL)
    text, origins = docx_to_placed_text(convert_to_docx(content.data, content.name, soffice), content.name)
    return Extracted(text, Source("doc", content.name), origins=origins)


def doc_to_text(data: bytes, name: str) -> str:
    """The text of a Word 97 (.doc) or WPS (.wps) file as the parser reads it."""
    require("docx", "reading Word 97 and WPS documents", "doc")
    soffice = require_program(PROGRAMS, "reading Word 97 and WPS documents", "doc", INSTALL)
    return docx_to_text(convert_to_docx(data, name, soffice), name)


def convert_to_docx(data: bytes, name: str, soffice: str) -> bytes:
    """The bytes of the .docx LibreOffice makes of ``data``."""
    with tempfile.TemporaryDirectory(prefix="govreport-doc-") as work:
        folder = Path(work)
        source = folder / "report.doc"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        output = _run(command, name, folder)
        converted = folder / "out" / "report.docx"
        if not converted.is_file():
            said = " ".join(output.split())[-300:] or "no message"
            raise UnreadableFileError(name, f"LibreOffice could not convert the Word 97/WPS document ({said})")
        return converted.read_bytes()


def _run(command: list[str], name: str, home: Path) -> str:
    """Run LibreOffice; its whole process group is killed if it outlives ``TIMEOUT``."""
    env = {**os.environ, "HOME": str(home)}  # nothing is written to the user's own home
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # soffice starts soffice.bin: a timeout must stop both
        )
    except OSError as exc:
        raise UnreadableFileError(name, f"cannot start LibreOffice ({command[0]}): {exc}") from exc
    try:
        out, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise UnreadableFileError(name, f"LibreOffice did not convert the document within {TIMEOUT} s") from None
    return out.decode("utf-8", "replace")
