"""The handbook's search: a Pagefind index of the built HTML, and the search box that reads it.

Pagefind (vendored by ``tools/setup.sh vendor``: the native indexer of the npm package
``@pagefind/linux-x64``) indexes the pages *as built*, whatever wrote them, and the
browser loads the index in fragments, so the search works for any site generator and
any size, with nothing fetched from outside the site.

Chinese is cut the same way on both sides. Pagefind's own segmenter (ICU4X) and the
browser's ``Intl.Segmenter`` disagree (amounts such as ``100万``, names of units), so the pages are not
handed to it as they are: :func:`index_site` copies the staff pages, and
``assets/search-index.mjs`` (under node) writes a separator between the words of every
Han run, cut by ``assets/search-words.js``. The search box (``assets/search.js``) cuts
the query with that same file before it asks Pagefind. Pagefind is told the text is not
Chinese (``force_language``), so it splits only at those separators.

What is indexed: the main text of each page (``<article>``), not the navigation;
:data:`EXCLUDE` lists what inside it is not (source badges, heading anchors, diagram
sources, per-page metadata marked ``data-pagefind-ignore`` by the templates). Pages for
developers and policy owners (:data:`NOT_STAFF`: the policy-language reference, the
traceability matrix, the drafts to review, the check reference) are left out of the staff search.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator import checkref
from generator.errors import BuildError
from generator.site.links import LANGUAGE_DIR

ASSETS = Path(__file__).parent / "assets"
BUNDLE = "pagefind"
"""Where the index is written in the site (``/pagefind/pagefind.js`` and its fragments)."""
SCRIPT_URI = "assets/policybook/search.js"
WORDS_URI = "assets/policybook/search-words.js"
STYLE_URI = "assets/policybook/search.css"
FILES = (SCRIPT_URI, WORDS_URI, STYLE_URI)
"""The search box's files, published from ``generator/site/assets/``."""
DEFAULT_BINARY = "vendor/pagefind/bin/pagefind_extended"

ROOT_SELECTOR = "article"
EXCLUDE = (".pb-prov", ".headerlink", ".mermaid", ".md-source-file", "[data-pagefind-ignore]")
NOT_STAFF = (f"{LANGUAGE_DIR}/", "trace/", "review/", checkref.page_address())
"""Path parts of pages that are not for staff (at the site's top or under a pack's folder)."""


@dataclass(frozen=True)
class IndexStats:
    pages: int
    seconds: float
    bytes: int


DEFINES = "defines"
"""The metadata field that holds what a page defines; search.js weights a match in it
above a match in a title (``metaWeights``), so the page that defines a role, a term, a
rule id or a parameter's value comes before the pages that only mention it."""


NAMES = "names"
"""The metadata field that holds a page's own names (a form's title and code): weighted a
little, so a form asked for by name comes first, but not above the page that defines a
role or a term the form's name contains."""


def defines(words: Iterable[str], field: str = DEFINES) -> str:
    """Markdown for the end of a page: what it defines (or, with ``field=NAMES``, its own
    names) as Pagefind metadata, hidden and not indexed as the page's text: a match
    counts once, as a definition."""
    text = "；".join(dict.fromkeys(w.strip() for w in words if w and w.strip()))
    if not text:
        return ""
    return (f'\n\n<div hidden data-pagefind-ignore><span data-pagefind-meta="{field}">'
            f"{html.escape(text, quote=False)}</span></div>\n")


def staff_page(relative: str) -> bool:
    """Whether the built page at ``relative`` (``steps/x/index.html``, posix) is in the
    staff search: not 404, and not under a developer or policy-owner folder."""
    if relative == "404.html":
        return False
    parts = relative.split("/")
    for excluded in NOT_STAFF:
        head = excluded.rstrip("/")
        # at the top (language/…) or one level down, in a pack's folder (<pack>/trace/…)
        if parts[0] == head or (len(parts) > 2 and parts[1] == head):
            return False
    return True


def staff_pages(site: Path) -> list[str]:
    """The built pages of ``site`` that go into the staff search (posix, relative)."""
    found = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if not relative.startswith(BUNDLE + "/") and staff_page(relative):
            found.append(relative)
    return found


def require_tools(binary: Path) -> None:
    """Fail with what to do when the indexer or node is missing."""
    if not binary.is_file():
        raise BuildError(f"找不到 {binary}(网站搜索的索引程序 Pagefind)。"
                         "请先运行 make setup(或 tools/setup.sh vendor)。")
    if shutil.which("node") is None:
        raise BuildError("找不到 node(为网站搜索切分中文词语所需)。请先运行 make setup。")


def index_site(site: Path, binary: Path) -> IndexStats:
    """Index the staff pages of the built ``site`` into ``site/pagefind/``."""
    require_tools(binary)
    site, binary = Path(site).resolve(), Path(binary).resolve()
    started = time.perf_counter()
    pages = staff_pages(site)
    out = site / BUNDLE
    with tempfile.TemporaryDirectory(prefix=".policybook-search-", dir=site.parent) as tmp:
        view = Path(tmp) / "pages"
        for relative in pages:
            target = view / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(site / relative, target)
        _run([shutil.which("node") or "node", str(ASSETS / "search-index.mjs"), str(view)],
             cwd=Path(tmp), what="node 切分中文词语")
        config = {
            "site": str(view),
            "output_path": str(out.resolve()),
            "root_selector": ROOT_SELECTOR,
            "exclude_selectors": list(EXCLUDE),
            # Not "zh": Pagefind would cut Chinese again with its own dictionary.
            "force_language": "en",
            "quiet": True,
        }
        (Path(tmp) / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        _run([str(binary)], cwd=Path(tmp), what="Pagefind 建立搜索索引")
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    return IndexStats(len(pages), time.perf_counter() - started, size)


def _run(argv: list[str], *, cwd: Path, what: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"{what}失败:{exc}") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise BuildError(f"{what}失败(退出码 {done.returncode}):\n{detail}")
