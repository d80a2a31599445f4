"""JSON and dict (de)serialisation of reports, through one cattrs converter.

Lossless: ``from_json(to_json(r)) == r`` for every report, including decimal
amounts (written as strings, so no float rounding) and source spans.  Input of
the wrong shape raises ``DeserializationError`` naming the path of each problem;
a half-built report is never returned.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any, get_args

import cattrs
from cattrs.preconf.json import make_converter

from .errors import DeserializationError
from .model import Number, Report

SCHEMA = "govreport.report/1"

_converter = make_converter(forbid_extra_keys=True)


def _structure_number(value: Any, _type: Any) -> Number | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"expected a decimal string, got {value!r}") from None
        if not number.is_finite():
            raise ValueError(f"expected a finite decimal, got {value!r}")
        return number
    raise ValueError(f"expected an int, a decimal string or null, got {type(value).__name__}")


_converter.register_unstructure_hook(Decimal, str)


def _is_number_type(annotation: Any) -> bool:
    """``int | Decimal`` or ``int | Decimal | None``, however the annotation was spelled."""
    args = set(get_args(annotation))
    return args in ({int, Decimal}, {int, Decimal, type(None)})


_converter.register_structure_hook_func(_is_number_type, _structure_number)


def _strict(kind: type) -> Any:
    """cattrs converts by calling ``int(x)``/``str(x)``; a report file must hold the right type."""

    def structure(value: Any, _type: Any) -> Any:
        if type(value) is not kind:
            raise ValueError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return structure


_converter.register_structure_hook(str, _strict(str))
_converter.register_structure_hook(int, _strict(int))
_converter.register_structure_hook(bool, _strict(bool))


def to_dict(report: Report) -> dict[str, Any]:
    """A JSON-ready dict (only str, int, list, dict and None inside)."""
    data: dict[str, Any] = {"schema": SCHEMA}
    data.update(_converter.unstructure(report))
    return data


def from_dict(data: Any) -> Report:
    """The inverse of ``to_dict``.  Raises ``DeserializationError`` on bad input."""
    if not isinstance(data, dict):
        raise DeserializationError(f"expected a JSON object at $, got {type(data).__name__}")
    data = dict(data)
    schema = data.pop("schema", SCHEMA)
    if schema != SCHEMA:
        raise DeserializationError(f"unsupported schema {schema!r} at $.schema (expected {SCHEMA!r})")
    try:
        return _converter.structure(data, Report)
    except cattrs.BaseValidationError as exc:
        errors = cattrs.transform_error(exc, path="$")
        raise DeserializationError("the data is not a govreport report", errors) from None
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
        raise DeserializationError(f"the data is not a govreport report: {exc}") from None


def to_json(report: Report, *, indent: int | None = None) -> str:
    """JSON text; Chinese stays readable (``ensure_ascii=False``)."""
    return json.dumps(to_dict(report), ensure_ascii=False, indent=indent)


def from_json(text: str | bytes) -> Report:
    """Parse JSON written by ``to_json``.  Raises ``DeserializationError`` on bad input."""
    try:
        data = json.loads(text)
    except (ValueError, TypeError, RecursionError) as exc:
        raise DeserializationError(f"malformed JSON: {exc}") from None
    return from_dict(data)
