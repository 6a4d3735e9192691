"""Shared fixtures: paths of the repository and the shipped pack, an in-process CLI
runner (like click's CliRunner) that captures output and exit code, the built
handbooks several modules read (built once a session, served over http from 127.0.0.1)
and the library's printed PDFs (rendered once a session)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from generator.site.build import build_site

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "policies"
"""The shipped policies: a library of packs, one folder each."""
POLICIES = LIBRARY / "wealth-account-opening"
"""The shipped procedure."""
EXAMPLE_PACK = LIBRARY / "cash-withdrawal"
"""The second, unrelated procedure: an example that proves the toolkit general."""
EXAMPLES = Path(__file__).resolve().parent / "examples"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*argv: str | os.PathLike[str]) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli() -> object:
    return run_cli


@pytest.fixture
def in_root() -> Iterator[Path]:
    """Run with the repository as working directory (paths in reports are relative)."""
    old = Path.cwd()
    os.chdir(ROOT)
    try:
        yield ROOT
    finally:
        os.chdir(old)


# --- built handbooks, shared ----------------------------------------------------------
#
# Building the whole library's site takes half a minute here; the modules that only read
# it share one build (``library_site``), and the ones that read the shipped pack's alone
# share another (``pack_site``). Each is built by whichever test asks first, so no module
# depends on another having run; none may change it, and the session checks that none did.


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` served over http on a free port of 127.0.0.1 (Pagefind and the tools
    fetch, which file:// does not allow); the URL of its root, ending in ``/``."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def _shared_build(tmp_path_factory: pytest.TempPathFactory, name: str, policies: Path,
                  pdfs: dict[str, bytes] | None = None) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp(name)
    for rel, data in (pdfs or {}).items():
        (tmp / "pdf" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / "pdf" / rel).write_bytes(data)
    site = build_site(ROOT / "mkdocs.yml", policies=policies, pdf_dir=tmp / "pdf",
                      site_dir=tmp / "site")
    before = _files(site)
    yield site
    after = _files(site)
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert not changed, f"a test changed the shared site {name}: {changed[:5]}"


@pytest.fixture(scope="session")
def library_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped library's handbook (both packs, no PDFs) as ``policybook build`` builds
    it with the default engine: read only."""
    yield from _shared_build(tmp_path_factory, "library-site", LIBRARY)


@pytest.fixture(scope="session")
def library_url(library_site: Path) -> Iterator[str]:
    with serve(library_site) as url:
        yield url


FAKE_PDF = b"%PDF-1.4\n% policybook test\n%%EOF\n"
"""What ``pack_site`` publishes as the printable of its pack's first form, checklist and
flow."""


def first_printables() -> dict[str, bytes]:
    """``<kind>/<id>.pdf`` → FAKE_PDF for the shipped pack's first form, checklist and
    flow: a site with printables for some of its documents and not for the others."""
    from generator.pipeline import analyse

    model = analyse(POLICIES).model
    return {f"{kind}/{next(iter(ids))}.pdf": FAKE_PDF
            for kind, ids in (("forms", model.forms), ("checklists", model.checklists),
                              ("flows", model.flows)) if ids}


@pytest.fixture(scope="session")
def pack_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped pack's handbook alone, as ``policybook build`` builds it, with a
    placeholder PDF (FAKE_PDF) for its first form, checklist and flow
    (:func:`first_printables`) and none for the others: read only."""
    yield from _shared_build(tmp_path_factory, "pack-site", POLICIES, first_printables())


# --- printed PDFs, shared -------------------------------------------------------------
#
# Rendering the library's PDFs takes half a minute here. The modules that read them
# (their words, layout, form fields, links) share one build (``library_pdfs``), made as
# a user makes it; none may change it, and the session checks that none did.


def build_pdfs(out: Path, cwd: Path, tz: str, jobs: int = 2) -> Path:
    """``policybook build --only pdf`` of the shipped library into ``out``, in a process
    of its own, from ``cwd`` (which has no mkdocs.yml, so no site URL: step links are
    relative) with the time zone ``tz`` and ``jobs`` processes; ``out``'s ``pdf/``."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("POLICYBOOK_SITE_URL", "SOURCE_DATE_EPOCH")}
    env |= {"TZ": tz, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(LIBRARY), "--only", "pdf",
         "--out", str(out), "-j", str(jobs)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return out / "pdf"


@pytest.fixture(scope="session")
def library_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped library's PDFs (``<pack>/<kind>/<id>.pdf``), as ``policybook build
    --only pdf -j 2`` renders them without a site URL, in Asia/Shanghai: read only. The
    build's PDF cache is beside it, in ``../.cache/pdf``."""
    here = tmp_path_factory.mktemp("library-pdfs")
    pdfs = build_pdfs(here / "build", here, "Asia/Shanghai")
    before = _files(pdfs)
    yield pdfs
    changed = sorted(set(before.items()) ^ set(_files(pdfs).items()))
    assert not changed, f"a test changed the shared PDFs: {changed[:5]}"
