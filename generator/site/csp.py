"""The handbook's Content-Security-Policy and the theme overrides that carry it.

The policy is a ``<meta http-equiv>`` first in every page's ``<head>``
(``theme/main.html``), so it holds wherever the site is served, with no web-server
setting. Scripts run only from the site's own files: no inline script, no
``on…=`` attribute, no ``javascript:`` URL, no ``eval``. Material's two inline
scripts are served as files instead (``theme/partials/javascripts/``,
``assets/theme-*.js``).

Scripts may compile WebAssembly (``'wasm-unsafe-eval'``): the search (Pagefind) reads
its index with a WebAssembly module, which Chromium refuses to compile under a bare
``'self'``. The keyword allows WebAssembly only, not ``eval`` or ``new Function``; the
module is a file of the site (fetches are limited to it), loaded by a script of the
site, so no text from a page can become code.

Styles allow ``'unsafe-inline'``: Mermaid draws each diagram as an SVG with its own
``<style>`` element, and Material positions tooltips with style attributes. A style
cannot run script, and with every fetch limited to the site itself (``default-src``)
it cannot send anything elsewhere either. Images allow ``data:``: Material's icons
are CSS masks written as data URLs.
"""

from __future__ import annotations

from pathlib import Path

THEME = Path(__file__).parent / "theme"
"""Template overrides, searched before the theme's own templates."""
SCRIPTS = ("assets/policybook/theme-base.js", "assets/policybook/theme-content.js")
"""Material's inline scripts as files (published from ``generator/site/assets/``)."""

DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)

POLICY = "; ".join(f"{name} {value}" for name, value in DIRECTIVES)
"""The policy as the meta tag writes it."""
