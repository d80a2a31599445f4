"""Text whose line breaks and cell separators were lost: where the lines were.

A crawler that takes a page's text without its markup prints a table, or the whole page,
as one line: ``…现行有效件数规章000行政规范性文件77132470第二十条第(五)项信息内容…``.  Read
as it is, the words before a label swallow the label (a cell's text runs up to the next
digit).  The template's printed words (row and column labels, header words, section
headings: ``registry.printed_words``) tell where each line began: a line break goes back
before each of them that follows a digit or another of them, and around each section
heading.  Only *glued* lines are touched — lines where at least two such words follow a
digit, or three follow one another and one is followed by a digit — so a sentence of prose
that names a row, or a PDF header line, is left as it is.  What this leaves of each row,
its label and a run of digits, is split by ``split.py`` when the table's arithmetic allows
exactly one reading.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import pairwise

from attrs import frozen

_ENUMERATED = re.compile(r"^(\d)[.、]")
_NOTE = re.compile(r"\([^()\n]{0,200}\)")  # a printed note after a word: 本年收费金额(单位:万元,保留4位小数)
_MIN_DIGIT_BREAKS = 2  # words after a digit that make a line glued
_MIN_ADJACENT = 3  # or words in a row, one right after the other


@frozen
class PrintedWords:
    """The words to look for, as one pattern (longest first, so that the longest word
    starting at a place wins), and which of them are section headings."""

    pattern: re.Pattern[str] | None
    headings: frozenset[str]
    headers: frozenset[str]  # column headers: values after one are on a line of their own

    @classmethod
    def of(cls, labels: Iterable[str], headers: Iterable[str], headings: Iterable[str]) -> PrintedWords:
        """From the row labels, column headers and section headings in normalised form
        (``normalize.printed_form``)."""
        headings, headers = frozenset(headings), frozenset(headers)
        forms = set(labels) | headers | headings
        forms |= {_ENUMERATED.sub(r"\1、", f) for f in forms}  # 1.属于国家秘密 / 1、属于国家秘密
        kept = sorted((f for f in forms if sum(1 for ch in f if "\u4e00" <= ch <= "\u9fff") >= 2), key=len)
        pattern = re.compile("|".join(re.escape(f) for f in reversed(kept))) if kept else None
        return cls(pattern, headings, headers)


def glued_breaks(text: str, words: PrintedWords) -> list[int]:
    """Where a line break goes back into the glued lines of ``text`` (offsets, ascending)."""
    if words.pattern is None:
        return []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    by_line: dict[int, list[re.Match[str]]] = {}
    for match in words.pattern.finditer(text):
        by_line.setdefault(bisect_right(line_starts, match.start()) - 1, []).append(match)
    breaks: list[int] = []
    for line, matches in by_line.items():
        start = line_starts[line]
        if _glued(text, matches):
            breaks.extend(_line_breaks(text, start, matches, words))
    return sorted(set(breaks))


def _glued(text: str, matches: list[re.Match[str]]) -> bool:
    after_digit = sum(1 for m in matches if m.start() > 0 and text[m.start() - 1].isdigit())
    adjacent = longest = 1
    for before, match in pairwise(matches):
        adjacent = adjacent + 1 if before.end() == match.start() else 1
        longest = max(longest, adjacent)
    # Header words in a row are glued only when values are glued too: PDF text prints a header
    # line as words with spaces between them, which normalising removes.
    valued = any(m.end() < len(text) and text[m.end()].isdigit() for m in matches)
    return after_digit >= _MIN_DIGIT_BREAKS or (longest >= _MIN_ADJACENT and valued)


def _line_breaks(text: str, start: int, matches: list[re.Match[str]], words: PrintedWords) -> Iterable[int]:
    previous_end = -1
    for match in matches:
        begin, end = match.span()
        heading = match.group() in words.headings
        follows = begin == previous_end or (previous_end >= 0 and _NOTE.fullmatch(text, previous_end, begin))
        if begin > start and (heading or text[begin - 1].isdigit() or follows):
            yield begin
        if (
            end < len(text)
            and text[end] != "\n"
            and (heading or (match.group() in words.headers and text[end].isdigit()))
        ):
            yield end  # a heading ends its line; so does a column header before a line of values
        previous_end = end
