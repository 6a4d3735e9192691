"""Content-addressed PDFs: a rebuild renders only the printables whose content changed.

A PDF is a function of its job (the HTML, which carries the print CSS, the field
font's path and every text; whether it is a form and its comb fields), of the code
that turns HTML into the PDF (this package's renderer and form finisher, the compact
stylesheet, the WeasyPrint, pydyf and pypdf versions) and of the fonts installed
(fontconfig's list, with each file's size and modification time). :func:`key` hashes
all of these; :class:`PdfCache` keeps ``<folder>/<sha256>.pdf`` for each key it has
rendered (``policybook build`` uses ``build/.cache/pdf/``), so an unchanged PDF is
copied instead of rendered, byte for byte what a render gives. The folder is bounded:
after a build the entries it did not use are pruned, oldest first, beyond
:data:`SPARE` times the build's own count.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
from functools import cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path

from generator.printables.render import Job

SPARE = 2
"""Entries kept beyond those the last build used, as a multiple of their number (the
PDFs of a branch switched back and forth, or of another ``--pack``)."""
CODE = ("render.py", "acroform.py", "fonts.py", "cache.py", "templates/compact.css")
"""The files, in this package, that turn a job's HTML into its PDF bytes."""


@cache
def code_version() -> str:
    """What produces the bytes besides the job: our renderer's code and the libraries'
    versions."""
    digest = hashlib.sha256()
    package = files("generator.printables")
    for name in CODE:
        digest.update(name.encode() + b"\0" + package.joinpath(name).read_bytes() + b"\0")
    for dist in ("weasyprint", "pydyf", "pypdf", "fonttools"):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{dist}={version}\0".encode())
    return digest.hexdigest()


@cache
def fonts_version() -> str:
    """The installed fonts as fontconfig lists them, each file with its size and time:
    installing, removing or updating a font renders everything again."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{file}\\t%{index}\\n"],
                                 capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        listing = ""
    digest = hashlib.sha256()
    for line in sorted(set(listing.splitlines())):
        path = line.split("\t", 1)[0]
        try:
            stat = os.stat(path)
            digest.update(f"{line}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{line}\t-\n".encode())
    return digest.hexdigest()


def key(job: Job) -> str:
    digest = hashlib.sha256()
    digest.update(f"{code_version()}\0{fonts_version()}\0".encode())
    digest.update(f"{job.fillable}\0{','.join(job.combs)}\0".encode())
    digest.update(job.html.encode("utf-8"))
    return digest.hexdigest()


class PdfCache:
    """``folder``/<key>.pdf for each PDF rendered; counts what a build rendered and
    what it reused."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.rendered = 0
        self.reused = 0
        self._used: set[str] = set()

    def path(self, job: Job) -> Path:
        return self.folder / f"{key(job)}.pdf"

    def fetch(self, job: Job) -> bool:
        """Copy the cached PDF of ``job`` to its target; False when there is none."""
        entry = self.path(job)
        try:
            shutil.copyfile(entry, job.target)
            os.utime(entry)  # recently used: pruned last
        except OSError:
            return False
        self._used.add(entry.name)
        self.reused += 1
        return True

    def store(self, job: Job) -> None:
        """Keep the rendered ``job.target`` (written beside, then renamed: a reader
        never sees half a PDF). A cache that cannot be written only costs time."""
        entry = self.path(job)
        self.rendered += 1
        self._used.add(entry.name)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            os.close(fd)
            try:
                shutil.copyfile(job.target, tmp)
                os.replace(tmp, entry)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError:
            pass

    def prune(self) -> None:
        """Remove the oldest entries this build did not use, beyond ``SPARE`` times the
        number it used, and any temporary file a killed build left (builds into one
        output folder hold its lock, so no other build is writing here)."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        spare, doomed = [], []
        for entry in entries:
            if entry.name in self._used:
                continue
            if not entry.name.endswith(".pdf"):
                doomed.append(entry.path)
                continue
            try:
                spare.append((entry.stat().st_mtime_ns, entry.path))
            except OSError:
                continue
        spare.sort(reverse=True)
        doomed += [path for _, path in spare[SPARE * max(len(self._used), 1):]]
        for path in doomed:
            with contextlib.suppress(OSError):
                os.unlink(path)
