"""The handbook's check reference (检查项参考): one page, a section per group of check
ids and an anchor per id, from :mod:`generator.checkref`. It is the same for every pack,
so a library has it once, at the top of the site, like the policy-language reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import checkref
from generator.site.contexts import PageContext
from generator.site.markup import Markup, code, md


@dataclass(frozen=True, slots=True)
class CheckView:
    doc: checkref.CheckDoc
    summary: str
    """The catalogue's one sentence (SARIF's short description)."""
    finds: Markup
    why: Markup
    fix: Markup


@dataclass(frozen=True, slots=True)
class CheckGroup:
    key: str
    title: str
    checks: list[CheckView]


@dataclass(frozen=True, kw_only=True)
class CheckReferencePage(PageContext):
    TEMPLATE = "checks.md.j2"
    groups: list[CheckGroup]
    count: int


def _words(text: str) -> Markup:
    """Our words for a Markdown paragraph: `code` spans as code, the rest escaped."""
    return Markup(checkref.escaped(text, md, lambda part: str(code(part))))


def check_reference(base: dict[str, Any]) -> CheckReferencePage:
    """The page's context; ``base`` is :meth:`SiteBuilder.base` for :data:`checkref.PAGE`."""
    from generator.checks import catalog

    summaries = catalog()
    groups: dict[str, CheckGroup] = {}
    for doc in checkref.entries().values():
        head = doc.id.split(".", 1)[0]
        key = head if head in checkref.GROUPS else "other"
        group = groups.setdefault(key, CheckGroup(key, doc.group, []))
        group.checks.append(CheckView(doc, summaries.get(doc.id, ""), _words(doc.finds),
                                      _words(doc.why), _words(doc.fix)))
    return CheckReferencePage(**base, groups=list(groups.values()),
                              count=sum(len(g.checks) for g in groups.values()))
