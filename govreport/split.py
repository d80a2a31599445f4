"""Glued digits → cells, only where the table's arithmetic leaves exactly one reading.

A crawler that takes a page's text without its cell separators prints a row as one run of
digits (``行政规范性文件77132470``, ``00110002``).  A run of ``n`` digits for ``k`` cells has
up to C(n-1, k-1) readings; most are excluded because no count is printed with a leading
zero, and the rest are weighed against the template's relations (row totals within the
run, column totals across runs and printed cells).  A run is split only when exactly one
reading survives *and* a relation checked it: digits alone never decide, because a glued
row may have lost blank cells (``10``, blank, ``5`` prints ``105``, which digits alone would
read as 1, 0, 5).  Every split cell has status ``split`` and a ``split-run`` diagnostic
names the run; a run left unsplit keeps its cells ``unresolved`` with the reason.

The search is bounded (``MAX_READINGS`` per run, ``MAX_COMBINATIONS`` per relation), so a
hostile run costs a bounded amount of work and is reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product
from math import prod

from attrs import frozen
from lark import Token

from .model import Number
from .relations import Relation
from .templates import Column

MAX_READINGS = 2000  # readings of one run kept for the cross-run checks
MAX_STEPS = 50_000  # search steps for one run's readings (a real row needs at most about 10,000)
MAX_TABLE_STEPS = 250_000  # search steps for all the runs of one table
MAX_COMBINATIONS = 100_000  # joint readings tried for one relation
MAX_PASSES = 8  # rounds of narrowing the runs' readings against each other


@frozen
class GluedRun:
    """A run of digits printed where ``keys`` (flat keys, in order) expect one cell each."""

    token: Token
    keys: tuple[str, ...]


@frozen
class RunReading:
    """What the arithmetic made of a run: ``values`` when exactly one reading survived and
    a relation checked it, otherwise None and ``reason``."""

    run: GluedRun
    values: tuple[int, ...] | None
    reason: str = ""


def is_glued(text: str, columns: Sequence[Column]) -> bool:
    """A run of plain digits long enough to hold a cell of each of ``columns`` (more than one,
    and all counts: an amount's digits cannot be told from its decimal point's absence)."""
    return (
        len(columns) > 1
        and text.isdigit()
        and text.isascii()
        and len(text) >= len(columns)
        and all(c.type != "decimal" for c in columns)
    )


def read_runs(
    runs: Sequence[GluedRun], known: dict[str, Number | None], relations: Sequence[Relation]
) -> list[RunReading]:
    """Split each run where the relations leave exactly one reading.

    ``known``: the table's printed values by flat key (None for a cell that is blank,
    missing or not a number: a relation naming it checks nothing).
    """
    of_key = {key: n for n, run in enumerate(runs) for key in run.keys}
    candidates: list[list[tuple[int, ...]] | None] = []
    unchecked: list[bool] = []
    checked: list[bool] = []
    budget = MAX_TABLE_STEPS
    for run in runs:
        keys = set(run.keys)
        unchecked.append(not any(keys & set(r.keys()) for r in relations))
        if unchecked[-1]:
            candidates.append([])  # nothing can check it: not searched
            checked.append(False)
            continue
        inside = [r for r in relations if keys >= set(r.keys())]
        found, steps = _readings(str(run.token), run.keys, inside, min(MAX_STEPS, budget))
        budget = max(0, budget - steps)
        candidates.append(found)
        checked.append(bool(found) and bool(inside))
    settled = _narrow(runs, candidates, checked, of_key, known, relations)
    out = []
    for n, run in enumerate(runs):
        found = candidates[n]
        if unchecked[n]:
            out.append(RunReading(run, None, "no relation of the table checks it (a blank cell may be hidden)"))
        elif found is None or not settled:
            out.append(RunReading(run, None, "too many ways to read it to search them all"))
        elif not found:
            out.append(RunReading(run, None, "no reading of its digits satisfies the table's arithmetic"))
        elif len(found) > 1:
            out.append(RunReading(run, None, f"{len(found)} readings satisfy the table's arithmetic"))
        elif not checked[n]:
            out.append(RunReading(run, None, "no relation of the table checks it (a blank cell may be hidden)"))
        else:
            out.append(RunReading(run, found[0]))
    return out


def _readings(
    digits: str, keys: Sequence[str], inside: Sequence[Relation], limit: int = MAX_STEPS
) -> tuple[list[tuple[int, ...]] | None, int]:
    """Every reading of ``digits`` as ``len(keys)`` counts without leading zeros that satisfies
    the relations lying wholly inside the run, and the steps the search took.  None when there
    are more than ``MAX_READINGS`` or the search takes more than ``limit`` steps."""
    search = _Search(digits, keys, inside, limit)
    row_total = next((r for r in inside if _is_row_total(r, keys)), None)
    found = search.by_total(row_total) if row_total is not None else search.walk(0, [])
    return (search.out if found else None), search.steps


def _is_row_total(relation: Relation, keys: Sequence[str]) -> bool:
    """``last = every other key of the run``, all added: the row total of table 三."""
    terms = relation.terms()
    return (
        relation.total == keys[-1]
        and all(sign > 0 for sign, _ in terms)
        and sorted(k for _, k in terms) == sorted(keys[:-1])
    )


class _Search:
    """The readings of one run: a depth-first walk over where each cell ends, with every
    relation checked as soon as its cells are read, and a total whose addends are read taking
    the one value they give; or, for a row total, each total tried and the cells before it
    split to add up to it (a cell is never larger than what is left of the total)."""

    def __init__(self, digits: str, keys: Sequence[str], inside: Sequence[Relation], limit: int) -> None:
        self.digits = digits
        self.limit = limit
        self.width = len(keys)
        self.position = {key: i for i, key in enumerate(keys)}
        self.due: dict[int, list[Relation]] = {}
        self.forced: dict[int, Relation] = {}
        for relation in inside:
            last = max(self.position[k] for k in relation.keys())
            self.due.setdefault(last, []).append(relation)
            if self.position[relation.total] == last:
                self.forced.setdefault(last, relation)
        self.out: list[tuple[int, ...]] = []
        self.steps = 0
        self.incomplete = False  # a limit cut the search short: the readings found are not all

    def _step(self) -> bool:
        self.steps += 1
        if self.steps > self.limit:
            self.incomplete = True
        return not self.incomplete

    def _holds(self, relation: Relation, parts: Sequence[int]) -> bool:
        total = parts[self.position[relation.total]]
        return total == sum(sign * parts[self.position[k]] for sign, k in relation.terms())

    def _sizes(self, at: int, left: int, parts: Sequence[int]) -> Sequence[int]:
        rest = len(self.digits) - at
        relation = self.forced.get(len(parts))
        if relation is not None:  # a total whose addends are read: its value is known
            value = sum(sign * parts[self.position[k]] for sign, k in relation.terms())
            text = str(value)
            fits = value >= 0 and self.digits.startswith(text, at) and (left > 1 or len(text) == rest)
            return (len(text),) if fits else ()
        if left == 1:
            return (rest,) if self.digits[at] != "0" or rest == 1 else ()
        return range(1, 2 if self.digits[at] == "0" else rest - left + 2)

    def walk(self, at: int, parts: list[int]) -> bool:
        left = self.width - len(parts)
        if left == 0:
            if at == len(self.digits):
                self.out.append(tuple(parts))
            return len(self.out) <= MAX_READINGS
        for size in self._sizes(at, left, parts):
            if not self._step():
                return False
            parts.append(int(self.digits[at : at + size]))
            if all(self._holds(r, parts) for r in self.due.get(len(parts) - 1, ())) and not self.walk(at + size, parts):
                parts.pop()
                return False
            parts.pop()
        return True

    def by_total(self, relation: Relation) -> bool:
        digits, addends = self.digits, self.width - 1
        order = [self.position[k] for _, k in relation.terms()]
        for size in range(1, len(digits) - addends + 1):
            total_text = digits[len(digits) - size :]
            if size > 1 and total_text[0] == "0":
                continue
            prefix = digits[: len(digits) - size]
            for split in self._adding_up(prefix, 0, addends, int(total_text), {}):
                parts = [0] * self.width
                for index, value in zip(order, split, strict=True):
                    parts[index] = value
                parts[-1] = int(total_text)
                if all(self._holds(r, parts) for rs in self.due.values() for r in rs):
                    self.out.append(tuple(parts))
                if len(self.out) > MAX_READINGS or not self._step():
                    return False
            if self.incomplete:
                return False
        return True

    def _adding_up(
        self, text: str, at: int, count: int, target: int, memo: dict[tuple[int, int, int], list[tuple[int, ...]]]
    ) -> list[tuple[int, ...]]:
        """The splits of ``text[at:]`` into ``count`` counts adding up to ``target``."""
        key = (at, count, target)
        if key in memo:
            return memo[key]
        rest = len(text) - at
        found: list[tuple[int, ...]] = []
        if count == 1:
            if rest and (text[at] != "0" or rest == 1) and int(text[at:]) == target:
                found.append((target,))
        elif count <= rest <= count * len(str(target)):
            longest = 1 if text[at] == "0" else min(len(str(target)), rest - count + 1)
            for size in range(1, longest + 1):
                value = int(text[at : at + size])
                if value > target or not self._step():
                    break
                found.extend(
                    (value, *tail) for tail in self._adding_up(text, at + size, count - 1, target - value, memo)
                )
                if len(found) > MAX_READINGS:
                    break
        memo[key] = found
        return found


def _narrow(
    runs: Sequence[GluedRun],
    candidates: list[list[tuple[int, ...]] | None],
    checked: list[bool],
    of_key: dict[str, int],
    known: dict[str, Number | None],
    relations: Sequence[Relation],
) -> bool:
    """Drop each run's readings that no joint reading of the other runs in a relation can
    complete; repeat until nothing changes (True), or give up after ``MAX_PASSES`` rounds
    (False: what is left may not all be consistent).  A relation with a term that is
    neither printed nor in a run checks nothing."""
    changed, passes = True, 0
    while changed and passes < MAX_PASSES:
        changed, passes = False, passes + 1
        for relation in relations:
            involved = sorted({of_key[k] for k in relation.keys() if k in of_key})
            if not involved or any(k not in of_key and known.get(k) is None for k in relation.keys()):
                continue
            if len(involved) == 1 and all(k in runs[involved[0]].keys for k in relation.keys()):
                continue  # applied while reading the run
            options = [candidates[n] or [] for n in involved]
            if any(candidates[n] is None for n in involved) or prod(map(len, options)) > MAX_COMBINATIONS:
                continue
            kept: list[set[tuple[int, ...]]] = [set() for _ in involved]
            printed = {k: known.get(k) for k in relation.keys() if k not in of_key}
            for combo in product(*options):
                values = dict(printed)
                for n, reading in zip(involved, combo, strict=True):
                    values.update(zip(runs[n].keys, reading, strict=True))
                total = values[relation.total]
                if total == sum(sign * (values[k] or 0) for sign, k in relation.terms()):
                    for slot, reading in enumerate(combo):
                        kept[slot].add(reading)
            for slot, n in enumerate(involved):
                checked[n] = True
                current = candidates[n] or []
                narrowed = [r for r in current if r in kept[slot]]
                if len(narrowed) != len(current):
                    candidates[n] = narrowed
                    changed = True
    return not changed
