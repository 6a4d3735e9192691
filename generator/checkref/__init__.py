"""The check reference (检查项参考): for every check id, what it finds, why it matters to
the policy owner, how to fix it, and an example of the mistake with its corrected form.

The words are data beside the catalogue (:mod:`generator.catalogue`): ``texts.yaml``
is written by hand; ``examples.yaml`` is cut from the test packs by
``tools/checkref_examples.py`` (the package never reads ``tests/``). The handbook
renders one page from them (:data:`PAGE`, one anchor per id: :func:`anchor`), and the
SARIF reporter gives every rule its ``help`` and ``helpUri`` from the same entries.

In the texts, `backticks` mark a code span; every output escapes the rest for its own
context (:func:`spans`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from generator import escape
from generator.addresses import page_url
from generator.yamlload import parse

HERE = Path(__file__).parent
TEXTS = HERE / "texts.yaml"
EXAMPLES = HERE / "examples.yaml"
PAGE = "checks.md"
"""The page's Markdown path in the site (at its top, once for a library of packs)."""
TITLE = "检查项参考"
PARTS = ("finds", "why", "fix")

GROUPS: dict[str, str] = {
    "file": "读取文件", "yaml": "YAML 写法", "text": "文字中的字符",
    "schema": "文件结构(schema)", "pack": "政策包的组成", "source": "来源文件",
    "ref": "引用与标识", "flow": "流程", "role": "岗位与权限", "order": "路径约束",
    "decision": "决策表", "questionnaire": "问卷", "form": "表单", "case": "测试案例",
    "param": "参数", "trace": "可追溯性", "provenance": "出处与审定", "control": "审计控制",
}
"""The page's sections, in reading order: an id's group is the part before its dot."""
OTHER = "其他"


@dataclass(frozen=True, slots=True)
class Example:
    file: str
    """The file the snippets are from, relative to the pack."""
    wrong: str
    right: str
    mistake: str = ""
    """The test pack's one sentence about the mistake (when it has one in Chinese)."""


@dataclass(frozen=True, slots=True)
class CheckDoc:
    id: str
    finds: str
    why: str
    fix: str
    example: Example

    @property
    def anchor(self) -> str:
        return anchor(self.id)

    @property
    def group(self) -> str:
        return GROUPS.get(self.id.split(".", 1)[0], OTHER)


class CheckrefError(Exception):
    """The package's own data is broken (a bug of policybook, not of a policy)."""


_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")


def anchor(check_id: str) -> str:
    """The id's anchor on the page: ``yaml.duplicate-key`` → ``yaml-duplicate-key``
    (an HTML id that needs no escaping in a URL, a selector or Markdown's ``{#…}``)."""
    return _NOT_ID.sub("-", check_id)


def _read(path: Path) -> dict[str, Any]:
    parsed = parse(path.read_text("utf-8"), path.name)
    if parsed.diagnostics or not isinstance(parsed.data, dict):
        problems = "; ".join(f"{d.line}:{d.column} {d.message}" for d in parsed.diagnostics)
        raise CheckrefError(f"{path}: {problems or '不是映射'}")
    return parsed.data


def _example(check_id: str, data: Any, where: Path) -> Example:
    if not isinstance(data, dict) or not all(
            isinstance(data.get(k), str) and data[k].strip() for k in ("file", "wrong", "right")):
        raise CheckrefError(f"{where}: {check_id} 的 example 要有 file、wrong 和 right")
    return Example(data["file"], data["wrong"], data["right"], data.get("mistake", ""))


@functools.cache
def entries() -> dict[str, CheckDoc]:
    """Check id → its entry, in the order of :data:`GROUPS`, then by id."""
    texts, cut = _read(TEXTS), _read(EXAMPLES)
    found = {}
    for check_id, entry in texts.items():
        if not isinstance(entry, dict) or not all(
                isinstance(entry.get(p), str) and entry[p].strip() for p in PARTS):
            raise CheckrefError(f"{TEXTS}: {check_id} 要有 {'、'.join(PARTS)}")
        if "example" in entry:
            example = _example(check_id, entry["example"], TEXTS)
        elif check_id in cut:
            example = _example(check_id, cut[check_id], EXAMPLES)
        else:
            raise CheckrefError(f"{TEXTS}: {check_id} 没有示例({EXAMPLES.name} 中也没有)")
        found[check_id] = CheckDoc(check_id, entry["finds"], entry["why"], entry["fix"],
                                   example)
    order = list(GROUPS)

    def key(doc: CheckDoc) -> tuple[int, str]:
        head = doc.id.split(".", 1)[0]
        return (order.index(head) if head in order else len(order), doc.id)

    return {doc.id: doc for doc in sorted(found.values(), key=key)}


def spans(text: str) -> list[tuple[bool, str]]:
    """``text`` as (is code, words) pieces: `backticks` mark code."""
    return [(i % 2 == 1, part) for i, part in enumerate(text.split("`")) if part]


def plain(text: str) -> str:
    """The text without its code marks, for plain-text outputs."""
    return "".join(part for _code, part in spans(text))


def page_address(directory_urls: bool = True) -> str:
    """The page's URL relative to the site's root (``checks/`` or ``checks.html``)."""
    return page_url(PAGE, directory_urls=directory_urls)


_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def help_uri(check_id: str, site_url: str, directory_urls: bool = True) -> str:
    """The absolute URL of the id's entry on the published handbook, or ``""`` when the
    site's URL is not known: SARIF's ``helpUri`` must be an absolute URI (the Multitool
    reports a relative one as SARIF1002, the schema's ``uri`` format rejects it)."""
    if not _ABSOLUTE.match(site_url):
        return ""
    base = site_url if site_url.endswith("/") else site_url + "/"
    # RFC 3986: a space or Chinese in the site's path is percent-encoded (SARIF1002)
    base = quote(base, safe=":/?&=;@%+,.~!$*'()-_[]")
    return f"{base}{page_address(directory_urls)}#{anchor(check_id)}"


def escaped(text: str, words: Callable[[str], str], code: Callable[[str], str]) -> str:
    """``text`` with its code spans through ``code`` and the rest through ``words``; the
    spaces around a code span are kept (the escaping functions fold a piece's ends)."""
    out = []
    for is_code, part in spans(text):
        lead = part[:len(part) - len(part.lstrip())]
        trail = part[len(part.rstrip()):] if part.strip() else ""
        out.append(lead + (code(part.strip()) if is_code else words(part.strip())) + trail)
    return "".join(out)


def _github(text: str) -> str:
    return escaped(text, escape.github_markdown, escape.markdown_code)


def _fence(text: str) -> str:
    body = escape.clean(text).rstrip("\n")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}yaml\n{body}\n{ticks}"


def help_text(doc: CheckDoc, summary: str) -> str:
    """The rule's help as plain text (SARIF ``help.text``)."""
    e = doc.example
    return (f"{summary}\n发现什么:{plain(doc.finds)}\n为什么重要:{plain(doc.why)}\n"
            f"如何修改:{plain(doc.fix)}\n示例({e.file}),错误写法:\n{e.wrong.rstrip()}\n"
            f"改正后:\n{e.right.rstrip()}\n")


def help_markdown(doc: CheckDoc, summary: str, uri: str = "") -> str:
    """The rule's help as GitHub Markdown (SARIF ``help.markdown``): the page's entry,
    every piece of text escaped for GitHub, the snippets in fences they cannot close."""
    e = doc.example
    where = escape.markdown_code(e.file)
    lines = [f"{escape.markdown_code(doc.id)}: {escape.github_markdown(summary)}", "",
             f"**发现什么**:{_github(doc.finds)}", "",
             f"**为什么重要**:{_github(doc.why)}", "",
             f"**如何修改**:{_github(doc.fix)}", "",
             f"错误写法({where}):", "", _fence(e.wrong), "", "改正后:", "", _fence(e.right)]
    if uri:
        lines += ["", f"[手册:{TITLE}]({escape.url(uri)})"]
    else:
        lines += ["", f"手册:参考 → {TITLE}({escape.markdown_code(page_address())}"
                      f"{escape.markdown_code('#' + doc.anchor)})"]
    return "\n".join(lines) + "\n"
