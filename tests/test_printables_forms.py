"""The forms' fields, as a viewer reads them: correct AcroForm structure, and values
filled with pypdf (Chinese text, ticks, radio choices) drawn by poppler, by PDFium
(Chromium's viewer) and by pdf.js where each must appear, without the viewer being
asked to redraw anything."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import POLICIES
from pdfpixels import PdfJs, fill, ink, pdfium, poppler, widgets
from pypdf import PdfReader

from generator.model import Model
from generator.pipeline import analyse

pytestmark = pytest.mark.slow

DPI = 100
COMB, RADIO = 1 << 24, 1 << 15


@pytest.fixture(scope="module")
def model() -> Model:
    return analyse(POLICIES).model


@pytest.fixture(scope="module")
def forms(library_pdfs: Path) -> Path:
    """The shipped pack's blank forms, from the session's build of the library (conftest):
    read only."""
    return library_pdfs / POLICIES.name / "forms"


@pytest.fixture(scope="module")
def filled(forms: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, tuple[Path, Path, dict[str, str]]]:
    """form id → (blank, filled, the values); the filled copies in a folder of their own."""
    folder = tmp_path_factory.mktemp("filled")
    return {blank.stem: (blank, folder / blank.name, fill(blank, folder / blank.name))
            for blank in sorted(forms.glob("*.pdf"))}


def acroform(path: Path) -> dict:  # type: ignore[type-arg]
    return PdfReader(path).trailer["/Root"]["/AcroForm"].get_object()


# --- structure ---------------------------------------------------------------------------------


def test_every_field_has_a_da_with_a_font_of_the_form(forms: Path) -> None:
    for path in forms.glob("*.pdf"):
        form = acroform(path)
        fonts = set(form["/DR"]["/Font"])
        assert form.get("/NeedAppearances") in (None, False), path
        for ref in form["/Fields"]:
            field = ref.get_object()
            da = str(field.get("/DA", ""))
            parts = da.split()
            assert "Tf" in parts, (path.name, field["/T"], da)
            assert parts[parts.index("Tf") - 2] in fonts, (path.name, field["/T"], da)
            assert "gs" not in parts, (path.name, field["/T"], da)


def test_buttons_have_an_appearance_for_every_state(forms: Path) -> None:
    buttons = 0
    for path in forms.glob("*.pdf"):
        for ref in acroform(path)["/Fields"]:
            field = ref.get_object()
            if field.get("/FT") != "/Btn":
                continue
            for kid in [k.get_object() for k in field.get("/Kids", [])] or [field]:
                states = set(kid["/AP"]["/N"])
                assert "/Off" in states and len(states) == 2, (path.name, field["/T"], states)
                assert kid["/AS"] == "/Off"
                assert "/CA" in kid["/MK"] and "/DA" in kid
                buttons += 1
    assert buttons >= 50


def test_one_field_per_radio_group(model: Model, forms: Path) -> None:
    for form in model.forms.values():
        fields = [r.get_object() for r in acroform(forms / f"{form.id}.pdf")["/Fields"]]
        names = [str(f["/T"]) for f in fields]
        assert len(names) == len(set(names)), Counter(names).most_common(3)
        assert not [f for f in fields if "/Parent" in f], form.id
        for field in fields:
            if int(field.get("/Ff", 0)) & RADIO:
                kids = [k.get_object() for k in field["/Kids"]]
                assert all("/T" not in k for k in kids), (form.id, field["/T"])
                # each kid's on-state is an option's id: the group's value when chosen
                on = {next(s for s in k["/AP"]["/N"] if s != "/Off") for k in kids}
                assert len(on) == len(kids), (form.id, field["/T"], on)
        for f in form.fields:
            if f.type == "choice" and not f.derived:  # a derived field is printed, no input
                group = next(x for x in fields if x["/T"] == f.id)
                on = {str(s) for k in group["/Kids"] for s in k.get_object()["/AP"]["/N"]}
                assert on - {"/Off"} == {f"/{o.id}" for o in f.options}, f.id


def test_id_numbers_are_combs_over_their_cells_and_dates_three_fields(
        model: Model, forms: Path) -> None:
    combs = dates = 0
    for form in model.forms.values():
        by_name = {str(r.get_object()["/T"]): r.get_object()
                   for r in acroform(forms / f"{form.id}.pdf")["/Fields"]}
        for f in form.fields:
            if f.type == "id_number":
                field = by_name[f.id]
                assert int(field["/Ff"]) & COMB and int(field["/MaxLen"]) == 18, form.id
                x1, _, x2, _ = (float(v) for v in field["/Rect"])
                assert abs((x2 - x1) - 93.6 / 25.4 * 72) < 1.5, (form.id, x2 - x1)  # 18 × 5.2 mm
                combs += 1
            if f.type == "date":
                assert f.id not in by_name
                for part, size in (("year", 4), ("month", 2), ("day", 2)):
                    assert int(by_name[f"{f.id}:{part}"]["/MaxLen"]) == size
                dates += 1
    assert combs >= 3 and dates >= 5


def test_the_questionnaire_answers_are_one_radio_group_per_question(
        model: Model, forms: Path) -> None:
    form = next(f for f in model.forms.values() if f.questionnaire)
    q = model.questionnaires[form.questionnaire]
    reader = PdfReader(forms / f"{form.id}.pdf")
    fields = reader.get_fields() or {}
    for question in q.questions:
        group = fields[f"{q.id}:{question.id}"]
        assert group.get("/FT") == "/Btn" and int(group.get("/Ff", 0)) & RADIO
        states = {str(s) for k in group["/Kids"] for s in k.get_object()["/AP"]["/N"]}
        assert states - {"/Off"} == {f"/{a.id}" for a in question.answers}
    # The scoring key stays on the bank's page, which holds no field.
    key_pages = [n for n, p in enumerate(reader.pages) if "评分标准" in (p.extract_text() or "")]
    assert key_pages
    for n in key_pages:
        assert not [a for a in reader.pages[n].get("/Annots") or []
                    if a.get_object().get("/Subtype") == "/Widget"], n


def test_filling_reads_each_font_once_and_writes_the_same_bytes(
        filled: dict[str, tuple[Path, Path, dict[str, str]]], tmp_path: Path) -> None:
    """``fill`` has pypdf read each font once instead of once a field: the same file as
    pypdf writes on its own (on the form with the fewest fields to draw)."""
    name = min(filled, key=lambda n: len(filled[n][2]))
    blank, target, values = filled[name]
    assert fill(blank, tmp_path / "slow.pdf", fonts_once=False) == values
    assert (tmp_path / "slow.pdf").read_bytes() == target.read_bytes()


# --- what the viewers draw ---------------------------------------------------------------------


def check_drawn(blank: Path, filled: Path, values: dict[str, str], render) -> int:  # type: ignore[no-untyped-def]
    """Every value of ``filled`` shows where its widget is, and only there: more ink in
    the filled rendering than in the blank one; a radio group's other buttons stay empty."""
    checked = 0
    found = widgets(filled)
    height = float(PdfReader(filled).pages[0].mediabox.height)
    for number in sorted({w.page for w in found}):
        before, after = render(blank, number), render(filled, number)
        for w in (w for w in found if w.page == number):
            gained = ink(after, w.rect, height, DPI) - ink(before, w.rect, height, DPI)
            chosen = not w.on or values[w.field] == w.on
            if chosen:  # dark pixels at 100 dpi: a tick in a 10 pt box; 4 a character
                assert gained > (15 if w.on else 4 * len(values[w.field])), (
                    filled.name, w.field, w.on or values[w.field], gained)
                checked += 1
            else:
                assert abs(gained) <= 2, (filled.name, w.field, w.on, gained)
    return checked


def test_poppler_draws_every_filled_value(filled: dict[str, tuple[Path, Path, dict[str, str]]]
                                          ) -> None:
    said: list[str] = []

    def render(path: Path, number: int):  # type: ignore[no-untyped-def]
        image, stderr = poppler(path, number, DPI)
        said.append(stderr)
        return image

    checked = sum(check_drawn(b, f, v, render) for b, f, v in filled.values())
    assert checked >= 150
    assert not [s for s in said if "Error" in s], said[:3]


def test_pdfium_draws_every_filled_value(filled: dict[str, tuple[Path, Path, dict[str, str]]]
                                         ) -> None:
    """PDFium is Chromium's PDF engine: what its viewer shows of a filled form."""
    pytest.importorskip("pypdfium2")
    checked = sum(check_drawn(b, f, v, lambda path, n: pdfium(path, n, DPI))
                  for b, f, v in filled.values())
    assert checked >= 150


@pytest.mark.browser
def test_pdfjs_draws_every_filled_value(filled: dict[str, tuple[Path, Path, dict[str, str]]],
                                        tmp_path: Path) -> None:
    if why := PdfJs.available():
        pytest.skip(why)
    with PdfJs(tmp_path) as viewer:
        def render(path: Path, number: int):  # type: ignore[no-untyped-def]
            return viewer.render(path, number, DPI)[0]

        checked = sum(check_drawn(b, f, v, render) for name, (b, f, v) in filled.items()
                      if name in ("account_application", "risk_questionnaire"))
        assert viewer.errors == []
    assert checked >= 60

