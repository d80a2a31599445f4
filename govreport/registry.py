"""The template registry: the shipped templates, those users register, and detection.

The shipped templates are the ``template_*.json`` files of the grammar directory,
loaded on first use.  ``register_template`` adds a user's own (docs/extending.md).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import lark

from .errors import TemplateError, UnknownTemplateError
from .grammar import build_parser, forget, grammar_dir
from .normalize import label_core, printed_form
from .templates import Template, load_template
from .unglue import PrintedWords

_REGISTRY: dict[str, Template] = {}
_LOCK = threading.RLock()
_loaded = False
_labels: frozenset[str] | None = None  # label_cores(), until the registry changes
_words: PrintedWords | None = None  # printed_words(), until the registry changes


def _read_json(path: Path) -> Mapping[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TemplateError(f"cannot read template data {path}: {exc}") from exc
    if not isinstance(data, Mapping):
        raise TemplateError(f"invalid template data in {path.name}: $: a JSON object is needed")
    return data


def _ensure_shipped() -> None:
    """Load the shipped templates once.  The registry counts as loaded only once they all
    are: a failure leaves it empty and the next call tries again (and raises again)."""
    global _loaded
    if _loaded:
        return
    with _LOCK:
        if _loaded:
            return
        base = grammar_dir()
        shipped = [load_template(_read_json(path), path) for path in sorted(base.glob("template_*.json"))]
        for template in shipped:
            _REGISTRY.setdefault(template.name, template)
        _loaded = True


def register_template(grammar: str | Path, data: str | Path | Mapping[str, Any] | None = None) -> Template:
    """Register a template from a ``.lark`` file and its ``.json`` data.

    ``data`` defaults to the ``.json`` file next to the grammar.  The grammar may
    ``%import core (...)`` or ``%import template_2021 (...)``: the shipped grammar
    directory is on the import path.  Raises ``TemplateError`` (naming the file, the
    field and the problem) for a grammar or data file that is missing or invalid, or
    that names a terminal the grammar does not define.  Returns the registered ``Template``.
    """
    grammar_path = Path(grammar)
    if not grammar_path.is_file():
        raise TemplateError(f"grammar file not found: {grammar_path}")
    source = grammar_path.with_suffix(".json") if data is None or isinstance(data, Mapping) else Path(data)
    mapping = data if isinstance(data, Mapping) else _read_json(source)
    template = load_template(mapping, source, grammar_path)
    forget(template.name)
    try:
        parser = build_parser(template.name, grammar_path)
    except lark.exceptions.LarkError as exc:
        raise TemplateError(f"grammar {grammar_path} is invalid: {exc}") from exc
    _check_terminals(template, parser, source.name)
    _ensure_shipped()
    with _LOCK:
        _REGISTRY[template.name] = template
        _forget_labels()
    return template


def unregister_template(name: str) -> Template:
    """Remove a registered template (a test's, or one to be replaced); returns it."""
    _ensure_shipped()
    with _LOCK:
        try:
            template = _REGISTRY.pop(name)
        except KeyError:
            raise UnknownTemplateError(name, _REGISTRY) from None
        _forget_labels()
    forget(name)
    return template


def _forget_labels() -> None:
    global _labels, _words
    _labels = None
    _words = None


def label_cores() -> frozenset[str]:
    """The row and group labels of every registered template in ``label_core`` form (what
    ``normalize`` joins again when a report breaks one over lines or cells)."""
    global _labels
    _ensure_shipped()
    with _LOCK:
        if _labels is None:
            parts = {part for t in _REGISTRY.values() for row in t.rows for part in row.path.split(" / ")[1:]}
            _labels = frozenset(core for core in map(label_core, parts) if len(core) >= 2)
        return _labels


def printed_words() -> PrintedWords:
    """What the tables and headings of every registered template print (row and group labels,
    column labels, header words, section headings), for ``normalize`` to find in text whose
    line breaks were lost (see ``unglue.py``)."""
    global _words
    _ensure_shipped()
    with _LOCK:
        if _words is None:
            templates = list(_REGISTRY.values())
            labels = {part for t in templates for row in t.rows for part in row.path.split(" / ")}
            headers = {c.label for t in templates for row in t.rows for c in row.columns}
            headers |= {h for t in templates for h in t.headers}
            headings = {h for t in templates for h in t.headings}
            _words = PrintedWords.of(*(map(printed_form, w) for w in (labels, headers, headings)))
        return _words


def _check_terminals(template: Template, parser: lark.Lark, file: str) -> None:
    defined = {str(t.name).rsplit("__", 1)[-1] for t in parser.terminals}  # core__APP_NEW → APP_NEW
    for row in template.rows:
        if row.terminal and row.terminal not in defined:
            raise TemplateError(
                f"invalid template data in {file}: row {row.table}.{row.key}: "
                f"the grammar defines no terminal {row.terminal!r}"
            )
    for table in template.tables:
        for name in sorted(table.column_terminals - defined):
            raise TemplateError(
                f"invalid template data in {file}: $.tables.{table.name}.column_terminals: "
                f"the grammar defines no terminal {name!r}"
            )


def get_template(name: str) -> Template:
    """The registered template ``name`` (``UnknownTemplateError`` if there is none).  A name
    that is not a ``str`` (``template=2021``) is a calling error: ``TypeError``."""
    if not isinstance(name, str):
        raise TypeError(f"template= takes a template name (str) such as '2021', not {type(name).__name__} {name!r}")
    _ensure_shipped()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownTemplateError(name, _REGISTRY) from None


def templates() -> list[dict[str, Any]]:
    """The registered templates: name, title, years of use, flat keys and relation rules."""
    _ensure_shipped()
    with _LOCK:
        return [t.describe() for t in _REGISTRY.values()]


def default_template() -> Template:
    """The template a text without any detection evidence is read with: the last one
    registered whose data says ``"default": true``."""
    _ensure_shipped()
    with _LOCK:
        chosen = [t for t in _REGISTRY.values() if t.default]
        if not chosen:
            raise TemplateError('no registered template declares "default": true')
        return chosen[-1]


def detect_template(text: str) -> tuple[Template, tuple[str, ...]]:
    """The template whose own table words appear most often in ``text``, with the evidence.

    The format is told by what the tables print (column headers such as 本年制发件数 or
    本年新制作数量, rows such as 政府集中采购), never by the report year or the cited
    文号.  Ties go to the default template; with no evidence at all, the default is used.
    """
    default = default_template()
    with _LOCK:
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
        if len(evidence) > best_score or (len(evidence) == best_score and template is default and evidence):
            best, best_score, best_evidence = template, len(evidence), tuple(evidence)
    return best, best_evidence


def parser_for(name: str, *, strict: bool = False) -> lark.Lark:
    """The LALR parser of a registered template (see ``grammar.build_parser``)."""
    template = get_template(name)
    return build_parser(template.name, template.grammar_path, strict=strict)


def build_parsers() -> None:
    """Build (or load from the disk cache) the parser of every registered template, now.

    A batch calls this before it starts its worker processes: forked workers share the
    built parsers, and a cold build (seconds per grammar) is never counted against the
    time limit of the first file a worker reads.
    """
    _ensure_shipped()
    with _LOCK:
        registered = list(_REGISTRY.values())
    for template in registered:
        build_parser(template.name, template.grammar_path)


def shipped_grammar_dir() -> Path:
    """The directory of the grammars shipped with govreport (``grammar.grammar_dir``)."""
    return grammar_dir()
