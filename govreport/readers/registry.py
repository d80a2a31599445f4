"""The registry of input formats: one ``Reader`` per kind of file, in sniffing order.

Everything that depends on which formats govreport reads is derived from here: how
``read_file`` tells the kind from the content and which function reads it, ``KINDS``,
the file extensions the command line picks up in a folder, and the table of readers in
docs/inputs.md.  The shipped readers are registered from ``builtin.py``; a package of
your own adds a format with ``register_reader`` (this process) or with an entry point in
the group ``govreport.readers`` (every process: ``parse_many``'s workers, the
``govreport`` command).
"""

from __future__ import annotations

import importlib
import io
import threading
import warnings
import zipfile
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from typing import Any

from attrs import Attribute, Factory, field, frozen

from ..errors import MissingExtraError, UnreadableFileError
from .content import Content, Extracted

ReadFunction = Callable[[Content], Extracted]

ENTRY_POINT_GROUP = "govreport.readers"
FALLBACK = "text"  # the kind of content that no reader's test claims

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, Excel .xls


def _suffixes(values: str | Iterable[str]) -> tuple[str, ...]:
    """``"PDF"`` or ``".pdf"`` → ``(".pdf",)``: the command line compares lower-case suffixes."""
    return tuple("." + v.lower().lstrip(".") for v in ((values,) if isinstance(values, str) else values))


def _prefixes(values: bytes | Iterable[bytes]) -> tuple[bytes, ...]:
    return (values,) if isinstance(values, bytes) else tuple(values)


def _check_kind(_: Any, attribute: Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value or value != value.strip():
        raise ValueError(f"a reader's kind is a non-empty name, not {value!r}")


def _check_read(_: Any, attribute: Attribute[str | ReadFunction], value: str | ReadFunction) -> None:
    if isinstance(value, str):
        module, _, function = value.partition(":")
        if not module or not function.isidentifier():
            raise ValueError(f"read={value!r}: expected 'package.module:function', or the function itself")
    elif not callable(value):
        raise TypeError(f"read must be 'package.module:function' or a function, not {type(value).__name__}")


@frozen
class Reader:
    """One input format: how its content is recognised, what reads it, what it needs.

    Detection runs in registration order, in two rounds: the byte tests (``magic``,
    ``sniff``) of every reader, then the text tests (``sniff_text``) on the decoded bytes.
    Content that no test claims is read as text.  The file name never decides the kind:
    ``extensions`` only tell the command line which files of a folder to read.
    """

    kind: str = field(validator=_check_kind)  # ``Source.kind`` and ``read_file(kind=...)``: "pdf"
    # What reads it: "package.module:function" (imported on first use) or the function itself.
    read: str | ReadFunction = field(validator=_check_read)
    title: str = field(default=Factory(lambda self: self.kind, takes_self=True))  # for help and docs: "PDF"
    extensions: tuple[str, ...] = field(default=(), converter=_suffixes)  # ".pdf"
    extra: str | None = None  # the ``govreport[extra]`` to install when ``read`` cannot be imported
    magic: tuple[bytes, ...] = field(default=(), converter=_prefixes)  # the file starts with one of these
    sniff: Callable[[bytes], bool] | None = None  # or this says yes to the file's bytes
    sniff_text: Callable[[str], bool] | None = None  # or, after every byte test, this to the decoded text
    grid: bool = True  # its tables are exact tab-separated grids: ``parse(text, grid=True)``

    def claims(self, data: bytes) -> bool:
        """Whether the byte tests say this file is of this kind."""
        return any(data.startswith(m) for m in self.magic) or (self.sniff is not None and self.sniff(data))

    def load(self) -> ReadFunction:
        """The read function.  A reader that needs an extra gets ``MissingExtraError`` when its import fails."""
        if not isinstance(self.read, str):
            return self.read
        module_name, _, name = self.read.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            if self.extra is None:
                raise
            missing = (exc.name or module_name).split(".")[0]
            raise MissingExtraError(f"reading {self.title}", self.extra, missing) from exc
        function: ReadFunction = getattr(module, name)
        return function


# ----------------------------------------------------------------- the registry

_LOCK = threading.RLock()  # re-entrant: a plugin may call register_reader while it is being loaded
_READERS: list[Reader] = []
_loaded = False


def _registry() -> list[Reader]:
    """The registered readers; the shipped ones and the plugins are added on first use (hold ``_LOCK``)."""
    global _loaded
    if not _loaded:
        _loaded = True
        from .builtin import BUILTIN

        _READERS[:0] = BUILTIN
        _load_plugins()
    return _READERS


def _load_plugins() -> None:
    """The readers installed packages declare as entry points (``govreport.readers``), by name."""
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            reader = entry.load()
            if not isinstance(reader, Reader):
                raise TypeError(f"it is a {type(reader).__name__}, not a govreport.readers.Reader")
        except Exception as exc:  # a broken plugin must not stop the shipped formats from being read
            message = f"govreport: the reader plugin {entry.name!r} ({entry.value}) is not loaded: {exc}"
            warnings.warn(message, RuntimeWarning, stacklevel=2)
            continue
        _put(reader, None)


def _put(reader: Reader, before: str | None) -> None:
    kinds = [r.kind for r in _READERS]
    if reader.kind in kinds:
        if before is None:  # a new reader for a registered kind takes its place
            _READERS[kinds.index(reader.kind)] = reader
            return
        del _READERS[kinds.index(reader.kind)]
    _READERS.insert(len(_READERS) if before is None else _READERS.index(get_reader(before)), reader)


def register_reader(reader: Reader, *, before: str | None = None) -> Reader:
    """Add an input format, or replace the reader of a kind already registered (in its place).

    Registration order is sniffing order: a new kind is tested last, or just before the
    kind ``before``.  This holds in the calling process; an entry point in the group
    ``govreport.readers`` reaches every process (see docs/inputs.md).  Returns ``reader``.
    """
    if not isinstance(reader, Reader):
        raise TypeError(f"register_reader takes a govreport.readers.Reader, not {type(reader).__name__}")
    with _LOCK:
        _registry()
        _put(reader, before)
    return reader


def unregister_reader(kind: str) -> Reader:
    """Remove the reader of ``kind`` and return it (``register_reader`` puts it back)."""
    with _LOCK:
        reader = get_reader(kind)
        _READERS.remove(reader)
    return reader


def readers() -> tuple[Reader, ...]:
    """The registered readers, in sniffing order."""
    with _LOCK:
        return tuple(_registry())


def kinds() -> tuple[str, ...]:
    """The registered kinds, in sniffing order: the values ``read_file(kind=...)`` takes."""
    return tuple(r.kind for r in readers())


def extensions() -> frozenset[str]:
    """The file extensions (".pdf", ...) the command line reads in a folder."""
    return frozenset(e for r in readers() for e in r.extensions)


def find_reader(kind: str) -> Reader | None:
    """The reader of ``kind``, or None if no reader of that kind is registered."""
    return next((r for r in readers() if r.kind == kind), None)


def get_reader(kind: str) -> Reader:
    """The reader of ``kind``; an unknown kind is a calling error (``ValueError`` naming the kinds)."""
    reader = find_reader(kind)
    if reader is None:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(kinds())}")
    return reader


# ----------------------------------------------------------------- detection


def detect(content: Content) -> Reader:
    """The reader of this content: the first byte test that says yes, else the first text test, else text."""
    registered = readers()
    reader = _by_bytes(registered, content)
    if reader is not None:
        return reader
    for reader in registered:
        if reader.sniff_text is not None and reader.sniff_text(content.text):
            return reader
    fallback = find_reader(FALLBACK)
    if fallback is None:
        raise UnreadableFileError(content.name, f"no registered reader reads this file (kinds: {', '.join(kinds())})")
    return fallback


def sniff(data: bytes, name: str = "<bytes>") -> str | None:
    """The kind the bytes decide, or None when the decoded text decides (text, HTML)."""
    reader = _by_bytes(readers(), Content(data, name))
    return None if reader is None else reader.kind


def _by_bytes(registered: Iterable[Reader], content: Content) -> Reader | None:
    """The first reader whose byte test claims the content.  A container none claims is refused
    here, with what it is, rather than decoded as text."""
    reader = next((r for r in registered if r.claims(content.data)), None)
    if reader is None:
        _refuse_container(content.data, content.name)
    return reader


def _refuse_container(data: bytes, name: str) -> None:
    if data.startswith(_ZIP):
        try:
            _zip_names(data)
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise UnreadableFileError(name, f"a damaged ZIP archive (truncated .docx?): {exc}") from exc
        raise UnreadableFileError(name, "a ZIP archive that is not a Word (.docx) document")
    if data.startswith(_OLE):
        raise UnreadableFileError(
            name,
            "an OLE2 compound file (legacy Office: .xls, .ppt, ...) that holds no Word document: "
            "save it as .docx, PDF or text first",
        )


def zip_members(data: bytes) -> frozenset[str]:
    """The names in a ZIP archive, empty if ``data`` is none or a damaged one: the byte test of
    ZIP-based formats (.docx holds ``word/document.xml``, OFD ``OFD.xml``)."""
    if not data.startswith(_ZIP):
        return frozenset()
    try:
        return _zip_names(data)
    except (zipfile.BadZipFile, ValueError, OSError):
        return frozenset()


def ole_has_stream(data: bytes, stream: str) -> bool:
    """Whether an OLE2 compound file (Word 97 .doc, WPS .wps, Excel .xls) holds the stream ``stream``.

    The byte test of OLE-based formats: Word and WPS documents hold ``WordDocument``, Excel
    workbooks ``Workbook``.  A directory entry is 128 bytes at a 128-byte boundary: the name in
    UTF-16LE padded to 64 bytes, then the name's length in bytes (with its terminating zero)
    and the entry type (2 for a stream), so a name that merely occurs in the data does not count.
    """
    if not data.startswith(_OLE) or not stream or len(stream) > 31:
        return False
    name = stream.encode("utf-16-le")
    tail = name.ljust(64, b"\0") + ((len(stream) + 1) * 2).to_bytes(2, "little") + b"\x02"
    start = data.find(name, 512)
    while start != -1:
        if start % 128 == 0 and data.startswith(tail, start):
            return True
        start = data.find(name, start + 1)
    return False


def _zip_names(data: bytes) -> frozenset[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return frozenset(archive.namelist())
