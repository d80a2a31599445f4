"""Pathological inputs of any size, for the robustness tests and ``benchmarks/scaling.py``.

Each family builds a text of a requested size from a real report (seed 000, Luoyang, tab
layout).  ``alone`` families are the pathological pattern only; the others put the
pattern inside the report's table 三, so that it passes every stage (grammar, layout, cells,
checks) and not just the "is this a report?" test.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

SEED = (Path(__file__).parent / "data" / "seeds" / "000_bfa6ed85e05c204a.txt").read_text(encoding="utf-8")
# Where table 三's rows start in the seed: the pattern goes just before its first row.
_CUT = SEED.index("一、本年新收政府信息公开申请数量")


def _repeat(pattern: str, size: int) -> str:
    return (pattern * (size // len(pattern) + 1))[:size]


def _inside(block: str) -> str:
    return SEED[:_CUT] + block + "\n" + SEED[_CUT:]


def _noise(size: int) -> str:
    """OCR-like garbage: digits, separators, CJK label pieces and punctuation, fixed seed."""
    rng = random.Random(size)
    pieces = ["0", "12", "\t", "|", " ", "\n", "、", "(一)", "规章", "行政", "申请", "总计", "—", "/", "..", "三、"]
    out: list[str] = []
    length = 0
    while length < size:
        piece = rng.choice(pieces)
        out.append(piece)
        length += len(piece)
    return "".join(out)[:size]


# name → (what it is, text of about ``size`` characters plus, for the "inside" ones, the report)
FAMILIES: dict[str, tuple[str, Callable[[int], str]]] = {
    "report x n": ("the report pasted n times into one string", lambda size: _repeat(SEED, size)),
    "pipes alone": ("nothing but |", lambda size: "|" * size),
    "pipes": ("a line of | inside table 三", lambda size: _inside("|" * size)),
    "digits alone": ("one line of digits", lambda size: "1" * size),
    "digits": ("a row label then a line of digits", lambda size: _inside("(一)予以公开\t" + "7" * size)),
    "cells": ("one line of tab-separated zeros", lambda size: _inside("(一)予以公开" + _repeat("\t0", size))),
    "value lines": ("one number per line", lambda size: _inside(_repeat("1\n", size))),
    "headers": (
        "table headers, one per line",
        lambda size: _inside(_repeat("申请人情况\t自然人\t法人或其他组织\t总计\n", size)),
    ),
    "headings": (
        "section headings, over and over",
        lambda size: _inside(_repeat("三、收到和处理政府信息公开申请情况\n(一)\n", size)),
    ),
    "labels": ("row labels without values", lambda size: _inside(_repeat("(一)予以公开\n", size))),
    "garbage": ("OCR-like garbage of digits, separators and label pieces", lambda size: _inside(_noise(size))),
}
