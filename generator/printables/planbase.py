"""The planners' shared part: the model, the links to the site, the fixed timestamp,
and the lookups every printable uses (role names, rule titles, step numbers).

Every text goes through ``model.text`` in the planners, so a threshold changed in
parameters.yaml reaches every checklist, form and flow sheet.
"""

from __future__ import annotations

import datetime as dt
import os

from generator.model import Flow, Model, Step
from generator.printables.flowchart import Frame
from generator.printables.links import Links
from generator.printables.views import Header, RuleRef

CHINESE_NUMERALS = "一二三四五六七八九十"


def timestamp(model: Model) -> str:
    """SOURCE_DATE_EPOCH if set (reproducible-builds convention), else the pack's
    effective date: the same policies always give the same PDF bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    else:
        day = model.meta.effective_date if model.meta else dt.date(2000, 1, 1)
        moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def numeral(index: int) -> str:
    return CHINESE_NUMERALS[index] if index < len(CHINESE_NUMERALS) else str(index + 1)


class PlannerBase:
    """What every planner reads: the model, the site links, the diagram frame."""

    def __init__(self, model: Model, links: Links, frame: Frame | None = None) -> None:
        self.model = model
        self.links = links
        self.frame = frame or Frame()
        self.stamp = timestamp(model)

    def header(self, kind_label: str, code: str, title: str, title_en: str,
               drafted: bool, page_fields: tuple[str, ...] = ()) -> Header:
        meta = self.model.meta
        return Header(
            kind_label, code, self.model.text(title), title_en,
            meta.title if meta else "", meta.owner if meta else "",
            meta.version if meta else "", meta.effective_date.isoformat() if meta else "",
            self.stamp, drafted, example=bool(meta and meta.example),
            page_fields=tuple(self.model.text(f) for f in page_fields))

    def role_name(self, role_id: str) -> str:
        role = self.model.roles.get(role_id)
        return role.name if role else role_id

    def rule_refs(self, ids: tuple[str, ...]) -> tuple[RuleRef, ...]:
        rules = self.model.rules
        return tuple(RuleRef(r, self.model.text(rules[r].title) if r in rules else "")
                     for r in ids)

    def step_title(self, step_id: str) -> str:
        step = self.model.steps.get(step_id)
        return self.model.text(step.title) if step else step_id

    @staticmethod
    def numbers(flow: Flow) -> dict[str, int]:
        """The flow's step numbers (:meth:`Flow.numbers`, the same on the site)."""
        return flow.numbers()

    def form_title(self, form_id: str) -> str:
        form = self.model.forms.get(form_id)
        return f"《{self.model.text(form.title)}》" if form else form_id

    def target(self, step_id: str, numbers: dict[str, int]) -> str:
        step: Step | None = self.model.steps.get(step_id)
        if step is None:
            return step_id
        number = numbers.get(step_id)
        title = self.model.text(step.title)
        return f"{number}. {title}" if number else title
