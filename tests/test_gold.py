"""Parsed reports against the hand-read gold values (tests/data/gold, tests/data/external)."""

from __future__ import annotations

import pytest
from conftest import gold_cells, read_gold, read_text

import govreport

EXACT = [
    ("seeds/000_bfa6ed85e05c204a.txt", "gold/000_bfa6ed85e05c204a.json"),
    ("seeds/002_feb0df35534c8ae6.txt", "gold/002_feb0df35534c8ae6.json"),
    ("external/hzq2023.txt", "external/hzq2023.json"),
    ("external/hzq2024.txt", "external/hzq2024.json"),
    ("external/szfgs2024.txt", "external/szfgs2024.json"),
]
# OCR-damaged seeds: every value is the gold value or None with a diagnostic.
NEVER_WRONG = [
    ("seeds/003_76030b88ce706a45.txt", "gold/003_76030b88ce706a45.json"),
    ("seeds/004_2c53d4ed00bed9fe.txt", "gold/004_2c53d4ed00bed9fe.json"),
]


@pytest.mark.parametrize(("text", "gold"), EXACT)
def test_flatten_equals_gold(text: str, gold: str) -> None:
    report = govreport.parse(read_text(text))
    g = read_gold(gold)
    assert govreport.flatten(report, meta=False) == gold_cells(gold)
    assert report.template == g["template"]
    assert report.meta.year == g["year"]
    assert report.diagnostics == ()


@pytest.mark.parametrize(("text", "gold"), NEVER_WRONG)
def test_noisy_seed_has_no_wrong_value(text: str, gold: str) -> None:
    # Without inference: every value is the gold value, or None with a diagnostic.
    report = govreport.parse(read_text(text), infer=False)
    g = gold_cells(gold)
    flat = govreport.flatten(report, meta=False)
    assert set(flat) == set(g)
    diagnosed = {k for d in report.diagnostics for k in d.keys}
    for key, value in flat.items():
        if value is None:
            assert key in diagnosed, f"{key} is None without a diagnostic"
        else:
            assert value == g[key], key


@pytest.mark.parametrize(("text", "gold"), NEVER_WRONG)
def test_noisy_seed_is_complete_after_inference(text: str, gold: str) -> None:
    # The cells lost by OCR are determined by the arithmetic; inference fills them
    # and marks them, and never changes a printed value.
    report = govreport.parse(read_text(text))
    g = read_gold(gold)
    assert govreport.flatten(report, meta=False) == gold_cells(gold)
    inferred = set(govreport.inferred_keys(report))
    assert set(g["absent"]) <= inferred
    printed = govreport.statuses(govreport.parse(read_text(text), infer=False))
    assert all(printed[k] in ("missing", "blank") for k in inferred)
    assert {d.keys[0] for d in report.diagnostics if d.code == "inferred"} == inferred


def test_flatten_keys_are_the_public_contract(data_dir) -> None:
    tsv = [
        ln.split("\t")[0]
        for ln in (data_dir / "keys-2021.tsv").read_text(encoding="utf-8").splitlines()
        if ln and not ln.startswith("#")
    ]
    report = govreport.parse(read_text("seeds/000_bfa6ed85e05c204a.txt"))
    flat = govreport.flatten(report)
    assert list(flat)[: len(govreport.META_KEYS)] == list(govreport.META_KEYS)
    assert list(flat)[len(govreport.META_KEYS) :] == tsv
    assert govreport.get_template("2021").keys() == tsv


def test_single_row_other_handling_variant_uses_its_own_keys() -> None:
    report = govreport.parse(read_text("external/hzq2024.txt"))
    flat = govreport.flatten(report, meta=False)
    assert "applications.other_handling.total" in flat
    assert "applications.other_handling.misc.total" not in flat
    assert govreport.flat_keys(report) == [k for k in flat]


def test_seed_001_is_read_as_the_2019_format() -> None:
    report = govreport.parse(read_text("seeds/001_29ed77745b82a4d4.txt"))
    g = read_gold("gold/001_29ed77745b82a4d4.json")
    assert report.template == "2019" == g["template"]
    assert any("本年新制作数量" in e for e in report.template_evidence)
    assert govreport.flatten(report, meta=False) == gold_cells("gold/001_29ed77745b82a4d4.json")
    # Table 四 prints 16 zeros under 15 column headers: the 16th is reported, not dropped.
    (diagnostic,) = report.diagnostics
    assert diagnostic.code == "unplaced-value" and diagnostic.raw == "0" and diagnostic.line == 75


@pytest.mark.parametrize(
    ("text", "template"),
    [(t, "2021") for t, _ in EXACT + NEVER_WRONG] + [("seeds/001_29ed77745b82a4d4.txt", "2019")],
)
def test_template_is_detected_from_the_tables(text: str, template: str) -> None:
    assert govreport.parse(read_text(text)).template == template


def test_2019_flatten_keys_are_the_public_contract(data_dir) -> None:
    tsv = [
        ln.split("\t")[0]
        for ln in (data_dir / "keys-2019.tsv").read_text(encoding="utf-8").splitlines()
        if ln and not ln.startswith("#")
    ]
    assert govreport.get_template("2019").keys() == tsv
    report = govreport.parse(read_text("seeds/001_29ed77745b82a4d4.txt"))
    assert list(govreport.flatten(report, meta=False)) == tsv


def test_templates_lists_both_formats() -> None:
    listed = {t["name"]: t for t in govreport.templates()}
    assert listed["2019"]["years"] == (2019, 2020)
    assert listed["2021"]["years"][0] == 2021
    assert "disclosure.procurement.amount" in listed["2019"]["keys"]
    assert "disclosure.fees.amount" in listed["2021"]["keys"]
