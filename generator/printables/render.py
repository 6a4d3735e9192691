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

import jinja2
from markupsafe import Markup

from generator import escape
from generator.printables.acroform import finish_form
from generator.printables.fonts import FIELD_FAMILY, NotdefGuard
from generator.printables.views import Printable


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
def stylesheet() -> str:
    return files("generator.printables").joinpath("templates/print.css").read_text("utf-8")


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


def write_pdf(job: Job) -> str:
    """Render ``job.html`` to ``job.target`` (a form's fields made correct for every
    viewer); BuildError if any glyph is missing."""
    import weasyprint

    with NotdefGuard(job.name):
        # No base URL: a relative link stays relative (WeasyPrint would resolve it
        # against the output folder and print a file:// path of the build machine).
        document = weasyprint.HTML(string=job.html, base_url=None)
        pdf = document.write_pdf(pdf_forms=job.fillable)
    assert pdf is not None
    if job.fillable:
        pdf = finish_form(pdf, job.combs)
    Path(job.target).write_bytes(pdf)
    return job.target
