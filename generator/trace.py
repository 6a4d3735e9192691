"""The traceability matrix: source citation → rule → what implements it (steps,
decision tables and rows, forms and fields, checklist items, questionnaires) → the
test cases that exercise it; and the coverage list: every section of each source
document (``pack.yaml: sources``) → the elements that encode it.

Library functions return typed rows; ``policybook trace`` renders them as CSV (for
auditors), JSON (for the handbook site) or Markdown (``policies/COVERAGE.md``).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from generator import escape
from generator.model import Case, Element, Loc, Model, Provenance, iter_elements
from generator.model.cache import per_model


@dataclass(frozen=True, slots=True)
class Link:
    """One element of the pack, as a row of the matrix names it."""

    kind: str
    """step, decision_table, decision_row, form, form_field, checklist_item,
    questionnaire, case, rule, …"""
    id: str
    """Unique within its kind; nested elements are ``parent/child`` (``limits/row_1``)."""
    title: str
    file: str
    line: int

    @classmethod
    def of(cls, kind: str, key: str, title: str, loc: Loc) -> Link:
        return cls(kind, key, title, loc.file, loc.line)


@dataclass(frozen=True, slots=True)
class TraceRow:
    """One rule and everything that traces to it."""

    rule: str
    title: str
    category: str
    status: str
    """``sourced`` or ``drafted``."""
    citation: str
    """The source section: the citation of a sourced rule, ``based_on`` of a drafted one."""
    file: str
    line: int
    steps: tuple[Link, ...]
    decisions: tuple[Link, ...]
    """Decision tables and decision rows."""
    forms: tuple[Link, ...]
    """Forms and form fields."""
    checklist_items: tuple[Link, ...]
    questionnaires: tuple[Link, ...]
    constraints: tuple[str, ...]
    """Path constraints ``policybook check`` proves on every path, one line each."""
    cases: tuple[Link, ...]
    """The cases that list the rule and exercise it (:func:`exercised_rules`)."""
    controls: tuple[Link, ...] = ()
    """The audit controls that check the rule is followed in the registers' data."""

    @property
    def implementers(self) -> tuple[Link, ...]:
        return (*self.steps, *self.decisions, *self.forms, *self.checklist_items,
                *self.questionnaires)

    @property
    def implemented(self) -> bool:
        return bool(self.implementers)

    @property
    def tested(self) -> bool:
        return bool(self.cases)


def exercised_rules(model: Model, case: Case) -> frozenset[str]:
    """The rules a case exercises when it runs: a decision case, the table's and the
    matching row's; a questionnaire case, the questionnaire's and the overrides' it
    triggers; a flow case, those of the steps its path visits, of their checklist items
    and of the form fields filled at them. A case tests a rule it lists only if it exercises it."""
    # The case runner of ``policybook check`` (imported here: checks depend on this
    # module), which runs the case with the evaluation engine.
    from generator.checks.cases import results
    from generator.evaluate.results import DecisionResult, QuestionnaireResult

    run = results(model)[case.id]
    if run.invalid:
        return frozenset()
    if case.kind == "decision":
        table = model.decision_tables.get(case.target)
        if table is None or not isinstance(run.result, DecisionResult):
            return frozenset()
        matched = {r.id for r in run.result.rows if r.matches}
        return frozenset(table.rules).union(*(r.rules for r in table.rows if r.id in matched))
    if case.kind == "questionnaire":
        quiz = model.questionnaires.get(case.target)
        if quiz is None:
            return frozenset()
        applied = {o.id for o in run.result.overrides} \
            if isinstance(run.result, QuestionnaireResult) else set()
        return frozenset(quiz.rules).union(*(o.rules for o in quiz.overrides
                                             if o.id in applied))
    visited = run.visited
    # A visited step exercises its own rules and those of what is done at it: its
    # checklist items and the form fields filled there.
    at_step = _rules_at_steps(model)
    return frozenset(r for step_id in visited for r in at_step.get(step_id, ()))


@per_model
def _rules_at_steps(model: Model) -> dict[str, tuple[str, ...]]:
    """Each step's rules with those of its checklist items and of the form fields filled
    there, indexed once per model (a case's path visits many steps, and every case and
    every page asks)."""
    found: dict[str, list[str]] = {s: list(step.rules) for s, step in model.steps.items()}
    for item in model.all_checklist_items():
        if item.step in found:
            found[item.step].extend(item.rules)
    for fld in model.all_fields():
        if fld.filled_at in found:
            found[fld.filled_at].extend(fld.rules)
    return {s: tuple(rules) for s, rules in found.items()}


def _citation(p: Provenance) -> str:
    return p.citation if not p.drafted else p.based_on


def build_matrix(model: Model) -> list[TraceRow]:
    """One row per rule, in the order of rules.yaml."""
    found: dict[str, dict[str, list[Link]]] = {
        r: {"steps": [], "decisions": [], "forms": [], "checklist_items": [],
            "questionnaires": [], "cases": [], "controls": []} for r in model.rules}

    def add(column: str, rules: Iterable[str], link: Link) -> None:
        for r in dict.fromkeys(rules):
            if r in found:
                found[r][column].append(link)

    for flow in model.flows.values():  # flows in handbook order, steps in file order
        for step in flow.steps:
            add("steps", step.rules, Link.of("step", step.id, step.title, step.loc))
    for table in model.decision_tables.values():
        add("decisions", table.rules,
            Link.of("decision_table", table.id, table.title, table.loc))
        for row in table.rows:
            add("decisions", row.rules,
                Link.of("decision_row", f"{table.id}/{row.id}", row.note or row.id, row.loc))
    for form in model.forms.values():
        add("forms", form.rules, Link.of("form", form.id, form.title, form.loc))
        for fld in form.fields:
            add("forms", fld.rules,
                Link.of("form_field", f"{form.id}/{fld.id}", fld.label, fld.loc))
    for item in model.all_checklist_items():
        add("checklist_items", item.rules,
            Link.of("checklist_item", f"{item.checklist}/{item.id}", model.text(item.text),
                    item.loc))
    for quiz in model.questionnaires.values():
        add("questionnaires", quiz.rules,
            Link.of("questionnaire", quiz.id, quiz.title, quiz.loc))
    for case in model.cases.values():
        exercised = exercised_rules(model, case)
        add("cases", [r for r in case.rules if r in exercised],
            Link.of("case", case.id, case.title, case.loc))
    for control in model.controls.values():
        add("controls", control.rules,
            Link.of("control", control.id, model.text(control.title), control.loc))

    rows = []
    for rule in model.rules.values():
        f = found[rule.id]
        constraints = tuple(
            f"{c.flow}: → {'、'.join(c.to)} 依次经过 "
            + " → ".join(w.describe() for w in c.in_order) for c in rule.constraints)
        rows.append(TraceRow(
            rule.id, model.text(rule.title), rule.category, rule.provenance.status,
            _citation(rule.provenance), rule.loc.file, rule.loc.line,
            tuple(f["steps"]), tuple(f["decisions"]), tuple(f["forms"]),
            tuple(f["checklist_items"]), tuple(f["questionnaires"]), constraints,
            tuple(f["cases"]), tuple(f["controls"])))
    return rows


# --- coverage of the sources ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One section of a source document and the elements that encode it."""

    source: str
    """The source's id."""
    citation: str
    heading: str
    depth: int
    note: str
    sourced: tuple[Link, ...]
    """Elements whose content the section states (``provenance: sourced``)."""
    drafted: tuple[Link, ...]
    """Elements drafted to complete the section (``drafted`` with ``based_on``)."""
    covered_below: bool = False
    """Some subsection is covered (a heading is encoded through its subsections)."""

    @property
    def covered(self) -> bool:
        """Something in the pack encodes the section or one of its subsections."""
        return bool(self.sourced or self.drafted) or self.covered_below


@per_model
def elements_and_titles(model: Model) -> tuple[list[Element], dict[tuple[str, str], str]]:
    """The elements and their titles, walked once per model (several checks read them)."""
    elements = list(iter_elements(model))
    return elements, _titles(elements)


def own_provenance(model: Model) -> list[tuple[str, str, str, Provenance, Loc]]:
    """(kind, id, title, provenance, loc) of everything that states its own provenance:
    elements, the pack's definition, and files such as rules.yaml as a whole (a file
    whose document is not itself an element: its provenance is its items' default)."""
    return _own_provenance(model)


@per_model
def _own_provenance(model: Model) -> list[tuple[str, str, str, Provenance, Loc]]:
    return list(_walk_own_provenance(model))


def _walk_own_provenance(model: Model) -> Iterator[tuple[str, str, str, Provenance, Loc]]:
    elements, titles = elements_and_titles(model)
    whole = {e.loc.file for e in elements if e.loc.pointer == ""}
    for e in elements:
        if not e.provenance.inherited:
            yield e.kind, e.key, titles[(e.kind, e.key)], e.provenance, e.loc
    meta = model.meta
    if meta and meta.definition_provenance and not meta.definition_provenance.inherited:
        yield ("definition", "definition", "定义", meta.definition_provenance,
               Loc(meta.loc.file, *_at(model, meta.loc.file, "/definition"), "/definition"))
    for kind in model.kinds:
        for file in model.files_by_kind.get(kind, ()):
            doc = model.documents[file]
            raw = doc.data.get("provenance") if doc.valid and file not in whole else None
            if isinstance(raw, dict):
                prov = (Provenance("sourced", citation=raw.get("sourced", ""),
                                   source=raw.get("source", ""))
                        if "sourced" in raw else
                        Provenance("drafted", note=raw.get("drafted", ""),
                                   based_on=raw.get("based_on", ""),
                                   source=raw.get("source", "")))
                yield "document", file, file, prov, Loc(file, *doc.at(""), "")


def _at(model: Model, file: str, pointer: str) -> tuple[int, int]:
    doc = model.documents.get(file)
    return doc.at(pointer) if doc else (1, 1)


def _titles(elements: list[Element]) -> dict[tuple[str, str], str]:
    """Title by (kind, key). Nested ids (decision rows, target topics) are not
    checked for repeats; a repeated one shows the last title, as it always has."""
    return {(e.kind, e.key): e.title for e in elements}


def build_coverage(model: Model) -> list[CoverageRow]:
    """One row per section of each source, in outline order, with the elements that
    carry their own provenance pointing at it (inherited provenance is not repeated)."""
    meta = model.meta
    if meta is None:
        return []
    sourced: dict[tuple[str, str], list[Link]] = {}
    drafted: dict[tuple[str, str], list[Link]] = {}
    for kind, key, title, prov, loc in own_provenance(model):
        source = meta.source(prov.source)
        citation = _citation(prov)
        sec = source.section(citation) if source and citation else None
        if source and sec:
            (drafted if prov.drafted else sourced).setdefault((source.id, sec.key), []).append(
                Link.of(kind, key, title, loc))
    cited = set(sourced) | set(drafted)
    return [CoverageRow(src.id, s.citation, s.title, s.depth, s.note,
                        tuple(sourced.get((src.id, s.key), ())),
                        tuple(drafted.get((src.id, s.key), ())),
                        any((src.id, d.key) in cited for d in src.below(s)))
            for src in meta.sources for s in src.sections]


def drafted_elements(model: Model) -> list[Link]:
    """Every element whose content is drafted (its own or inherited provenance)."""
    elements, titles = elements_and_titles(model)
    return [Link.of(e.kind, e.key, titles[(e.kind, e.key)], e.loc)
            for e in elements if e.provenance.drafted]


# --- rendering ----------------------------------------------------------------------------------

CSV_COLUMNS = ("rule", "title", "category", "status", "citation", "file", "line", "steps",
               "decisions", "forms", "checklist_items", "questionnaires", "constraints",
               "cases", "implemented", "tested", "controls")


def _ids(links: Iterable[Link]) -> str:
    return "; ".join(link.id for link in links)


def to_csv(rows: Iterable[TraceRow]) -> str:
    """One line per rule; linked elements as ``;``-separated ids (opens in Excel/WPS).
    No cell can start a formula (:func:`generator.escape.csv_cell`)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(escape.csv_cell(cell) for cell in [
            r.rule, r.title, r.category, r.status, r.citation, r.file, r.line, _ids(r.steps),
            _ids(r.decisions), _ids(r.forms), _ids(r.checklist_items), _ids(r.questionnaires),
            "; ".join(r.constraints), _ids(r.cases), "yes" if r.implemented else "no",
            "yes" if r.tested else "no", _ids(r.controls)])
    return buf.getvalue()


def to_json(model: Model, rows: Iterable[TraceRow]) -> str:
    rows = list(rows)
    payload = {
        "pack": model.meta.id if model.meta else "",
        "version": model.meta.version if model.meta else "",
        "rules": [{**asdict(r), "implemented": r.implemented, "tested": r.tested}
                  for r in rows],
        "coverage": [{**asdict(c), "covered": c.covered} for c in build_coverage(model)],
        "drafted": [asdict(link) for link in drafted_elements(model)],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def kind_label(model: Model, kind: str) -> str:
    """The Chinese label of an element kind, as its kind declares it."""
    return model.kinds.element_label(kind)


def _cell(text: str) -> str:
    """Policy text in a table cell of COVERAGE.md: literal on GitHub, never HTML, no
    link or mention (:func:`generator.escape.github_markdown`)."""
    return escape.github_markdown(text)


def _links(links: Iterable[Link]) -> str:
    return "<br>".join(escape.markdown_code(link.id) for link in links) or "—"


def to_markdown(model: Model, rows: Iterable[TraceRow]) -> str:
    """The coverage list: source sections → elements, the rule matrix, drafted content."""
    rows = list(rows)
    coverage = build_coverage(model)
    drafted = drafted_elements(model)
    title = model.meta.title if model.meta else ""
    out = [
        "# 来源文件覆盖清单",
        "",
        "<!-- 由 `policybook trace --format markdown -o policies/COVERAGE.md` 生成,"
        "请勿手工编辑。 -->",
        "",
        f"本页列出来源文件的每一节在政策包《{_cell(title)}》中由哪些元素体现(“引自该节”:内容引自该节;"
        "“据此起草”:为补全该节而起草,待审定),以及每条规则由哪些环节、决策表、表单和"
        "检查项执行、由哪些测试案例验证。",
        "",
    ]
    sources = model.meta.sources if model.meta else ()
    for source in sources:
        rows_of = [c for c in coverage if c.source == source.id]
        out += [
            f"## 《{_cell(source.title.strip('《》'))}》各节",
            "",
            "| 章节 | 标题 | 引自该节 | 据此起草 |",
            "| --- | --- | --- | --- |",
        ]
        for c in rows_of:
            heading = c.heading + (f"({c.note})" if c.note else "")
            indent = "&nbsp;&nbsp;" * c.depth
            out.append(f"| {indent}{_cell(c.citation)} | {_cell(heading)} | "
                       f"{_by_kind(model, c.sourced)} | {_by_kind(model, c.drafted)} |")
        uncovered = [_cell(c.citation) for c in rows_of if not c.covered]
        out += ["", "本章节及其下级章节都没有元素引用的:"
                f"{'、'.join(uncovered) if uncovered else '无'}。", ""]
    out += [
        "## 规则追溯矩阵",
        "",
        "| 规则 | 出处 | 环节 | 决策表 | 表单 | 检查项 | 问卷 | 路径约束 | 测试案例 | 审计控制 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        status = "引自" if r.status == "sourced" else "起草"
        out.append(
            f"| {escape.markdown_code(r.rule)} {_cell(r.title)} | {status} {_cell(r.citation)} | "
            f"{_links(r.steps)} | "
            f"{_links(r.decisions)} | {_links(r.forms)} | {_links(r.checklist_items)} | "
            f"{_links(r.questionnaires)} | {'<br>'.join(map(_cell, r.constraints)) or '—'} | "
            f"{_links(r.cases)} | {_links(r.controls)} |")
    counts = Counter(link.kind for link in drafted)
    out += [
        "",
        "## 起草内容",
        "",
        f"共 {len(drafted)} 项起草内容,须经负责部门审定:"
        + ",".join(f"{kind_label(model, k)} {n}" for k, n in counts.most_common()) + "。",
        "",
    ]
    return "\n".join(out) + "\n"


def _by_kind(model: Model, links: tuple[Link, ...]) -> str:
    if not links:
        return "—"
    groups: dict[str, list[str]] = {}
    for link in links:
        groups.setdefault(link.kind, []).append(escape.markdown_code(link.id))
    return "<br>".join(f"{kind_label(model, k)}:{'、'.join(v)}" for k, v in groups.items())
