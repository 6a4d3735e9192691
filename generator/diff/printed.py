"""What a change does to the printed page: before and after images of every page of
every printable whose rendering changed between the two sides of a diff.

Both sides' PDFs are rendered the way ``policybook build`` renders them, each page is
rasterised with ``pdftoppm`` and compared pixel by pixel (Pillow); a page that differs
is written as ``<pdf>/page-<n>-before.png`` and ``page-<n>-after.png``, the after image
with a red box around the pixels that changed. The pull-request workflow uploads the
folder as an artifact and links it from the comment, so a policy owner sees the
printed checklist change without building anything. The same policies always give
the same pixels (the PDFs' dates come from the pack), so a rebuild that changes no
printed word gives no image.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.diff.sources import Side
from generator.errors import BuildError, OutputError

RESOLUTION = 60
"""Pixels per inch of the page images: an A4 page is 496 × 702, enough to read a line."""
BOX = (220, 0, 0)
BOX_WIDTH = 3
MARGIN = 6
"""The box is drawn this many pixels outside the changed pixels."""
if TYPE_CHECKING:
    from PIL.Image import Image

    from generator.printables.cache import PdfCache

LINK_MARKER = "<!-- policybook-pdf-review -->"
"""Where the report links the images: the workflow puts the artifact's URL here."""


@dataclass(frozen=True, slots=True)
class PageChange:
    page: int
    """1-based."""
    before: str | None
    """The image's path inside the output folder; None for a page the head added."""
    after: str | None
    """None for a page the head removed."""
    box: tuple[int, int, int, int] | None
    """The changed pixels on the after image (left, top, right, bottom), if it has one."""


@dataclass(frozen=True, slots=True)
class PrintedChange:
    pdf: str
    """As published: ``checklists/<id>.pdf`` (``<pack>/…`` in a library)."""
    status: str
    """``changed``, ``added`` or ``removed``."""
    pages: tuple[PageChange, ...]
    page_counts: tuple[int, int]
    """Pages before and after."""


STATUS_LABELS = {"changed": "修改", "added": "新增", "removed": "删除"}


def review_printables(base: Side, head: Side, out: Path, prefix: str = "", *,
                      jobs: int | None = None) -> list[PrintedChange]:
    """Render both sides' printables, compare them page by page and write the images of
    the pages that differ under ``out/<prefix>``; return what changed, by PDF.

    The sides share a content-addressed cache (:mod:`generator.printables.cache`): a
    printable whose content the head did not change is rendered once and copied, and
    two PDFs of the same bytes are not rasterised (the same bytes draw the same pixels).
    """
    from generator.printables.cache import PdfCache

    with tempfile.TemporaryDirectory(prefix="policybook-pdf-review-") as tmp:
        folders = {}
        cache = PdfCache(Path(tmp) / "cache")
        for name, side in (("base", base), ("head", head)):
            folders[name] = Path(tmp) / name
            folders[name].mkdir()
            if not side.empty:
                _render(side, folders[name], prefix, jobs, cache)
        names = sorted({p.relative_to(f).as_posix() for f in folders.values()
                        for p in f.rglob("*.pdf")})
        found = []
        for rel in names:
            if _same_bytes(folders["base"] / rel, folders["head"] / rel):
                continue
            before = _pages(folders["base"] / rel, Path(tmp) / "png" / "base" / rel)
            after = _pages(folders["head"] / rel, Path(tmp) / "png" / "head" / rel)
            change = _compare(prefix + rel, before, after, out)
            if change is not None:
                found.append(change)
    return found


def _render(side: Side, folder: Path, prefix: str, jobs: int | None,
            cache: PdfCache) -> None:
    from generator.printables.build import write_printables  # WeasyPrint: only when asked

    write_printables(side.model, folder, jobs=jobs, section=prefix, cache=cache)


def _same_bytes(one: Path, two: Path) -> bool:
    return one.is_file() and two.is_file() and one.read_bytes() == two.read_bytes()


def _pages(pdf: Path, folder: Path) -> list[Path]:
    """The PNG of every page of ``pdf`` (none when there is no such PDF)."""
    if not pdf.is_file():
        return []
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise BuildError("找不到 pdftoppm(poppler-utils),无法生成打印件的对比图;"
                         "运行 make setup 安装。")
    folder.mkdir(parents=True)
    done = subprocess.run([tool, "-r", str(RESOLUTION), "-png", str(pdf), str(folder / "p")],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"pdftoppm 无法读取 {pdf.name}:{done.stderr.strip()}")
    # pdftoppm pads the page numbers to the width of the last one: names sort as pages.
    return sorted(folder.glob("p-*.png"))


def _compare(pdf: str, before: list[Path], after: list[Path],
             out: Path) -> PrintedChange | None:
    from PIL import Image, ImageChops, ImageDraw

    pages = []
    for index in range(max(len(before), len(after))):
        old = Image.open(before[index]).convert("RGB") if index < len(before) else None
        new = Image.open(after[index]).convert("RGB") if index < len(after) else None
        if old is not None and new is not None and old.size == new.size:
            box = ImageChops.difference(old, new).getbbox()
            if box is None:
                continue  # the same pixels
        else:  # a page added or removed, or a page of another size: all of it changed
            box = (0, 0, *new.size) if new is not None else None
        stem = f"{pdf.removesuffix('.pdf')}/page-{index + 1}"
        names: list[str | None] = [None, None]
        try:
            if old is not None:
                names[0] = _save(old, out, f"{stem}-before.png")
            if new is not None:
                if box is not None:
                    left, top, right, bottom = box
                    frame = (max(left - MARGIN, 0), max(top - MARGIN, 0),
                             min(right + MARGIN, new.width) - 1,
                             min(bottom + MARGIN, new.height) - 1)
                    ImageDraw.Draw(new).rectangle(frame, outline=BOX, width=BOX_WIDTH)
                names[1] = _save(new, out, f"{stem}-after.png")
        except OSError as exc:
            raise OutputError(exc.filename or out, exc) from exc
        pages.append(PageChange(index + 1, names[0], names[1], box if new is not None else None))
    if not pages:
        return None
    status = "added" if not before else "removed" if not after else "changed"
    return PrintedChange(pdf, status, tuple(pages), (len(before), len(after)))


def _save(image: Image, out: Path, name: str) -> str:
    path = out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return name
