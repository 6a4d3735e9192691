"""Safe Markdown from policy text.

Policy text is data, never markup: every string from the YAML is escaped for
HTML (``<script>`` shows as text) and for Markdown (``*``, ``[`` and ``|`` stay
characters) by the functions of :mod:`generator.escape`. Only values wrapped in
:class:`Markup` (built here from escaped parts) are inserted as they are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from markupsafe import Markup

from generator import escape
from generator.model import Provenance
from generator.model.sources import Source

__all__ = ["Markup", "attr", "badge", "tip", "code", "code_path", "fence", "md", "md_block", "numeral"]

_SPACE = re.compile(r"\s+")
# Characters Python-Markdown lets a backslash escape (tables add "|"); code() writes them
# as entities, since a code span cannot hold a backslash escape.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md(text: object) -> str:
    """One line of literal text for any Markdown context (paragraph, list item,
    table cell, heading): HTML and Markdown escaped, line breaks folded."""
    return escape.markdown_inline(text)


def md_block(text: object) -> Markup:
    """Literal text that may hold paragraphs (blank lines) of its own."""
    paragraphs = [p for p in re.split(r"\n\s*\n", str(text)) if p.strip()]
    return Markup("\n\n".join(md(p) for p in paragraphs))


def code(text: object) -> Markup:
    """Literal text in a code span. Written as HTML with every Markdown-special character
    as an entity: a Markdown code span cannot hold a backslash escape."""
    s = html.escape(_SPACE.sub(" ", escape.clean(text)).strip(), quote=False)
    s = _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(1))};", s)
    return Markup(f"<code>{s}</code>")


def fence(text: object, lang: str = "") -> Markup:
    """Literal text as a fenced code block. The fence is longer than any run of backticks
    in the text, so nothing in it can close the block early; the Markdown processor
    escapes HTML inside the block."""
    body = escape.clean(text).rstrip("\n")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    ticks = "`" * max(3, longest + 1)
    return Markup(f"{ticks}{_NOT_LANG.sub('', lang)}\n{body}\n{ticks}")


_NOT_LANG = re.compile(r"[^A-Za-z0-9_+-]")


def code_path(text: object) -> Markup:
    """A YAML path (``steps[].outcomes[].next``) in a code span that may wrap after each
    ``.``: long paths otherwise widen a table column past the page."""
    return Markup(str(code(text)).replace("&#46;", "&#46;<wbr>"))


def attr(text: object) -> str:
    """A value for an HTML attribute written inside Markdown (see
    :func:`generator.escape.html_attr`: no Markdown rule can match inside it)."""
    return escape.html_attr(text)


def tip(text: object) -> str:
    """The value of a ``title`` the theme shows as a tooltip (see
    :func:`generator.escape.tooltip`: the theme reads it as HTML)."""
    return escape.tooltip(text)


def badge(prov: Provenance, sources: Sequence[Source] = ()) -> Markup:
    """The provenance badge: 出处 with its citation (the tip names the source and quotes
    it), or 起草 with the reviewer's note."""
    if prov.drafted:
        tip = "起草内容，待审定" + (f"：{prov.note}" if prov.note else "")
        if prov.based_on:
            tip += f"（依据 {prov.based_on}）"
        return Markup(f'<span class="pb-prov pb-drafted" title="{escape.tooltip(tip)}">起草</span>')
    source = next((s for s in sources if s.id == prov.source), None) if prov.source else (
        sources[0] if sources else None)
    title = f"《{source.title.strip('《》')}》" if source else ""
    tip = f"引自{title}{prov.citation}" + (f"：{prov.quote}" if prov.quote else "")
    label = f"出处 {prov.citation}" if prov.citation else "出处"
    return Markup(f'<span class="pb-prov pb-sourced" title="{escape.tooltip(tip)}">{md(label)}</span>')


_DIGITS = "零一二三四五六七八九"


def numeral(n: int) -> str:
    """A count as Chinese prose writes it before a measure word: 两个, 五个, 十二个;
    from 100 on, in digits."""
    if n == 2:
        return "两"
    if not 0 <= n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if not tens:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def split_front_matter(markdown: str) -> tuple[str, str]:
    """(front matter with its closing ``---`` line, the rest) of a page's Markdown; the
    engines read a page's metadata only at its very start, so what is added under a
    page's title goes after it."""
    if markdown.startswith("---\n") and "\n---\n" in markdown[3:]:
        end = markdown.index("\n---\n", 3) + 5
        return markdown[:end], markdown[end:].lstrip("\n")
    return "", markdown
