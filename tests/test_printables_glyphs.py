"""A character that no installed font can draw: the build fails before printing a box,
names the policy file, line and column of the text that holds it, the character and
its code point, and says what to do; the previous PDFs stay as they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, run_cli

from generator.pipeline import analyse
from generator.printables.glyphs import MissingGlyphs, explain, places

pytestmark = pytest.mark.slow

MONEY_BAG = "\U0001F4B0"  # an emoji: no colour-emoji font is installed
RARE = "\u2BD1"  # ⯑ UNCERTAINTY SIGN, in no font of the machine
TITLE = "了解客户信息并评估风险"  # a step title of the minimal pack (a plain scalar)
OTHER = "审定准入资格"


def pack_copy(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLES / "valid" / "minimal", pack)
    return pack


def plant(pack: Path) -> list[tuple[str, int, int]]:
    """Put the two characters into two step titles; their (char, line, column)."""
    flow = next((pack / "flows").glob("*.yaml"))
    text = flow.read_text(encoding="utf-8")
    for title, at, char in ((TITLE, 6, MONEY_BAG), (OTHER, 4, RARE)):
        assert f"title: {title}\n" in text
        text = text.replace(f"title: {title}\n", f"title: {title[:at]}{char}{title[at:]}\n", 1)
    flow.write_text(text, encoding="utf-8")
    where = []
    for char in (MONEY_BAG, RARE):
        (n, line), = [(n, line) for n, line in enumerate(text.splitlines(), 1) if char in line]
        where.append((char, n, line.index(char) + 1))
    return where


def test_a_character_without_a_glyph_is_named_at_its_place(tmp_path: Path) -> None:
    pack, out = pack_copy(tmp_path), tmp_path / "build"
    first = run_cli("build", pack, "--only", "pdf", "--out", out, "-j", "1")
    assert first.code == 0, first.err
    before = {p: p.read_bytes() for p in (out / "pdf").rglob("*.pdf")}
    assert before

    where = plant(pack)
    run = run_cli("build", pack, "--only", "pdf", "--out", out, "-j", "1")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    for char, line, column in where:
        assert f"flows/{next((pack / 'flows').glob('*.yaml')).name}:{line}:{column}:" in run.err
        assert f"U+{ord(char):04X}" in run.err and char in run.err
    assert "换成常用字符" in run.err and "字体" in run.err, "what to do"
    assert "fonts-noto-cjk" not in run.err, "the CJK font is installed: not the advice"
    assert ".notdef" not in run.err
    assert {p: p.read_bytes() for p in (out / "pdf").rglob("*.pdf")} == before
    assert {p.name for p in out.iterdir()} <= {"pdf", ".cache"}, "no staging folder left"


def test_each_place_of_a_character_is_listed(tmp_path: Path) -> None:
    pack = pack_copy(tmp_path)
    where = dict((c, (line, col)) for c, line, col in plant(pack))
    model = analyse(pack).model
    (found,) = places(model, MONEY_BAG)
    assert (found.line, found.column) == where[MONEY_BAG]
    assert found.pointer.endswith("/title")
    message = explain(MissingGlyphs("flows/opening.pdf", (MONEY_BAG, "\u4e00"), 3), model)
    text = str(message)
    assert f"{found}:" in text and "U+1F4B0" in text
    # 一 is drawn by the CJK font: a box there means the font is missing, and no policy
    # text of this pack needs to change for it, so the install advice stands.
    assert "fonts-noto-cjk" in text and "U+4E00" in text
    assert "换成常用字符" in text, "and the emoji's advice"
