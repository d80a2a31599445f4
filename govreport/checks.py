"""The arithmetic relations (勾稽关系) of the tables, checked on a parsed report.

The relations are the template's data (its JSON's ``relations``, applied to this
report's rows by ``relations.py``); the shipped templates declare P1, S1, S2 and S5
(docs/checks.md).  A relation whose cells are all numbers either holds or fails; one
with a missing cell is reported as *not checkable*, never as passed.  Two rules hold
for every template: ``D1`` (counts are non-negative, except the columns the template
types ``signed_int``) and the ``M1`` misread hints.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from .equation import Term, equations, labels
from .model import Cell, Finding, Number, Report
from .prose import check_prose
from .registry import get_template
from .relations import Relation
from .relations import relations as expand_relations
from .templates import Template


def not_checkable(
    rule: str, zh: str, en: str, keys: tuple[str, ...], missing: list[str], equation: tuple[str, str] = ("", "")
) -> Finding:
    """The finding for a relation with a missing cell: never reported as passed."""
    return Finding(
        rule,
        "warning",
        "not_checkable",
        f"{zh}：有空缺单元格，无法核对",
        f"{en}: cannot be checked, missing {', '.join(missing)}",
        keys,
        equation_zh=equation[0],
        equation_en=equation[1],
    )


def relations(report: Report) -> Iterator[Relation]:
    """The relations of the report's template that apply to its tables (see ``govreport.relations``)."""
    return expand_relations(report, get_template(report.template))


def _checked_value(cell: Cell) -> Number | None:
    """A cell's value for the arithmetic: a printed blank counts as 0 (reports blank their
    zeros); a cell that is missing, unreadable or a placeholder has none."""
    if cell.value is None and cell.status == "blank":
        return 0
    return cell.value


def _shown(cells: Mapping[str, Cell], relation: Relation) -> tuple[Term, list[tuple[int, Term]]]:
    """The relation's cells as its equation shows them (built only for a finding)."""
    return Term.of(relation.total, cells[relation.total]), [(s, Term.of(k, cells[k])) for s, k in relation.terms()]


def _evaluate(cells: Mapping[str, Cell], relation: Relation, template: Template) -> Finding | None:
    keys = relation.keys()
    terms = relation.terms()
    total = _checked_value(cells[relation.total])
    values = [(sign, _checked_value(cells[key])) for sign, key in terms]
    missing = [k for k, (_, v) in zip(keys[1:], values, strict=True) if v is None]
    if total is None or missing:
        lost = [relation.total] if total is None else []
        equation = equations(template, *_shown(cells, relation), None)
        return not_checkable(relation.rule, relation.zh, relation.en, keys, lost + missing, equation)
    expected = sum(s * v for s, v in values if v is not None)
    if expected == total:
        return None
    zh, en = equations(template, *_shown(cells, relation), expected)
    blanks = [k for k in keys if cells[k].status == "blank"]
    actual = None if cells[relation.total].status == "blank" else total
    if len(blanks) == 1:
        key = blanks[0]
        sign = 1 if key == relation.total else next(s for s, k in terms if k == key)
        needed = expected if key == relation.total else (total - expected) * sign
        if needed > 0:
            return Finding(
                relation.rule,
                relation.severity,
                "failed",
                f"{relation.zh}不成立：{key} 为空，但按此关系应为 {needed}",
                f"{relation.en} does not hold: {key} is blank where the arithmetic requires {needed}",
                keys,
                expected,
                actual,
                zh,
                en,
            )
    return Finding(
        relation.rule,
        relation.severity,
        "failed",
        f"{relation.zh}不成立",
        f"{relation.en} does not hold",
        keys,
        expected,
        actual,
        zh,
        en,
    )


def _domain(report: Report, template: Template) -> Iterator[Finding]:
    for table in report.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.value is None or template.column_type(table.name, cell.column) == "signed_int":
                    continue
                if cell.value < 0:
                    key = f"{table.name}.{row.key}.{cell.column}"
                    row_name, column_name = labels(template, key)
                    yield Finding(
                        "D1",
                        "error",
                        "failed",
                        f"{key} 不能为负数",
                        f"{key} must not be negative",
                        (key,),
                        None,
                        cell.value,
                        f"{row_name} {column_name} = {cell.value} < 0",
                        f"{key} = {cell.value} < 0",
                    )


def _regroupings(values: list[str], want: int) -> Iterator[tuple[list[str], str, str]]:
    """Ways to reach ``want`` cells by splitting one printed number or joining two.

    Yields the regrouped values and how, in English and in Chinese.
    """
    if len(values) == want - 1:
        for i, v in enumerate(values):
            for cut in range(1, len(v)):
                a, b = v[:cut], v[cut:]
                yield [*values[:i], a, b, *values[i + 1 :]], f"{v} read as {a} and {b}", f"{v} 应为 {a} 和 {b}"
    elif len(values) == want + 1:
        for i in range(len(values) - 1):
            a, b = values[i], values[i + 1]
            yield [*values[:i], a + b, *values[i + 2 :]], f"{a} and {b} read as {a + b}", f"{a} 和 {b} 应为 {a + b}"


def _holds(values: dict[str, int], within: list[Relation]) -> bool:
    return all(values[r.total] == sum(sign * values[key] for sign, key in r.terms()) for r in within)


# Longer runs of digits are no count (and int() refuses more than 4,300 of them).
_MAX_DIGITS = 18


def misreads(report: Report, rels: Sequence[Relation]) -> Iterator[Finding]:
    """``M1`` hints: a row whose values could not be placed would satisfy its relations if
    one printed number were split in two, or two joined (``10`` for ``1`` ``0``).  A hint,
    never a fix: only when exactly one regrouping works, and only for rows the template
    relates (a row total, the totals of table 四)."""
    for diagnostic in report.diagnostics:
        if diagnostic.code != "row-shape" or not diagnostic.keys:
            continue
        values = diagnostic.raw.split()
        if not all(v.isascii() and v.isdigit() and len(v) <= _MAX_DIGITS for v in values):
            continue  # "²" is a digit to str.isdigit, not to int(); a 5,000-digit "count" is no count
        keys = diagnostic.keys
        within = [r for r in rels if set(r.keys()) <= set(keys)]
        if not within:
            continue
        fits = [
            (en, zh)
            for candidate, en, zh in _regroupings(values, len(keys))
            if _holds(dict(zip(keys, map(int, candidate), strict=True)), within)
        ]
        if len(fits) == 1:
            yield Finding(
                "M1",
                "warning",
                "suspected_misread",
                f"第{diagnostic.line}行的数字可能被错误拆分或合并：{fits[0][1]}，此时该行合计成立（仅提示，未修改）",
                f"line {diagnostic.line}: the printed values {diagnostic.raw!r} would add up if {fits[0][0]} "
                "(a hint; nothing was changed)",
                diagnostic.keys,
                equation_zh=f"第{diagnostic.line}行 {diagnostic.raw}：{fits[0][1]}",
                equation_en=f"line {diagnostic.line} {diagnostic.raw}: {fits[0][0]}",
            )


def check(report: Report, *, prose: bool = True) -> tuple[Finding, ...]:
    """Every relation that fails or cannot be checked (an empty tuple means all hold).

    Also the domain rule D1, misread hints (M1) and the numbers quoted in the text against
    the tables (TXT warnings, see ``govreport.check_prose``; ``prose=False`` leaves them
    out).  The command line reports exactly these findings.
    """
    findings: list[Finding] = []
    template = get_template(report.template)
    cells = dict(report.keyed_cells())  # one pass, not a row search per term
    rels = list(expand_relations(report, template))
    for relation in rels:
        finding = _evaluate(cells, relation, template)
        if finding is not None:
            findings.append(finding)
    findings.extend(_domain(report, template))
    findings.extend(misreads(report, rels))
    if prose:
        findings.extend(check_prose(report))
    return tuple(findings)


def errors(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.status == "failed"]
