"""The six national sections, found by their wording and their order.

Every report prints 一、总体情况 … 六、其他需要报告的事项 in the national order; the template's
``sections`` give each kind its number, its heading's wording and the words that tell it.  Real
text bends the form:

* a heading and its text on one line (``一、总体情况 2022年，某区坚持……``);
* parts of a section numbered like sections (``二、工作机制保障`` inside 总体情况), and then the
  national sections numbered again from 一;
* a heading without its number (``总体情况``), with Markdown marks, or on a table grid row of a
  PDF page (``二、主动公开政府信息情况\\t\\t\\t``);
* a heading the conversion lost (五 between table 四 and 六).

So every line that could open a section is a *candidate*, and the national sections are the
candidates that follow the national order and match its wording best: the heaviest chain of
candidates whose kinds rise in the national order.  The other numbered headings are parts of the
section they sit in.  A section the text prints without its heading is restored only where the
form leaves no doubt: prose after a table that the next section's heading would have introduced.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from attrs import define, field, frozen

from .items import Item
from .model import Section, Span
from .templates import SectionSpec

TABLE_ITEMS = frozenset({"block", "header", "group", "row"})
_MARKS = re.compile(r"[ #*>]*")
_NUMBER = re.compile(r"(?P<n>[一二三四五六七八九十]{1,2})\s*[、,.]\s*|(?P<a>[1-6])\s*、\s*")
_SUB_MARK = re.compile(r"^[ #*>\-]*(\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]是|\d{1,2}[.、]|\(\d{1,2}\))")
_SEPARATORS = "。:;：；,，"
_BODY_START = re.compile(r"[\s*。:;：；,，|]*")
_NOTE = re.compile(r"[ *>]*(?:注|说明|备注)\s*\d?\s*[:：]")
_MAX_HEADING = 40  # characters of a heading printed before its text on one line


class Lines(Protocol):
    """What the sections need of the text: its lines, normalised and as printed."""

    def normalized_line(self, line: int) -> str: ...

    def line_slice(self, line: int, start: int, end: int) -> str: ...

    def line_span(self, line: int, start: int, end: int) -> Span | None: ...


Reporter = Callable[..., None]
"""``report_at(code, message, span, raw="", keys=(), severity="warning")``, as the pipeline's."""


@frozen
class Line:
    """One line of the text, with the kind of the grammar item it belongs to."""

    number: int
    item: str  # the item's kind on its first line, "more" on the lines it continues over
    table: bool


@frozen
class Candidate:
    """A line that could open a section: its printed number, its kind and how well it matches."""

    line: int  # index into the lines
    number: str  # 一 … 十, or "" when none is printed
    kind: str | None
    strength: int  # 2: the national wording; 1: the kind's words; 0: neither (a numbered part)
    start: int  # where the heading starts in the normalised line (after Markdown marks)
    end: int  # where it ends
    body: int  # where the text printed after it on the line starts
    printed: bool = True  # False: a section restored where its heading is not printed


def text_lines(items: Sequence[Item]) -> list[Line]:
    """Every line the items cover, once, in order: an item may run over several lines."""
    seen: set[int] = set()
    lines: list[Line] = []
    for item in items:
        kind, table = item.kind, item.kind in TABLE_ITEMS
        last = 0
        for token in (item.head, *item.cells) if item.head is not None else item.cells:
            number = token.line
            if number and number != last:  # an item's tokens come in text order
                if number not in seen:
                    seen.add(number)
                    lines.append(Line(number, kind if not last else "more", table))
                last = number
    return lines


def _number(match: re.Match[str]) -> str:
    return match["n"] or "一二三四五六"[int(match["a"]) - 1]


def candidate(index: int, line: Line, text: str, specs: Sequence[SectionSpec]) -> Candidate | None:
    """The section this line may open, or None.  A numbered ``heading`` item always is a
    candidate (of no kind if its words name none); any other line only when it prints a
    national heading's wording: at its start after a number (the text may follow on the
    line), or alone on the line without one."""
    if line.table:
        return None
    text = text.rstrip("\t |*")
    start = _MARKS.match(text).end()  # type: ignore[union-attr]
    number_match = _NUMBER.match(text, start)
    number = _number(number_match) if number_match else ""
    words_at = len(text) - len(text[number_match.end() if number_match else start :].lstrip("*"))
    for spec in specs:
        national = spec.heading.match(text, words_at) if spec.heading is not None else None
        if national:
            body = _BODY_START.match(text, national.end()).end()  # type: ignore[union-attr]
            if not number and body < len(text):
                return None  # a sentence that starts like a heading
            return Candidate(index, number, spec.kind, 2, start, national.end(), body)
    if not number or line.item != "heading":
        return None
    end = next((i for i in range(words_at, min(len(text), words_at + _MAX_HEADING)) if text[i] in _SEPARATORS), None)
    end = end if end is not None else len(text)
    kind = next((spec.kind for spec in specs if spec.words.search(text, words_at, end)), None)
    body = _BODY_START.match(text, end).end()  # type: ignore[union-attr]
    return Candidate(index, number, kind, 1 if kind else 0, start, end, body)


def choose(candidates: Sequence[Candidate], specs: Sequence[SectionSpec], sizes: Sequence[int]) -> list[Candidate]:
    """The national sections: the chain of candidates whose ranks rise, of the greatest weight.

    A candidate weighs more for the national wording than for the kind's words, and more when
    it prints the national number; among chains of equal weight, the one whose headings open
    more text wins (a table of contents printed before the report opens none)."""
    rank = {spec.kind: spec.rank for spec in specs}
    national_number = {spec.kind: spec.number for spec in specs}
    usable = [c for c in candidates if c.kind is not None and rank.get(c.kind)]
    ranks = max(rank.values(), default=0)
    best: list[tuple[int, int]] = []  # (weight, previous index) per usable candidate
    ending = [(0, -1)] * (ranks + 1)  # the heaviest chain so far ending at each rank (linear time)
    for i, c in enumerate(usable):
        own = (2 * c.strength + (c.number == national_number[c.kind or ""])) * 1000 + min(sizes[c.line], 999)
        k = rank[c.kind or ""]
        previous = max(ending[:k], default=(0, -1))
        best.append((own + previous[0], previous[1]))
        ending[k] = max(ending[k], (best[i][0], i))
    if not best:
        return []
    end = max(range(len(best)), key=lambda i: (best[i][0], -i))
    chain = []
    while end >= 0:
        chain.append(usable[end])
        end = best[end][1]
    return chain[::-1]


@define
class _Open:
    number: str
    heading: str
    kind: str
    level: int
    span: Span | None
    part: bool = False  # a part numbered like a section, inside one
    text: list[str] = field(factory=list)
    children: list[_Open] = field(factory=list)

    def freeze(self) -> Section:
        return Section(
            number=self.number,
            heading=self.heading,
            kind=self.kind,
            level=self.level,
            text="\n".join(t for t in self.text if t),
            subsections=tuple(c.freeze() for c in self.children),
            span=self.span,
        )


def _sub_level(marker: str) -> int:
    if marker.startswith("(") and not marker[1].isdigit():
        return 2
    if marker[0].isdigit():
        return 3
    if marker.startswith("("):
        return 4
    return 5  # 一是 / 二是


def _split_heading(line: str) -> tuple[str, str]:
    """``(一)主动公开情况。主要通过…`` → (``(一)主动公开情况``, ``主要通过…``)."""
    stripped = line.strip().lstrip("#*>- ").strip()
    for i, ch in enumerate(stripped[:41]):
        if ch in "。:;：；":
            return stripped[:i], stripped[i + 1 :].strip()
    if len(stripped) <= _MAX_HEADING:
        return stripped, ""
    return "", stripped


@frozen
class Plan:
    """Which lines open the national sections, and the kind of section every line sits in."""

    lines: list[Line]
    candidates: dict[int, Candidate]  # by line index
    opening: dict[int, Candidate]  # line index → the national section it opens
    kinds: list[str | None]  # per line index

    def kind_of_line(self) -> dict[int, str | None]:
        return {line.number: kind for line, kind in zip(self.lines, self.kinds, strict=True)}


def plan(items: Sequence[Item], text: Lines, specs: Sequence[SectionSpec], table_kinds: frozenset[str]) -> Plan:
    """Find the national sections of the text (see the module's docstring)."""
    lines = text_lines(items)
    found = {
        i: c
        for i, line in enumerate(lines)
        if (c := candidate(i, line, text.normalized_line(line.number), specs)) is not None
    }
    order = sorted(found)
    sizes = [0] * len(lines)  # lines each candidate opens, up to the next candidate
    for n, i in enumerate(order):
        sizes[i] = (order[n + 1] if n + 1 < len(order) else len(lines)) - i - 1
    chain = choose([found[i] for i in order], specs, sizes)
    opening = {c.line: c for c in chain}
    for lost in _lost_headings(lines, text, chain, specs, table_kinds):
        opening[lost.line] = lost
    kinds: list[str | None] = []
    current: str | None = None
    for i in range(len(lines)):
        if i in opening:
            current = opening[i].kind
        kinds.append(current)
    return Plan(lines, found, opening, kinds)


def _lost_headings(
    lines: Sequence[Line],
    text: Lines,
    chain: Sequence[Candidate],
    specs: Sequence[SectionSpec],
    table_kinds: frozenset[str],
) -> Iterator[Candidate]:
    """A section whose heading is not printed, between a table's section and the next one in the
    chain: the prose after the table (not its notes) is that section's when the section has no
    table of its own (五 after table 四), and the prose prints the section's words or a sentence
    (a table's section holds its notes at most)."""
    by_rank = {spec.rank: spec for spec in specs}
    rank = {spec.kind: spec.rank for spec in specs}
    for n, c in enumerate(chain):
        if c.kind not in table_kinds:
            continue
        nxt = chain[n + 1] if n + 1 < len(chain) else None
        lost = by_rank.get(rank[c.kind] + 1)
        if lost is None or lost.kind in table_kinds or (nxt is not None and rank[nxt.kind or ""] <= lost.rank):
            continue
        end = nxt.line if nxt is not None else len(lines)
        tables = [i for i in range(c.line + 1, end) if lines[i].table]
        if not tables:
            continue
        prose = [
            i
            for i in range(tables[-1] + 1, end)
            if text.normalized_line(lines[i].number).strip() and not _NOTE.match(text.normalized_line(lines[i].number))
        ]
        words = "\n".join(text.normalized_line(lines[i].number) for i in prose)
        if prose and (lost.words.search(words) or "。" in words):
            yield Candidate(prose[0], "", lost.kind, 2, 0, 0, 0, printed=False)


def build_sections(
    items: Sequence[Item],
    text: Lines,
    specs: Sequence[SectionSpec],
    table_kinds: frozenset[str],
    report: Reporter,
) -> tuple[Plan, str, str, tuple[Section, ...]]:
    """The plan, the preamble text (as printed, and normalised for the metadata) and the section tree."""
    the_plan = plan(items, text, specs, table_kinds)
    preamble: list[str] = []
    preamble_normalized: list[str] = []
    sections: list[_Open] = []
    stack: list[_Open] = []
    numbers = {spec.kind: spec.number for spec in specs}

    def add_text(printed: str, normalized: str) -> None:
        if stack:
            stack[-1].text.append(printed)
        else:
            preamble.append(printed)
            preamble_normalized.append(normalized.strip())

    for i, line in enumerate(the_plan.lines):
        normalized = text.normalized_line(line.number)
        printed = text.line_slice(line.number, 0, len(normalized)).strip()
        if i in the_plan.opening:
            c = the_plan.opening[i]
            kind = c.kind or "other"
            if not c.printed:
                report(
                    "section-heading-missing",
                    f"the text after the table before it reads as section {numbers.get(kind, '')} ({kind}), "
                    "whose heading is not printed",
                    text.line_span(line.number, 0, len(normalized)),
                    keys=(f"sections.{kind}",),
                    severity="info",
                )
                section = _Open(numbers.get(kind, ""), "", kind, 1, None)
                sections.append(section)
                stack = [section]  # and the line is read as any other line of the section
            else:
                section = _heading_section(text, line, normalized, c, kind, 1)
                sections.append(section)
                stack = [section]
                continue
        if line.table:
            continue
        part_of = the_plan.candidates.get(i)
        if part_of is not None and part_of.number and stack and stack[0].kind not in table_kinds:
            # a part numbered like a section (in a table's section: a broken row label)
            c = part_of
            if c.strength == 2 and line.item == "heading":
                report(
                    "section-out-of-order",
                    f"the heading {normalized.strip()[:30]!r} names section {numbers.get(c.kind or '', '')} "
                    f"out of the national order; read as a part of the section it sits in",
                    text.line_span(line.number, c.start, c.end),
                    raw=normalized.strip(),
                    severity="info",
                )
            part = _heading_section(text, line, normalized, c, stack[0].kind, 2)
            part.part = True
            stack[0].children.append(part)
            stack = [stack[0], part]
            continue
        if line.item == "subheading" and stack:
            mark = _SUB_MARK.match(normalized)
            level = _sub_level(mark.group(1)) if mark else 5
            heading, body = _split_heading(printed)
            while len(stack) > 1 and not stack[-1].part and stack[-1].level >= level:
                stack.pop()
            span = text.line_span(line.number, 0, len(normalized))
            sub = _Open(mark.group(1) if mark else "", heading, stack[0].kind, level, span)
            if body:
                sub.text.append(body)
            stack[-1].children.append(sub)
            stack.append(sub)
            continue
        if stack and stack[0].kind in table_kinds and not _table_text(normalized):
            continue  # headers and values the table items left: not the section's text
        add_text(printed, normalized)
    printed_preamble = "\n".join(t for t in preamble if t)
    normalized_preamble = "\n".join(t for t in preamble_normalized if t)
    return the_plan, printed_preamble, normalized_preamble, tuple(s.freeze() for s in sections)


def _table_text(line: str) -> bool:
    """The text a table's section keeps: its notes and sentences, not the table's own words."""
    return bool(_NOTE.match(line)) or "。" in line


def _heading_section(text: Lines, line: Line, normalized: str, c: Candidate, kind: str, level: int) -> _Open:
    """A section (or part) opened by a candidate line; the text after the heading starts its text."""
    heading = text.line_slice(line.number, c.start, c.end).strip().strip("#*> ").strip()
    section = _Open(c.number, heading, kind, level, text.line_span(line.number, c.start, c.end))
    body = text.line_slice(line.number, c.body, len(normalized.rstrip("\t |*"))).strip()
    if body:
        section.text.append(body)
    return section


def item_kinds(items: Sequence[Item], the_plan: Plan) -> list[str | None]:
    """For every item, the kind of the national section it sits in."""
    by_line = the_plan.kind_of_line()
    return [by_line.get(item.line) for item in items]
