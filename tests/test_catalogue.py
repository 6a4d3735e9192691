"""Every check id that any part of policybook emits is in the catalogue
(``generator.checks.catalog()``) with a description, so SARIF rules, reports and the
handbook never show a bare id; and the catalogue names no id that nothing emits."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

from generator.catalogue import LOADER, describe
from generator.checks import REGISTRY, catalog
from generator.explain import EXPLAIN

# Calls whose first argument is a check id.
EMITTERS = {"Diagnostic", "report", "diagnostic"}


def emitted_ids() -> dict[str, set[str]]:
    """Check id → the files under generator/ that emit it as a literal."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = (func.id if isinstance(func, ast.Name)
                    else func.attr if isinstance(func, ast.Attribute) else "")
            if name not in EMITTERS:
                continue
            first = node.args[0]
            options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for option in options:
                if isinstance(option, ast.Constant) and isinstance(option.value, str):
                    found.setdefault(option.value, set()).add(
                        str(Path(path).relative_to(ROOT)))
    return found


def test_the_collector_sees_the_loader_the_schema_and_the_pack() -> None:
    ids = emitted_ids()
    assert {"yaml.duplicate-key", "schema.wrong-type", "pack.missing-pack",
            "schema.no-variant", "ref.duplicate-id"} <= set(ids)


def test_every_emitted_id_is_in_the_catalogue() -> None:
    known = catalog()
    missing = {i: sorted(files) for i, files in emitted_ids().items() if i not in known}
    assert missing == {}


def test_the_catalogue_names_no_id_that_nothing_emits() -> None:
    assert sorted(set(LOADER) - set(emitted_ids())) == []


def test_every_id_has_a_summary_and_help_that_are_not_the_id() -> None:
    known = catalog()
    for check_id in known:
        text = describe(check_id, known)
        assert text.summary and text.summary != check_id, check_id
        assert text.help, check_id
    assert set(REGISTRY) <= set(known)


def test_a_schema_keyword_without_an_explainer_is_described_too() -> None:
    """``schema.<keyword>`` for the keywords :data:`EXPLAIN` has no explainer for."""
    assert "multipleOf" not in EXPLAIN
    text = describe("schema.multipleOf")
    assert text.summary != "schema.multipleOf" and text.help
