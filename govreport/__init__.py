"""govreport: parse and check 政府信息公开工作年度报告 (government information-disclosure annual reports).

import govreport
report = govreport.parse(text)
govreport.flatten(report)          # {"applications.new.total": 0, ...}
govreport.to_json(report)          # lossless JSON
"""

from __future__ import annotations

from .batch import BatchResult, parse_many
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
from .files import parse_file, parse_html
from .flatten import META_KEYS, flat_keys, flatten
from .frame import to_frame
from .infer import infer, inferred_keys, statuses
from .model import Cell, Diagnostic, Finding, Meta, Origin, Report, Row, Section, Source, Span, Table, UnknownKeyError
from .prose import check_prose
from .readers import Extracted, Reader, read_file, register_reader, unregister_reader
from .registry import get_template, register_template, templates, unregister_template
from .serialize import from_dict, from_json, to_dict, to_json
from .series import check_series
from .view import render_html, render_tables


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


__version__ = _version()

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
