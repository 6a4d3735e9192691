"""Ordering on every path: a rule's path constraint holds on *all* paths of a flow.

Paths are never enumerated (their number grows exponentially with the decisions,
and is infinite with loops). Instead the flow is searched as a product automaton:
a state is (step, how many waypoints have been passed in order). Passing waypoints
greedily is exact for "contains the waypoints as a subsequence", so the state space
is (steps × (waypoints + 1)) and each edge is followed once per state. A reachable
state (target step, fewer than all waypoints) is a violation; breadth-first search
gives the shortest such path, rebuilt from parent pointers as the counterexample.
Declared loops need no special case: revisiting a state adds nothing new.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import Edge, describe_path, graph
from generator.diagnostics import Diagnostic
from generator.model import Constraint, Model, Rule, Step, Waypoint


def _node_match(w: Waypoint, step: Step) -> bool:
    if w.any_of:
        return any(_node_match(x, step) for x in w.any_of)
    if w.stage:
        return step.stage == w.stage
    return not w.outcome and step.id == w.step


def _edge_match(w: Waypoint, edge: Edge) -> bool:
    if w.any_of:
        return any(_edge_match(x, edge) for x in w.any_of)
    return bool(w.outcome) and edge.outcome is not None and edge.source == w.step \
        and edge.outcome.id == w.outcome


def _resolvable(model: Model, c: Constraint) -> bool:
    """Skip constraints with dangling ids: the ref checks report those."""
    flow = model.flows.get(c.flow)
    if flow is None:
        return False
    steps = {s.id for s in flow.steps}
    stages = {s.id for s in model.meta.stages} if model.meta else set()

    def ok(w: Waypoint) -> bool:
        if w.any_of:
            return all(ok(x) for x in w.any_of)
        if w.stage:
            return w.stage in stages
        step = model.steps.get(w.step)
        return w.step in steps and step is not None and (
            not w.outcome or any(o.id == w.outcome for o in step.outcomes))

    return all(t in steps for t in c.to) and all(ok(w) for w in c.in_order) \
        and len(flow.starts) == 1


def violations(model: Model, c: Constraint) -> Iterator[tuple[str, int, list[Edge]]]:
    """(target step, index of the first waypoint missed, path from the start) for each
    target that some path reaches without passing every waypoint in order."""
    flow = model.flows[c.flow]
    adjacency = graph(model, flow)
    waypoints = c.in_order
    k = len(waypoints)
    targets = set(c.to)

    def advance_node(i: int, step_id: str) -> int:
        step = model.steps[step_id]
        while i < k and _node_match(waypoints[i], step):
            i += 1
        return i

    def advance_edge(i: int, edge: Edge) -> int:
        while i < k and _edge_match(waypoints[i], edge):
            i += 1
        return i

    start = flow.starts[0].id
    first = (start, advance_node(0, start))
    parent: dict[tuple[str, int], tuple[tuple[str, int], Edge] | None] = {first: None}
    queue = deque([first])
    reported: set[str] = set()
    while queue:
        state = queue.popleft()
        step_id, i = state
        if step_id in targets and i < k and step_id not in reported:
            reported.add(step_id)
            yield step_id, i, _path(parent, state)
        for e in adjacency[step_id]:
            nxt = (e.target, advance_node(advance_edge(i, e), e.target))
            if nxt not in parent:
                parent[nxt] = (state, e)
                queue.append(nxt)


def _path(parent: dict[tuple[str, int], tuple[tuple[str, int], Edge] | None],
          state: tuple[str, int]) -> list[Edge]:
    edges: list[Edge] = []
    link = parent[state]
    while link is not None:
        state, edge = link
        edges.append(edge)
        link = parent[state]
    edges.reverse()
    return edges


@check("order.path-violates", "规则的路径约束在流程的每一条路径上都成立(按顺序经过途经点)。")
def path_violates(model: Model) -> Iterator[Diagnostic]:
    for rule in model.rules.values():
        for c in rule.constraints:
            if not _resolvable(model, c):
                continue
            for target, missed, path in violations(model, c):
                yield _diagnostic(model, rule, c, target, missed, path)


def _diagnostic(model: Model, rule: Rule, c: Constraint, target: str, missed: int,
                path: list[Edge]) -> Diagnostic:
    w = c.in_order[missed]
    passed = "、".join(x.describe() for x in c.in_order[:missed])
    after = f"经过 {passed} 之后" if passed else ""
    order = " → ".join(x.describe() for x in c.in_order)
    first = model.flows[c.flow].starts[0].id
    return w.loc.diagnostic(
        "order.path-violates",
        f"规则 {rule.id} 要求流程 {c.flow} 中到达 {target} 的每条路径依次经过 {order};"
        f"下面这条路径{after}没有经过 {w.describe()} 就到达了 {target}。",
        "在流程中补上缺少的环节或调整 next,使每条路径都按顺序经过;"
        "如果约束写错了,改正规则的 constraints。",
        related=describe_path(model, path, first))
