"""Generated documentation stays in step with the template data."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, DOCS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_templates_reference_is_current() -> None:
    assert (DOCS / "templates.md").read_text(encoding="utf-8") == _load("gen_templates").render()
