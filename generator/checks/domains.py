"""What a case or a document claims against what it declares: case inputs inside
their decision input's declared range, and printed document codes used once."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import at
from generator.diagnostics import Diagnostic
from generator.model import Model


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


@check("case.input-out-of-domain",
       "决策案例的数值输入在决策表为该输入声明的最小值和最大值之间。")
def input_out_of_domain(model: Model) -> Iterator[Diagnostic]:
    # An enum input's values are checked where the case runs (case.invalid).
    for case in model.cases.values():
        table = model.decision_tables.get(case.target) if case.kind == "decision" else None
        if table is None:
            continue
        inputs = {i.id: i for i in table.inputs}
        for name, value in case.given.items():
            spec, x = inputs.get(name), _number(value)
            if spec is None or spec.type != "number" or x is None:
                continue
            low = spec.minimum is not None and x < spec.minimum
            high = spec.maximum is not None and x > spec.maximum
            if not (low or high):
                continue
            bounds = (f"不小于 {spec.minimum:g}" if spec.minimum is not None else "",
                      f"不大于 {spec.maximum:g}" if spec.maximum is not None else "")
            shown = case.shown.get(name, f"{value}")
            yield at(model, case.loc, "input", name).diagnostic(
                "case.input-out-of-domain",
                f"案例 {case.id} 的输入 {name} = {shown}{spec.unit} 超出了决策表 {table.id} "
                f"为它声明的范围({'、'.join(b for b in bounds if b)})。",
                "改正案例的输入;如果确有这样的情形,放宽决策表 inputs 中该输入的 "
                "minimum / maximum。")


@check("ref.duplicate-code", "每张表单和检查清单的编号都只使用一次。")
def duplicate_code(model: Model) -> Iterator[Diagnostic]:
    seen: dict[str, str] = {}
    documents = [("表单", d) for d in model.forms.values()] + \
        [("检查清单", d) for d in model.checklists.values()]
    for label, doc in documents:
        if not doc.code:
            continue
        first = seen.setdefault(doc.code, f"{label} {doc.id}")
        if first != f"{label} {doc.id}":
            yield at(model, doc.loc, "code").diagnostic(
                "ref.duplicate-code",
                f"{label} {doc.id} 的编号 {doc.code} 已由{first} 使用。",
                "每份打印文件的编号须唯一(员工和档案按编号找表单与清单);改用一个新的编号。")
