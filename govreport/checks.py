"""The arithmetic relations (勾稽关系) of the tables, checked on a parsed report.

Every relation is an equation ``total = sum(addends)`` over flat keys.  A relation
whose cells are all numbers either holds or fails; one with a missing cell is
reported as *not checkable*, never as passed.  Rule ids are stable (docs/checks.md):

* ``P1``  本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理, per applicant column (printed in the form)
* ``S1``  in every row of table 三, 总计 = 自然人 + the five 法人或其他组织 columns
* ``S2``  （七）总计 = the sum of all result rows, per column
* ``S5``  table 四: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, per group
* ``D1``  counts are non-negative whole numbers; money is a non-negative decimal
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from attrs import frozen

from .model import Number, Report, Table

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")
_NOT_RESULTS = frozenset({"new", "carried_over", "results_total", "carried_forward"})
_SIGNED_COLUMNS = frozenset({"change"})
_APPEAL_ZH = {
    "review": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_review": "复议后起诉",
}  # 2019 本年增/减 may be negative


@frozen
class Finding:
    """One relation that does not hold, or cannot be checked."""

    rule: str
    severity: str  # "error" or "warning"
    status: str  # "failed", "not_checkable" or "suspected_misread"
    message_zh: str
    message_en: str
    keys: tuple[str, ...]
    expected: Number | None = None
    actual: Number | None = None

    def __str__(self) -> str:
        if self.status == "failed":
            return f"{self.rule} {self.severity}: {self.message_en} (expected {self.expected}, printed {self.actual})"
        return f"{self.rule} not checkable: {self.message_en}"


def not_checkable(rule: str, zh: str, en: str, keys: tuple[str, ...], missing: list[str]) -> Finding:
    """The finding for a relation with a missing cell: never reported as passed."""
    return Finding(
        rule,
        "warning",
        "not_checkable",
        f"{zh}：有空缺单元格，无法核对",
        f"{en}: cannot be checked, missing {', '.join(missing)}",
        keys,
    )


@frozen
class Relation:
    rule: str
    total: str
    addends: tuple[str, ...]
    zh: str
    en: str


def _row_keys(table: Table) -> list[str]:
    return [row.key for row in table.rows if row.standard]


def relations(report: Report) -> Iterator[Relation]:
    """The relations that apply to this report's tables."""
    apps = report.applications
    rows = _row_keys(apps)
    if {"new", "carried_over", "results_total", "carried_forward"} <= set(rows):
        for col in (*APPLICANT_COLUMNS, "total"):
            yield Relation(
                "P1",
                f"applications.results_total.{col}",
                (f"applications.new.{col}", f"applications.carried_over.{col}", f"-applications.carried_forward.{col}"),
                f"第一项加第二项之和等于第三项加第四项之和（{col}列）",
                f"new + carried over = results total + carried forward ({col})",
            )
    for key in rows:
        yield Relation(
            "S1",
            f"applications.{key}.total",
            tuple(f"applications.{key}.{col}" for col in APPLICANT_COLUMNS),
            f"{apps.row(key).label or key}：总计等于自然人与法人或其他组织各列之和",
            f"row {key}: total = sum of the six applicant columns",
        )
    leaves = [key for key in rows if key not in _NOT_RESULTS]
    if "results_total" in rows and leaves:
        for col in (*APPLICANT_COLUMNS, "total"):
            yield Relation(
                "S2",
                f"applications.results_total.{col}",
                tuple(f"applications.{key}.{col}" for key in leaves),
                f"（七）总计等于各项办理结果之和（{col}列）",
                f"results total = sum of the result rows ({col})",
            )
    for key in _row_keys(report.appeals):
        yield Relation(
            "S5",
            f"appeals.{key}.total",
            tuple(f"appeals.{key}.{col}" for col in ("upheld", "corrected", "other", "pending")),
            f"{_APPEAL_ZH.get(key, key)}：总计等于结果维持、结果纠正、其他结果、尚未审结之和",
            f"{key}: total = upheld + corrected + other + pending",
        )


def _evaluate(cells: Mapping[str, Number | None], relation: Relation) -> Finding | None:
    values: list[tuple[int, Number | None]] = []
    for term in relation.addends:
        sign = -1 if term.startswith("-") else 1
        values.append((sign, cells[term.lstrip("-")]))
    total = cells[relation.total]
    keys = (relation.total, *(t.lstrip("-") for t in relation.addends))
    missing = [k for k, (_, v) in zip(keys[1:], values, strict=True) if v is None]
    if total is None or missing:
        if total is None and not missing and any(v for _, v in values):
            return Finding(
                relation.rule,
                "error",
                "failed",
                f"{relation.zh}：合计为空，但分项不为零",
                f"{relation.en}: the total is blank but its parts are not zero",
                keys,
                sum(s * v for s, v in values if v is not None),
                None,
            )
        blank = [relation.total] if total is None else []
        return not_checkable(relation.rule, relation.zh, relation.en, keys, blank + missing)
    expected = sum(s * v for s, v in values if v is not None)
    if expected != total:
        return Finding(
            relation.rule,
            "error",
            "failed",
            f"{relation.zh}不成立",
            f"{relation.en} does not hold",
            keys,
            expected,
            total,
        )
    return None


def _domain(report: Report) -> Iterator[Finding]:
    for table in report.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.value is None or cell.column in _SIGNED_COLUMNS:
                    continue
                if cell.value < 0:
                    key = f"{table.name}.{row.key}.{cell.column}"
                    yield Finding(
                        "D1",
                        "error",
                        "failed",
                        f"{key} 不能为负数",
                        f"{key} must not be negative",
                        (key,),
                        None,
                        cell.value,
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


def _balances(values: list[str], groups: int) -> bool:
    """Each group of cells ends in its total (table 三 rows: 6 + total; table 四: 4 + total)."""
    numbers = [int(v) for v in values]
    size = len(numbers) // groups
    return all(sum(numbers[g * size : g * size + size - 1]) == numbers[g * size + size - 1] for g in range(groups))


def misreads(report: Report) -> Iterator[Finding]:
    """``M1`` hints: a row whose values could not be placed would balance if one printed
    number were split in two, or two joined (``10`` for ``1`` ``0``).  A hint, never a fix."""
    for diagnostic in report.diagnostics:
        if diagnostic.code != "row-shape" or not diagnostic.keys:
            continue
        values = diagnostic.raw.split()
        if not all(v.isdigit() for v in values):
            continue
        want = len(diagnostic.keys)
        groups = want // 5 if diagnostic.keys[0].startswith("appeals.") else 1
        if not (want == 7 or groups == 3):
            continue
        fits = [(en, zh) for candidate, en, zh in _regroupings(values, want) if _balances(candidate, groups)]
        if len(fits) == 1:
            yield Finding(
                "M1",
                "warning",
                "suspected_misread",
                f"第{diagnostic.line}行的数字可能被错误拆分或合并：{fits[0][1]}，此时该行合计成立（仅提示，未修改）",
                f"line {diagnostic.line}: the printed values {diagnostic.raw!r} would add up if {fits[0][0]} "
                "(a hint; nothing was changed)",
                diagnostic.keys,
            )


def check(report: Report, *, prose: bool = False) -> tuple[Finding, ...]:
    """Every relation that fails or cannot be checked (an empty tuple means all hold).

    Also the domain rule D1 and misread hints (M1).  ``prose=True`` adds the numbers
    quoted in the text against the tables (TXT warnings, see ``govreport.check_prose``).
    """
    findings: list[Finding] = []
    cells = {key: cell.value for key, cell in report.keyed_cells()}  # one pass, not a row search per term
    for relation in relations(report):
        finding = _evaluate(cells, relation)
        if finding is not None:
            findings.append(finding)
    findings.extend(_domain(report))
    findings.extend(misreads(report))
    if prose:
        from .prose import check_prose  # prose builds on this module

        findings.extend(check_prose(report))
    return tuple(findings)


def errors(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.status == "failed"]
