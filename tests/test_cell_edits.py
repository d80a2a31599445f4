"""Cells edited inside their lines never give a wrong number (issue 16).

The real reports with hand-read gold values (the seeds and the external texts) get one to
three edits *inside* the cells of their table lines, as OCR, converters and careless
copying make them:

* **blank**: a value cell's text deleted, its separators kept (a printed blank now);
* **delete**: a whole cell, separator and text, gone (the row is one cell short);
* **glue**: the separator between two value cells deleted (``0`` ``6`` → ``06``), or
  replaced by a space (``2 0`` in one cell);
* **debris**: a stray mark touching a number (``.5``, ``l2``, ``2O``, ``+-1``, ``½``,
  ``3~``), or inside one (``1e5``, ``1 234``, ``1丨00``).

The oracle is the one rule, with no exemption for edited rows: every value the parse gives
without a diagnostic naming its cell is a number printed in the original *in that cell*,
its characters untouched (``test_robustness.py`` checks the weaker form for line-level
edits).  ``None`` with a diagnostic is always allowed.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_robustness import MUTATION_EXAMPLES, REAL, REAL_IDS, Mutated, edited, reference, undiagnosed_values

EXAMPLES = MUTATION_EXAMPLES // 2
DEBRIS = [".", "l", "O", "e", "-", "+", ",", "½", "~", "*", "'", " ", "丨"]
INSIDE = frozenset({"l", "O", "e", "~", " ", "丨", "½"})
_NUMBER = re.compile(r"\d")


def _value_cells(m: Mutated) -> list[tuple[int, int]]:
    """(start, end) of every cell holding a digit on a line with tab or pipe separators."""
    text = m.text
    out = []
    for line in re.finditer(r"[^\n]*", text):
        if "\t" not in line.group() and "|" not in line.group():
            continue
        for cell in re.finditer(r"[^\t|\n]+", line.group()):
            if _NUMBER.search(cell.group()) and len(cell.group()) <= 12:
                out.append((line.start() + cell.start(), line.start() + cell.end()))
    return out


@st.composite
def edit_cell(draw: st.DrawFn, m: Mutated) -> str:
    """Apply one cell edit to ``m``; return what it did."""
    cells = _value_cells(m)
    if not cells:
        return "nothing"
    start, end = draw(st.sampled_from(cells))
    kind = draw(st.sampled_from(["blank", "delete", "glue", "glue with space", "debris"]))
    what = f"{kind} {m.text[start:end]!r} at {start}"
    if kind == "blank":
        m.replace(start, end, [], [])
    elif kind == "delete":
        sep = start - 1 if start > 0 and m.chars[start - 1] in "\t|" else start
        m.replace(sep, end, [], [])
    elif kind.startswith("glue"):
        if end >= len(m.chars) or m.chars[end] not in "\t|":
            return what + " (no separator after it)"
        glue = [" "] if kind == "glue with space" else []
        m.replace(end, end + 1, glue, [None] * len(glue))
    else:
        junk = draw(st.sampled_from(DEBRIS))
        # Inside a number only what makes it no number: a point or comma there can make
        # another well-formed number (100 → 1.00, 1000 → 1,000), which no reader can tell.
        at = draw(st.integers(start, end) if junk in INSIDE else st.sampled_from([start, end]))
        m.replace(at, at, list(junk), [None] * len(junk))
        what += f" {junk!r} at {at}"
    return what


@pytest.mark.parametrize(("name", "gold"), REAL, ids=REAL_IDS)
@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_edited_cells_give_exact_values_or_none_with_a_diagnostic(name: str, gold: str, data: st.DataObject) -> None:
    original, ref, _ = reference(name, gold)
    m, edits, report = edited(data, original, edit_cell)
    if report is None:
        return
    text = m.text
    for key, value in undiagnosed_values(report):
        span = report.cell(key).span
        assert span is not None
        where = f"{key} = {value!r} from {text[span.start : span.end]!r} after {edits}"
        before = ref.cell(key)
        assert before.value is not None and before.span is not None, f"{where}: the original's cell is {before.value!r}"
        origins = [m.origin[i] for i in range(span.start, span.end)]
        assert origins == list(range(before.span.start, before.span.end)), (
            f"{where}: the original prints {original[before.span.start : before.span.end]!r} at {before.span} in it"
        )
