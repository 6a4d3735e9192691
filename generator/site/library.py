"""The handbook of a library of packs (:mod:`generator.library`): a common home that
lists every procedure, each pack's pages under its folder, the language reference once."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from generator.model import Model
from generator.site.deferred import Pending, later
from generator.site.links import LANGUAGE_DIR
from generator.site.markup import md
from generator.site.pages import GeneratedPage, SiteBuilder


@dataclass(frozen=True, slots=True)
class SitePack:
    """One pack of a library as the site publishes it."""

    prefix: str
    """``<folder>/``: where its pages go."""
    model: Model
    pdfs: frozenset[str] = frozenset()
    """Its PDFs, as published within its section (``print/forms/x.pdf``)."""


def render_library(packs: list[SitePack], *, directory_urls: bool = True
                   ) -> list[GeneratedPage]:
    """A library's handbook: a common home listing the packs, each pack's pages under its
    folder (their links are relative, so they hold there), and the check and language
    references once."""
    pages = pending_library(packs, directory_urls=directory_urls, deferring=False)
    return [p for p in pages if isinstance(p, GeneratedPage)]


def pending_library(packs: list[SitePack], *, directory_urls: bool = True,
                    deferring: bool = True) -> list[GeneratedPage | Pending]:
    """:func:`render_library`'s pages, those of deferrable functions pending when
    ``deferring`` (:mod:`generator.site.deferred`)."""
    pages: list[GeneratedPage | Pending] = [library_home(packs)]
    for pack in packs:
        builder = SiteBuilder(pack.model, pack.pdfs, directory_urls)
        builder.deferring = deferring
        pages += [later(p, functools.partial(_under, pack.prefix), pack.prefix)
                  for p in builder.pack_pages()]
    if packs:
        shared = SiteBuilder(packs[0].model, frozenset(), directory_urls)
        shared.deferring = deferring
        pages += shared.shared_pages()
    return pages


def _under(prefix: str, page: GeneratedPage) -> GeneratedPage:
    return GeneratedPage(prefix + page.src, page.title, page.markdown)


def library_home(packs: list[SitePack]) -> GeneratedPage:
    lines = ["# 流程制度手册", "", f"本手册收录 {len(packs)} 个流程的制度、流程图、表单和检查清单。", "",
             "| 流程 | 负责部门 | 版本 | 生效日期 | 内容 |", "| --- | --- | --- | --- | --- |"]
    for pack in packs:
        m = pack.model
        meta = m.meta
        if meta is None:
            continue
        title = md(m.text(meta.title)) + ("（示例）" if meta.example else "")
        counts = f"{len(m.flows)} 个流程、{len(m.rules)} 条规则、{len(m.forms)} 份表单"
        lines.append(f"| [{title}]({pack.prefix}index.md) | {md(meta.owner)} | {meta.version} "
                     f"| {meta.effective_date.isoformat()} | {counts} |")
    lines += ["", "每个流程的首页说明它的来源文件、适用岗位和从哪里开始阅读；"
              "[政策语言参考](" + LANGUAGE_DIR + "/index.md) 说明政策文件的写法。", ""]
    for pack in packs:
        meta = pack.model.meta
        if meta and meta.summary:
            lines += [f"## {md(pack.model.text(meta.title))}", "",
                      md(pack.model.text(meta.summary)), ""]
    return GeneratedPage("index.md", "流程制度手册", "\n".join(lines))
