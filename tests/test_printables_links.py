"""Where a printed PDF links to, and that its bytes depend on the policies only: not on
the folder it was built in, the machine's time zone, or whether the build rendered them
in worker processes or in its own (serially).

Without a site URL, a step link must be relative to where the site publishes the PDF
(``<pack>/print/<kind>/<id>.pdf``), so it works on the site; it must never be a
``file://`` path of the build machine.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from conftest import LIBRARY, build_pdfs
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


@pytest.fixture(scope="module")
def two_builds(library_pdfs: Path,
               tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The session's build (conftest: from a folder of its own, in Asia/Shanghai, two
    processes) and one from a folder elsewhere, deeper, in America/Los_Angeles, serial."""
    two = tmp_path_factory.mktemp("somewhere") / "else" / "deeper"
    two.mkdir(parents=True)
    return library_pdfs, build_pdfs(two / "out", two, "America/Los_Angeles", jobs=1)


def test_pdfs_are_byte_identical_across_folders_time_zones_and_processes(
        two_builds: tuple[Path, Path]) -> None:
    """Built in another folder, another time zone, and in one process instead of two
    worker processes: the same bytes."""
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
