"""The diff fails closed: what no spec compares is still reported, as material.

A kind without a spec is compared on its raw documents; within a kind that has a
spec, a field the spec does not list is reported by its YAML path. So a kind or a
field added to the schemas later can never make two versions read "两个版本的政策内容相同".
"""

from __future__ import annotations

import copy
from dataclasses import replace
from functools import cache
from typing import Any

import pytest
from test_diff import PACK, PackRepo, repo  # noqa: F401  (the fixture)

from generator.diff import compare
from generator.diff.failclosed import FIELD_NOT_COMPARED, KIND_NOT_COMPARED
from generator.diff.rawdiff import MISSING, Leaf, covered, leaves
from generator.diff.specs import BUILT_IN as SPECS
from generator.kinds import registry
from generator.kinds.registry import Registry
from generator.load import Document
from generator.model import Model
from generator.pipeline import analyse
from generator.schema import KINDS


@cache
def _base() -> Model:
    analysis = analyse(PACK, checks=False)
    assert analysis.ok
    return analysis.model


def base() -> Model:
    """The example pack; each test edits its own copy of the raw documents."""
    model = copy.copy(_base())
    model.documents = dict(model.documents)
    return model


def with_data(model: Model, kind: str, edit: Any) -> Model:
    """A copy of ``model`` whose (only or first) document of ``kind`` is edited
    in place by ``edit(data)``; the typed model is left as it was."""
    new = copy.copy(model)
    new.documents = dict(model.documents)
    file = next(f for f, d in new.documents.items() if d.kind == kind)
    data = copy.deepcopy(new.documents[file].data)
    edit(data)
    new.documents[file] = replace(new.documents[file], data=data)
    return new


def register(model: Model, columns: list[dict[str, Any]]) -> Model:
    """``model`` plus a document of a kind no spec knows (a data register)."""
    out = copy.copy(model)
    out.documents = dict(model.documents)
    template = next(iter(model.documents.values()))
    out.documents["registers/openings.yaml"] = Document(
        "registers/openings.yaml", "register",
        {"kind": "register", "id": "openings", "title": "开户登记簿", "columns": columns},
        template.source)
    return out


FAIL_CLOSED = {"register", "controls"}
"""Kinds that declare no spec: every change to a register or a control changes what the
audit checks, so the raw comparison (all of it material) is their comparison."""


def test_every_kind_of_the_schema_has_a_spec_or_fails_closed() -> None:
    assert set(SPECS) == set(KINDS) - FAIL_CLOSED
    assert all(registry()[kind].diff is None for kind in FAIL_CLOSED)
    for kind, spec in SPECS.items():
        assert spec.kind == kind and spec.fields
        assert registry()[kind].diff is spec  # the kind declares it


def with_spec(model: Model, kind: str, spec: Any) -> Model:
    """``model`` as built with a registry in which ``kind`` declares ``spec``."""
    out = copy.copy(model)
    out.kinds = Registry(replace(k, diff=spec) if k.name == kind else k
                         for k in model.kinds.values())
    return out


def test_a_kind_without_a_spec_is_compared_on_its_documents() -> None:
    columns = [{"id": "client", "title": "客户姓名", "required": True}]
    old = register(base(), columns)
    new = register(base(), [{**columns[0], "required": False, "title": "客户名称"}])
    changes = compare(old, new)
    assert [(c.group, c.kind, c.id, c.aspect, c.old, c.new, c.material, c.reason)
            for c in changes] == [
        ("register:openings", "register", "openings", "columns[client].title",
         "客户姓名", "客户名称", True, KIND_NOT_COMPARED),
        ("register:openings", "register", "openings", "columns[client].required",
         "true", "false", True, KIND_NOT_COMPARED)]


def test_a_document_of_a_kind_without_a_spec_added_is_material() -> None:
    change, = compare(base(), register(base(), []))
    assert (change.action, change.kind, change.new, change.material) == (
        "added", "register", "registers/openings.yaml", True)


def test_a_kind_dropped_from_the_specs_is_still_compared() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["opening"] += "(修订)"

    old = with_spec(base(), "script", None)
    new = with_spec(with_data(base(), "script", edit), "script", None)
    script = next(d.data for d in new.documents.values() if d.kind == "script")
    change, = compare(old, new)
    assert (change.group, change.kind, change.id, change.aspect, change.new,
            change.material, change.reason) == (
        f"script:{script['id']}", "script", script["id"], "opening", script["opening"],
        True, KIND_NOT_COMPARED)


def test_a_field_the_spec_does_not_list_is_reported_as_material() -> None:
    rules = SPECS["rules"]
    narrow = replace(rules, fields=tuple(f for f in rules.fields if f != "rules[].text"))

    def edit(data: dict[str, Any]) -> None:
        data["rules"][0]["text"] = "新的规则正文。"

    old = base()
    new = with_data(old, "rules", edit)
    old, new = with_spec(old, "rules", narrow), with_spec(new, "rules", narrow)
    rule = new.documents[next(f for f, d in new.documents.items()
                              if d.kind == "rules")].data["rules"][0]
    change, = compare(old, new)
    assert (change.group, change.kind, change.id, change.action, change.aspect,
            change.new, change.material, change.reason) == (
        "rules", "rule", rule["id"], "changed", f"rules[{rule['id']}].text", "新的规则正文。",
        True, FIELD_NOT_COMPARED)
    assert change.loc is not None and change.loc.pointer == "/rules/0/text"
    # Listed, the field is left to the rule's own comparison of the typed model (which
    # this test did not edit), so it is not reported a second time.
    old, new = with_spec(old, "rules", rules), with_spec(new, "rules", rules)
    assert compare(old, new) == []


def test_a_field_never_compared_is_reported_by_its_yaml_path(repo: PackRepo) -> None:  # noqa: F811
    repo.edit("flows/front-desk.yaml", "title_en: Front-desk marketing and account opening",
              "title_en: Front-desk marketing and account-opening")
    repo.commit("英文名称")
    change, = repo.json("HEAD~1", "HEAD")["changes"]
    assert (change["group"], change["kind"], change["aspect"], change["significance"],
            change["reason"]) == ("flow:front_desk", "flow", "title_en", "material",
                                  FIELD_NOT_COMPARED)
    assert "两个版本的政策内容相同" not in "\n".join(repo.markdown("HEAD~1", "HEAD"))


def test_what_the_spec_compares_is_not_reported_twice(repo: PackRepo) -> None:  # noqa: F811
    repo.edit("parameters.yaml", "    unit: 元\n    comparison: min\n",
              "    unit: 元\n    comparison: max\n")
    repo.commit("比较方式")
    changes = repo.json("HEAD~1", "HEAD")["changes"]
    assert [(c["kind"], c["aspect"]) for c in changes] == [("parameter", "比较方式")]


# --- the raw comparison ---------------------------------------------------------------


def fields(old: Any, new: Any) -> list[tuple[str, str, str]]:
    return [(leaf.field, leaf.path, leaf.action) for leaf in leaves(old, new)]


def test_key_order_kind_and_equal_values_are_no_difference() -> None:
    assert fields({"kind": "flow", "a": 1, "b": [1, 2]},
                  {"b": [1, 2], "a": 1, "kind": "flow", "$schema": "x"}) == []


def test_items_with_ids_are_paired_by_id_and_their_order_is_one_difference() -> None:
    old = {"steps": [{"id": "a", "title": "甲"}, {"id": "b", "title": "乙"}]}
    new = {"steps": [{"id": "b", "title": "乙"}, {"id": "a", "title": "甲方"},
                     {"id": "c", "title": "丙"}]}
    assert fields(old, new) == [
        ("steps[].title", "steps[a].title", "changed"),
        ("steps[]", "steps[c]", "added"),
        ("steps@order", "steps@order", "changed")]


def test_lists_without_ids_are_aligned() -> None:
    assert fields({"actions": ["甲", "乙"]}, {"actions": ["甲", "新", "乙"]}) == [
        ("actions[]", "actions[1]", "added")]
    assert fields({"to": ["a"]}, {"to": ["b"]}) == [("to[]", "to[0]", "changed")]


def test_a_new_key_is_compared_down_to_its_fields() -> None:
    assert fields({}, {"definition": {"text": "定义", "provenance": {"sourced": "一"}}}) == [
        ("definition.text", "definition.text", "added"),
        ("definition.provenance.sourced", "definition.provenance.sourced", "added")]


@pytest.mark.parametrize(("field", "action", "patterns", "expected"), [
    ("steps[].title", "changed", ["steps[].title"], True),
    ("steps[].actions[]", "added", ["steps[].actions"], True),
    ("rows[].when.amount.gte", "changed", ["rows[].when"], True),
    ("steps[].title_en", "changed", ["steps[].title"], False),
    ("steps[]", "added", ["steps[].title"], True),
    ("steps[]", "added", ["steps@order"], False),
    ("steps@order", "changed", ["steps[].title"], False),
    ("steps@order", "changed", ["steps@order"], True),
    ("provenance.drafted", "added", ["provenance.drafted?"], True),
    ("provenance.drafted", "changed", ["provenance.drafted?"], False),
])
def test_which_differences_a_spec_covers(field: str, action: str, patterns: list[str],
                                         expected: bool) -> None:
    old, new = {"added": (None, 1), "changed": (1, 2)}[action]
    leaf = Leaf(field, field, "", MISSING if old is None else old, new)
    assert covered(leaf, patterns) is expected
