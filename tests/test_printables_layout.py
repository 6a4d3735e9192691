"""How the printed pages break: headings stay with what they head, the sign-off
block is whole on one page, no document ends on a nearly empty page, each page of a
client's document asks for the client, each document asks for the blanks it needs,
and a checklist several roles share has a 经办 cell per item."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLE_PACK, POLICIES
from PIL import Image
from pypdf import PdfReader

from generator.model import Model
from generator.pipeline import analyse

pytestmark = pytest.mark.slow


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def model() -> Model:
    return analyse(POLICIES).model


MIN_LAST_PAGE = 0.2
"""How far down its body a document's last page must reach, unless it is the only one."""


@pytest.fixture(scope="module")
def built(library_pdfs: Path) -> Path:
    """The shipped pack's PDFs, from the session's build of the library (conftest)."""
    return library_pdfs / POLICIES.name


@pytest.fixture(scope="module")
def pages(built: Path) -> dict[str, list[str]]:
    return {str(p.relative_to(built)): page_texts(p) for p in sorted(built.rglob("*.pdf"))}


@pytest.fixture(scope="module")
def example_built(library_pdfs: Path) -> Path:
    """The example pack's PDFs, from the same build."""
    return library_pdfs / EXAMPLE_PACK.name


def page_count(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def last_page_fill(pdf: Path) -> float:
    """How far down the body of the last page (A4 less the 22 mm and 18 mm margins)
    the lowest dark pixel lies, from 0 to 1, as pdftoppm draws it."""
    n = page_count(pdf)
    png = subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", "-f", str(n), "-l", str(n),
                          str(pdf)], capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    per_mm = image.height / 297
    top, bottom = int(22 * per_mm) + 1, int((297 - 18) * per_mm) - 1
    left, right = int(15 * per_mm), int(195 * per_mm)
    pixels = image.load()
    assert pixels is not None
    inked = [y for y in range(top, bottom)
             if any(pixels[x, y] < 200 for x in range(left, right))]  # type: ignore[operator]
    return (max(inked) - top) / (bottom - top) if inked else 0.0


def page_texts(pdf: Path) -> list[str]:
    """Each page's text as pdftotext extracts it (poppler), squashed."""
    run = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, check=True)
    texts = run.stdout.split("\f")  # a form feed ends each page
    assert texts[-1].strip() == "" and len(texts) - 1 == page_count(pdf), pdf
    return [squash(text) for text in texts[:-1]]


def test_no_document_ends_on_a_nearly_empty_page(built: Path, example_built: Path) -> None:
    pdfs = sorted([*built.rglob("*.pdf"), *example_built.rglob("*.pdf")])
    assert len(pdfs) > 30
    thin = {str(p.relative_to(p.parents[1])): round(fill, 3) for p in pdfs
            if page_count(p) > 1 and (fill := last_page_fill(p)) < MIN_LAST_PAGE}
    assert not thin, thin


def html_pages(body: str) -> str:
    return ("<html><head><style>@page { size: A4; margin: 20mm } p { height: 30mm; margin: 0 }"
            " .key { break-before: page }</style></head><body>" + body + "</body></html>")


def test_a_thin_last_page_after_a_forced_break_is_laid_out_again() -> None:
    """The answer key starts on a page of its own and runs on: its nearly empty last
    page is retried in the compact spacing (a box split over pages does not count as
    starting each of them with its break), but a last page that starts with a forced
    break (the bank's copy) is not."""
    import weasyprint

    from generator.printables.render import page_fills, wasted_last_page

    def document(body: str) -> weasyprint.Document:
        return weasyprint.HTML(string=html_pages(body)).render()

    key = document("<p>题</p>" * 3 + '<section class="key">' + "<p>答</p>" * 9 + "</section>")
    fills = page_fills(key)
    assert len(fills) == 3 and [forced for _, _, forced in fills] == [False, True, False]
    assert wasted_last_page(key)
    bank_copy = document("<p>题</p>" * 3 + '<section class="key"><p>答</p></section>')
    assert [forced for _, _, forced in page_fills(bank_copy)] == [False, True]
    assert not wasted_last_page(bank_copy)


def test_every_page_of_a_client_document_asks_for_the_client(
        model: Model, built: Path) -> None:
    documents = [(f"forms/{f.id}.pdf", f.page_fields) for f in model.forms.values()]
    documents += [(f"checklists/{c.id}.pdf", c.page_fields)
                  for c in model.checklists.values()]
    checked = 0
    for name, fields in documents:
        texts = page_texts(built / name)
        for number, text in enumerate(texts[1:], 2):
            for field in fields:
                assert squash(model.text(field)) in text, (name, number, field)
                checked += 1
        if not fields:  # no blanks where the document declares none
            assert not any("证件号码后四位" in t for t in texts), name
    assert checked > 20
    # The shipped forms of one client ask for the client's name and ID on every page.
    application = model.forms["account_application"]
    assert application.page_fields == ("客户姓名", "证件号码后四位")
    assert page_count(built / "forms/account_application.pdf") > 1


def test_the_sign_off_heading_is_on_the_page_of_its_table(
        model: Model, pages: dict[str, list[str]]) -> None:
    for cl in model.checklists.values():
        texts = pages[f"checklists/{cl.id}.pdf"]
        (where,) = [n for n, t in enumerate(texts) if "签字确认" in t]
        tail = texts[where].split("签字确认", 1)[1]
        for word in ("姓名（签名）", "员工号", "执行人", "复核人", "复核意见"):
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


def test_a_checklist_of_several_roles_has_a_cell_for_initials(
        model: Model, pages: dict[str, list[str]]) -> None:
    several = []
    for cl in model.checklists.values():
        roles = {model.item_role(i) for i in model.checklist_items(cl)}
        text = "".join(pages[f"checklists/{cl.id}.pdf"])
        heads = text.count("检查项依据规则备注经办")
        if len(roles) > 1:
            several.append(cl.id)
            tables = text.count("检查项依据规则备注")
            assert heads == tables > 0, cl.id  # every step's table has the column
            for role in roles:
                assert model.roles[role].name in text.split("签字确认")[0], (cl.id, role)
        else:
            assert heads == 0, cl.id
    assert "front_desk_checklist" in several and len(several) < len(model.checklists)
