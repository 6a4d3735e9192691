"""Glossary terms as tooltips wherever they appear in a page's text.

:class:`MarkdownTooltips` marks them in the generated Markdown, before any engine
reads it (``policybook build`` and the mkdocs plugin both do), so mkdocs and Zensical
show the same ``<abbr title=…>`` tooltips, which Material's ``content.tooltips``
styles. :class:`Tooltips` does the same on rendered HTML. Python-Markdown's ``abbr``
extension cannot do this for Chinese: it matches at ``\\b`` word boundaries, and
there are none between Han characters. Text inside links, headings, code, diagrams
and existing ``abbr``/``script`` elements is left alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any
from dataclasses import dataclass
from functools import cached_property

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


# --- in the Markdown, for any engine ------------------------------------------------------
#
# The generated pages are Markdown that mkdocs and Zensical both render (Python-Markdown
# in both). Marking the terms there, as inline ``<abbr title=…>`` HTML that both pass
# through, gives both engines the same tooltips without post-processing their HTML.
# What must stay untouched in Markdown: fenced blocks (Mermaid), headings, admonition
# title lines, code spans, links and images, attribute lists, HTML tags and comments,
# entities, and the content of the elements skipped above.

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_PROTECTED_LINE = re.compile(r"^[ \t]*(?:#{1,6}(?:[ \t]|$)|!!!|\?\?\?)")
_INLINE_TOKEN = re.compile(
    r"<!--.*?-->"                                   # an HTML comment
    r"|(?<!\\)(`+).*?(?<!`)\1(?!`)"                 # a code span
    r"|(?<!\\)!?\[(?:\\.|[^\]\\])*\]\([^)\n]*\)"    # a link or an image, whole
    r"|(?<!\\)\{[:#.][^}\n]*\}"                     # an attribute list
    r"|<https?://[^>\s]*>"                          # an autolink
    r"|<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(?P<empty>/?)>"  # a tag
    r"|&(?:#\d+|#x[0-9a-fA-F]+|\w+);", re.S)        # an entity


def _markdown_forms(word: str) -> set[str]:
    """How ``word`` reads in the generated Markdown (escaped as the pages escape text)."""
    forms = {escape.markdown_inline(word)}
    inside = escape.markdown_inline("\u4e00" + word)[1:]  # not at the start of a line
    forms.add(inside)
    return {f for f in forms if f}


def longest_first(words: Iterable[str]) -> str:
    """A pattern that matches any of ``words``, the longest one where several start at
    the same place, as the alternation of the words longest first does, written as
    their trie (``一级(?:分行|支行)?``): tried a character at a time rather than a word
    at a time, which on a glossary of hundreds of terms is many times faster."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if "" in node else group  # greedy: the longer word first

    return pattern(trie)


class MarkdownTooltips:
    """:class:`Tooltips` for the generated Markdown: the first occurrence of each term
    on a page, outside what Markdown or the skipped elements make special, wrapped in
    ``<abbr title=...>``. The text is matched in its escaped form, as the page has it.

    ``remember``: keep how each block (the lines up to a blank line) of a page of at
    least :data:`MEMO_CHARS` characters was marked, with the state it was marked in (the
    terms marked before it on the page, an open fence or skipped element), so that
    marking the page again after an edit to one of its blocks marks only the blocks
    whose text or state changed (``policybook serve``, where one instance is kept
    while the glossary stays the same)."""

    MEMO_CHARS = 100_000
    MEMO_BLOCKS = 200_000
    """Blocks remembered at most (then forgotten all at once)."""

    def __init__(self, tips: Iterable[Tip], *, remember: bool = False) -> None:
        by_text: dict[str, str] = {}
        for tip in tips:
            if tip.text.strip():
                for form in sorted(_markdown_forms(tip.text)):
                    by_text.setdefault(form, tip.title)
        self._titles = by_text
        self.key = "\n".join(f"{w}\t{t}" for w, t in sorted(by_text.items()))
        """Equal for two instances that mark alike."""
        self._memo: dict[tuple[str, str | None, int, frozenset[str]],
                         tuple[str, str | None, int, tuple[str, ...]]] | None = (
            {} if remember else None)

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        return re.compile(longest_first(self._titles)) if self._titles else None

    def apply(self, markdown: str) -> str:
        if self._pattern is None:
            return markdown
        memo = self._memo if len(markdown) >= self.MEMO_CHARS else None
        if memo is None:
            return self._block(markdown, None, 0, set())[0]
        if len(memo) > self.MEMO_BLOCKS:
            memo.clear()
        seen: frozenset[str] = frozenset()
        fence: str | None = None
        skip_depth = 0
        out: list[str] = []
        for block in _BLOCK.findall(markdown):
            key = (block, fence, skip_depth, seen)
            found = memo.get(key)
            if found is None:
                added: set[str] = set()
                text, fence_after, depth_after = self._block(block, fence, skip_depth,
                                                             added, seen)
                found = memo[key] = (text, fence_after, depth_after, tuple(sorted(added)))
            text, fence, skip_depth, added_titles = found
            out.append(text)
            if added_titles:
                seen = seen.union(added_titles)
        return "".join(out)

    def _block(self, markdown: str, fence: str | None, skip_depth: int, seen: set[str],
               before: frozenset[str] = frozenset()) -> tuple[str, str | None, int]:
        """``markdown`` marked, from an open ``fence`` and ``skip_depth`` skipped elements,
        the titles marked before it in ``before`` (and, added as they are, ``seen``);
        returns it with the fence and depth after it."""
        out: list[str] = []
        pattern = self._pattern
        assert pattern is not None

        def wrap(m: re.Match[str]) -> str:
            word = m.group(0)
            title = self._titles[word]
            if title in seen or title in before:
                return word
            seen.add(title)
            return f'<abbr title="{escape.tooltip(title)}">{word}</abbr>'

        for line in markdown.splitlines(keepends=True):
            opener = _FENCE.match(line)
            if fence is not None:
                if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                    fence = None
                out.append(line)
                continue
            if opener:
                fence = opener.group(1)
                out.append(line)
                continue
            if _PROTECTED_LINE.match(line):
                out.append(line)
                continue
            pos = 0
            for m in _INLINE_TOKEN.finditer(line):
                text = line[pos:m.start()]
                out.append(pattern.sub(wrap, text) if skip_depth == 0 else text)
                out.append(m.group(0))
                pos = m.end()
                name = (m.group("name") or "").lower()
                if name in _SKIP and not m.group("empty"):
                    skip_depth = max(skip_depth + (-1 if m.group("close") else 1), 0)
            tail = line[pos:]
            out.append(pattern.sub(wrap, tail) if skip_depth == 0 else tail)
        return "".join(out), fence, skip_depth


_BLOCK = re.compile(r".*?(?:\n[ \t]*\n|\Z)", re.S)
"""A block of Markdown: its lines up to and including the next blank one."""
