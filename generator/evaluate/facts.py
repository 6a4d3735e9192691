"""Facts and answers files: a client's case written in YAML, read with the project's
strict loader. Every problem is a diagnostic at its line and column, like a policy's.

A facts file (``policybook evaluate flow``)::

    inputs:                      # decision inputs, by id (every table of the flow)
      amount: 950000             # or {param: min_amount, offset: -0.01}
      approval: not_requested
    answers:                     # questionnaire id → question id → answer id
      screening: {q01: b, q02: c}
    choices:                     # decision step → outcome: people's calls
      identity_checked: passed

An answers file (``policybook evaluate questionnaire``) maps question id → answer id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from generator.diagnostics import Diagnostic, join_pointer
from generator.evaluate.engine import (
    EvaluationError,
    Facts,
    answer_problems,
    fact_problems,
)
from generator.model import Model
from generator.yamlload import Parsed, load_bytes

SECTIONS = ("inputs", "answers", "choices")


def _at(parsed: Parsed, check: str, message: str, hint: str, *where: str | int,
        key: bool = False) -> Diagnostic:
    pointer = join_pointer("", *where)
    line, col = parsed.source.key(pointer) if key else parsed.source.value(pointer)
    return Diagnostic(check, message, parsed.file, line, col, pointer, hint=hint)


def _located(parsed: Parsed, problems: Iterable[EvaluationError],
             prefix: tuple[str, ...] = ()) -> list[Diagnostic]:
    return [_at(parsed, p.check, p.message, p.hint, *prefix, *p.where, key=p.key)
            for p in problems]


def _mapping(parsed: Parsed, value: Any, what: str, *where: str) -> list[Diagnostic]:
    if isinstance(value, dict):
        return []
    return [_at(parsed, "facts.wrong-shape", f"{what}应为映射(键: 值),实际是 “{value}”。",
                "每行写一个 键: 值。", *where)]


def _strings(parsed: Parsed, data: Mapping[str, Any], what: str,
             *where: str) -> list[Diagnostic]:
    return [_at(parsed, "facts.wrong-shape", f"{what} {k} 的值应为标识,实际是 “{v}”。",
                "写选项的 id(如 a、passed)。", *where, k)
            for k, v in data.items() if not isinstance(v, str)]


def _resolve(model: Model, parsed: Parsed, inputs: dict[str, Any]
             ) -> tuple[dict[str, Any], list[Diagnostic]]:
    """``{param: p, times: t, offset: o}`` → p × t + o, as in test cases."""
    out: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for name, value in inputs.items():
        if not isinstance(value, dict):
            out[name] = value
            continue
        param = model.parameters.get(str(value.get("param")))
        extra = set(value) - {"param", "times", "offset"}
        numbers = [value.get("times", 1), value.get("offset", 0)]
        if param is None or extra or not all(isinstance(n, int | float) and
                                             not isinstance(n, bool) for n in numbers):
            problems.append(_at(
                parsed, "facts.wrong-value",
                f"输入 {name} 应为数字或 {{param: <参数>, times: <倍数>, offset: <差额>}}。",
                f"参数有:{'、'.join(model.parameters) or '(无)'}。", "inputs", name))
            continue
        number = float(param.value) * numbers[0] + numbers[1]
        out[name] = int(number) if number.is_integer() else number
    return out, problems


def read_facts(raw: bytes, file: str, model: Model, flow_id: str
               ) -> tuple[Facts | None, list[Diagnostic]]:
    """The facts for walking ``flow_id``, or ``None`` and every problem."""
    parsed = load_bytes(raw, file)
    if parsed.diagnostics:
        return None, list(parsed.diagnostics)
    data = parsed.data if parsed.data is not None else {}
    problems = _mapping(parsed, data, "事实文件")
    if problems:
        return None, problems
    for key in data:
        if key not in SECTIONS:
            problems.append(_at(parsed, "facts.unknown-name", f"事实文件没有 “{key}” 一项。",
                                f"可写的项:{'、'.join(SECTIONS)}。", key, key=True))
    sections = {k: data.get(k) or {} for k in SECTIONS}
    for k, v in sections.items():
        problems += _mapping(parsed, v, f"{k} ", k)
    if problems:
        return None, problems
    answers = sections["answers"]
    for quiz_id, given in answers.items():
        problems += _mapping(parsed, given, f"answers.{quiz_id} ", "answers", quiz_id)
        if isinstance(given, dict):
            problems += _strings(parsed, given, "题目", "answers", quiz_id)
    problems += _strings(parsed, sections["choices"], "决策环节", "choices")
    inputs, unresolved = _resolve(model, parsed, sections["inputs"])
    problems += unresolved
    if problems:
        return None, problems
    facts = Facts(inputs, answers, sections["choices"])
    problems = _located(parsed, fact_problems(model, flow_id, facts))
    return (None, problems) if problems else (facts, [])


def read_answers(raw: bytes, file: str, model: Model, quiz_id: str
                 ) -> tuple[dict[str, str] | None, list[Diagnostic]]:
    """Question id → answer id for ``quiz_id``, or ``None`` and every problem."""
    parsed = load_bytes(raw, file)
    if parsed.diagnostics:
        return None, list(parsed.diagnostics)
    data = parsed.data if parsed.data is not None else {}
    problems = _mapping(parsed, data, "答案文件")
    if not problems:
        problems = _strings(parsed, data, "题目")
    if problems:
        return None, problems
    problems = _located(parsed, answer_problems(model.questionnaires[quiz_id], data))
    return (None, problems) if problems else (dict(data), [])
