"""``flatten(report)``: the report as one flat dict with the canonical keys.

The keys are the public data contract (``docs/data-model.md``): ``meta.*`` first,
then the table cells in the order of the template's key list.
"""

from __future__ import annotations

from typing import Any

from .model import Report
from .registry import get_template

META_KEYS = ("meta.template", "meta.title", "meta.agency", "meta.year", "meta.signed_on", "meta.signed_by")


def flat_keys(report: Report) -> list[str]:
    """The cell keys ``flatten`` gives for this report, in order.

    These are the template's keys, except that a 2021 report printing
    （六）其他处理 as a single row has ``applications.other_handling.<column>``
    in place of the keys of the three sub-rows.
    """
    template = get_template(report.template)
    keys: list[str] = []
    for table in report.tables:
        printed = {row.key for row in table.rows}
        for spec in template.table_rows(table.name):
            if spec.key in printed:
                keys.extend(spec.keys())
    return keys


def flatten(report: Report, *, meta: bool = True) -> dict[str, Any]:
    """``{"meta.year": 2022, ..., "applications.new.total": 0, ...}``.

    Counts are ``int``, money ``decimal.Decimal``, blank or unreadable cells ``None``.
    """
    out: dict[str, Any] = {}
    if meta:
        out.update(
            {
                "meta.template": report.template,
                "meta.title": report.meta.title,
                "meta.agency": report.meta.agency,
                "meta.year": report.meta.year,
                "meta.signed_on": report.meta.signed_on,
                "meta.signed_by": report.meta.signed_by,
            }
        )
    out.update((key, cell.value) for key, cell in report.keyed_cells(standard=True))
    return out
