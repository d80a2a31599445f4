"""Files to text: the first step of ``parse_file``.

Each reader turns one kind of file into the plain text the grammar reads, tables as
tab-separated grid rows.  The readers are registered in ``registry.py`` (the shipped
ones in ``builtin.py``), which decides the kind from the content, never the file name:
``%PDF-`` is PDF, a ZIP holding ``word/document.xml`` is Word, a ZIP holding ``OFD.xml``
is OFD, an OLE2 file holding a ``WordDocument`` stream is Word 97 (.doc, .wps), and
anything else is decoded (``encoding.py``) and is HTML when it starts with markup,
otherwise text or Markdown.  ``register_reader`` adds a format from outside govreport.

Reading is bounded before any reader runs: only regular files are opened (a FIFO or a
device such as ``/dev/zero`` would block or never end), and at most ``MAX_FILE_BYTES``
of them are read.
"""

from __future__ import annotations

import os
import stat
from typing import IO, TYPE_CHECKING, Union

from ..errors import UnreadableFileError
from .content import MAX_FILE_BYTES, MAX_PAGES, Content, Extracted, Origins, placed_text
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
    "MAX_FILE_BYTES",
    "MAX_PAGES",
    "Content",
    "Extracted",
    "FileInput",
    "MissingToolError",
    "Origins",
    "ReadFunction",
    "Reader",
    "detect",
    "extensions",
    "find_reader",
    "get_reader",
    "kinds",
    "ole_has_stream",
    "placed_text",
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


def read_file(
    file: FileInput, *, kind: str | None = None, max_bytes: int = MAX_FILE_BYTES, max_pages: int = MAX_PAGES
) -> Extracted:
    """Read a report file (path, bytes or binary file object) into the text the parser reads.

    ``kind`` (one of ``kinds()``: "text", "html", "pdf", "docx", "doc", "ofd", and any registered)
    skips the detection; an unknown kind is a ``ValueError``.  Raises
    ``UnreadableFileError`` for a file that cannot be read (also one that is not a regular
    file, one of more than ``max_bytes`` bytes, or a PDF of more than ``max_pages`` pages)
    and ``MissingExtraError`` when the reader's optional dependency (or,
    ``MissingToolError``, its program) is not installed.

    Bytes are content, except one short line that names a file: ``os.fsencode(path)`` is
    read as the path it encodes (the rule is ``_is_path_bytes``'s).
    """
    _check_limit("max_bytes", max_bytes)
    _check_limit("max_pages", max_pages)
    data, name = _load(file, max_bytes)
    content = Content(data, name, max_pages)
    reader = detect(content) if kind is None else get_reader(kind)
    return reader.load()(content)


def _is_path_bytes(data: bytes | bytearray | memoryview) -> bool:
    """Whether bytes given as a file are a path (``os.fsencode(path)``), not the file's content.

    They are when they are one short line (at most 1,024 bytes, no line break, no NUL) that
    names an existing file or ends in a suffix a registered reader reads (``.pdf``,
    ``.docx``, ...).  No document is like that: a PDF, a Word file or a report's text is
    longer and has line breaks, so a path can never be mistaken for content.
    """
    if len(data) > _MAX_PATH_BYTES:
        return False
    raw = bytes(data).strip()
    if not raw or b"\0" in raw or b"\n" in raw or b"\r" in raw:
        return False
    path = os.fsdecode(raw)
    return os.path.splitext(path)[1].lower() in extensions() or os.path.isfile(path)


_MAX_PATH_BYTES = 1024


def _check_limit(argument: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{argument} must be an int, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{argument} must be at least 1, not {value}")


def _load(file: FileInput, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(file, (bytes, bytearray, memoryview)):
        if _is_path_bytes(file):
            return _read_path(os.fsdecode(bytes(file).strip()), max_bytes)
        data = bytes(file)
        _check_size(len(data), max_bytes, "<bytes>")
        return data, "<bytes>"
    if isinstance(file, (str, os.PathLike)):
        return _read_path(os.fsdecode(os.fspath(file)), max_bytes)
    if hasattr(file, "read"):
        name = str(getattr(file, "name", "<file>"))
        data = file.read(max_bytes + 1)
        if not isinstance(data, bytes):
            raise TypeError("parse_file reads binary files: open the file with 'rb', or pass the text to parse()")
        _check_size(len(data), max_bytes, name, at_least=True)
        return data, name
    raise TypeError(f"parse_file takes a path, bytes or a binary file, not {type(file).__name__}")


def _read_path(name: str, max_bytes: int) -> tuple[bytes, str]:
    """The bytes of a regular file.  Its type and size are checked before it is opened, and
    again on the open file (it may have been replaced in between); it is opened without
    blocking, so a FIFO put in its place cannot hang, and read up to the limit."""
    if "\0" in name:
        shown = name.replace("\0", "\\0")
        raise UnreadableFileError(shown, "the path holds a NUL byte, which no file name can hold")
    try:
        _check_regular(os.stat(name), name, max_bytes)
        descriptor = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(descriptor, "rb") as handle:
            _check_regular(os.fstat(descriptor), name, max_bytes)
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableFileError(name, exc.strerror or str(exc)) from exc
    _check_size(len(data), max_bytes, name, at_least=True)
    return data, name


_NOT_REGULAR = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_regular(status: os.stat_result, name: str, max_bytes: int) -> None:
    if not stat.S_ISREG(status.st_mode):
        what = next((what for test, what in _NOT_REGULAR if test(status.st_mode)), "not a regular file")
        raise UnreadableFileError(name, f"{what}, not a regular file: govreport reads only regular files")
    _check_size(status.st_size, max_bytes, name)


def _check_size(size: int, max_bytes: int, name: str, *, at_least: bool = False) -> None:
    """``at_least``: ``size`` is what a capped read got, so the file may be larger still."""
    if size > max_bytes:
        has = (
            f"more than {max_bytes:,} bytes, the limit"
            if at_least
            else f"{size:,} bytes, more than the limit of {max_bytes:,}"
        )
        raise UnreadableFileError(name, f"the file has {has}; pass max_bytes= to read a larger file")
