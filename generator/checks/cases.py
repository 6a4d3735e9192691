"""Run every test case in ``cases/`` with the evaluation engine
(:func:`generator.evaluate.run_case`: decision tables evaluated, questionnaires scored
and their overrides applied, flows walked from their start with the chosen outcomes)
and report what it concludes. A failing case is an error at the case, saying what
actually happened; the handbook's case walkthroughs show the same walk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from generator.checks import check
from generator.checks._common import at, per_model
from generator.diagnostics import Diagnostic, Severity
from generator.evaluate.cases import CaseRun, run_case
from generator.model import Model, tracking

_runs: dict[str, tuple[Model, CaseRun, set[tracking.Read]]] = {}
"""Each case's last run: the model it ran on, the run, what it read."""


@per_model
def results(model: Model) -> dict[str, CaseRun]:
    """Every case run once; three checks (and the trace matrix) read the results. After
    an edit (:func:`generator.model.tracking.carry`), a case whose last run read
    nothing the edit changed keeps that run (``policybook serve``: 750 cases on the 10×
    library take a second)."""
    edit = tracking.carried_from(model)
    found: dict[str, CaseRun] = {}
    for case in model.cases.values():
        kept = _runs.get(case.id)
        if (edit is not None and kept is not None and kept[0] is edit[0]
                and not tracking.touched(kept[2] | {("cases", case.id)}, edit[1])):
            run, reads = replace(kept[1], case=case), kept[2]
            tracking.note(reads)
        else:
            with tracking.recording() as reads:
                run = run_case(model, case)
        found[case.id] = run
        _runs[case.id] = (model, run, reads)
    for gone in _runs.keys() - found.keys():
        del _runs[gone]
    return found


@check("case.failed", "cases/ 中的每个测试案例都通过。")
def failed(model: Model) -> Iterator[Diagnostic]:
    for case in model.cases.values():
        outcome = results(model)[case.id]
        if outcome.problem and not outcome.invalid:
            yield at(model, case.loc, *outcome.field).diagnostic(
                "case.failed", f"案例 {case.id}({case.title})未通过:{outcome.problem}",
                outcome.hint)


@check("case.invalid", "测试案例的输入、答案和选择都是被测对象中存在的。")
def invalid(model: Model) -> Iterator[Diagnostic]:
    for case in model.cases.values():
        outcome = results(model)[case.id]
        if outcome.problem and outcome.invalid:
            loc = at(model, case.loc, *outcome.field)
            yield loc.diagnostic("case.invalid", f"案例 {case.id} 无法执行:{outcome.problem}",
                                 outcome.hint)


@check("case.unused-choice", "流程案例的每个选择都在实际路径上用到。")
def unused_choice(model: Model) -> Iterator[Diagnostic]:
    for case in model.cases.values():
        outcome = results(model)[case.id]
        visited = outcome.visited
        if case.kind != "flow" or outcome.problem or outcome.invalid or not visited:
            continue
        for step_id in case.given:
            if step_id not in visited and step_id in model.steps:
                yield at(model, case.loc, "choices", step_id).diagnostic(
                    "case.unused-choice",
                    f"案例 {case.id} 为 {step_id} 选择了结果,但实际路径没有经过该环节。",
                    "删除这个选择,或检查前面的选择是否让流程走了别的分支。",
                    severity=Severity.WARNING)
