"""A relation written out with the printed numbers put in, for people to check by eye.

A finding says *which* relation failed; its equation says *how*, in the words of the
printed table (the template's row and column labels), e.g.::

    自然人：三、（七）总计 = 2932 ≠ 2930 = 三、（一）予以公开 1500 + （二）部分公开 300 + … + （六）其他处理 5

The English form names the cells by their canonical keys.  A blank cell is shown as
空 / blank (it counts as 0), a lost cell as 缺 / missing.  A long sum keeps its first and
last terms and every term that is not 0, and shortens the runs of zeros to ``…``, so
every number that matters is named.  Labels come from the template data: no label is
written here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from attrs import frozen

from .model import Cell, Number
from .templates import Template

LONG_SUM = 6  # a sum of more terms than this is shortened
_LABEL_LENGTH = 16  # a label segment longer than this is cut (the notes of 其他处理 run to 40 characters)
_NUMERAL = re.compile(r"^([一二三四五六七八九十]+)、?")
_NOTE = re.compile(r"（[^（）]{5,}）$")  # （区分处理的，只计这一情形，不计其他情形）


@frozen
class Term:
    """One cell in an equation: its flat key (``2023:`` before it for another year's report),
    its value and status (``blank`` shows 空, a ``None`` value otherwise 缺)."""

    key: str
    value: Number | None
    status: str = "number"

    @classmethod
    def of(cls, key: str, cell: Cell) -> Term:
        return cls(key, cell.value, cell.status)

    def shown(self, lang: str) -> str:
        if self.value is not None:
            return str(self.value)
        if self.status == "blank":
            return "空" if lang == "zh" else "blank"
        return "缺" if lang == "zh" else "missing"

    @property
    def zero(self) -> bool:
        """0 or blank: a term a long sum may leave out."""
        return self.value == 0 or (self.value is None and self.status == "blank")


def row_label(path: str) -> str:
    """``三 / （三）不予公开 / 1.属于国家秘密`` → ``三、（三）不予公开 1.属于国家秘密``."""
    segments = path.split(" / ")
    if len(segments) == 1:
        return segments[0]
    first = _NUMERAL.match(segments[0])
    head = f"{first.group(1)}、" if first else segments[0] + " "
    rest = [_short(_NOTE.sub("", s)) for s in segments[1:]]
    return head + " ".join(rest)


def _short(segment: str) -> str:
    return segment if len(segment) <= _LABEL_LENGTH else segment[: _LABEL_LENGTH - 1] + "…"


def _split_key(key: str) -> tuple[str, str, str, str]:
    """``2023:applications.denied.state_secret.total`` → (``2023``, table, row, column)."""
    year, _, flat = key.rpartition(":")
    table, _, rest = flat.partition(".")
    row, _, column = rest.rpartition(".")
    return year, table, row, column


def labels(template: Template | None, key: str) -> tuple[str, str]:
    """The printed row and column labels of a flat key (the keys themselves when the
    template does not have the row, e.g. an agency's extra row)."""
    _, table, row, column = _split_key(key)
    spec = template.row_spec(table, row) if template is not None and table in template.table_names else None
    if spec is not None:
        names = {c.key: c.label for c in spec.columns}
        return row_label(spec.path), names.get(column, column)
    return row, column


def _names(template: Template | None, keys: Sequence[str], lang: str) -> tuple[str, list[str]]:
    """A common prefix (the shared column, or the shared row) and the name of each key."""
    parts = [_split_key(k) for k in keys]
    if lang == "zh":
        found = [labels(template, k) for k in keys]
        rows = [r for r, _ in found]
        columns = [c for _, c in found]
    else:
        rows = [f"{t}.{r}" for _, t, r, _ in parts]
        columns = [c for *_, c in parts]
    years = [y for y, *_ in parts]
    if any(years):
        rows = [(f"{y}年 " if lang == "zh" else f"{y}:") + r if y else r for y, r in zip(years, rows, strict=True)]
    if len(keys) > 1 and len(set(columns)) == 1:
        prefix = f"{columns[0]}列：" if lang == "zh" else f"column {columns[0]}: "
        return prefix, rows
    if len(keys) > 1 and len(set(rows)) == 1:
        prefix = f"{rows[0]}：" if lang == "zh" else f"{rows[0]}: "
        return prefix, columns
    sep = " " if lang == "zh" else "."
    return "", [f"{r}{sep}{c}" for r, c in zip(rows, columns, strict=True)]


def _sum(names: Sequence[str], terms: Sequence[tuple[int, Term]], lang: str) -> str:
    keep = [
        i == 0 or i == len(terms) - 1 or not term.zero or len(terms) <= LONG_SUM for i, (_, term) in enumerate(terms)
    ]
    out: list[str] = []
    for i, ((sign, term), name) in enumerate(zip(terms, names, strict=True)):
        if not keep[i]:
            if out and out[-1] != "…":
                out.append("+")
                out.append("…")
            continue
        if out:
            out.append("−" if sign < 0 else "+")
        elif sign < 0:
            out.append("−")
        out.append(f"{name} {term.shown(lang)}")
    return " ".join(out)


def equation(
    template: Template | None,
    total: Term,
    terms: Sequence[tuple[int, Term]],
    expected: Number | None,
    lang: str,
) -> str:
    """``total = printed ≠ expected = term + term …`` (``expected`` None: not checkable,
    ``total = printed ≟ terms``)."""
    prefix, names = _names(template, [total.key, *(t.key for _, t in terms)], lang)
    right = _sum(names[1:], terms, lang)
    left = f"{prefix}{names[0]} = {total.shown(lang)}"
    if expected is None:
        return f"{left} ≟ {right}"
    return f"{left} ≠ {expected} = {right}"


def equations(
    template: Template | None, total: Term, terms: Sequence[tuple[int, Term]], expected: Number | None
) -> tuple[str, str]:
    """The equation in Chinese and in English."""
    return equation(template, total, terms, expected, "zh"), equation(template, total, terms, expected, "en")
