"""One reporter interface, several formats: text for people, JSON for tools,
GitHub workflow annotations and SARIF 2.1.0 for code-scanning views.

Reporters turn a finished list of diagnostics into a string; they never read
files or decide exit codes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from generator import __version__, escape
from generator.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class Summary:
    files: int
    command: str = "validate"
    site_url: str = ""
    """Where the handbook is published (absolute), for SARIF rules' ``helpUri``; ``""``
    when unknown."""
    directory_urls: bool = True
    """The handbook's URL style (mkdocs' ``use_directory_urls``)."""


_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.NOTE: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"
_WORDS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.NOTE: "提示"}


def counts(diagnostics: Sequence[Diagnostic]) -> Counter[Severity]:
    return Counter(d.severity for d in diagnostics)


def summary_line(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    c = counts(diagnostics)
    if not diagnostics:
        return f"{summary.files} 个文件,未发现问题。"
    parts = [f"{c[s]} 个{_WORDS[s]}" for s in (Severity.ERROR, Severity.WARNING, Severity.NOTE)
             if c[s]]
    return f"{summary.files} 个文件:" + ",".join(parts) + "。"


def render_text(diagnostics: Sequence[Diagnostic], summary: Summary, *,
                colour: bool = False) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    def indented(text: str) -> str:
        """Continuation lines line up under the diagnostic, never at column 0."""
        return text.replace("\n", "\n    ")

    lines: list[str] = []
    for d in diagnostics:
        where = paint(_BOLD, f"{d.file}:{d.line}:{d.column}")
        label = paint(_COLOURS[d.severity], f"{d.severity.label}")
        lines.append(f"{where}: {label} [{d.check}] {indented(d.message)}")
        if d.pointer:
            lines.append(paint(_DIM, f"    位置: {d.yaml_path}"))
        for extra in d.related:
            lines.append(f"    {indented(extra)}")
        if d.hint:
            lines.append(f"    提示: {indented(d.hint)}")
    lines.append(summary_line(diagnostics, summary))
    return "\n".join(lines) + "\n"


def as_dict(d: Diagnostic) -> dict[str, object]:
    return {
        "check": d.check,
        "severity": d.severity.label,
        "file": d.file,
        "line": d.line,
        "column": d.column,
        "pointer": d.pointer,
        "path": d.yaml_path,
        "message": d.message,
        "hint": d.hint,
        "related": list(d.related),
    }


def render_json(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    c = counts(diagnostics)
    payload = {
        "command": summary.command,
        "files": summary.files,
        "errors": c[Severity.ERROR],
        "warnings": c[Severity.WARNING],
        "notes": c[Severity.NOTE],
        "diagnostics": [as_dict(d) for d in diagnostics],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def render_github(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic, on its line."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}
    out = []
    for d in diagnostics:
        body = d.message + (f"\n提示: {d.hint}" if d.hint else "")
        if d.related:
            body += "\n" + "\n".join(d.related)
        props = (f"file={escape.github_property(d.file)},line={d.line},col={d.column},"
                 f"title={escape.github_property(d.check)}")
        out.append(f"::{level[d.severity]} {props}::{escape.github_message(body)}")
    out.append(summary_line(diagnostics, summary))
    return "\n".join(out) + "\n"


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
_DRIVE = re.compile(r"[A-Za-z]:/")
FINGERPRINT = "policybookFinding/v1"
"""A result's identity that survives lines moving: its check, file, YAML path and words."""


def sarif_uri(file: str) -> tuple[str, str | None]:
    """``file`` as an RFC 3986 URI reference and its base id: a relative path is
    percent-encoded (spaces, Chinese, ``:``) relative to ``%SRCROOT%`` (where policybook
    ran, the repository root in CI); an absolute one (another drive) is a ``file:`` URI."""
    path = file.replace("\\", "/")
    if _DRIVE.match(path):
        return PureWindowsPath(file).as_uri(), None
    if path.startswith("/"):
        return PurePosixPath(path).as_uri(), None
    return quote(path, safe="/"), SRCROOT


def _rule_name(check_id: str) -> str:
    """``yaml.duplicate-key`` → ``YamlDuplicateKey`` (SARIF's friendly rule name)."""
    return "".join(w.capitalize() for w in re.split(r"[^A-Za-z0-9]+", check_id) if w)


def _sarif_rule(check_id: str, registered: dict[str, str],
                summary: Summary) -> dict[str, object]:
    """The rule of ``check_id``: its catalogue sentence, and its entry of the handbook's
    check reference as ``help`` (and ``helpUri`` when the handbook's URL is known)."""
    from generator import checkref
    from generator.catalogue import describe

    text = describe(check_id, registered)
    doc = checkref.entries().get(check_id)
    if doc is None:  # an id the reference does not know (a kind added outside policybook)
        full = text.summary + text.help  # Chinese sentences are not separated by a space
        help_ = {"text": full,
                 "markdown": f"{escape.markdown_code(check_id)}: "
                             f"{escape.github_markdown(full)}"}
        return {"id": check_id, "name": _rule_name(check_id),
                "shortDescription": {"text": text.summary},
                "fullDescription": {"text": full}, "help": help_}
    uri = checkref.help_uri(check_id, summary.site_url, summary.directory_urls)
    rule: dict[str, object] = {
        "id": check_id,
        "name": _rule_name(check_id),
        "shortDescription": {"text": text.summary},
        "fullDescription": {"text": text.summary + checkref.plain(doc.why)},
        "help": {"text": checkref.help_text(doc, text.summary),
                 "markdown": checkref.help_markdown(doc, text.summary, uri)},
    }
    if uri:
        rule["helpUri"] = uri
    return rule


def _region(d: Diagnostic) -> dict[str, int]:
    """From the diagnostic's position to the end of the YAML node it is about (key and
    value, as the loader read them); the one character it points at when the node is
    not known (a file that could not be parsed)."""
    end_line, end_column = (d.end_line, d.end_column) if d.end_line else (d.line, d.column + 1)
    return {"startLine": d.line, "startColumn": d.column,
            "endLine": end_line, "endColumn": end_column}


def _fingerprint(d: Diagnostic, uri: str) -> str:
    key = "\0".join((d.check, uri, d.pointer, d.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def render_sarif(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    from generator.checks import catalog  # every id describes itself there

    registered = catalog()
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
    rule_ids = sorted({d.check for d in diagnostics})
    index = {rule: i for i, rule in enumerate(rule_ids)}
    results = []
    for d in diagnostics:
        text = d.message + (f" 提示: {d.hint}" if d.hint else "")
        if d.related:
            text += "\n" + "\n".join(d.related)
        uri, base = sarif_uri(d.file)
        artifact = {"uri": uri} | ({"uriBaseId": base} if base else {})
        results.append({
            "ruleId": d.check,
            "ruleIndex": index[d.check],
            "level": level[d.severity],
            "message": {"text": text},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": _region(d),
                },
                "logicalLocations": [{"fullyQualifiedName": d.yaml_path}] if d.pointer else [],
            }],
            "partialFingerprints": {FINGERPRINT: _fingerprint(d, uri)},
        })
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "policybook",
                "version": __version__,
                "rules": [_sarif_rule(r, registered, summary) for r in rule_ids],
            }},
            # %SRCROOT% is left for the consumer (e.g. GitHub code scanning) to resolve.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


Renderer = Callable[[Sequence[Diagnostic], Summary], str]

FORMATS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}
