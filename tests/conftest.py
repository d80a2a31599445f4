"""Shared fixtures and Hypothesis profiles.

Profiles: ``ci`` (the default, used by the README's test command; a fixed sequence of
examples) and ``long`` for local runs, at random: ``HYPOTHESIS_PROFILE=long pytest``.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

DATA = Path(__file__).parent / "data"

# ci: a fixed sequence of examples (derandomize), so that a landing never depends on luck;
# long and benchmarks/fuzz.py explore at random.
settings.register_profile(
    "ci", deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", deadline=None, max_examples=5000, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _no_local_constants() -> None:
    """Hypothesis (6.13x and later) draws some values from the literals of the project's
    modules that happen to be imported (``internal.conjecture.providers``).  With an
    editable install that pool holds govreport's constants and grows as tests import more
    of it, so a derandomised test draws other examples depending on which tests ran before
    it; CI's non-editable install has none.  Emptying the pool gives every run, whatever
    its selection, order or install, CI's sequence of examples."""
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a Hypothesis without the module has no pool
        return
    getter = getattr(providers, "_get_local_constants", None)
    empty = getattr(providers, "Constants", None)
    if callable(getter) and callable(empty):
        providers._get_local_constants = empty  # type: ignore[attr-defined]


if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci":
    _no_local_constants()


def read_text(relative: str) -> str:
    return (DATA / relative).read_text(encoding="utf-8")


def read_gold(relative: str) -> dict:
    return json.loads((DATA / relative).read_text(encoding="utf-8"))


def gold_cells(relative: str) -> dict:
    """The hand-read cell values of a gold file, typed as ``flatten`` gives them (money as Decimal)."""
    return {k: Decimal(v) if isinstance(v, str) else v for k, v in read_gold(relative)["cells"].items()}


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA
