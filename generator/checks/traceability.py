"""Traceability: every rule is implemented somewhere in the procedure and exercised
by a test case; every checklist item belongs to a step of its flow; every form field
is filled at a step that uses the form. These findings fail the check."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import at, per_model
from generator.diagnostics import Diagnostic
from generator.model import Model
from generator.trace import build_matrix, exercised_rules

matrix = per_model(build_matrix)


@check("trace.rule-unimplemented",
       "每条规则至少由一个环节、决策表(行)、表单(字段)、检查项或问卷执行。")
def rule_unimplemented(model: Model) -> Iterator[Diagnostic]:
    for row in matrix(model):
        if not row.implemented:
            yield model.rules[row.rule].loc.diagnostic(
                "trace.rule-unimplemented",
                f"规则 {row.rule}({row.title})没有被任何环节、决策表、表单字段、检查项或问卷执行。",
                f"在执行该规则的环节(或决策行、表单字段、检查项)的 rules 中列出 {row.rule}。")


@check("trace.rule-untested", "每条规则至少被一个测试案例验证。")
def rule_untested(model: Model) -> Iterator[Diagnostic]:
    for row in matrix(model):
        # An unimplemented rule cannot be exercised: trace.rule-unimplemented says so.
        if row.implemented and not row.tested:
            yield model.rules[row.rule].loc.diagnostic(
                "trace.rule-untested", f"规则 {row.rule}({row.title})没有任何测试案例验证。",
                f"在 cases/ 中添加决策表、问卷或流程案例,并在其 rules 中列出 {row.rule};"
                "案例须执行到该规则(经过执行它的决策行或环节),只列出不算。")


@check("trace.rule-not-exercised",
       "测试案例列出的每条规则都在运行该案例时被执行到(决策行、问卷或途经的环节)。")
def rule_not_exercised(model: Model) -> Iterator[Diagnostic]:
    from generator.checks.cases import results

    implemented = {row.rule for row in matrix(model) if row.implemented}
    for case in model.cases.values():
        run = results(model)[case.id]
        if run.invalid or (case.kind == "flow" and not run.visited):
            continue  # case.invalid, ref.* or flow.single-start say why it cannot run
        exercised = exercised_rules(model, case)
        for i, rule in enumerate(case.rules):
            if rule in exercised or rule not in implemented:
                continue  # an unimplemented rule: trace.rule-unimplemented
            what = {"decision": f"决策表 {case.target} 及其匹配的规则行",
                    "questionnaire": f"问卷 {case.target}",
                    "flow": "案例途经的环节"}[case.kind]
            yield at(model, case.loc, "rules", i).diagnostic(
                "trace.rule-not-exercised",
                f"案例 {case.id} 列出了规则 {rule},但{what}都不执行该规则:"
                "这个案例并没有验证它。",
                f"从该案例的 rules 中删去 {rule},或改写案例,使它经过执行 {rule} 的"
                "决策行或环节(规则执行于何处见 policybook trace)。")


@check("trace.item-outside-flow", "流程清单的每个检查项都对应本流程中的一个环节。")
def item_outside_flow(model: Model) -> Iterator[Diagnostic]:
    for cl in model.checklists.values():
        if not cl.flow or cl.flow not in model.flows:
            continue
        for item in cl.own_items:
            step = model.steps.get(item.step)
            if step is not None and step.flow != cl.flow:
                yield at(model, item.loc, "step").diagnostic(
                    "trace.item-outside-flow",
                    f"清单 {cl.id} 属于流程 {cl.flow},检查项 {item.id} 却对应流程 {step.flow} "
                    f"的环节 {step.id}。",
                    f"把检查项移到流程 {step.flow} 的清单中,或改为本流程的环节。")


@check("trace.field-not-filled", "表单字段的填写环节在输入或输出中使用该表单。")
def field_not_filled(model: Model) -> Iterator[Diagnostic]:
    for form in model.forms.values():
        for fld in form.fields:
            step = model.steps.get(fld.filled_at)
            if step is None or form.id in step.forms:
                continue
            yield at(model, fld.loc, "filled_at").diagnostic(
                "trace.field-not-filled",
                f"字段 {form.id}/{fld.id} 在环节 {step.id} 填写,"
                f"但该环节的输入输出中没有表单 {form.id}。",
                f"在环节 {step.id} 的 outputs 中加入 - form: {form.id},或把 filled_at "
                "改为实际填写该表单的环节。")


@check("trace.form-unused", "每张表单都由某个环节使用或产生。")
def form_unused(model: Model) -> Iterator[Diagnostic]:
    used = {f for step in model.steps.values() for f in step.forms}
    for form in model.forms.values():
        if form.id not in used:
            yield at(model, form.loc, "id").diagnostic(
                "trace.form-unused",
                f"表单 {form.id}({form.title})没有出现在任何环节的输入或输出中。",
                f"在填写或使用它的环节中加入 - form: {form.id}。")
