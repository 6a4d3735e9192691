"""Incremental builds: a PDF whose content did not change is reused from the
content-addressed cache (``build/.cache/pdf/<sha256>.pdf``), byte for byte, and
``policybook build`` says how many it rendered and how many it reused."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE_PACK, run_cli

from generator.pipeline import analyse
from generator.printables import cache as cache_module
from generator.printables.cache import PdfCache, key
from generator.printables.render import Job

pytestmark = pytest.mark.slow

ITEM = "day_total_computed"
"""A checklist item of the example pack (counter withdrawal, done by the teller)."""
OLD, NEW = "已查询客户当日在本行已支取的现金金额", "已查询客户当日在本行已经支取的现金金额"


def build(pack: Path, out: Path) -> tuple[int, int, dict[str, bytes]]:
    run = run_cli("build", pack, "--only", "pdf", "--out", out, "-j", "2")
    assert run.code == 0, run.err
    said = re.search(r"PDF: (\d+) 个文件\(生成 (\d+) 个,内容未变、沿用缓存 (\d+) 个\)", run.err)
    assert said, run.err
    total, rendered, reused = map(int, said.groups())
    pdfs = {p.relative_to(out / "pdf").as_posix(): p.read_bytes()
            for p in sorted((out / "pdf").rglob("*.pdf"))}
    assert total == len(pdfs) == rendered + reused
    return rendered, reused, pdfs


def test_an_edited_item_renders_its_checklists_only(tmp_path: Path) -> None:
    pack, out = tmp_path / "pack", tmp_path / "build"
    shutil.copytree(EXAMPLE_PACK, pack)
    rendered, reused, first = build(pack, out)
    assert (rendered, reused) == (len(first), 0)
    assert len(list((out / ".cache" / "pdf").glob("*.pdf"))) == len(first)

    rendered, reused, again = build(pack, out)
    assert (rendered, reused) == (0, len(first)), "nothing changed: nothing rendered"
    assert again == first

    path = pack / "checklists" / "counter-withdrawal.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(OLD) == 1
    path.write_text(text.replace(OLD, NEW), encoding="utf-8")
    model = analyse(pack).model
    (item,) = [i for i in model.all_checklist_items() if i.id == ITEM]
    role = model.item_role(item)
    expected = {f"checklists/{item.checklist}.pdf"} | {
        f"checklists/{c.id}.pdf" for c in model.checklists.values() if c.collect_role == role}
    assert len(expected) == 2, expected  # the flow's checklist and the teller's

    rendered, reused, edited = build(pack, out)
    changed = {name for name in first if edited[name] != first[name]}
    assert changed == expected
    assert (rendered, reused) == (len(expected), len(first) - len(expected))
    # The new entries joined the old; the folder stays bounded (test below).
    assert len(list((out / ".cache" / "pdf").glob("*.pdf"))) == len(first) + len(expected)


def test_the_key_follows_the_content_the_kind_and_the_code(
        monkeypatch: pytest.MonkeyPatch) -> None:
    job = Job("forms/a.pdf", "<html>甲</html>", "/nowhere/a.pdf", True, ("id_number",))
    same = Job("forms/a.pdf", "<html>甲</html>", "/elsewhere/b.pdf", True, ("id_number",))
    assert key(job) == key(same), "where a PDF goes is no part of its content"
    others = [Job("forms/a.pdf", "<html>乙</html>", "/nowhere/a.pdf", True, ("id_number",)),
              Job("forms/a.pdf", "<html>甲</html>", "/nowhere/a.pdf", False, ("id_number",)),
              Job("forms/a.pdf", "<html>甲</html>", "/nowhere/a.pdf", True, ())]
    assert len({key(job), *map(key, others)}) == 4
    before = key(job)
    monkeypatch.setattr(cache_module, "code_version", lambda: "another form finisher")
    assert key(job) != before
    monkeypatch.undo()
    monkeypatch.setattr(cache_module, "fonts_version", lambda: "a font installed")
    assert key(job) != before


def test_old_entries_are_pruned_and_temporary_files_removed(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    jobs = []
    for n in range(2):
        target = tmp_path / f"{n}.pdf"
        target.write_bytes(b"%PDF-" + bytes([n]))
        jobs.append(Job(f"flows/{n}.pdf", f"<html>{n}</html>", str(target), False))
    now = time.time()
    for n in range(10):  # ten entries of earlier builds, n = 9 the newest
        old = folder / f"{n:064x}.pdf"
        old.write_bytes(b"old")
        os.utime(old, (now - 1000 + n, now - 1000 + n))
    (folder / "left-by-a-killed-build.tmp").write_bytes(b"half")
    cache = PdfCache(folder)
    cache.store(jobs[0])
    assert cache.fetch(jobs[0]) and not cache.fetch(jobs[1])
    cache.store(jobs[1])
    cache.prune()
    kept = sorted(p.name for p in folder.iterdir())
    spare = [f"{n:064x}.pdf" for n in range(10 - cache_module.SPARE * 2, 10)]
    assert kept == sorted([cache.path(jobs[0]).name, cache.path(jobs[1]).name, *spare])
    assert (cache.rendered, cache.reused) == (2, 1)
