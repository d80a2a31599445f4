"""Items → the report's prose structure (sections) and metadata (title, agency, year).

Table items are skipped here; their values are handled by ``layout.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from attrs import define, field

from .items import Item
from .model import Meta, Section, Span
from .templates import SectionSpec

_NUMBER = re.compile(r"^[ #*>]*([一二三四五六七八九十]{1,2}|[1-6])\s*[、,.]")
_SUB_MARK = re.compile(r"^[ #*>\-]*(\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]是|\d{1,2}[.、]|\(\d{1,2}\))")
_TITLE = re.compile(r"年度?报告|年报")
# Web page furniture above the title: breadcrumbs, metadata tables, font switches.
_PAGE_CHROME = re.compile(r"当前位置|您的位置|首页|[>›»]|\||索 ?引 ?号|发布(?:时间|日期|机构)|字体|浏览次数|分享|打印")
_TITLE_TAIL = re.compile(r"(?:政府信息公开)?(?:工作)?(?:\d{4}年)?年?度?报告")  # a title's second line alone
_AGENCY_END = re.compile(r"(政府|局|委|办|院|室|镇|乡|街道|厅|部|会|中心|署|所|站|队|馆)$")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d\d) ?年")
_PERIOD = re.compile(r"((?:19|20)\d\d) ?年 ?1 ?月 ?1 ?日")
_DATE = re.compile(r"((?:19|20)\d\d) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日\s*$")
_TABLE_KINDS = frozenset({"block", "header", "group", "row"})


def section_kind(heading: str, kinds: Sequence[SectionSpec]) -> str | None:
    """The kind of a section heading: the first of the template's section kinds whose words it prints."""
    for spec in kinds:
        if spec.words.search(heading):
            return spec.kind
    return None


def _sub_level(marker: str) -> int:
    if marker.startswith("(") and not marker[1].isdigit():
        return 2
    if marker[0].isdigit():
        return 3
    if marker.startswith("("):
        return 4
    return 5  # 一是 / 二是


@define
class _Open:
    number: str
    heading: str
    kind: str
    level: int
    span: Span | None
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


def _split_heading(line: str) -> tuple[str, str]:
    """``(一)主动公开情况。主要通过…`` → (``(一)主动公开情况``, ``主要通过…``)."""
    stripped = line.strip().lstrip("#*>- ").strip()
    for i, ch in enumerate(stripped[:41]):
        if ch in "。:;：；":
            return stripped[:i], stripped[i + 1 :].strip()
    if len(stripped) <= 40:
        return stripped, ""
    return "", stripped


def heading_kinds(items: Sequence[Item], sections: Sequence[SectionSpec]) -> list[str | None]:
    """For every item, the kind of the top-level section it sits in."""
    kinds: list[str | None] = []
    current: str | None = None
    for item in items:
        if item.kind == "heading":
            current = section_kind(str(item.head), sections) or current
        kinds.append(current)
    return kinds


def build_sections(
    items: Sequence[Item],
    line_text: Callable[[int], str],
    span_of: Callable[[Item], Span | None],
    kinds: Sequence[SectionSpec],
    normalized_line: Callable[[int], str],
) -> tuple[str, str, tuple[Section, ...]]:
    """The preamble text (as printed, and normalised for ``extract_meta``) and the section tree."""
    preamble: list[str] = []
    preamble_normalized: list[str] = []
    sections: list[_Open] = []
    stack: list[_Open] = []
    seen_lines: set[int] = set()

    def add_text(text: str, line: int) -> None:
        if stack:
            stack[-1].text.append(text)
        else:
            preamble.append(text)
            preamble_normalized.append(normalized_line(line).strip())

    for item in items:
        if item.kind in _TABLE_KINDS:
            continue
        line = item.line
        if line in seen_lines and item.kind in ("para", "junk"):
            continue
        seen_lines.add(line)
        text = line_text(line).strip()
        if item.kind == "heading":
            head = str(item.head).strip()
            kind = section_kind(head, kinds)
            number_match = _NUMBER.match(head)
            if kind is None and stack:  # a numbered list inside a section, not a new section
                add_text(text, line)
                continue
            heading = text.lstrip("#*> ").strip() or head.lstrip("#*> ").strip()
            section = _Open(number_match.group(1) if number_match else "", heading, kind or "other", 1, span_of(item))
            sections.append(section)
            stack = [section]
        elif item.kind == "subheading" and stack:
            mark = _SUB_MARK.match(str(item.head))
            level = _sub_level(mark.group(1)) if mark else 5
            heading, body = _split_heading(text)
            while len(stack) > 1 and stack[-1].level >= level:
                stack.pop()
            sub = _Open(mark.group(1) if mark else "", heading, stack[0].kind, level, span_of(item))
            if body:
                sub.text.append(body)
            stack[-1].children.append(sub)
            stack.append(sub)
        else:
            add_text(text, line)
    printed = "\n".join(t for t in preamble if t)
    return printed, "\n".join(t for t in preamble_normalized if t), tuple(s.freeze() for s in sections)


def extract_meta(preamble: str, sections: Sequence[Section], full_text: str) -> Meta:
    """Title, agency, report year and signature from the normalised text.

    ``preamble`` is the normalised form of the preamble (no spaces inside CJK words,
    ASCII brackets), so the title and agency come back in that form.
    """
    lines = [ln.strip().lstrip("#*> ").strip() for ln in preamble.split("\n") if ln.strip()]
    lines = [ln for ln in lines if not _PAGE_CHROME.search(ln)]
    title = ""
    for i, line in enumerate(lines[:12]):
        if _TITLE.search(line) and len(line) <= 60:
            title = line
            previous = lines[i - 1] if i > 0 else ""
            if previous and not _TITLE.search(previous) and len(previous) <= 40:
                # A title printed over two lines: "洪泽区人民政府 / 2023年…年度报告" or
                # "2024年上海市科委政府信息公开工作 / 年度报告".
                if _TITLE_TAIL.fullmatch(line) or (
                    _AGENCY_END.search(previous) and not _YEAR_IN_TITLE.search(previous)
                ):
                    title = previous + line
            break
    title = re.sub(r"(?<=\d) (?=年)|(?<=[\u3400-\u9fff]) (?=\d)|(?<=\d) (?=[\u3400-\u9fff])", "", title)
    year = None
    agency = ""
    match = _YEAR_IN_TITLE.search(title)
    if match:
        year = int(match.group(1))
        agency = title[: match.start()].strip()
        if not agency:  # year first: 2024年上海市科委政府信息公开工作年度报告
            agency = re.split(r"政府信息公开|政务公开|信息公开", title[match.end() :])[0].strip()
    elif title:
        agency = re.split(r"政府信息公开|政务公开", title)[0].strip()
    if year is None:
        period = _PERIOD.search(full_text)
        if period:
            year = int(period.group(1))
    signed_on, signed_by = None, ""
    tail = [ln.strip() for ln in full_text.strip().split("\n")[-4:] if ln.strip()]
    for i in range(len(tail) - 1, -1, -1):
        date = _DATE.search(tail[i])
        if date and len(tail[i]) <= 40:
            y, m, d = (int(g) for g in date.groups())
            if 1 <= m <= 12 and 1 <= d <= 31:
                signed_on = f"{y:04d}-{m:02d}-{d:02d}"
                before = tail[i][: date.start()].strip()
                if before:
                    signed_by = before
                elif i > 0 and len(tail[i - 1]) <= 30 and not re.search(r"[。,;:]", tail[i - 1]):
                    signed_by = tail[i - 1]
            break
    return Meta(title=title, agency=agency, year=year, signed_on=signed_on, signed_by=signed_by)
