"""Parameters are single-sourced: each is used somewhere, and no text writes a
parameter's value as a literal number where ``{{ name }}`` belongs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import document_texts
from generator.diagnostics import Diagnostic, Severity
from generator.load import PLACEHOLDER, iter_strings
from generator.model import Interval, Model, Parameter


def used_parameters(model: Model) -> set[str]:
    used: set[str] = set()
    for _doc, texts in document_texts(model):
        for text in texts:
            if "{{" in text:
                used.update(m.group(1) for m in PLACEHOLDER.finditer(text))
    for table in model.decision_tables.values():
        for row in table.rows:
            for cond in row.when.values():
                if isinstance(cond, Interval):
                    used.update(b.parameter for b in (cond.low, cond.high) if b and b.parameter)
    for rule in model.rules.values():
        used.update(rule.parameters)
    for quiz in model.questionnaires.values():
        if quiz.validity:
            used.add(quiz.validity)
    if model.target_clients:
        for topic in model.target_clients.mining:
            used.update(topic.parameters)
    for case in model.cases.values():
        used.update(case.parameters.values())
    for control in model.controls.values():
        used.update(control.parameters)
    return used


@check("param.unused", "每个参数都被某处文本、决策表、规则、问卷或目标客户标准使用。")
def unused(model: Model) -> Iterator[Diagnostic]:
    used = used_parameters(model)
    for param in model.parameters.values():
        if param.id not in used:
            yield param.loc.diagnostic(
                "param.unused", f"参数 {param.id}({param.title})没有被任何地方使用。",
                f"在文本中用 {{{{ {param.id} }}}} 引用它、在规则的 parameters 中列出它,"
                "或删除这个参数。", severity=Severity.WARNING)


# --- literal values ---------------------------------------------------------------------------

WEAK_UNITS = frozenset({"%", "年"})
"""Percentages and years recur in unrelated senses (“100%保本”; a client's “10年（含）以上”
of investment experience beside a 10-year retention period): such a literal is flagged
only in an element tied to one of the parameter's rules."""


def literal_forms(param: Parameter) -> list[str]:
    """How the value may be written out: 1000000 元 → 100万元, 100万, 1,000,000元, 1000000."""
    value = param.value
    if not float(value).is_integer():
        return [f"{value}{param.unit}"]
    n = int(value)
    if param.unit == "元":
        forms = [f"{n}元", f"{n:,}元"]
        if n >= 10000 and n % 10000 == 0:
            forms += [f"{n // 10000}万元", f"{n // 10000}万"]
        if n >= 10000:
            forms += [str(n), f"{n:,}"]
        return forms
    return [f"{n}{param.unit}"]


def _weak(param: Parameter) -> bool:
    return param.unit in WEAK_UNITS or abs(float(param.value)) < 10


def _element_rules(model: Model) -> dict[tuple[str, str], tuple[str, ...]]:
    """(file, pointer) of every element that names rules → those rules."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}

    def add(loc_file: str, pointer: str, rules: tuple[str, ...]) -> None:
        found[(loc_file, pointer)] = rules

    for rule in model.rules.values():
        add(rule.loc.file, rule.loc.pointer, (rule.id,))
    for step in model.steps.values():
        add(step.loc.file, step.loc.pointer, step.rules)
    for table in model.decision_tables.values():
        add(table.loc.file, table.loc.pointer, table.rules)
        for row in table.rows:
            add(row.loc.file, row.loc.pointer, row.rules or table.rules)
    for quiz in model.questionnaires.values():
        add(quiz.loc.file, quiz.loc.pointer, quiz.rules)
    for form in model.forms.values():
        add(form.loc.file, form.loc.pointer, form.rules)
        for fld in form.fields:
            add(fld.loc.file, fld.loc.pointer, fld.rules or form.rules)
    for item in model.all_checklist_items():
        add(item.loc.file, item.loc.pointer, item.rules)
    for perm in model.permissions.values():
        add(perm.loc.file, perm.loc.pointer, perm.rules)
    return found


def _rules_at(index: dict[tuple[str, str], tuple[str, ...]], file: str,
              pointer: str) -> tuple[str, ...]:
    while True:
        rules = index.get((file, pointer))
        if rules is not None:
            return rules
        if not pointer:
            return ()
        pointer = pointer.rsplit("/", 1)[0]


_SKIP = re.compile(r"/(provenance|quote|\$schema)(/|$)")


@check("param.literal", "文本中不直接写参数的取值,而用 {{ 参数名 }} 引用。")
def literal(model: Model) -> Iterator[Diagnostic]:
    forms: dict[str, Parameter] = {}
    for param in model.parameters.values():
        for form in literal_forms(param):
            forms.setdefault(form, param)
    if not forms:
        return
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\d.,])(?:{alternatives})(?![\d,])")
    index: dict[tuple[str, str], tuple[str, ...]] | None = None
    for doc, texts in document_texts(model):
        # One search over the whole document first: most documents have no literal.
        if doc.kind == "parameters" or not pattern.search("\0".join(texts)):
            continue
        for pointer, text in iter_strings(doc.data):
            if _SKIP.search(pointer):
                continue
            for match in pattern.finditer(text):
                param = forms[match.group(0)]
                if _weak(param):
                    index = index if index is not None else _element_rules(model)
                    if not set(_rules_at(index, doc.file, pointer)) & set(param.rules):
                        continue
                line, column = doc.at(pointer)
                if pointer in doc.source.plain:
                    column += match.start()
                yield Diagnostic(
                    "param.literal",
                    f"“{match.group(0)}” 与参数 {param.id}({param.title})的取值相同,"
                    f"应写作 {{{{ {param.id} }}}}。",
                    doc.file, line, column, pointer,
                    hint="参数只在 parameters.yaml 定义一次;引用后,调整标准时这里会随之更新。"
                    "如果这里说的不是这个参数,请换一种写法以免误读。",
                    severity=Severity.WARNING)
