"""Self-test questions from parameters (a threshold and its unit), rules (the rule's
text against the same text with one of its parameters wrong) and flows (which step
comes next)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

from generator.model import Flow, Model, Parameter, format_quantity, placeholders, render_text
from generator.selftest.questions import Question, own_source, rule_sources, shuffled

PARAMETERS = 5
RULES = 4
PER_FLOW = 2


def wrong_values(model: Model, p: Parameter) -> list[tuple[float, str]]:
    """Values a parameter is mistaken for, with why: another parameter of the same
    unit first, then the value ten times too large or too small, doubled or halved."""
    out: list[tuple[float, str]] = []
    for other in model.parameters.values():
        if other.id != p.id and other.unit == p.unit and other.value != p.value:
            out.append((other.value, f"这是「{other.title}」的取值。"))
    for factor, why in ((10, "数量级不对:大了十倍。"), (0.1, "数量级不对:小了十倍。"),
                        (2, "数值不对:多了一倍。"), (0.5, "数值不对:少了一半。")):
        value = p.value * factor
        if float(value).is_integer():
            out.append((int(value), why))
    return out


def parameter_questions(model: Model, rng: random.Random) -> Iterator[Question]:
    used = [p for p in model.parameters.values() if p.unit and (p.rules or p.comparison)]
    for p in sorted(rng.sample(used, min(PARAMETERS, len(used))), key=used.index):
        wrong = [(format_quantity(v, p.unit), why, f"{v:g}") for v, why in wrong_values(model, p)]
        rng.shuffle(wrong)
        described = model.text(p.description)
        explanation = f"{p.title}为 {p.display}。" + (described and f"{described}")
        yield Question(
            "parameter", p.title, f"{p.title}是多少?",
            shuffled(rng, (p.display, explanation, f"{p.value:g}"), wrong), explanation,
            (*rule_sources(model, p.rules), own_source(model, f"参数「{p.title}」", p.provenance)),
            {"parameter": p.id})


def rule_questions(model: Model, rng: random.Random) -> Iterator[Question]:
    """Rules whose text names a parameter: the text as written against the same text
    with a parameter's value wrong."""
    with_values = [r for r in model.rules.values()
                   if any(n in model.parameters for n in placeholders(r.text))]
    for rule in sorted(rng.sample(with_values, min(RULES, len(with_values))),
                       key=with_values.index):
        right = model.text(rule.text)
        wrong = []
        for name in dict.fromkeys(placeholders(rule.text)):
            p = model.parameters.get(name)
            if p is None:
                continue
            for value, _why in wrong_values(model, p):
                shown = format_quantity(value, p.unit)
                text = render_text(rule.text, {**model.parameters,
                                               name: replace(p, value=value)})
                wrong.append((text, f"规则中的「{p.title}」是 {p.display},不是 {shown}。",
                              f"{name}={value:g}"))
        rng.shuffle(wrong)
        explanation = f"规则 {rule.id}「{rule.title}」原文如此。"
        yield Question(
            "rule", rule.title, f"关于「{rule.title}」,下列哪一项与规则一致?",
            shuffled(rng, (right, explanation, rule.id), wrong), explanation,
            tuple(rule_sources(model, (rule.id,))), {"rule": rule.id})


def _reach(flow: Flow, start: str) -> dict[str, int]:
    """Steps reachable from ``start`` and how many steps away."""
    steps = {s.id: s for s in flow.steps}
    dist, frontier = {start: 0}, [start]
    while frontier:
        here = frontier.pop(0)
        for target, _ in steps[here].successors() if here in steps else ():
            if target not in dist:
                dist[target] = dist[here] + 1
                frontier.append(target)
    return dist


def flow_questions(model: Model, rng: random.Random) -> Iterator[Question]:
    """For task steps followed by another task or decision: which step comes next."""
    for flow in model.flows.values():
        steps = {s.id: s for s in flow.steps}
        working = [s for s in flow.steps if s.type in ("task", "decision")]
        candidates = [s for s in flow.steps if s.type == "task"
                      and steps.get(s.next) is not None
                      and steps[s.next].type in ("task", "decision")]
        for step in sorted(rng.sample(candidates, min(PER_FLOW, len(candidates))),
                           key=candidates.index):
            nxt = steps[step.next]
            ahead = _reach(flow, nxt.id)
            wrong = []
            for other in working:
                if other.id in (step.id, nxt.id):
                    continue
                if other.id in ahead:
                    why = f"「{other.title}」要在「{nxt.title}」之后才办理。"
                elif step.id in _reach(flow, other.id):
                    why = f"「{other.title}」在「{step.title}」之前办理。"
                else:
                    why = f"「{other.title}」不在「{step.title}」之后的路径上。"
                wrong.append((other.title, why, other.id))
            rng.shuffle(wrong)
            explanation = f"按流程「{flow.title}」,「{step.title}」之后是「{nxt.title}」。"
            rules = [*step.rules, *nxt.rules]
            yield Question(
                "flow", flow.title,
                f"在「{flow.title}」中,「{step.title}」办理完毕后,下一环节是?",
                shuffled(rng, (nxt.title, explanation, nxt.id), wrong), explanation,
                (*rule_sources(model, rules), own_source(model, f"环节「{step.title}」",
                                                         step.provenance)),
                {"flow": flow.id, "step": step.id})
