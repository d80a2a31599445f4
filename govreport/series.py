"""Checks across the reports of one agency in successive years (warnings).

The template's cross-year relations (its JSON ``series``):

* ``H1``  上年结转 of year N+1 = 结转下年度继续办理 of year N, per applicant column
          (also across the 2020→2021 change of format: table 三 kept its columns);
* ``H2``  现行有效件数(N+1) = 现行有效件数(N) + 本年制发件数(N+1) − 本年废止件数(N+1),
          for 规章 and 行政规范性文件 (2021 format);
* ``H3``  上一年项目数量(N+1) = 上一年项目数量(N) + 本年增/减(N) (2019 format).

And three checks that hold for every template (their limits are ``Limits``):

* ``H0``  two reports for one agency and year (a duplicate: the first by file name is compared);
* ``H4``  a table printed unchanged from the previous year: every cell of the table equal, with at
          least ``Limits.copied_distinct`` different non-zero numbers (so that a small agency's
          all-zero or one-application table, which may well repeat, is not taken for a copy);
* ``H5``  a jump: a relation's total (the cells the template's relations sum up to) that grows or
          shrinks by more than ``Limits.factor`` times and by at least ``Limits.minimum``.

These are heuristics: agency mergers, restated figures and documents that lapse without
repeal break them, so every finding is a warning.  Keys in the findings carry the year:
``2023:applications.carried_forward.total``.

A corpus is split into agencies by ``group_series``: the agency as the report names itself
(``Meta.agency``), normalised (full-width forms, spaces), and a short name merged into the one
longer name in the corpus that adds only places in front of it (洪泽区人民政府 into
淮安市洪泽区人民政府, when no other 某市洪泽区人民政府 is in the corpus).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import pairwise

from attrs import frozen

from .checks import not_checkable, relations
from .equation import Term, equations
from .messages import text
from .model import Cell, Finding, Number, Report
from .registry import get_template
from .relations import PREVIOUS, Relation, series_relations
from .templates import Template


@frozen
class Limits:
    """When H4 (a copied table) and H5 (a jump) speak; the defaults are in docs/checks.md."""

    factor: Number = 10  # H5: a total that becomes more than this many times larger (or smaller) …
    minimum: Number = 100  # … and changes by at least this much
    copied_distinct: int = 3  # H4: a table equal to last year's with at least this many distinct non-zero numbers


@frozen
class Filed:
    """A report and the name of the file it was read from (the name the output shows)."""

    name: str
    report: Report


@frozen
class AgencySeries:
    """The reports of one agency, by year (several in one year: a duplicate, rule H0)."""

    agency: str  # the longest form of the name found in the corpus
    names: tuple[str, ...]  # every form of the name as the reports print it
    reports: tuple[Filed, ...]  # sorted by year, then file name

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({f.report.meta.year for f in self.reports if f.report.meta.year is not None}))


@frozen
class Grouping:
    """A corpus split by agency; ``unplaced``: the reports without an agency or a year."""

    series: tuple[AgencySeries, ...]
    unplaced: tuple[Filed, ...] = ()


@frozen
class SeriesFinding:
    """A cross-year finding with the agency, the later year and the later report's file."""

    agency: str
    year: int
    file: str
    finding: Finding


# ----------------------------------------------------------------- grouping


_PLACE = re.compile(r"^(?:[^省市区县]{1,8}?(?:省|自治区|特别行政区|市|自治州|州|地区|盟))+$")


def agency_key(name: str) -> str:
    """The agency name compared: full-width forms and spaces folded (``淮安市 洪泽区`` = ``淮安市洪泽区``)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def group_series(reports: Iterable[Report | Filed]) -> Grouping:
    """The reports grouped by agency (see the module docstring for how names are matched)."""
    filed = [r if isinstance(r, Filed) else Filed(_name(r), r) for r in reports]
    by_key: dict[str, list[Filed]] = defaultdict(list)
    unplaced: list[Filed] = []
    for item in filed:
        key = agency_key(item.report.meta.agency)
        if not key or item.report.meta.year is None:
            unplaced.append(item)
        else:
            by_key[key].append(item)
    merged: dict[str, str] = {}
    for key in by_key:
        longer = [
            other for other in by_key if other != key and other.endswith(key) and _PLACE.match(other[: -len(key)])
        ]
        if len(longer) == 1:
            merged[key] = longer[0]
    groups: dict[str, list[Filed]] = defaultdict(list)
    for key, items in by_key.items():
        target = key
        while target in merged:
            target = merged[target]
        groups[target].extend(items)
    series = []
    for agency, items in sorted(groups.items()):
        items.sort(key=lambda f: (f.report.meta.year or 0, f.name))
        names = tuple(dict.fromkeys(f.report.meta.agency for f in items))
        series.append(AgencySeries(agency, names, tuple(items)))
    return Grouping(tuple(series), tuple(unplaced))


def _name(report: Report) -> str:
    return report.source.name if report.source is not None and report.source.name else report.meta.title


# ----------------------------------------------------------------- the checks


def _checked(cell: Cell) -> Number | None:
    """A cell's value for the arithmetic: a printed blank counts as 0 (as in ``checks``)."""
    return 0 if cell.value is None and cell.status == "blank" else cell.value


def _value(report: Report, key: str) -> Number | None:
    """The value at a key; KeyError when the report has no such cell (another format)."""
    return _checked(report.cell(key))


def _compare(relation: Relation, previous: Report, current: Report) -> Finding | None:
    """One cross-year relation; None when it holds or when a report lacks one of its cells."""
    terms = []
    for sign, key in relation.terms():
        report, key = (previous, key[len(PREVIOUS) :]) if key.startswith(PREVIOUS) else (current, key)
        terms.append((sign, report, key))
    try:
        values = [(sign, _value(r, k)) for sign, r, k in terms]
        actual_value = _value(current, relation.total)
    except KeyError:
        return None  # the relation needs a cell one of the two formats does not print
    flat_keys = (f"{current.meta.year}:{relation.total}", *(f"{r.meta.year}:{k}" for _, r, k in terms))
    total = Term.of(flat_keys[0], current.cell(relation.total))
    shown = [(s, Term.of(f, r.cell(k))) for (s, r, k), f in zip(terms, flat_keys[1:], strict=True)]
    template = get_template(current.template)
    if actual_value is None or any(v is None for _, v in values):
        missing = [k for k, (_, v) in zip(flat_keys[1:], values, strict=True) if v is None]
        if actual_value is None:
            missing.insert(0, flat_keys[0])
        return not_checkable(
            relation.rule, relation.zh, relation.en, flat_keys, missing, equations(template, total, shown, None)
        )
    expected = sum(sign * v for sign, v in values if v is not None)
    if expected != actual_value:
        return Finding(
            relation.rule,
            relation.severity,
            "failed",
            f"{relation.zh}不一致",
            f"{relation.en} does not hold",
            flat_keys,
            expected,
            actual_value,
            *equations(template, total, shown, expected),
        )
    return None


def _finding(
    rule: str,
    message: str,
    keys: tuple[str, ...],
    expected: Number | None = None,
    actual: Number | None = None,
    **params: object,
) -> Finding:
    return Finding(
        rule,
        "warning",
        "failed",
        text(f"series.{message}", "zh", **params),
        text(f"series.{message}", "en", **params),
        keys,
        expected,
        actual,
    )


def _table_cells(report: Report, table: str) -> dict[str, Number | None]:
    return {k: _checked(c) for k, c in report.keyed_cells(standard=True) if k.startswith(f"{table}.")}


def _copied(previous: Report, current: Report, limits: Limits) -> Iterator[Finding]:
    """H4: a table equal, cell for cell, to the previous year's (same template only)."""
    if previous.template != current.template:
        return
    for table in current.tables:
        before, now = _table_cells(previous, table.name), _table_cells(current, table.name)
        if not now or before != now or any(v is None for v in now.values()):
            continue
        distinct = {v for v in now.values() if v}
        if len(distinct) < limits.copied_distinct:
            continue
        heading = table_heading(get_template(current.template), table.name)
        yield _finding(
            "H4",
            "copied",
            tuple(f"{current.meta.year}:{k}" for k in now),
            year=current.meta.year,
            previous_year=previous.meta.year,
            table=heading,
            count=len(now),
        )


def table_heading(template: Template, table: str) -> str:
    """The printed heading of a table (二、主动公开政府信息情况), from the template's data."""
    for section in template.sections:
        if section.kind == table:
            for heading in template.headings:
                if section.words.search(heading):
                    return heading
    return table


def _jumps(previous: Report, current: Report, limits: Limits) -> Iterator[Finding]:
    """H5: a relation total that changed by more than ``limits.factor`` times and ``limits.minimum``."""
    totals = dict.fromkeys(r.total for r in relations(current))
    for key in totals:
        try:
            before, now = _value(previous, key), _value(current, key)
        except KeyError:
            continue
        if before is None or now is None:
            continue
        small, big = sorted((abs(Decimal(before)), abs(Decimal(now))))
        if abs(Decimal(now) - Decimal(before)) < Decimal(limits.minimum) or (small and big <= small * limits.factor):
            continue
        yield _finding(
            "H5",
            "jump",
            (f"{current.meta.year}:{key}", f"{previous.meta.year}:{key}"),
            before,
            now,
            cell=key,
            year=current.meta.year,
            previous_year=previous.meta.year,
            before=before,
            now=now,
            factor=limits.factor,
        )


def _pair(previous: Report, current: Report, limits: Limits) -> Iterator[Finding]:
    template = get_template(current.template)
    for relation in series_relations(current, template, current.meta.year or 0, previous.meta.year or 0):
        finding = _compare(relation, previous, current)
        if finding is not None:
            yield finding
    yield from _copied(previous, current, limits)
    yield from _jumps(previous, current, limits)


def _by_year(reports: Iterable[Report | Filed]) -> tuple[list[Filed], list[Finding]]:
    """The first report of each year (by file name), and an H0 finding for each year printed twice."""
    filed = [r if isinstance(r, Filed) else Filed(_name(r), r) for r in reports]
    dated = sorted(
        (f for f in filed if f.report.meta.year is not None), key=lambda f: (f.report.meta.year or 0, f.name)
    )
    years: dict[int, list[Filed]] = defaultdict(list)
    for item in dated:
        years[item.report.meta.year or 0].append(item)
    duplicates = [
        _finding(
            "H0",
            "duplicate",
            (f"{year}:meta.agency",),
            year=year,
            files="; ".join(f.name for f in items),
            kept=items[0].name,
        )
        for year, items in years.items()
        if len(items) > 1
    ]
    return [items[0] for items in years.values()], duplicates


def check_series(reports: Iterable[Report | Filed], limits: Limits = Limits()) -> tuple[Finding, ...]:
    """Cross-year findings for the reports of one agency (any order; sorted by year).

    Only reports of consecutive years are compared; reports without a year are skipped.
    The relations are the later report's template's ``series`` (its JSON data); H0, H4 and
    H5 apply to every template (``limits`` sets when H4 and H5 speak).
    """
    return tuple(f.finding for f in _series_findings("", reports, limits))


def _series_findings(agency: str, reports: Iterable[Report | Filed], limits: Limits) -> Iterator[SeriesFinding]:
    firsts, duplicates = _by_year(reports)
    for finding in duplicates:
        year = int(finding.keys[0].partition(":")[0])
        yield SeriesFinding(agency, year, next(f.name for f in firsts if f.report.meta.year == year), finding)
    for previous, current in pairwise(firsts):
        if (current.report.meta.year or 0) - (previous.report.meta.year or 0) != 1:
            continue
        for finding in _pair(previous.report, current.report, limits):
            yield SeriesFinding(agency, current.report.meta.year or 0, current.name, finding)


def check_groups(grouping: Grouping | Sequence[AgencySeries], limits: Limits = Limits()) -> list[SeriesFinding]:
    """The cross-year findings of every agency of a corpus (``group_series``), agency by agency."""
    series = grouping.series if isinstance(grouping, Grouping) else grouping
    return [found for group in series for found in _series_findings(group.agency, group.reports, limits)]


SERIES_COLUMNS = (
    "agency",
    "year",
    "file",
    "rule",
    "severity",
    "status",
    "message_zh",
    "message_en",
    "keys",
    "expected",
    "actual",
)


def series_record(found: SeriesFinding) -> dict[str, object]:
    """A cross-year finding as a row of the series table (``SERIES_COLUMNS``)."""
    f = found.finding
    return {
        "agency": found.agency,
        "year": found.year,
        "file": found.file,
        "rule": f.rule,
        "severity": f.severity,
        "status": f.status,
        "message_zh": f.message_zh,
        "message_en": f.message_en,
        "keys": " ".join(f.keys),
        "expected": f.expected,
        "actual": f.actual,
    }
