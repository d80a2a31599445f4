"""Template years: a grammar overlay plus a data file, kept in a registry.

A template is two files side by side:

* ``<name>.lark`` – a Lark grammar that ``%import``\\ s the shipped ``core.lark``
  (or another template) and ``%extend``\\ s / ``%override``\\ s what its format changes;
* ``<name>.json`` – the table layout: which terminal is which row, the columns of
  each row, the canonical flat keys, the Chinese labels.

The shipped templates live in ``grammars/`` (installed as ``govreport.grammars``).
Users add their own with ``register_template`` without touching govreport; see
docs/extending.md.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import lark
import lark.lexer as lark_lexer
from attrs import field, frozen

from .errors import TemplateDefinitionError, UnknownTemplateError
from .items import ItemBuilder


@frozen
class Column:
    key: str
    label: str
    type: str = "int"  # "int", "signed_int" or "decimal"
    unit: str | None = None


@frozen
class RowSpec:
    """One row of a template table."""

    table: str
    key: str
    path: str  # the label path as printed, e.g. "三 / （三）不予公开 / 1.属于国家秘密"
    columns: tuple[Column, ...]
    terminal: str | None = None
    variant_of: tuple[str, ...] = ()  # a single row printed instead of these rows

    @property
    def label(self) -> str:
        return self.path.split(" / ")[-1]

    def keys(self) -> list[str]:
        return [f"{self.table}.{self.key}.{c.key}" for c in self.columns]


@frozen
class Template:
    name: str
    title: str
    years: tuple[int, int | None]
    grammar_path: Path = field(eq=False)
    rows: tuple[RowSpec, ...]
    layouts: Mapping[str, str] = field(factory=dict, eq=False)  # table -> layout name
    detect: tuple[re.Pattern[str], ...] = field(default=(), eq=False)  # header/row words only this format prints

    def table_rows(self, table: str) -> tuple[RowSpec, ...]:
        return tuple(r for r in self.rows if r.table == table)

    def row_for_terminal(self, terminal: str) -> RowSpec | None:
        return _terminal_index(self).get(terminal)

    def keys(self, *, variants: bool = False) -> list[str]:
        """The canonical flat keys, in order (without single-row variants by default)."""
        out: list[str] = []
        for row in self.rows:
            if row.variant_of and not variants:
                continue
            out.extend(row.keys())
        return out

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "years": self.years,
            "keys": self.keys(),
        }


_TERMINAL_INDEX: dict[str, dict[str, RowSpec]] = {}


def _terminal_index(template: Template) -> dict[str, RowSpec]:
    index = _TERMINAL_INDEX.get(template.name)
    if index is None:
        index = {r.terminal: r for r in template.rows if r.terminal}
        _TERMINAL_INDEX[template.name] = index
    return index


def _load_data(data: Mapping[str, Any], grammar_path: Path) -> Template:
    try:
        columns = {
            name: tuple(Column(c["key"], c["label"], c.get("type", "int"), c.get("unit")) for c in cols)
            for name, cols in data["columns"].items()
        }
        rows: list[RowSpec] = []
        layouts: dict[str, str] = {}
        for table, spec in data["tables"].items():
            if "layout" in spec:
                layouts[table] = spec["layout"]
            for r in spec["rows"]:
                rows.append(
                    RowSpec(
                        table=table,
                        key=r["key"],
                        path=r["path"],
                        columns=columns[r["columns"]],
                        terminal=r.get("terminal"),
                        variant_of=tuple(r.get("variant_of", ())),
                    )
                )
        years = data.get("years", [None, None])
        return Template(
            name=str(data["name"]),
            title=str(data.get("title", "")),
            years=(years[0], years[1]),
            grammar_path=grammar_path,
            rows=tuple(rows),
            layouts=layouts,
            detect=tuple(re.compile(p) for p in data.get("detect", ())),
        )
    except (KeyError, TypeError, IndexError, re.error) as exc:
        raise TemplateDefinitionError(f"invalid template data for {grammar_path.name}: {exc!r}") from exc


_REGISTRY: dict[str, Template] = {}
_PARSERS: dict[tuple[str, bool], lark.Lark] = {}
_LOCK = threading.RLock()


def shipped_grammar_dir() -> Path:
    """The directory of the grammars installed with govreport."""
    return Path(str(resources.files("govreport.grammars")))


def register_template(grammar: str | Path, data: str | Path | Mapping[str, Any] | None = None) -> Template:
    """Register a template from a ``.lark`` file and its ``.json`` data.

    ``data`` defaults to the ``.json`` file next to the grammar.  The grammar may
    ``%import core (...)`` or ``%import template_2021 (...)``: the shipped grammar
    directory is on the import path.  Returns the registered ``Template``.
    """
    grammar_path = Path(grammar)
    if not grammar_path.is_file():
        raise TemplateDefinitionError(f"grammar file not found: {grammar_path}")
    if data is None:
        data = grammar_path.with_suffix(".json")
    if not isinstance(data, Mapping):
        try:
            data = json.loads(Path(data).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise TemplateDefinitionError(f"cannot read template data {data}: {exc}") from exc
    assert isinstance(data, Mapping)
    template = _load_data(data, grammar_path)
    with _LOCK:
        _ensure_shipped()
        _REGISTRY[template.name] = template
        _TERMINAL_INDEX.pop(template.name, None)
        for key in [k for k in _PARSERS if k[0] == template.name]:
            del _PARSERS[key]
    try:
        parser_for(template.name)  # fail now, not at the first parse
    except lark.exceptions.GrammarError as exc:
        with _LOCK:
            del _REGISTRY[template.name]
        raise TemplateDefinitionError(f"grammar {grammar_path} is invalid: {exc}") from exc
    return template


_SHIPPED_LOADED = False


def _ensure_shipped() -> None:
    """Load the shipped templates once (callers hold ``_LOCK``)."""
    global _SHIPPED_LOADED
    if not _SHIPPED_LOADED:
        _SHIPPED_LOADED = True
        _register_shipped()


def _register_shipped() -> None:
    base = shipped_grammar_dir()
    for path in sorted(base.glob("template_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        template = _load_data(data, base / data["grammar"])
        _REGISTRY[template.name] = template


def get_template(name: str) -> Template:
    with _LOCK:
        _ensure_shipped()
        try:
            return _REGISTRY[name]
        except KeyError:
            raise UnknownTemplateError(name, _REGISTRY) from None


def templates() -> list[dict[str, Any]]:
    """The registered templates: name, title, years of use and flat keys."""
    with _LOCK:
        _ensure_shipped()
        return [t.describe() for t in _REGISTRY.values()]


def detect_template(text: str, default: str) -> tuple[str, tuple[str, ...]]:
    """Pick the template whose own table words appear most often in ``text``.

    The format is told by what the tables print (column headers such as
    本年制发件数 or 本年新制作数量, rows such as 政府集中采购), never by the report
    year or the cited 文号.  Returns the name and the evidence (what matched, where).
    """
    with _LOCK:
        _ensure_shipped()
        candidates = list(_REGISTRY.values())
    best, best_score = default, 0
    best_evidence: tuple[str, ...] = ()
    for template in candidates:
        evidence = []
        for pattern in template.detect:
            match = pattern.search(text)
            if match:
                line = text.count("\n", 0, match.start()) + 1
                evidence.append(f"{match.group(0)} (line {line})")
        if len(evidence) > best_score or (len(evidence) == best_score and template.name == default and evidence):
            best, best_score, best_evidence = template.name, len(evidence), tuple(evidence)
    return best, best_evidence


def _build(strict: bool, make: Callable[[], lark.Lark]) -> lark.Lark:
    """Build a parser; outside strict mode, without Lark's regex-collision scan.

    When the optional ``interegular`` package is installed, Lark compares every pair
    of terminals in every lexer state, even when not strict, only to log warnings:
    13 s instead of 0.04 s for these grammars.  The scan matters when a grammar
    changes, so the test suite runs it (``strict=True``); parsing does not need it.
    Callers hold ``_LOCK``.
    """
    if strict:
        return make()
    saved = lark_lexer.has_interegular
    lark_lexer.has_interegular = False
    try:
        return make()
    finally:
        lark_lexer.has_interegular = saved


def parser_for(name: str, *, strict: bool = False) -> lark.Lark:
    """The LALR parser of a template, built once and cached (thread-safe).

    ``strict=True`` makes Lark reject shift/reduce conflicts and regex collisions;
    the test suite builds every grammar that way.
    """
    template = get_template(name)
    key = (template.name, strict)
    parser = _PARSERS.get(key)
    if parser is not None:
        return parser
    with _LOCK:
        parser = _PARSERS.get(key)
        if parser is None:
            grammar_text = template.grammar_path.read_text(encoding="utf-8")
            parser = _build(
                strict,
                lambda: lark.Lark(
                    grammar_text,
                    parser="lalr",
                    lexer="contextual",
                    strict=strict,
                    source_path=str(template.grammar_path),
                    import_paths=[str(template.grammar_path.parent), str(shipped_grammar_dir())],
                    maybe_placeholders=False,
                    transformer=ItemBuilder(),  # tree-less: the parser returns items directly
                ),
            )
            _PARSERS[key] = parser
    return parser
