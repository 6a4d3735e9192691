"""The kind registry: every document kind declares every layer, every layer reads the
declarations, and a new kind is one module plus its schema (``tests/toy_kind/``)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES

from generator.diagnostics import Severity
from generator.diff import compare
from generator.kinds import BUILT_IN, missing_layers, registry
from generator.model import Model
from generator.pipeline import analyse
from generator.printables.documents import Planner
from generator.printables.links import Links as PdfLinks
from generator.schema import SCHEMA_DIR
from generator.site.pages import SiteBuilder, render_site
from tests.toy_kind import ledger as toy

MINIMAL = EXAMPLES / "valid" / "minimal"
KINDS = registry()


@pytest.fixture(scope="module")
def minimal() -> Model:
    analysis = analyse(MINIMAL)
    assert analysis.ok
    return analysis.model


def test_the_registry_holds_the_built_in_kinds_in_build_order() -> None:
    assert KINDS.names == BUILT_IN
    assert KINDS.names.index("parameters") < KINDS.names.index("decision_table")
    assert KINDS.names[0] == "pack"


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_kind_declares_every_layer(name: str) -> None:
    assert list(missing_layers(KINDS[name], SCHEMA_DIR)) == []


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_layer_of_every_kind_works_on_the_minimal_pack(minimal: Model, name: str) -> None:
    """Not only declared: each layer yields something for the kind's document."""
    kind = KINDS[name]
    assert minimal.files_by_kind.get(name), f"the minimal pack has no {name} document"
    found = list(kind.elements(minimal))
    assert found, f"{name}: the walker yields no element"
    assert {e.kind for e in found} <= set(kind.element_labels), "an element kind lacks a label"
    assert all(e.loc.file in minimal.documents for e in found)
    if kind.pages is not None:
        site = SiteBuilder(minimal, frozenset(), directory_urls=True)
        assert list(kind.pages(site)), f"{name}: declares pages but makes none"
    if kind.printables is not None:
        planner = Planner(minimal, PdfLinks(""))
        assert list(kind.printables(planner)), f"{name}: declares printables but makes none"


def _edit(node: Any) -> bool:
    """Change the first prose string of ``node`` (outside provenance)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "text", "summary", "term", "opening", "label") \
                    and isinstance(value, str):
                node[key] = value + "(修订)"
                return True
        return any(_edit(v) for k, v in node.items() if k != "provenance")
    if isinstance(node, list):
        return any(_edit(v) for v in node)
    return False


@pytest.mark.parametrize("name", BUILT_IN)
def test_the_diff_sees_an_edit_of_every_kind(minimal: Model, name: str, tmp_path: Path) -> None:
    """Through the kind's own comparison, or the raw comparison that backs it up."""
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    file = Path(minimal.files_by_kind[name][0])
    target = pack / file.resolve().relative_to(MINIMAL.resolve())
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert _edit(data), f"{name}: nothing to edit"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    edited = analyse(pack, checks=False)
    assert edited.ok, edited.diagnostics
    changes = compare(minimal, edited.model)
    assert changes, f"{name}: an edit went unreported"


# --- a new kind: one module plus its schema ------------------------------------------------

WITH_TOY = KINDS.with_kind(toy.KIND)
LEDGER = """\
kind: ledger
id: openings
title: 开户台账
step: {step}
provenance: {{drafted: 测试用的台账}}
columns:
  - {{id: client, title: 客户姓名, required: {required}}}
"""


def _pack(tmp_path: Path, step: str = "collect_info", required: str = "true") -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    (pack / "ledgers").mkdir()
    (pack / "ledgers" / "openings.yaml").write_text(
        LEDGER.format(step=step, required=required), encoding="utf-8")
    return pack


def test_the_toy_kind_declares_every_layer() -> None:
    assert list(missing_layers(toy.KIND, SCHEMA_DIR)) == []
    assert WITH_TOY.names == (*BUILT_IN, "ledger")


def test_without_its_declaration_the_kind_is_unknown(tmp_path: Path) -> None:
    diagnostics = analyse(_pack(tmp_path)).diagnostics
    assert [d.check for d in diagnostics if d.severity >= Severity.ERROR] == [
        "schema.unknown-kind"]


def test_a_new_kind_validates_builds_and_passes_check(tmp_path: Path) -> None:
    analysis = analyse(_pack(tmp_path), kinds=WITH_TOY)
    assert [d.check for d in analysis.diagnostics] == ["provenance.drafted"]
    assert list(analysis.model.collection("ledger")) == ["openings"]
    drafted = analysis.diagnostics[0]
    assert "台账(ledger):1" in "\n".join(drafted.related)


def test_its_schema_is_enforced(tmp_path: Path) -> None:
    analysis = analyse(_pack(tmp_path, required="'yes'"), kinds=WITH_TOY)
    (error,) = [d for d in analysis.diagnostics if d.severity >= Severity.ERROR]
    assert (error.check, error.file.endswith("ledgers/openings.yaml"), error.line) == (
        "schema.wrong-type", True, 7)


def test_its_references_are_checked(tmp_path: Path) -> None:
    analysis = analyse(_pack(tmp_path, step="collect_itnfo"), kinds=WITH_TOY)
    (error,) = [d for d in analysis.diagnostics if d.severity >= Severity.ERROR]
    assert (error.check, error.line, error.column) == ("ref.unknown-step", 4, 7)
    assert "collect_info" in error.hint  # the suggestion


def test_its_pages_are_in_the_handbook(tmp_path: Path) -> None:
    pages = {p.src: p for p in render_site(analyse(_pack(tmp_path), kinds=WITH_TOY).model)}
    assert "| 客户姓名 | 必填 |" in pages["ledgers/openings.md"].markdown


def test_the_diff_of_a_kind_without_a_comparison_fails_closed(tmp_path: Path) -> None:
    old = analyse(_pack(tmp_path / "old"), kinds=WITH_TOY).model
    new = analyse(_pack(tmp_path / "new", required="false"), kinds=WITH_TOY).model
    (change,) = [c for c in compare(old, new) if c.kind == "ledger"]
    assert (change.id, change.aspect, change.old, change.new, change.material) == (
        "openings", "columns[client].required", "true", "false", True)


def test_a_missing_layer_is_named() -> None:
    broken = replace(toy.KIND, pages=None, element_labels={},
                     schema=Path("/nonexistent/ledger.schema.json"))
    missing = list(missing_layers(broken, SCHEMA_DIR))
    assert [m.split(":")[0] for m in missing] == ["schema", "element_labels", "pages"]


# --- no procedure in the engine ----------------------------------------------------------------

ENGINE = Path(__file__).resolve().parent.parent / "generator"
PROCEDURE_WORDS = ("开户", "财富", "课件", "理财", "wealth")


def _engine_texts() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in ENGINE.rglob("*")
            if p.is_file() and p.suffix in (".py", ".j2", ".html", ".css", ".js", ".md", ".yaml")}


def test_the_engine_holds_no_words_of_a_shipped_procedure() -> None:
    found = [(p.relative_to(ENGINE).as_posix(), w) for p, text in _engine_texts().items()
             for w in PROCEDURE_WORDS if w in text]
    assert found == []


def _schema_words() -> set[str]:
    """The language's own values (enums and consts of the schemas, e.g. ``id_number``)."""
    import json

    words: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            words.update(v for v in node.get("enum", []) if isinstance(v, str))
            if isinstance(node.get("const"), str):
                words.add(node["const"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in SCHEMA_DIR.glob("*.schema.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return words


def test_the_engine_names_no_id_of_a_shipped_pack() -> None:
    """Ids with a separator (``min_financial_assets``, ``front_desk``): the engine's own
    vocabulary (``decision``, ``target_clients``) is no pack's."""
    import re

    from generator.library import analyse_library
    from tests.conftest import LIBRARY

    ids = {key.split("/")[-1] for pack in analyse_library(LIBRARY, checks=False)
           for _kind, key, _prov, _loc in pack.analysis.model.elements()}
    ids = {i for i in ids if re.search(r"[_-]", i)} - set(BUILT_IN) - _schema_words()
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(ids))) + r")(?![\w-])")
    found = [(p.relative_to(ENGINE).as_posix(), m.group(1))
             for p, text in _engine_texts().items() for m in pattern.finditer(text)]
    assert found == []
