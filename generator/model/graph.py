"""Flow-graph algorithms shared by the checks, the printed diagrams and the diff.

- :func:`back_edges`: the edges that close a cycle, found by one depth-first search
  in file order (the checks report undeclared loops, the diagram draws them aside).
- Contraction, for comparing the shape of a flow between two versions: a step that
  was removed (or added) should not make its neighbours look "moved", so both
  graphs are *contracted* to the steps they share (a path through removed steps
  becomes a direct edge) before predecessors and decision targets are compared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from generator.model.flows import Flow

E = TypeVar("E")


def back_edges(flow: Flow, successors: Mapping[str, Sequence[E]],
               target: Callable[[E], str]) -> Iterator[tuple[E, list[str]]]:
    """Depth-first search from the start steps, then from every step not yet seen, in
    file order, following each step's edges in order. Yields every edge back onto
    the current path, with the cycle it closes (the path from the edge's target)."""
    state: dict[str, int] = {}  # 1 on the path, 2 done
    for root in [s.id for s in flow.starts] + [s.id for s in flow.steps]:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            out = successors.get(node, ())
            if i == len(out):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, i + 1)
            edge = out[i]
            to = target(edge)
            if state.get(to) == 1:
                yield edge, path[path.index(to):]
            elif to not in state:
                state[to] = 1
                stack.append((to, 0))
                path.append(to)


def _targets(flow: Flow, starts: Iterable[str], keep: set[str]) -> set[str]:
    """Kept steps reached from ``starts`` through steps that are not kept."""
    found: set[str] = set()
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        sid = stack.pop()
        if sid in seen:
            continue
        seen.add(sid)
        if sid in keep:
            found.add(sid)
            continue
        step = flow.step(sid)
        if step is not None:
            stack.extend(target for target, _ in step.successors())
    return found


def contracted_successors(flow: Flow, keep: set[str]) -> dict[str, set[str]]:
    return {s.id: _targets(flow, (t for t, _ in s.successors()), keep)
            for s in flow.steps if s.id in keep}


def contracted_predecessors(flow: Flow, keep: set[str]) -> dict[str, set[str]]:
    preds: dict[str, set[str]] = {sid: set() for sid in keep}
    for source, targets in contracted_successors(flow, keep).items():
        for target in targets:
            preds.setdefault(target, set()).add(source)
    return preds


def outcome_targets(flow: Flow, step_id: str, keep: set[str]) -> dict[str, set[str]]:
    """For a decision step: outcome id → the kept steps it leads to."""
    step = flow.step(step_id)
    if step is None:
        return {}
    return {o.id: _targets(flow, [o.next], keep) for o in step.outcomes}


def contracted_ancestors(flow: Flow, keep: set[str]) -> dict[str, set[str]]:
    """Kept step → every kept step from which it can be reached."""
    preds = contracted_predecessors(flow, keep)
    out: dict[str, set[str]] = {}
    for sid in keep:
        seen: set[str] = set()
        stack = list(preds.get(sid, ()))
        while stack:
            p = stack.pop()
            if p not in seen:
                seen.add(p)
                stack.extend(preds.get(p, ()))
        out[sid] = seen
    return out
