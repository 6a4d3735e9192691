"""Small helpers the checks share: precise locations inside an element, name
suggestions, and the graph of a flow."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from generator.load import Document
from generator.model import Flow, Loc, Model, Outcome, Step
from generator.model.cache import per_model as per_model
from generator.model.refs import at as at

T = TypeVar("T")


def suggest(name: str, candidates: Iterable[str]) -> str:
    """``是否应为 “x”?`` when a known name is close to ``name``, else ``""``."""
    found = difflib.get_close_matches(name, sorted(candidates), n=1)
    return f"是否应为 “{found[0]}”?" if found else ""


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    outcome: Outcome | None
    loc: Loc
    """Where the edge is written: the step's ``next`` or the outcome's ``next``."""

    def label(self) -> str:
        return f"—[{self.outcome.id}]→" if self.outcome else "→"


def edges(model: Model, step: Step) -> Iterator[Edge]:
    """The outgoing edges of ``step`` whose target is a step of the same flow."""
    flow = model.flows.get(step.flow)
    if flow is None:
        return
    for target, outcome in step.successors():
        if flow_has(model, flow, target):
            where = outcome.loc if outcome else step.loc
            yield Edge(step.id, target, outcome, at(model, where, "next"))


def flow_has(model: Model, flow: Flow, step_id: str) -> bool:
    step = model.steps.get(step_id)
    return step is not None and step.flow == flow.id


def graph(model: Model, flow: Flow) -> dict[str, list[Edge]]:
    """Step id → outgoing edges, for every step of ``flow``, in file order."""
    return {s.id: list(edges(model, s)) for s in flow.steps}


def reachable(adjacency: dict[str, list[Edge]], roots: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    stack = [r for r in roots if r in adjacency]
    seen.update(stack)
    while stack:
        for e in adjacency[stack.pop()]:
            if e.target not in seen:
                seen.add(e.target)
                stack.append(e.target)
    return seen


def step_label(model: Model, step_id: str) -> str:
    step = model.steps.get(step_id)
    return f"{step_id}({step.title})" if step else step_id


def describe_path(model: Model, path: list[Edge], first: str) -> tuple[str, ...]:
    """One line per step of a path: ``1. start(开始)  flows/x.yaml:14``."""

    def line(n: int, step_id: str, via: Edge | None) -> str:
        step = model.steps.get(step_id)
        where = f"  {step.loc.file}:{step.loc.line}" if step else ""
        how = f"经结果 {via.outcome.id}({via.outcome.title})到 " if via and via.outcome else ""
        return f"  {n}. {how}{step_label(model, step_id)}{where}"

    lines = ["路径:", line(1, first, None)]
    lines.extend(line(i + 2, e.target, e) for i, e in enumerate(path))
    return tuple(lines)


_NOT_TEXT = frozenset({"provenance", "sources", "$schema"})
"""Keys whose strings are not procedure text: citations and quotes, the sources'
outlines (where a source's own numbers belong), and editor modelines."""


@per_model
def document_texts(model: Model) -> list[tuple[Document, list[str]]]:
    """Every string of each valid document except provenance, in no particular order.

    Several checks scan all texts, and on a large pack the walk costs more than the
    checks. Positions are not computed here; a check that finds something walks that
    one document again with ``iter_strings``."""
    found = []
    for doc in model.documents.values():
        if doc.valid:
            texts: list[str] = []
            stack: list[Any] = [doc.data]
            while stack:
                value = stack.pop()
                if isinstance(value, str):
                    texts.append(value)
                elif isinstance(value, dict):
                    stack.extend(v for k, v in value.items() if k not in _NOT_TEXT)
                elif isinstance(value, list):
                    stack.extend(value)
            found.append((doc, texts))
    return found
