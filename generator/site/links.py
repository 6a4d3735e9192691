"""Links to every element of the site from any page.

:mod:`generator.addresses` decides the address of a step, rule, form, checklist,
term and so on; pages ask :class:`Links` (bound to the page they are on) for
relative links, so mkdocs validates every one of them at build time.
"""

from __future__ import annotations

from collections.abc import Callable

from mkdocs.utils import get_relative_url

from generator.addresses import (
    LANGUAGE_DIR,
    PDF_KINDS,
    PRINT_DIR,
    Address,
    Addresses,
    page_url,
    pdf_path,
    relative_path,
)
from generator.model import Model
from generator.site.markup import Markup, md, tip
from generator.site.wording import row_label

# The layout lives in generator.addresses; re-exported for the site's modules.
__all__ = ["LANGUAGE_DIR", "PDF_KINDS", "PRINT_DIR", "Address", "Addresses", "Links",
           "page_url", "pdf_path", "relative_path"]


class Links:
    """Relative links from the page ``here`` (a Markdown path) to elements of the model."""

    def __init__(self, here: str, model: Model, pdfs: frozenset[str], *,
                 directory_urls: bool) -> None:
        self.here = here
        self.model = model
        self.at = Addresses(model)
        self.pdfs = pdfs
        self.directory_urls = directory_urls

    # --- raw addresses ---------------------------------------------------------

    def href(self, address: Address) -> str:
        """A Markdown link target (``../rules.md#R-001``): mkdocs checks and rewrites it."""
        path = "" if address.src == self.here else relative_path(self.here, address.src)
        return path + (f"#{address.anchor}" if address.anchor else "")

    def url(self, address: Address) -> str:
        """A finished relative URL, for places mkdocs does not rewrite (diagram clicks)."""
        here = page_url(self.here, directory_urls=self.directory_urls)
        there = page_url(address.src, directory_urls=self.directory_urls)
        rel = get_relative_url(there or "./", here or "./") if there != here else ""
        if rel == ".":
            rel = "./"
        return rel + (f"#{address.anchor}" if address.anchor else "")

    def to(self, address: Address, label: str) -> Markup:
        """A link labelled with policy text, its ``{{ parameter }}`` references replaced."""
        return Markup(f"[{md(self.model.text(label))}]({self.href(address)})")

    # --- links to elements, labelled with their titles -------------------------

    def step(self, step_id: str, label: str | None = None) -> Markup:
        step = self.model.steps.get(step_id)
        if step is None:
            return Markup(md(step_id))
        return self.to(self.at.step(step_id), label or step.title)

    def flow(self, flow_id: str, label: str | None = None) -> Markup:
        flow = self.model.flows.get(flow_id)
        if flow is None:
            return Markup(md(flow_id))
        return self.to(self.at.flow(flow_id), label or flow.title)

    def rule(self, rule_id: str, *, title: bool = False) -> Markup:
        rule = self.model.rules.get(rule_id)
        if rule is None:
            return Markup(md(rule_id))
        label = f"{rule.id} {rule.title}" if title else rule.id
        return Markup(f'<span class="pb-rule" title="{tip(rule.title)}">'
                      f"{self.to(self.at.rule(rule_id), label)}</span>")

    def rule_name(self, rule_id: str) -> Markup:
        """A rule's id and title as :meth:`rule` shows them, without the link: for where
        a link may not be (a ``<summary>`` holds no focusable element)."""
        rule = self.model.rules.get(rule_id)
        if rule is None:
            return Markup(md(rule_id))
        return Markup(f'<span class="pb-rule" title="{tip(rule.title)}">'
                      f"{md(self.model.text(f'{rule.id} {rule.title}'))}</span>")

    def rules(self, rule_ids: tuple[str, ...] | list[str]) -> Markup:
        return Markup(" ").join(self.rule(r) for r in rule_ids)

    def parameter(self, param_id: str) -> Markup:
        p = self.model.parameters.get(param_id)
        if p is None:
            return Markup(md(param_id))
        return self.to(self.at.parameter(param_id), f"{p.title}（{p.display}）")

    def role(self, role_id: str) -> Markup:
        role = self.model.roles.get(role_id)
        if role is None:
            return Markup(md(role_id))
        return self.to(self.at.role(role_id), role.name)

    def permission(self, perm_id: str) -> Markup:
        perm = self.model.permissions.get(perm_id)
        if perm is None:
            return Markup(md(perm_id))
        return self.to(self.at.permission(perm_id), perm.title)

    def form(self, form_id: str) -> Markup:
        form = self.model.forms.get(form_id)
        if form is None:
            return Markup(md(form_id))
        return self.to(self.at.form(form_id), form.title)

    def checklist(self, checklist_id: str) -> Markup:
        cl = self.model.checklists.get(checklist_id)
        if cl is None:
            return Markup(md(checklist_id))
        return self.to(self.at.checklist(checklist_id), cl.title)

    def item(self, checklist_id: str, item_id: str, label: str) -> Markup:
        return self.to(self.at.item(checklist_id, item_id), label)

    def decision_table(self, table_id: str) -> Markup:
        table = self.model.decision_tables.get(table_id)
        if table is None:
            return Markup(md(table_id))
        return self.to(self.at.decision_table(table_id), table.title)

    def questionnaire(self, q_id: str) -> Markup:
        q = self.model.questionnaires.get(q_id)
        if q is None:
            return Markup(md(q_id))
        return self.to(self.at.questionnaire(q_id), q.title)

    def term(self, term_id: str) -> Markup:
        term = self.model.terms.get(term_id)
        if term is None:
            return Markup(md(term_id))
        return self.to(self.at.term(term_id), term.term)

    def case(self, case_id: str) -> Markup:
        case = self.model.cases.get(case_id)
        if case is None:
            return Markup(md(case_id))
        return self.to(self.at.case(case_id), case.title)

    def field(self, form_id: str, field_id: str, label: str) -> Markup:
        return self.to(self.at.field(form_id, field_id), label)

    def stage(self, stage_id: str) -> Markup:
        meta = self.model.meta
        stage = next((s for s in meta.stages if s.id == stage_id), None) if meta else None
        if stage is None:
            return Markup(md(stage_id))
        return self.to(self.at.stage(stage_id), f"环节{stage.order} {stage.title}")

    def language(self, kind: str, label: str) -> Markup:
        """A link to the reference page of a document kind (``flow``, ``form``…)."""
        return self.to(self.at.language(kind), label)

    def shared_type(self, name: str, label: str) -> Markup:
        """A link to a shared definition (``text``, ``ref``…) on the reference index."""
        return self.to(self.at.shared_type(name), label)

    def pdf(self, kind: str, element_id: str, label: str = "打印版 PDF") -> Markup:
        """A link to the printable PDF, or a note when it has not been built."""
        path = pdf_path(kind, element_id)
        if path not in self.pdfs:
            return Markup('<span class="pb-muted">打印版尚未生成（运行 policybook build）</span>')
        return Markup(f"[{md(label)}]({self.href(Address(path))}){{ .md-button .pb-pdf }}")

    def element(self, kind: str, key: str, label: str = "") -> Markup:
        """A link to any element by its kind and key, as :meth:`Model.elements` and
        :mod:`generator.trace` name them (nested ones are ``parent/child``)."""
        if not label:
            if kind == "rule":
                return self.rule(key, title=True)
            if kind in _TITLED:
                by_title: Callable[[str], Markup] = getattr(self, kind)
                return by_title(key)
        address = self._address(kind, key)
        if address is None:
            return Markup(md(self.model.text(label or self._title(kind, key))))
        return self.to(address, label or self._title(kind, key))

    def _address(self, kind: str, key: str) -> Address | None:
        m = self.model
        where = _WHERE.get(kind)
        if where is None:
            return None
        if (kind == "step" and key not in m.steps) or (kind == "script" and key not in m.scripts):
            return None
        parent, _, child = key.partition("/")
        return where(self.at, key, parent, child)

    def _title(self, kind: str, key: str) -> str:
        """What a link to the element says, when the caller gives no label."""
        m = self.model
        parent, _, child = key.partition("/")
        if kind == "script" and key in m.scripts:
            return m.scripts[key].title
        if kind == "form_field" and parent in m.forms:
            fld = next((f for f in m.forms[parent].fields if f.id == child), None)
            return f"{m.forms[parent].title}：{fld.label}" if fld else key
        if kind == "decision_row" and parent in m.decision_tables:
            return self.row_title(parent, child)
        if kind == "checklist_item" and parent in m.checklists:
            return self.item_title(parent, child)
        if kind in ("target_clients", "target_topic") and m.target_clients:
            t = m.target_clients
            topics = {x.id: x.title for x in (*t.sources, *t.mining, *t.development)}
            return t.title if key == t.id else topics.get(key, key)
        from generator.trace import elements_and_titles  # trace imports the site's kinds

        walked = elements_and_titles(m)[1].get((kind, key))
        if walked and walked != key:
            return walked
        if m.meta:
            titles = {p.id: p.title for p in m.meta.principles}
            titles |= {g.id: g.title for g in m.meta.governing_documents}
            if kind == "pack":
                return m.meta.title
            return titles.get(key, key)
        return key

    def row_title(self, table_id: str, row_id: str, *, table: bool = True) -> str:
        """``客户准入资格审定 第 6 行（不予准入）``: a row by its number on the table."""
        t = self.model.decision_tables[table_id]
        row = next((r for r in t.rows if r.id == row_id), None)
        if row is None:
            return f"{t.title} {row_id}"
        return (f"{t.title} " if table else "") + row_label(t, row)

    def item_title(self, checklist_id: str, item_id: str) -> str:
        """A checklist item in its own words."""
        cl = self.model.checklists[checklist_id]
        item = next((i for i in cl.own_items if i.id == item_id), None)
        # An item is a sentence; in a list of them its full stop would double the separator.
        return self.model.text(item.text).rstrip("。") if item else item_id

    def any(self, ref: str) -> Markup:
        """A link to whatever ``ref`` names (used by the sources' outlines: ``covered_by``)."""
        m = self.model
        sections = {
            "rules": (Address("rules.md"), "规则"),
            "parameters": (Address("rules.md", "parameters"), "参数"),
            "roles": (Address("roles.md"), "岗位与职责"),
            "target_clients": (Address("target-clients.md"), "目标客户"),
            "form": (Address("forms/index.md"), "表单"),
            "checklist": (Address("checklists/index.md"), "检查清单"),
            "script": (Address("overview.md"), "话术（见各环节）"),
            "glossary": (Address("glossary.md"), "术语表"),
        }
        if ref in m.flows:
            return self.flow(ref)
        if ref in m.decision_tables:
            return self.decision_table(ref)
        if ref in m.questionnaires:
            return self.questionnaire(ref)
        if ref in m.parameters:
            return self.parameter(ref)
        if ref in m.rules:
            return self.rule(ref, title=True)
        if ref in m.forms:
            return self.form(ref)
        if ref in m.checklists:
            return self.checklist(ref)
        if ref in m.roles:
            return self.role(ref)
        if m.meta:
            for p in m.meta.principles:
                if p.id == ref:
                    return self.to(self.at.principle(ref), p.title)
            for s in m.meta.stages:
                if s.id == ref:
                    return self.stage(ref)
        if ref in sections:
            address, label = sections[ref]
            return self.to(address, label)
        return Markup(md(ref))


_TITLED = frozenset(("flow", "step", "decision_table", "questionnaire", "form", "checklist",
                     "term", "case", "role", "permission", "parameter", "stage"))
"""Kinds :meth:`Links.element` links by their own method (a rule by :meth:`Links.rule`)
when no label is given: the method labels the link with the element's title."""

_WHERE: dict[str, Callable[[Addresses, str, str, str], Address]] = {
    "rule": lambda at, key, _p, _c: at.rule(key),
    "flow": lambda at, key, _p, _c: at.flow(key),
    "step": lambda at, key, _p, _c: at.step(key),
    "decision_table": lambda at, key, _p, _c: at.decision_table(key),
    "questionnaire": lambda at, key, _p, _c: at.questionnaire(key),
    "form": lambda at, key, _p, _c: at.form(key),
    "checklist": lambda at, key, _p, _c: at.checklist(key),
    "term": lambda at, key, _p, _c: at.term(key),
    "case": lambda at, key, _p, _c: at.case(key),
    "role": lambda at, key, _p, _c: at.role(key),
    "permission": lambda at, key, _p, _c: at.permission(key),
    "parameter": lambda at, key, _p, _c: at.parameter(key),
    "stage": lambda at, key, _p, _c: at.stage(key),
    "script": lambda at, key, _p, _c: at.script(key),
    "form_field": lambda at, _k, parent, child: at.field(parent, child),
    "checklist_item": lambda at, _k, parent, child: at.item(parent, child),
    "decision_row": lambda at, _k, parent, child: Address(at.decision_table(parent).src,
                                                          f"row-{child}"),
    "target_clients": lambda _a, _k, _p, _c: Address("target-clients.md"),
    "target_topic": lambda _a, key, _p, _c: Address("target-clients.md", f"topic-{key}"),
    "principle": lambda at, key, _p, _c: at.principle(key),
    "governing_document": lambda _a, _k, _p, _c: Address("index.md", "governing"),
    "part": lambda _a, key, _p, _c: Address("index.md", f"part-{key}"),
    "pack": lambda _a, _k, _p, _c: Address("index.md"),
}
"""Where each kind of element is, from its key (``parent/child`` split)."""
