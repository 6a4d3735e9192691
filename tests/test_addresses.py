"""One layout for every output: the site, the printables and the diff read where pages
and PDFs live from ``generator.addresses``, and the site's URL settings from mkdocs.yml
read as YAML (not with a pattern)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from generator.addresses import PDF_KINDS, Addresses, page_url, pdf_path, root_from
from generator.files.siteconfig import SiteSettings, read_site_settings
from generator.pipeline import analyse
from generator.printables.links import Links, resolve_site_url
from tests.conftest import EXAMPLES, ROOT


def test_the_shipped_mkdocs_yml_is_read_despite_its_python_tags() -> None:
    # It has !!python/name: and !!python/object/apply: tags; none is executed.
    assert read_site_settings(ROOT / "mkdocs.yml") == SiteSettings("", directory_urls=True)


def test_site_url_follows_inherit_and_env_as_mkdocs_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = tmp_path / "base.yml"
    parent.write_text("site_name: x\nsite_url: https://parent.example/\n"
                      "use_directory_urls: false\n", encoding="utf-8")
    child = tmp_path / "mkdocs.yml"
    child.write_text("INHERIT: base.yml\n"
                     "markdown_extensions:\n  - toc:\n"
                     "      slugify: !!python/object/apply:os.system [\"exit 1\"]\n",
                     encoding="utf-8")
    assert read_site_settings(child) == SiteSettings("https://parent.example/", False)
    child.write_text("INHERIT: base.yml\nsite_url: !ENV [PB_SITE, 'https://fallback.example']\n",
                     encoding="utf-8")
    monkeypatch.delenv("POLICYBOOK_SITE_URL", raising=False)
    monkeypatch.delenv("PB_SITE", raising=False)
    assert resolve_site_url(None, child) == "https://fallback.example/"
    monkeypatch.setenv("PB_SITE", "https://env-tag.example/handbook")
    assert resolve_site_url(None, child) == "https://env-tag.example/handbook/"


@pytest.mark.parametrize("text", ["site_url: [unclosed\n", "- a list\n", ""])
def test_a_broken_or_odd_mkdocs_yml_gives_the_defaults(text: str, tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    assert read_site_settings(config) == SiteSettings()
    assert read_site_settings(tmp_path / "missing.yml") == SiteSettings()


@pytest.mark.parametrize("directory_urls", [True, False])
def test_a_printed_step_link_is_the_sites_own_page_url(directory_urls: bool,
                                                       tmp_path: Path) -> None:
    model = analyse(EXAMPLES / "valid" / "minimal").model
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: x\nuse_directory_urls: {str(directory_urls).lower()}\n",
                      encoding="utf-8")
    links = Links.for_site(None, config)
    for step in (s for s in model.steps.values() if s.type not in ("start", "end")):
        page = page_url(Addresses(model).step(step.id).src, directory_urls=directory_urls)
        for kind in PDF_KINDS:  # from wherever the site publishes the PDF
            assert links.step(step.id).url == root_from(pdf_path(kind, "x")) + page
    assert links.step("collect_info").url == (
        "../../steps/collect_info/" if directory_urls else "../../steps/collect_info.html")


def test_the_layout_and_the_printables_links_load_neither_the_site_nor_mkdocs() -> None:
    code = ("import sys, generator.addresses, generator.printables.links; "
            "print(sorted(m for m in sys.modules if m.startswith(('generator.site', 'mkdocs'))))")
    found = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout
    assert found.strip() == "[]"


def test_the_diff_takes_addresses_from_the_layout_not_from_the_site() -> None:
    tree = ast.parse((ROOT / "generator" / "diff" / "impact.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "generator.addresses" in imported
    assert not any(m and m.startswith("generator.site") for m in imported)
