"""Normalisation before the grammar, with a map back to the user's text.

The grammar is written against one spelling of the reports: ASCII brackets and
digits, no spaces inside CJK words, no page footers.  Real input mixes full-width
and half-width forms, NBSP and ideographic spaces, curly quotes, ``结果 维持``,
``- 3 -`` footers.  ``normalize`` rewrites all of that and keeps an offset map so
that every position the parser reports points into the *original* text.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from functools import lru_cache

from .model import Span

# One-to-one rewrites (length preserving).  NFKC handles the full-width forms;
# these are the characters NFKC leaves alone but the grammar needs unified.
_EXTRA = {
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u300c": '"',
    "\u300d": '"',
    "\u300e": '"',
    "\u300f": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u3010": "[",
    "\u3011": "]",
    "\u3014": "(",
    "\u3015": ")",  # 【】 〔〕
    "\u2212": "-",
    "\u2010": "-",
    "\u2011": "-",  # minus, hyphens (—/– stay: placeholders)
    "\r": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
    "\x0b": "\n",
    "\x0c": "\n",
    "\x85": "\n",
    "\u00a0": " ",
    "\u3000": " ",
    "\u200b": " ",
    "\ufeff": " ",
}

_CJK = "\u3400-\u9fff\uf900-\ufaff"
# Spaces between two CJK characters are layout, not content: 商业 企业, 结果 维持.
_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
# PDF page footers and headers: "- 3 -", "— 12 —", "第 3 页", "第3页 共8页".
_PAGE_FURNITURE = re.compile(
    r"(?m)^[ \t]*(?:[-—–]+[ \t]*\d{1,3}[ \t]*[-—–]+|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*共[ \t]*\d{1,3}[ \t]*页)?)[ \t]*$"
)
# What counts as a line break in the user's text (for line numbers in spans).
_LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
# Windows line ends: drop the \r of \r\n (a lone \r becomes \n above).
_CRLF = re.compile(r"\r(?=\n)")


@lru_cache(maxsize=8192)
def _char_form(ch: str) -> str:
    """The normalised form of one character (may be longer than one character)."""
    if ch in _EXTRA:
        return _EXTRA[ch]
    if ch in "\t\n":
        return ch
    category = unicodedata.category(ch)
    if category == "Zs" or (ch.isspace() and category not in ("Zl", "Zp")):
        return " "  # every other space character (U+1680, U+2000–U+200A, ...)
    if category in ("Zl", "Zp"):
        return "\n"
    if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return " "
    form = unicodedata.normalize("NFKC", ch)
    if "\u3000" in form or "\u00a0" in form:
        form = form.replace("\u3000", " ").replace("\u00a0", " ")
    return form


class OffsetMap:
    """Maps an index in the normalised text to an index in the original text."""

    def __init__(self, original: str, to_original: array[int] | None) -> None:
        self._to_original = to_original  # None means identity
        self._line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(original)]
        self._original_length = len(original)

    def original_index(self, index: int) -> int:
        if self._to_original is None:
            return min(index, self._original_length)
        if index >= len(self._to_original):
            return self._original_length
        return int(self._to_original[index])

    def position(self, original_index: int) -> tuple[int, int]:
        """1-based (line, column) of an original index."""
        line = bisect_right(self._line_starts, original_index)
        return line, original_index - self._line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """The original span of normalised text[start:end]."""
        o_start = self.original_index(start)
        o_end = self.original_index(end - 1) + 1 if end > start else o_start
        line, column = self.position(o_start)
        end_line, end_column = self.position(o_end)
        return Span(line, column, end_line, end_column, o_start, o_end)


def _apply_edits(text: str, pattern: re.Pattern[str], mapping: array[int] | None) -> tuple[str, array[int] | None]:
    """Delete every match of ``pattern``; compose the offset map."""
    pieces: list[str] = []
    kept: list[tuple[int, int]] = []
    last = 0
    for m in pattern.finditer(text):
        if m.start() == m.end():
            continue
        pieces.append(text[last : m.start()])
        kept.append((last, m.start()))
        last = m.end()
    if not kept:
        return text, mapping
    pieces.append(text[last:])
    kept.append((last, len(text)))
    new_map: array[int] = array("l")
    for a, b in kept:
        if mapping is None:
            new_map.extend(range(a, b))
        else:
            new_map.extend(mapping[a:b])
    return "".join(pieces), new_map


def normalize(text: str) -> tuple[str, OffsetMap]:
    """Return the normalised text and the map back to ``text``."""
    original = text
    mapping: array[int] | None = None
    text, mapping = _apply_edits(text, _CRLF, mapping)
    # Character forms.  Most characters map to themselves; only rewrite when needed.
    forms = {ch: _char_form(ch) for ch in set(text)}
    changed: dict[str, str | int | None] = {ch: f for ch, f in forms.items() if f != ch}
    if changed:
        if all(isinstance(f, str) and len(f) == 1 for f in changed.values()):
            text = text.translate(str.maketrans(changed))
        else:
            out: list[str] = []
            new_map: array[int] = array("l")
            for i, ch in enumerate(text):
                form = str(changed.get(ch, ch))
                out.append(form)
                source = i if mapping is None else mapping[i]
                new_map.extend([source] * len(form))
            text, mapping = "".join(out), new_map
    text, mapping = _apply_edits(text, _CJK_SPACE, mapping)
    text, mapping = _apply_edits(text, _PAGE_FURNITURE, mapping)
    return text, OffsetMap(original, mapping)
