"""govreport: parse and check 政府信息公开工作年度报告 (government information-disclosure annual reports).

import govreport
report = govreport.parse(text)
govreport.flatten(report)          # {"applications.new.total": 0, ...}
govreport.to_json(report)          # lossless JSON
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .checks import check
from .dispatch import parse
from .errors import (
    DeserializationError,
    GovreportError,
    MissingExtraError,
    NotAReportError,
    ParseError,
    PreStandardReportError,
    ScannedPdfError,
    TemplateDefinitionError,
    TemplateError,
    UnknownTemplateError,
    UnreadableFileError,
)
from .flatten import META_KEYS, flat_keys, flatten
from .infer import infer, inferred_keys, statuses
from .model import (
    Cell,
    Diagnostic,
    Finding,
    Meta,
    Origin,
    Report,
    Row,
    Section,
    Source,
    Span,
    Table,
    UnknownKeyError,
    set_html_renderer,
)
from .prose import check_prose
from .registry import get_template, register_template, templates, unregister_template

if TYPE_CHECKING:
    __version__: str
    from .batch import BatchResult, parse_many
    from .files import parse_file, parse_html
    from .frame import to_frame
    from .readers import Extracted, Reader, read_file, register_reader, unregister_reader
    from .serialize import from_dict, from_json, to_dict, to_json
    from .series import check_series
    from .view import render_html, render_tables

# What ``import govreport`` does not load until first used: the batch engine (multiprocessing),
# the file readers, JSON, series and the HTML view.  A one-file CLI call or a script that only
# parses text then starts in a fraction of the time (docs/performance.md, "Cold start").
_LAZY = {
    "BatchResult": "batch",
    "parse_many": "batch",
    "parse_file": "files",
    "parse_html": "files",
    "to_frame": "frame",
    "Extracted": "readers",
    "Reader": "readers",
    "read_file": "readers",
    "register_reader": "readers",
    "unregister_reader": "readers",
    "from_dict": "serialize",
    "from_json": "serialize",
    "to_dict": "serialize",
    "to_json": "serialize",
    "check_series": "series",
    "render_html": "view",
    "render_tables": "view",
}


def _tables_html(report: Report) -> str:
    """``Report._repr_html_`` until ``govreport.view`` is loaded: loading it registers its own."""
    from .view import render_tables

    return render_tables(report)


set_html_renderer(_tables_html)


def __getattr__(name: str) -> Any:
    if name == "__version__":  # read from the installed metadata (importlib.metadata) on first use
        value = globals()["__version__"] = _version()
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'govreport' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _version() -> str:
    """The version pyproject.toml gives: from the installed metadata, else (a checkout that
    is not installed) from the pyproject.toml beside the package."""
    from importlib import metadata
    from pathlib import Path

    try:
        return metadata.version("govreport")
    except metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "0+unknown"


__all__ = [
    "META_KEYS",
    "BatchResult",
    "Cell",
    "DeserializationError",
    "Diagnostic",
    "Extracted",
    "Finding",
    "GovreportError",
    "Meta",
    "MissingExtraError",
    "NotAReportError",
    "Origin",
    "ParseError",
    "PreStandardReportError",
    "Reader",
    "Report",
    "Row",
    "ScannedPdfError",
    "Section",
    "Source",
    "Span",
    "Table",
    "TemplateDefinitionError",
    "TemplateError",
    "UnknownKeyError",
    "UnknownTemplateError",
    "UnreadableFileError",
    "__version__",
    "check",
    "check_prose",
    "check_series",
    "flat_keys",
    "flatten",
    "from_dict",
    "from_json",
    "get_template",
    "infer",
    "inferred_keys",
    "parse",
    "parse_file",
    "parse_html",
    "parse_many",
    "read_file",
    "register_reader",
    "register_template",
    "render_html",
    "render_tables",
    "statuses",
    "templates",
    "to_dict",
    "to_frame",
    "to_json",
    "unregister_reader",
    "unregister_template",
]
