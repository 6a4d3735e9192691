"""The shape of every flow: one start, every step reachable, every path ending in an
end step, loops only where the flow declares them."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks import check
from generator.checks._common import Edge, at, graph, reachable, step_label
from generator.diagnostics import Diagnostic
from generator.model import Model, back_edges


@check("flow.single-start", "每个流程恰有一个开始环节。")
def single_start(model: Model) -> Iterator[Diagnostic]:
    for flow in model.flows.values():
        starts = flow.starts
        if not starts:
            yield at(model, flow.loc, "steps").diagnostic(
                "flow.single-start", f"流程 {flow.id} 没有开始环节。",
                "把第一个环节的 type 设为 start,并用 next 指向第一个工作环节。")
        for extra in starts[1:]:
            yield at(model, extra.loc, "type").diagnostic(
                "flow.single-start",
                f"流程 {flow.id} 有多个开始环节:{starts[0].id} 和 {extra.id}。",
                "一个流程只能从一个开始环节出发;不同的入口请用决策环节区分。")


@check("flow.unreachable", "流程中的每个环节都能从开始环节到达。")
def unreachable(model: Model) -> Iterator[Diagnostic]:
    for flow in model.flows.values():
        if not flow.starts:
            continue
        adjacency = graph(model, flow)
        seen = reachable(adjacency, [s.id for s in flow.starts])
        for step in flow.steps:
            if step.id not in seen:
                yield step.loc.diagnostic(
                    "flow.unreachable",
                    f"环节 {step.id}({step.title})从流程 {flow.id} 的开始环节无法到达。",
                    "检查前面环节的 next 或决策结果的 next 是否指向它;不再需要的环节请删除。")


@check("flow.dead-end", "从每个环节出发都能到达一个结束环节。")
def dead_end(model: Model) -> Iterator[Diagnostic]:
    for flow in model.flows.values():
        adjacency = graph(model, flow)
        reverse: dict[str, list[Edge]] = {s.id: [] for s in flow.steps}
        for edges in adjacency.values():
            for e in edges:
                reverse[e.target].append(Edge(e.target, e.source, e.outcome, e.loc))
        finishing = reachable(reverse, [s.id for s in flow.ends])
        started = reachable(adjacency, [s.id for s in flow.starts])
        for step in flow.steps:
            if step.id in finishing or step.id not in started:
                continue  # unreachable steps are reported once, by flow.unreachable
            yield step.loc.diagnostic(
                "flow.dead-end",
                f"从环节 {step.id}({step.title})出发的路径到不了任何结束环节。",
                "每条路径都应以 type: end 的结束环节收尾;检查 next 是否形成了没有出口的回路。")


@check("flow.undeclared-loop", "流程中的回路都在 loops 中声明。")
def undeclared_loop(model: Model) -> Iterator[Diagnostic]:
    for flow in model.flows.values():
        declared = {(lp.from_step, lp.to_step) for lp in flow.loops}
        adjacency = {k: [e for e in v if (e.source, e.target) not in declared]
                     for k, v in graph(model, flow).items()}
        for edge, cycle in back_edges(flow, adjacency, lambda e: e.target):
            lines = ["回路:"] + [f"  {step_label(model, s)}" for s in cycle]
            lines.append(f"  回到 {step_label(model, edge.target)}")
            yield edge.loc.diagnostic(
                "flow.undeclared-loop",
                f"环节 {edge.source} {edge.label()} {edge.target} "
                f"形成了流程 {flow.id} 未声明的回路。",
                f"如果这是允许的回退,在流程的 loops 中声明 {{from: {edge.source}, "
                f"to: {edge.target}, reason: ...}};否则改正 next。",
                related=tuple(lines))


@check("flow.bad-loop", "声明的回路必须是流程中确实存在的回退。")
def bad_loop(model: Model) -> Iterator[Diagnostic]:
    for flow in model.flows.values():
        adjacency = graph(model, flow)
        for lp in flow.loops:
            if lp.from_step not in adjacency or lp.to_step not in adjacency:
                continue  # reported by ref.unknown-step
            if not any(e.target == lp.to_step for e in adjacency[lp.from_step]):
                yield lp.loc.diagnostic(
                    "flow.bad-loop",
                    f"流程 {flow.id} 声明了从 {lp.from_step} 回到 {lp.to_step} 的回路,"
                    f"但 {lp.from_step} 的 next 或决策结果并不指向 {lp.to_step}。",
                    "删除这条声明,或让该环节的 next/决策结果指向回退的目标环节。")


@check("flow.duplicate-outcome", "同一决策环节的结果标识互不相同。")
def duplicate_outcome(model: Model) -> Iterator[Diagnostic]:
    for step in model.steps.values():
        seen: set[str] = set()
        for o in step.outcomes:
            if o.id in seen:
                yield o.loc.diagnostic(
                    "flow.duplicate-outcome", f"决策环节 {step.id} 的结果 “{o.id}” 重复。",
                    "每个结果的 id 在环节内必须唯一,案例和路径约束按 id 选择结果。")
            seen.add(o.id)
