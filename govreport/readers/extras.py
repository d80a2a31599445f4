"""Import an optional dependency, or say which ``pip install`` brings it."""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import MissingExtraError


def require(module: str, what: str, extra: str) -> ModuleType:
    """Import ``module``; if it is not installed raise ``MissingExtraError`` naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(what, extra, module.split(".")[0]) from exc
