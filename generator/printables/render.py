"""Typed context → HTML (Jinja) → PDF (WeasyPrint).

HTML is rendered in the main process (cheap); :func:`write_pdf` is what the worker
processes run. Each job carries its HTML and where to write it, so workers need
neither the model nor the templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from generator import escape
from generator.printables.acroform import finish_form
from generator.printables.fonts import FIELD_FAMILY, NotdefGuard
from generator.printables.views import Printable

if TYPE_CHECKING:
    import weasyprint

RETRY_BELOW = 0.42
"""A last page filled less than this (of its body's height) is laid out again in the
compact spacing, which is kept when it saves that page."""


def css_string(value: object) -> Markup:
    """A CSS string literal (for @page margin-box ``content``), safe inside <style>."""
    return Markup(escape.css_string(value))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.printables", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["css_string"] = css_string
    return env


@cache
def stylesheet(name: str = "print.css") -> str:
    return files("generator.printables").joinpath(f"templates/{name}").read_text("utf-8")


def field_font_face(font: Path) -> str:
    return (f'@font-face {{ font-family: "{FIELD_FAMILY}"; '
            f'src: url("{font.resolve().as_uri()}"); }}\n')


def render_html(printable: Printable, field_font: Path | None) -> str:
    css = stylesheet()
    if printable.fillable and field_font is not None:
        css = field_font_face(field_font) + css
    template = environment().get_template(printable.template)
    return template.render(doc=printable.doc, css=Markup(css))


@dataclass(frozen=True, slots=True)
class Job:
    """One PDF to write: picklable, so it can go to a worker process."""

    name: str
    """For messages: e.g. ``forms/application.pdf``."""
    html: str
    target: str
    fillable: bool
    combs: tuple[str, ...] = ()
    """Text fields to divide into cells (:func:`~generator.printables.acroform.finish_form`)."""


def last_page_fill(document: weasyprint.Document) -> float:
    """How far down its body the last page's content reaches, from 0 to 1."""
    page = document.pages[-1]._page_box
    root = page.children[0]  # the html element's box; the margin boxes follow

    def bottom(box: Any) -> float:
        end: float = box.position_y + box.margin_height()
        for child in getattr(box, "children", ()):
            end = max(end, bottom(child))
        return end

    top: float = page.content_box_y()
    height: float = page.height
    return max(0.0, (bottom(root) - top) / height)


def wasted_last_page(document: weasyprint.Document) -> bool:
    """Whether the last page is nearly empty, so the compact spacing (10–30% less
    height) may pull it onto the page before."""
    pages = len(document.pages)
    return pages > 1 and last_page_fill(document) < RETRY_BELOW


def compact(html: str) -> str:
    """``html`` with the tighter spacing of compact.css after its own styles."""
    head, end, rest = html.partition("</head>")
    return f"{head}<style>\n{stylesheet('compact.css')}</style>\n{end}{rest}"


def layout(html: str, forms: bool = False) -> weasyprint.Document:
    """``html`` laid out into pages; in the compact spacing when that ends the document
    on fewer pages (no nearly empty last page)."""
    import weasyprint

    # No base URL: a relative link stays relative (WeasyPrint would resolve it
    # against the output folder and print a file:// path of the build machine).
    document = weasyprint.HTML(string=html, base_url=None).render(pdf_forms=forms)
    if wasted_last_page(document):
        tight = weasyprint.HTML(string=compact(html), base_url=None).render(pdf_forms=forms)
        if len(tight.pages) < len(document.pages):
            return tight
    return document


def write_pdf(job: Job) -> str:
    """Render ``job.html`` to ``job.target`` (a form's fields made correct for every
    viewer); MissingGlyphs if any glyph is missing."""
    with NotdefGuard(job.name):
        pdf = layout(job.html, job.fillable).write_pdf()
    assert pdf is not None
    if job.fillable:
        pdf = finish_form(pdf, job.combs)
    Path(job.target).write_bytes(pdf)
    return job.target
