"""A control in words a compliance officer reads: what it checks, with the parameters'
values filled in (``开立后7天内``), for the handbook's control pages and the reports."""

from __future__ import annotations

from generator.model import Model
from generator.model.registers import Condition, Control

_OPS = {"=": "等于", "!=": "不等于", "<": "小于", "<=": "不大于", ">": "大于", ">=": "不小于"}
_CHECKS = {"each": "逐行条件", "count": "按组计数", "rate": "按组比例", "reference": "引用核对",
           "within": "期限"}


def check_label(control: Control) -> str:
    return _CHECKS[control.check]


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return f"“{value}”" if isinstance(value, str) else str(value)


def condition_words(model: Model, cond: Condition) -> str:
    if cond.op in ("all", "any"):
        joiner = " 且 " if cond.op == "all" else " 或 "
        inner = joiner.join(condition_words(model, p) for p in cond.parts)
        return f"({inner})" if len(cond.parts) > 1 else inner
    if cond.op == "not":
        return f"并非 {condition_words(model, cond.parts[0])}"
    if cond.op == "in":
        return f"{cond.column} 为 {'、'.join(_scalar(v) for v in cond.values)} 之一"
    if cond.op == "present":
        return f"{cond.column} {'有值' if cond.present else '为空'}"
    if cond.param:
        param = model.parameters.get(cond.param)
        operand = f"{param.title}({param.display})" if param else cond.param
    elif cond.to_column:
        operand = cond.to_column
    else:
        operand = _scalar(cond.value)
    return f"{cond.column} {_OPS.get(cond.operator, cond.operator)} {operand}"


def _param(model: Model, param_id: str) -> str:
    param = model.parameters.get(param_id)
    return f"{param.title}({param.display})" if param else param_id


def control_words(model: Model, control: Control) -> str:
    """One sentence: which rows, and what they must satisfy."""
    rows = f"登记簿 {control.register} 中"
    if control.where:
        rows += f"满足 {condition_words(model, control.where)} 的"
    rows += "每一行"
    groups = f"按 {'、'.join(control.group_by)} 分组的每一组" if control.group_by else "全部行"
    if control.check == "each" and control.require:
        return f"{rows}须满足:{condition_words(model, control.require)}。"
    if control.check == "count" and control.bound:
        limit = "不超过" if control.bound.direction == "at_most" else "不少于"
        scope = rows.removesuffix("每一行") + "行"
        return f"{scope},{groups}行数{limit}{_param(model, control.bound.param)}。"
    if control.check == "rate" and control.bound and control.require:
        limit = "不超过" if control.bound.direction == "at_most" else "不低于"
        scope = rows.removesuffix("每一行") + "行"
        return (f"{scope},{groups}中满足 {condition_words(model, control.require)} 的行"
                f"所占比例{limit}{_param(model, control.bound.param)}。")
    if control.check == "reference" and (ref := control.reference):
        text = f"{rows}的 {ref.column} 有值时,须是登记簿 {ref.register} 中某一行的主键"
        if ref.match:
            text += ",且" + "、".join(f"该行 {a} 与本行 {b} 相同" for a, b in ref.match)
        if ref.require:
            text += f",且该行满足 {condition_words(model, ref.require)}"
        return text + "。"
    if control.check == "within" and (w := control.within):
        date = w.date or "审计基准日"
        return (f"{rows}的 {w.after} 有值时,{date}须不晚于 {w.after} 起"
                f"{_param(model, w.period)}" + ("(为空且期限已过亦属违规)" if w.date else "")
                + "。")
    return ""
