"""Traceability: every rule is implemented somewhere in the procedure and exercised
by a test case; every checklist item belongs to a step of its flow; every form field
is filled at a step that uses the form. These findings fail the check."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import at, per_model
from generator.diagnostics import Diagnostic
from generator.model import Model
from generator.trace import build_matrix

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
        if not row.tested:
            yield model.rules[row.rule].loc.diagnostic(
                "trace.rule-untested", f"规则 {row.rule}({row.title})没有任何测试案例验证。",
                f"在 cases/ 中添加决策表、问卷或流程案例,并在其 rules 中列出 {row.rule}。")


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
