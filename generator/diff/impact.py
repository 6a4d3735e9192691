"""Which printed documents and handbook pages a change touches.

Addresses and the build layout (``build/pdf/<checklists|forms|flows>/<id>.pdf``)
come from :mod:`generator.addresses`, the one place that decides where pages and
PDFs live.
A parameter is written once and shown everywhere its ``{{ name }}`` is used: a
change to it touches every document whose text references it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator.addresses import BUILD_DIR, PDF_DIR, Address, Addresses, page_url
from generator.diff.changes import Change
from generator.load import PLACEHOLDER
from generator.model import Model

PDF_ROOT = f"{BUILD_DIR}/{PDF_DIR}"
"""Where ``policybook build`` puts the PDFs by default (its ``--out``, then ``pdf``)."""
DOCUMENT_STATUS = {"changed": "修改", "added": "新增", "removed": "删除"}


@dataclass(frozen=True, slots=True, order=True)
class Document:
    kind: str
    """``pdf`` or ``page``."""
    path: str
    """``build/pdf/forms/<id>.pdf``, or the page's URL inside the site (``steps/<id>/``)."""
    title: str


@dataclass(frozen=True, slots=True)
class Impact:
    document: Document
    status: str
    """``changed``, ``added`` or ``removed``."""
    because: tuple[str, ...]
    """The ids of the changed elements that touch it."""


def pdf(kind: str, ident: str, title: str) -> Document:
    return Document("pdf", f"{PDF_ROOT}/{kind}/{ident}.pdf", title)


def page(address: Address, title: str) -> Document:
    return Document("page", page_url(address.src, directory_urls=True) or "./", title)


class _Documents:
    """The documents an element of one model appears in."""

    def __init__(self, model: Model) -> None:
        self.m = model
        self.at = Addresses(model)
        self.uses = _parameter_uses(model)

    def of(self, kind: str, ident: str) -> set[Document]:
        m, at = self.m, self.at
        parent, _, child = ident.partition("/")
        out: set[Document] = set()
        if kind == "parameter":
            out.add(page(at.parameter(ident), "规则与参数"))
            for user in self.uses.get(ident, ()):
                out |= self.of(*user)
        elif kind in ("role", "permission"):
            out.add(page(at.role(ident), "岗位与职责"))
            for cl in m.checklists.values():
                if kind == "role" and cl.collect_role == ident:
                    out |= self.of("checklist", cl.id)
        elif kind == "rule":
            out.add(page(at.rule(ident), "规则与参数"))
            out |= {self._step_page(s.id) for s in m.steps.values()
                    if ident in s.rules and s.type not in ("start", "end")}
            out |= self._walkthroughs({s.flow for s in m.steps.values() if ident in s.rules})
        elif kind == "flow" and ident in m.flows:
            flow = m.flows[ident]
            out |= {page(at.flow(ident), flow.title), pdf("flows", ident, flow.title)}
            # Each walkthrough of the flow draws it and walks its steps.
            out |= self._walkthroughs({ident})
        elif kind == "step" and ident in m.steps:
            step = m.steps[ident]
            out |= self.of("flow", step.flow)
            out.add(self._step_page(ident))
        elif kind == "decision_table" and parent in m.decision_tables:
            out.add(page(at.decision_table(parent), m.decision_tables[parent].title))
            out |= {self._step_page(s.id) for s in m.steps.values() if s.decision_table == parent}
            out |= self._walkthroughs({s.flow for s in m.steps.values()
                                       if s.decision_table == parent})
        elif kind == "questionnaire" and ident in m.questionnaires:
            out.add(page(at.questionnaire(ident), m.questionnaires[ident].title))
            for form in m.forms.values():
                if form.questionnaire == ident:
                    out |= self.of("form", form.id)
        elif kind in ("form", "form_field") and parent in m.forms:
            form = m.forms[parent]
            out |= {page(at.form(parent), form.title), pdf("forms", parent, form.title)}
            for f in form.fields:
                if (kind == "form" or f.id == child) and f.filled_at in m.steps:
                    out.add(self._step_page(f.filled_at))
        elif kind == "checklist" and ident in m.checklists:
            cl = m.checklists[ident]
            out |= {page(at.checklist(ident), cl.title), pdf("checklists", ident, cl.title)}
        elif kind == "checklist_item" and parent in m.checklists:
            out |= self.of("checklist", parent)
            for item in m.checklists[parent].own_items:
                if item.id != child:
                    continue
                role = m.item_role(item)
                for cl in m.checklists.values():
                    if cl.collect_role and cl.collect_role == role:
                        out |= self.of("checklist", cl.id)
                if item.step in m.steps:
                    out.add(self._step_page(item.step))
        elif kind == "script" and ident in m.scripts and m.scripts[ident].step in m.steps:
            out.add(self._step_page(m.scripts[ident].step))
        elif kind in ("pack", "governing_document", "principle", "part"):
            out.add(page(Address("index.md"), "首页"))
        elif kind == "stage":
            out.add(page(Address("overview.md"), "流程概述"))
        elif kind == "term":
            out.add(page(at.term(ident), "术语表"))
        elif kind == "case":
            out.add(page(at.case(ident), "可追溯矩阵"))
            case = m.cases.get(ident)
            if case is not None and case.kind == "flow" and case.target in m.flows:
                out.add(self._walkthrough(ident))
        elif kind in ("target_clients", "target_topic"):
            out.add(page(Address("target-clients.md"), "目标客户"))
        return out

    def _walkthroughs(self, flows: set[str]) -> set[Document]:
        """The walkthroughs of the flow cases of ``flows`` (a step's rules and decisions
        are explained on the walkthroughs that may pass it)."""
        return {self._walkthrough(c.id) for c in self.m.cases.values()
                if c.kind == "flow" and c.target in flows}

    def _walkthrough(self, case_id: str) -> Document:
        """A flow case's training page (案例演练, ``cases/<id>.md``)."""
        return page(Address(f"cases/{case_id}.md"), self.m.cases[case_id].title)

    def _step_page(self, step_id: str) -> Document:
        step = self.m.steps[step_id]
        if step.type in ("start", "end"):
            return page(self.at.flow(step.flow), self.m.flows[step.flow].title
                        if step.flow in self.m.flows else step.flow)
        return page(self.at.step(step_id), step.title)

    def pdfs(self) -> set[Document]:
        m = self.m
        return ({pdf("flows", f.id, f.title) for f in m.flows.values()}
                | {pdf("forms", f.id, f.title) for f in m.forms.values()}
                | {pdf("checklists", c.id, c.title) for c in m.checklists.values()}
                | {d for d in _selftest_documents(m) if d.kind == "pdf"})

    def everything(self) -> set[str]:
        """Paths of every PDF and page this model produces (to tell new from removed)."""
        m = self.m
        paths = {d.path for k in ("flow", "form", "checklist", "questionnaire", "decision_table")
                 for ident in getattr(m, {"flow": "flows", "form": "forms",
                                          "checklist": "checklists",
                                          "questionnaire": "questionnaires",
                                          "decision_table": "decision_tables"}[k])
                 for d in self.of(k, ident)}
        paths |= {self._step_page(s).path for s in m.steps}
        paths |= {d.path for d in _selftest_documents(m)}
        return paths


def _texts(model: Model) -> Iterator[tuple[tuple[str, str], Iterable[str]]]:
    """(element, its texts) for every element whose text may reference a parameter."""
    if model.meta:
        yield ("pack", model.meta.id), (model.meta.definition, model.meta.summary)
    for r in model.roles.values():
        yield ("role", r.id), (r.description,)
    for rule in model.rules.values():
        yield ("rule", rule.id), (rule.text,)
    for flow in model.flows.values():
        yield ("flow", flow.id), (flow.summary,)
    for s in model.steps.values():
        yield ("step", s.id), (s.title, s.purpose, s.question, *s.actions,
                               *(io.value for io in (*s.inputs, *s.outputs)))
    for t in model.decision_tables.values():
        bounds = [f"{{{{ {b.parameter} }}}}" for row in t.rows for c in row.when.values()
                  for b in (getattr(c, "low", None), getattr(c, "high", None))
                  if b is not None and b.parameter]
        yield ("decision_table", t.id), (t.summary, *bounds)
    for q in model.questionnaires.values():
        validity = f"{{{{ {q.validity} }}}}" if q.validity else ""
        yield ("questionnaire", q.id), (q.summary, q.instructions, validity)
    for form in model.forms.values():
        yield ("form", form.id), (form.purpose, *(s.note for s in form.sections))
        for f in form.fields:
            yield ("form_field", f"{form.id}/{f.id}"), (f.label, f.hint)
    for cl in model.checklists.values():
        for item in cl.own_items:
            yield ("checklist_item", f"{cl.id}/{item.id}"), (item.text,)
    for sc in model.scripts.values():
        yield ("script", sc.id), (sc.opening, sc.closing, *sc.key_messages, *sc.never_say,
                                  *(t for o in sc.objections for t in (o.objection, o.answer)))
    for term in model.terms.values():
        yield ("term", term.id), (term.definition,)
    tc = model.target_clients
    if tc:
        texts = [tc.standard]
        for topic in (*tc.sources, *tc.mining, *tc.development):
            texts += [topic.description, topic.signal, topic.criterion, topic.action]
            texts += [f"{{{{ {p} }}}}" for p in topic.parameters]
        yield ("target_clients", tc.id), texts


def _parameter_uses(model: Model) -> dict[str, list[tuple[str, str]]]:
    uses: dict[str, list[tuple[str, str]]] = {}
    for element, texts in _texts(model):
        for text in texts:
            for name in PLACEHOLDER.findall(text or ""):
                if element not in uses.setdefault(name, []):
                    uses[name].append(element)
    return uses


HEADER_ASPECTS = frozenset({"版本", "生效日期", "名称", "负责部门"})
"""Pack metadata every printed page shows in its header or footer."""


def _printed_elsewhere(change: Change, model: Model, docs: _Documents) -> set[Document]:
    """Documents that print a step's title or actor, a rule's title or the pack's
    header next to other content (beyond :meth:`_Documents.of`)."""
    found: set[Document] = set()
    added_or_removed = change.action in ("added", "removed") and not change.aspect
    if change.kind == "step" and (added_or_removed or change.aspect in ("名称", "执行岗位")):
        # Checklists group items under their step's title and actor; forms name the
        # steps that fill them.
        for item in model.items_for(change.id):
            found |= docs.of("checklist_item", f"{item.checklist}/{item.id}")
        if change.aspect == "名称":
            for f in model.fields_for(change.id):
                found |= docs.of("form", f.form)
    elif change.kind == "rule" and (added_or_removed or change.aspect == "标题"):
        # Flow sheets, checklists and forms cite rules by id and title.
        for step in model.steps.values():
            if change.id in step.rules:
                found |= {d for d in docs.of("flow", step.flow) if d.kind == "pdf"}
        for item in model.all_checklist_items():
            if change.id in item.rules:
                found |= docs.of("checklist_item", f"{item.checklist}/{item.id}")
        for form in model.forms.values():
            if change.id in form.rules or any(change.id in f.rules for f in form.fields):
                found |= docs.of("form", form.id)
    elif change.kind == "pack" and change.aspect in HEADER_ASPECTS:
        found |= docs.pdfs()
    if change.action in ("adopted", "unadopted"):
        found.add(page(Address("review.md"), "待审定内容"))
    return found


SELFTEST_FROM = frozenset({"decision_table", "questionnaire", "parameter", "rule", "flow",
                           "step"})
"""The kinds of element the self-test's questions are generated from."""


def _selftest(changes: list[Change], old: Model, new: Model) -> tuple[set[Document], list[str]]:
    """The self-test page and PDF when its questions are generated from other content
    than before (:func:`generator.selftest.questions.fingerprint`, the digest printed on
    it), and the changes that did it."""
    from generator.selftest.questions import fingerprint

    docs = _selftest_documents(old) | _selftest_documents(new)
    if not docs or fingerprint(old) == fingerprint(new):
        return set(), []
    ids = [c.id for c in changes if c.kind in SELFTEST_FROM] or [c.id for c in changes]
    return docs, ids


def _selftest_documents(model: Model) -> set[Document]:
    """The self-test's page and PDF, when the model gives it any question."""
    from generator.selftest import self_test

    if not self_test(model).questions:
        return set()
    return {page(Address("selftest.md"), "自测"), pdf("selftest", "selftest", "自测（附答案）")}


def impacts(changes: Iterable[Change], old: Model, new: Model) -> list[Impact]:
    """Every document at least one change touches, PDFs first, each with its status."""
    changes = list(changes)
    docs_old, docs_new = _Documents(old), _Documents(new)
    old_paths, new_paths = docs_old.everything(), docs_new.everything()
    because: dict[Document, list[str]] = {}
    by_path: dict[str, Document] = {}
    for change in changes:
        in_new = _printed_elsewhere(change, new, docs_new)
        in_old = _printed_elsewhere(change, old, docs_old)
        for kind, ident in change.elements or ((change.kind, change.id),):
            in_new |= docs_new.of(kind, ident)
            in_old |= docs_old.of(kind, ident)
        # The new version names a document (its title may have changed); sorted, so
        # that the report is the same on every run.
        for doc in [*sorted(in_new), *sorted(in_old)]:
            known = by_path.setdefault(doc.path, doc)
            ids = because.setdefault(known, [])
            if change.id not in ids:
                ids.append(change.id)
    selftest, ids = _selftest(changes, old, new)
    for doc in sorted(selftest):
        because.setdefault(by_path.setdefault(doc.path, doc), ids)
    out = []
    for doc, ids in because.items():
        if doc.path in new_paths and doc.path not in old_paths:
            status = "added"
        elif doc.path in old_paths and doc.path not in new_paths:
            status = "removed"
        else:
            status = "changed"
        out.append(Impact(doc, status, tuple(ids)))
    return sorted(out, key=lambda i: (i.document.kind != "pdf", i.document.path))
