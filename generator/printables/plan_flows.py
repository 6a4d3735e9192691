"""model → flow sheet contexts: the diagram cut into pages and the step table."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from markupsafe import Markup

from generator.model import Flow
from generator.printables.flowchart import layout
from generator.printables.planbase import PlannerBase
from generator.printables.views import FlowSheetDoc, OutcomeView, Printable, StepRow

PAGE_BODY_MM = 297 - 22 - 18
"""A4 height less the top and bottom page margins of print.css."""


class FlowPlanner(PlannerBase):
    def flows(self) -> Iterator[Printable]:
        for f in self.model.flows.values():
            yield Printable("flows", f.id, "flow.html", self.flow(f), False)

    def flow(self, flow: Flow) -> FlowSheetDoc:
        m = self.model
        numbers = self.numbers(flow)
        # Page 1 holds the title band (~38 mm), the summary (9.5 pt, ~55 characters a
        # line, ~5 mm a line) and the two-line legend above the diagram.
        lines = -(-len(m.text(flow.summary)) // 55)
        first = min(self.frame.first_height, PAGE_BODY_MM - 38 - 5 * lines - 10 - 6)
        frame = dataclasses.replace(self.frame, first_height=first)
        diagram = layout(flow, self.role_name, m.text, numbers, frame)
        stages = {s.id: s for s in (m.meta.stages if m.meta else ())}
        rows = []
        for step in flow.steps:
            if step.type not in ("task", "decision"):
                continue
            stage = stages.get(step.stage)
            rows.append(StepRow(
                numbers[step.id], m.text(step.title),
                "决策点" if step.type == "decision" else "环节",
                self.role_name(step.actor) if step.actor else "",
                f"第{stage.order}步 {m.text(stage.title)}" if stage else "",
                m.text(step.purpose), m.text(step.question),
                tuple(m.text(a) for a in step.actions),
                tuple(self.form_title(f) for f in step.forms),
                self.rule_refs(step.rules),
                tuple(OutcomeView(m.text(o.title), self.target(o.next, numbers))
                      for o in step.outcomes),
                self.target(step.next, numbers) if step.next else "",
                self.links.step(step.id)))
        return FlowSheetDoc(
            self.header("流程图", self.flow_code(flow), flow.title, flow.title_en,
                        flow.provenance.drafted),
            m.text(flow.summary), tuple(self.role_name(a) for a in flow.performers),
            () if tuple(flow.actors) == flow.performers else
            tuple(self.role_name(a) for a in flow.actors),
            flow.provenance.based_on if flow.provenance.drafted else flow.provenance.citation,
            tuple(Markup(p.svg) for p in diagram.pages), tuple(rows))

    def flow_code(self, flow: Flow) -> str:
        """Flows carry no document code: ``<prefix>-P-<order>``, with the prefix the
        pack's forms and checklists use (MN-F-01 → MN-P-01); ``P-<order>`` without one."""
        codes = [f.code for f in self.model.forms.values()]
        codes += [c.code for c in self.model.checklists.values()]
        prefix = codes[0].split("-")[0] + "-" if codes else ""
        order = flow.order or list(self.model.flows).index(flow.id) + 1
        return f"{prefix}P-{order:02d}"
