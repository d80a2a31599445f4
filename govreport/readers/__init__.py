"""Files to text: the first step of ``parse_file``.

Each reader turns one kind of file into the plain text the grammar reads, tables as
tab-separated grid rows.  The readers are registered in ``registry.py`` (the shipped
ones in ``builtin.py``), which decides the kind from the content, never the file name:
``%PDF-`` is PDF, a ZIP holding ``word/document.xml`` is Word, a ZIP holding ``OFD.xml``
is OFD, an OLE2 file holding a ``WordDocument`` stream is Word 97 (.doc, .wps), and
anything else is decoded (``encoding.py``) and is HTML when it starts with markup,
otherwise text or Markdown.  ``register_reader`` adds a format from outside govreport.
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Union

from ..errors import UnreadableFileError
from .content import Content, Extracted
from .extras import MissingToolError
from .registry import (
    ENTRY_POINT_GROUP,
    Reader,
    ReadFunction,
    detect,
    extensions,
    find_reader,
    get_reader,
    kinds,
    ole_has_stream,
    readers,
    register_reader,
    sniff,
    unregister_reader,
    zip_members,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "KINDS",
    "Content",
    "Extracted",
    "FileInput",
    "MissingToolError",
    "ReadFunction",
    "Reader",
    "detect",
    "extensions",
    "find_reader",
    "get_reader",
    "kinds",
    "ole_has_stream",
    "read_file",
    "readers",
    "register_reader",
    "sniff",
    "unregister_reader",
    "zip_members",
]

FileInput = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]

# The registered kinds, for compatibility (``kinds()`` is the function).  Declared, not
# assigned, so that reading it goes to ``__getattr__`` and reflects every registration.
KINDS: tuple[str, ...]

if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        if name == "KINDS":
            return kinds()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_file(file: FileInput, *, kind: str | None = None) -> Extracted:
    """Read a report file (path, bytes or binary file object) into the text the parser reads.

    ``kind`` (one of ``kinds()``: "text", "html", "pdf", "docx", "doc", "ofd", and any registered)
    skips the detection; an unknown kind is a ``ValueError``.  Raises
    ``UnreadableFileError`` for a file that cannot be read and ``MissingExtraError`` when
    the reader's optional dependency (or, ``MissingToolError``, its program) is not installed.
    """
    data, name = _load(file)
    content = Content(data, name)
    reader = detect(content) if kind is None else get_reader(kind)
    return reader.load()(content)


def _load(file: FileInput) -> tuple[bytes, str]:
    if isinstance(file, (bytes, bytearray, memoryview)):
        return bytes(file), "<bytes>"
    if isinstance(file, (str, os.PathLike)):
        name = os.fspath(file)
        try:
            with open(name, "rb") as handle:
                return handle.read(), name
        except OSError as exc:
            raise UnreadableFileError(name, exc.strerror or str(exc)) from exc
    if hasattr(file, "read"):
        data = file.read()
        if not isinstance(data, bytes):
            raise TypeError("parse_file reads binary files: open the file with 'rb', or pass the text to parse()")
        return data, str(getattr(file, "name", "<file>"))
    raise TypeError(f"parse_file takes a path, bytes or a binary file, not {type(file).__name__}")
