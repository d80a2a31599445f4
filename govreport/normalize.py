"""Normalisation before the grammar, with a map back to the user's text.

The grammar is written against one spelling of the reports: ASCII brackets and
digits, no spaces inside CJK words, no page footers.  Real input mixes full-width
and half-width forms, NBSP and ideographic spaces, curly quotes, ``结果 维持``,
``- 3 -`` footers.  ``normalize`` rewrites all of that and keeps an offset map so
that every position the parser reports points into the *original* text.

It runs on every report and, for the prose checks, on every section, so it is written
for speed: the characters that never change (ASCII, CJK ideographs, 。、) are skipped by
one regular expression, length-preserving rewrites are ``str.replace``/``str.translate``
calls that leave the offset map alone, and the offset map records only the places where
the text changed length (``_Pieces``), not one entry per character.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from functools import lru_cache
from itertools import accumulate

import cattrs
from attrs import frozen

from .errors import TemplateError
from .model import Span
from .strict_json import strict_converter
from .unglue import PrintedWords, glued_breaks

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
# Spaces between two CJK characters are layout, not content: 商业 企业, 结果 维持.  (The
# pattern is ``(?<=[CJK]) +(?=[CJK])`` with the look-behind after the first space, so that
# the regular expression engine can skip to each space instead of trying every position.)
_CJK_SPACE = re.compile(f" (?<=[{_CJK}] ) *(?=[{_CJK}])")
# PDF page footers and headers: "- 3 -", "— 12 —", "第 3 页", "第3页 共8页".  The line is
# emptied and listed (``OffsetMap.furniture_lines``): where cells print one per line, an
# empty line is a blank cell, and this one is not.
_PAGE_FURNITURE = re.compile(
    r"(?m)^[ \t]*(?:[-—–]+[ \t]*\d{1,3}[ \t]*[-—–]+|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*共[ \t]*\d{1,3}[ \t]*页)?)[ \t]*$"
)
# What counts as a line break in the user's text (for line numbers in spans).
_LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
# Pinyin glosses that some mirror sites insert after characters: 發(fā), 數(shù), 項(xiàng).
# (A "(" after a CJK character: the look-behind follows the "(" for the same reason as above.)
_PINYIN_GLOSS = re.compile(f"\\((?<=[{_CJK}]\\()[a-zü]{{0,6}}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{{0,6}}\\)")
# Characters found only in Traditional script, common in these reports (個 來 時 為 …).
_TRADITIONAL_MARKERS = frozenset(
    "們這個來時為說國會對於經開關與從後進過還發點當現樣實體題頭長問讓學將種聯應該處數條規項計總結轉請資機構報區縣訊劃權禮義"
)
_TRADITIONAL_MARKER = re.compile(f"[{''.join(sorted(_TRADITIONAL_MARKERS))}]")
# Windows line ends: drop the \r of \r\n (a lone \r becomes \n above).
_CRLF = re.compile(r"\r(?=\n)")
# A line break of the user's text other than "\n" (then ``_LINE_BREAK`` finds the lines).
_OTHER_BREAK = re.compile("[\r\u2028\u2029\x0b\x0c\x85]")
# Characters that normalising never changes (``_char_form(ch) == ch``, checked for each of
# them by tests/test_normalize_speed.py): printable ASCII, tab, line feed, the CJK ideographs and
# the commonest CJK punctuation.  Most of a report is made of them, so only the runs of other
# characters are looked at: a regular expression finds them in C.
_STABLE = "\t\n -~\u3400-\u4dbf\u4e00-\u9fff\u3001\u3002\u300a\u300b\u2014\u00b7"
_UNSTABLE = re.compile(f"[^{_STABLE}]+")
# Above this many characters to rewrite, one ``str.translate`` beats a ``str.replace`` each.
_MAX_REPLACES = 48


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


class _Pieces:
    """An offset map that lists only where the text changed length.

    Normalised index ``i`` maps to ``origins[j] + (i - starts[j])`` for the last piece ``j``
    that starts at or before ``i``: a stretch the normaliser copied is one piece, however
    long; a character that became several (``…`` → ``...``) gives one piece per character
    it became, all mapping to it.  ``length`` is the length of the normalised text.
    """

    __slots__ = ("length", "origins", "starts")

    def __init__(self) -> None:
        self.starts: array[int] = array("q")
        self.origins: array[int] = array("q")
        self.length = 0

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> int:
        """The original index of normalised index ``index``, indexed as a list is."""
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError("offset map index out of range")
        j = bisect_right(self.starts, index) - 1
        return self.origins[j] + index - self.starts[j]

    def _add(self, origin: int) -> None:
        """The piece starting at ``length`` maps to ``origin``; joined to the last piece when
        it only continues it."""
        starts, origins = self.starts, self.origins
        if not starts or origins[-1] + self.length - starts[-1] != origin:
            starts.append(self.length)
            origins.append(origin)

    def copy(self, mapping: _Pieces | None, start: int, end: int) -> None:
        """Append ``[start, end)`` of the text that ``mapping`` maps (None: the original)."""
        if end <= start:
            return
        at = self.length
        if mapping is None:
            self._add(start)
        else:
            starts, origins = mapping.starts, mapping.origins
            j = bisect_right(starts, start) - 1
            self._add(origins[j] + start - starts[j])
            for k in range(j + 1, bisect_left(starts, end, j + 1)):
                self.length = at + starts[k] - start
                self._add(origins[k])
        self.length = at + end - start

    def point(self, origin: int) -> None:
        """Append one character that stands for the original index ``origin``."""
        self._add(origin)
        self.length += 1


def _source(mapping: _Pieces | None, index: int) -> int:
    """The original index of ``index`` in the text that ``mapping`` maps (None: the original)."""
    return index if mapping is None else mapping[index]


class OffsetMap:
    """Maps an index in the normalised text to an index in the original text."""

    def __init__(
        self,
        original: str,
        to_original: _Pieces | None,
        notes: tuple[str, ...] = (),
        furniture_lines: frozenset[int] = frozenset(),
        label_variants: tuple[LabelVariant, ...] = (),
    ) -> None:
        self._to_original = to_original  # None means identity
        self.notes = notes  # what the normaliser did that a user may want to know
        self.furniture_lines = furniture_lines  # lines of the normalised text emptied of a page footer
        self.label_variants = label_variants  # Taiwan/HK label phrases read as the national ones
        if _OTHER_BREAK.search(original):
            self._line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(original)]
        else:  # "\n" only: the same starts, from the lengths of the lines
            self._line_starts = list(accumulate((len(line) + 1 for line in original.split("\n")[:-1]), initial=0))
        self._original_length = len(original)

    def original_index(self, index: int) -> int:
        if self._to_original is None:
            return min(index, self._original_length)
        if index >= self._to_original.length:
            return self._original_length
        return self._to_original[index]

    def position(self, original_index: int) -> tuple[int, int]:
        """1-based (line, column) of an original index."""
        line = bisect_right(self._line_starts, original_index)
        return line, original_index - self._line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """The original span of normalised text[start:end].

        ``original_index`` written out (a report asks for a few hundred spans: one per cell)."""
        length = self._original_length
        pieces = self._to_original
        if pieces is None:  # normalising changed nothing: offsets are the original's
            o_start = min(start, length)
            o_end = min(max(end, start), length)
        else:
            mapped, piece_starts, origins = pieces.length, pieces.starts, pieces.origins
            if 0 <= start < mapped:
                j = bisect_right(piece_starts, start) - 1
                o_start = origins[j] + start - piece_starts[j]
            else:
                o_start = self.original_index(start)
            if end <= start:
                o_end = o_start
            elif 0 < end <= mapped:
                j = bisect_right(piece_starts, end - 1) - 1
                o_end = origins[j] + end - piece_starts[j]
            else:
                o_end = self.original_index(end - 1) + 1
        starts = self._line_starts
        line = bisect_right(starts, o_start)
        end_line = bisect_right(starts, o_end)
        return Span(line, o_start - starts[line - 1] + 1, end_line, o_end - starts[end_line - 1] + 1, o_start, o_end)


def _apply_edits(text: str, pattern: re.Pattern[str], mapping: _Pieces | None) -> tuple[str, _Pieces | None]:
    """Delete every match of ``pattern``; compose the offset map."""
    return _delete(text, [m.span() for m in pattern.finditer(text)], mapping)


def _delete(text: str, spans: list[tuple[int, int]], mapping: _Pieces | None) -> tuple[str, _Pieces | None]:
    """Delete the given (start, end) spans, in order and not overlapping; compose the offset map."""
    if not spans:
        return text, mapping
    pieces: list[str] = []
    new_map = _Pieces()
    last = 0
    for start, end in spans:
        if start == end:
            continue
        pieces.append(text[last:start])
        new_map.copy(mapping, last, start)
        last = end
    if not pieces:
        return text, mapping
    pieces.append(text[last:])
    new_map.copy(mapping, last, len(text))
    return "".join(pieces), new_map


def printed_form(word: str) -> str:
    """A word as ``normalize`` leaves it (full-width forms, quotes and brackets unified), without
    spaces: how the template's printed words are looked for in normalised text."""
    return "".join(map(_char_form, word)).replace(" ", "")


def _insert_breaks(text: str, at: list[int], mapping: _Pieces | None) -> tuple[str, _Pieces | None]:
    """Insert a line break before each offset in ``at`` (ascending); each maps back to the
    character it stands before."""
    if not at:
        return text, mapping
    pieces: list[str] = []
    new_map = _Pieces()
    last = 0
    for index in [*at, len(text)]:
        pieces.append(text[last:index])
        new_map.copy(mapping, last, index)
        if index < len(text):
            pieces.append("\n")
            new_map.point(_source(mapping, index))
        last = index
    return "".join(pieces), new_map


def _rewrite(text: str, changed: dict[str, str]) -> str:
    """Every character of ``text`` that is a key of ``changed`` replaced by its value, all at
    once: a ``str.replace`` each when few and none is written by another (so the order does
    not matter), else one ``str.translate``."""
    if len(changed) <= _MAX_REPLACES and changed.keys().isdisjoint("".join(changed.values())):
        for ch, form in changed.items():
            text = text.replace(ch, form)
        return text
    table: dict[str, str | int | None] = dict(changed)
    return text.translate(str.maketrans(table))


def _char_forms(text: str, mapping: _Pieces | None) -> tuple[str, _Pieces | None]:
    """Every character in its normalised form (``_char_form``); compose the offset map where
    a character's form has another length (each character of the form maps to it)."""
    unstable = _UNSTABLE.findall(text)
    if not unstable:
        return text, mapping
    changed = {ch: form for ch in set("".join(unstable)) if (form := _char_form(ch)) != ch}
    if not changed:
        return text, mapping
    resized = [ch for ch, form in changed.items() if len(form) != 1]
    if not resized:
        return _rewrite(text, changed), mapping
    new_map = _Pieces()
    last = 0
    for m in re.finditer("|".join(map(re.escape, resized)), text):
        index = m.start()
        new_map.copy(mapping, last, index)
        origin = _source(mapping, index)
        for _ in changed[m.group()]:
            new_map.point(origin)
        last = index + 1
    new_map.copy(mapping, last, len(text))
    return _rewrite(text, changed), new_map


# A row label broken over two lines (``行政⏎处罚``), by an HTML line break left in the text
# (``行政规范<br>性文件``) or over two cells (``缴纳费用、 | 行政机关不再处理…``).
# The pattern is ``(?<=[CJK、,])[ \t]*(?:<br\s*/?>|\n|\|)[ \t]*(?=[CJK])``, written to begin
# with the character class of its first character (the look-behinds follow it), so that the
# engine skips to the candidates (spaces, "<", line breaks, "|") instead of trying every position.
_LABEL_BREAK = re.compile(
    rf"[ \t<\n|](?<=[{_CJK}、,][ \t<\n|])"
    rf"(?:(?<=[ \t])[ \t]*(?:<br\s*/?>|\n|\|)|(?<=<)br\s*/?>|(?<=[\n|]))"
    rf"[ \t]*(?=[{_CJK}])"
)
_CELL_END = re.compile(r"[\n\t|]")
_ENUMERATOR = re.compile(r"^(?:\(?[一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.、]?)")
_NOT_CJK = re.compile(f"[^{_CJK}]")


@lru_cache(maxsize=4096)
def label_core(label: str) -> str:
    """A row label reduced to what survives every way of printing it: its CJK characters,
    without the enumerator (``1.属于国家秘密``, ``1、属于国家秘密`` -> ``属于国家秘密``)."""
    label = unicodedata.normalize("NFKC", label).replace(" ", "").replace("（", "(").replace("）", ")")
    return _NOT_CJK.sub("", _ENUMERATOR.sub("", label))


def _label_breaks(text: str, labels: frozenset[str]) -> list[tuple[int, int]]:
    """The line breaks, ``<br>`` and cell separators inside a row label: the break is
    deleted when the cell text before it and the cell text after it make one of ``labels``
    (``label_core`` forms), unless each of the two is a label of its own."""
    breaks: list[tuple[int, int]] = []
    for m in _LABEL_BREAK.finditer(text):
        start, end = m.span()
        left_start = max(text.rfind("\n", 0, start), text.rfind("\t", 0, start), text.rfind("|", 0, start)) + 1
        right_end = _CELL_END.search(text, end)
        left = label_core(text[left_start:start])
        right = label_core(text[end : right_end.start() if right_end else len(text)])
        if left and left + right in labels and not (left in labels and right in labels):
            breaks.append((start, end))
    return breaks


def normalize(
    text: str, labels: frozenset[str] = frozenset(), words: PrintedWords | None = None
) -> tuple[str, OffsetMap]:
    """Return the normalised text and the map back to ``text``.  ``labels``: the row labels
    (``label_core`` forms) whose breaks over lines or cells are joined again; ``words``:
    the printed words before which glued lines are broken again (``unglue.py``)."""
    original = text
    mapping: _Pieces | None = None
    if "\r" in text:
        text, mapping = _apply_edits(text, _CRLF, mapping)
    text, mapping = _char_forms(text, mapping)
    notes: list[str] = []
    text, note = to_simplified(text)
    if note:
        notes.append(note)
    if "(" in text:
        text, mapping = _apply_edits(text, _PINYIN_GLOSS, mapping)
    text, mapping = _apply_edits(text, _CJK_SPACE, mapping)
    text, mapping, variants = national_labels(text, mapping)
    if labels:
        text, mapping = _delete(text, _label_breaks(text, labels), mapping)
    if words is not None:
        text, mapping = _insert_breaks(text, glued_breaks(text, words), mapping)
    footers = [m for m in _PAGE_FURNITURE.finditer(text) if m.group()]
    furniture = frozenset(text.count("\n", 0, m.start()) + 1 for m in footers)
    text, mapping = _delete(text, [m.span() for m in footers], mapping)
    return text, OffsetMap(original, mapping, tuple(notes), furniture, variants)


def is_traditional(text: str) -> bool:
    """Whether the text is (partly) in Traditional characters, e.g. from a mirror site."""
    return len(set(_TRADITIONAL_MARKER.findall(text))) >= 3


@lru_cache(maxsize=2)
def _converter(config: str) -> object | None:
    try:
        import opencc  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return opencc.OpenCC(config)


def to_simplified(text: str) -> tuple[str, str]:
    """Traditional → Simplified, character by character (OpenCC ``t2s``).

    Character conversion keeps every offset valid.  Mirror sites that also convert
    vocabulary (规范性文件 → 規範性檔案) are handled by ``national_labels`` (label
    phrases only), not by OpenCC's phrase conversion ``tw2sp``, which would also rewrite
    prose (人事檔案 → 人事文件, 網際網路 → 互联网, changing lengths).  Returns the text
    and a note for the report (empty when nothing was done).  OpenCC is the
    optional extra ``pip install govreport[traditional]``.
    """
    if not is_traditional(text):
        return text, ""
    converter = _converter("t2s")
    if converter is None:
        return text, "traditional-unconverted"
    converted = converter.convert(text)  # type: ignore[attr-defined]
    if len(converted) != len(text):  # never expected of t2s; keep offsets right regardless
        return text, "traditional-unconverted"
    return converted, "traditional-converted"


# ----------------------------------------------------------------- label words of mirror sites
#
# Mirror sites that convert a report to Taiwan usage change words, not only characters:
# 行政规范性文件 becomes 行政規範性檔案, 政府信息 becomes 政府資訊.  After t2s (or in a dump
# converted back to Simplified characters) these read 规范性档案, 政府资讯, and the grammar's
# labels miss them.  grammars/label_variants.json lists each such label word, its variants
# and the label phrases in which a variant is read as the national word; nowhere else is
# a word touched, so prose keeps its meaning.  No OpenCC is needed for this step.


@frozen
class VariantWord:
    """One national label word, its Taiwan/HK variants and the label phrases it is read in."""

    national: str
    variants: tuple[str, ...]
    phrases: tuple[str, ...]  # "规范性{}": the word inside the label phrase


@frozen
class LabelVariantsData:
    """The file grammars/label_variants.json."""

    words: tuple[VariantWord, ...]
    about: str = ""


@frozen
class LabelVariant:
    """A label phrase printed in a Taiwan/HK variant and read as its national form."""

    start: int  # its span in the original text
    end: int
    variant: str  # as read after character conversion (规范性档案)
    national: str  # as the template prints it (规范性文件)


_VARIANTS_FILE = "label_variants.json"


def variant_phrases(data: Mapping[str, object]) -> dict[str, str]:
    """The variant phrases of a label-variants table and the national phrase of each."""
    try:
        table = strict_converter().structure(data, LabelVariantsData)
    except (cattrs.BaseValidationError, ValueError, TypeError) as exc:
        raise TemplateError(f"invalid label variants in {_VARIANTS_FILE}: {exc}") from None
    phrases: dict[str, str] = {}
    for word in table.words:
        for phrase in word.phrases:
            if phrase.count("{}") != 1 or "{" in phrase.replace("{}", "", 1):
                raise TemplateError(f"invalid label variants in {_VARIANTS_FILE}: phrase {phrase!r} needs one {{}}")
            for variant in word.variants:
                phrases[phrase.replace("{}", variant)] = phrase.replace("{}", word.national)
    return phrases


@lru_cache(maxsize=1)
def shipped_variant_phrases() -> Mapping[str, str]:
    """The variant phrases of the shipped grammars/label_variants.json."""
    from .grammar import grammar_dir  # here: grammar imports the item builder, not needed by normalize

    path = grammar_dir() / _VARIANTS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TemplateError(f"cannot read {path}: {exc}") from None
    return variant_phrases(data)


def _spread(new: int, old: int) -> list[int]:
    """For each of ``new`` characters, the index of one of ``old`` characters it stands for."""
    if new == 1:
        return [0]
    return [(i * (old - 1) + (new - 1) // 2) // (new - 1) for i in range(new)]


@lru_cache(maxsize=8)
def _phrase_pattern(phrases: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(phrases, key=lambda p: (-len(p), p)))))


@lru_cache(maxsize=1)
def _shipped_pattern() -> re.Pattern[str]:
    return _phrase_pattern(frozenset(shipped_variant_phrases()))


def national_labels(
    text: str, mapping: _Pieces | None, phrases: Mapping[str, str] | None = None
) -> tuple[str, _Pieces | None, tuple[LabelVariant, ...]]:
    """Read the Taiwan/HK variant label phrases of ``text`` as their national forms
    (``phrases``: variant -> national, default the shipped table); compose the offset map.
    A replacement of another length maps its characters over the variant's span, first to
    first and last to last."""
    if phrases is None:
        phrases, pattern = shipped_variant_phrases(), _shipped_pattern()
    elif phrases:
        pattern = _phrase_pattern(frozenset(phrases))
    if not phrases:
        return text, mapping, ()
    matches = list(pattern.finditer(text))
    if not matches:
        return text, mapping, ()
    same_length = all(len(phrases[m.group()]) == len(m.group()) for m in matches)
    pieces: list[str] = []
    new_map = _Pieces()
    found: list[LabelVariant] = []
    last = 0
    for m in matches:
        start, end = m.span()
        national = phrases[m.group()]
        pieces += [text[last:start], national]
        found.append(LabelVariant(_source(mapping, start), _source(mapping, end - 1) + 1, m.group(), national))
        if not same_length:
            new_map.copy(mapping, last, start)
            for i in _spread(len(national), end - start):
                new_map.point(_source(mapping, start + i))
        last = end
    pieces.append(text[last:])
    if same_length:
        return "".join(pieces), mapping, tuple(found)
    new_map.copy(mapping, last, len(text))
    return "".join(pieces), new_map, tuple(found)
