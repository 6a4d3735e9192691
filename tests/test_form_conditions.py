"""Conditionally required form fields (``required_when``): what the condition means on
a filled form, what ``check`` finds in one, and where staff read it: the form page, the
step page, the printed form's label; ``diff`` calls a changed condition material."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest

from generator.diagnostics import Severity
from generator.model import FieldOption, FormField, Model, Provenance, RequiredWhen
from generator.model.core import Loc
from generator.pipeline import analyse
from generator.printables.build import plan
from generator.printables.render import render_html
from generator.site.pages import render_site
from tests.conftest import EXAMPLES, POLICIES
from tests.test_diff import GIT_ENV, PackRepo

MINIMAL = EXAMPLES / "valid" / "minimal"
LOC = Loc("forms/x.yaml", 1, 1, "")


@functools.cache
def shipped() -> Model:
    return analyse(POLICIES).model


def _field(fid: str, rw: RequiredWhen | None = None, *, required: bool = False,
           options: tuple[str, ...] = ()) -> FormField:
    return FormField(id=fid, form="x", label=fid, type="choice" if options else "text",
                     required=required, filled_at="s", provenance=Provenance("drafted"), loc=LOC,
                     options=tuple(FieldOption(o, o) for o in options), required_when=rw)


def test_a_condition_on_another_fields_value() -> None:
    rw = RequiredWhen(field="kind", in_=("agent", "guardian"))
    fld = _field("agent_name", rw)
    assert fld.is_required({"kind": "agent"}) and fld.is_required({"kind": ["self", "guardian"]})
    assert not fld.is_required({"kind": "self"})
    assert not fld.is_required({}) and not fld.is_required({"kind": ""})
    assert _field("a", rw, required=True).is_required({})  # required stays required


def test_a_condition_that_two_fields_differ() -> None:
    fld = _field("reason", RequiredWhen(field="keeper", not_equal_field="opener"))
    assert fld.is_required({"keeper": "王", "opener": "李"})
    assert fld.is_required({"keeper": "王"})  # the other one left empty: they differ
    assert not fld.is_required({"keeper": "王", "opener": " 王 "})  # blanks around
    assert not fld.is_required({"opener": "李"})  # the condition's field is empty


def test_the_shipped_reason_is_required_exactly_when_the_keeper_is_not_the_opener() -> None:
    form = shipped().forms["manager_assignment"]
    reason = form.field("reason")
    assert reason is not None and not reason.required
    assert reason.required_when == RequiredWhen(field="maintaining_manager",
                                                not_equal_field="opening_manager")
    assert "必填" not in reason.label + reason.hint  # no longer said in words
    filled = {f.id: "x" for f in form.fields if f.required}
    assert [f.id for f in form.missing(filled | {"maintaining_manager": "王",
                                                 "opening_manager": "李"})] == ["reason"]
    assert form.missing(filled | {"maintaining_manager": "王", "opening_manager": "王"}) == ()
    detail = form.field("reason_detail")
    assert detail is not None and detail.required_when == RequiredWhen("reason", ("other",))
    assert form.condition_text(reason) == "“维护财富经理”与“开卡财富经理”不同时必填"


def _findings(tmp_path: Path, field_yaml: str) -> list[tuple[str, int, str, str]]:
    pack = tmp_path / f"pack{len(list(tmp_path.iterdir()))}"
    shutil.copytree(MINIMAL, pack)
    form = pack / "forms" / "client-info.yaml"
    form.write_text(form.read_text(encoding="utf-8") + field_yaml, encoding="utf-8")
    return [(d.check, d.line, d.yaml_path, d.message) for d in analyse(pack).diagnostics
            if d.severity >= Severity.WARNING and d.check != "provenance.drafted"]


def _extra(condition: str, *, required: str = "false", fid: str = "note") -> str:
    return (f"      - id: {fid}\n        label: 备注\n        type: text\n"
            f"        required: {required}\n        required_when: {condition}\n"
            "        filled_at: collect_info\n")


@pytest.mark.parametrize(("condition", "path", "words"), [
    ("{ field: nmae, not_equal_field: signature }", "required_when.field", "nmae"),
    ("{ field: name, not_equal_field: sigature }", "required_when.not_equal_field", "sigature"),
    ("{ field: risk_level, in: [C1, C2] }", "required_when.in[1]", "C2 不是字段 risk_level"),
    ("{ field: name, in: [a] }", "required_when.in", "没有选项"),
])
def test_unknown_fields_and_options_are_found_where_written(
        tmp_path: Path, condition: str, path: str, words: str) -> None:
    (found,) = _findings(tmp_path, _extra(condition))
    assert found[:3] == ("form.required-when-unknown", 45, f"sections[0].fields[4].{path}")
    assert words in found[3]


@pytest.mark.parametrize(("condition", "required", "path", "words"), [
    ("{ field: name, not_equal_field: signature }", "true", "required", "恒成立"),
    ("{ field: note, not_equal_field: name }", "false", "required_when", "自身"),
    ("{ field: name, not_equal_field: name }", "false", "required_when.not_equal_field",
     "永不成立"),
    ("{ field: risk_level, in: [C3, C1] }", "false", "required_when.in", "恒成立"),
])
def test_conditions_that_always_or_never_hold_are_found(
        tmp_path: Path, condition: str, required: str, path: str, words: str) -> None:
    (found,) = _findings(tmp_path, _extra(condition, required=required))
    assert found[:3] == ("form.required-when-constant", 44 if path == "required" else 45,
                         f"sections[0].fields[4].{path}")
    assert words in found[3]


def test_a_condition_that_can_go_either_way_is_clean(tmp_path: Path) -> None:
    assert _findings(tmp_path, _extra("{ field: risk_level, in: [C1] }")) == []
    assert _findings(tmp_path, _extra("{ field: name, not_equal_field: signature }")) == []


@functools.cache
def _pages() -> dict[str, str]:
    return {p.src: p.markdown for p in render_site(shipped())}


def test_the_form_page_and_the_step_page_state_the_condition() -> None:
    form = shipped().forms["manager_assignment"]
    conditional = [f for f in form.fields if f.required_when]
    assert len(conditional) == 3
    page = _pages()["forms/manager_assignment.md"]
    for fld in conditional:
        row = next(x for x in page.splitlines() if f'id="field-{fld.id}"' in x)
        assert f"必填条件：{form.condition_text(fld)}" in row and "条件必填" in row
    optional = next(f for f in form.fields if not f.required and not f.required_when)
    row = next(x for x in page.splitlines() if f'id="field-{optional.id}"' in x)
    assert "必填条件" not in row and "pb-required" not in row
    reason = form.field("reason")
    assert reason is not None
    step = _pages()[f"steps/{reason.filled_at}.md"]
    row = next(x for x in step.splitlines() if f"#field-{reason.id})" in x)
    assert row.endswith(f"| 条件必填：{form.condition_text(reason)} |")


def test_the_printed_form_notes_the_condition_under_the_label() -> None:
    model = shipped()
    form = model.forms["manager_assignment"]
    sheet = next(p for p in plan(model) if p.id == "manager_assignment")
    html = render_html(sheet, None)
    for fld in (f for f in form.fields if f.required_when):
        label = html.index(f"{fld.label}<div class=\"cond\">")
        assert html.index(form.condition_text(fld), label) - label < 40 + len(fld.label)
    assert "其下注明条件的，条件成立时必填" in html
    plain = next(p for p in plan(model) if p.id == "cheque_agreement")
    assert "class=\"cond\"" not in render_html(plain, None)
    assert "其下注明条件的" not in render_html(plain, None)


def test_a_changed_condition_is_material(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    repo = PackRepo(tmp_path, MINIMAL)
    form = "forms/client-info.yaml"
    path = repo.policies / form
    path.write_text(path.read_text(encoding="utf-8") + _extra("{ field: risk_level, in: [C1] }"),
                    encoding="utf-8")
    repo.commit("备注在保守型时必填")
    repo.edit(form, "in: [C1] }", "in: [C3] }")
    repo.commit("改为平衡型时必填")
    (change,) = repo.json("HEAD~1", "HEAD")["changes"]
    assert (change["kind"], change["aspect"], change["significance"]) == (
        "form_field", "必填条件", "material")
    assert (change["old"], change["new"]) == ("“风险承受能力等级”为“保守型”时必填",
                                              "“风险承受能力等级”为“平衡型”时必填")
