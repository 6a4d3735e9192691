"""model → checklist contexts: items by flow and step, with the rules they serve."""

from __future__ import annotations

from collections.abc import Iterator

from markupsafe import Markup

from generator.model import Checklist
from generator.printables.links import StepLink
from generator.printables.planbase import PlannerBase
from generator.printables.views import (
    CheckItem,
    ChecklistDoc,
    FlowGroup,
    Printable,
    StepGroup,
)

FLOW_HEADER_FIELDS = ("机构", "日期", "业务编号")
ROLE_HEADER_FIELDS = ("机构", "日期", "执行人")
"""The header blanks of a checklist that declares none (``header_fields``)."""


class ChecklistPlanner(PlannerBase):
    def checklists(self) -> Iterator[Printable]:
        for c in self.model.checklists.values():
            yield Printable("checklists", c.id, "checklist.html", self.checklist(c), False)


    def checklist(self, cl: Checklist) -> ChecklistDoc:
        m = self.model
        items = m.checklist_items(cl)
        flows: list[FlowGroup] = []
        counter = 0
        flow_ids = [cl.flow] if cl.flow else list(m.flows)
        for flow_id in flow_ids:
            flow = m.flows.get(flow_id)
            if flow is None:
                continue
            numbers = self.numbers(flow)
            groups: list[StepGroup] = []
            for step in flow.steps:
                mine = [i for i in items if i.step == step.id]
                if not mine:
                    continue
                views = []
                for item in mine:
                    counter += 1
                    views.append(CheckItem(counter, item.id, m.text(item.text),
                                           self.rule_refs(item.rules)))
                actors = dict.fromkeys(self.role_name(m.item_role(i)) for i in mine)
                groups.append(StepGroup(numbers.get(step.id, 0), m.text(step.title),
                                        "、".join(a for a in actors if a),
                                        self.links.step(step.id), tuple(views)))
            if groups:
                flows.append(FlowGroup(m.text(flow.title), tuple(groups)))
        # Items whose step is in no flow still print (the checks report the bad reference).
        placed = {v.id for f in flows for g in f.steps for v in g.items}
        stray = [i for i in items if i.id not in placed]
        if stray:
            views = []
            for item in stray:
                counter += 1
                views.append(CheckItem(counter, item.id, m.text(item.text),
                                       self.rule_refs(item.rules)))
            nowhere = StepLink("", Markup(""))
            flows.append(FlowGroup("其他", (StepGroup(0, "其他检查项", "", nowhere,
                                                      tuple(views)),)))
        fields = tuple(m.text(f) for f in cl.header_fields) or (
            FLOW_HEADER_FIELDS if cl.flow else ROLE_HEADER_FIELDS)
        roles = tuple(r for r in dict.fromkeys(
            self.role_name(m.item_role(i)) for i in items) if r)
        several = roles if len(roles) > 1 else ()  # each role signs, each item initialled
        return ChecklistDoc(
            self.header("检查清单", cl.code, cl.title, cl.title_en, cl.provenance.drafted,
                        cl.page_fields),
            m.text(cl.summary), self.role_name(cl.collect_role) if cl.collect_role else "",
            tuple(flows), counter, fields, signers=several, initials=several)

    # -- forms

