"""Glossary terms as tooltips wherever they appear in a page's text.

Runs on the rendered HTML of each page (mkdocs ``on_page_content``). Python-
Markdown's ``abbr`` extension cannot do this for Chinese: it matches at ``\\b``
word boundaries, and there are none between Han characters. Text inside links,
headings, code, diagrams and existing ``abbr``/``script`` elements is left alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator import escape

_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>", re.S)
_SKIP = frozenset({"a", "abbr", "code", "pre", "script", "style", "svg", "textarea",
                   "title", "h1", "h2", "h3", "h4", "h5", "h6", "button", "select",
                   "option", "kbd", "math"})


@dataclass(frozen=True, slots=True)
class Tip:
    text: str
    """The words as they appear in the page (the term or one of its aliases)."""
    title: str
    """What the tooltip says."""


class Tooltips:
    def __init__(self, tips: Iterable[Tip]) -> None:
        by_text: dict[str, str] = {}
        for tip in tips:
            if tip.text.strip():
                # The page's text nodes are HTML-escaped: match the escaped form.
                by_text.setdefault(html.escape(tip.text, quote=False), tip.title)
        self._titles = by_text
        words = sorted(by_text, key=len, reverse=True)  # longest first: 一级分行 before 分行
        self._pattern = re.compile("|".join(map(re.escape, words))) if words else None

    def apply(self, page_html: str) -> str:
        """``page_html`` with the first occurrence of each term (outside skipped elements)
        wrapped in ``<abbr title=...>``. Only the first: a page where every other word is
        underlined is hard to read."""
        if self._pattern is None:
            return page_html
        seen: set[str] = set()

        def wrap(m: re.Match[str]) -> str:
            word = m.group(0)
            title = self._titles[word]
            if title in seen:
                return word
            seen.add(title)
            return f'<abbr title="{escape.tooltip(title)}">{word}</abbr>'

        def mark(text: str) -> str:
            return self._pattern.sub(wrap, text) if text and self._pattern else text

        out: list[str] = []
        skip_depth = 0
        pos = 0
        for m in _TAG.finditer(page_html):
            if skip_depth == 0:
                out.append(mark(page_html[pos:m.start()]))
            else:
                out.append(page_html[pos:m.start()])
            out.append(m.group(0))
            pos = m.end()
            name = (m.group(2) or "").lower()
            if name in _SKIP and not m.group(3):
                skip_depth += -1 if m.group(1) else 1
                skip_depth = max(skip_depth, 0)
        tail = page_html[pos:]
        out.append(mark(tail) if skip_depth == 0 else tail)
        return "".join(out)
