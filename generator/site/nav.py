"""The site's navigation: the generated pages grouped as a reader looks for them, for
one pack or a library of them. Titles pass :func:`nav_title`: the theme prints them raw."""

from __future__ import annotations

from typing import Any

from generator import checkref, escape
from generator.model import Model
from generator.site.library import SitePack
from generator.site.links import LANGUAGE_DIR
from generator.site.pages import GeneratedPage

NavItem = str | dict[str, Any]


def navigation(model: Model, pages: list[GeneratedPage], extra: list[str]) -> list[NavItem]:
    """The site's nav: generated pages grouped as a reader looks for them, then the
    hand-written pages (``extra``), and the policy-language reference in a section of its
    own for those who write the policies (it is not in the staff search either). Titles pass :func:`nav_title`: the theme prints them raw."""
    by_src = {p.src: p for p in pages}
    pack, reference = _pack_navigation(model, by_src, "")
    return [*pack, {"参考": [*reference, *_checks_nav(by_src), *extra]},
            {"开发者参考": [_language_nav(pages)]}]


def library_navigation(packs: list[SitePack], pages: list[GeneratedPage],
                       extra: list[str]) -> list[NavItem]:
    """A library's nav: the common home, a section per pack, then the references."""
    by_src = {p.src: p for p in pages}
    nav: list[NavItem] = [{"首页": "index.md"}]
    for pack in packs:
        meta = pack.model.meta
        title = (meta.title if meta else pack.prefix) + ("（示例）" if meta and meta.example
                                                           else "")
        items, reference = _pack_navigation(pack.model, by_src, pack.prefix)
        items[0] = {"概览": pack.prefix + "index.md"}
        nav.append({nav_title(title): [*items, *reference]})
    if extra or _checks_nav(by_src):
        nav.append({"参考": [*_checks_nav(by_src), *extra]})
    nav.append({"开发者参考": [_language_nav(pages)]})
    return nav


def _checks_nav(by_src: dict[str, GeneratedPage]) -> list[NavItem]:
    """The check reference, for those who write and review the policies."""
    return [{checkref.TITLE: checkref.PAGE}] if checkref.PAGE in by_src else []


def _language_nav(pages: list[GeneratedPage]) -> NavItem:
    language: list[NavItem] = [{"概览": f"{LANGUAGE_DIR}/index.md"}]
    language += [{nav_title(p.title): p.src} for p in pages
                 if p.src.startswith(f"{LANGUAGE_DIR}/") and p.src != f"{LANGUAGE_DIR}/index.md"]
    return {"政策语言参考": language}


def _pack_navigation(model: Model, by_src: dict[str, GeneratedPage],
                     prefix: str) -> tuple[list[NavItem], list[NavItem]]:
    """One pack's nav, its pages under ``prefix``, and the pages of its 参考 group."""
    pages = [p for p in by_src.values() if p.src.startswith(prefix)]

    def entry(src: str) -> dict[str, str]:
        return {nav_title(by_src[prefix + src].title): prefix + src}

    def srcs(*start: str) -> list[str]:
        return [p.src[len(prefix):] for p in pages if p.src[len(prefix):].startswith(start)]

    flows: list[NavItem] = [entry("overview.md")]
    for flow in model.flows.values():
        # The flow page is named by the flow, not "流程图": three flows, three names.
        items: list[NavItem] = [{nav_title(flow.title): f"{prefix}flows/{flow.id}.md"}]
        items += [entry(f"steps/{s.id}.md") for s in flow.steps
                  if f"{prefix}steps/{s.id}.md" in by_src]
        flows.append({nav_title(flow.title): items})
    flows.append(entry("roles.md"))
    cases: list[NavItem] = [entry(s) for s in srcs("cases/")]
    decisions: list[NavItem] = [entry(s) for s in srcs("decisions/", "questionnaires/")]
    forms: list[NavItem] = [{"表单一览": f"{prefix}forms/index.md"}]
    forms += [entry(s) for s in srcs("forms/") if s != "forms/index.md"]
    checklists: list[NavItem] = [{"清单一览": f"{prefix}checklists/index.md"}]
    checklists += [entry(s) for s in srcs("checklists/") if s != "checklists/index.md"]
    nav: list[NavItem] = [
        {"首页": f"{prefix}index.md"},
        {"流程": flows},
    ]
    if cases:
        nav.append({"案例演练": cases})
    nav.append(entry("rules.md"))
    if decisions:
        nav.append({"决策表与问卷": decisions})
    if f"{prefix}selftest.md" in by_src:
        nav.append(entry("selftest.md"))
    nav.append({"表单与清单": [{"表单": forms}, {"检查清单": checklists}]})
    if f"{prefix}scripts.md" in by_src:
        nav.append(entry("scripts.md"))
    if f"{prefix}target-clients.md" in by_src:
        nav.append(entry("target-clients.md"))
    if f"{prefix}audit/index.md" in by_src:
        nav.append({"审计": [{"审计控制一览": f"{prefix}audit/index.md"},
                             {"控制": [entry(s) for s in srcs("audit/controls/")]},
                             {"登记簿": [entry(s) for s in srcs("audit/registers/")]}]})
    return nav, [entry("glossary.md"), entry("trace.md"), entry("review.md")]


_FULL_WIDTH = str.maketrans({"<": "\uff1c", ">": "\uff1e", "&": "\uff06"})


def nav_title(title: str) -> str:
    """A page or section title as the theme prints it: raw in the nav and header,
    through ``e`` in attributes and through ``striptags`` (which unescapes once) in
    ``<title>``. ``<``, ``>`` and ``&`` become their full-width forms, so the title
    needs no escaping at all: it reads the same in each place and can open no tag and
    no entity in any of them."""
    return escape.clean(title).translate(_FULL_WIDTH)
