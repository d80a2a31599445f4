"""Numbers quoted in the prose against the tables (rule ``TXT``, warnings).

总体情况 usually repeats the key figures: 收到政府信息公开申请N件, 行政复议N件, …
A phrase may stand for more than one cell (受理…N件 is 新收 in one report and
新收 + 上年结转 in another), so each phrase lists the readings it allows; a
finding is raised only when the number matches none of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from .equation import Term, labels
from .model import Finding, Number, Report, Section
from .normalize import normalize
from .registry import get_template
from .templates import Template

# (phrase, readings): each reading is a list of (sign, flat key) whose sum the number may equal.
_Reading = tuple[tuple[int, str], ...]
_COUNTED = "件"  # no other character normalises to it
_N = rf"(\d[\d,]*)\s*{_COUNTED}"
PHRASES: tuple[tuple[str, re.Pattern[str], tuple[_Reading, ...]], ...] = (
    (
        "收到/受理政府信息公开申请",
        re.compile(r"(?:收到|受理|接收)[^。;,，；]{0,12}?(?:政府信息公开|依申请公开)?申请[^。;\d]{0,6}?" + _N),
        (((1, "applications.new.total"),), ((1, "applications.new.total"), (1, "applications.carried_over.total"))),
    ),
    (
        "结转下年度",
        re.compile(
            r"(?:结转下一?年度?|顺延到下年度|转入下一?年度)[^。;\d]{0,8}?"
            + _N
            + r"|"
            + _N
            + r"[^。;,，\d]{0,4}(?:顺延|结转)到?下一?年度?"
        ),
        (((1, "applications.carried_forward.total"),),),
    ),
    (
        "行政复议",
        re.compile(r"行政复议[^。;,，\d]{0,6}?" + _N),
        (((1, "appeals.review.total"),),),
    ),
    (
        "行政诉讼",
        re.compile(r"行政诉讼[^。;,，\d]{0,6}?" + _N),
        (((1, "appeals.litigation_direct.total"), (1, "appeals.litigation_after_review.total")),),
    ),
)


def _texts(sections: Sequence[Section]) -> Iterator[str]:
    for section in sections:
        yield section.text
        yield from _texts(section.subsections)


def _sentences(report: Report) -> Iterator[str]:
    for text in (report.preamble, *_texts(report.sections)):
        if _COUNTED not in text:
            continue  # every phrase ends in a count of 件: text without one has nothing to check
        normalized = normalize(text)[0].replace("\n", "")
        yield from (s for s in re.split(r"(?<=[。;；!?])", normalized) if s)


def _reading_value(report: Report, reading: _Reading) -> Number | None:
    total: Number = 0
    for sign, key in reading:
        value = report.value(key)
        if value is None:
            return None
        total += sign * value
    return total


def _reading_text(report: Report, template: Template, reading: _Reading, lang: str) -> str:
    """``100 = 一、本年新收… 总计 100 + 二、上年结转… 总计 18`` (a single cell: ``一、… 总计 100``)."""
    parts: list[str] = []
    for sign, key in reading:
        term = Term.of(key, report.cell(key))
        name = " ".join(labels(template, key)) if lang == "zh" else key
        parts.append(("− " if sign < 0 else "+ " if parts else "") + f"{name} {term.shown(lang)}")
    value = _reading_value(report, reading)
    return " ".join(parts) if len(reading) == 1 else f"{value} = {' '.join(parts)}"


def _equations(report: Report, name: str, number: int, readings: Sequence[_Reading]) -> tuple[str, str]:
    template = get_template(report.template)
    zh = " 或 ".join(_reading_text(report, template, r, "zh") for r in readings)
    en = " or ".join(_reading_text(report, template, r, "en") for r in readings)
    return f"正文 {name} = {number} ≠ {zh}", f"text {name} = {number} ≠ {en}"


def check_prose(report: Report) -> tuple[Finding, ...]:
    """A ``TXT`` warning for every quoted number that no table reading gives."""
    findings: list[Finding] = []
    for sentence in _sentences(report):
        for name, pattern, readings in PHRASES:
            for match in pattern.finditer(sentence):
                number_text = next(g for g in match.groups() if g).replace(",", "")
                if not number_text.isascii() or len(number_text) > 18:
                    continue  # no count is that long (and int() refuses 4,300 digits and more)
                number = int(number_text)
                values = [_reading_value(report, r) for r in readings]
                if any(v is None for v in values) or number in values:
                    continue
                keys = tuple(dict.fromkeys(key for reading in readings for _, key in reading))
                findings.append(
                    Finding(
                        "TXT",
                        "warning",
                        "failed",
                        f"正文“{sentence.strip()}”中的{name} {number} 件与表格不一致",
                        f"the text says {name} {number} but the table gives "
                        f"{' or '.join(dict.fromkeys(str(v) for v in values))}: "
                        f"“{sentence.strip()}”",
                        keys,
                        values[0],
                        number,
                        *_equations(report, name, number, readings),
                    )
                )
    return tuple(findings)
