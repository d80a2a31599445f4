"""Register the imaginary "2027" template and parse a report printed in it.

Run from anywhere after `pip install .`:  python examples/custom_template/run.py

In your own package, put the register_template call in the package's __init__.py
(see docs/extending.md); govreport itself is not edited.
"""

from __future__ import annotations

from pathlib import Path

import govreport
from govreport.checks import check

HERE = Path(__file__).resolve().parent

template = govreport.register_template(HERE / "template_2027.lark")  # reads template_2027.json beside it
report = govreport.parse((HERE / "sample_report_2027.txt").read_text(encoding="utf-8"))

print("template:", report.template, "| evidence:", ", ".join(report.template_evidence[-2:]))
print("行政许可 本年办结决定数量:", report.disclosure.licensing.completed_decisions)
print("6.无法联系到申请人 总计:", report.applications.not_processed.unreachable.total)
flat = govreport.flatten(report)
print(
    "flat keys:",
    len(flat),
    "| applications.not_processed.unreachable.total =",
    flat["applications.not_processed.unreachable.total"],
)
print("diagnostics:", len(report.diagnostics), "| failed checks:", sum(f.status == "failed" for f in check(report)))
print("registered:", ", ".join(t["name"] for t in govreport.templates()))
