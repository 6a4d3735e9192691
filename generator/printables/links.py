"""Where a printed document points back to: the step's page on the handbook site.

The site publishes step pages at ``steps/<step id>/`` and the PDFs at
``print/<kind>/<id>.pdf`` (generator/site/links.py), so without a known site URL
a PDF opened from the site links to ``../../steps/<id>/``. A QR code is printed
only for an absolute URL: a phone cannot follow a relative one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import segno
from markupsafe import Markup

SITE_URL_ENV = "POLICYBOOK_SITE_URL"
STEP_PAGE = "steps/{id}/"
FROM_PDF = "../../"
"""From ``print/<kind>/<id>.pdf`` back to the site's root."""


def site_url_from_mkdocs(config: Path) -> str:
    """``site_url`` of an mkdocs.yml, read without executing its custom tags."""
    try:
        text = config.read_text(encoding="utf-8")
    except OSError:
        return ""
    match = re.search(r"^site_url:\s*['\"]?([^'\"#\s]+)", text, re.MULTILINE)
    return match.group(1) if match else ""


def resolve_site_url(explicit: str | None = None, config: Path = Path("mkdocs.yml")) -> str:
    """The site's base URL: the argument, else $POLICYBOOK_SITE_URL, else mkdocs.yml's
    ``site_url``, else "" (links relative to where the site publishes the PDFs)."""
    for candidate in (explicit, os.environ.get(SITE_URL_ENV), site_url_from_mkdocs(config)):
        if candidate:
            return candidate if candidate.endswith("/") else candidate + "/"
    return ""


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
    def __init__(self, site_url: str) -> None:
        self.site_url = site_url

    @property
    def absolute(self) -> bool:
        return bool(re.match(r"^[a-z][a-z0-9+.-]*://", self.site_url))

    def step(self, step_id: str) -> StepLink:
        path = STEP_PAGE.format(id=step_id)
        if not self.absolute:
            return StepLink(FROM_PDF + path, Markup(""))
        url = self.site_url + path
        qr = segno.make(url, error="m", micro=False)
        svg = qr.svg_inline(border=0, dark="#1f2933", omitsize=True, svgclass="qr")
        return StepLink(url, Markup(svg))
