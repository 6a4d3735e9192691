"""The handbook site, built as users get it: over the shipped pack and over a small
example pack whose text tries to break out of the page (HTML, Markdown, quotes).

Each site is one real build into a temporary folder (the shipped pack's is the session's,
``pack_site`` in conftest); the tests then read the built HTML, search index and files.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urljoin, urlparse

import pytest

from generator import escape
from generator.errors import BuildError
from generator.pipeline import analyse
from generator.reporters import Summary, render_text
from generator.site.build import build_site
from generator.site.links import Addresses
from tests.conftest import FAKE_PDF, POLICIES, ROOT, run_cli

pytestmark = pytest.mark.slow

MKDOCS_YML = ROOT / "mkdocs.yml"

# A small pack whose every kind of text tries to escape: HTML tags, Markdown links,
# emphasis, table pipes, quotes. None of it may become markup in the site.
MINI_PACK = {
    "pack.yaml": """\
kind: pack
id: mini
title: 迷你<script>alert("pack")</script>手册
owner: 测试部
version: "0.1.0"
effective_date: "2026-01-01"
provenance: {drafted: 测试用的最小政策包}
audience: [manager]
governing_documents:
  - {id: doc, title: 《测试办法》, binding: mandatory, provenance: {sourced: 第二部分 四(一)}}
stages:
  - {id: talk, title: 沟通}
sources:
  - id: deck
    title: 测试课件
    type: training_deck
    outline:
      - section: 第二部分
        title: 基本规定
        sections:
          - {section: 第二部分 四(一), title: 制度}
          - {section: 第二部分 四(二), title: 准入}
""",
    "roles.yaml": """\
kind: roles
provenance: {drafted: 测试}
permissions:
  - {id: serve, title: 服务客户}
roles:
  - {id: manager, name: 财富经理, name_en: Wealth manager, type: person, permissions: [serve]}
""",
    "parameters.yaml": """\
kind: parameters
provenance: {sourced: 第二部分 四(二)}
parameters:
  - {id: threshold, title: 门槛, value: 1000000, unit: 元}
""",
    "rules.yaml": """\
kind: rules
categories:
  - {id: process, title: 流程执行}
rules:
  - id: R-ONE
    title: 规则*一* <b>加粗</b>
    text: 金额达到 {{ threshold }} 的客户 [点我](http://evil.example) | 竖线
    category: process
    parameters: [threshold]
    provenance: {sourced: 第二部分 四(二), quote: "原文<img src=x onerror=alert(1)>"}
""",
    "flows/main.yaml": """\
kind: flow
id: main
title: 主流程
actors: [manager]
provenance: {drafted: 测试}
steps:
  - {id: begin, type: start, title: 开始, next: talk_step}
  - id: talk_step
    type: task
    title: 与客户沟通<script>alert("step")</script>
    stage: talk
    actor: manager
    permission: serve
    purpose: 了解客户 "需求" & 目标,由财富经理负责
    actions: ["说明 `服务` 内容 <i>斜体</i>", "# 不是标题"]
    rules: [R-ONE]
    next: decide
  - id: decide
    type: decision
    title: 客户是否同意?
    actor: manager
    permission: serve
    question: 客户同意吗?
    rules: [R-ONE]
    outcomes:
      - {id: yes_, title: "同意 \\"好\\" <ok>", next: done}
      - {id: no_, title: 不同意, next: done}
  - {id: done, type: end, title: 结束, result: done}
""",
    "glossary.yaml": """\
kind: glossary
provenance: {drafted: 测试}
terms:
  - id: wm
    term: 财富经理
    en: Wealth manager
    definition: 为客户开户的员工 <b>。
    aliases: [理财经理]
""",
    "cases/main.yaml": """\
kind: cases
id: main_cases
title: 主流程案例
provenance: {drafted: 测试}
cases:
  - id: agree
    title: 客户同意<script>alert("case")</script>
    rules: [R-ONE]
    flow: main
    choices: {decide: yes_}
    expect: {end: done}
""",
}


def write_pack(dest: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def shipped(pack_site: Path) -> Path:
    """The shipped pack's site, with printable PDFs for the first form, checklist and flow
    (conftest: built once a session, read only)."""
    return pack_site


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("mini")
    pack = write_pack(tmp / "pack", MINI_PACK)
    return build_site(MKDOCS_YML, policies=pack, pdf_dir=tmp / "no-pdf", site_dir=tmp / "site")


# --- reading the built site -------------------------------------------------------------


class _Page(HTMLParser):
    """The ids, links and resources of one built page."""

    FETCHING: ClassVar[dict[str, str]] = {
        "script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
        "video": "src", "embed": "src"}

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.fetched: list[str] = []
        self.mermaid: list[str] = []
        self._in_mermaid = 0
        self.text: list[str] = []
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "link" and "href" in a:
            self.fetched.append(a["href"])
        if tag in self.FETCHING and self.FETCHING[tag] in a:
            self.fetched.append(a[self.FETCHING[tag]])
        if tag == "pre" and "mermaid" in a.get("class", "").split():
            self._in_mermaid += 1
            self.mermaid.append("")
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self._in_mermaid:
            self._in_mermaid -= 1
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_mermaid:
            self.mermaid[-1] += data
        if self._in_h1:
            self.h1[-1] += data
        self.text.append(data)


def pages(site: Path) -> Iterator[tuple[str, _Page]]:
    """(URL path relative to the site root, parsed page) for every HTML page."""
    for path in sorted(site.rglob("*.html")):
        parser = _Page()
        parser.feed(path.read_text(encoding="utf-8"))
        yield path.relative_to(site).as_posix(), parser


def resolve(site: Path, page: str, href: str) -> tuple[Path, str] | None:
    """The file and fragment a relative link from ``page`` points at (None: external)."""
    parsed = urlparse(href)
    if parsed.scheme or parsed.netloc or href.startswith(("mailto:", "javascript:")):
        return None
    url = urljoin("http://site/" + page, href)
    target = unquote(urlparse(url).path).lstrip("/")
    path = site / target
    if target == "" or target.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, unquote(parsed.fragment)


def ids_of(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        parser = _Page()
        parser.feed(path.read_text(encoding="utf-8"))
        cache[path] = parser.ids
    return cache[path]


CLICK = re.compile(r'click \w+ href "([^"]+)"')


@pytest.fixture(scope="module")
def shipped_pages(shipped: Path) -> list[tuple[str, _Page]]:
    """``pages(shipped)``, each page parsed once for the module's tests."""
    return list(pages(shipped))


@pytest.fixture
def shipped_ids(shipped: Path, shipped_pages: list[tuple[str, _Page]]
                ) -> dict[Path, set[str]]:
    """An ``ids_of`` cache holding every page of the shipped site (a test's own copy)."""
    return {shipped / rel: parsed.ids for rel, parsed in shipped_pages}


# --- the shipped pack ---------------------------------------------------------------------


def test_every_internal_link_and_diagram_click_resolves(
        shipped: Path, shipped_pages: list[tuple[str, _Page]],
        shipped_ids: dict[Path, set[str]]) -> None:
    cache = shipped_ids
    broken = []
    checked = 0
    for page, parsed in shipped_pages:
        targets = parsed.links + parsed.fetched
        targets += [href for diagram in parsed.mermaid for href in CLICK.findall(diagram)]
        for href in targets:
            resolved = resolve(shipped, page, href)
            if resolved is None:
                continue
            path, fragment = resolved
            checked += 1
            if not path.is_file():
                broken.append(f"{page}: {href} (no file)")
            elif fragment and path.suffix == ".html" and fragment not in ids_of(path, cache):
                broken.append(f"{page}: {href} (no anchor)")
    assert checked > 1000
    assert broken == []


def test_every_step_rule_form_checklist_and_term_has_a_page_or_anchor(
        shipped: Path, shipped_ids: dict[Path, set[str]]) -> None:
    model = analyse(POLICIES).model
    at = Addresses(model)
    wanted = [at.step(s) for s in model.steps]
    wanted += [at.rule(r) for r in model.rules]
    wanted += [at.form(f) for f in model.forms]
    wanted += [at.field(f.form, f.id) for f in model.all_fields()]
    wanted += [at.checklist(c) for c in model.checklists]
    wanted += [at.item(i.checklist, i.id) for i in model.all_checklist_items()]
    wanted += [at.term(t) for t in model.terms]
    wanted += [at.parameter(p) for p in model.parameters]
    wanted += [at.role(r) for r in model.roles]
    wanted += [at.decision_table(d) for d in model.decision_tables]
    wanted += [at.questionnaire(q) for q in model.questionnaires]
    wanted += [at.script(s) for s in model.scripts]
    wanted += [at.case(c) for c in model.cases]
    assert len(wanted) > 100
    cache = shipped_ids
    missing = []
    for address in wanted:
        stem = address.src.removesuffix(".md")
        html_file = shipped / ("index.html" if stem == "index" else
                               stem.removesuffix("/index") + "/index.html")
        if not html_file.is_file():
            missing.append(address.src)
        elif address.anchor and address.anchor not in ids_of(html_file, cache):
            missing.append(f"{address.src}#{address.anchor}")
    assert missing == []


def test_the_overview_draws_each_flow_with_a_click_on_every_step(
        shipped_pages: list[tuple[str, _Page]]) -> None:
    model = analyse(POLICIES).model
    overview = dict(shipped_pages)["overview/index.html"]
    assert len(overview.mermaid) == len(model.flows)
    for diagram, flow in zip(overview.mermaid, model.flows.values(), strict=True):
        assert diagram.startswith("flowchart TD")
        clicks = CLICK.findall(diagram)
        assert len(clicks) >= len(flow.steps)
        for step in flow.steps:
            if step.type in ("task", "decision"):
                assert f"../steps/{step.id}/" in clicks


EXTERNAL_HOSTS = re.compile(
    r"https?://(unpkg\.com|cdn\.jsdelivr\.net|fonts\.googleapis\.com|fonts\.gstatic\.com|"
    r"cdnjs\.cloudflare\.com|api\.github\.com)[^\s\"'`)]*")


def test_nothing_is_fetched_from_another_host(shipped: Path,
                                             shipped_pages: list[tuple[str, _Page]]) -> None:
    for page, parsed in shipped_pages:
        for url in parsed.fetched:
            assert resolve(shipped, page, url) is not None, f"{page} loads {url}"
    for css in shipped.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^)'\"]+)", css.read_text(encoding="utf-8")):
            assert not urlparse(url).netloc, f"{css.name} loads {url}"
        assert "@import" not in css.read_text(encoding="utf-8") or "http" not in css.name
    # Material's bundle names CDNs it falls back to. Each one stays unused here:
    cdn_urls = set()
    for js in shipped.rglob("*.js"):
        cdn_urls |= {m.group(0) for m in EXTERNAL_HOSTS.finditer(js.read_text("utf-8"))}
    assert cdn_urls <= {
        "https://unpkg.com/mermaid@11/dist/mermaid.min.js",  # only if `mermaid` is undefined
        "https://unpkg.com/resize-observer-polyfill",  # only without native ResizeObserver
        "https://api.github.com/repos/${e}/${t}",  # only with repo_url (not set)
        "https://api.github.com/users/${e}",
    }, cdn_urls
    # ... because every page loads the vendored Mermaid synchronously (Material looks for
    # the global `mermaid` after the page's scripts have run; the browser test watches it).
    for path in shipped.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        tag = re.search(r"<script [^>]*assets/policybook/mermaid\.min\.js[^>]*>", text)
        assert tag is not None and "async" not in tag.group(0) and "defer" not in tag.group(0)
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text


def test_the_site_has_its_search_index_and_box(shipped: Path) -> None:
    # Pagefind's bundle, in the site (nothing is fetched from elsewhere at view time)
    assert (shipped / "pagefind/pagefind.js").is_file()
    assert list((shipped / "pagefind").glob("wasm.*.pagefind"))
    assert not (shipped / "search/search_index.json").exists()  # Material's is gone
    html = (shipped / "steps/review_approval/index.html").read_text(encoding="utf-8")
    assert 'id="pb-search-input"' in html and "md-search__input" not in html
    assert 'src="../../assets/policybook/search.js"' in html
    # the step's metadata table is kept out of the index (cards show sentences)
    assert '<div class="pb-facts-table" data-pagefind-ignore=' in html


def test_printable_pdfs_are_published_and_linked(shipped: Path) -> None:
    model = analyse(POLICIES).model
    if not model.forms:
        pytest.skip("the shipped pack has no forms yet")
    first, *others = model.forms
    assert (shipped / f"print/forms/{first}.pdf").read_bytes() == FAKE_PDF
    form_page = (shipped / f"forms/{first}/index.html").read_text(encoding="utf-8")
    assert f'href="../../print/forms/{first}.pdf"' in form_page
    for other in others:
        text = (shipped / f"forms/{other}/index.html").read_text(encoding="utf-8")
        assert f"print/forms/{other}.pdf" not in text
        assert "打印版尚未生成" in text
    first_flow = next(iter(model.flows))
    assert (shipped / f"print/flows/{first_flow}.pdf").is_file()


def test_generated_pages_are_virtual(shipped: Path) -> None:
    docs = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*")
            if p.is_file()}
    assert not any(p.startswith(("steps/", "flows/", "forms/", "checklists/")) for p in docs)
    assert "index.md" not in docs and "rules.md" not in docs
    assert (shipped / "about/index.html").is_file()  # the hand-written page is published


def test_glossary_terms_show_as_tooltips(shipped: Path) -> None:
    model = analyse(POLICIES).model
    if not model.terms:
        pytest.skip("the shipped pack has no glossary yet")
    text = (shipped / "steps/kyc_application/index.html").read_text(encoding="utf-8")
    titles = re.findall(r'<abbr title="([^"]+)">([^<]+)</abbr>', text)
    assert titles, "no glossary tooltip on a step page"
    words = {t.term for t in model.terms.values()} | {
        a for t in model.terms.values() for a in t.aliases}
    assert all(word in words for _, word in titles)
    assert len({word for _, word in titles}) == len(titles)  # once per term and page
    glossary = (shipped / "glossary/index.html").read_text(encoding="utf-8")
    assert "<abbr" not in glossary


# --- the example pack: escaping, tooltips, errors -----------------------------------------


def test_policy_text_shows_as_text_never_as_markup(mini: Path) -> None:
    step = dict(pages(mini))["steps/talk_step/index.html"]
    assert [h.rstrip("¶") for h in step.h1] == ['与客户沟通<script>alert("step")</script>']
    everything = "".join(p.read_text(encoding="utf-8") for p in mini.rglob("*.html"))
    assert "<script>alert" not in everything.replace("<title>", "")  # see below
    assert "<img src=x" not in everything
    assert "<b>加粗</b>" not in everything and "<i>斜体</i>" not in everything
    assert 'href="http://evil.example"' not in everything
    text = "".join(step.text)
    assert "规则*一* <b>加粗</b>" in text
    assert "[点我](http://evil.example) | 竖线" in text
    assert "说明 `服务` 内容 <i>斜体</i>" in text
    assert "# 不是标题" in text
    # The theme prints page titles raw (nav, header) and through striptags (<title>):
    # angle brackets there are the full-width forms.
    raw = (mini / "steps/talk_step/index.html").read_text(encoding="utf-8")
    assert "<title>与客户沟通＜script＞alert" in raw


def test_diagram_labels_cannot_break_the_diagram(mini: Path) -> None:
    flow = dict(pages(mini))["flows/main/index.html"]
    (diagram,) = flow.mermaid
    assert 'n1["1. 与客户沟通#60;script#62;alert(#34;step#34;)#60;/script#62;' in diagram
    assert '|"同意 #34;好#34; #60;ok#62;"|' in diagram


def test_terms_are_tooltips_outside_links_and_headings(mini: Path) -> None:
    raw = (mini / "steps/talk_step/index.html").read_text(encoding="utf-8")
    tip = escape.tooltip("财富经理(Wealth manager):为客户开户的员工 <b>。")
    assert f'<abbr title="{tip}">财富经理</abbr>' in raw
    assert re.search(r"<a [^>]*>[^<]*<abbr", raw) is None


def _mkdocs_config(tmp: Path, pack: Path) -> Path:
    cfg = tmp / "mkdocs.yml"
    cfg.write_text(
        f"INHERIT: {MKDOCS_YML}\n"
        f"docs_dir: {ROOT / 'docs'}\n"
        "plugins:\n"
        "  policybook:\n"
        f"    policies: {pack}\n"
        f"    mermaid: {ROOT / 'vendor/mermaid/mermaid.min.js'}\n"
        f"    pagefind: {ROOT / 'vendor/pagefind/bin/pagefind_extended'}\n"
        f"    pdf_dir: {tmp / 'no-pdf'}\n", encoding="utf-8")
    return cfg


def _mkdocs(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "mkdocs", *map(str, args)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


def test_mkdocs_build_strict_passes_over_an_example_pack(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", MINI_PACK)
    result = _mkdocs("build", "--strict", "-f", _mkdocs_config(tmp_path, pack),
                     "-d", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert (tmp_path / "site/steps/talk_step/index.html").is_file()


def test_a_policy_error_fails_mkdocs_build_with_the_check_diagnostics(tmp_path: Path) -> None:
    broken = dict(MINI_PACK)
    broken["rules.yaml"] = MINI_PACK["rules.yaml"].replace("{{ threshold }}", "{{ thresold }}")
    pack = write_pack(tmp_path / "pack", broken)
    result = _mkdocs("build", "--strict", "-f", _mkdocs_config(tmp_path, pack),
                     "-d", tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    cwd = Path.cwd()
    os.chdir(ROOT)  # diagnostics name files relative to the working directory
    try:
        check = run_cli("check", pack)
    finally:
        os.chdir(cwd)
    assert check.code == 1
    assert "[ref.unknown-parameter]" in check.out and "thresold" in check.out
    assert check.out.rstrip("\n") in result.stderr
    assert not (tmp_path / "site/steps").exists()


def test_a_failed_build_leaves_the_previous_site_in_place(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", MINI_PACK)
    site = build_site(MKDOCS_YML, policies=pack, pdf_dir=tmp_path / "pdf",
                      site_dir=tmp_path / "site")
    before = (site / "index.html").read_bytes()
    (pack / "rules.yaml").write_text(MINI_PACK["rules.yaml"].replace("category: process",
                                                                     "category: nonsense"))
    with pytest.raises(BuildError, match=r"\[ref.unknown-category\] .*“nonsense”"):
        build_site(MKDOCS_YML, policies=pack, pdf_dir=tmp_path / "pdf", site_dir=site)
    assert (site / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack", "site"]  # no leftovers


def test_policybook_build_writes_the_site(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", MINI_PACK)
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        result = run_cli("build", pack, "--only", "site", "--out", tmp_path / "out")
    finally:
        os.chdir(cwd)
    assert result.code == 0, result.err
    assert (tmp_path / "out/site/steps/talk_step/index.html").is_file()
    assert (tmp_path / "out/site/pagefind/pagefind.js").is_file()


def test_the_check_text_helper_matches_the_cli(tmp_path: Path) -> None:
    """The plugin reports with the CLI's text reporter (same function, same Summary)."""
    pack = write_pack(tmp_path / "pack", MINI_PACK)
    analysis = analyse(pack)
    assert render_text(analysis.diagnostics, Summary(analysis.files, "check")).endswith(
        "个警告。\n")


@pytest.mark.parametrize(("option", "value", "message"), [
    ("policies", "no/such/pack", "找不到政策文件夹"),
    ("mermaid", "no/such/mermaid.min.js", "make setup"),
])
def test_a_misconfigured_plugin_says_what_to_do(tmp_path: Path, option: str, value: str,
                                                message: str) -> None:
    pack = write_pack(tmp_path / "pack", MINI_PACK)
    cfg = _mkdocs_config(tmp_path, pack)
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        f"    {option}: ", f"    {option}: {tmp_path / value}  # was: ", 1), encoding="utf-8")
    result = _mkdocs("build", "--strict", "-f", cfg, "-d", tmp_path / "site")
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_review_page_lists_every_drafted_element(shipped: Path) -> None:
    model = analyse(POLICIES).model
    drafted = [key for _, key, prov, _ in model.elements() if prov.drafted]
    page = (shipped / "review/index.html").read_text(encoding="utf-8")
    body = page[page.index("<article"):page.index("</article>")]
    assert body.count("<tr>") - body.count("<th>内容</th>") == len(drafted)
    assert f"目前共有 {len(drafted)} 项起草内容" in body
    home = (shipped / "index.html").read_text(encoding="utf-8")
    assert f"目前共有 {len(drafted)} 项起草内容" in home  # the same words on both pages
