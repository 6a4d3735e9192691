"""`policybook evaluate` speed: decisions evaluated per second (each with its full
trace: every row checked, citations resolved) and the time to walk a flow, on the
shipped pack and on the synthetic 100× pack (10× with ``--quick``).

Floors: at least 2,000 decisions/s, a flow case walked in under 20 ms, and the 100×
pack no more than 2× slower per decision or walk than the shipped one (evaluation
reads one table or flow; the pack's size must not matter).

    python benchmarks/bench_evaluate.py [--quick]
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import POLICIES, make_pack  # noqa: E402

from generator.evaluate import case_facts, evaluate_decision, walk_flow  # noqa: E402
from generator.model import Model  # noqa: E402
from generator.pipeline import analyse  # noqa: E402

MIN_DECISIONS_PER_S = 2000
MAX_WALK_S = 0.020
SIZE_SLACK = 2.0


@dataclass(frozen=True)
class Figures:
    scale: int
    decisions_per_s: float
    walk_s: float
    """Mean CPU time to walk one flow case."""
    walks: int


def best(fn: Callable[[], object], repeat: int = 5) -> float:
    """Fastest of ``repeat`` runs, CPU seconds (wall time swings on a shared machine)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def measure(scale: int, model: Model) -> Figures:
    # The shipped decision cases (the 100× pack's are the same inputs, renamed tables),
    # at most 200 of them, each evaluated 50 times per run.
    cases = [(c.target, dict(c.given)) for c in model.cases.values()
             if c.kind == "decision"][:200]
    flows = [c for c in model.cases.values() if c.kind == "flow"][:200]

    def decide() -> None:
        for _ in range(50):
            for table, inputs in cases:
                evaluate_decision(model, table, inputs)

    def walk() -> None:
        for case in flows:
            walk_flow(model, case.target, case_facts(case))

    t_decide = best(decide)
    t_walk = best(walk)
    return Figures(scale, 50 * len(cases) / t_decide, t_walk / len(flows), len(flows))


def main(argv: list[str]) -> int:
    big = 10 if "--quick" in argv else 100
    rows = []
    with tempfile.TemporaryDirectory(prefix="policybook-bench-") as tmp:
        for scale in (1, big):
            root = POLICIES if scale == 1 else make_pack(scale, Path(tmp) / f"pack{scale}")
            analysis = analyse(root)
            rows.append(measure(scale, analysis.model))
    print("policybook evaluate: CPU time, best of 5 runs")
    print(f"{'pack':>6} {'decisions/s':>12} {'flow walk ms':>13} {'walks':>6}")
    for f in rows:
        print(f"{f.scale:>5}× {f.decisions_per_s:>12,.0f} {f.walk_s * 1000:>13.3f} {f.walks:>6}")
    small, large = rows
    ok = True
    for f in rows:
        if f.decisions_per_s < MIN_DECISIONS_PER_S:
            print(f"FLOOR MISSED: {f.decisions_per_s:,.0f} decisions/s on the {f.scale}× pack "
                  f"(floor {MIN_DECISIONS_PER_S:,})")
            ok = False
        if f.walk_s > MAX_WALK_S:
            print(f"FLOOR MISSED: a flow walk takes {f.walk_s * 1000:.1f} ms on the {f.scale}× "
                  f"pack (floor {MAX_WALK_S * 1000:.0f} ms)")
            ok = False
    if (small.decisions_per_s / large.decisions_per_s > SIZE_SLACK
            or large.walk_s / small.walk_s > SIZE_SLACK):
        print("FLOOR MISSED: evaluation slows down with the size of the pack")
        ok = False
    print("floors met" if ok else "floors missed")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
