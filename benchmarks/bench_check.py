"""validate + check against raw YAML parsing, on the shipped pack and on synthetic packs
10× and 100× its size.

Floors (issue 4): on the 100× pack, validate + check takes at most 5× the time of
parsing the same files with ``yaml.load(..., Loader=yaml.CSafeLoader)``; and the time
grows no faster than the pack (the 10× → 100× step costs at most ~10× plus noise).
Files are read into memory first, so the figures compare computation, not disk reads.

    python benchmarks/bench_check.py          # prints a table; exit 1 if a floor is missed
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import POLICIES, make_pack  # noqa: E402

from generator.checks import long_lived_heap, run_checks  # noqa: E402
from generator.diagnostics import Severity  # noqa: E402
from generator.load import LoadResult, discover, load_pack  # noqa: E402
from generator.model import build_model  # noqa: E402

SCALES = (1, 10, 100)
RATIO_FLOOR = 5.0
GROWTH_SLACK = 1.5
"""The 10× → 100× step may cost up to 1.5 × 10× (timing noise, cache effects)."""


@dataclass(frozen=True)
class Figures:
    scale: int
    files: int
    megabytes: float
    parse: float
    validate: float
    model: float
    check: float
    errors: int

    @property
    def total(self) -> float:
        return self.validate + self.model + self.check

    @property
    def ratio(self) -> float:
        return self.total / self.parse


def best(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in CPU seconds of this process: other work on
    the machine (a shared 2-core box) disturbs wall time far more than CPU time."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def build(load: LoadResult) -> None:
    """Build the model as ``generator.pipeline.analyse`` does."""
    with long_lived_heap():
        build_model(load)


def measure(scale: int, root: Path) -> Figures:
    """Each stage timed in pipeline order, with what the real run holds in memory."""
    entries = [(p, p.read_bytes()) for p in discover(root)]
    repeat = 5 if scale < 100 else 3

    def parse() -> None:
        for _path, raw in entries:
            yaml.load(raw, Loader=yaml.CSafeLoader)

    gc.collect()
    t_parse = best(parse, repeat)
    t_validate = best(lambda: load_pack(root, files=entries), repeat)
    load = load_pack(root, files=entries)
    t_model = best(lambda: build(load), repeat)
    model, build_diags = build_model(load)
    t_check = best(lambda: run_checks(model), repeat)
    errors = sum(d.severity >= Severity.ERROR
                 for d in [*load.diagnostics, *build_diags, *run_checks(model)])
    return Figures(scale, len(entries), sum(len(raw) for _, raw in entries) / 1e6,
                   t_parse, t_validate, t_model, t_check, errors)


def main() -> int:
    rows = []
    with tempfile.TemporaryDirectory(prefix="policybook-bench-") as tmp:
        for scale in SCALES:
            root = POLICIES if scale == 1 else make_pack(scale, Path(tmp) / f"pack{scale}")
            rows.append(measure(scale, root))
    print("validate + check vs raw parse (yaml.CSafeLoader): CPU seconds, best of several runs")
    print(f"{'pack':>6} {'files':>6} {'MB':>6} {'parse s':>8} {'validate s':>10} "
          f"{'model s':>8} {'check s':>8} {'total s':>8} {'×parse':>7} {'errors':>6}")
    for f in rows:
        print(f"{f.scale:>5}× {f.files:>6} {f.megabytes:>6.2f} {f.parse:>8.3f} "
              f"{f.validate:>10.3f} {f.model:>8.3f} {f.check:>8.3f} {f.total:>8.3f} "
              f"{f.ratio:>7.2f} {f.errors:>6}")
    big = rows[-1]
    ten = next(f for f in rows if f.scale == 10)
    growth = big.total / ten.total
    size_growth = big.megabytes / ten.megabytes
    print(f"10× → 100×: time ×{growth:.1f} for size ×{size_growth:.1f}")
    ok = True
    if big.ratio > RATIO_FLOOR:
        print(f"FLOOR MISSED: validate + check is {big.ratio:.2f}× raw parse on the 100× pack "
              f"(floor {RATIO_FLOOR}×)")
        ok = False
    if growth > size_growth * GROWTH_SLACK:
        print(f"FLOOR MISSED: time grows faster than the pack ({growth:.1f}× for "
              f"{size_growth:.1f}× the size)")
        ok = False
    if any(f.errors for f in rows):
        print("note: the packs have errors; the figures still time every check")
    print("floors met" if ok else "floors missed")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
