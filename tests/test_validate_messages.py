"""What the diagnostics say: one clear sentence per mistake, the alternative the author
meant, the hint that fixes it, and the exact column of a placeholder."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES
from test_validate_examples import invalid_cases, lay_out

from generator.diagnostics import Diagnostic, sort_diagnostics
from generator.load import load_pack
from generator.schema import SchemaSet, load_schemas
from generator.validate import validate

MINIMAL = EXAMPLES / "valid" / "minimal"
PACK = {p.relative_to(MINIMAL).as_posix(): p.read_bytes() for p in MINIMAL.rglob("*.yaml")}


def diagnose(**changes: str) -> list[Diagnostic]:
    """Validate the minimal pack with some files replaced (name → new text)."""
    files = {**PACK, **{k.replace("__", "/"): v.encode() for k, v in changes.items()}}
    result = load_pack(Path("pack"), files=[(Path("pack") / k, v) for k, v in files.items()])
    return sort_diagnostics(result.diagnostics)


def edit(name: str, old: str, new: str) -> str:
    text = PACK[name].decode()
    assert text.count(old) == 1, old
    return text.replace(old, new)


def only(diagnostics: list[Diagnostic]) -> Diagnostic:
    assert len(diagnostics) == 1, diagnostics
    return diagnostics[0]


def test_a_misspelt_required_key_is_one_diagnostic_that_names_the_right_key() -> None:
    d = only(diagnose(**{"flows__opening.yaml": edit(
        "flows/opening.yaml", "    title: 客户到店\n", "    titel: 客户到店\n")}))
    assert (d.check, d.line, d.column, d.yaml_path) == (
        "schema.unknown-key", 15, 5, "steps[0].titel")
    assert d.message == "未知的键 “titel”;是否应为必填的 “title”?"
    assert d.hint == "把 “titel” 改为 “title”。"


def test_one_unknown_key_where_one_required_key_is_missing_is_taken_as_a_rename() -> None:
    d = only(diagnose(**{"glossary.yaml": edit(
        "glossary.yaml", "    en: financial assets\n", "    english: financial assets\n")}))
    assert (d.check, d.yaml_path) == ("schema.unknown-key", "terms[0].english")
    assert d.message == "未知的键 “english”;是否应为必填的 “en”?"


def test_an_unknown_key_lists_what_is_allowed_there() -> None:
    d = only(diagnose(**{"pack.yaml": edit("pack.yaml", "owner: 测试部门\n",
                                           "owner: 测试部门\napprover: 合规部\n")}))
    assert (d.check, d.line, d.column) == ("schema.unknown-key", 7, 1)
    assert d.hint.startswith("此处可用的键:$schema, audience, definition, effective_date,")


def test_version_one_point_zero_asks_for_quotes() -> None:
    d = only(diagnose(**{"pack.yaml": edit("pack.yaml", 'version: "1.0.0"', "version: 1.0")}))
    assert d.message == "“version” 应为文字,实际是数字 1.0。"
    assert d.hint.startswith('这里需要文字:请给值加引号,例如 "1.0"。')


def test_yes_is_text_and_the_hint_says_why() -> None:
    d = only(diagnose(**{"forms__client-info.yaml": edit(
        "forms/client-info.yaml", "        type: signature\n        required: true\n",
        "        type: signature\n        required: yes\n")}))
    assert d.message == "“required” 应为 true 或 false,实际是文字 “yes”。"
    assert "YAML 1.2" in d.hint


def test_an_unquoted_date_stays_text_and_validates() -> None:
    assert diagnose(**{"pack.yaml": edit(
        "pack.yaml", 'effective_date: "2026-12-01"', "effective_date: 2026-12-01")}) == []


def test_a_badly_written_date_is_one_diagnostic() -> None:
    d = only(diagnose(**{"pack.yaml": edit(
        "pack.yaml", 'effective_date: "2026-12-01"', "effective_date: 2026-12-1")}))
    assert d.check == "schema.format" and "YYYY-MM-DD" in d.hint


def test_the_branch_the_author_meant_is_the_one_explained() -> None:
    """A questionnaire case without answers is told about answers, not about the keys of
    decision and flow cases."""
    d = only(diagnose(**{"cases__opening.yaml": edit(
        "cases/opening.yaml", "    answers: { q1: a, q2: a }\n", "")}))
    assert (d.check, d.yaml_path) == ("schema.missing-key", "cases[1]")
    assert "“answers”" in d.message


def test_a_wrong_value_inside_a_branch_is_reported_in_that_branch() -> None:
    d = only(diagnose(**{"cases__opening.yaml": edit(
        "cases/opening.yaml", "expect: { end: opened,", "expect: { end: 7,")}))
    assert (d.check, d.yaml_path) == ("schema.wrong-type", "cases[2].expect.end")


def test_mixing_two_alternatives_names_which_key_belongs_to_which() -> None:
    d = only(diagnose(**{"parameters.yaml": edit(
        "parameters.yaml", "      drafted: 行业惯例。\n",
        "      drafted: 行业惯例。\n      sourced: 第二部分 三\n")}))
    assert d.check == "schema.mixed-variant"
    assert d.message == ("“provenance” 混用了两种写法:“drafted” 属于「项目起草 Drafted」,"
                         "“sourced” 属于「引自来源文件 Sourced」;只能选其一。")
    assert d.yaml_path == "parameters[1].provenance.sourced"


def test_a_forbidden_key_is_pointed_at_and_its_condition_named() -> None:
    d = only(diagnose(**{"flows__opening.yaml": edit(
        "flows/opening.yaml", "    result: opened\n", "    result: opened\n    next: start\n")}))
    assert (d.check, d.line, d.column) == ("schema.conflict", 60, 5)
    assert d.message == "type 为 “end” 时不能写 “next”。"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("title: 达到 {{ nope }}\n", 4, 11),
        ("title: '达到 {{ nope }}'\n", 4, 12),
        ('title: "a\\tb {{ nope }}"\n', 4, 14),  # the escape is two characters in the file
        ("title: >-\n  第一行\n  第二行 {{ nope }}\n", 6, 7),
        ("title: |\n  {{ min_assets }}\n  {{ nope }}\n", 6, 3),
    ],
)
def test_an_unknown_parameter_is_reported_at_its_braces(text: str, line: int,
                                                        column: int) -> None:
    script = PACK["scripts/opening.yaml"].decode().replace("title: 开户营销话术\n", text)
    d = only(diagnose(**{"scripts__opening.yaml": script}))
    assert (d.check, d.line, d.column) == ("ref.unknown-parameter", line, column)
    assert d.message == "引用了不存在的参数 “nope”。"


def test_an_unknown_parameter_close_to_a_real_one_gets_a_suggestion() -> None:
    d = only(diagnose(**{"rules.yaml": edit("rules.yaml", "{{ min_assets }} 的客户",
                                            "{{ min_asset }} 的客户")}))
    assert d.hint.startswith("是否应为 {{ min_assets }}?")


def test_without_a_parameters_file_every_placeholder_is_unknown() -> None:
    files = {k: v for k, v in PACK.items() if k != "parameters.yaml"}
    result = load_pack(Path("pack"), files=[(Path("pack") / k, v) for k, v in files.items()])
    assert {d.check for d in result.diagnostics} == {"ref.unknown-parameter"}
    assert len(result.diagnostics) == 8  # every placeholder of the pack


def test_validate_returns_every_problem_sorted_by_place() -> None:
    result = validate(EXAMPLES / "invalid" / "several-mistakes-at-once")
    keys = [d.sort_key() for d in result.diagnostics]
    assert keys == sorted(keys)


@pytest.mark.parametrize("case", invalid_cases(), ids=lambda c: c.name)
def test_the_fast_path_changes_no_diagnostic(case: object, tmp_path: Path) -> None:
    """jsonschema-rs only decides which documents need explaining; the words are the same."""
    lay_out(case, tmp_path)  # type: ignore[arg-type]
    schemas = load_schemas()
    python_only = SchemaSet(schemas.registry, schemas.validators)
    assert load_pack(tmp_path).diagnostics == load_pack(tmp_path, schemas=python_only).diagnostics


def test_windows_files_validate_and_positions_stay_right() -> None:
    """CRLF line ends and a UTF-8 BOM (what Windows editors write) are fine."""
    crlf = {k.replace("/", "__"): v.decode().replace("\n", "\r\n") for k, v in PACK.items()}
    crlf["pack.yaml"] = "\ufeff" + crlf["pack.yaml"]
    assert diagnose(**crlf) == []
    crlf["pack.yaml"] = crlf["pack.yaml"].replace('version: "1.0.0"', "version: 1.0")
    d = only(diagnose(**crlf))
    assert (d.check, d.line, d.column) == ("schema.wrong-type", 7, 10)


def test_a_parameters_list_of_the_wrong_type_is_a_diagnostic_not_a_crash() -> None:
    text = PACK["parameters.yaml"].decode().split("parameters:\n")[0] + "parameters: true\n"
    assert [d.check for d in diagnose(**{"parameters.yaml": text})] == ["schema.wrong-type"]
