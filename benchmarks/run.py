"""Run every benchmarks/bench_*.py in name order, each in its own process.

Arguments are passed through (e.g. ``--quick``). Exits non-zero if any benchmark did.

    python benchmarks/run.py [--quick]
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    failed = []
    for bench in sorted(HERE.glob("bench_*.py")):
        print(f"=== {bench.name} {' '.join(argv)}".rstrip(), flush=True)
        start = time.perf_counter()
        code = subprocess.run([sys.executable, str(bench), *argv], check=False).returncode
        print(f"=== {bench.name}: exit {code} in {time.perf_counter() - start:.1f} s\n",
              flush=True)
        if code:
            failed.append(bench.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
