"""One builder per kind: each turns a document's data into the model's dataclasses
and claims their ids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Literal

from generator.diagnostics import join_pointer
from generator.model.cases import Case
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
    RequiredWhen,
)
from generator.model.model import Model
from generator.model.pack import GoverningDocument, PackMeta, Principle, Stage
from generator.model.parameters import Parameter
from generator.model.questionnaires import (
    ALLOWS_TITLE,
    RESULT_TITLE,
    Answer,
    Level,
    Override,
    Question,
    Questionnaire,
)
from generator.model.reader import DocumentReader
from generator.model.roles import Permission, Role
from generator.model.rules import Constraint, Rule, RuleCategory, Waypoint
from generator.model.sources import build_sources
from generator.model.texts import Objection, Script, TargetClients, Term, Topic


def _t(values: Any) -> tuple[Any, ...]:
    return tuple(values or ())


def _build_pack(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    definition = d.get("definition") or {}
    model.meta = PackMeta(
        id=d["id"], title=d["title"], title_en=d.get("title_en", ""), owner=d["owner"],
        version=d["version"], effective_date=dt.date.fromisoformat(d["effective_date"]),
        summary=d.get("summary", ""), audience=_t(d.get("audience")),
        sources=build_sources(d.get("sources"), b.doc.at, b.doc.attachments),
        governing_documents=tuple(
            GoverningDocument(id=g["id"], title=g["title"], binding=g["binding"],
                              issuer=g.get("issuer", ""), provenance=b.provenance(g),
                              loc=b.loc(f"/governing_documents/{i}"))
            for i, g in enumerate(d.get("governing_documents", []))),
        definition=definition.get("text", ""),
        definition_provenance=b.provenance(definition) if definition else None,
        principles=tuple(
            Principle(id=p["id"], title=p["title"], summary=p["summary"],
                      description=p.get("description", ""), title_en=p.get("title_en", ""),
                      provenance=b.provenance(p), loc=b.loc(f"/principles/{i}"))
            for i, p in enumerate(d.get("principles", []))),
        stages=tuple(
            Stage(id=s["id"], order=i + 1, title=s["title"], title_en=s.get("title_en", ""),
                  tagline=s.get("tagline", ""), provenance=b.provenance(s),
                  loc=b.loc(f"/stages/{i}"))
            for i, s in enumerate(d.get("stages", []))),
        provenance=b.document_provenance, loc=b.loc(""), example=bool(d.get("example", False)),
    )
    for s in model.meta.stages:
        b.register("stage", s.id, s.loc, "命名环节")


def _build_roles(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    for i, p in enumerate(d["permissions"]):
        loc = b.loc(f"/permissions/{i}")
        if b.register("permission", p["id"], loc, "权限"):
            model.permissions[p["id"]] = Permission(
                id=p["id"], title=p["title"], description=p.get("description", ""),
                rules=_t(p.get("rules")), provenance=b.provenance(p), loc=loc)
    for i, r in enumerate(d["roles"]):
        loc = b.loc(f"/roles/{i}")
        if b.register("role", r["id"], loc, "岗位"):
            model.roles[r["id"]] = Role(
                id=r["id"], name=r["name"], name_en=r["name_en"], type=r["type"],
                part_of=r.get("part_of", ""), description=r.get("description", ""),
                permissions=_t(r.get("permissions")), provenance=b.provenance(r), loc=loc)


def _build_parameters(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    for i, p in enumerate(d["parameters"]):
        loc = b.loc(f"/parameters/{i}")
        if b.register("parameter", p["id"], loc, "参数"):
            model.parameters[p["id"]] = Parameter(
                id=p["id"], title=p["title"], value=p["value"], unit=p["unit"], loc=loc,
                provenance=b.provenance(p), title_en=p.get("title_en", ""),
                comparison=p.get("comparison", ""), description=p.get("description", ""),
                rules=_t(p.get("rules")))


def _waypoint(b: DocumentReader, w: Mapping[str, Any], pointer: str) -> Waypoint:
    if "any_of" in w:
        return Waypoint(loc=b.loc(pointer), any_of=tuple(
            _waypoint(b, x, f"{pointer}/any_of/{j}") for j, x in enumerate(w["any_of"])))
    return Waypoint(loc=b.loc(pointer), step=w.get("step", ""), outcome=w.get("outcome", ""),
                    stage=w.get("stage", ""))


def _build_rules(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    for i, c in enumerate(d.get("categories", [])):
        loc = b.loc(f"/categories/{i}")
        if b.register("category", c["id"], loc, "规则类别"):
            model.categories[c["id"]] = RuleCategory(
                id=c["id"], title=c["title"], loc=loc, title_en=c.get("title_en", ""),
                description=c.get("description", ""))
    for i, r in enumerate(d["rules"]):
        ptr = f"/rules/{i}"
        loc = b.loc(ptr)
        constraints = tuple(
            Constraint(flow=c["flow"], to=_t(c["to"]), in_order=tuple(
                _waypoint(b, w, f"{ptr}/constraints/{j}/in_order/{k}")
                for k, w in enumerate(c["in_order"])), loc=b.loc(f"{ptr}/constraints/{j}"))
            for j, c in enumerate(r.get("constraints", [])))
        if b.register("rule", r["id"], loc, "规则"):
            model.rules[r["id"]] = Rule(
                id=r["id"], title=r["title"], text=r["text"], category=r["category"],
                provenance=b.provenance(r), loc=loc, title_en=r.get("title_en", ""),
                parameters=_t(r.get("parameters")), constraints=constraints)


def _io(b: DocumentReader, items: Any, pointer: str) -> tuple[IO, ...]:
    out = []
    for i, item in enumerate(items or ()):
        (kind, value), = item.items()
        out.append(IO(kind=kind, value=value, loc=b.loc(f"{pointer}/{i}/{kind}")))
    return tuple(out)


def _build_flow(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    flow_loc = b.loc("")
    steps = []
    for i, s in enumerate(d["steps"]):
        ptr = f"/steps/{i}"
        loc = b.loc(ptr)
        step = Step(
            id=s["id"], flow=d["id"], type=s["type"], title=s["title"],
            provenance=b.provenance(s), loc=loc, title_en=s.get("title_en", ""),
            stage=s.get("stage", ""), actor=s.get("actor", ""),
            permission=s.get("permission", ""), purpose=s.get("purpose", ""),
            actions=_t(s.get("actions")), inputs=_io(b, s.get("inputs"), f"{ptr}/inputs"),
            outputs=_io(b, s.get("outputs"), f"{ptr}/outputs"), rules=_t(s.get("rules")),
            decision_table=s.get("decision_table", ""), questionnaire=s.get("questionnaire", ""),
            question=s.get("question", ""),
            outcomes=tuple(Outcome(id=o["id"], title=o["title"], next=o["next"],
                                   loc=b.loc(f"{ptr}/outcomes/{j}"))
                           for j, o in enumerate(s.get("outcomes", []))),
            next=s.get("next", ""), result=s.get("result", ""),
            continues_in=s.get("continues_in", ""),
        )
        if b.register("step", step.id, loc, "环节"):
            steps.append(step)
            model.steps[step.id] = step
    if b.register("flow", d["id"], flow_loc, "流程"):
        model.flows[d["id"]] = Flow(
            id=d["id"], title=d["title"], title_en=d.get("title_en", ""),
            order=d.get("order", 0), actors=_t(d["actors"]), summary=d.get("summary", ""),
            steps=tuple(steps),
            loops=tuple(Loop(from_step=lp["from"], to_step=lp["to"], reason=lp["reason"],
                             loc=b.loc(f"/loops/{j}"))
                        for j, lp in enumerate(d.get("loops", []))),
            provenance=b.document_provenance, loc=flow_loc)
        model.flows = dict(sorted(model.flows.items(), key=lambda kv: (kv[1].order, kv[0])))


def _values(items: Any) -> tuple[EnumValue, ...]:
    return tuple(EnumValue(id=v["id"], title=v["title"]) for v in items or ())


def _bound(raw: Any, model: Model) -> Bound:
    if isinstance(raw, str):
        param = model.parameters.get(raw)
        return Bound(value=float(param.value) if param else float("nan"), parameter=raw)
    return Bound(value=float(raw))


def _condition(b: DocumentReader, raw: Any, pointer: str, model: Model) -> Condition:
    loc = b.loc(pointer)
    if isinstance(raw, list):
        return EnumSet(values=tuple(raw), loc=loc)
    low = raw.get("gte", raw.get("gt"))
    high = raw.get("lte", raw.get("lt"))
    return Interval(
        low=_bound(low, model) if low is not None else None, low_inclusive="gte" in raw,
        high=_bound(high, model) if high is not None else None, high_inclusive="lte" in raw,
        loc=loc)


def _build_decision_table(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    loc = b.loc("")
    if not b.register("decision_table", d["id"], loc, "决策表"):
        return
    model.decision_tables[d["id"]] = DecisionTable(
        id=d["id"], title=d["title"], title_en=d.get("title_en", ""),
        summary=d.get("summary", ""), hit_policy=d["hit_policy"],
        inputs=tuple(
            DecisionInput(id=x["id"], title=x["title"], type=x["type"], unit=x.get("unit", ""),
                          minimum=x.get("minimum"), maximum=x.get("maximum"),
                          values=_values(x.get("values")), loc=b.loc(f"/inputs/{i}"))
            for i, x in enumerate(d["inputs"])),
        outputs=tuple(
            DecisionOutput(id=x["id"], title=x["title"], values=_values(x["values"]),
                           loc=b.loc(f"/outputs/{i}"))
            for i, x in enumerate(d["outputs"])),
        rows=tuple(
            Row(id=r["id"],
                when={k: _condition(b, v, join_pointer(f"/rows/{i}/when", k), model)
                      for k, v in r["when"].items()},
                then=dict(r["then"]), note=r.get("note", ""), rules=_t(r.get("rules")),
                provenance=b.provenance(r), loc=b.loc(f"/rows/{i}"))
            for i, r in enumerate(d["rows"])),
        rules=_t(d.get("rules")), provenance=b.document_provenance, loc=loc)


def _build_questionnaire(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    loc = b.loc("")
    if not b.register("questionnaire", d["id"], loc, "问卷"):
        return
    model.questionnaires[d["id"]] = Questionnaire(
        id=d["id"], title=d["title"], title_en=d.get("title_en", ""),
        summary=d.get("summary", ""), instructions=d.get("instructions", ""),
        rules=_t(d.get("rules")), validity=d.get("validity", ""),
        result_title=d.get("result_title", RESULT_TITLE),
        allows_title=d.get("allows_title", ALLOWS_TITLE),
        questions=tuple(
            Question(id=q["id"], text=q["text"], topic=q.get("topic", ""),
                     answers=tuple(Answer(id=a["id"], text=a["text"], score=a["score"],
                                          loc=b.loc(f"/questions/{i}/answers/{j}"))
                                   for j, a in enumerate(q["answers"])),
                     loc=b.loc(f"/questions/{i}"))
            for i, q in enumerate(d["questions"])),
        levels=tuple(
            Level(id=lv["id"], title=lv["title"], title_en=lv.get("title_en", ""),
                  min_score=lv["min_score"], max_score=lv["max_score"],
                  description=lv.get("description", ""),
                  allows=lv.get("allows", ""), loc=b.loc(f"/levels/{i}"))
            for i, lv in enumerate(d["levels"])),
        overrides=tuple(
            Override(id=o["id"], title=o["title"],
                     when={q: _t(chosen) for q, chosen in o["when"].items()},
                     effect="cap" if "cap" in o else "set", level=o.get("cap", o.get("set", "")),
                     description=o.get("description", ""), rules=_t(o.get("rules")),
                     provenance=b.provenance(o), loc=b.loc(f"/overrides/{i}"))
            for i, o in enumerate(d.get("overrides", ()))),
        provenance=b.document_provenance, loc=loc)


def _required_when(b: DocumentReader, f: Mapping[str, Any], pointer: str) -> RequiredWhen | None:
    rw = f.get("required_when")
    if rw is None:
        return None
    return RequiredWhen(field=rw["field"], in_=_t(rw.get("in")),
                        not_equal_field=rw.get("not_equal_field", ""),
                        loc=b.loc(f"{pointer}/required_when"))


def _build_form(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    loc = b.loc("")
    if not b.register("form", d["id"], loc, "表单"):
        return
    sections = []
    field_ids: set[str] = set()
    for i, s in enumerate(d["sections"]):
        fields = []
        for j, f in enumerate(s["fields"]):
            floc = b.loc(f"/sections/{i}/fields/{j}")
            if f["id"] in field_ids:
                b.diagnostics.append(floc.diagnostic(
                    "ref.duplicate-id", f"表单字段标识 “{f['id']}” 在本表单中重复。",
                    "字段标识同时是可填写 PDF 的字段名,在表单内必须唯一。"))
                continue
            field_ids.add(f["id"])
            fields.append(FormField(
                id=f["id"], form=d["id"], label=f["label"], type=f["type"],
                required=f["required"], filled_at=f["filled_at"], provenance=b.provenance(f),
                loc=floc, label_en=f.get("label_en", ""),
                options=tuple(FieldOption(id=o["id"], label=o["label"])
                              for o in f.get("options", [])),
                unit=f.get("unit", ""), hint=f.get("hint", ""), lines=f.get("lines", 1),
                rules=_t(f.get("rules")), derived=f.get("derived", ""),
                required_when=_required_when(b, f, f"/sections/{i}/fields/{j}")))
        sections.append(FormSection(id=s["id"], title=s["title"], note=s.get("note", ""),
                                    fields=tuple(fields), loc=b.loc(f"/sections/{i}")))
    model.forms[d["id"]] = Form(
        id=d["id"], code=d["code"], title=d["title"], title_en=d.get("title_en", ""),
        purpose=d["purpose"], questionnaire=d.get("questionnaire", ""),
        rules=_t(d.get("rules")), sections=tuple(sections),
        provenance=b.document_provenance, loc=loc, page_fields=_t(d.get("page_fields")))


def _build_checklist(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    loc = b.loc("")
    if not b.register("checklist", d["id"], loc, "清单"):
        return
    items = []
    for i, it in enumerate(d.get("items", [])):
        iloc = b.loc(f"/items/{i}")
        if b.register("checklist_item", it["id"], iloc, "检查项"):
            items.append(ChecklistItem(
                id=it["id"], checklist=d["id"], text=it["text"], step=it["step"],
                role=it.get("role", ""), rules=_t(it.get("rules")),
                provenance=b.provenance(it), loc=iloc))
    model.checklists[d["id"]] = Checklist(
        id=d["id"], code=d["code"], title=d["title"], title_en=d.get("title_en", ""),
        summary=d.get("summary", ""), flow=d.get("flow", ""),
        collect_role=(d.get("collect") or {}).get("role", ""), own_items=tuple(items),
        provenance=b.document_provenance, loc=loc, header_fields=_t(d.get("header_fields")),
        page_fields=_t(d.get("page_fields")))


def _build_script(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    loc = b.loc("")
    if b.register("script", d["id"], loc, "话术"):
        model.scripts[d["id"]] = Script(
            id=d["id"], title=d["title"], step=d["step"], opening=d["opening"],
            key_messages=_t(d["key_messages"]),
            objections=tuple(Objection(id=o["id"], objection=o["objection"],
                                       answer=o["answer"], loc=b.loc(f"/objections/{i}"))
                             for i, o in enumerate(d["objections"])),
            closing=d["closing"], never_say=_t(d["never_say"]), rules=_t(d.get("rules")),
            provenance=b.document_provenance, loc=loc)


def _build_glossary(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    for i, t in enumerate(d["terms"]):
        loc = b.loc(f"/terms/{i}")
        if b.register("term", t["id"], loc, "术语"):
            model.terms[t["id"]] = Term(
                id=t["id"], term=t["term"], en=t["en"], definition=t["definition"],
                aliases=_t(t.get("aliases")), provenance=b.provenance(t), loc=loc)


def _topics(b: DocumentReader, items: Any, pointer: str) -> tuple[Topic, ...]:
    return tuple(
        Topic(id=x["id"], title=x["title"], description=x.get("description", ""),
              provenance=b.provenance(x), loc=b.loc(f"{pointer}/{i}"),
              signal=x.get("signal", ""), criterion=x.get("criterion", ""),
              action=x.get("action", ""), parameters=_t(x.get("parameters")))
        for i, x in enumerate(items or ()))


def _build_target_clients(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
    std = d["standard"]
    model.target_clients = TargetClients(
        id=d["id"], title=d["title"], standard=std["text"],
        standard_rules=_t(std.get("rules")), standard_provenance=b.provenance(std),
        sources=_topics(b, d["sources"], "/sources"),
        mining=_topics(b, d["mining"], "/mining"),
        development=_topics(b, d["development"], "/development"),
        provenance=b.document_provenance, loc=b.loc(""))


def _build_cases(model: Model, b: DocumentReader, d: Mapping[str, Any]) -> None:
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
        if b.register("case", c["id"], loc, "案例"):
            model.cases[c["id"]] = Case(
                id=c["id"], title=c["title"], kind=kind, target=target, rules=_t(c["rules"]),
                given=resolved, expect=dict(c["expect"]), case_set=d["id"],
                provenance=b.document_provenance, loc=loc, parameters=relative, shown=shown,
                written=dict(given))


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


Builder = Callable[[Model, DocumentReader, Mapping[str, Any]], None]

BUILDERS: dict[str, Builder] = {
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
"""Each kind's builder, in the order :func:`~generator.model.build.build_model` builds
the kinds (parameters before the decision tables whose bounds name them)."""
