"""``policybook audit`` at scale: synthetic registers of 10,000 to 10,000,000 clients
(``registers_synth.py``, CSV and Parquet) with a known number of injected violations of
each control. For each size and format it prints:

- the command's wall time and peak memory (a child process, ``/usr/bin/time``-style
  ``ru_maxrss``), the violations streamed to a CSV file;
- the full audit in-process (data checks + every control + the per-rule summary, the
  violations read to the end), against one hand-written DuckDB query doing the same work
  (the same cell, type, value and key checks, the same violations, the same figures
  per control, rule and centre), both with the same memory limit and threads, DuckDB's
  start and end included, interleaved, best of ``REPEATS``, wall and CPU seconds; the
  two must agree (:func:`agree`: every control and rule of the pack, taken from the
  pack, so a control the hand query or the synthetic registers lack fails by name),
  and find exactly the injected violations.

    python benchmarks/bench_audit.py                  # 1M clients, CSV and Parquet
    python benchmarks/bench_audit.py 10000 10000000   # any sizes
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from hand_audit import hand_query  # noqa: E402
from registers_synth import AS_OF, write_registers  # noqa: E402

from generator.model import Model  # noqa: E402

PACK = ROOT / "policies" / "wealth-account-opening"
RATIO_FLOOR = 1.2
K = 100
REPEATS = 3
FORMATS = ("csv", "parquet")


def _settings(con: duckdb.DuckDBPyConnection, temp: Path) -> None:
    from generator.audit.engines import MEMORY_LIMIT

    con.execute(f"SET temp_directory = '{temp}'")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")


Figures = dict[str, dict[str | None, tuple[int, int]]]
"""control or rule → unit (``None``: no unit) → (checked, violations), zeros left out."""


def _add(figures: Figures, name: str, unit: str | None, checked: int, broken: int) -> None:
    units = figures.setdefault(name, {})
    n, m = units.get(unit, (0, 0))
    units[unit] = (n + checked, m + broken)


def _figures(counts: Any) -> dict[str | None, tuple[int, int]]:
    """A :class:`generator.audit.scan.Counts` as (checked, violations) per unit."""
    units: dict[str | None, tuple[int, int]] = {
        u: (n, counts.violations_by_unit.get(u, 0)) for u, n in counts.checked_by_unit.items()}
    units[None] = (counts.checked - sum(counts.checked_by_unit.values()),
                   counts.violations - sum(counts.violations_by_unit.values()))
    return {u: f for u, f in units.items() if f != (0, 0)}


def hand_written(folder: Path, fmt: str) -> tuple[float, float, dict[str, Any]]:
    """(wall, CPU seconds, what it found) of the hand-written query: like the audit's
    time, DuckDB's start (an in-memory database, its memory limit and temporary folder)
    and its end (the folder removed) included."""
    wall, cpu = time.perf_counter(), time.process_time()
    temp = Path(tempfile.mkdtemp(prefix="hand-"))
    con = duckdb.connect(":memory:")
    _settings(con, temp / "spill")
    rows = con.execute(hand_query(folder, fmt, AS_OF)).fetchall()
    con.close()
    shutil.rmtree(temp, ignore_errors=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    found: dict[str, Any] = {"violations": Counter(), "controls": {}, "rules": {}, "data": {}}
    for part, name, unit, key, n, m in rows:
        del key
        if part == "violation":
            found["violations"][name] += 1
        elif part in ("control", "rule"):
            _add(found[part + "s"], name, unit, int(n), int(m))
        else:
            found["data"][name] = int(n)
    for part in ("controls", "rules"):
        found[part] = {name: {u: f for u, f in units.items() if f != (0, 0)}
                       for name, units in found[part].items()}
    return wall, cpu, found


def ours(folder: Path) -> tuple[float, float, dict[str, Any]]:
    """(wall, CPU seconds, what it found) of the audit in-process, every violation read."""
    from generator.audit.data import data_files
    from generator.audit.engines import DuckDBEngine
    from generator.audit.run import audit

    model = pack_model()
    files = data_files(model, folder, {})
    wall, cpu = time.perf_counter(), time.process_time()
    engine = DuckDBEngine()
    try:
        result = audit(model, files, engine, AS_OF)
        violations = Counter(v.control for v in result.violations)
    finally:
        engine.close()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, {"violations": violations,
                       "controls": {r.control.id: _figures(r.counts) for r in result.controls},
                       "rules": {r: _figures(c) for r, c in result.rules.items()}}


@cache
def pack_model() -> Model:
    from generator.pipeline import analyse

    return analyse(PACK, checks=False).model


class Disagreement(AssertionError):
    """The audit and the hand-written query (or the injected violations) differ."""


def agree(found: dict[str, Any], hand: dict[str, Any], expected: dict[str, int]) -> None:
    """Raise :class:`Disagreement` unless the audit (``found``) and the hand-written
    query (``hand``) cover every control and audited rule of the pack, find exactly the
    ``expected`` violations of each control, the same figures per control and rule and
    centre, and no bad data."""
    model = pack_model()
    controls = set(model.controls)
    rules = {r for c in model.controls.values() for r in c.rules}
    for what, names, where in (("controls", controls, set(expected)),
                               ("controls", controls, set(found["controls"])),
                               ("controls", controls, set(hand["controls"])),
                               ("rules", rules, set(found["rules"])),
                               ("rules", rules, set(hand["rules"]))):
        missing, extra = sorted(names - where), sorted(where - names)
        if missing or extra:
            raise Disagreement(
                f"the pack's {what} and those checked differ: missing {missing}, not in the "
                f"pack {extra} (the hand-written query is benchmarks/hand_audit.py, the "
                "injected violations benchmarks/registers_synth.py: each must do every "
                "control of the pack)")
    wanted = {k: v for k, v in expected.items() if v}
    for who, got in (("audit", found), ("hand-written query", hand)):
        if dict(got["violations"]) != wanted:
            raise Disagreement(f"the {who} found {dict(got['violations'])}, "
                               f"injected {wanted}")
        got_counts = {k: sum(f[1] for f in units.values())
                      for k, units in got["controls"].items()}
        if {k: v for k, v in got_counts.items() if v} != wanted:
            raise Disagreement(f"the {who}'s per-control figures {got_counts}, "
                               f"injected {wanted}")
    for part in ("controls", "rules"):
        diff = {k: (found[part].get(k), hand[part].get(k))
                for k in set(found[part]) | set(hand[part])
                if found[part].get(k) != hand[part].get(k)}
        if diff:
            raise Disagreement(f"{part}: the audit and the hand-written query differ "
                               f"(audit, hand): {diff}")
    if set(hand["data"].values()) != {0}:
        raise Disagreement(f"the hand-written query found bad data: {hand['data']}")


def command(folder: Path) -> tuple[float, float, dict[str, int]]:
    """Wall seconds and peak RSS (MB) of ``policybook audit -f csv -o FILE`` as a child
    process (its own peak: measured by a fresh ``python`` that waits for it)."""
    out = folder / "violations.csv"
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:]).returncode; "
             "print(r, time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    run = subprocess.run(
        [sys.executable, "-c", probe, sys.executable, "-m", "generator", "audit", str(PACK),
         "--data", str(folder), "--as-of", AS_OF.isoformat(), "--format", "csv",
         "-o", str(out)], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    code, wall, peak = run.stdout.split()
    assert code == "1", run.stderr
    counts = Counter(line.split(",", 1)[0]
                     for line in out.read_text(encoding="utf-8-sig").splitlines()[1:])
    out.unlink()
    return float(wall), int(peak) / 1024, dict(counts)


def bench(n: int, fmt: str) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix=f"audit-{n}-{fmt}-"))
    try:
        expected = write_registers(folder, n, K, fmt)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        wall, peak, counts = command(folder)
        assert counts == {k: v for k, v in expected.items() if v}, (counts, expected)
        mine, hands = [], []
        for _ in range(REPEATS):  # interleaved: the machine is shared
            mine.append(ours(folder))
            hands.append(hand_written(folder, fmt))
        agree(mine[0][2], hands[0][2], expected)
        best = (min(m[0] for m in mine), min(m[1] for m in mine))
        hand_best = (min(h[0] for h in hands), min(h[1] for h in hands))
        return {"rows": n, "data_mb": size, "command_s": wall, "peak_mb": peak,
                "audit_s": best[0], "audit_cpu": best[1], "hand_s": hand_best[0],
                "hand_cpu": hand_best[1], "ratio": best[0] / hand_best[0],
                "cpu_ratio": best[1] / hand_best[1]}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(sizes: list[int]) -> int:
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'clients':>11} {'fmt':>7} {'data':>9} {'command':>8} {'peak':>8} {'audit':>8} "
          f"{'hand SQL':>8} {'ratio':>6} {'audit CPU':>9} {'hand CPU':>8} {'ratio':>6}")
    failed = False
    rows: dict[str, list[dict[str, float]]] = {f: [] for f in FORMATS}
    for n in sizes:
        for fmt in FORMATS:
            r = bench(n, fmt)
            rows[fmt].append(r)
            print(f"{n:>11,} {fmt:>7} {r['data_mb']:>7.1f}MB {r['command_s']:>7.1f}s "
                  f"{r['peak_mb']:>6.0f}MB {r['audit_s']:>7.2f}s {r['hand_s']:>7.2f}s "
                  f"{r['ratio']:>5.2f}× {r['audit_cpu']:>8.2f}s {r['hand_cpu']:>7.2f}s "
                  f"{r['cpu_ratio']:>5.2f}×", flush=True)
            if n >= 1_000_000 and min(r["ratio"], r["cpu_ratio"]) > RATIO_FLOOR:
                failed = True
    for fmt, rs in rows.items():
        if len(rs) >= 2:
            a, b = rs[0], rs[-1]
            print(f"{fmt}: {a['rows']:,} → {b['rows']:,} rows (×{b['rows'] / a['rows']:.0f}): "
                  f"audit time ×{b['audit_s'] / a['audit_s']:.1f}, "
                  f"peak memory ×{b['peak_mb'] / a['peak_mb']:.2f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}. audit = data checks + controls + "
          "per-rule summary, every violation read; the hand-written query does the same "
          "work; both did every control and rule of the pack and found exactly the injected "
          "violations and the same figures per control, rule and centre.")
    print(f"floor: ≤ {RATIO_FLOOR}× the hand-written query from 1M rows, wall or CPU "
          f"({dt.date.today()})")
    return 1 if failed else 0


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]] or [1_000_000]
    sys.exit(main(args))
