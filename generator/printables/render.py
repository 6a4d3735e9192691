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
compact spacing, which is kept when it saves that page …"""
SHRINK = 0.18
"""… when it is likely to: the share of the height compact spacing saves, at least."""


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


FORCED = ("page", "left", "right", "recto", "verso")


def _boxes(box: Any) -> Any:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def page_fill(page_box: Any, seen: set[int]) -> tuple[float, float, bool]:
    """How far down its body a page's content reaches (0 to 1), how much of that is
    flow diagrams (which compact spacing cannot shrink), and whether an element that
    starts on it (not in ``seen``, the elements of the pages before, which this adds
    to) starts with a forced page break. A box split across pages has the style of
    its element on every page, so the break belongs to its first page only."""
    root = page_box.children[0]  # the html element's box; the margin boxes follow
    top: float = page_box.content_box_y()
    height: float = page_box.height
    bottom, forced = top, False
    diagrams: dict[int, float] = {}  # a diagram's element → its height (anonymous
    here: set[int] = set()           # boxes inside it share the element)
    for box in _boxes(root):
        bottom = max(bottom, box.position_y + box.margin_height())
        element = getattr(box, "element", None)
        if element is not None and box is not root:
            if "diagram" in (element.get("class") or "").split():
                diagrams[id(element)] = max(diagrams.get(id(element), 0.0),
                                            box.margin_height())
            if id(element) not in seen:
                forced |= box.style["break_before"] in FORCED
            here.add(id(element))
    seen |= here
    return max(0.0, (bottom - top) / height), sum(diagrams.values()) / height, forced


def page_fills(document: weasyprint.Document) -> list[tuple[float, float, bool]]:
    """:func:`page_fill` of each page of ``document``, in order."""
    seen: set[int] = set()
    return [page_fill(page._page_box, seen) for page in document.pages]


def last_page_fill(document: weasyprint.Document) -> float:
    """How far down its body the last page's content reaches, from 0 to 1."""
    return page_fills(document)[-1][0]


def wasted_last_page(document: weasyprint.Document) -> bool:
    """Whether the last page is nearly empty and the compact spacing, which takes
    10–30% off the height of what is not a diagram, is likely to pull it onto the
    page before. Only what follows the last forced break can move up (the self-test's
    answer key starts on a page of its own), and a last page that itself starts with
    one (the bank's copy) never can: each layout costs about half a PDF, so a retry
    that cannot save the page is not tried."""
    if len(document.pages) < 2:
        return False
    fills = page_fills(document)
    last, _, forced = fills[-1]
    if forced or last >= RETRY_BELOW:
        return False
    start = max((i for i, (_, _, f) in enumerate(fills) if f), default=0)
    shrinkable = sum(fill - diagram for fill, diagram, _ in fills[start:])
    return last < SHRINK * shrinkable


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


def short_widths(widths: list[Any]) -> list[Any]:
    """A CID font's ``/W`` (``first [w w …] first [w …] …``, as WeasyPrint writes it)
    with each run of three or more equal widths written ``first last w`` (PDF 32000
    §9.7.4.3): the same widths, in far fewer numbers for a form's field font, whose
    65,000 glyph widths pypdf would otherwise parse and copy for every form."""
    import pydyf

    pairs = [(first + n, w) for first, run in zip(widths[::2], widths[1::2], strict=True)
             for n, w in enumerate(run)]
    out: list[Any] = pydyf.Array()
    single: list[Any] | None = None
    i = 0
    while i < len(pairs):
        cid, width = pairs[i]
        j = i
        while j + 1 < len(pairs) and pairs[j + 1] == (pairs[j][0] + 1, width):
            j += 1
        if j - i >= 2:
            out.extend((cid, pairs[j][0], width))
            single = None
        else:
            for k in range(i, j + 1):
                if single is None or pairs[k][0] != pairs[k - 1][0] + 1:
                    single = pydyf.Array()
                    out.extend((pairs[k][0], single))
                single.append(pairs[k][1])
        i = j + 1
    return out if len(out) + sum(len(x) for x in out if isinstance(x, list)) < \
        len(widths) + sum(len(x) for x in widths[1::2]) else widths


def _short_font_widths(_document: Any, pdf: Any) -> None:
    for obj in pdf.objects:
        if isinstance(obj, dict) and isinstance(obj.get("W"), list):
            obj["W"] = short_widths(obj["W"])


def write_pdf(job: Job) -> str:
    """Render ``job.html`` to ``job.target`` (a form's fields made correct for every
    viewer); MissingGlyphs if any glyph is missing."""
    with NotdefGuard(job.name):
        document = layout(job.html, job.fillable)
        pdf = document.write_pdf(finisher=_short_font_widths if job.fillable else None)
    assert pdf is not None
    if job.fillable:
        pdf = finish_form(pdf, job.combs)
    Path(job.target).write_bytes(pdf)
    return job.target
