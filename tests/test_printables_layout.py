"""How the printed pages break: headings stay with what they head, the sign-off
block is whole on one page, and each document asks for the blanks it needs."""

from __future__ import annotations

import re

import pytest
from conftest import POLICIES
from pypdf import PdfReader

from generator.model import Model
from generator.pipeline import analyse
from generator.printables import build_printables

pytestmark = pytest.mark.slow


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def model() -> Model:
    return analyse(POLICIES).model


@pytest.fixture(scope="module")
def pages(model: Model, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    out = tmp_path_factory.mktemp("layout") / "pdf"
    build_printables(model, out, jobs=2)
    return {str(p.relative_to(out)): [squash(page.extract_text() or "")
                                      for page in PdfReader(p).pages]
            for p in sorted(out.rglob("*.pdf"))}


def test_the_sign_off_heading_is_on_the_page_of_its_table(
        model: Model, pages: dict[str, list[str]]) -> None:
    for cl in model.checklists.values():
        texts = pages[f"checklists/{cl.id}.pdf"]
        (where,) = [n for n, t in enumerate(texts) if "签字确认" in t]
        tail = texts[where].split("签字确认", 1)[1]
        for word in ("姓名(签名)", "员工号", "执行人", "复核人", "复核意见"):
            assert word in tail, (cl.id, word)


def test_flow_sheets_head_their_step_table_once(pages: dict[str, list[str]]) -> None:
    flows = [name for name in pages if name.startswith("flows/")]
    assert flows
    for name in flows:
        text = "".join(pages[name])
        assert "各环节要点" in text and "环节各环节要点" not in text, name


def test_each_checklist_prints_its_own_header_blanks(
        model: Model, pages: dict[str, list[str]]) -> None:
    for cl in model.checklists.values():
        first = pages[f"checklists/{cl.id}.pdf"][0]
        for blank in cl.header_fields:
            assert squash(model.text(blank)) in first, (cl.id, blank)
    # The end-of-day list covers a day's openings: it asks for no one client.
    eod = next(c for c in model.checklists.values() if c.flow == "end_of_day")
    assert not [f for f in eod.header_fields if "客户" in f]
    assert "客户姓名" not in pages[f"checklists/{eod.id}.pdf"][0]
