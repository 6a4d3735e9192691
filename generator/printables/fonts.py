"""Fonts for the printables: find the CJK font, refuse to print boxes, and make the
small font that fillable form fields embed.

WeasyPrint exits 0 and draws empty boxes when no font has a glyph; it only logs a
``.notdef glyph rendered`` warning per glyph. :class:`NotdefGuard` turns those
warnings into an error that names each character (:mod:`generator.printables.glyphs`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from generator.errors import BuildError
from generator.printables.glyphs import INSTALL_HINT, MissingGlyphs

BODY_FAMILY = "Noto Sans CJK SC"
TITLE_FAMILY = "Noto Serif CJK SC"
FIELD_FAMILY = "PB Field Sans"
"""The @font-face name of the subset font that fillable fields use."""


_FIELD_FONT_VERSION = "2"
"""Bump when the subset's character set or options change (names the cache file)."""


@dataclass(frozen=True, slots=True)
class FontFile:
    path: Path
    index: int
    family: str


def find_cjk_font(family: str = BODY_FAMILY) -> FontFile:
    """The regular face of ``family`` as fontconfig sees it, or a BuildError."""
    try:
        out = subprocess.run(
            ["fc-list", f"{family}:lang=zh:style=Regular", "file", "index", "family"],
            capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BuildError(
            f"无法查询系统字体(fc-list:{exc})。请安装 fontconfig 和 fonts-noto-cjk。") from exc
    faces = []
    for line in out.splitlines():
        # "/usr/share/fonts/.../NotoSansCJK-Regular.ttc: Noto Sans CJK SC:index=2"
        path, _, rest = line.partition(": ")
        fam, _, index = rest.partition(":index=")
        if family in fam.split(","):
            faces.append(FontFile(Path(path), int(index or 0), family))
    if not faces:
        raise BuildError(f"没有找到中文字体 “{family}”,PDF 中的中文会显示为方框。{INSTALL_HINT}")
    return sorted(faces, key=lambda f: (str(f.path), f.index))[0]


def gb2312_characters() -> list[int]:
    """Printable ASCII, and every character of GB 2312 (6,763 hanzi and the symbols a
    form needs): what someone may type into a field."""
    chars = set(range(0x20, 0x7F))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return sorted(chars)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policybook"


def _writable(directory: Path) -> Path:
    """``directory``, created; or a folder under the system temp dir if it cannot be."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if os.access(directory, os.W_OK):
            return directory
    except OSError:
        pass
    fallback = Path(tempfile.gettempdir()) / "policybook-cache" / directory.name
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


def field_font(source: FontFile | None = None) -> Path:
    """A subset of the CJK font for fillable fields, cached across builds.

    WeasyPrint embeds a font used by form fields whole (a viewer needs every glyph
    someone may type): the full Noto Sans CJK makes a 15 MB form that takes 1.5 s
    to compress. The GB 2312 subset is 1.8 MB. Making it takes ~5 s once; it is
    cached by the source font's identity, so later builds reuse it.
    """
    source = source or find_cjk_font()
    stat = source.path.stat()
    key = hashlib.sha256(
        f"{_FIELD_FONT_VERSION}|{source.path}|{source.index}|{stat.st_size}|{stat.st_mtime_ns}"
        .encode()).hexdigest()[:16]
    target = _writable(cache_dir() / "fonts") / f"field-{key}.otf"
    if target.exists():
        return target
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source.path), fontNumber=source.index, lazy=True,
                  recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    # Keep each glyph at its index: Noto CJK's CFF is CID-keyed with CID = glyph index,
    # and a viewer that reads the charset (pdf.js) maps a field's codes, which are
    # glyph indexes, through it; a renumbered subset would show nothing there.
    options.retain_gids = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=gb2312_characters())
    subsetter.subset(font)
    # Write beside the target, then rename: parallel builds never see half a font.
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        font.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


class NotdefGuard(logging.Filter):
    """Collects WeasyPrint's ``.notdef glyph`` warnings while a document renders.

    Use as a context manager around a render. It filters the ``weasyprint`` logger:
    the per-glyph warnings are counted and dropped (one clear error replaces
    hundreds of lines), other records pass. On exit it raises
    :class:`~generator.printables.glyphs.MissingGlyphs` naming the characters that had
    no glyph (the main process adds where they are in the policies).
    """

    def __init__(self, document: str) -> None:
        super().__init__()
        self.document = document
        self.missing: list[str] = []
        self._level = logging.NOTSET

    def filter(self, record: logging.LogRecord) -> bool:
        if ".notdef glyph" not in str(record.msg):
            return True
        char = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
        self.missing.append(str(char))
        return False

    def __enter__(self) -> NotdefGuard:
        logger = logging.getLogger("weasyprint")
        self._level = logger.level
        if logger.getEffectiveLevel() > logging.WARNING:  # someone silenced it
            logger.setLevel(logging.WARNING)
        logger.addFilter(self)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        logger = logging.getLogger("weasyprint")
        logger.removeFilter(self)
        logger.setLevel(self._level)
        if exc_type is None and self.missing:
            raise MissingGlyphs(self.document, tuple(dict.fromkeys(self.missing)),
                                len(self.missing))
