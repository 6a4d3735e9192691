"""Who may do what: a step is performed only by a role that holds the step's
permission. Roles and permissions are policy (roles.yaml), never code."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import at
from generator.diagnostics import Diagnostic, Severity
from generator.model import Model


def _holders(model: Model, permission: str) -> list[str]:
    return [r.id for r in model.roles.values() if permission in r.permissions]


@check("role.not-permitted", "环节的执行岗位(及检查项的岗位)拥有环节所需的权限。")
def not_permitted(model: Model) -> Iterator[Diagnostic]:
    for step in model.steps.values():
        role = model.roles.get(step.actor)
        if role is None or not step.permission or step.permission not in model.permissions:
            continue  # missing ids are reported by the ref checks
        if step.permission in role.permissions:
            continue
        holders = _holders(model, step.permission)
        yield at(model, step.loc, "actor").diagnostic(
            "role.not-permitted",
            f"环节 {step.id}({step.title})由 {role.name}({role.id})执行,"
            f"但该岗位没有所需权限 {step.permission}。",
            (f"改由拥有该权限的岗位执行({'、'.join(holders)}),"
             if holders else "目前没有岗位拥有该权限;")
            + f"或在 roles.yaml 中给 {role.id} 授予 {step.permission}(须有制度依据)。")
    for item in model.all_checklist_items():
        done_at = model.steps.get(item.step)
        role = model.roles.get(item.role) if item.role else None
        if role is None or done_at is None or not done_at.permission:
            continue
        if done_at.permission in role.permissions:
            continue
        yield at(model, item.loc, "role").diagnostic(
            "role.not-permitted",
            f"检查项 {item.id} 由 {role.name}({role.id})完成,但该岗位没有环节 {done_at.id} "
            f"所需的权限 {done_at.permission}。",
            "删除 role 让检查项默认由环节的执行岗位完成,或改为拥有该权限的岗位。")


@check("role.missing-permission", "执行环节写明所需权限,才能证明执行岗位有权执行。")
def missing_permission(model: Model) -> Iterator[Diagnostic]:
    for step in model.steps.values():
        if step.actor and not step.permission:
            yield at(model, step.loc, "actor").diagnostic(
                "role.missing-permission",
                f"环节 {step.id}({step.title})没有写明所需权限,"
                f"无法验证 {step.actor} 是否有权执行。",
                "添加 permission: <权限标识>,权限在 roles.yaml 中定义。",
                severity=Severity.WARNING)


@check("decision.outcome-mismatch", "使用决策表的决策环节,其结果与决策表的输出值一一对应。")
def outcome_mismatch(model: Model) -> Iterator[Diagnostic]:
    for step in model.steps.values():
        table = model.decision_tables.get(step.decision_table)
        if table is None or step.type != "decision" or not table.outputs:
            continue
        output = table.outputs[0]
        produced = list(dict.fromkeys(
            row.then[output.id] for row in table.rows if output.id in row.then))
        outcomes = {o.id for o in step.outcomes}
        missing = [v for v in produced if v not in outcomes]
        if missing:
            yield at(model, step.loc, "outcomes").diagnostic(
                "decision.outcome-mismatch",
                f"决策表 {table.id} 可能给出 {'、'.join(missing)},"
                f"但决策环节 {step.id} 没有对应的结果。",
                "为每个输出值添加一个同名的 outcome,写明其后的环节。")
        for o in step.outcomes:
            if o.id not in produced:
                yield o.loc.diagnostic(
                    "decision.outcome-mismatch",
                    f"决策环节 {step.id} 的结果 “{o.id}” 不是决策表 {table.id} "
                    f"({output.id})能给出的值。",
                    f"决策表能给出:{'、'.join(produced) or '(无)'}。"
                    "改正结果的 id,或在决策表中增加产生该值的规则行。")
