"""Where each element is published: its page and anchor in the handbook site, and
the path of its printable PDF.

The one place that decides the layout. The site (:mod:`generator.site.links`), the
printables (a step's link and QR code) and the diff (which documents a change
touches) all read it from here; none of them copies it.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass

from generator.model import Model

BUILD_DIR = "build"
"""``policybook build``'s default ``--out``."""
PDF_DIR = "pdf"
"""The printables go to ``<out>/pdf``, …"""
SITE_DIR = "site"
"""… and the site to ``<out>/site``."""
PDF_CACHE_DIR = ".cache/pdf"
"""Rendered PDFs by content (``<out>/.cache/pdf/<sha256>.pdf``), reused by the next build."""

PRINT_DIR = "print"
"""Printable PDFs are published at ``print/<kind>/<id>.pdf``."""
PDF_KINDS = ("checklists", "forms", "flows", "selftest")
LANGUAGE_DIR = "language"
"""The policy language reference: ``language/index.md`` and ``language/<kind>.md``."""


@dataclass(frozen=True, slots=True)
class Address:
    src: str
    """The page's Markdown path inside the site, e.g. ``steps/check_identity.md``."""
    anchor: str = ""


def page_url(src: str, *, directory_urls: bool) -> str:
    """The URL mkdocs gives the page ``src`` (same rule as ``mkdocs.structure.files``)."""
    stem, _ = posixpath.splitext(src)
    if not directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) == "index":
        parent = posixpath.dirname(stem)
        return parent + "/" if parent else ""
    return stem + "/"


@functools.lru_cache(maxsize=4096)
def relative_path(here: str, there: str) -> str:
    """``there`` relative to the folder of ``here`` (both paths inside the site).
    Pure string work: ``posixpath.relpath`` would ask the OS for the working directory."""
    base = here.split("/")[:-1]
    parts = there.split("/")
    common = 0
    while common < min(len(base), len(parts) - 1) and base[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:])


def pdf_path(kind: str, element_id: str) -> str:
    """Where the site publishes a printable: ``print/<kind>/<id>.pdf``."""
    return f"{PRINT_DIR}/{kind}/{element_id}.pdf"


def root_from(src: str) -> str:
    """The relative URL from the file ``src`` (inside the site) back to the site's root."""
    return "../" * src.count("/")


def step_address(step_id: str) -> Address:
    """The page of a step that does something (start and end steps live on their flow's
    page: :meth:`Addresses.step`)."""
    return Address(f"steps/{step_id}.md")


class Addresses:
    """The address of each element of the model."""

    def __init__(self, model: Model) -> None:
        self.model = model

    def step(self, step_id: str) -> Address:
        step = self.model.steps[step_id]
        if step.type in ("start", "end"):
            return Address(f"flows/{step.flow}.md", step.id)
        return step_address(step.id)

    @staticmethod
    def flow(flow_id: str) -> Address:
        return Address(f"flows/{flow_id}.md")

    @staticmethod
    def rule(rule_id: str) -> Address:
        return Address("rules.md", rule_id)

    @staticmethod
    def parameter(param_id: str) -> Address:
        return Address("rules.md", f"param-{param_id}")

    @staticmethod
    def role(role_id: str) -> Address:
        return Address("roles.md", f"role-{role_id}")

    @staticmethod
    def permission(perm_id: str) -> Address:
        return Address("roles.md", f"perm-{perm_id}")

    @staticmethod
    def form(form_id: str) -> Address:
        return Address(f"forms/{form_id}.md")

    @staticmethod
    def field(form_id: str, field_id: str) -> Address:
        return Address(f"forms/{form_id}.md", f"field-{field_id}")

    @staticmethod
    def checklist(checklist_id: str) -> Address:
        return Address(f"checklists/{checklist_id}.md")

    @staticmethod
    def item(checklist_id: str, item_id: str) -> Address:
        return Address(f"checklists/{checklist_id}.md", f"item-{item_id}")

    @staticmethod
    def decision_table(table_id: str) -> Address:
        return Address(f"decisions/{table_id}.md")

    @staticmethod
    def questionnaire(q_id: str) -> Address:
        return Address(f"questionnaires/{q_id}.md")

    @staticmethod
    def term(term_id: str) -> Address:
        return Address("glossary.md", f"term-{term_id}")

    def script(self, script_id: str) -> Address:
        script = self.model.scripts[script_id]
        return Address(self.step(script.step).src, f"script-{script_id}")

    @staticmethod
    def case(case_id: str) -> Address:
        return Address("trace.md", f"case-{case_id}")

    @staticmethod
    def stage(stage_id: str) -> Address:
        return Address("overview.md", f"stage-{stage_id}")

    @staticmethod
    def principle(principle_id: str) -> Address:
        return Address("index.md", f"principle-{principle_id}")

    # The policy language reference (from the schemas, not the model).

    @staticmethod
    def language_index() -> Address:
        return Address(f"{LANGUAGE_DIR}/index.md")

    @staticmethod
    def language(kind: str) -> Address:
        return Address(f"{LANGUAGE_DIR}/{kind}.md")

    @staticmethod
    def shared_type(name: str) -> Address:
        return Address(f"{LANGUAGE_DIR}/index.md", f"type-{name}")
