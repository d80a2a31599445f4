"""The fast paths of ``normalize`` (issue 19): they skip work, never change a result.

* The characters ``normalize`` skips without looking (``_STABLE``) are exactly ones whose
  normalised form is themselves.
* The compact offset map (``_Pieces``) points every character of the normalised text at
  the character of the input it came from, across CRLF, a character that became several
  (``…`` → ``...``), deleted spaces and inserted line breaks.
* The rewritten regular expressions (look-behind after the first character, for speed)
  find the same matches as the plain ones written in the docstrings.
* Characters are rewritten all at once: a form that is itself another character's key is
  not rewritten again.
"""

from __future__ import annotations

import re

import pytest

from govreport import normalize as nz
from govreport.normalize import OffsetMap, normalize


def _stable_characters() -> list[str]:
    """Every character of the ``_STABLE`` class (ranges expanded)."""
    spec = nz._STABLE
    out: list[str] = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return out


def test_skipped_characters_are_their_own_form() -> None:
    stable = _stable_characters()
    assert "行" in stable and "。" in stable and "a" in stable and "\t" in stable
    assert "（" not in stable and "\u3000" not in stable and "\r" not in stable
    changed = [ch for ch in stable if nz._char_form(ch) != ch]
    assert changed == []
    assert all(nz._UNSTABLE.search(ch) is None for ch in stable)


def test_every_normalised_character_points_at_its_source() -> None:
    # CRLF (the \r goes), a full-width bracket (same length), an ellipsis (one character
    # becomes three), a space inside a CJK word (deleted), NBSP (a space).
    original = "一、总体情况\r\n（一）行政 许可…合计\u00a012"
    text, offsets = normalize(original)
    assert text == "一、总体情况\n(一)行政许可...合计 12"
    sources = [original[offsets.original_index(i)] for i in range(len(text))]
    assert sources == list("一、总体情况\n（一）行政许可………合计\u00a012")
    # the three dots of the ellipsis are one character of the input
    dots = text.index("...")
    span = offsets.span(dots, dots + 3)
    assert original[span.start : span.end] == "…"
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 9, 2, 10)
    # a value after the ellipsis: line 2 of the input, columns 13-14 (end column 15)
    twelve = offsets.span(text.index("12"), text.index("12") + 2)
    assert (twelve.line, twelve.column, twelve.end_column) == (2, 13, 15)
    assert original[twelve.start : twelve.end] == "12"
    # past the end: the end of the input
    assert offsets.original_index(len(text) + 5) == len(original)


def test_unchanged_text_has_the_identity_map() -> None:
    original = "一、总体情况\n行政许可 12"
    text, offsets = normalize(original)
    assert text == original
    assert offsets._to_original is None
    assert offsets.span(100, 200).start == len(original)  # clamped, as for the identity


def test_offsets_on_old_line_breaks() -> None:
    # \r, \r\n, U+2028 and \f are each one line break of the input
    original = "甲\r乙\r\n丙\u2028丁\x0c戊 7"
    text, offsets = normalize(original)
    assert text == "甲\n乙\n丙\n丁\n戊 7"
    seven = offsets.span(text.index("7"), text.index("7") + 1)
    assert (seven.line, seven.column) == (5, 3)
    assert original[seven.start] == "7"


def test_inserted_line_breaks_point_at_the_next_character() -> None:
    text, mapping = nz._insert_breaks("甲乙丙", [1, 2], None)
    assert text == "甲\n乙\n丙"
    offsets = OffsetMap("甲乙丙", mapping)
    assert [offsets.original_index(i) for i in range(len(text))] == [0, 1, 1, 2, 2]


def test_deleted_then_expanded_pieces_compose() -> None:
    # a deletion, then a character that becomes three, then another deletion
    original = "甲 乙㈠丙 丁"
    text, offsets = normalize(original)
    assert text == "甲乙(一)丙丁"
    assert [original[offsets.original_index(i)] for i in range(len(text))] == list("甲乙㈠㈠㈠丙丁")


def test_forms_are_rewritten_at_once() -> None:
    # U+207B's form is U+2212, whose own form is "-": one pass gives U+2212, not "-"
    assert normalize("\u207b\u2212")[0] == "\u2212-"
    # more distinct characters to rewrite than str.replace is used for: str.translate
    letters = "".join(chr(c) for c in range(0xFF21, 0xFF3B)) + "".join(chr(c) for c in range(0xFF41, 0xFF5B))
    assert len(letters) > nz._MAX_REPLACES
    assert normalize(letters)[0] == "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


CJK = nz._CJK
PLAIN = {
    "_CJK_SPACE": re.compile(f"(?<=[{CJK}]) +(?=[{CJK}])"),
    "_PINYIN_GLOSS": re.compile(f"(?<=[{CJK}])\\([a-zü]{{0,6}}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{{0,6}}\\)"),
    "_LABEL_BREAK": re.compile(rf"(?<=[{CJK}、,])[ \t]*(?:<br\s*/?>|\n|\|)[ \t]*(?=[{CJK}])"),
}
SAMPLES = [
    "商业 企业  结果 维持 a 字 b字  \t字",
    "發(fā)數(shù) x(fā) 項(xiàng)(fā)(fā)",
    "行政\n处罚 行政规范<br>性文件 缴纳费用、 | 行政机关 \t<br/>  字,\n字 a\n字 字<br \n/>字 字<br字 \n\n字",
    "字|字 字 | 字、<BR>字 字<br / >字 ,|,",
]


@pytest.mark.parametrize("name", PLAIN)
@pytest.mark.parametrize("sample", SAMPLES)
def test_fast_patterns_match_as_the_plain_ones(name: str, sample: str) -> None:
    fast = getattr(nz, name)
    for text in (sample, sample * 3, sample.replace(" ", "  ")):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in PLAIN[name].finditer(text)]


def test_fast_patterns_find_what_they_are_for() -> None:
    assert [m.group() for m in nz._CJK_SPACE.finditer("商业 企业 a 字")] == [" "]
    assert [m.group() for m in nz._PINYIN_GLOSS.finditer("發(fā)x(fā)")] == ["(fā)"]
    assert [m.group() for m in nz._LABEL_BREAK.finditer("行政\n处罚 规范<br>性")] == ["\n", "<br>"]
