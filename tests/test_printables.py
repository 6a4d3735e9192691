"""Printable checklists, forms and flow sheets: what a branch prints must carry the
policies' words and values, in real glyphs, on A4, the same bytes every build (in any
folder and time zone, serially or in parallel: tests/test_printables_links.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from conftest import EXAMPLES, POLICIES, ROOT
from pypdf import PdfReader

from generator.errors import BuildError
from generator.model import Model
from generator.pipeline import analyse
from generator.printables import build as build_module
from generator.printables import build_printables, plan
from generator.printables.build import jobs_for
from generator.printables.cache import PdfCache
from generator.printables.fonts import field_font, find_cjk_font
from generator.printables.render import Job, render_html, write_pdf

pytestmark = pytest.mark.slow

SITE = "https://handbook.example.cn/wealth/"
ARTIFACTS = ROOT / "tests" / "artifacts"
A4 = (595.28, 841.89)


def squash(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines where the layout wraps."""
    return re.sub(r"\s+", "", text)


def page_texts(path: Path) -> list[str]:
    """Each page's text as poppler's pdftotext extracts it, squashed."""
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, text=True, check=True, timeout=120)
    pages = run.stdout.split("\f")  # a form feed ends each page
    assert pages[-1].strip() == "", path
    return [squash(page) for page in pages[:-1]]


def pdf_text(path: Path) -> str:
    return "".join(page_texts(path))


@pytest.fixture(scope="module")
def model() -> Model:
    analysis = analyse(POLICIES)
    assert analysis.ok, [d.message for d in analysis.diagnostics if d.severity >= 2]
    return analysis.model


@pytest.fixture(scope="module")
def built(model: Model, library_pdfs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped pack's PDFs, its steps linked to the site at ``SITE`` (so with QR
    codes). With a copy of the content-addressed cache of the session's build of the
    library (conftest), as ``policybook build`` would use it: what the site URL does not
    change is copied from there, the rest rendered (two processes)."""
    tmp = tmp_path_factory.mktemp("printables")
    shutil.copytree(library_pdfs.parent / ".cache" / "pdf", tmp / "cache")
    cache = PdfCache(tmp / "cache")
    build_printables(model, tmp / "pdf", jobs=2, site_url=SITE, cache=cache)
    assert cache.rendered >= len(model.checklists), "the QR codes are new: rendered"
    return tmp / "pdf"


@pytest.fixture(scope="module")
def texts(built: Path) -> dict[str, str]:
    return {str(p.relative_to(built)): pdf_text(p) for p in sorted(built.rglob("*.pdf"))}


# --- what is generated ----------------------------------------------------------------------


def test_one_pdf_per_checklist_form_and_flow(model: Model, built: Path) -> None:
    expected = ({f"checklists/{c}.pdf" for c in model.checklists}
                | {f"forms/{f}.pdf" for f in model.forms}
                | {f"flows/{f}.pdf" for f in model.flows} | {"selftest/selftest.pdf"})
    assert {str(p.relative_to(built)) for p in built.rglob("*.pdf")} == expected
    assert len(model.checklists) >= 7 and len(model.forms) >= 6 and len(model.flows) >= 3
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".pdf.")], \
        "the staging folder is gone after a build"


def test_every_checklist_item_is_printed_with_the_rules_it_serves(
        model: Model, texts: dict[str, str]) -> None:
    for cl in model.checklists.values():
        text = texts[f"checklists/{cl.id}.pdf"]
        items = model.checklist_items(cl)
        assert items, f"{cl.id} has no items"
        for item in items:
            assert squash(model.text(item.text)) in text, (cl.id, item.id)
            for rule in item.rules:
                assert rule in text, (cl.id, item.id, rule)
        step_titles = {model.steps[i.step].title for i in items if i.step in model.steps}
        for title in step_titles:
            assert squash(model.text(title)) in text, (cl.id, title)
        for word in ("执行人", "员工号", "复核人", "日期"):
            assert word in text, (cl.id, word)


def test_role_checklists_collect_the_items_of_their_role(model: Model,
                                                          texts: dict[str, str]) -> None:
    roles = [c for c in model.checklists.values() if c.collect_role]
    assert roles
    for cl in roles:
        text = texts[f"checklists/{cl.id}.pdf"]
        assert model.roles[cl.collect_role].name in text
        others = [i for i in model.all_checklist_items()
                  if model.item_role(i) != cl.collect_role]
        mine = {squash(model.text(i.text)) for i in model.checklist_items(cl)}
        # An item of another role is not on this role's list (unless the same words).
        for item in others:
            words = squash(model.text(item.text))
            if words not in mine and not any(words in m for m in mine):
                assert words not in text, (cl.id, item.id)


def test_every_form_field_label_option_and_hint_is_printed(model: Model,
                                                           texts: dict[str, str]) -> None:
    for form in model.forms.values():
        text = texts[f"forms/{form.id}.pdf"]
        assert squash(model.text(form.title)) in text
        for field in form.fields:
            assert squash(model.text(field.label)) in text, (form.id, field.id)
            for option in field.options:
                assert squash(model.text(option.label)) in text, (form.id, field.id, option.id)
            if field.hint:
                assert squash(model.text(field.hint)) in text, (form.id, field.id)


def test_a_form_with_a_questionnaire_prints_questions_answers_and_scoring_key(
        model: Model, texts: dict[str, str]) -> None:
    forms = [f for f in model.forms.values() if f.questionnaire]
    assert forms
    for form in forms:
        text = texts[f"forms/{form.id}.pdf"]
        q = model.questionnaires[form.questionnaire]
        for question in q.questions:
            assert squash(model.text(question.text)) in text
            for answer in question.answers:
                assert squash(model.text(answer.text)) in text
        assert "评分标准" in text
        for level in q.levels:
            assert f"{level.min_score}–{level.max_score}" in text
            assert squash(level.title) in text


def test_every_parameter_reference_shows_its_value(model: Model,
                                                   texts: dict[str, str]) -> None:
    """Every {{ parameter }} in a printed text appears as its value with unit."""
    sources: dict[str, list[str]] = {}
    for cl in model.checklists.values():
        sources[f"checklists/{cl.id}.pdf"] = [i.text for i in model.checklist_items(cl)]
    for form in model.forms.values():
        sources[f"forms/{form.id}.pdf"] = [t for f in form.fields for t in (f.label, f.hint)]
    for flow in model.flows.values():
        sources[f"flows/{flow.id}.pdf"] = [
            t for s in flow.steps for t in (s.title, s.purpose, s.question, *s.actions)]
    seen = 0
    for name, strings in sources.items():
        for s in strings:
            for param in re.findall(r"\{\{\s*(\w+)\s*\}\}", s):
                assert model.parameters[param].display in texts[name], (name, param)
                seen += 1
        assert "{{" not in texts[name], name
    assert seen >= 5


def test_flow_sheet_shows_every_step_and_outcome(model: Model, texts: dict[str, str]) -> None:
    for flow in model.flows.values():
        text = texts[f"flows/{flow.id}.pdf"]
        for step in flow.steps:
            assert squash(model.text(step.title)) in text, (flow.id, step.id)
            for outcome in step.outcomes:
                for part in model.text(outcome.title).split(";"):
                    assert squash(part) in text, (flow.id, step.id, outcome.id)


def test_header_and_footer_on_every_page(model: Model, built: Path) -> None:
    assert model.meta is not None
    for path in built.rglob("*.pdf"):
        pages = page_texts(path)
        assert len(pages) == len(PdfReader(path).pages), path
        for number, text in enumerate(pages, start=1):
            assert squash(model.meta.title) in text, path
            assert model.meta.version in text and model.meta.effective_date.isoformat() in text
            assert f"第{number}页/共{len(pages)}页" in text, (path, number)
            assert re.search(r"[A-Z]{2,}-[A-Z]-\d{2}", text), (path, number)


def test_pages_are_a4_and_fonts_embedded(built: Path) -> None:
    for path in built.rglob("*.pdf"):
        reader = PdfReader(path)
        for page in reader.pages:
            box = page.mediabox
            assert (round(float(box.width), 1), round(float(box.height), 1)) == \
                (round(A4[0], 1), round(A4[1], 1)), path
            fonts = page["/Resources"]["/Font"]
            assert fonts, path
            for ref in fonts.values():
                font = ref.get_object()
                descendant = font["/DescendantFonts"][0].get_object() \
                    if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                    (path, font.get("/BaseFont"))
                assert "CJK" in str(font.get("/BaseFont")) or "Field" in str(
                    font.get("/BaseFont")), (path, font.get("/BaseFont"))


def test_fillable_fields_are_named_by_the_policy_field_ids(model: Model, built: Path) -> None:
    for form in model.forms.values():
        fields = PdfReader(built / f"forms/{form.id}.pdf").get_fields() or {}
        names = {n for n in fields if "." not in n}  # pypdf also lists radio kids as a.a
        expected = set()
        for f in form.fields:
            if f.type == "signature" or f.derived:
                continue  # signed by hand; printed by the system, read-only
            if f.type == "multi_choice":
                expected |= {f"{f.id}:{o.id}" for o in f.options}
            elif f.type == "date":  # three fields in the printed 年 月 日
                expected |= {f"{f.id}:{part}" for part in ("year", "month", "day")}
            else:
                expected.add(f.id)
        if form.questionnaire:  # each question: its answers (a radio group), its score
            q = model.questionnaires[form.questionnaire]
            expected |= {f"{q.id}:{x.id}{end}" for x in q.questions for end in ("", ":score")}
        assert names == expected, form.id
        kinds = {n: fields[n].get("/FT") for n in names}
        for f in form.fields:
            if f.derived:
                continue
            if f.type in ("text", "textarea", "number", "money", "id_number", "phone"):
                assert kinds[f.id] == "/Tx", (form.id, f.id)
            elif f.type in ("choice", "checkbox"):
                assert kinds[f.id] == "/Btn", (form.id, f.id)


def test_system_scored_fields_are_printed_not_fillable(model: Model, built: Path) -> None:
    form = model.forms["risk_questionnaire"]
    derived = {f.id for f in form.fields if f.derived}
    assert {"total_score", "risk_level", "max_product_risk"} <= derived
    fields = PdfReader(built / "forms/risk_questionnaire.pdf").get_fields() or {}
    assert not derived & {n.split(".")[0] for n in fields}  # no input a person could change
    assert {"client_opinion", "elected_level"} <= set(fields)  # the client's own say stays
    text = pdf_text(built / "forms/risk_questionnaire.pdf")
    assert "系统计分后打印" in text and "要求按更低等级服务" in text


def test_checklists_link_each_step_to_its_page_on_the_site(model: Model, built: Path) -> None:
    from generator.site.links import Addresses, page_url

    addresses = Addresses(model)
    for cl in model.checklists.values():
        uris = set()
        for page in PdfReader(built / f"checklists/{cl.id}.pdf").pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action and "/URI" in action:
                    uris.add(str(action["/URI"]))
        steps = {i.step for i in model.checklist_items(cl)}
        expected = {SITE + page_url(addresses.step(s).src, directory_urls=True) for s in steps}
        assert expected <= uris, cl.id


def test_source_date_epoch_sets_the_pdf_dates(model: Model, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    printable = next(p for p in plan(model, SITE) if p.kind == "flows")
    assert printable.doc.header.timestamp == "2026-01-01T00:00:00Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert model.meta is not None
    stamp = next(p for p in plan(model, SITE) if p.kind == "flows").doc.header.timestamp
    assert stamp.startswith(model.meta.effective_date.isoformat())


NAMED = ("forms/account_application.pdf", "forms/exception_approval.pdf",
         "checklists/front_desk_checklist.pdf", "flows/front_desk.pdf")
"""Printables that state the asset threshold."""


def html_text(html: str) -> str:
    """All the text of a printable's HTML (its style sheet too: the pages' header and
    footer are written there), squashed: everything its PDF could show."""
    return squash(unescape(re.sub(r"<[^>]*>", "", html)))


def test_changing_a_threshold_in_one_file_changes_every_pdf(tmp_path: Path) -> None:
    """Every printable is rendered to HTML from the changed pack and checked there; the
    PDFs of those that state the threshold are rendered, and their text checked."""
    pack = tmp_path / "policies"
    shutil.copytree(POLICIES, pack)
    params = pack / "parameters.yaml"
    text = params.read_text(encoding="utf-8")
    assert "value: 1000000" in text
    params.write_text(text.replace("value: 1000000", "value: 2500000", 1), encoding="utf-8")
    # The whole pack stays consistent: the cases are written relative to the parameter.
    analysis = analyse(pack)
    assert analysis.ok, [d.message for d in analysis.diagnostics]
    assert analysis.model.parameters["min_financial_assets"].display == "250万元"
    printables = plan(analysis.model, SITE)
    font = field_font(find_cjk_font())
    html = {p.relpath: html_text(render_html(p, font)) for p in printables}
    assert len(html) >= 20
    showing = {name for name, text in html.items() if "250万元" in text}
    assert set(NAMED) <= showing
    # The self-test may offer any other amount as a wrong option (there: "50万元 × 2"),
    # stating why it is wrong; tests/test_selftest.py moves the threshold there.
    for name in showing - {"selftest/selftest.pdf"}:
        assert "100万元" not in html[name], name
    # What the HTML says is what the PDF prints.
    out = tmp_path / "pdf"
    named = [p for p in printables if p.relpath in NAMED]
    for kind in {p.kind for p in named}:
        (out / kind).mkdir(parents=True)
    assert len(list(build_module.run(jobs_for(named, out, font), jobs=2))) == len(NAMED)
    for name in NAMED:
        printed = pdf_text(out / name)
        assert "250万元" in printed and "100万元" not in printed, name


# --- failures ---------------------------------------------------------------------------------


def test_a_failed_build_leaves_the_previous_outputs_intact(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = analyse(EXAMPLES / "valid" / "minimal").model
    out = tmp_path / "pdf"
    build_printables(model, out, jobs=1, site_url=SITE)
    assert len(list(out.rglob("*.pdf"))) == 4  # checklist, form, flow sheet, self-test
    before = {p: p.read_bytes() for p in out.rglob("*.pdf")}
    calls = 0
    real = build_module.write_pdf

    def failing(job: Job) -> str:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise BuildError("boom")
        return real(job)

    monkeypatch.setattr(build_module, "write_pdf", failing)
    with pytest.raises(BuildError, match="boom"):
        build_printables(model, out, jobs=1, site_url=SITE)
    assert calls == 2
    assert {p: p.read_bytes() for p in out.rglob("*.pdf")} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pdf"], "no staging folder left"


def test_a_glyph_missing_from_every_font_is_a_build_error(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    html = "<html><body><p>开户 \U00013000</p></body></html>"  # an Egyptian hieroglyph
    target = tmp_path / "x.pdf"
    with pytest.raises(BuildError, match="U\\+13000") as error:
        write_pdf(Job("flows/x.pdf", html, str(target), False))
    assert "flows/x.pdf" in str(error.value) and "\U00013000" in str(error.value)
    # No CJK font would draw a hieroglyph: the advice is to replace it or add a font.
    assert "fonts-noto-cjk" not in str(error.value) and "字体" in str(error.value)
    assert not target.exists()
    assert ".notdef" not in caplog.text, "one clear error instead of a warning per glyph"


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture
def no_cjk_fonts(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An environment whose fontconfig sees DejaVu only (no CJK glyphs)."""
    if not Path("/usr/share/fonts/truetype/dejavu").is_dir():
        pytest.skip("DejaVu fonts are not installed")
    conf = tmp_path / "fonts.conf"
    conf.write_text(FONTS_CONF.format(cache=tmp_path / "fc-cache"), encoding="utf-8")
    yield {**os.environ, "FONTCONFIG_FILE": str(conf), "PYTHONPATH": str(ROOT)}


def test_chinese_in_a_font_without_cjk_glyphs_is_a_build_error(
        no_cjk_fonts: dict[str, str], tmp_path: Path) -> None:
    """The .notdef guard: WeasyPrint would exit 0 and print boxes."""
    script = textwrap.dedent(f"""
        from generator.errors import BuildError
        from generator.printables.render import Job, write_pdf
        html = '<html><body style="font-family: DejaVu Sans"><p>财富管理服务开户</p></body></html>'
        try:
            write_pdf(Job("checklists/x.pdf", html, {str(tmp_path / "x.pdf")!r}, False))
        except BuildError as exc:
            print("BuildError:", exc)
    """)
    run = subprocess.run([sys.executable, "-c", script], env=no_cjk_fonts, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert "BuildError:" in run.stdout, run.stderr
    assert "fonts-noto-cjk" in run.stdout
    assert ".notdef" not in run.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_build_without_a_cjk_font_fails_with_what_to_install(
        no_cjk_fonts: dict[str, str], tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(POLICIES), "--only", "pdf",
         "--out", str(tmp_path / "build")],
        env=no_cjk_fonts, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr
    assert "fonts-noto-cjk" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "build" / "pdf").exists()


# --- looking at them --------------------------------------------------------------------------


def test_first_pages_render_to_png_for_review(built: Path) -> None:
    """tests/artifacts/<kind>-<id>.png: the first page of one document of each kind,
    for a person to look at (pdftoppm -r 80)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for kind in ("checklists", "forms", "flows"):
        for path in sorted((built / kind).glob("*.pdf")):
            stem = ARTIFACTS / f"{kind}-{path.stem}"
            subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1",
                            "-singlefile", str(path), str(stem)], check=True)
            png = stem.with_suffix(".png")
            assert png.stat().st_size > 20_000, png  # a blank A4 page is ~3 kB


def test_a_failing_pdf_in_a_worker_process_fails_the_parallel_run(tmp_path: Path) -> None:
    ok = "<html><body><p>开户</p></body></html>"
    bad = "<html><body><p>开户 \U00013000</p></body></html>"
    work = [Job(f"checklists/{k}.pdf", bad if k == 1 else ok, str(tmp_path / f"{k}.pdf"), False)
            for k in range(3)]
    with pytest.raises(BuildError, match=r"checklists/1\.pdf"):
        list(build_module.run(work, jobs=2))
    assert not (tmp_path / "1.pdf").exists()


def test_site_url_comes_from_the_option_the_environment_or_mkdocs_yml(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.printables.links import Links, resolve_site_url

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nsite_url: https://bank.example/handbook\n"
                      "theme: !!python/name:material.Theme\n", encoding="utf-8")
    monkeypatch.delenv("POLICYBOOK_SITE_URL", raising=False)
    assert resolve_site_url(None, tmp_path / "missing.yml") == ""
    assert resolve_site_url(None, config) == "https://bank.example/handbook/"
    monkeypatch.setenv("POLICYBOOK_SITE_URL", "https://env.example/")
    assert resolve_site_url(None, config) == "https://env.example/"
    assert resolve_site_url("https://arg.example", config) == "https://arg.example/"
    # Relative (the PDF sits at print/<kind>/<id>.pdf in the site): a link, no QR code.
    relative = Links("").step("kyc_application")
    assert relative.url == "../../steps/kyc_application/" and not relative.qr
    absolute = Links("https://bank.example/").step("kyc_application")
    assert absolute.url == "https://bank.example/steps/kyc_application/"
    assert absolute.qr.startswith("<svg") and "qr" in absolute.qr


def test_each_diagram_page_fits_its_pdf_page(model: Model, built: Path) -> None:
    """A diagram cut into N windows takes pages 1..N, one window a page; the step list
    follows, on the last window's page when it has room (the list no longer forces a
    page break) or on the next."""
    for printable in plan(model, SITE):
        if printable.kind != "flows":
            continue
        windows = len(printable.doc.diagram)
        pages = page_texts(built / printable.relpath)
        first_list_page = next(k for k, text in enumerate(pages) if "各环节要点" in text)
        assert first_list_page in (windows - 1, windows), (
            printable.id, windows, first_list_page)
