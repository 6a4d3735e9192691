"""The Markdown a reviewer reads in the pull request: a golden report for one
realistic change, checked to render as valid Markdown with well-formed tables,
inline HTML and Mermaid diagrams (parsed by the vendored Mermaid in Chromium)."""

from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from conftest import POLICIES, ROOT, run_cli
from test_diff import (
    GIT_ENV,
    SEQUENCE,
    PackRepo,
)

GOLDEN = Path(__file__).resolve().parent / "golden" / "diff" / "realistic-pr.md"
MERMAID = ROOT / "vendor" / "mermaid" / "mermaid.min.js"
CHROMIUM = Path("/usr/bin/chromium")
_SHA = re.compile(r"\(([0-9a-f]{7})\)")


@pytest.fixture
def pr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PackRepo]:
    """A repository whose branch ``pr`` holds the seven commits of a realistic change
    request on top of ``main``."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    repo = PackRepo(tmp_path)
    repo.git("checkout", "-q", "-b", "pr")
    for message, change, _ in SEQUENCE:
        change(repo)
        repo.commit(message)
    yield repo


def report(*args: str) -> str:
    run = run_cli("diff", *args)
    assert run.code == 0, run.err
    return run.out


def test_golden_report(pr: PackRepo) -> None:
    """The whole report for the branch, as a reviewer sees it (commit ids masked).
    Set UPDATE_GOLDEN=1 to rewrite the file after an intended change, and review it."""
    text = _SHA.sub("(<commit>)", report("main", "pr"))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


# --- the Markdown is well formed ----------------------------------------------------------


class _Html(html.parser.HTMLParser):
    """Tables (rows of cell counts), tags seen, and text of <code class=language-mermaid>."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[int]] = []
        self.tags: Counter[str] = Counter()
        self.mermaid: list[str] = []
        self._in_mermaid = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append(0)
        elif tag in ("td", "th"):
            self.tables[-1][-1] += 1
        elif tag == "code" and ("class", "language-mermaid") in attrs:
            self._in_mermaid = True
            self.mermaid.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._in_mermaid = False

    def handle_data(self, data: str) -> None:
        if self._in_mermaid:
            self.mermaid[-1] += data


def render(text: str) -> _Html:
    parsed = _Html()
    parsed.feed(markdown.markdown(text, extensions=["tables", "fenced_code"]))
    return parsed


def source_tables(text: str) -> list[list[int]]:
    """Cells per row of every pipe table in the source (escaped pipes do not count)."""
    tables: list[list[int]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(len(re.findall(r"(?<!\\)\|", line)) - 1)
        previous = line
    return tables


def mermaid_blocks(text: str) -> list[str]:
    return re.findall(r"^```mermaid\n(.*?)\n```$", text, re.S | re.M)


def check_markdown(text: str) -> _Html:
    html_ = render(text)
    tables = source_tables(text)
    assert len(html_.tables) == len(tables), "a table did not render as a table"
    for rows in tables:
        assert len(set(rows)) == 1, f"rows with different numbers of cells: {rows}"
    for rows in html_.tables:
        assert len(set(rows)) == 1 and rows[0] > 1
    for tag in ("del", "ins", "details", "summary", "sub"):
        assert text.count(f"<{tag}") == text.count(f"</{tag}>"), tag
    assert text.count("```") % 2 == 0
    assert html_.mermaid == [m + "\n" for m in mermaid_blocks(text)]
    for block in mermaid_blocks(text):
        check_mermaid(block)
    return html_


def check_mermaid(block: str) -> None:
    lines = block.splitlines()
    assert lines[0] == "flowchart TD"
    defined = {m.group(1) for line in lines if (m := re.match(r"  (n\d+)[\[({]", line))}
    used = {n for line in lines if " --> " in line or "-.->" in line or "==>" in line
            for n in re.findall(r"\bn\d+\b", re.sub(r'\|"[^"]*"\|', "", line))}
    assert used <= defined, used - defined
    classes = {m.group(1) for line in lines if (m := re.match(r"  classDef (\w+) ", line))}
    assert {"added", "changed", "removed"} <= classes
    for line in lines:
        if line.startswith("  class "):
            node, cls = line.split()[1:]
            assert node in defined and cls in classes
        label = re.search(r'"([^"]*)"', line)
        if label:
            assert "<" not in label.group(1).replace("<br/>", "").replace(
                "<small>", "").replace("</small>", "")


def test_golden_report_is_valid_markdown() -> None:
    text = GOLDEN.read_text(encoding="utf-8")
    parsed = check_markdown(text)
    assert text.startswith("<!-- policybook-diff -->\n")
    assert len(mermaid_blocks(text)) == 1
    assert parsed.tags["del"] >= 1


def test_policy_text_cannot_break_the_report(pr: PackRepo) -> None:
    """Titles with table pipes, HTML and Markdown markers stay text."""
    pr.edit("flows/front-desk.yaml", "    title: 指定维护财富经理\n",
            "    title: 指定 | 维护 <b>财富经理</b> *立即* `x` [链接](http://e.x)\n")
    pr.edit("flows/front-desk.yaml", "    title: 开户完成\n", '    title: "开户完成\\"]) --> n0"\n')
    pr.commit("奇怪的标题")
    text = report("HEAD~1", "HEAD")
    parsed = check_markdown(text)
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == 2
    assert parsed.tags["b"] == 0 and parsed.tags["em"] == 2  # only the reasons are italic
    assert parsed.tags["a"] == 0
    assert "指定 \\| 维护 &lt;b&gt;财富经理&lt;/b&gt; \\*立即\\* \\`x\\`" in text
    whole = report("main", "HEAD")
    check_markdown(whole)
    block, = mermaid_blocks(whole)
    assert "开户完成#34;#93;) --#62; n0" in block


def test_json_has_the_same_changes_as_the_markdown(pr: PackRepo) -> None:
    data = json.loads(report("main", "pr", "--format", "json"))
    text = report("main", "pr")
    bullets = [line for line in text.splitlines() if line.startswith("- **【实质】**")
               or line.startswith("- 【文字】")]
    assert len(bullets) == len(data["changes"])
    assert data["summary"]["material"] == sum(line.startswith("- **【实质】**")
                                              for line in bullets)
    assert data["format"] == "policybook-diff/1"
    assert data["diagrams"][0]["mermaid"] == mermaid_blocks(text)[0]


@pytest.mark.browser
def test_diagram_renders_with_the_vendored_mermaid(pr: PackRepo, tmp_path: Path) -> None:
    """Mermaid itself parses and draws the diagram: every step appears in the SVG,
    and the removed step is drawn with the dashed red style."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not (CHROMIUM.exists() and MERMAID.exists()):
        pytest.skip("needs /usr/bin/chromium and vendor/mermaid (make setup)")
    block, = mermaid_blocks(report("main", "pr"))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 900, "height": 1400})
            page.set_content("<!doctype html><meta charset=utf-8><body><div id=out></div>")
            page.add_script_tag(path=str(MERMAID))
            result = page.evaluate("""async (src) => {
                mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
                try {
                    await mermaid.parse(src);
                    const {svg} = await mermaid.render('diff', src);
                    document.getElementById('out').innerHTML = svg;
                    return {ok: true, svg};
                } catch (e) { return {ok: false, error: String(e)}; }
            }""", block)
            assert result["ok"], result.get("error")
            artifacts = ROOT / "tests" / "artifacts"
            artifacts.mkdir(exist_ok=True)
            page.locator("#out svg").screenshot(path=str(artifacts / "diff-flow.png"))
        finally:
            browser.close()
    svg = result["svg"]
    for title in ("报一级分行审批", "指定维护财富经理", "一级分行是否批准", "进行风险评估"):
        assert title in svg
    assert "stroke-dasharray:5 5" in svg.replace("stroke-dasharray: 5 5", "stroke-dasharray:5 5")


@pytest.mark.skipif(not (POLICIES / "pack.yaml").exists(), reason="no shipped pack")
def test_whole_shipped_pack_as_new_is_valid_and_folded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The biggest report there is: the shipped pack added to an empty repository.
    Long lists of editorial changes are folded; the Markdown stays well formed."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q", "-b", "main"], check=True)
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "空仓库"], check=True)
    shutil.copytree(POLICIES, tmp_path / "policies")
    text = report("HEAD")
    parsed = check_markdown(text)
    assert len(mermaid_blocks(text)) == len(list((POLICIES / "flows").glob("*.yaml")))
    if "项文字性变更</summary>" in text:
        assert parsed.tags["details"] > len(mermaid_blocks(text))
    assert not re.search(r"(`[^`]+`、){6}`", text)  # at most six ids per document row


def test_report_is_the_same_whatever_the_hash_seed(pr: PackRepo) -> None:
    """Sets never decide the order or the wording of the report."""
    outputs = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-m", "generator", "diff", "main", "pr"],
                              env={**os.environ, "PYTHONHASHSEED": seed,
                                   "PYTHONPATH": str(ROOT)},
                              capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
