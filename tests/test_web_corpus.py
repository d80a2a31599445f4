"""The 25 real web-page excerpts of tests/data/web, against their hand-read gold.

Each excerpt is the first ~2,000 bytes of a published report's page, so nearly every
one stops mid-table, often mid-cell or mid-label (tests/data/web/README.md).  For each:

* ``parse(text, infer=True)`` does not raise: every excerpt is a recognisable
  fragment of a report;
* every gold cell comes back exactly, status ``number``; a gold ``null`` (a printed
  blank) comes back None with status ``blank``, not inferred (or ``placeholder`` where
  the excerpt prints a mark such as ``-`` at the cell's span: 001's gold nulls its ``-``);
* the template is the gold's, where the gold names one (023 is only table 四 and the
  last row of table 三, the same in both formats);
* a cell the gold does not list, in a row whose label is nowhere in the excerpt, is
  None: no value comes from a row the text does not show.  A label is looked for by
  its first three CJK characters after the row number (``属于国`` for
  ``1.属于国家秘密``), in the excerpt made comparable (NFKC, Traditional to Simplified,
  pinyin glosses and white space removed).  Short stems only make more rows count as
  visible, so the check errs towards checking less, never towards a false failure;
  ``test_invisible_rows_are_really_not_printed`` pins what it finds for three excerpts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, gold_cells, read_gold
from strategies import typed

import govreport

WEB = DATA / "web"
GOLD = sorted((WEB / "gold").glob("*.json"))
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")
_NUMBER = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）、.]?")
_CJK = re.compile("[\u3400-\u9fff]+")


def _excerpt(gold: Path) -> str:
    return (WEB / read_gold(f"web/gold/{gold.name}")["file"]).read_text(encoding="utf-8")


@cache
def _t2s() -> Any:
    import opencc  # type: ignore[import-not-found,unused-ignore]

    return opencc.OpenCC("t2s")


def comparable(text: str) -> str:
    """NFKC, Simplified, without pinyin glosses and white space."""
    text = _PINYIN.sub("", unicodedata.normalize("NFKC", text))
    return re.sub(r"\s+", "", _t2s().convert(text))


def stem(label: str) -> str:
    """The first three CJK characters of a row label after its number."""
    rest = _NUMBER.sub("", unicodedata.normalize("NFKC", label))
    match = _CJK.match(rest)
    return match.group()[:3] if match else rest[:3]


def invisible_rows(text: str, template: str) -> set[str]:
    """Keys of the template's rows (table.row) whose label stem is nowhere in ``text``."""
    seen = comparable(text)
    spec = govreport.get_template(template)
    return {
        f"{table}.{row.key}"
        for table in ("disclosure", "applications", "appeals")
        for row in spec.table_rows(table)
        if stem(row.label) not in seen
    }


def _parse(gold: Path) -> govreport.Report:
    return govreport.parse(_excerpt(gold), infer=True)


def _printed_placeholder(text: str, cell: govreport.Cell) -> bool:
    """The cell is a placeholder and the excerpt prints one where the parser says (001
    prints ``-`` under 行政強制; its gold, like a blank's, is null)."""
    span = cell.span
    return cell.status == "placeholder" and span is not None and text[span.start : span.end].strip() in PLACEHOLDERS


PLACEHOLDERS = frozenset({"-", "/", "—", "——", "无", "無"})


@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem)
def test_excerpt_gives_every_gold_cell(gold: Path) -> None:
    expected = gold_cells(f"web/gold/{gold.name}")
    text = _excerpt(gold)
    report = govreport.parse(text, infer=True)
    bad = []
    for key, value in expected.items():
        cell = report.cell(key)
        if value is None:
            ok = cell.value is None and (cell.status == "blank" or _printed_placeholder(text, cell))
        else:
            ok = cell.value is not None and typed(cell.value) == typed(value) and cell.status == "number"
        if not ok:
            bad.append(f"{key}: gold {value!r}, got {cell.value!r} (status {cell.status!r})")
    if bad:
        raise AssertionError(f"{gold.stem}: {len(bad)} of {len(expected)} gold cells wrong:\n" + "\n".join(bad))


@pytest.mark.parametrize("gold", [g for g in GOLD if read_gold(f"web/gold/{g.name}")["template"]], ids=lambda p: p.stem)
def test_excerpt_template_is_the_gold_template(gold: Path) -> None:
    assert _parse(gold).template == read_gold(f"web/gold/{gold.name}")["template"]


@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem)
def test_no_value_in_a_row_the_excerpt_does_not_show(gold: Path) -> None:
    listed = set(gold_cells(f"web/gold/{gold.name}"))
    report = _parse(gold)
    hidden = invisible_rows(_excerpt(gold), report.template)
    placed = [
        f"{key} = {cell.value!r} ({cell.status})"
        for key, cell in report.keyed_cells(standard=True)
        if key not in listed and key.rsplit(".", 1)[0] in hidden and cell.value is not None
    ]
    if placed:
        raise AssertionError(f"{gold.stem}: values in rows whose labels are not in the excerpt:\n" + "\n".join(placed))


def test_invisible_rows_are_really_not_printed() -> None:
    """The label search on three excerpts, read by hand: 001 stops in the header of
    第二十条第(九)项 (table 三 not reached, but the stem of 一、本年新收… is in a table 二
    header), 029 inside the label of （二）部分公开 (its stem
    部分公 is there, so it counts as visible), 045 after the header of 第二十条 第(五)项."""
    hidden_001 = invisible_rows((WEB / "001.txt").read_text(encoding="utf-8"), "2019")
    assert "disclosure.procurement" in hidden_001
    assert {"disclosure.regulations", "disclosure.fees"}.isdisjoint(hidden_001)
    assert "applications.carried_over" in hidden_001
    assert "applications.new" not in hidden_001  # 本年新 is in the header 本年新 製作數量: checked less
    hidden_029 = invisible_rows((WEB / "029.txt").read_text(encoding="utf-8"), "2021")
    assert "applications.partially_granted" not in hidden_029
    assert {"applications.denied.state_secret", "applications.carried_forward"} <= hidden_029
    hidden_045 = invisible_rows((WEB / "045.txt").read_text(encoding="utf-8"), "2021")
    assert {"disclosure.licensing", "disclosure.fees"} <= hidden_045
    assert "disclosure.normative_documents" not in hidden_045
