"""JSON and dict (de)serialisation of reports, through one cattrs converter.

Lossless: ``from_json(to_json(r)) == r`` for every report, including decimal
amounts (written as strings, so no float rounding) and source spans.  Input of
the wrong shape raises ``DeserializationError`` naming the path of each problem;
a half-built report is never returned, and neither is one that is not whole for its
template (``validate.problems``: unknown template, rows, columns, statuses ...).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, get_args

import cattrs

from .errors import DeserializationError
from .jsoncodec import Codec, Special
from .model import Finding, Number, Report
from .strict_json import strict_converter
from .templates import TABLE_NAMES
from .validate import problems

SCHEMA = "govreport.report/1"
# What str(Decimal) writes for a finite number: ASCII digits, optional sign, point and exponent.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_MAX_EXPONENT = 1000  # far beyond any amount in a report; keeps arithmetic on loaded data finite

_converter = strict_converter()


def _structure_number(value: Any, _type: Any) -> Number | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        if not _DECIMAL.fullmatch(value):
            raise ValueError(f'expected a decimal string such as "7730.28", got {value!r}')
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"expected a decimal string, got {value!r}") from None
        if abs(number.adjusted()) > _MAX_EXPONENT:
            raise ValueError(f"decimal out of range: {value!r}")
        return number
    raise ValueError(f"expected an int, a decimal string or null, got {type(value).__name__}")


_converter.register_unstructure_hook(Decimal, str)


def _is_number_type(annotation: Any) -> bool:
    """``int | Decimal`` or ``int | Decimal | None``, however the annotation was spelled."""
    args = set(get_args(annotation))
    return args in ({int, Decimal}, {int, Decimal, type(None)})


_converter.register_structure_hook_func(_is_number_type, _structure_number)

_BOX = tuple[float, float, float, float]


def _structure_box(value: Any, _type: Any) -> tuple[float, float, float, float]:
    """``Origin.bbox``: a list of four JSON numbers (cattrs alone would take ``"1"`` and ``true``)."""
    if not isinstance(value, list) or len(value) != 4:
        raise ValueError(f"expected a box, a list of four numbers [x0, top, x1, bottom], got {value!r}")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        raise ValueError(f"expected a box of four numbers, got {value!r}")
    return float(value[0]), float(value[1]), float(value[2]), float(value[3])


_converter.register_structure_hook_func(lambda annotation: annotation == _BOX, _structure_box)
_converter.register_unstructure_hook_func(lambda annotation: annotation == _BOX, list)


# The same conversions without the converter's dispatch per value (``jsoncodec``): what
# ``to_dict`` writes and ``from_dict`` reads for every well-formed report; the converter
# remains for anything else, and for the paths in its error messages.
_codec = Codec(
    {
        Number | None: Special(lambda value: _structure_number(value, None), _converter.unstructure, (int, type(None))),
        _BOX: Special(lambda value: _structure_box(value, None), list),
    }
)
_report_out = _codec.unstructure(Report)
_finding_out = _codec.unstructure(Finding)
_report_in = _codec.structure(Report)


def to_dict(report: Report, *, findings: Sequence[Finding] | None = None) -> dict[str, Any]:
    """A JSON-ready dict (only str, int, list, dict and None inside).

    ``findings`` (what ``govreport.check`` returned for the report) are written under
    ``"checks"``; ``from_dict`` ignores them, as they follow from the cells.  Serialising
    never runs the checks itself.
    """
    data: dict[str, Any] = {"schema": SCHEMA}
    data.update(_report_out(report) if type(report) is Report else _converter.unstructure(report))
    if findings is not None:
        data["checks"] = [_finding_out(f) if type(f) is Finding else _converter.unstructure(f) for f in findings]
    return data


def from_dict(data: Any) -> Report:
    """The inverse of ``to_dict``.  Raises ``DeserializationError`` on bad input, and on a
    report that is not whole for its template (see ``govreport.validate``)."""
    if not isinstance(data, dict):
        raise DeserializationError(f"expected a JSON object at $, got {type(data).__name__}")
    data = dict(data)
    data.pop("checks", None)  # derived from the cells; recomputed by govreport.check()
    schema = data.pop("schema", SCHEMA)
    if schema != SCHEMA:
        raise DeserializationError(f"unsupported schema {schema!r} at $.schema (expected {SCHEMA!r})")
    # A table left out would be structured as an empty one; name it instead.
    missing = [f"required table missing @ $.{name}" for name in TABLE_NAMES if name not in data]
    try:
        report: Report = _report_in(data)
    except Exception:  # not well-formed as to_dict writes it: the converter reads it, or names each problem
        report = _structure(data, missing)
    whole = missing or problems(report)
    if whole:
        raise DeserializationError("the data is not a whole report of its template", whole)
    return report


def _structure(data: dict[str, Any], missing: list[str]) -> Report:
    """``data`` as a report through the strict converter, or ``DeserializationError``."""
    try:
        return _converter.structure(data, Report)
    except cattrs.BaseValidationError as exc:
        errors = cattrs.transform_error(exc, path="$")
        raise DeserializationError("the data is not a govreport report", [*errors, *missing]) from None
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
        raise DeserializationError(f"the data is not a govreport report: {exc}") from None


def to_json(report: Report, *, indent: int | None = None, findings: Sequence[Finding] | None = None) -> str:
    """JSON text; Chinese stays readable (``ensure_ascii=False``).  See ``to_dict`` for ``findings``."""
    return json.dumps(to_dict(report, findings=findings), ensure_ascii=False, indent=indent)


def from_json(text: str | bytes) -> Report:
    """Parse JSON written by ``to_json``.  Raises ``DeserializationError`` on bad input."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise DeserializationError("the JSON is nested too deeply to be a report") from None
    except (ValueError, TypeError) as exc:
        raise DeserializationError(f"malformed JSON: {exc}") from None
    return from_dict(data)
