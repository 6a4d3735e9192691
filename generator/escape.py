"""Policy text in every output, one function per context.

Policy files are written by many people; everything policybook writes (handbook pages,
PDFs, the trace, the diff, CI annotations) treats their text as data. Each output
context has its own function here, and only these functions put policy text into an
output:

=====================  =========================================================
:func:`html_text`      HTML element content (``<td>…</td>``)
:func:`html_attr`      an HTML attribute value, also inside Markdown
:func:`tooltip`        a ``title="…"`` the theme shows as a tooltip (read as HTML)
:func:`markdown_inline`  a line of Markdown (paragraph, list item, heading)
:func:`markdown_table_cell`  a cell of a Markdown table
:func:`markdown_code`  a GitHub-flavoured Markdown code span
:func:`github_markdown` / :func:`github_table_cell`  Markdown that GitHub shows
                       (``COVERAGE.md``, the pull-request comment): no autolinks
:func:`mermaid_label`  a quoted Mermaid label or click tooltip
:func:`csv_cell`       a CSV cell that a spreadsheet opens
:func:`css_string`     a CSS string literal (``@page`` margin boxes of the PDFs)
:func:`url`            a link target
:func:`github_message` / :func:`github_property`  a GitHub Actions workflow command
=====================  =========================================================

Every function first passes the text through :func:`clean`: characters that are not
allowed in policy text (control characters, bidirectional overrides, line separators;
``check`` reports them as ``text.bad-character``) become U+FFFD, so that output built
from a pack that was never checked still cannot reorder or hide what a reader sees.
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import quote, urlsplit

__all__ = [
    "FORBIDDEN",
    "clean",
    "css_string",
    "csv_cell",
    "github_markdown",
    "github_message",
    "github_property",
    "github_table_cell",
    "html_attr",
    "html_text",
    "markdown_code",
    "markdown_inline",
    "markdown_table_cell",
    "mermaid_label",
    "url",
]

FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"   # C0 (but tab and newline) and C1 controls, DEL
    "\u2028\u2029"                   # line and paragraph separators
    "\u202a-\u202e\u2066-\u2069"     # bidirectional embeddings, overrides and isolates
    "\ud800-\udfff]")                # unpaired surrogates (paired ones never reach a str)
"""Characters no policy text may hold, in any output (see :mod:`generator.textchars`,
which also rejects private-use characters: those are only unreadable, not deceptive)."""

_REPLACEMENT = "\ufffd"
_SPACE = re.compile(r"\s+")


def clean(text: object) -> str:
    """``text`` as a string, with every :data:`FORBIDDEN` character replaced by U+FFFD."""
    return FORBIDDEN.sub(_REPLACEMENT, str(text))


def _line(text: object) -> str:
    return _SPACE.sub(" ", clean(text)).strip()


# --- HTML ------------------------------------------------------------------------------------


def html_text(text: object) -> str:
    """Text as HTML element content: ``&``, ``<``, ``>`` and both quotes as entities."""
    return html.escape(clean(text), quote=True)


# Every ASCII character but letters, digits and the space: Markdown, its extensions
# (attribute lists, tables, abbreviations) and HTML give each of them some meaning.
_NOT_PLAIN = re.compile(r"[^A-Za-z0-9 \u0080-\U0010ffff]")


def html_attr(text: object) -> str:
    """A value for a double-quoted HTML attribute, also when the attribute is raw HTML
    inside Markdown (the handbook's badges and tooltips).

    Escaping ``"`` is not enough there: Markdown processes links, code spans and
    emphasis before it sets raw HTML aside, so a ``[x](…)`` inside the value would
    become an ``<a>`` tag with real quotes. Every ASCII punctuation character is
    therefore written as a numeric entity, which no Markdown rule matches and the
    browser turns back into the character. Line breaks fold into spaces.
    """
    return _NOT_PLAIN.sub(lambda m: f"&#{ord(m.group(0))};", _line(text))


def tooltip(text: object) -> str:
    """The value of a ``title`` attribute that the theme shows as a tooltip.

    Material's ``content.tooltips`` moves the title into a tooltip element with
    ``innerHTML``: the attribute's value, once the browser has decoded it, is HTML.
    So the text is escaped for HTML first and the result written as an attribute
    (:func:`html_attr`): ``<svg onload=…>`` reaches the tooltip as ``&lt;svg…``, text.
    (Quotes need no escaping in element content, and stay readable.)"""
    return html_attr(html.escape(clean(text), quote=False))


# --- Markdown --------------------------------------------------------------------------------

# A backslash makes these literal anywhere in a line (Python-Markdown and CommonMark).
# Brackets are escaped, so no link or image can start; parentheses and "!" are then
# harmless. "{" is escaped so that no attribute list ({#id}, {: .x}) can start.
# An "_" between two word characters (check_identity) can neither open nor close emphasis
# in either flavour, and stays as it is.
_INLINE = re.compile(r"([\\`*{}\[\]|]|(?<!\w)_|_(?!\w))")
# Block Markdown: only at the start of a line (the start of the text: lines are folded).
# (A number is a list marker only when a space or the end follows: 1.0.0 is not one.)
_BLOCK_START = re.compile(r"^(?:([#+-])|(\d+)(?=[.)](?:\s|$)))")
# "~" (GitHub's strikethrough): Python-Markdown has no backslash escape for it, so it
# is an entity, which every flavour reads.
_ENTITY = re.compile(r"~")


def markdown_inline(text: object) -> str:
    """One line of literal text for any Markdown context (paragraph, list item,
    heading, table cell), in the handbook (Python-Markdown) and on GitHub: HTML and
    Markdown escaped, line breaks folded."""
    # A string's escape is kept: a large page writes the same titles thousands of times.
    return _markdown_inline(text) if type(text) is str else _markdown_inline.__wrapped__(text)


@functools.lru_cache(maxsize=1 << 16)
def _markdown_inline(text: object) -> str:
    s = _line(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _INLINE.sub(r"\\\1", s)
    s = _ENTITY.sub(lambda m: f"&#{ord(m.group(0))};", s)
    # A heading (#), a list (-, +, "1." or "1)") or a rule (---) can only start a line.
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\", s)


def markdown_table_cell(text: object) -> str:
    """Literal text in a Markdown table cell: as :func:`markdown_inline` (which escapes
    ``|``, so the text cannot end the cell), or ``—`` for an empty cell."""
    return markdown_inline(text) or "—"


def markdown_code(text: object) -> str:
    """Literal text as a GitHub-flavoured Markdown code span (ids, paths): the fence is
    longer than any run of backticks in the text; ``|`` is escaped, which GitHub reads
    as a literal bar inside a table and as itself elsewhere."""
    s = _line(text).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", s)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{ticks}{pad}{s}{pad}{ticks}"


# GitHub turns bare text into links and notifications after Markdown has run, on the
# rendered text: URLs (scheme://, www.), e-mail addresses, @mentions (which notify the
# person or team), #123 / GH-123 issue references and commit ids (7 to 40 hex digits).
# A zero-width space (as an entity: visible in the source) after the trigger breaks
# each pattern and shows nothing (a hex run is cut every six digits, as GitHub reads
# the zero-width space as a word boundary). "#" in an entity the escaping wrote
# (&#126;) is kept.
_ZWSP = "&#8203;"
_COMMIT = re.compile(r"(?<![0-9A-Za-z&#])[0-9A-Fa-f]{7,}(?![0-9A-Za-z])")
_AUTOLINK = re.compile(r"(@|(?<!&)#|:(?=//)|(?i:www)(?=\.)|(?i:gh-)(?=\d))")


def github_markdown(text: object) -> str:
    """One line of literal text in Markdown that GitHub renders (a repository file
    such as ``COVERAGE.md``, a pull-request comment, a job summary): as
    :func:`markdown_inline`, and nothing in it becomes a link, a mention or a
    reference (bare URLs, ``www.``, e-mail addresses, ``@name``, ``#123``, ``GH-1``,
    commit ids). Repository-specific autolink prefixes (``JIRA-1``) are not known here."""
    s = _COMMIT.sub(_short_runs, markdown_inline(text))
    return _AUTOLINK.sub(lambda m: m.group(1) + _ZWSP, s)


def _short_runs(match: re.Match[str]) -> str:
    """A run of hex digits cut into pieces of six, too short for a commit id."""
    run = match.group(0)
    return _ZWSP.join(run[i:i + 6] for i in range(0, len(run), 6))


def github_table_cell(text: object) -> str:
    """A table cell of GitHub Markdown: :func:`github_markdown`, or ``—`` when empty."""
    return github_markdown(text) or "—"


# --- Mermaid ---------------------------------------------------------------------------------

# Characters that could close a label, start a directive (%%{init}%%), a comment (%%),
# markup, or a new statement; each becomes a Mermaid entity code (#34;).
_MERMAID_UNSAFE = frozenset("#\"&<>`|;\\[]{}%")


def mermaid_label(text: object) -> str:
    """Policy text as a quoted Mermaid label or click tooltip: no character can close
    the label, start markup or a directive, or begin another statement."""
    return "".join(f"#{ord(ch)};" if ch in _MERMAID_UNSAFE else ch for ch in _line(text))


# --- CSV -------------------------------------------------------------------------------------

# A cell starting with one of these is a formula in Excel, WPS and LibreOffice
# (full-width forms included: some spreadsheets normalise them).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> str:
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a
    leading apostrophe (OWASP's advice: the spreadsheet shows the text as it is)."""
    s = clean(value)
    return "'" + s if s.startswith(_FORMULA_START) else s


# --- CSS ----------------------------------------------------------------------------------


def css_string(text: object) -> str:
    """A double-quoted CSS string literal, safe inside ``<style>``: quotes and
    backslashes escaped, ``<`` written as ``\\3C`` (no ``</style>``), line breaks folded
    (a CSS string cannot hold one). ``url(…)`` inside a string is only text."""
    s = _line(text).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
    return f'"{s}"'


# --- URLs ------------------------------------------------------------------------------------

_SCHEMES = ("", "http", "https", "mailto")


def url(target: object) -> str:
    """A link target: relative, or http(s)/mailto; anything else (``javascript:``,
    ``data:``) becomes ``#``. Characters that could end an attribute or a Markdown link
    are percent-encoded."""
    s = clean(target).strip()
    if any(ch in s for ch in "\t\n\r"):  # browsers drop them: "java\tscript:" runs
        return "#"
    try:
        scheme = urlsplit(s).scheme.lower()
    except ValueError:
        return "#"
    if scheme not in _SCHEMES:
        return "#"
    return quote(s, safe="/#?&=;:@%+,.~!$*-_")


# --- GitHub workflow commands ----------------------------------------------------------------


def github_message(text: object) -> str:
    """The message of a workflow command (``::error …::message``): ``%`` and line
    breaks encoded, so a message cannot end its command or start another."""
    return clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: object) -> str:
    """A property value of a workflow command (``file=…,title=…``): as a message, and
    ``:`` and ``,`` encoded, so the value cannot end the property list."""
    return github_message(text).replace(":", "%3A").replace(",", "%2C")
