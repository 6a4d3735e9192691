"""Every output format, exactly, for one small set of diagnostics: an error with a YAML
path and a hint, a warning with extra lines in a file whose name needs escaping, and a
note with a two-line message and no YAML path."""

from __future__ import annotations

import json

from generator import __version__, checkref
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
    result = {
        "ruleId": rule, "ruleIndex": index, "level": level, "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": line, "startColumn": column,
                           "endLine": line, "endColumn": column + 1},
            },
            "logicalLocations": [{"fullyQualifiedName": path}] if path else [],
        }],
    }
    return result


def _rule(rule: str, name: str, summary: str) -> dict[str, object]:
    """The rule with its entry of the check reference as help (no site URL: no helpUri)."""
    doc = checkref.entries()[rule]
    return {"id": rule, "name": name,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": summary + checkref.plain(doc.why)},
            "help": {"text": checkref.help_text(doc, summary),
                     "markdown": checkref.help_markdown(doc, summary)}}


def test_sarif() -> None:
    log = json.loads(render_sarif(DIAGNOSTICS, SUMMARY))
    results = log["runs"][0].pop("results")
    assert "如何修改" in log["runs"][0]["tool"]["driver"]["rules"][0]["help"]["text"]
    assert log == {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "policybook", "version": __version__,
                "rules": [
                    _rule("flow.unreachable", "FlowUnreachable",
                          "流程中的每个环节都能从开始环节到达。"),
                    _rule("provenance.drafted", "ProvenanceDrafted",
                          "起草内容须经政策负责人审定(汇总为一条警告;--strict 时视为失败)。"),
                    _rule("schema.wrong-type", "SchemaWrongType",
                          "值的类型要符合 schema(数字、文字、列表、映射……)。"),
                ],
            }},
            "columnKind": "unicodeCodePoints",
        }],
    }
    fingerprints = [r.pop("partialFingerprints") for r in results]
    assert results == [
        _result("schema.wrong-type", 2, "error",
                "“value” 应为数字,实际是文字 “100万”。 提示: 数字不要加引号。",
                "policies/parameters.yaml", 6, 12, "parameters[0].value"),
        _result("flow.unreachable", 0, "warning",
                "环节 x 无法到达。\n路径: start → a\n反例: 100% 完成",
                "policies/flows/a%2Cb%3Ac.yaml", 3, 5, "steps[2]"),
        _result("provenance.drafted", 1, "note",
                "有 3 项起草内容。\n按类型列出 提示: 逐项审定。",
                "policies/pack.yaml", 1, 1, None),
    ]
    assert [list(f) for f in fingerprints] == [["policybookFinding/v1"]] * 3
    assert len({f["policybookFinding/v1"] for f in fingerprints}) == 3


def test_sarif_fingerprints_survive_lines_moving() -> None:
    """Code scanning matches an alert across commits by its fingerprint: a finding that
    moved down two lines is the same alert; another check at the same place is not."""
    d = DIAGNOSTICS[0]
    moved = Diagnostic(d.check, d.message, d.file, d.line + 2, d.column, d.pointer, hint=d.hint)
    other = Diagnostic("schema.pattern", d.message, d.file, d.line, d.column, d.pointer)

    def fingerprint(x: Diagnostic) -> str:
        result = json.loads(render_sarif([x], SUMMARY))["runs"][0]["results"][0]
        value: str = result["partialFingerprints"]["policybookFinding/v1"]
        return value

    assert fingerprint(d) == fingerprint(moved) != fingerprint(other)


def test_sarif_uris_are_percent_encoded_relative_to_srcroot() -> None:
    cases = {
        "policies/开户 话术.yaml": ("policies/%E5%BC%80%E6%88%B7%20%E8%AF%9D%E6%9C%AF.yaml",
                                  "%SRCROOT%"),
        "../shared/100%.yaml": ("../shared/100%25.yaml", "%SRCROOT%"),
        "/srv/政策/a.yaml": ("file:///srv/%E6%94%BF%E7%AD%96/a.yaml", None),
        "D:\\政策\\a b.yaml": ("file:///D:/%E6%94%BF%E7%AD%96/a%20b.yaml", None),
    }
    for file, (uri, base) in cases.items():
        d = Diagnostic("yaml.tab", "m", file, 1, 1)
        location = json.loads(render_sarif([d], SUMMARY))["runs"][0]["results"][0]["locations"][0]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact == ({"uri": uri, "uriBaseId": base} if base else {"uri": uri}), file


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
