"""Fill a PDF form with pypdf and look at the pixels two viewers draw for it.

* :func:`fill`: every field of a form filled (Chinese text, ticks, radio choices),
  with pypdf, without asking the viewer to redraw (``auto_regenerate=False``);
* :func:`poppler`: a page rendered by pdftoppm (Evince, Okular: poppler);
* :func:`pdfium`: a page rendered by PDFium (Chromium's viewer), with its form fields;
* :class:`PdfJs`: a page rendered by pdf.js (Firefox's viewer, npm ``pdfjs-dist``
  vendored by ``tools/setup.sh vendor``) onto a canvas in headless Chromium;
* :func:`ink`: how many pixels of a widget's rectangle are dark, to compare a blank and a
  filled rendering where each value must appear.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import io
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parent.parent
PDFJS = ROOT / "vendor" / "pdfjs-dist"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True, slots=True)
class Widget:
    """One place a value is drawn: a text field, a check box or one radio button."""

    field: str
    page: int
    rect: tuple[float, float, float, float]
    on: str = ""
    """A button's on-state (``/on``, a radio option's ``/<id>``); empty for text."""
    max_len: int = 0


def widgets(path: Path) -> list[Widget]:
    reader = PdfReader(path)
    found = []
    for number, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            field = annot.get("/Parent", ref).get_object()
            name = str(field.get("/T", ""))
            rect = tuple(float(v) for v in annot["/Rect"])
            states = [str(s) for s in annot.get("/AP", {}).get("/N", {})
                      if field.get("/FT") == "/Btn" and s != "/Off"] \
                if field.get("/FT") == "/Btn" else []
            found.append(Widget(name, number, rect, states[0] if states else "",  # type: ignore[arg-type]
                                int(field.get("/MaxLen", 0))))
    return found


def sample_text(widget: Widget) -> str:
    """A value that fits the field: digits where the paper has cells or a date part,
    Chinese elsewhere."""
    if widget.max_len == 18:
        return "11010519800506001X"
    if widget.field.endswith(":year"):
        return "1980"
    if widget.field.endswith((":month", ":day")):
        return "06"
    if widget.max_len and widget.max_len <= 3:
        return "12"
    return "张三丰测试"


def fill(path: Path, target: Path, *, fonts_once: bool = True) -> dict[str, str]:
    """Every field of ``path`` filled into ``target``: text, every check box ticked, each
    radio group on its last option. Returns field → value. ``fonts_once``: see
    :func:`_each_font_read_once`."""
    values: dict[str, str] = {}
    for w in widgets(path):
        values[w.field] = w.on if w.on else sample_text(w)  # a radio group: its last kid
    writer = PdfWriter(clone_from=PdfReader(path))
    with _each_font_read_once() if fonts_once else contextlib.nullcontext():
        writer.update_page_form_field_values(None, values, auto_regenerate=False)
    writer.write(target)
    return values


@contextlib.contextmanager
def _each_font_read_once() -> Iterator[None]:
    """pypdf reads a text field's font again for each field whose appearance it draws
    (the ToUnicode map, the cmap of the embedded file: 0.4 s a field with the forms'
    CJK font). The same font resource gives the same font, so while this is open each is
    read once. The same bytes are written (tests/test_printables_forms.py checks it);
    should pypdf's internals move, nothing is changed and each is read every time."""
    try:
        from pypdf.generic._font import Font
        read, maps = Font.__dict__["from_font_resource"], Font.__dict__["_get_typographic_maps"]
    except (ImportError, KeyError):
        yield
        return
    fonts: dict[int, tuple[Any, Any]] = {}
    drawn: dict[int, tuple[Any, Any]] = {}

    def read_once(cls: type, resource: Any) -> Any:
        if id(resource) not in fonts:  # the resource is kept: its id is not reused
            fonts[id(resource)] = (resource, read.__func__(cls, resource))
        return fonts[id(resource)][1]

    def maps_once(font: Any) -> Any:
        if id(font) not in drawn:
            drawn[id(font)] = (font, maps(font))
        return drawn[id(font)][1]

    Font.from_font_resource = classmethod(read_once)  # type: ignore[method-assign,assignment]
    Font._get_typographic_maps = maps_once  # type: ignore[method-assign]
    try:
        yield
    finally:
        Font.from_font_resource = read  # type: ignore[method-assign]
        Font._get_typographic_maps = maps  # type: ignore[method-assign]


def poppler(path: Path, page: int, dpi: int) -> tuple[Image.Image, str]:
    """Page ``page`` (0-based) drawn by pdftoppm, and what poppler said on stderr."""
    if shutil.which("pdftoppm") is None:
        raise RuntimeError("pdftoppm (poppler-utils) is not installed")
    run = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page + 1),
                          "-l", str(page + 1), "-singlefile", str(path)],
                         capture_output=True, check=True, timeout=120)
    return Image.open(io.BytesIO(run.stdout)).convert("L"), run.stderr.decode()


def pdfium(path: Path, page: int, dpi: int) -> Image.Image:
    """Page ``page`` (0-based) drawn by PDFium as Chromium's viewer draws it: the form's
    fields from their appearance streams (``init_forms``, ``may_draw_forms``)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        document.init_forms()
        bitmap = document[page].render(scale=dpi / 72, may_draw_forms=True)
        return bitmap.to_pil().convert("L")
    finally:
        document.close()


def ink(image: Image.Image, rect: tuple[float, float, float, float], page_height: float,
        dpi: float) -> int:
    """How many dark pixels lie inside ``rect`` (PDF points, origin at the bottom left),
    less a point and a half on each side (where a printed box's border may fall)."""
    x1, y1, x2, y2 = rect
    x1, x2 = sorted((x1, x2))
    y1, y2 = sorted((y1, y2))
    dx = dy = 1.5
    scale = dpi / 72
    box = (round((x1 + dx) * scale), round((page_height - y2 + dy) * scale),
           round((x2 - dx) * scale), round((page_height - y1 - dy) * scale))
    return sum(image.crop(box).histogram()[:150])  # grey levels 0–149


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


RENDER = """
async ([url, number, scale]) => {
  const pdfjs = await import("/pdfjs/build/pdf.mjs");
  pdfjs.GlobalWorkerOptions.workerSrc = "/pdfjs/build/pdf.worker.mjs";
  const task = pdfjs.getDocument({url, cMapUrl: "/pdfjs/cmaps/", cMapPacked: true,
    standardFontDataUrl: "/pdfjs/standard_fonts/", wasmUrl: "/pdfjs/wasm/",
    iccUrl: "/pdfjs/iccs/", verbosity: 5});
  const doc = await task.promise;
  const page = await doc.getPage(number + 1);
  const viewport = page.getViewport({scale});
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(viewport.width);
  canvas.height = Math.round(viewport.height);
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({canvas, canvasContext: context, viewport,
                     annotationMode: pdfjs.AnnotationMode.ENABLE}).promise;
  const links = (await page.getAnnotations()).filter(a => a.url).map(a => a.url);
  await task.destroy();
  return [canvas.toDataURL("image/png"), links];
}
"""


class PdfJs:
    """pdf.js in headless Chromium, serving ``folder`` and the vendored pdf.js."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.errors: list[str] = []

    @staticmethod
    def available() -> str:
        """Why pdf.js cannot run here, or ""."""
        if not CHROMIUM.exists():
            return "Debian chromium is not installed (make setup installs it)"
        if not (PDFJS / "build" / "pdf.mjs").exists():
            return "pdf.js is not vendored (tools/setup.sh vendor)"
        return ""

    def __enter__(self) -> PdfJs:
        from playwright.sync_api import sync_playwright

        root = self.folder / ".served"
        root.mkdir(exist_ok=True)
        if not (root / "pdfjs").exists():
            (root / "pdfjs").symlink_to(PDFJS.resolve())
        (root / "index.html").write_text("<!DOCTYPE html><title>pdf.js</title>", "utf-8")
        self.root = root
        handler = functools.partial(_Quiet, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                       args=FLAGS)
        self.page = self.browser.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.base + "index.html")
        return self

    def __exit__(self, *exc: object) -> None:
        self.browser.close()
        self.playwright.stop()
        self.server.shutdown()
        self.server.server_close()

    def render(self, path: Path, page: int, dpi: float) -> tuple[Image.Image, list[str]]:
        """Page ``page`` (0-based) of ``path`` as pdf.js draws it, and its link URLs
        as pdf.js resolves them."""
        name = f"{path.stem}-{abs(hash(path))}.pdf"
        shutil.copyfile(path, self.root / name)
        data, links = self.page.evaluate(RENDER, [self.base + name, page, dpi / 72])
        png = base64.b64decode(data.split(",", 1)[1])
        return Image.open(io.BytesIO(png)).convert("L"), links


def pages_of(widgets_: list[Widget]) -> Iterator[int]:
    yield from sorted({w.page for w in widgets_})
