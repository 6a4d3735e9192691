"""The model as handbook pages: one typed context per page, rendered to Markdown.

:func:`render_site` is a pure function of the model and the set of printable PDFs
that exist; the plugin adds its pages to mkdocs as virtual files and uses
:func:`navigation` as the site's nav.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.model import (
    Case,
    Checklist,
    DecisionTable,
    Flow,
    Form,
    FormField,
    Interval,
    Model,
    Override,
    Parameter,
    Provenance,
    Questionnaire,
    Rule,
    Step,
)
from generator import checkref
from generator.site import contexts as c
from generator.site import search
from generator.site import wording
from generator.site.checkref import check_reference
from generator.site.collation import by_letter
from generator.site.deferred import Pending, deferrable, later
from generator.site.language import KindDoc, describe, shared_types
from generator.site.links import LANGUAGE_DIR, Links
from generator.site.markup import Markup, badge, md, split_front_matter
from generator.site.mermaid import LEGEND, figure
from generator.site.printing import edition, edition_marked
from generator.site.render import render
from generator.site.review import counts_sentence, decisions, draft_counts, sections
from generator.site.tools import decision_tool, questionnaire_tool
from generator.model.cache import per_model
from generator.trace import TraceRow, build_matrix, kind_label

LONG_RULE = 80
"""A rule text longer than this (characters) is folded on step pages: title, then the text
on demand (the same long texts repeat on many steps)."""


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    src: str
    """Markdown path inside the site."""
    title: str
    markdown: str

    def extended(self, markdown: str) -> GeneratedPage:
        """The page with ``markdown`` after its own."""
        return GeneratedPage(self.src, self.title, self.markdown + markdown) if markdown else self


class SiteBuilder:
    """Builds each page's context from the model."""

    def __init__(self, model: Model, pdfs: frozenset[str], directory_urls: bool) -> None:
        self.model = model
        self.pdfs = pdfs
        self.directory_urls = directory_urls
        self.deferring = False
        """Page functions return pending pages (:mod:`generator.site.deferred`)."""

    # Derived when a page asks, so that what a page reads is what it depends on.
    @property
    def matrix(self) -> dict[str, TraceRow]:
        return _matrix(self.model)

    @property
    def forms(self) -> list[Form]:
        """The forms in the order of their printed codes (MN-F-01, MN-F-02, …)."""
        return sorted(self.model.forms.values(), key=lambda f: (f.code, f.id))

    @property
    def checklists(self) -> list[Checklist]:
        return sorted(self.model.checklists.values(), key=lambda c: (c.code, c.id))

    def base(self, here: str, title: str) -> dict[str, Any]:
        links = Links(here, self.model, self.pdfs, directory_urls=self.directory_urls)
        sources = self.model.meta.sources if self.model.meta else ()
        return {"here": here, "title": title, "links": links, "text": self.model.text,
                "badge": functools.partial(badge, sources=sources)}

    def page(self, context: c.PageContext) -> GeneratedPage:
        return GeneratedPage(context.here, self.model.text(context.title), render(context))

    # --- shared pieces ------------------------------------------------------------

    def steps_of_role(self, role_id: str) -> list[Step]:
        """The role's steps in reading order: flow by flow, step by step."""
        return [s for f in self.model.flows.values() for s in f.steps if s.actor == role_id]

    def checklists_of_role(self, role_id: str) -> list[Checklist]:
        return [cl for cl in self.model.checklists.values() if cl.collect_role == role_id]

    def stages(self) -> list[c.StageStep]:
        meta = self.model.meta
        if meta is None:
            return []
        return [c.StageStep(s, [st for st in self.model.steps.values() if st.stage == s.id])
                for s in meta.stages]

    def diagram(self, flow: Flow, links: Links) -> c.FlowDiagram:
        roles = self.model.roles
        actors = [roles[a] for a in flow.performers if a in roles]
        declared = [roles[a] for a in flow.actors if a in roles]
        return c.FlowDiagram(flow, figure(flow, self.model, links), actors,
                             declared if declared != actors else [], declared_at(flow))

    # --- pages ----------------------------------------------------------------------

    @deferrable
    def home(self) -> GeneratedPage:
        meta = self.model.meta
        assert meta is not None
        audience = [self.model.roles[r] for r in meta.audience if r in self.model.roles]
        if not audience:
            audience = list(self.model.roles.values())
        starts = [c.RoleStart(r, self.steps_of_role(r.id), self.checklists_of_role(r.id))
                  for r in audience]
        m = self.model
        counts = {"流程": len(m.flows),
                  "环节": sum(1 for s in m.steps.values() if s.type in ("task", "decision")),
                  "规则": len(m.rules), "表单": len(m.forms), "检查清单": len(m.checklists),
                  "话术": len(m.scripts), "术语": len(m.terms)}
        drafted = counts_sentence(draft_counts(m))
        return self.page(c.HomePage(
            **self.base("index.md", meta.title), meta=meta,
            governing=list(meta.governing_documents), starts=starts, stages=self.stages(),
            flows=list(m.flows.values()), counts=counts, drafted=drafted,
            sources=list(meta.sources),
            samples=(badge(self.sample_citation(), meta.sources),
                     badge(Provenance("drafted", note="示例")))))

    def sample_citation(self) -> Provenance:
        """A citation of the pack itself, to show what a sourced badge looks like."""
        quoted = [prov for _kind, _key, prov, _loc in self.model.elements()
                  if not prov.drafted and prov.citation]
        best = next((p for p in quoted if p.quote), quoted[0] if quoted else None)
        return best or Provenance("sourced", citation="…")

    @deferrable
    def overview(self) -> GeneratedPage:
        base = self.base("overview.md", "流程概述")
        links: Links = base["links"]
        return self.page(c.OverviewPage(
            **base, meta=self.model.meta, stages=self.stages(),
            diagrams=[self.diagram(f, links) for f in self.model.flows.values()],
            legend=LEGEND))

    @deferrable
    def flow(self, flow: Flow) -> GeneratedPage:
        base = self.base(f"flows/{flow.id}.md", flow.title)
        d = self.diagram(flow, base["links"])
        return self.page(c.FlowPage(
            **base, flow=flow, diagram=d.diagram, actors=d.actors, declared=d.declared,
            declared_provenance=d.declared_provenance, numbers=flow.numbers(),
            terminals=[s for s in flow.steps if s.type in ("start", "end")],
            checklists=[cl for cl in self.model.checklists.values() if cl.flow == flow.id],
            previous=[f for f in self.model.flows.values()
                      if any(s.continues_in == flow.id for s in f.steps)]))

    @deferrable
    def step(self, step: Step) -> GeneratedPage:
        m = self.model
        flow = m.flows[step.flow]
        before = [c.Link(s, o) for s in flow.steps for target, o in s.successors()
                  if target == step.id]
        after = [c.Link(m.steps[t], o) for t, o in step.successors() if t in m.steps]
        form_ids = list(step.forms)
        fields = m.fields_for(step.id)
        for fld in fields:
            if fld.form not in form_ids:
                form_ids.append(fld.form)
        quiz = m.questionnaires.get(step.questionnaire)
        quiz_cases = [k for k in m.cases.values()
                      if quiz and k.kind == "questionnaire" and k.target == quiz.id]
        return self.page(c.StepPage(
            **self.base(f"steps/{step.id}.md", step.title), step=step, flow=flow,
            number=flow.numbers().get(step.id, 0),
            actor=m.roles.get(step.actor), permission=m.permissions.get(step.permission),
            rules=[m.rules[r] for r in step.rules if r in m.rules], before=before, after=after,
            decision_table=m.decision_tables.get(step.decision_table),
            long_rule=LONG_RULE, questionnaire=quiz,
            overrides=[override_view(quiz, o, quiz_cases) for o in quiz.overrides] if quiz else [],
            items=m.items_for(step.id), scripts=m.scripts_for(step.id),
            fields=fields, conditions=_conditions(m, fields),
            forms=[m.forms[f] for f in form_ids if f in m.forms]))

    @deferrable
    def scripts(self) -> GeneratedPage:
        """话术汇编: every script in flow and step order, then every never-say line."""
        m = self.model
        groups = [c.FlowScripts(f, [c.StepScripts(s, m.scripts_for(s.id))
                                    for s in f.steps if m.scripts_for(s.id)])
                  for f in m.flows.values()]
        groups = [g for g in groups if g.steps]
        shown = [sc for g in groups for st in g.steps for sc in st.scripts]
        return self.page(c.ScriptsPage(
            **self.base("scripts.md", "话术汇编"), groups=groups, count=len(shown),
            never_say=[(n, sc) for sc in shown for n in sc.never_say]))

    def rule_view(self, rule: Rule, links: Links) -> c.RuleView:
        params = [self.model.parameters[p] for p in rule.parameters if p in self.model.parameters]
        return c.RuleView(rule, self.matrix[rule.id], params,
                          [wording.constraint(self.model, links, k) for k in rule.constraints])

    @deferrable
    def rules(self) -> GeneratedPage:
        base = self.base("rules.md", "规则与参数")
        groups: dict[str, list[c.RuleView]] = {}
        for rule in self.model.rules.values():
            groups.setdefault(rule.category, []).append(self.rule_view(rule, base["links"]))
        categories = self.model.categories
        order = list(categories)
        ordered = sorted(groups.items(),
                         key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
        page = self.page(c.RulesPage(
            **base,
            groups=[c.RuleGroup(categories[k].title, v, categories[k].description)
                    if k in categories else c.RuleGroup(k, v) for k, v in ordered],
            parameters=list(self.model.parameters.values())))
        params = self.model.parameters.values()
        return page.extended(search.defines([
            *self.model.rules, *(p.display for p in params),
            *(self.model.text(p.title) for p in params)]))

    @deferrable
    def roles(self) -> GeneratedPage:
        m = self.model
        views = [c.RoleView(r, m.roles.get(r.part_of),
                            [m.permissions[p] for p in r.permissions if p in m.permissions],
                            self.steps_of_role(r.id), self.checklists_of_role(r.id))
                 for r in m.roles.values()]
        page = self.page(c.RolesPage(**self.base("roles.md", "岗位与职责"), roles=views,
                                     permissions=list(m.permissions.values())))
        return page.extended(search.defines(
            w for r in m.roles.values() for w in (r.name, r.name_en)))

    @deferrable
    def decision(self, table: DecisionTable) -> GeneratedPage:
        params = self.model.parameters
        inputs = {i.id: i for i in table.inputs}
        outputs = {o.id: o for o in table.outputs}
        rows = []
        for row in table.rows:
            when = []
            for inp in table.inputs:
                cond = row.when.get(inp.id)
                if cond is None:
                    when.append("任意")
                elif isinstance(cond, Interval):
                    when.append(cond.describe(params) + (inp.unit if _bare(cond) else ""))
                else:
                    titles = {v.id: v.title for v in inputs[inp.id].values}
                    when.append("、".join(titles.get(v, v) for v in cond.values))
            then = []
            for out in table.outputs:
                value = row.then.get(out.id, "")
                titles = {v.id: v.title for v in outputs[out.id].values}
                then.append(titles.get(value, value))
            rows.append(c.RowView(row.id, when, then, row.note, row.rules, row.provenance))
        return self.page(c.DecisionPage(
            **self.base(f"decisions/{table.id}.md", table.title), table=table, rows=rows,
            steps=[s for s in self.model.steps.values() if s.decision_table == table.id],
            cases=[k for k in self.model.cases.values()
                   if k.kind == "decision" and k.target == table.id],
            inputs=lambda k: wording.decision_inputs(self.model, table, k),
            outputs=lambda k: wording.decision_outputs(table, k.expect),
            tool=decision_tool(self.model, table)))

    @deferrable
    def questionnaire(self, q: Questionnaire) -> GeneratedPage:
        m = self.model
        cases = [k for k in m.cases.values() if k.kind == "questionnaire" and k.target == q.id]
        base = self.base(f"questionnaires/{q.id}.md", q.title)
        links: Links = base["links"]
        return self.page(c.QuestionnairePage(
            **base, questionnaire=q,
            validity=m.parameters.get(q.validity),
            steps=[s for s in m.steps.values() if s.questionnaire == q.id],
            forms=[f for f in m.forms.values() if f.questionnaire == q.id],
            cases=cases, overrides=[override_view(q, o, cases) for o in q.overrides],
            expectations={k.id: wording.expectation(m, links, k) for k in cases},
            tool=questionnaire_tool(m, q)))

    def steps_using_form(self, form_id: str) -> list[Step]:
        """Steps that use or produce the form, or fill one of its fields."""
        filling = {f.filled_at for f in self.model.forms[form_id].fields} \
            if form_id in self.model.forms else set()
        return [s for s in self.model.steps.values() if form_id in s.forms or s.id in filling]

    @deferrable
    def forms_index(self) -> GeneratedPage:
        return self.page(c.FormsIndexPage(
            **self.base("forms/index.md", "表单"),
            forms=[c.FormSummary(f, self.steps_using_form(f.id)) for f in self.forms]))

    @deferrable
    def form(self, form: Form) -> GeneratedPage:
        page = self.page(c.FormPage(
            **self.base(f"forms/{form.id}.md", form.title), form=form,
            steps=self.steps_using_form(form.id),
            questionnaire=self.model.questionnaires.get(form.questionnaire)))
        # A form is asked for by its name or its code, and defines both.
        return page.extended(search.defines([self.model.text(form.title), form.code],
                                            search.NAMES))

    @deferrable
    def checklists_index(self) -> GeneratedPage:
        m = self.model
        return self.page(c.ChecklistsIndexPage(
            **self.base("checklists/index.md", "检查清单"),
            checklists=self.checklists,
            counts={cl.id: len(m.checklist_items(cl)) for cl in m.checklists.values()}))

    @deferrable
    def checklist(self, cl: Checklist) -> GeneratedPage:
        m = self.model
        items = [c.ItemView(i, m.steps.get(i.step), m.roles.get(m.item_role(i)))
                 for i in m.checklist_items(cl)]
        return self.page(c.ChecklistPage(
            **self.base(f"checklists/{cl.id}.md", cl.title), checklist=cl, items=items,
            role=m.roles.get(cl.collect_role), flow=m.flows.get(cl.flow)))

    @deferrable
    def target_clients(self) -> GeneratedPage:
        t = self.model.target_clients
        params: list[Parameter] = []
        if t is not None:
            names = {p for topic in (*t.sources, *t.mining, *t.development)
                     for p in topic.parameters}
            params = [p for k, p in self.model.parameters.items() if k in names]
        return self.page(c.TargetClientsPage(
            **self.base("target-clients.md", t.title if t else "目标客户"), target=t,
            parameters=params))

    @deferrable
    def glossary(self) -> GeneratedPage:
        letters = by_letter(self.model.terms.values(), lambda t: t.term)
        page = self.page(c.GlossaryPage(
            **self.base("glossary.md", "术语表"),
            terms=[t for _letter, terms in letters for t in terms], letters=letters))
        return page.extended(search.defines(
            w for t in self.model.terms.values() for w in (t.term, t.en, *t.aliases)))

    @deferrable
    def trace(self) -> GeneratedPage:
        base = self.base("trace.md", "可追溯矩阵")
        links: Links = base["links"]
        targets: dict[str, Markup] = {}
        for case in self.model.cases.values():
            link = {"decision": links.decision_table, "questionnaire": links.questionnaire,
                    "flow": links.flow}[case.kind]
            targets[case.id] = link(case.target)
        return self.page(c.TracePage(
            **base, rules=[self.rule_view(r, links) for r in self.model.rules.values()],
            cases=list(self.model.cases.values()), case_targets=targets,
            expectations={k.id: wording.expectation(self.model, links, k)
                          for k in self.model.cases.values()}))

    @deferrable
    def review(self) -> GeneratedPage:
        base = self.base("review.md", "待审定内容")
        found = decisions(self.model, base["links"], self.matrix)
        total = sum(1 for _ in self.model.elements())
        counts = draft_counts(self.model)
        return self.page(c.ReviewPage(
            **base, sections=sections(found), total=total, sourced=total - counts.drafted,
            counts=counts_sentence(counts),
            sources=list(self.model.meta.sources) if self.model.meta else []))

    # --- the policy language (from the schemas) -------------------------------------

    def type_titles(self) -> dict[str, str]:
        return {t.name: t.title.zh for t in shared_types()}

    @deferrable
    def language_index(self) -> GeneratedPage:
        return self.page(c.LanguageIndexPage(
            **self.base(f"{LANGUAGE_DIR}/index.md", "政策语言参考"), kinds=list(describe()),
            shared=list(shared_types()), type_titles=self.type_titles()))

    @deferrable
    def language(self, doc: KindDoc) -> GeneratedPage:
        return self.page(c.LanguagePage(
            **self.base(f"{LANGUAGE_DIR}/{doc.kind}.md", f"{doc.title.zh}({doc.kind})"),
            doc=doc, type_titles=self.type_titles()))

    @deferrable
    def check_reference(self) -> GeneratedPage:
        return self.page(check_reference(self.base(checkref.PAGE, checkref.TITLE)))

    def pages(self) -> Iterator[GeneratedPage]:
        """The pack's pages, then the references that are the same for every pack."""
        yield from self.pack_pages()
        yield from self.shared_pages()

    def shared_pages(self) -> Iterator[GeneratedPage]:
        """The pages a library has once: the check reference and the language reference."""
        yield self.check_reference()
        yield from self.language_pages()

    def pack_pages(self) -> Iterator[GeneratedPage]:
        """Each kind's pages (:attr:`generator.kinds.registry.Kind.pages`), then the
        pages about the pack as a whole; an example pack says so on every page."""
        for page in self._pack_pages():
            yield later(page, self._marked)

    def _marked(self, page: GeneratedPage) -> GeneratedPage:
        meta = self.model.meta
        page = example_marked(page) if meta and meta.example else page
        return GeneratedPage(page.src, page.title,
                             edition_marked(page.markdown, edition(self.model)))

    def _pack_pages(self) -> Iterator[GeneratedPage]:
        for kind in self.model.kinds.values():
            if kind.pages is not None:
                yield from kind.pages(self)
        yield self.trace()
        yield self.review()

    def language_pages(self) -> Iterator[GeneratedPage]:
        yield self.language_index()
        for doc in describe():
            yield self.language(doc)


EXAMPLE_NOTE = ('!!! warning "示例"\n    本政策包是演示 policybook 用的示例，不是本行的制度，'
                "不得据以办理业务。\n\n")


def example_marked(page: GeneratedPage) -> GeneratedPage:
    """The page with the example notice under its title (after its front matter)."""
    front, body = split_front_matter(page.markdown)
    head, _, rest = body.partition("\n")
    return GeneratedPage(page.src, page.title,
                         f"{front}{head}\n\n{EXAMPLE_NOTE}{rest.lstrip(chr(10))}")


def render_site(model: Model, pdfs: frozenset[str] = frozenset(), *,
                directory_urls: bool = True) -> list[GeneratedPage]:
    """Every generated page of the handbook, in navigation order. The policy language
    reference at the end comes from the schemas (:mod:`generator.site.language`)."""
    return list(SiteBuilder(model, pdfs, directory_urls).pages())


def pending_site(model: Model, pdfs: frozenset[str] = frozenset(), *,
                 directory_urls: bool = True) -> list[GeneratedPage | Pending]:
    """:func:`render_site`'s pages, those of deferrable functions not yet rendered."""
    builder = SiteBuilder(model, pdfs, directory_urls)
    builder.deferring = True
    return list(builder.pages())


@per_model
def _matrix(model: Model) -> dict[str, TraceRow]:
    return {row.rule: row for row in build_matrix(model)}


def _conditions(m: Model, fields: list[FormField]) -> dict[str, str]:
    return {f"{f.form}/{f.id}": m.forms[f.form].condition_text(f) for f in fields
            if f.required_when is not None and f.form in m.forms}


def _bare(cond: Interval) -> bool:
    """An interval written with plain numbers (no parameter) shows the input's unit."""
    return not any(b is not None and b.parameter for b in (cond.low, cond.high))


def declared_at(flow: Flow) -> Provenance:
    """Where the flow's ``actors`` come from: the section a drafted flow completes (the
    source names the participants there), else the flow's own provenance."""
    p = flow.provenance
    if p.drafted and p.based_on:
        return Provenance("sourced", citation=p.based_on, source=p.source)
    return p


def override_view(q: Questionnaire, o: Override, cases: list[Case]) -> c.OverrideView:
    """An override in the questions' own words, with the cases that trigger it."""
    numbers = {x.id: (i + 1, x) for i, x in enumerate(q.questions)}
    when = []
    for qid, chosen in o.when.items():
        if qid not in numbers:
            when.append(f"{qid} 选 {'/'.join(chosen)}")
            continue
        n, question = numbers[qid]
        letters = {a.id: (chr(ord("A") + j), a.text) for j, a in enumerate(question.answers)}
        picked = "或".join(f"{letters[a][0]}「{letters[a][1]}」" if a in letters else a
                          for a in chosen)
        when.append(f"第 {n} 题「{question.text}」选 {picked}")
    level = q.level(o.level)
    name = f"{o.level} {level.title}" if level else o.level
    triggered = []
    for k in cases:
        try:
            if o in q.evaluate(k.given).applied:
                triggered.append(k)
        except KeyError:
            continue
    return c.OverrideView(o.id, o.title, when, ("至多为 " if o.effect == "cap" else "定为 ") + name,
                          o.description, o.rules, o.provenance, triggered)
