"""Where a printed document points back to: the step's page on the handbook site.

The site's layout comes from :mod:`generator.addresses` (step pages, and PDFs
published at ``print/<kind>/<id>.pdf``) and its URL settings from mkdocs.yml
(:mod:`generator.files.siteconfig`). Without a known site URL, a PDF opened from
the site links relatively, e.g. to ``../../steps/<id>/``. A QR code is printed
only for an absolute URL: a phone cannot follow a relative one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import segno
from markupsafe import Markup

from generator.addresses import PDF_KINDS, page_url, pdf_path, root_from, step_address
from generator.files.siteconfig import read_site_settings

SITE_URL_ENV = "POLICYBOOK_SITE_URL"
FROM_PDF = root_from(pdf_path(PDF_KINDS[0], "id"))
"""From ``print/<kind>/<id>.pdf`` back to the site's root (every kind is as deep)."""


def site_url_from_mkdocs(config: Path) -> str:
    """``site_url`` of an mkdocs.yml ("" when it has none)."""
    return read_site_settings(config).site_url


def choose_site_url(explicit: str | None, configured: str) -> str:
    """The argument, else $POLICYBOOK_SITE_URL, else mkdocs.yml's ``site_url``, else ""
    (links relative to where the site publishes the PDFs); ending in ``/``."""
    for candidate in (explicit, os.environ.get(SITE_URL_ENV), configured):
        if candidate:
            return candidate if candidate.endswith("/") else candidate + "/"
    return ""


def resolve_site_url(explicit: str | None = None, config: Path = Path("mkdocs.yml")) -> str:
    """The site's base URL: see :func:`choose_site_url`, with ``config``'s ``site_url``."""
    return choose_site_url(explicit, site_url_from_mkdocs(config))


@dataclass(frozen=True, slots=True)
class StepLink:
    url: str
    qr: Markup
    """Inline SVG, or empty when the URL is relative."""

    @property
    def shown(self) -> str:
        """The URL as printed under the QR code (without the scheme)."""
        return re.sub(r"^https?://", "", self.url)


class Links:
    def __init__(self, site_url: str, *, directory_urls: bool = True) -> None:
        self.site_url = site_url
        self.directory_urls = directory_urls

    @classmethod
    def for_site(cls, site_url: str | None = None,
                 config: Path = Path("mkdocs.yml"), section: str = "") -> Links:
        """Links to the site that ``config`` (mkdocs.yml) describes; ``section``: where
        the pack's pages are in it (``<folder>/`` in a library of packs)."""
        settings = read_site_settings(config)
        base = choose_site_url(site_url, settings.site_url)
        return cls(base + section if base else "", directory_urls=settings.directory_urls)

    @property
    def absolute(self) -> bool:
        return bool(re.match(r"^[a-z][a-z0-9+.-]*://", self.site_url))

    def step(self, step_id: str) -> StepLink:
        path = page_url(step_address(step_id).src, directory_urls=self.directory_urls)
        if not self.absolute:
            return StepLink(FROM_PDF + path, Markup(""))
        url = self.site_url + path
        qr = segno.make(url, error="m", micro=False)
        svg = qr.svg_inline(border=0, dark="#1f2933", omitsize=True, svgclass="qr")
        return StepLink(url, Markup(svg))
