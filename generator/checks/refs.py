"""Dangling references: every id the pack mentions must name an element that exists.

One pass collects every reference with the YAML place it is written at; each
``ref.unknown-<kind>`` check then reports the ones of its kind that do not resolve.
Steps are resolved within their flow: a ``next`` may not jump into another flow.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from generator.checks import check
from generator.checks._common import at, per_model, suggest
from generator.diagnostics import Diagnostic
from generator.model import Bound, Condition, Interval, Loc, Model, Waypoint
from generator.schema import KINDS


@dataclass(frozen=True, slots=True)
class Ref:
    kind: str
    target: str
    base: Loc
    """The element the reference is written in; ``tokens`` lead to the field."""
    tokens: tuple[str | int, ...]
    what: str
    """The referring field, as the sentence names it (e.g. ``环节 x 的执行岗位``)."""
    flow: str = ""
    """For steps that must belong to one flow."""
    step: str = ""
    """For outcomes: the decision step that must have it."""
    key: bool = False
    """Point at the mapping key (a case's choice is keyed by step id)."""

    def loc(self, model: Model) -> Loc:
        """Resolved only for references that are reported: most resolve fine."""
        return at(model, self.base, *self.tokens, key=self.key)


LABELS = {
    "step": "环节", "role": "岗位", "permission": "权限", "rule": "规则", "form": "表单",
    "stage": "命名环节", "decision_table": "决策表", "questionnaire": "问卷", "flow": "流程",
    "parameter": "参数", "outcome": "决策结果", "element": "元素或文件类型",
    "category": "规则类别",
}  # fmt: skip

_WHERE_DEFINED = {
    "step": "环节在 flows/ 下的流程文件中定义。",
    "role": "岗位在 roles.yaml 的 roles 中定义。",
    "permission": "权限在 roles.yaml 的 permissions 中定义。",
    "rule": "规则在 rules.yaml 中定义。",
    "form": "表单在 forms/ 下定义,标识写在表单文件的 id。",
    "stage": "命名环节在 pack.yaml 的 stages 中定义。",
    "decision_table": "决策表在 decisions/ 下定义。",
    "questionnaire": "问卷在 questionnaires/ 下定义。",
    "flow": "流程在 flows/ 下定义,标识写在流程文件的 id。",
    "parameter": "参数须先在 parameters.yaml 中定义。",
    "outcome": "决策结果是该决策环节 outcomes 中的 id。",
    "element": "写文件类型(如 rules、flow)或政策包中某个元素的标识。",
    "category": "规则类别在 rules.yaml 的 categories 中定义。",
}


@per_model
def references(model: Model) -> dict[str, list[Ref]]:
    """Every reference in the pack by kind (once per model: each ref check reads it)."""
    by_kind: dict[str, list[Ref]] = {kind: [] for kind in LABELS}
    for ref in _collect(model):
        by_kind[ref.kind].append(ref)
    return by_kind


def _collect(model: Model) -> Iterator[Ref]:
    def many(kind: str, ids: tuple[str, ...], loc: Loc, field: str, what: str,
             flow: str = "") -> Iterator[Ref]:
        for i, target in enumerate(ids):
            yield Ref(kind, target, loc, (field, i), what, flow=flow)

    if model.meta:
        m = model.meta
        yield from many("role", m.audience, m.loc, "audience", "政策包的适用对象")
        for source in m.sources:
            for sec in source.sections:
                base = Loc(m.loc.file, sec.line, sec.column, sec.pointer)
                yield from many("element", sec.covered_by, base, "covered_by",
                                f"来源文件 {source.id} 章节 {sec.citation} 的对应内容")
    for perm in model.permissions.values():
        yield from many("rule", perm.rules, perm.loc, "rules", f"权限 {perm.id} 的依据规则")
    for role in model.roles.values():
        if role.part_of:
            yield Ref("role", role.part_of, role.loc, ("part_of",),
                      f"岗位 {role.id} 的所属机构")
        yield from many("permission", role.permissions, role.loc, "permissions",
                        f"岗位 {role.id} 的权限")
    for param in model.parameters.values():
        yield from many("rule", param.rules, param.loc, "rules", f"参数 {param.id} 的相关规则")
    for rule in model.rules.values():
        yield Ref("category", rule.category, rule.loc, ("category",), f"规则 {rule.id} 的类别")
        yield from many("parameter", rule.parameters, rule.loc, "parameters",
                        f"规则 {rule.id} 的所用参数")
        for c in rule.constraints:
            yield Ref("flow", c.flow, c.loc, ("flow",), f"规则 {rule.id} 的路径约束")
            yield from many("step", c.to, c.loc, "to", f"规则 {rule.id} 的路径约束终点",
                            flow=c.flow)
            for w in c.in_order:
                yield from _waypoint_refs(model, w, c.flow, rule.id)
    for flow in model.flows.values():
        yield from many("role", flow.actors, flow.loc, "actors", f"流程 {flow.id} 的参与岗位")
        for loop in flow.loops:
            yield Ref("step", loop.from_step, loop.loc, ("from",),
                      f"流程 {flow.id} 声明的回路起点", flow=flow.id)
            yield Ref("step", loop.to_step, loop.loc, ("to",),
                      f"流程 {flow.id} 声明的回路终点", flow=flow.id)
    for step in model.steps.values():
        of = f"环节 {step.id} 的"
        for field, kind, value in (
            ("stage", "stage", step.stage), ("actor", "role", step.actor),
            ("permission", "permission", step.permission),
            ("decision_table", "decision_table", step.decision_table),
            ("questionnaire", "questionnaire", step.questionnaire),
            ("continues_in", "flow", step.continues_in),
        ):
            if value:
                yield Ref(kind, value, step.loc, (field,), of + _FIELD[field])
        if step.next:
            yield Ref("step", step.next, step.loc, ("next",), of + "下一环节",
                      flow=step.flow)
        for o in step.outcomes:
            yield Ref("step", o.next, o.loc, ("next",),
                      f"{of}决策结果 {o.id} 的下一环节", flow=step.flow)
        for io in (*step.inputs, *step.outputs):
            if io.kind == "form":
                yield Ref("form", io.value, io.loc, (), of + "输入输出")
        yield from many("rule", step.rules, step.loc, "rules", of + "执行规则")
    for table in model.decision_tables.values():
        yield from many("rule", table.rules, table.loc, "rules", f"决策表 {table.id} 的依据规则")
        for row in table.rows:
            yield from many("rule", row.rules, row.loc, "rules",
                            f"决策表 {table.id} 第 {row.id} 行的依据规则")
            for name, cond in row.when.items():
                for bound_key, bound in _bounds(cond):
                    if bound.parameter:
                        yield Ref("parameter", bound.parameter,
                                  cond.loc, (bound_key,),
                                  f"决策表 {table.id} 第 {row.id} 行 {name} 的界限")
    for q in model.questionnaires.values():
        yield from many("rule", q.rules, q.loc, "rules", f"问卷 {q.id} 的依据规则")
        if q.validity:
            yield Ref("parameter", q.validity, q.loc, ("validity",),
                      f"问卷 {q.id} 的有效期")
    for form in model.forms.values():
        if form.questionnaire:
            yield Ref("questionnaire", form.questionnaire, form.loc, ("questionnaire",),
                      f"表单 {form.id} 所含问卷")
        yield from many("rule", form.rules, form.loc, "rules", f"表单 {form.id} 的依据规则")
        for fld in form.fields:
            yield Ref("step", fld.filled_at, fld.loc, ("filled_at",),
                      f"表单 {form.id} 字段 {fld.id} 的填写环节")
            yield from many("rule", fld.rules, fld.loc, "rules",
                            f"表单 {form.id} 字段 {fld.id} 的依据规则")
    for cl in model.checklists.values():
        if cl.flow:
            yield Ref("flow", cl.flow, cl.loc, ("flow",), f"清单 {cl.id} 的所属流程")
        if cl.collect_role:
            yield Ref("role", cl.collect_role, cl.loc, ("collect", "role"),
                      f"清单 {cl.id} 汇集的岗位")
        for item in cl.own_items:
            of = f"清单 {cl.id} 检查项 {item.id} 的"
            yield Ref("step", item.step, item.loc, ("step",), of + "对应环节")
            if item.role:
                yield Ref("role", item.role, item.loc, ("role",), of + "执行岗位")
            yield from many("rule", item.rules, item.loc, "rules", of + "依据规则")
    for script in model.scripts.values():
        yield Ref("step", script.step, script.loc, ("step",),
                  f"话术 {script.id} 的对应环节")
    if model.target_clients:
        t = model.target_clients
        for i, rule_id in enumerate(t.standard_rules):
            yield Ref("rule", rule_id, t.loc, ("standard", "rules", i),
                      "目标客户标准的依据规则")
        for topic in t.mining:
            yield from many("parameter", topic.parameters, topic.loc, "parameters",
                            f"存量客户挖掘 {topic.id} 的所用参数")
    for case in model.cases.values():
        yield from many("rule", case.rules, case.loc, "rules", f"案例 {case.id} 的规则")
        kind = {"decision": "decision_table", "questionnaire": "questionnaire",
                "flow": "flow"}[case.kind]
        yield Ref(kind, case.target, case.loc, (case.kind,), f"案例 {case.id}")
        for name, param_id in case.parameters.items():
            yield Ref("parameter", param_id, case.loc, ("input", name, "param"),
                      f"案例 {case.id} 输入 {name} 所依据的参数")
        if case.kind == "flow":
            for step_id, outcome in case.given.items():
                where = ("choices", step_id)
                yield Ref("step", step_id, case.loc, where, f"案例 {case.id} 的决策选择",
                          flow=case.target, key=True)
                yield Ref("outcome", str(outcome), case.loc, where, f"案例 {case.id} 的决策选择",
                          step=step_id)
            end = case.expect.get("end")
            if isinstance(end, str):
                yield Ref("step", end, case.loc, ("expect", "end"),
                          f"案例 {case.id} 的预期结束环节", flow=case.target)
            for i, step_id in enumerate(case.expect.get("visits", ())):
                yield Ref("step", step_id, case.loc, ("expect", "visits", i),
                          f"案例 {case.id} 的预期途经环节", flow=case.target)


_FIELD = {
    "stage": "所属命名环节", "actor": "执行岗位", "permission": "所需权限",
    "decision_table": "决策表", "questionnaire": "问卷", "continues_in": "后续流程",
}  # fmt: skip


def _bounds(cond: Condition) -> Iterator[tuple[str, Bound]]:
    if isinstance(cond, Interval):
        if cond.low is not None:
            yield ("gte" if cond.low_inclusive else "gt"), cond.low
        if cond.high is not None:
            yield ("lte" if cond.high_inclusive else "lt"), cond.high


def _waypoint_refs(model: Model, w: Waypoint, flow: str, rule: str) -> Iterator[Ref]:
    what = f"规则 {rule} 的途经点"
    for sub in w.any_of:
        yield from _waypoint_refs(model, sub, flow, rule)
    if w.stage:
        yield Ref("stage", w.stage, w.loc, ("stage",), what)
    if w.step:
        yield Ref("step", w.step, w.loc, ("step",), what, flow=flow)
        if w.outcome:
            yield Ref("outcome", w.outcome, w.loc, ("outcome",), what, step=w.step)


# --- resolution -----------------------------------------------------------------------------


def _known(model: Model, kind: str) -> set[str]:
    if kind == "element":
        ids: set[str] = set(KINDS)
        for _kind, key, _prov, _loc in model.elements():
            ids.add(key)
        return ids
    if kind == "stage":
        return {s.id for s in model.meta.stages} if model.meta else set()
    table: dict[str, Mapping[str, object]] = {
        "step": model.steps, "role": model.roles, "permission": model.permissions,
        "rule": model.rules, "form": model.forms, "decision_table": model.decision_tables,
        "questionnaire": model.questionnaires, "flow": model.flows,
        "parameter": model.parameters, "category": model.categories,
    }
    return set(table[kind])


def unknown(model: Model, kind: str) -> Iterator[Diagnostic]:
    refs = references(model)[kind]
    if not refs:
        return
    known = _known(model, kind) if kind != "outcome" else set()
    label = LABELS[kind]
    check_id = "ref.unknown-" + kind.replace("_", "-")
    for ref in refs:
        if kind == "outcome":
            step = model.steps.get(ref.step)
            if step is None or step.type != "decision":
                continue  # the step reference is reported by ref.unknown-step or case checks
            options = [o.id for o in step.outcomes]
            if ref.target in options:
                continue
            yield ref.loc(model).diagnostic(
                check_id, f"{ref.what}引用了决策环节 {ref.step} 没有的结果 “{ref.target}”。",
                suggest(ref.target, options) + f"该环节的结果有:{'、'.join(options)}。")
            continue
        if kind == "step" and ref.flow:
            flow = model.flows.get(ref.flow)
            if flow is None:
                continue  # the flow reference is reported by ref.unknown-flow
            step = model.steps.get(ref.target)
            if step is not None and step.flow == ref.flow:
                continue
            elsewhere = f"(它属于流程 {step.flow})" if step else ""
            yield ref.loc(model).diagnostic(
                check_id,
                f"{ref.what}引用的环节 “{ref.target}” 不在流程 {ref.flow} 中{elsewhere}。",
                suggest(ref.target, [s.id for s in flow.steps])
                + "流程内的引用只能指向同一流程的环节;流程之间用结束环节的 continues_in 衔接。")
            continue
        if ref.target in known:
            continue
        yield ref.loc(model).diagnostic(
            check_id, f"{ref.what}引用了不存在的{label} “{ref.target}”。",
            suggest(ref.target, known) + _WHERE_DEFINED[kind])


def _register(kind: str, summary: str) -> None:
    def run(model: Model) -> Iterator[Diagnostic]:
        return unknown(model, kind)

    run.__name__ = f"unknown_{kind}"
    check("ref.unknown-" + kind.replace("_", "-"), summary)(run)


for _kind, _label in LABELS.items():
    _register(_kind, f"引用的{_label}必须存在{'(且在同一流程中)' if _kind == 'step' else ''}。")
