"""Where a printed PDF links to, and that its bytes depend on the policies only: not on
the folder it was built in, the machine's time zone or the build's process.

Without a site URL, a step link must be relative to where the site publishes the PDF
(``<pack>/print/<kind>/<id>.pdf``), so it works on the site; it must never be a
``file://`` path of the build machine.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LIBRARY, ROOT
from pypdf import PdfReader

from generator.addresses import Addresses, page_url, pdf_path
from generator.library import analyse_library

pytestmark = pytest.mark.slow


def uris(path: Path) -> list[str]:
    found = []
    for page in PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def build(out: Path, cwd: Path, tz: str) -> None:
    """``policybook build --only pdf`` in a process of its own, from ``cwd`` (which has
    no mkdocs.yml, so no site URL) with the time zone ``tz``."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("POLICYBOOK_SITE_URL", "SOURCE_DATE_EPOCH")}
    env |= {"TZ": tz, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(LIBRARY), "--only", "pdf",
         "--out", str(out), "-j", "2"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    one = tmp_path_factory.mktemp("here")
    two = tmp_path_factory.mktemp("somewhere") / "else" / "deeper"
    two.mkdir(parents=True)
    build(one / "build", one, "Asia/Shanghai")
    build(two / "out", two, "America/Los_Angeles")
    return one / "build" / "pdf", two / "out" / "pdf"


def test_pdfs_are_byte_identical_across_folders_and_time_zones(
        two_builds: tuple[Path, Path]) -> None:
    first, second = two_builds
    names = sorted(str(p.relative_to(first)) for p in first.rglob("*.pdf"))
    assert len(names) >= 20
    assert names == sorted(str(p.relative_to(second)) for p in second.rglob("*.pdf"))
    differ = [n for n in names if (first / n).read_bytes() != (second / n).read_bytes()]
    assert not differ


def test_no_pdf_carries_a_path_of_the_build_machine(two_builds: tuple[Path, Path]) -> None:
    first, second = two_builds
    for root in (first, second):
        marks = [str(root.parent.parent).encode(), b"file:", b".policybook-", b"/tmp/"]
        for path in root.rglob("*.pdf"):
            data = path.read_bytes()
            assert not [m for m in marks if m in data], path
            assert not [u for u in uris(path) if "://" in u], path


def test_relative_step_links_resolve_to_the_step_pages_where_the_site_publishes_them(
        two_builds: tuple[Path, Path]) -> None:
    first, _ = two_builds
    library = analyse_library(LIBRARY)
    checked = 0
    for pack in library:
        model = pack.analysis.model
        pages = {pack.prefix + page_url(Addresses(model).step(s).src, directory_urls=True)
                 for s in model.steps}
        for cl in model.checklists.values():
            published = pack.prefix + pdf_path("checklists", cl.id)  # <pack>/print/…
            links = uris(first / pack.prefix / "checklists" / f"{cl.id}.pdf")
            steps = {i.step for i in model.checklist_items(cl)}
            assert len(links) >= len(steps) > 0, cl.id
            for link in links:
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(published), link)) + "/"
                assert target in pages, (cl.id, link, target)
                checked += 1
    assert checked >= 60
