"""What a reader is given (``Content``) and what it gives back (``Extracted``).

Every reader, shipped or registered from outside, has one signature,
``read(content: Content) -> Extracted``, so ``read_file`` calls them all the same way.
``Content`` decodes its bytes at most once: the HTML test of the detection needs the
text, and the reader it picks must not pay for charset detection a second time.
"""

from __future__ import annotations

from functools import cached_property

from attrs import frozen

from ..model import Source
from .encoding import decode


@frozen
class Extracted:
    """The text read from a file, and where it came from."""

    text: str
    source: Source


@frozen
class Content:
    """A file being read: its bytes, its name, and its text, decoded on first use."""

    data: bytes
    name: str = "<bytes>"  # the path, or "<bytes>": error messages and ``Source.name`` use it

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
