"""Normalisation before the grammar, with a map back to the user's text.

The grammar is written against one spelling of the reports: ASCII brackets and
digits, no spaces inside CJK words, no page footers.  Real input mixes full-width
and half-width forms, NBSP and ideographic spaces, curly quotes, ``结果 维持``,
``- 3 -`` footers.  ``normalize`` rewrites all of that and keeps an offset map so
that every position the parser reports points into the *original* text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Mapping
from functools import lru_cache

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
# Spaces between two CJK characters are layout, not content: 商业 企业, 结果 维持.
_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
# PDF page footers and headers: "- 3 -", "— 12 —", "第 3 页", "第3页 共8页".  The line is
# emptied and listed (``OffsetMap.furniture_lines``): where cells print one per line, an
# empty line is a blank cell, and this one is not.
_PAGE_FURNITURE = re.compile(
    r"(?m)^[ \t]*(?:[-—–]+[ \t]*\d{1,3}[ \t]*[-—–]+|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*共[ \t]*\d{1,3}[ \t]*页)?)[ \t]*$"
)
# What counts as a line break in the user's text (for line numbers in spans).
_LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
# Pinyin glosses that some mirror sites insert after characters: 發(fā), 數(shù), 項(xiàng).
_PINYIN_GLOSS = re.compile(f"(?<=[{_CJK}])\\([a-zü]{{0,6}}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{{0,6}}\\)")
# Characters found only in Traditional script, common in these reports (個 來 時 為 …).
_TRADITIONAL_MARKERS = frozenset(
    "們這個來時為說國會對於經開關與從後進過還發點當現樣實體題頭長問讓學將種聯應該處數條規項計總結轉請資機構報區縣訊劃權禮義"
)
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

    def __init__(
        self,
        original: str,
        to_original: array[int] | None,
        notes: tuple[str, ...] = (),
        furniture_lines: frozenset[int] = frozenset(),
        label_variants: tuple[LabelVariant, ...] = (),
    ) -> None:
        self._to_original = to_original  # None means identity
        self.notes = notes  # what the normaliser did that a user may want to know
        self.furniture_lines = furniture_lines  # lines of the normalised text emptied of a page footer
        self.label_variants = label_variants  # Taiwan/HK label phrases read as the national ones
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
        if self._to_original is None:  # normalising changed nothing: offsets are the original's
            o_start = min(start, self._original_length)
            o_end = min(max(end, start), self._original_length)
        else:
            o_start = self.original_index(start)
            o_end = self.original_index(end - 1) + 1 if end > start else o_start
        line, column = self.position(o_start)
        end_line, end_column = self.position(o_end)
        return Span(line, column, end_line, end_column, o_start, o_end)


def _apply_edits(text: str, pattern: re.Pattern[str], mapping: array[int] | None) -> tuple[str, array[int] | None]:
    """Delete every match of ``pattern``; compose the offset map."""
    return _delete(text, [m.span() for m in pattern.finditer(text)], mapping)


def _delete(text: str, spans: list[tuple[int, int]], mapping: array[int] | None) -> tuple[str, array[int] | None]:
    """Delete the given (start, end) spans, in order and not overlapping; compose the offset map."""
    pieces: list[str] = []
    kept: list[tuple[int, int]] = []
    last = 0
    for start, end in spans:
        if start == end:
            continue
        pieces.append(text[last:start])
        kept.append((last, start))
        last = end
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


def printed_form(word: str) -> str:
    """A word as ``normalize`` leaves it (full-width forms, quotes and brackets unified), without
    spaces: how the template's printed words are looked for in normalised text."""
    return "".join(map(_char_form, word)).replace(" ", "")


def _insert_breaks(text: str, at: list[int], mapping: array[int] | None) -> tuple[str, array[int] | None]:
    """Insert a line break before each offset in ``at`` (ascending); each maps back to the
    character it stands before."""
    if not at:
        return text, mapping
    pieces: list[str] = []
    new_map: array[int] = array("l")
    last = 0
    for index in [*at, len(text)]:
        pieces.append(text[last:index])
        new_map.extend(range(last, index) if mapping is None else mapping[last:index])
        if index < len(text):
            pieces.append("\n")
            new_map.append(index if mapping is None else mapping[index])
        last = index
    return "".join(pieces), new_map


# A row label broken over two lines (``行政⏎处罚``), by an HTML line break left in the text
# (``行政规范<br>性文件``) or over two cells (``缴纳费用、 | 行政机关不再处理…``).
_LABEL_BREAK = re.compile(rf"(?<=[{_CJK}、,])[ \t]*(?:<br\s*/?>|\n|\|)[ \t]*(?=[{_CJK}])")
_CELL_END = re.compile(r"[\n\t|]")
_ENUMERATOR = re.compile(r"^(?:\(?[一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.、]?)")
_NOT_CJK = re.compile(f"[^{_CJK}]")


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
    notes: list[str] = []
    text, note = to_simplified(text)
    if note:
        notes.append(note)
    text, mapping = _apply_edits(text, _PINYIN_GLOSS, mapping)
    text, mapping = _apply_edits(text, _CJK_SPACE, mapping)
    text, mapping, variants = national_labels(text, mapping)
    if labels:
        text, mapping = _delete(text, _label_breaks(text, labels), mapping)
    if words is not None:
        text, mapping = _insert_breaks(text, glued_breaks(text, words), mapping)
    furniture = frozenset(text.count("\n", 0, m.start()) + 1 for m in _PAGE_FURNITURE.finditer(text) if m.group())
    text, mapping = _apply_edits(text, _PAGE_FURNITURE, mapping)
    return text, OffsetMap(original, mapping, tuple(notes), furniture, variants)


def is_traditional(text: str) -> bool:
    """Whether the text is (partly) in Traditional characters, e.g. from a mirror site."""
    return sum(1 for ch in set(text) if ch in _TRADITIONAL_MARKERS) >= 3


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


def national_labels(
    text: str, mapping: array[int] | None, phrases: Mapping[str, str] | None = None
) -> tuple[str, array[int] | None, tuple[LabelVariant, ...]]:
    """Read the Taiwan/HK variant label phrases of ``text`` as their national forms
    (``phrases``: variant -> national, default the shipped table); compose the offset map.
    A replacement of another length maps its characters over the variant's span, first to
    first and last to last."""
    phrases = shipped_variant_phrases() if phrases is None else phrases
    if not phrases:
        return text, mapping, ()
    matches = list(_phrase_pattern(frozenset(phrases)).finditer(text))
    if not matches:
        return text, mapping, ()

    def source(index: int) -> int:
        return index if mapping is None else int(mapping[index])

    same_length = all(len(phrases[m.group()]) == len(m.group()) for m in matches)
    pieces: list[str] = []
    new_map: array[int] = array("l")
    found: list[LabelVariant] = []
    last = 0
    for m in matches:
        start, end = m.span()
        national = phrases[m.group()]
        pieces += [text[last:start], national]
        found.append(LabelVariant(source(start), source(end - 1) + 1, m.group(), national))
        if not same_length:
            new_map.extend(source(i) for i in range(last, start))
            new_map.extend(source(start + i) for i in _spread(len(national), end - start))
        last = end
    pieces.append(text[last:])
    if same_length:
        return "".join(pieces), mapping, tuple(found)
    new_map.extend(source(i) for i in range(last, len(text)))
    return "".join(pieces), new_map, tuple(found)
