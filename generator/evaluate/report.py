"""An evaluation as text (for people at the desk), JSON (for tools) or Markdown (for a
ticket or a training note). The results carry everything; these only lay it out."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from generator.evaluate.results import (
    Citation,
    ConditionCheck,
    DecisionResult,
    FlowWalk,
    QuestionnaireResult,
    RowCheck,
    RuleRef,
    WalkStep,
)

Result = DecisionResult | QuestionnaireResult | FlowWalk
FORMATS = ("text", "json", "markdown")
_MARK = {True: "✓", False: "✗", None: "?"}
_STATUS = {"decided": "已得出结果", "no_match": "没有任何行匹配", "overlap": "多行同时匹配",
           "missing": "缺少输入,无法判定"}
_BY = {"table": "决策表判定", "questionnaire": "问卷结果判定", "choice": "人工判断(事实中给出)"}


def render(result: Result, fmt: str) -> str:
    if fmt == "json":
        return to_json(result)
    kind = type(result).__name__
    return _RENDERERS[(kind, fmt)](result)


def to_json(result: Result) -> str:
    data = {"kind": {DecisionResult: "decision", QuestionnaireResult: "questionnaire",
                     FlowWalk: "flow"}[type(result)], **_plain(result)}
    if isinstance(result, FlowWalk):
        data["path"] = result.path
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


# --- shared pieces ------------------------------------------------------------------


def cite(c: Citation) -> str:
    """``《source》第二部分 四(二)「title」`` or ``起草(依据 …)``."""
    where = c.section + (f"「{c.section_title}」" if c.section_title else "")
    book = f"《{c.source_title.strip('《》')}》" if c.source_title else ""
    if c.status == "drafted":
        return "起草" + (f"(依据 {book}{where})" if where else "")
    return f"出处 {book}{where}"


def _condition(c: ConditionCheck) -> str:
    return f"{_MARK[c.holds]} {c.input} = {c.shown}:{c.written}"


def _rule_lines(rules: tuple[RuleRef, ...], indent: str) -> list[str]:
    lines = []
    for r in rules:
        lines.append(f"{indent}{r.id} {r.title} — {cite(r.citation)}")
        if r.citation.quote:
            lines.append(f"{indent}    “{r.citation.quote}”")
    return lines


def _row_lines(row: RowCheck, indent: str) -> list[str]:
    return [f"{indent}{_condition(c)}" for c in row.checks]


# --- text ---------------------------------------------------------------------------


def decision_text(r: DecisionResult, indent: str = "") -> str:
    lines = [f"{indent}决策表 {r.table}({r.title}):{_STATUS[r.status]}"]
    lines.append(f"{indent}输入:")
    lines += [f"{indent}  {i.id}({i.title})= {i.shown}" for i in r.inputs] or [
        f"{indent}  (无)"]
    if r.row is not None:
        lines.append(f"{indent}结果:")
        lines += [f"{indent}  {o.id}({o.title})= {o.value}({o.value_title})"
                  for o in r.outputs]
        lines.append(f"{indent}决定的行:{r.row.id}" + (f"({r.row.note})" if r.row.note else ""))
        lines += _row_lines(r.row, indent + "  ")
        if r.row_citation is not None:
            lines.append(f"{indent}  {cite(r.row_citation)}")
        lines.append(f"{indent}依据规则:")
        lines += _rule_lines(r.rules, indent + "  ")
    if r.missing:
        lines.append(f"{indent}缺少的输入:{'、'.join(r.missing)}")
    others = [row for row in r.rows if r.row is None or row.id != r.row.id]
    if others:
        lines.append(f"{indent}{'其他行' if r.row else '各行'}:")
        for row in others:
            failing = [c for c in row.checks if c.holds is not True] or list(row.checks)
            lines.append(f"{indent}  {row.id}:" + ";".join(_condition(c) for c in failing))
    return "\n".join(lines) + "\n"


def questionnaire_text(r: QuestionnaireResult, indent: str = "") -> str:
    lines = [f"{indent}问卷 {r.questionnaire}({r.title})"]
    lines += [f"{indent}  {a.question} {a.text} → {a.answer}. {a.answer_text}:{a.score} 分"
              for a in r.answers]
    if r.missing:
        lines.append(f"{indent}未回答:{'、'.join(r.missing)}")
        return "\n".join(lines) + "\n"
    lines.append(f"{indent}总分:{r.score}")
    if r.band is not None:
        lines.append(f"{indent}分数段:{r.band.id} {r.band.title}"
                     f"({r.band.min_score}–{r.band.max_score} 分)")
    lines.append(f"{indent}调整:" + ("、".join(f"{o.id} {o.title}({o.effect})"
                                              for o in r.overrides) or "无"))
    if r.level is not None:
        lines.append(f"{indent}{r.result_title}:{r.level.id} {r.level.title}")
        if r.level.allows:
            lines.append(f"{indent}{r.allows_title}:{r.level.allows}")
    lines.append(f"{indent}依据规则:")
    lines += _rule_lines(r.rules, indent + "  ")
    return "\n".join(lines) + "\n"


def _step_text(n: int, s: WalkStep) -> list[str]:
    who = f" [{s.actor_name}]" if s.actor_name else ""
    lines = [f"{n}. {s.id} {s.title}{who}"]
    lines += [f"   - {a}" for a in s.actions]
    for f in s.forms:
        lines.append(f"   表单:{f.title}" + (f"(填写:{'、'.join(f.fields)})" if f.fields else ""))
    lines += [f"   ☐ {item}" for item in s.checklist]
    if s.questionnaire is not None:
        lines.append(questionnaire_text(s.questionnaire, "   ").rstrip("\n"))
    if s.decision is not None:
        d = s.decision
        lines.append(f"   决策:{d.outcome}({d.outcome_title})— {_BY[d.by]}")
        if d.table is not None:
            assert d.table.row is not None
            lines.append(f"   决定的行:{d.table.table}/{d.table.row.id}")
            lines += _row_lines(d.table.row, "     ")
        for row in d.explained_by:
            lines.append(f"   对应决策表的行 {row.id}:"
                         + " 且 ".join(f"{c.input} {c.written}" for c in row.checks))
    if s.rules:
        lines.append("   遵循规则:")
        lines += _rule_lines(s.rules, "     ")
    return lines


def flow_text(w: FlowWalk) -> str:
    lines = [f"流程 {w.flow}({w.title})"]
    for n, s in enumerate(w.steps, 1):
        lines += _step_text(n, s)
    lines.append(("结束:" if w.stop == "end" else "停止:") + w.message)
    for m in w.missing:
        lines.append(f"  缺少 {m.kind} {m.name}:{m.title}"
                     + (f"(可选:{'、'.join(m.options)})" if m.options else ""))
    if w.continues_in:
        lines.append(f"接着进入流程 {w.continues_in}。")
    return "\n".join(lines) + "\n"


# --- markdown -----------------------------------------------------------------------


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _rules_md(rules: tuple[RuleRef, ...]) -> list[str]:
    lines = []
    for r in rules:
        lines.append(f"- **{r.id}** {_cell(r.title)} — {_cell(cite(r.citation))}")
        if r.citation.quote:
            lines.append(f"  > {_cell(r.citation.quote)}")
    return lines


def _checks_md(row: RowCheck) -> list[str]:
    lines = ["| | 输入 | 值 | 条件 |", "| --- | --- | --- | --- |"]
    lines += [f"| {_MARK[c.holds]} | {_cell(c.title)} (`{c.input}`) | {_cell(c.shown)} | "
              f"{_cell(c.written)} |" for c in row.checks]
    return lines


def decision_markdown(r: DecisionResult) -> str:
    lines = [f"## 决策表 {r.table}:{_cell(r.title)}", "", f"**{_STATUS[r.status]}**", ""]
    if r.row is not None:
        lines += [f"- {_cell(o.title)}(`{o.id}`):**{_cell(o.value_title)}**(`{o.value}`)"
                  for o in r.outputs]
        lines += ["", f"决定的行:`{r.row.id}`" + (f"({_cell(r.row.note)})" if r.row.note
                                                  else ""), ""]
        lines += _checks_md(r.row)
        lines += ["", "依据规则:", "", *_rules_md(r.rules)]
    if r.missing:
        lines += [f"缺少的输入:{'、'.join(f'`{m}`' for m in r.missing)}"]
    return "\n".join(lines) + "\n"


def questionnaire_markdown(r: QuestionnaireResult) -> str:
    lines = [f"## 问卷 {r.questionnaire}:{_cell(r.title)}", "",
             "| 题目 | 答案 | 分值 |", "| --- | --- | --- |"]
    lines += [f"| {_cell(a.text)} | {a.answer}. {_cell(a.answer_text)} | {a.score} |"
              for a in r.answers]
    lines.append("")
    if r.missing:
        lines.append(f"未回答:{'、'.join(r.missing)}")
        return "\n".join(lines) + "\n"
    lines.append(f"- 总分:**{r.score}**")
    if r.band is not None:
        lines.append(f"- 分数段:{r.band.id} {_cell(r.band.title)}"
                     f"({r.band.min_score}–{r.band.max_score} 分)")
    lines.append("- 调整:" + ("、".join(o.title for o in r.overrides) or "无"))
    if r.level is not None:
        lines.append(f"- {_cell(r.result_title)}:**{r.level.id} {_cell(r.level.title)}**")
        if r.level.allows:
            lines.append(f"- {_cell(r.allows_title)}:{_cell(r.level.allows)}")
    lines += ["", "依据规则:", "", *_rules_md(r.rules)]
    return "\n".join(lines) + "\n"


def flow_markdown(w: FlowWalk) -> str:
    lines = [f"## 流程 {w.flow}:{_cell(w.title)}", ""]
    for n, s in enumerate(w.steps, 1):
        who = f"({_cell(s.actor_name)})" if s.actor_name else ""
        lines += [f"### {n}. {_cell(s.title)}{who}", ""]
        lines += [f"- {_cell(a)}" for a in s.actions]
        lines += [f"- 表单:{_cell(f.title)}" for f in s.forms]
        lines += [f"- [ ] {_cell(i)}" for i in s.checklist]
        if s.decision is not None:
            d = s.decision
            lines += ["", f"**决策:{_cell(d.outcome_title)}**(`{d.outcome}`,{_BY[d.by]})"]
            if d.table is not None and d.table.row is not None:
                lines += ["", *_checks_md(d.table.row)]
        if s.rules:
            lines += ["", *_rules_md(s.rules)]
        lines.append("")
    lines.append(("**结束**:" if w.stop == "end" else "**停止**:") + _cell(w.message))
    lines += [f"- 缺少 `{m.name}`:{_cell(m.title)}" for m in w.missing]
    return "\n".join(lines) + "\n"


_RENDERERS: dict[tuple[str, str], Callable[[Any], str]] = {
    ("DecisionResult", "text"): decision_text,
    ("QuestionnaireResult", "text"): questionnaire_text,
    ("FlowWalk", "text"): flow_text,
    ("DecisionResult", "markdown"): decision_markdown,
    ("QuestionnaireResult", "markdown"): questionnaire_markdown,
    ("FlowWalk", "markdown"): flow_markdown,
}
