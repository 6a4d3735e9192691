"""A large page's Markdown converted a section at a time, each section kept, for
``policybook serve`` with mkdocs (:mod:`generator.site.live_mkdocs`).

On the 10× library the rules page is 1.4 MB of Markdown with some 10,000 links:
Python-Markdown takes over a second to convert it, though an edit changes one rule's
section. So a page is cut before each ``##`` / ``###`` heading that follows a blank
line outside a code fence; each section is converted on its own (with mkdocs's own
Markdown set-up: the site's extensions, mkdocs's link, anchor and title processors),
and a section met before is not converted again. The page's contents are the sections'
HTML one after the other, its table of contents the sections' headings nested again.

That equals converting the whole page only when no section depends on another (a
heading id used twice is told apart only in a whole conversion, so two sections with
one id are refused). So a page is cut only after a full build proved it: the sections
of mkdocs's own conversion gave the same contents and table of contents
(:func:`same_as`); otherwise, and for small pages, mkdocs converts the whole page.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

HEADING = re.compile(r"#{2,3} ")
FENCE = re.compile(r"(`{3,}|~{3,})")
LARGE = 100_000
"""Characters of Markdown from which a page is worth cutting."""


def sections(markdown: str) -> list[str]:
    """``markdown`` cut before each level 2 or 3 heading that starts a line after a
    blank one, outside code fences."""
    lines = markdown.split("\n")
    cuts, fence = [0], ""
    for i, line in enumerate(lines):
        if fence:
            if line.startswith(fence):
                fence = ""
            continue
        if m := FENCE.match(line):
            fence = m[1]
        elif i and not lines[i - 1] and HEADING.match(line):
            cuts.append(i)
    return ["\n".join(lines[a:b]) for a, b in zip(cuts, [*cuts[1:], len(lines)], strict=True)]


@dataclass(frozen=True, slots=True)
class Converted:
    html: str
    headings: tuple[dict[str, Any], ...]
    """The section's table-of-contents entries, flat (no ``children``)."""
    anchors: frozenset[str]
    title: str | None


@dataclass
class SectionCache:
    """Each section converted once, by its text (for one page of one site)."""

    done: dict[str, Converted] = field(default_factory=dict)

    def convert(self, page: Any, config: Any, files: Any) -> tuple[str, Any, str | None,
                                                                   set[str]] | None:
        """``page.markdown`` as (contents, table of contents, title, anchor ids), as
        ``Page.render`` gives them; None when a heading id is in two sections."""
        from markdown.extensions.toc import nest_toc_tokens
        from mkdocs.structure.toc import get_toc

        converter = None
        found = []
        texts = sections(page.markdown)
        for text in texts:
            hit = self.done.get(text)
            if hit is None:
                converter = converter or _Converter(page, config, files)
                hit = self.done[text] = converter.convert(text)
            found.append(hit)
        counts = Counter(a for c in found for a in c.anchors)
        if any(n > 1 for n in counts.values()):
            return None
        if len(self.done) > 2 * len(texts):  # forget sections no longer on the page
            self.done = {t: self.done[t] for t in texts}
        headings = [copy.deepcopy(h) for c in found for h in c.headings]
        return ("\n".join(c.html for c in found), get_toc(nest_toc_tokens(headings)),
                found[0].title if found else None, set(counts))


class _Converter:
    """One Markdown instance set up as ``mkdocs.structure.pages.Page.render`` sets it
    up, reset between sections."""

    def __init__(self, page: Any, config: Any, files: Any) -> None:
        import markdown
        from mkdocs.structure import pages

        self.md = markdown.Markdown(extensions=config["markdown_extensions"],
                                    extension_configs=config["mdx_configs"] or {})
        self.raw = pages._RawHTMLPreprocessor()
        self.raw._register(self.md)
        self.anchors = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        self.anchors._register(self.md)
        pages._RelativePathTreeprocessor(page.file, files, config)._register(self.md)
        self.title = pages._ExtractTitleTreeprocessor()
        self.title._register(self.md)

    def convert(self, text: str) -> Converted:
        self.md.reset()
        self.anchors.present_anchor_ids = set()
        self.title.title = None
        html = self.md.convert(text)
        return Converted(html, tuple(_flat(getattr(self.md, "toc_tokens", []))),
                         frozenset(self.anchors.present_anchor_ids
                                   | self.raw.present_anchor_ids), self.title.title)


def _flat(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for token in tokens:
        out.append({k: v for k, v in token.items() if k != "children"})
        out.extend(_flat(token.get("children", [])))
    return out


def _toc(items: Any) -> list[Any]:
    return [(i.title, i.id, i.level, _toc(i.children)) for i in items]


def same_as(page: Any, converted: tuple[str, Any, str | None, set[str]] | None) -> bool:
    """Whether ``converted`` is what mkdocs's whole conversion gave ``page``."""
    if converted is None:
        return False
    html, toc, title, anchors = converted
    return (html == page.content and _toc(toc) == _toc(page.toc)
            and title == page._title_from_render and anchors == page.present_anchor_ids)
