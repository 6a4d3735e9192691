"""How long `policybook validate` takes compared with merely parsing the same YAML.

For the shipped pack and synthetic packs 10x and 100x its size (benchmarks/synth.py),
prints the least CPU time (user + system) of N runs of

* libyaml:  ``yaml.load(text, Loader=yaml.CSafeLoader)`` for every file, text already
  in memory (the fastest way Python has to read YAML, with none of our checks);
* validate: ``generator.validate.validate(path)`` in-process: reading the files, the
  strict YAML reader with positions, JSON Schema validation and the pack-level checks;
* CLI:      the whole ``python -m generator validate PATH`` process, start-up included;
* no Rust:  validate with the pure-Python jsonschema for every document (what the
  jsonschema-rs fast path saves: it only runs jsonschema on documents with problems);

and validate / libyaml. The floor is 3x on the 100x pack; the script exits 1 above it.

    python benchmarks/bench_validate.py [--quick] [--repeat N]
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import POLICIES, make_pack  # noqa: E402

from generator.load import discover, load_pack  # noqa: E402
from generator.schema import SchemaSet, load_schemas  # noqa: E402
from generator.validate import validate  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
FLOOR = 3.0
"""validate may take at most this many times the libyaml parse on the 100x pack."""


@dataclass
class Row:
    name: str
    files: int
    megabytes: float
    parse: float
    validate: float
    cli: float | None
    python_only: float
    problems: int

    @property
    def ratio(self) -> float:
        return self.validate / self.parse


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """Least CPU time (user + system) of ``repeat`` runs of ``fn``, its child processes
    included. CPU time rather than wall time: on a shared two-core machine the wall clock
    mostly measures what else is running."""
    times = []
    for _ in range(repeat):
        start = time.process_time() + _children()
        fn()
        times.append(time.process_time() + _children() - start)
    return min(times)


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pack(scale: int) -> Path:
    """The synthetic pack for ``scale``, regenerated only when policies/ or synth.py changed."""
    if scale == 1:
        return POLICIES
    digest = hashlib.sha256((ROOT / "benchmarks" / "synth.py").read_bytes())
    for path in discover(POLICIES):
        digest.update(str(path.relative_to(POLICIES)).encode() + path.read_bytes())
    dest = OUT / f"pack-{scale}x"
    stamp = OUT / f"pack-{scale}x.stamp"
    if not (dest.is_dir() and stamp.is_file() and stamp.read_text() == digest.hexdigest()):
        OUT.mkdir(parents=True, exist_ok=True)
        make_pack(scale, dest)
        stamp.write_text(digest.hexdigest())
    return dest


def measure(name: str, root: Path, repeat: int, cli: bool) -> Row:
    paths = discover(root)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    size = sum(len(t.encode()) for t in texts) / 1e6
    parse = best_of(repeat, lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts])
    result = validate(root)  # warm: schemas compiled once per process, as in the CLI
    seconds = best_of(repeat, lambda: validate(root))
    cli_seconds = None
    if cli:
        command = [sys.executable, "-m", "generator", "validate", str(root)]
        env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
        cli_seconds = best_of(max(1, repeat // 2), lambda: subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, check=False))
    schemas = load_schemas()
    python_only = SchemaSet(schemas.registry, schemas.validators)  # no fast validators
    slow = best_of(max(1, repeat // 2), lambda: load_pack(root, schemas=python_only))
    return Row(name, len(paths), size, parse, seconds, cli_seconds, slow,
               len(result.diagnostics))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer runs and no 100x pack (a smoke test, not a measurement)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (best of)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (2 if args.quick else 5)
    scales = (1, 10) if args.quick else (1, 10, 100)

    rows = []
    for scale in scales:
        name = "shipped (policies/)" if scale == 1 else f"{scale}x synthetic"
        rows.append(measure(name, pack(scale), repeat, cli=True))

    print(f"validate vs. libyaml parse: CPU time, best of {repeat} "
          f"(Python {sys.version.split()[0]})\n")
    print("| pack | files | MB | libyaml parse | validate | validate / parse | CLI process "
          "| without jsonschema-rs |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        cli = f"{r.cli:.2f} s" if r.cli is not None else "–"
        print(f"| {r.name} | {r.files} | {r.megabytes:.2f} | {r.parse * 1000:.0f} ms | "
              f"{r.validate * 1000:.0f} ms | {r.ratio:.2f}× | {cli} | "
              f"{r.python_only * 1000:.0f} ms ({r.python_only / r.parse:.1f}×) |")
    print()
    failed = False
    for r in rows:
        if r.problems:
            print(f"FAIL: {r.name} has {r.problems} diagnostics; the benchmark needs a valid pack")
            failed = True
    big = rows[-1]
    verdict = "ok" if big.ratio <= FLOOR else "FAIL"
    print(f"{verdict}: validate is {big.ratio:.2f}× the libyaml parse on the {big.name} pack "
          f"(floor {FLOOR:.0f}×{'; --quick measures 10x only' if args.quick else ''})")
    return 1 if failed or big.ratio > FLOOR else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
