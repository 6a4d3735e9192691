"""Every output format, exactly, for one small set of diagnostics: an error with a YAML
path and a hint, a warning with extra lines in a file whose name needs escaping, and a
note with a two-line message and no YAML path."""

from __future__ import annotations

import json

from generator import __version__
from generator.diagnostics import Diagnostic, Severity
from generator.reporters import (
    FORMATS,
    Summary,
    render_github,
    render_json,
    render_sarif,
    render_text,
)

DIAGNOSTICS = [
    Diagnostic("schema.wrong-type", "“value” 应为数字,实际是文字 “100万”。",
               "policies/parameters.yaml", 6, 12, "/parameters/0/value",
               hint="数字不要加引号。"),
    Diagnostic("flow.unreachable", "环节 x 无法到达。", "policies/flows/a,b:c.yaml", 3, 5,
               "/steps/2", severity=Severity.WARNING,
               related=("路径: start → a", "反例: 100% 完成")),
    Diagnostic("provenance.drafted", "有 3 项起草内容。\n按类型列出", "policies/pack.yaml", 1, 1,
               hint="逐项审定。", severity=Severity.NOTE),
]
SUMMARY = Summary(files=3)


def test_text() -> None:
    assert render_text(DIAGNOSTICS, SUMMARY) == """\
policies/parameters.yaml:6:12: error [schema.wrong-type] “value” 应为数字,实际是文字 “100万”。
    位置: parameters[0].value
    提示: 数字不要加引号。
policies/flows/a,b:c.yaml:3:5: warning [flow.unreachable] 环节 x 无法到达。
    位置: steps[2]
    路径: start → a
    反例: 100% 完成
policies/pack.yaml:1:1: note [provenance.drafted] 有 3 项起草内容。
    按类型列出
    提示: 逐项审定。
3 个文件:1 个错误,1 个警告,1 个提示。
"""


def test_text_without_problems() -> None:
    assert render_text([], Summary(files=34)) == "34 个文件,未发现问题。\n"


def test_text_in_colour_only_paints_and_says_the_same() -> None:
    coloured = render_text(DIAGNOSTICS, SUMMARY, colour=True)
    assert coloured.startswith(
        "\033[1mpolicies/parameters.yaml:6:12\033[0m: \033[31merror\033[0m [schema.wrong-type]")
    assert "\033[33mwarning\033[0m" in coloured and "\033[36mnote\033[0m" in coloured
    plain = coloured
    for code in ("\033[1m", "\033[2m", "\033[31m", "\033[33m", "\033[36m", "\033[0m"):
        plain = plain.replace(code, "")
    assert plain == render_text(DIAGNOSTICS, SUMMARY)


def test_github_annotations_sit_on_the_real_line() -> None:
    assert render_github(DIAGNOSTICS, SUMMARY) == (
        "::error file=policies/parameters.yaml,line=6,col=12,title=schema.wrong-type::"
        "“value” 应为数字,实际是文字 “100万”。%0A提示: 数字不要加引号。\n"
        "::warning file=policies/flows/a%2Cb%3Ac.yaml,line=3,col=5,title=flow.unreachable::"
        "环节 x 无法到达。%0A路径: start → a%0A反例: 100%25 完成\n"
        "::notice file=policies/pack.yaml,line=1,col=1,title=provenance.drafted::"
        "有 3 项起草内容。%0A按类型列出%0A提示: 逐项审定。\n"
        "3 个文件:1 个错误,1 个警告,1 个提示。\n"
    )


def test_json() -> None:
    text = render_json(DIAGNOSTICS, SUMMARY)
    assert "100万" in text  # not \\u escapes: people read this too
    assert json.loads(text) == {
        "command": "validate", "files": 3, "errors": 1, "warnings": 1, "notes": 1,
        "diagnostics": [
            {"check": "schema.wrong-type", "severity": "error",
             "file": "policies/parameters.yaml", "line": 6, "column": 12,
             "pointer": "/parameters/0/value", "path": "parameters[0].value",
             "message": "“value” 应为数字,实际是文字 “100万”。", "hint": "数字不要加引号。",
             "related": []},
            {"check": "flow.unreachable", "severity": "warning",
             "file": "policies/flows/a,b:c.yaml", "line": 3, "column": 5,
             "pointer": "/steps/2", "path": "steps[2]", "message": "环节 x 无法到达。",
             "hint": "", "related": ["路径: start → a", "反例: 100% 完成"]},
            {"check": "provenance.drafted", "severity": "note", "file": "policies/pack.yaml",
             "line": 1, "column": 1, "pointer": "", "path": "$",
             "message": "有 3 项起草内容。\n按类型列出", "hint": "逐项审定。", "related": []},
        ],
    }


def _result(rule: str, index: int, level: str, text: str, uri: str, line: int, column: int,
            path: str | None) -> dict[str, object]:
    return {
        "ruleId": rule, "ruleIndex": index, "level": level, "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": line, "startColumn": column},
            },
            "logicalLocations": [{"fullyQualifiedName": path}] if path else [],
        }],
    }


def test_sarif() -> None:
    log = json.loads(render_sarif(DIAGNOSTICS, SUMMARY))
    assert log == {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "policybook", "version": __version__,
                "rules": [
                    {"id": "flow.unreachable",
                     "shortDescription": {"text": "流程中的每个环节都能从开始环节到达。"},
                     "fullDescription": {"text": "环节 x 无法到达。"}},
                    {"id": "provenance.drafted",
                     "shortDescription": {"text": "起草内容须经政策负责人审定(汇总为一条警告;"
                                                  "--strict 时视为失败)。"},
                     "fullDescription": {"text": "有 3 项起草内容。\n按类型列出"}},
                    {"id": "schema.wrong-type",
                     "shortDescription": {"text": "schema.wrong-type"},
                     "fullDescription": {"text": "“value” 应为数字,实际是文字 “100万”。"}},
                ],
            }},
            "columnKind": "unicodeCodePoints",
            "results": [
                _result("schema.wrong-type", 2, "error",
                        "“value” 应为数字,实际是文字 “100万”。 提示: 数字不要加引号。",
                        "policies/parameters.yaml", 6, 12, "parameters[0].value"),
                _result("flow.unreachable", 0, "warning",
                        "环节 x 无法到达。\n路径: start → a\n反例: 100% 完成",
                        "policies/flows/a,b:c.yaml", 3, 5, "steps[2]"),
                _result("provenance.drafted", 1, "note",
                        "有 3 项起草内容。\n按类型列出 提示: 逐项审定。",
                        "policies/pack.yaml", 1, 1, None),
            ],
        }],
    }


def test_sarif_uses_forward_slashes() -> None:
    d = Diagnostic("yaml.tab", "m", "policies\\flows\\a.yaml", 1, 1, hint="h")
    log = json.loads(render_sarif([d], SUMMARY))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "policies/flows/a.yaml"


def test_every_format_renders_an_empty_report() -> None:
    for name, render in FORMATS.items():
        out = render([], SUMMARY)
        assert out.endswith("\n"), name
    assert json.loads(render_json([], SUMMARY))["diagnostics"] == []
    assert json.loads(render_sarif([], SUMMARY))["runs"][0]["results"] == []
