"""What a reader is given (``Content``) and what it gives back (``Extracted``).

Every reader, shipped or registered from outside, has one signature,
``read(content: Content) -> Extracted``, so ``read_file`` calls them all the same way.
``Content`` decodes its bytes at most once: the HTML test of the detection needs the
text, and the reader it picks must not pay for charset detection a second time.
"""

from __future__ import annotations

from functools import cached_property

from attrs import frozen

from ..model import Diagnostic, Source
from .encoding import decode

#: Files larger than this (in bytes) are refused before they are read; pass ``max_bytes=``
#: to ``parse_file`` or ``read_file`` to raise it.  A report is 50 kB to 5 MB.
MAX_FILE_BYTES = 200_000_000

#: Documents of more pages than this are refused before their text is read; pass
#: ``max_pages=`` to ``parse_file`` or ``read_file`` to raise it.  A report has 4 to 30.
MAX_PAGES = 100


@frozen
class Extracted:
    """The text read from a file, where it came from, and what the reader could not read.

    ``diagnostics`` (line and column None) say what a damaged file lost, e.g. the pages of a
    truncated PDF; ``parse_file`` puts them first among the report's diagnostics.
    """

    text: str
    source: Source
    diagnostics: tuple[Diagnostic, ...] = ()


@frozen
class Content:
    """A file being read: its bytes, its name, and its text, decoded on first use.

    ``max_pages`` is the page limit a reader of a paged format refuses a longer document by
    (``UnreadableFileError``), checked before any page's text is read.
    """

    data: bytes
    name: str = "<bytes>"  # the path, or "<bytes>": error messages and ``Source.name`` use it
    max_pages: int = MAX_PAGES

    @cached_property
    def decoded(self) -> tuple[str, str]:
        """The text and the name of its encoding (``UnreadableFileError`` for bytes that are no text)."""
        return decode(self.data, self.name)

    @property
    def text(self) -> str:
        return self.decoded[0]

    @property
    def encoding(self) -> str:
        return self.decoded[1]
