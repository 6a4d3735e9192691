"""Build the typed model from schema-valid documents: one builder per kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from generator.diagnostics import Diagnostic, join_pointer
from generator.load import Document, LoadResult
from generator.model.cases import Case
from generator.model.core import Loc, Provenance
from generator.model.decisions import (
    Bound,
    Condition,
    DecisionInput,
    DecisionOutput,
    DecisionTable,
    EnumSet,
    EnumValue,
    Interval,
    Row,
)
from generator.model.flows import IO, Flow, Loop, Outcome, Step
from generator.model.forms import (
    Checklist,
    ChecklistItem,
    FieldOption,
    Form,
    FormField,
    FormSection,
)
from generator.model.model import Model
from generator.model.pack import GoverningDocument, PackMeta, Part, Principle, Stage
from generator.model.parameters import Parameter
from generator.model.questionnaires import Answer, Level, Question, Questionnaire
from generator.model.roles import Permission, Role
from generator.model.rules import Constraint, Rule, Waypoint
from generator.model.texts import Objection, Script, TargetClients, Term, Topic


class _Builder:
    def __init__(self, doc: Document, diagnostics: list[Diagnostic]) -> None:
        self.doc = doc
        self.diagnostics = diagnostics

    def loc(self, pointer: str) -> Loc:
        line, col = self.doc.at(pointer)
        return Loc(self.doc.file, line, col, pointer)

    def provenance(self, data: Mapping[str, Any], inherited: Provenance | None) -> Provenance:
        raw = data.get("provenance")
        if isinstance(raw, dict):
            if "sourced" in raw:
                return Provenance("sourced", citation=raw["sourced"], quote=raw.get("quote", ""))
            return Provenance("drafted", note=raw.get("drafted", ""),
                              based_on=raw.get("based_on", ""))
        if inherited is None:
            return Provenance("drafted", note="未注明来源", inherited=True)
        if inherited.inherited:
            return inherited
        return Provenance(inherited.status, inherited.citation, inherited.quote, inherited.note,
                          inherited.based_on, inherited=True)


def _t(values: Any) -> tuple[Any, ...]:
    return tuple(values or ())


def build_model(result: LoadResult) -> tuple[Model, list[Diagnostic]]:
    """Build the model from schema-valid documents (invalid ones are skipped).

    Returns the diagnostics found while building: duplicate ids across the pack.
    """
    model = Model()
    diags: list[Diagnostic] = []
    seen: dict[tuple[str, str], Loc] = {}

    def register(kind: str, key: str, loc: Loc, label: str) -> bool:
        first = seen.get((kind, key))
        if first is not None:
            diags.append(loc.diagnostic(
                "ref.duplicate-id",
                f"{label}标识 “{key}” 重复,已在 {first.file}:{first.line} 定义。",
                "标识在政策包中必须唯一;请改名或删除其中一个。"))
            return False
        seen[(kind, key)] = loc
        return True

    # Parameters first: decision-table bounds resolve against them.
    order = {kind: i for i, kind in enumerate(_BUILDERS)}
    for doc in sorted(result.documents, key=lambda d: (order[d.kind], d.file)):
        model.files_by_kind.setdefault(doc.kind, []).append(doc.file)
        model.documents[doc.file] = doc
        if not doc.valid:
            continue
        b = _Builder(doc, diags)
        _BUILDERS[doc.kind](model, b, doc.data, register)
    return model, diags


Register = Any  # Callable[[str, str, Loc, str], bool]


def _build_pack(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    src = d.get("source_document", {}) or {}
    definition = d.get("definition") or {}
    model.meta = PackMeta(
        id=d["id"], title=d["title"], title_en=d.get("title_en", ""), owner=d["owner"],
        version=d["version"], effective_date=dt.date.fromisoformat(d["effective_date"]),
        summary=d.get("summary", ""), audience=_t(d.get("audience")),
        source_title=src.get("title", ""), source_file=src.get("file", ""),
        source_note=src.get("note", ""),
        governing_documents=tuple(
            GoverningDocument(g["id"], g["title"], g["binding"], g.get("issuer", ""),
                              b.provenance(g, prov), b.loc(f"/governing_documents/{i}"))
            for i, g in enumerate(d.get("governing_documents", []))),
        definition=definition.get("text", ""),
        definition_provenance=b.provenance(definition, prov) if definition else None,
        principles=tuple(
            Principle(p["id"], p["title"], p["summary"], p.get("description", ""),
                      p.get("title_en", ""), b.provenance(p, prov), b.loc(f"/principles/{i}"))
            for i, p in enumerate(d.get("principles", []))),
        stages=tuple(
            Stage(s["id"], i + 1, s["title"], s.get("title_en", ""), s.get("tagline", ""),
                  b.provenance(s, prov), b.loc(f"/stages/{i}"))
            for i, s in enumerate(d.get("stages", []))),
        parts=tuple(
            Part(p["number"], p["title"], p.get("summary", ""), _t(p.get("covered_by")),
                 b.provenance(p, prov), b.loc(f"/parts/{i}"))
            for i, p in enumerate(d.get("parts", []))),
        provenance=prov, loc=b.loc(""),
    )
    for s in model.meta.stages:
        register("stage", s.id, s.loc, "命名环节")


def _build_roles(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    for i, p in enumerate(d["permissions"]):
        loc = b.loc(f"/permissions/{i}")
        if register("permission", p["id"], loc, "权限"):
            model.permissions[p["id"]] = Permission(
                p["id"], p["title"], p.get("description", ""), _t(p.get("rules")),
                b.provenance(p, prov), loc)
    for i, r in enumerate(d["roles"]):
        loc = b.loc(f"/roles/{i}")
        if register("role", r["id"], loc, "岗位"):
            model.roles[r["id"]] = Role(
                r["id"], r["name"], r["name_en"], r["type"], r.get("part_of", ""),
                r.get("description", ""), _t(r.get("permissions")), b.provenance(r, prov), loc)


def _build_parameters(model: Model, b: _Builder, d: Mapping[str, Any],
                      register: Register) -> None:
    prov = b.provenance(d, None)
    for i, p in enumerate(d["parameters"]):
        loc = b.loc(f"/parameters/{i}")
        if register("parameter", p["id"], loc, "参数"):
            model.parameters[p["id"]] = Parameter(
                p["id"], p["title"], p["value"], p["unit"], loc, b.provenance(p, prov),
                p.get("title_en", ""), p.get("comparison", ""), p.get("description", ""),
                _t(p.get("rules")))


def _waypoint(b: _Builder, w: Mapping[str, Any], pointer: str) -> Waypoint:
    if "any_of" in w:
        return Waypoint(b.loc(pointer), any_of=tuple(
            _waypoint(b, x, f"{pointer}/any_of/{j}") for j, x in enumerate(w["any_of"])))
    return Waypoint(b.loc(pointer), step=w.get("step", ""), outcome=w.get("outcome", ""),
                    stage=w.get("stage", ""))


def _build_rules(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    for i, r in enumerate(d["rules"]):
        ptr = f"/rules/{i}"
        loc = b.loc(ptr)
        constraints = tuple(
            Constraint(c["flow"], _t(c["to"]), tuple(
                _waypoint(b, w, f"{ptr}/constraints/{j}/in_order/{k}")
                for k, w in enumerate(c["in_order"])), b.loc(f"{ptr}/constraints/{j}"))
            for j, c in enumerate(r.get("constraints", [])))
        if register("rule", r["id"], loc, "规则"):
            model.rules[r["id"]] = Rule(
                r["id"], r["title"], r["text"], r["category"], b.provenance(r, prov), loc,
                r.get("title_en", ""), _t(r.get("parameters")), constraints)


def _io(b: _Builder, items: Any, pointer: str) -> tuple[IO, ...]:
    out = []
    for i, item in enumerate(items or ()):
        (kind, value), = item.items()
        out.append(IO(kind, value, b.loc(f"{pointer}/{i}/{kind}")))
    return tuple(out)


def _build_flow(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    flow_loc = b.loc("")
    steps = []
    for i, s in enumerate(d["steps"]):
        ptr = f"/steps/{i}"
        loc = b.loc(ptr)
        step = Step(
            id=s["id"], flow=d["id"], type=s["type"], title=s["title"],
            provenance=b.provenance(s, prov), loc=loc, title_en=s.get("title_en", ""),
            stage=s.get("stage", ""), actor=s.get("actor", ""),
            permission=s.get("permission", ""), purpose=s.get("purpose", ""),
            actions=_t(s.get("actions")), inputs=_io(b, s.get("inputs"), f"{ptr}/inputs"),
            outputs=_io(b, s.get("outputs"), f"{ptr}/outputs"), rules=_t(s.get("rules")),
            decision_table=s.get("decision_table", ""), questionnaire=s.get("questionnaire", ""),
            question=s.get("question", ""),
            outcomes=tuple(Outcome(o["id"], o["title"], o["next"], b.loc(f"{ptr}/outcomes/{j}"))
                           for j, o in enumerate(s.get("outcomes", []))),
            next=s.get("next", ""), result=s.get("result", ""),
            continues_in=s.get("continues_in", ""),
        )
        if register("step", step.id, loc, "环节"):
            steps.append(step)
            model.steps[step.id] = step
    if register("flow", d["id"], flow_loc, "流程"):
        model.flows[d["id"]] = Flow(
            d["id"], d["title"], d.get("title_en", ""), d.get("order", 0), _t(d["actors"]),
            d.get("summary", ""), tuple(steps),
            tuple(Loop(lp["from"], lp["to"], lp["reason"], b.loc(f"/loops/{j}"))
                  for j, lp in enumerate(d.get("loops", []))),
            prov, flow_loc)
        model.flows = dict(sorted(model.flows.items(), key=lambda kv: (kv[1].order, kv[0])))


def _values(items: Any) -> tuple[EnumValue, ...]:
    return tuple(EnumValue(v["id"], v["title"]) for v in items or ())


def _bound(raw: Any, model: Model) -> Bound:
    if isinstance(raw, str):
        param = model.parameters.get(raw)
        return Bound(float(param.value) if param else float("nan"), parameter=raw)
    return Bound(float(raw))


def _condition(b: _Builder, raw: Any, pointer: str, model: Model) -> Condition:
    loc = b.loc(pointer)
    if isinstance(raw, list):
        return EnumSet(tuple(raw), loc)
    low = raw.get("gte", raw.get("gt"))
    high = raw.get("lte", raw.get("lt"))
    return Interval(
        _bound(low, model) if low is not None else None, "gte" in raw,
        _bound(high, model) if high is not None else None, "lte" in raw, loc)


def _build_decision_table(model: Model, b: _Builder, d: Mapping[str, Any],
                          register: Register) -> None:
    prov = b.provenance(d, None)
    loc = b.loc("")
    if not register("decision_table", d["id"], loc, "决策表"):
        return
    model.decision_tables[d["id"]] = DecisionTable(
        d["id"], d["title"], d.get("title_en", ""), d.get("summary", ""), d["hit_policy"],
        tuple(DecisionInput(x["id"], x["title"], x["type"], x.get("unit", ""),
                            x.get("minimum"), x.get("maximum"), _values(x.get("values")),
                            b.loc(f"/inputs/{i}")) for i, x in enumerate(d["inputs"])),
        tuple(DecisionOutput(x["id"], x["title"], _values(x["values"]), b.loc(f"/outputs/{i}"))
              for i, x in enumerate(d["outputs"])),
        tuple(Row(r["id"],
                  {k: _condition(b, v, join_pointer(f"/rows/{i}/when", k), model)
                   for k, v in r["when"].items()},
                  dict(r["then"]), r.get("note", ""), _t(r.get("rules")),
                  b.provenance(r, prov), b.loc(f"/rows/{i}"))
              for i, r in enumerate(d["rows"])),
        _t(d.get("rules")), prov, loc)


def _build_questionnaire(model: Model, b: _Builder, d: Mapping[str, Any],
                         register: Register) -> None:
    prov = b.provenance(d, None)
    loc = b.loc("")
    if not register("questionnaire", d["id"], loc, "问卷"):
        return
    model.questionnaires[d["id"]] = Questionnaire(
        d["id"], d["title"], d.get("title_en", ""), d.get("summary", ""),
        d.get("instructions", ""), _t(d.get("rules")), d.get("validity", ""),
        tuple(Question(q["id"], q["text"], q.get("topic", ""),
                       tuple(Answer(a["id"], a["text"], a["score"],
                                    b.loc(f"/questions/{i}/answers/{j}"))
                             for j, a in enumerate(q["answers"])), b.loc(f"/questions/{i}"))
              for i, q in enumerate(d["questions"])),
        tuple(Level(lv["id"], lv["title"], lv.get("title_en", ""), lv["min_score"],
                    lv["max_score"], lv.get("description", ""), lv.get("max_product_risk", ""),
                    b.loc(f"/levels/{i}")) for i, lv in enumerate(d["levels"])),
        prov, loc)


def _build_form(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    loc = b.loc("")
    if not register("form", d["id"], loc, "表单"):
        return
    sections = []
    field_ids: set[str] = set()
    for i, s in enumerate(d["sections"]):
        fields = []
        for j, f in enumerate(s["fields"]):
            ptr = f"/sections/{i}/fields/{j}"
            floc = b.loc(ptr)
            if f["id"] in field_ids:
                diags = b.diagnostics
                diags.append(floc.diagnostic(
                    "ref.duplicate-id", f"表单字段标识 “{f['id']}” 在本表单中重复。",
                    "字段标识同时是可填写 PDF 的字段名,在表单内必须唯一。"))
                continue
            field_ids.add(f["id"])
            fields.append(FormField(
                f["id"], d["id"], f["label"], f["type"], f["required"], f["filled_at"],
                b.provenance(f, prov), floc, f.get("label_en", ""),
                tuple(FieldOption(o["id"], o["label"]) for o in f.get("options", [])),
                f.get("unit", ""), f.get("hint", ""), f.get("lines", 1), _t(f.get("rules"))))
        sections.append(FormSection(s["id"], s["title"], s.get("note", ""), tuple(fields),
                                    b.loc(f"/sections/{i}")))
    model.forms[d["id"]] = Form(
        d["id"], d["code"], d["title"], d.get("title_en", ""), d["purpose"],
        d.get("questionnaire", ""), _t(d.get("rules")), tuple(sections), prov, loc)


def _build_checklist(model: Model, b: _Builder, d: Mapping[str, Any],
                     register: Register) -> None:
    prov = b.provenance(d, None)
    loc = b.loc("")
    if not register("checklist", d["id"], loc, "清单"):
        return
    items = []
    for i, it in enumerate(d.get("items", [])):
        iloc = b.loc(f"/items/{i}")
        if register("checklist_item", it["id"], iloc, "检查项"):
            items.append(ChecklistItem(it["id"], d["id"], it["text"], it["step"],
                                       it.get("role", ""), _t(it.get("rules")),
                                       b.provenance(it, prov), iloc))
    model.checklists[d["id"]] = Checklist(
        d["id"], d["code"], d["title"], d.get("title_en", ""), d.get("summary", ""),
        d.get("flow", ""), (d.get("collect") or {}).get("role", ""), tuple(items), prov, loc)


def _build_script(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    loc = b.loc("")
    if register("script", d["id"], loc, "话术"):
        model.scripts[d["id"]] = Script(
            d["id"], d["title"], d["step"], d["opening"], _t(d["key_messages"]),
            tuple(Objection(o["id"], o["objection"], o["answer"], b.loc(f"/objections/{i}"))
                  for i, o in enumerate(d["objections"])),
            d["closing"], _t(d["never_say"]), prov, loc)


def _build_glossary(model: Model, b: _Builder, d: Mapping[str, Any],
                    register: Register) -> None:
    prov = b.provenance(d, None)
    for i, t in enumerate(d["terms"]):
        loc = b.loc(f"/terms/{i}")
        if register("term", t["id"], loc, "术语"):
            model.terms[t["id"]] = Term(t["id"], t["term"], t["en"], t["definition"],
                                        _t(t.get("aliases")), b.provenance(t, prov), loc)


def _topics(b: _Builder, items: Any, pointer: str, prov: Provenance) -> tuple[Topic, ...]:
    return tuple(
        Topic(x["id"], x["title"], x.get("description", ""), b.provenance(x, prov),
              b.loc(f"{pointer}/{i}"), x.get("signal", ""), x.get("criterion", ""),
              x.get("action", ""), _t(x.get("parameters")))
        for i, x in enumerate(items or ()))


def _build_target_clients(model: Model, b: _Builder, d: Mapping[str, Any],
                          register: Register) -> None:
    prov = b.provenance(d, None)
    std = d["standard"]
    model.target_clients = TargetClients(
        d["id"], d["title"], std["text"], _t(std.get("rules")), b.provenance(std, prov),
        _topics(b, d["sources"], "/sources", prov), _topics(b, d["mining"], "/mining", prov),
        _topics(b, d["development"], "/development", prov), prov, b.loc(""))


def _build_cases(model: Model, b: _Builder, d: Mapping[str, Any], register: Register) -> None:
    prov = b.provenance(d, None)
    for i, c in enumerate(d["cases"]):
        loc = b.loc(f"/cases/{i}")
        kind: Literal["decision", "questionnaire", "flow"]
        if "decision" in c:
            kind, target, given = "decision", c["decision"], c["input"]
        elif "questionnaire" in c:
            kind, target, given = "questionnaire", c["questionnaire"], c["answers"]
        else:
            kind, target, given = "flow", c["flow"], c["choices"]
        resolved, relative, shown = (_case_inputs(given, model) if kind == "decision"
                                     else (given, {}, {}))
        if register("case", c["id"], loc, "案例"):
            model.cases[c["id"]] = Case(c["id"], c["title"], kind, target, _t(c["rules"]),
                                        resolved, dict(c["expect"]), d["id"], prov, loc,
                                        relative, shown, dict(given))


def _case_inputs(given: Mapping[str, Any], model: Model
                 ) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """``{param: p, times: t, offset: o}`` → value of p × t + o (NaN for an unknown p,
    which the reference check reports), the parameter it follows, and how it reads."""
    resolved: dict[str, Any] = {}
    relative: dict[str, str] = {}
    shown: dict[str, str] = {}
    for name, value in given.items():
        if not isinstance(value, dict):
            resolved[name] = value
            continue
        param = model.parameters.get(value["param"])
        base = float(param.value) if param else float("nan")
        times, offset = value.get("times", 1), value.get("offset", 0)
        number = base * times + offset
        resolved[name] = int(number) if number.is_integer() else number
        relative[name] = value["param"]
        text = param.display if param else value["param"]
        if times != 1:
            text = f"{times:g} × {text}"
        if offset:
            text += f" {'−' if offset < 0 else '+'} {abs(offset):g}"
        shown[name] = text
    return resolved, relative, shown


_BUILDERS = {
    "pack": _build_pack,
    "parameters": _build_parameters,
    "roles": _build_roles,
    "rules": _build_rules,
    "flow": _build_flow,
    "decision_table": _build_decision_table,
    "questionnaire": _build_questionnaire,
    "form": _build_form,
    "checklist": _build_checklist,
    "script": _build_script,
    "glossary": _build_glossary,
    "target_clients": _build_target_clients,
    "cases": _build_cases,
}
