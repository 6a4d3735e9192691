"""model → what each printed document shows: the planners and their typed contexts.

One planner per concern (:mod:`~generator.printables.plan_checklists`,
:mod:`~generator.printables.plan_forms`, :mod:`~generator.printables.plan_flows`)
over a shared base (:mod:`~generator.printables.planbase`); the contexts are in
:mod:`~generator.printables.views`. Templates only lay out what those hold.
"""

from __future__ import annotations

from generator.printables.plan_checklists import ChecklistPlanner
from generator.printables.plan_flows import FlowPlanner
from generator.printables.plan_forms import FormPlanner
from generator.printables.planbase import timestamp
from generator.printables.views import Printable


class Planner(ChecklistPlanner, FormPlanner, FlowPlanner):
    """Builds the context of every printable of a model."""

    def plan(self) -> list[Printable]:
        """Each kind's printables (:attr:`generator.kinds.registry.Kind.printables`)."""
        return [p for kind in self.model.kinds.values() if kind.printables is not None
                for p in kind.printables(self)]

__all__ = ["Planner", "Printable", "timestamp"]
