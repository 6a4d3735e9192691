"""A corpus of hostile strings, and the example pack with every piece of prose replaced
by one of them (``hostile_pack``): what an attacker who can merge a policy file would
write. The pack still passes ``policybook check``, so every output is built from it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

from generator.yamlload import load_bytes
from tests.conftest import EXAMPLES

MINIMAL = EXAMPLES / "valid" / "minimal"

HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[点我](javascript:alert(3))",
    "![图](javascript:alert(4))",
    '" onmouseover="alert(5)" x="',
    "' onfocus='alert(6)' autofocus x='",
    '[x](http://a" onmouseover="alert(7)" y=")',
    "{% include 'x' %}{# c #}${7*7}",
    '%%{init: {"securityLevel": "loose"} }%%',
    '"] --> X; click n0 call alert(10) ["',
    "<style>body{background:url(javascript:alert(11))}</style>",
    '=HYPERLINK("http://evil.example","点我")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "</title><script>alert(16)</script>",
    '{: onclick="alert(17)" }',
    '<a href="javascript:alert(18)">链接</a>',
    "*强调* _下划线_ **粗** ~~删~~ `代码`",
    "| 表 | 格 |\n| --- | --- |",
    "<!-- 注释 -->&lt;script&gt;alert(21)&lt;/script&gt;",
    "javascript:alert(22)",
    "<svg onload=alert(23)>",
    "<<script>script>alert(24)<</script>/script>",
    "<details open ontoggle=alert(25)>",
    "&#x3C;script&#x3E;alert(26)&#x3C;/script&#x3E;",
    "<https://evil.example/27>",
    "# 标题\n- 列表\n1. 编号",
    "\\<b>反斜杠\\</b>",
    "url(javascript:alert(30)) expression(alert(30))",
    "见 https://evil.example/31 或 www.evil.example",
    "@octocat 与 @org/team 请审批",
    "修复 #12 GH-34 与 org/repo#5",
    "联系 admin@evil.example",
    "提交 deadbeef1234567 与 cafebabe",
)
"""One hostile string per way out: HTML, Markdown links and images, attribute breakers,
Jinja, Mermaid directives and clicks, CSS ``url()``, spreadsheet formulas, and what GitHub
would turn into a link or a notification (bare URLs, mentions, issue references, e-mail
addresses, commit ids: :data:`GITHUB_AUTOLINK`). (Bidirectional
and control characters are rejected by ``check`` itself: ``text.bad-character``.)"""

GITHUB_AUTOLINK = re.compile(
    r"(?i)(?:https?|ftp)://|(?<![\w.])www\.|[\w.+-]+@[a-z0-9-]+\.[a-z]|(?<![\w`])@[a-z0-9]"
    r"|(?<![\w&])#\d|\bgh-\d|(?<![0-9a-z])[0-9a-f]{7,40}(?![0-9a-z])")
"""What GitHub links in rendered Markdown text (repository files, comments): URLs with a
scheme or www., e-mail addresses, @user and @org/team mentions, #1 and GH-1 references,
commit ids of 7 to 40 hex digits (a test-side reading of GitHub's documented autolinks)."""

# Strings that are not prose: they name something (a section of the source outline,
# a unit), and a hostile value would only make the pack invalid.
NOT_PROSE = frozenset({"sourced", "based_on", "section", "citation", "source", "kind",
                       "$schema", "version", "effective_date", "unit"})
ENGLISH = frozenset({"title_en", "name_en", "en"})
"""Prose in English: ASCII like the ids, so found by its key."""


def _is_prose(key: str, value: str) -> bool:
    if key in NOT_PROSE or "{{" in value:  # keep parameter references: they are checked
        return False
    return key in ENGLISH or any(ord(ch) > 127 for ch in value)


def _replace(value: Any, key: str, numbers: Iterator[int]) -> Any:
    if isinstance(value, dict):
        return {k: _replace(v, str(k), numbers) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, key, numbers) for v in value]
    if isinstance(value, str) and _is_prose(key, value):
        n = next(numbers)
        # Each string distinct (checks compare titles); the Chinese keeps it prose.
        return f"{HOSTILE[n % len(HOSTILE)]} 文{n}"
    return value


def hostile_pack(dest: Path, base: Path = MINIMAL) -> Path:
    """``base`` copied into ``dest`` with every prose string hostile; returns ``dest``."""
    numbers = count()
    for path in sorted(base.rglob("*.yaml")):
        data = load_bytes(path.read_bytes(), str(path)).data
        target = dest / path.relative_to(base)
        target.parent.mkdir(parents=True, exist_ok=True)
        # JSON is YAML: every string double-quoted, whatever it holds.
        target.write_text(json.dumps(_replace(data, "", numbers), ensure_ascii=False,
                                     indent=1) + "\n", encoding="utf-8")
    return dest
