"""Render a typed page context with its Jinja template into Markdown."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import fields
from pathlib import Path

import jinja2

from generator.site.contexts import PageContext
from generator.prose import prose
from generator.site.markup import Markup, code, code_path, fence, md, md_block, numeral
from generator.site.wording import result, secondary

TEMPLATES = Path(__file__).parent / "templates"
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")


_TEXT: ContextVar[Callable[[str], str]] = ContextVar("policy_text", default=str)
"""The page's :attr:`PageContext.text`, while :func:`render` renders it."""


def _finalize(value: object) -> object:
    """Every ``{{ value }}`` is escaped unless it is Markup built from escaped parts.
    Policy text has its ``{{ parameter }}`` references replaced first, wherever the
    template prints it (a title, a label), not only where it asks for ``text()``."""
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, str):
        value = _TEXT.get()(value)
    return md(value)


def html_id(value: object) -> Markup:
    """An element id for an anchor (ids are ``[A-Za-z0-9_-]`` by schema; others are folded)."""
    return Markup(_NOT_ID.sub("-", str(value)))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        # Markdown heading ids are written {#id}: Jinja comments get other delimiters.
        comment_start_string="<#--",
        comment_end_string="--#>",
    )
    env.filters["block"] = md_block
    env.filters["id"] = html_id
    env.filters["numeral"] = numeral
    env.filters["code"] = code
    env.filters["fence"] = fence
    env.filters["path"] = code_path
    env.filters["secondary"] = secondary
    env.filters["result"] = result
    env.filters["prose"] = prose
    return env


_ENV = _environment()


def render(context: PageContext) -> str:
    """The page's Markdown. Only the context's declared fields reach the template."""
    template = _ENV.get_template(context.TEMPLATE)
    token = _TEXT.set(context.text)
    try:
        return template.render({f.name: getattr(context, f.name) for f in fields(context)})
    finally:
        _TEXT.reset(token)
