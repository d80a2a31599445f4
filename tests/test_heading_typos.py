"""A misprinted table heading never pulls table 四's values into the table above (issue 15).

Real headings carry typos (``四、因政府信息公开工作被申请行政法复议…``) or lose the words a
section is known by (复议, 诉讼).  Consistent reports of both formats are printed in every
layout with such a heading; every value must come back as printed.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render import HEADINGS, RENDERERS
from strategies import flat_values, reports

import govreport

HEADING = dict(HEADINGS)["appeals"]
TYPOS = (
    "四、因政府信息公开工作被申请行政法复议、提起行政诉讼情况",
    "四、政府信息公开行政夏议、行政拆讼情况",  # neither 复议 nor 诉讼
    "四、政府信息公开工作情况",
    "四、政府信息公开行政复议、行政诉讼情况（单位：件）",
)


@pytest.mark.parametrize("layout", sorted(RENDERERS))
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_misprinted_heading_moves_no_value(layout: str, data: st.DataObject) -> None:
    report = data.draw(reports(data.draw(st.sampled_from(("2019", "2021"))), spans=False))
    typo = data.draw(st.sampled_from(TYPOS))
    text = RENDERERS[layout](report)
    assert HEADING in text
    parsed = govreport.parse(text.replace(HEADING, typo))
    assert govreport.flatten(parsed, meta=False) == flat_values(report)
