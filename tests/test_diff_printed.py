"""``policybook diff --pdf-review DIR``: before/after images of the printed pages a change
alters, in throw-away git repositories like the other diff tests. A checklist item's
new wording gives one image pair, for that checklist's PDF and the page the item is on,
with a red box around the changed line; a commit that changes no printed word gives
none."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli
from PIL import Image, ImageChops
from test_diff import GIT_ENV, PackRepo

from generator.diff.printed import BOX, LINK_MARKER

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                reason="pdftoppm (poppler-utils) renders the pages")

CHECKLIST = "checklists/front-desk.yaml"
OLD = "已向客户说明开户所需的证件和资料。"
NEW = "已向客户说明开户所需证件和资料。"
ITEM = f"""  - id: fdc_materials
    text: {OLD}
    step: receive_client
"""
"""An item of the front-desk checklist on a step of the client manager, a role that has
no checklist of its own: it is printed on that checklist only (an item on a step of a
role with a role checklist is printed on both, and both would rightly be shown)."""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PackRepo]:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    repo = PackRepo(tmp_path / "repo")
    repo.edit(CHECKLIST, "items:\n", "items:\n" + ITEM)
    repo.commit("清单:说明所需材料")
    yield repo


def review(out: Path, *format: str) -> str:
    """The report of diff main → pr with the images written into ``out``."""
    run = run_cli("diff", "main", "pr", *format, "--pdf-review", out)
    assert run.code == 0, run.err
    return run.out


def images(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.png"))


def test_a_changed_checklist_item_gives_one_image_pair_for_its_page(repo: PackRepo,
                                                                    tmp_path: Path) -> None:
    pdf = f"checklists/{_checklist_id(repo)}.pdf"
    repo.git("checkout", "-q", "-b", "pr")
    repo.edit(CHECKLIST, OLD, NEW)
    repo.commit("清单:申请表每一页都要签名")
    out = tmp_path / "review"
    report = json.loads(review(out, "--format", "json"))
    keep = os.environ.get("POLICYBOOK_KEEP_REVIEW")  # to look at the images
    if keep:
        shutil.copytree(out, keep, dirs_exist_ok=True)
    stem = pdf.removesuffix(".pdf")
    assert images(out) == [f"{stem}/page-1-after.png", f"{stem}/page-1-before.png"]
    (printed,) = report["printed"]
    assert printed["pdf"] == pdf and printed["status"] == "changed"
    (page,) = printed["pages"]
    assert page["page"] == 1 and page["before"] == f"{stem}/page-1-before.png"
    left, top, right, bottom = page["box"]
    before = Image.open(out / page["before"]).convert("RGB")
    after = Image.open(out / page["after"]).convert("RGB")
    assert before.size == after.size
    # The changed pixels are one line of a checklist, not the whole page …
    assert 0 < bottom - top < before.height / 8 and right - left < before.width
    # … the after image carries the red box around them and is unchanged elsewhere.
    assert after.getpixel((max(left - 6, 0) + 1, (top + bottom) // 2)) == BOX
    assert BOX not in {colour for _, colour in before.getcolors(1 << 24) or ()}
    outside = (0, 0, before.width, max(top - 10, 1))
    assert ImageChops.difference(before.crop(outside), after.crop(outside)).getbbox() is None
    # The Markdown of the pull-request comment lists it, where the link will go.
    (row,) = [line for line in review(out).splitlines() if line.startswith(f"| `{pdf}`")]
    pages = printed["pages_after"]
    assert pages == printed["pages_before"] > 1  # only the first page of several changed
    assert row == f"| `{pdf}` | 修改 | 第 1 页 | {pages} → {pages} |"


def test_a_change_that_prints_nothing_new_gives_no_image(repo: PackRepo,
                                                         tmp_path: Path) -> None:
    """A commit that changes only comments and layout in the YAML: both sides' printables
    are rendered (the head's content is the base's, so its PDFs come from the cache the
    sides share) and compared, and no page differs."""
    repo.git("checkout", "-q", "-b", "pr")
    path = repo.policies / CHECKLIST
    path.write_text(path.read_text(encoding="utf-8").replace(
        "items:\n", "# 清单条目(只改了注释)\nitems:\n", 1), encoding="utf-8")
    repo.commit("只改注释")
    out = tmp_path / "review"
    markdown = review(out)
    assert "逐像素相同" in markdown and LINK_MARKER not in markdown
    assert out.is_dir() and images(out) == []


def test_without_the_option_no_printable_is_rendered(repo: PackRepo) -> None:
    repo.git("checkout", "-q", "-b", "pr")
    repo.edit(CHECKLIST, OLD, NEW)
    repo.commit("清单")
    run = run_cli("diff", "main", "pr", "--format", "json")
    assert "printed" not in json.loads(run.out)
    assert "打印件的页面" not in run_cli("diff", "main", "pr").out


def _checklist_id(repo: PackRepo) -> str:
    for line in (repo.policies / CHECKLIST).read_text(encoding="utf-8").splitlines():
        if line.startswith("id: "):
            return line.removeprefix("id: ").strip()
    raise AssertionError("the checklist has no id")
