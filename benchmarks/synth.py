"""A synthetic policy pack N times the size of the shipped one, for benchmarks.

``make_pack(scale, dest)`` copies the shipped pack (``policies/wealth-account-opening/``)
and adds ``scale - 1`` replicas of every
multi-document kind (flows, decision tables, questionnaires, forms, checklists, scripts,
cases). In replica *k* every id those documents define (flows, steps, tables,
questionnaires, forms, checklists and their items, scripts, case sets and cases) becomes
``<id>_k<k>``, and every reference to one of them follows. The singleton content grows
too: each rule is copied as ``R-ELIG-K<k>`` (its path constraints pointing at replica *k*'s
flow) and replica *k* refers to its own copies of the rules, so every rule is still
implemented and tested; glossary terms are copied as ``<id>_k<k>``. Roles, permissions,
parameters and stages stay shared. Checklist and form codes get a letter suffix so that
they stay unique (``PB-C-01`` → ``PBAH-C-01``).

The result validates, and passes ``policybook check``, whenever the shipped pack does.

    python benchmarks/synth.py 100 /tmp/pack100
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.load import discover  # noqa: E402
from generator.yamlload import load_bytes  # noqa: E402

POLICIES = ROOT / "policies" / "wealth-account-opening"

REPLICATED_KINDS = frozenset({
    "flow", "decision_table", "questionnaire", "form", "checklist", "script", "cases",
})  # fmt: skip

# Keys whose value (or list of values) refers to an element a replica renames.
_REFERENCE_KEYS = frozenset({
    "next", "to", "from", "step", "filled_at", "continues_in", "flow", "decision_table",
    "decision", "questionnaire", "form", "end", "visits",
})  # fmt: skip
# Lists whose items define ids a replica renames (``id`` anywhere else, such as an
# outcome or a decision output, is local and must keep its value).
_DEFINING_LISTS = frozenset({"steps", "items", "cases"})


def _defined_ids(kind: str, data: dict[str, Any]) -> set[str]:
    ids = set()
    if isinstance(data.get("id"), str):
        ids.add(data["id"])
    for key in _DEFINING_LISTS:
        for item in data.get(key) or ():
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                ids.add(item["id"])
    return ids


def _letters(k: int) -> str:
    """1 → B, 25 → Z, 26 → BA: a suffix that keeps codes like ``PB-C-01`` valid."""
    out = ""
    while True:
        k, digit = divmod(k, 26)
        out = chr(ord("A") + digit) + out
        if k == 0:
            return out


@dataclass(frozen=True)
class _Replica:
    k: int
    defined: frozenset[str]
    rule_ids: frozenset[str]

    def id(self, value: str) -> str:
        return f"{value}_k{self.k}" if value in self.defined else value

    def rule(self, value: str) -> str:
        return f"{value}-K{self.k}" if value in self.rule_ids else value

    def code(self, value: str) -> str:
        prefix, _, rest = value.partition("-")
        return f"{prefix}{_letters(self.k)}-{rest}"

    def rename(self, value: Any, key: str = "", parent: str = "") -> Any:
        """``value`` with every defining id and every reference renamed."""
        if isinstance(value, dict):
            # A flow case's choices are keyed by step id.
            return {(self.id(k) if key == "choices" else k): self.rename(v, k, key)
                    for k, v in value.items()}
        if isinstance(value, list):
            return [self.rename(v, key, parent) for v in value]
        if not isinstance(value, str):
            return value
        if key == "rules":
            return self.rule(value)
        if key in _REFERENCE_KEYS or (key == "id" and parent in ("", *_DEFINING_LISTS)):
            return self.id(value)
        if key == "code":
            return self.code(value)
        return value


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes shared values out in full: policies may not use anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")


def make_pack(scale: int, dest: Path, source: Path = POLICIES) -> Path:
    """Write a pack ``scale`` times the size of ``source`` to ``dest`` (replaced)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    if scale == 1:
        return dest
    docs: list[tuple[Path, str, dict[str, Any]]] = []
    for path in discover(source):
        parsed = load_bytes(path.read_bytes(), str(path))
        if isinstance(parsed.data, dict):
            docs.append((path.relative_to(source), str(parsed.data.get("kind")), parsed.data))
    defined: set[str] = set()
    for _, kind, data in docs:
        if kind in REPLICATED_KINDS:
            defined |= _defined_ids(kind, data)
    rule_ids = {r["id"] for _, kind, data in docs if kind == "rules"
                for r in data.get("rules") or () if isinstance(r, dict) and "id" in r}
    replicas = [_Replica(k, frozenset(defined), frozenset(rule_ids)) for k in range(1, scale)]
    for rel, kind, data in docs:
        if kind in REPLICATED_KINDS:
            for replica in replicas:
                _dump(replica.rename(data),
                      dest / rel.parent / f"{rel.stem}-k{replica.k}{rel.suffix}")
        elif kind == "rules":
            copies = [r.rename(rule) | {"id": r.rule(rule["id"])}
                      for r in replicas for rule in data["rules"]]
            _dump({**data, "rules": data["rules"] + copies}, dest / rel)
        elif kind == "glossary":
            copies = [{**term, "id": f"{term['id']}_k{k}", "term": f"{term['term']}(K{k})",
                       **({"aliases": [f"{a}(K{k})" for a in term["aliases"]]}
                          if term.get("aliases") else {})}
                      for k in range(1, scale) for term in data["terms"]]
            _dump({**data, "terms": data["terms"] + copies}, dest / rel)
    return dest


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: python benchmarks/synth.py SCALE DEST", file=sys.stderr)
        return 2
    out = make_pack(int(argv[0]), Path(argv[1]))
    files = sum(1 for _ in out.rglob("*.yaml"))
    size = sum(p.stat().st_size for p in out.rglob("*.yaml"))
    print(f"{out}: {files} files, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
