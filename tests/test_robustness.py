"""Hostile and broken input never crashes, hangs or corrupts (docs/errors.md, "Limits").

1. **No crash.** Any ``str`` given to ``parse`` (arbitrary Unicode, and text drawn from the
   grammar's own alphabet: labels, headings, numbers, separators, OCR debris), and any
   ``bytes`` given to ``parse_file``, gives a report or a ``GovreportError``.  Every value of
   a report it gives is printed in the text at the value's span.
2. **No hang.** The pathological families of ``hostile.py`` at ten times a report's size
   give a report or a ``GovreportError`` (their times: ``benchmarks/scaling.py``).
3. **No corruption.** The five seeds and the three external reports, mutated (characters,
   lines and cells deleted, duplicated, swapped; OCR-like garbage inserted), parse to
   values that are printed in the mutated text, and a printed number of the original is
   never placed in another cell than the one it fills in the original's reading (which
   ``reference`` checks against the hand-read gold values) without a diagnostic naming the
   cell, unless the mutation edited the row as printed, the lines from its label to the
   value: edited lines are new text (deleting the spare 16th cell of a table 四 line makes a
   line that honestly prints its values under other headers; swapping two label lines of PDF
   text puts another label next to the values).  What is checked is that no edit elsewhere
   (another row's label or values deleted, duplicated or swapped, garbage between lines)
   moves the values of a row printed exactly as in the original.
4. JSON: see ``test_serialize.py``; here, character-level damage to a real report's JSON.
5. **Threads.** ``parse`` from eight threads at once, also while the grammar is being built,
   gives the same reports as one thread.

Examples: Hypothesis's ``ci`` profile (100 per test, 300 per report for the mutations); the ``long``
profile (``HYPOTHESIS_PROFILE=long``) raises them to 5,000 (1,000 per report for the mutations).
``benchmarks/fuzz.py`` drives the same properties for a fixed time.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
from conftest import gold_cells, read_gold, read_text
from hostile import FAMILIES, SEED
from hypothesis import given, note, settings
from hypothesis import strategies as st

import govreport
from govreport import GovreportError, Report
from govreport.model import Span
from govreport.registry import get_template

MUTATION_EXAMPLES = 1000 if settings.get_current_profile_name() == "long" else 300

# ----------------------------------------------------------------- what every report must satisfy

_UNITS = ("万元", "元", "件", "项", "个", "批次", "条")


def reads_as(printed: str) -> Decimal | None:
    """The number a printed cell shows, read independently of the parser."""
    text = unicodedata.normalize("NFKC", printed).replace(",", "").replace(" ", "").lstrip("+")
    for unit in _UNITS:
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def values_are_printed(report: Report, text: str) -> None:
    """Every printed value of the report is the number at its span (inferred ones are marked)."""
    for table in report.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.value is None:
                    continue
                if cell.status == "inferred":
                    assert cell.inferred
                    continue
                assert cell.span is not None, f"{table.name}.{row.key}.{cell.column} has no span"
                printed = text[cell.span.start : cell.span.end]
                if cell.raw in ("未增未减",) and cell.value == 0:
                    assert printed == cell.raw
                    continue
                assert reads_as(printed) == cell.value, (
                    f"{table.name}.{row.key}.{cell.column} = {cell.value!r}, the text at {cell.span} has {printed!r}"
                )


def parse_or_refuse(text: str, **options: Any) -> Report | None:
    try:
        report = govreport.parse(text, **options)
    except GovreportError:
        return None
    values_are_printed(report, text)
    for d in report.diagnostics:  # positions point into the text
        assert d.line is None or 1 <= d.line <= text.count("\n") + text.count("\r") + 1, str(d)
    return report


# ----------------------------------------------------------------- 1. no crash


@given(st.text(st.characters(blacklist_categories=()), max_size=2000))
def test_any_text_gives_a_report_or_a_govreport_error(text: str) -> None:
    parse_or_refuse(text)


def _labels() -> list[str]:
    labels: set[str] = set()
    for name in ("2019", "2021"):
        for row in get_template(name).rows:
            labels.update(row.path.split(" / "))
            labels.update(column.label for column in row.columns)
    return sorted(labels)


HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
    "第二十条第(一)项",
    "信息内容",
    "(一)",
    "1.",
]
DEBRIS = ["丨", "口", "l", "O", "。", "，", "■", "··", "—", "/", "无", "未增未减", "(", ")", "、", "总计", "|---|---|"]
SEPARATORS = ["\t", "|", " ", "  ", "\n", "\n\n", "\r\n", "\u3000"]
numbers = st.one_of(
    st.integers(0, 99999).map(str),
    st.integers(1000, 10**9).map(lambda n: f"{n:,}"),
    st.decimals(0, 10**6, places=2).map(str),
    st.integers(-99, 99).map(lambda n: f"{n:+d}"),
    st.sampled_from(["0" * 7, "00", "１２", "3件", "4.5万元", "1e5", "0x10", "٣"]),
)


@st.composite
def grammar_texts(draw: st.DrawFn) -> str:
    """Text made of what the grammar knows: labels, headings, numbers, separators, debris."""
    pieces = st.one_of(
        st.sampled_from(_labels()),
        st.sampled_from(HEADINGS),
        numbers,
        st.sampled_from(SEPARATORS),
        st.sampled_from(DEBRIS),
    )
    return "".join(draw(st.lists(pieces, max_size=300)))


@given(grammar_texts())
def test_text_from_the_grammars_alphabet_gives_a_report_or_a_govreport_error(text: str) -> None:
    note(text)
    parse_or_refuse(text)
    parse_or_refuse(text, grid=True, infer=False)


MAGIC = [
    b"",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"<html><body>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
]


@given(st.sampled_from(MAGIC), st.binary(max_size=3000))
def test_any_bytes_give_a_report_or_a_govreport_error(magic: bytes, data: bytes) -> None:
    try:
        govreport.parse_file(magic + data)
    except GovreportError:
        pass


@given(st.sampled_from(MAGIC), st.binary(max_size=300), st.sampled_from(["\t", "|", " "]))
def test_a_report_in_bytes_with_garbage_gives_a_report_or_a_govreport_error(
    magic: bytes, data: bytes, sep: str
) -> None:
    try:
        govreport.parse_file(magic + data + SEED.replace("\t", sep).encode("gb18030") + data)
    except GovreportError:
        pass


# ----------------------------------------------------------------- 2. no hang (see benchmarks/scaling.py)


@pytest.mark.parametrize("family", FAMILIES)
def test_pathological_input_gives_a_report_or_a_govreport_error(family: str) -> None:
    _, make = FAMILIES[family]
    text = make(10 * len(SEED))
    parse_or_refuse(text)


def test_text_over_the_size_limit_is_refused_and_the_limit_can_be_raised() -> None:
    text = SEED * 400  # 1.2 million characters, over the default limit
    with pytest.raises(govreport.NotAReportError, match="max_chars"):
        govreport.parse(text)
    with pytest.raises(govreport.NotAReportError, match="max_chars"):
        govreport.parse(SEED * 2, max_chars=len(SEED))
    report = govreport.parse(SEED * 2, max_chars=2 * len(SEED))
    assert report.applications.new.total == 0


def test_an_overlong_run_of_cells_is_one_unplaced_diagnostic_listing_it() -> None:
    run = "\t".join(["3"] * 3000)
    cut = SEED.index("一、本年新收政府信息公开申请数量")  # a line of its own at the top of table 三
    text = SEED[:cut] + run + "\n" + SEED[cut:]
    report = govreport.parse(text, infer=False)
    overlong = [d for d in report.diagnostics if "longer than any table row" in d.message]
    assert len(overlong) == 1
    assert overlong[0].raw.split() == ["3"] * 3000
    assert len(overlong[0].message) < 400
    assert govreport.flatten(report, meta=False) == gold_cells("gold/000_bfa6ed85e05c204a.json")  # all printed


# ----------------------------------------------------------------- 3. no corruption

# The reports with hand-read gold values, and the gold they are checked against.
REAL = [
    ("seeds/000_bfa6ed85e05c204a.txt", "gold/000_bfa6ed85e05c204a.json"),
    ("seeds/001_29ed77745b82a4d4.txt", "gold/001_29ed77745b82a4d4.json"),
    ("seeds/002_feb0df35534c8ae6.txt", "gold/002_feb0df35534c8ae6.json"),
    ("seeds/003_76030b88ce706a45.txt", "gold/003_76030b88ce706a45.json"),
    ("seeds/004_2c53d4ed00bed9fe.txt", "gold/004_2c53d4ed00bed9fe.json"),
    ("external/hzq2023.txt", "external/hzq2023.json"),
    ("external/hzq2024.txt", "external/hzq2024.json"),
    ("external/szfgs2024.txt", "external/szfgs2024.json"),
]
GARBAGE = ["l", "O", "|", "丨", "口", "1", "0", "。", "\t", " ", "··", "■", "\n", "7 ", "—"]


class Mutated:
    """A text under edits, remembering for each character where it was in the original
    (``None`` for inserted characters)."""

    def __init__(self, text: str) -> None:
        self.chars = list(text)
        self.origin: list[int | None] = list(range(len(text)))

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def replace(self, start: int, end: int, chars: Sequence[str], origin: Sequence[int | None]) -> None:
        self.chars[start:end] = chars
        self.origin[start:end] = origin

    def lines_are_intact(self, original: str, first: int, last: int) -> bool:
        """Whether the lines from the one around index ``first`` to the one around ``last``
        are whole lines of the original, unedited and in their original order."""
        text = self.text
        start = text.rfind("\n", 0, first) + 1
        end = text.find("\n", last)
        end = len(text) if end == -1 else end
        origin = self.origin[start:end]
        if not origin or None in origin:
            return False
        first, last = origin[0], origin[-1]
        assert first is not None and last is not None
        return (
            origin == list(range(first, last + 1))
            and (first == 0 or original[first - 1] == "\n")
            and (last + 1 == len(original) or original[last + 1] == "\n")
        )

    def lines(self) -> list[tuple[int, int]]:
        """(start, end) of each line, the newline included."""
        out, start = [], 0
        for i, ch in enumerate(self.chars):
            if ch == "\n":
                out.append((start, i + 1))
                start = i + 1
        if start < len(self.chars):
            out.append((start, len(self.chars)))
        return out


@st.composite
def mutate(draw: st.DrawFn, m: Mutated) -> str:
    """Apply one edit to ``m``; return its name."""
    n = len(m.chars)
    kind = draw(
        st.sampled_from(
            [
                "delete chars",
                "duplicate chars",
                "swap chars",
                "delete line",
                "duplicate line",
                "swap lines",
                "delete cell",
                "insert garbage",
            ]
        )
    )
    if kind in ("delete chars", "duplicate chars", "swap chars", "insert garbage"):
        at = draw(st.integers(0, max(n - 1, 0)))
        length = draw(st.integers(1, 6))
        end = min(at + length, n)
        what = f"{kind} at {at}: {''.join(m.chars[at:end])!r}"
        if kind == "delete chars":
            m.replace(at, end, [], [])
        elif kind == "duplicate chars":
            m.replace(end, end, m.chars[at:end], m.origin[at:end])
        elif kind == "swap chars" and at + 1 < n:
            m.replace(at, at + 2, [m.chars[at + 1], m.chars[at]], [m.origin[at + 1], m.origin[at]])
        elif kind == "insert garbage":
            junk = draw(st.sampled_from(GARBAGE))
            m.replace(at, at, list(junk), [None] * len(junk))
            what = f"{kind} at {at}: {junk!r}"
        return what
    lines = m.lines()
    if len(lines) < 2:
        return "nothing"
    i = draw(st.integers(0, len(lines) - 2))
    (a, b), (c, d) = lines[i], lines[i + 1]
    what = f"{kind} at line {i + 1}: {''.join(m.chars[a:b])[:40]!r}"
    if kind == "delete line":
        m.replace(a, b, [], [])
    elif kind == "duplicate line":
        m.replace(b, b, m.chars[a:b], m.origin[a:b])
    elif kind == "swap lines":
        m.replace(a, d, m.chars[c:d] + m.chars[a:b], m.origin[c:d] + m.origin[a:b])
    elif kind == "delete cell":
        cells = [j for j in range(a, b) if m.chars[j] in "\t|"]
        if not cells:
            return "nothing"
        j = draw(st.sampled_from(cells))
        k = j + 1
        while k < b and m.chars[k] not in "\t|\n":
            k += 1
        what += f" cell {''.join(m.chars[j:k])!r}"
        m.replace(j, k, [], [])
    return what


def _row_span(report: Report, key: str) -> Span | None:
    table, _, rest = key.partition(".")
    return getattr(report, table).row(rest.rpartition(".")[0]).span


_REFERENCE: dict[str, tuple[str, Report, dict[int, set[str]]]] = {}


def reference(name: str, gold_name: str) -> tuple[str, Report, dict[int, set[str]]]:
    """The original text, its reading, and for each character of a placed value the cell
    it fills.  The reading is first checked against the hand-read gold values."""
    if name not in _REFERENCE:
        text = read_text(name)
        report = govreport.parse(text, infer=False)
        gold = read_gold(gold_name)["cells"]
        owner: dict[int, set[str]] = {}
        for key, value in govreport.flatten(report, meta=False).items():
            if value is None:
                continue
            assert str(value) == str(gold[key]), f"{name}: {key} reads {value!r}, the gold has {gold[key]!r}"
            span = report.cell(key).span
            assert span is not None
            for i in range(span.start, span.end):
                owner.setdefault(i, set()).add(key)
        _REFERENCE[name] = (text, report, owner)
    return _REFERENCE[name]


REAL_IDS = [r[0].split("/")[1][:12] for r in REAL]


def edited(data: st.DataObject, original: str, edit: Any) -> tuple[Mutated, list[str], Report | None]:
    """The original under one to three edits drawn from ``edit(m)``, the edits, and its parse
    (None if refused with a ``GovreportError``)."""
    m = Mutated(original)
    edits = [data.draw(edit(m)) for _ in range(data.draw(st.integers(1, 3)))]
    note(f"edits: {edits}")
    return m, edits, parse_or_refuse(m.text, infer=False)


def undiagnosed_values(report: Report) -> Iterator[tuple[str, Any]]:
    """The values of the report that no diagnostic names."""
    diagnosed = {key for d in report.diagnostics for key in d.keys}
    for key, value in govreport.flatten(report, meta=False).items():
        if value is not None and key not in diagnosed:
            yield key, value


@pytest.mark.parametrize(("name", "gold"), REAL, ids=REAL_IDS)
@settings(max_examples=MUTATION_EXAMPLES)
@given(data=st.data())
def test_mutated_report_never_gives_a_number_not_printed_or_moved(name: str, gold: str, data: st.DataObject) -> None:
    original, ref, owner = reference(name, gold)
    m, edits, report = edited(data, original, mutate)
    if report is None:
        return
    text = m.text
    before = govreport.flatten(ref, meta=False)
    for key, value in undiagnosed_values(report):
        span = report.cell(key).span
        assert span is not None
        label = _row_span(report, key)
        first = min(span.start, label.start) if label else span.start
        last = max(span.start, label.start) if label else span.start
        if not m.lines_are_intact(original, first, last):
            continue  # the row as printed, from its label to the value, was edited: it is new text
        origins = {m.origin[i] for i in range(span.start, span.end)} - {None}
        owners = set().union(*(owner.get(o, set()) for o in origins))
        printed = text[span.start : span.end]
        where = f"{key} = {value!r} from {printed!r} at {span} after {edits}"
        if owners:
            assert key in owners, f"{where}: in the original that number fills {sorted(owners)}"
        else:  # inserted characters, or a number that was not a cell in the original
            assert before.get(key) is None, f"{where}: in the original the cell is {before.get(key)!r}"


# ----------------------------------------------------------------- 4. damaged JSON


@given(data=st.data())
def test_damaged_json_loads_or_raises_deserialization_error(data: st.DataObject) -> None:
    text = govreport.to_json(govreport.parse(read_text("seeds/002_feb0df35534c8ae6.txt")))
    at = data.draw(st.integers(0, len(text) - 1))
    length = data.draw(st.integers(0, 8))
    junk = data.draw(st.sampled_from(["", "0", '"', "}", "]", ",", "null", "-1", "1.5", "[", "{", "\\", "x"]))
    damaged = text[:at] + junk + text[at + length :]
    try:
        report = govreport.from_json(damaged)
    except govreport.DeserializationError as exc:
        assert str(exc)
        return
    assert govreport.from_json(govreport.to_json(report)) == report  # a whole report, not half of one


# ----------------------------------------------------------------- 5. threads


def _texts() -> list[str]:
    return [read_text(name) for name, _ in REAL] + [
        read_text(f"corpus/{n}") for n in ("kewei-2024.md", "shanghai-office-2025.md", "shuyang-2025.txt")
    ]


def test_parse_from_many_threads_gives_the_same_reports() -> None:
    texts = _texts() * 4
    alone = [govreport.to_json(govreport.parse(t)) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda t: govreport.to_json(govreport.parse(t)), texts))
    assert together == alone


def test_threads_racing_to_build_the_grammar_share_one_parser() -> None:
    from govreport.grammar import _LOCK, _PARSERS

    with _LOCK:
        saved = dict(_PARSERS)
        _PARSERS.clear()
    try:
        texts = _texts()
        start = threading.Barrier(len(texts))

        def work(text: str) -> str:
            start.wait()
            return govreport.to_json(govreport.parse(text))

        with ThreadPoolExecutor(max_workers=len(texts)) as pool:
            together = list(pool.map(work, texts))
        assert together == [govreport.to_json(govreport.parse(t)) for t in texts]
        assert {key[0] for key in _PARSERS} <= {"2019", "2021"}
    finally:
        with _LOCK:
            _PARSERS.update(saved)
