"""What a reader is given (``Content``) and what it gives back (``Extracted``).

Every reader, shipped or registered from outside, has one signature,
``read(content: Content) -> Extracted``, so ``read_file`` calls them all the same way.
``Content`` decodes its bytes at most once: the HTML test of the detection needs the
text, and the reader it picks must not pay for charset detection a second time.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import cached_property

from attrs import frozen

from ..model import Diagnostic, Origin, Source
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
    ``origins`` says where each stretch of ``text`` stands in the document (the page and box
    of a PDF word or table cell, the table/row/column of an HTML or Word table cell);
    None for a reader that gives none (plain text, where the span already is the place).
    """

    text: str
    source: Source
    diagnostics: tuple[Diagnostic, ...] = ()
    origins: Origins | None = None


#: A stretch of one line of text, ``(start, end, origin)``, offsets counted from the line's start.
Run = tuple[int, int, Origin]
#: A line of extracted text and the runs of it whose origin is known.
PlacedLine = tuple[str, Sequence[Run]]


@frozen
class Origins:
    """Where the stretches of an extracted text came from: run ``i`` is ``text[starts[i]:ends[i]]``,
    printed at ``places[i]``.  Runs are sorted and do not overlap; text between them (the line
    breaks, the spaces a reader puts between words) has no origin.

    Three flat tuples, not one object per run, and an ``Origin`` shared by every run of a
    table cell or page line: a 100-page PDF has some 50,000 words.  Lookup is by bisection.
    """

    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()
    places: tuple[Origin, ...] = ()

    def __len__(self) -> int:
        return len(self.starts)

    def covering(self, start: int, end: int) -> tuple[Origin, ...]:
        """The origins of the runs that hold some of ``text[start:end]`` (of the run at ``start``
        for an empty stretch), in text order."""
        first = bisect_right(self.starts, start) - 1  # the last run starting at or before start
        if first < 0 or self.ends[first] <= start:
            first += 1
        last = bisect_left(self.starts, max(end, start + 1))
        return self.places[first:last]

    def before(self, offset: int) -> Origin | None:
        """The origin of the run at ``offset``, else of the nearest run before it (else the first run)."""
        if not self.starts:
            return None
        index = bisect_right(self.starts, offset) - 1
        return self.places[max(index, 0)]


def placed_text(lines: Iterable[PlacedLine]) -> tuple[str, Origins]:
    """The lines joined by line breaks, and their runs at offsets of the joined text."""
    texts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    places: list[Origin] = []
    offset = 0
    for line, runs in lines:
        for start, end, origin in runs:
            if end > start:
                starts.append(offset + start)
                ends.append(offset + end)
                places.append(origin)
        texts.append(line)
        offset += len(line) + 1
    return "\n".join(texts), Origins(tuple(starts), tuple(ends), tuple(places))


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
