"""``policybook build`` analyses the pack once, renders the PDFs and the site into
staging folders, and swaps ``build/pdf`` and ``build/site`` in together at the end:
a failure anywhere leaves both previous outputs as they were."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.files.write import PREFIX
from generator.library import Library, analyse_library
from generator.site import plugin as plugin_module
from generator.site.build import build_site
from tests.conftest import EXAMPLES, ROOT, Run, run_cli

MINIMAL = EXAMPLES / "valid" / "minimal"


def mkdocs_config(tmp: Path) -> Path:
    config = tmp / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\n"
                      f"plugins:\n  policybook:\n    policies: {MINIMAL}\n"
                      f"    mermaid: {ROOT / 'vendor' / 'mermaid' / 'mermaid.min.js'}\n"
                      f"    pagefind: {ROOT / 'vendor/pagefind/bin/pagefind_extended'}\n",
                      encoding="utf-8")
    return config


def previous_outputs(out: Path) -> dict[Path, bytes]:
    (out / "pdf" / "forms").mkdir(parents=True)
    (out / "pdf" / "forms" / "previous.pdf").write_bytes(b"%PDF-1.7 previous build")
    (out / "site").mkdir()
    (out / "site" / "index.html").write_bytes(b"<p>previous site</p>")
    return snapshot(out)


def snapshot(out: Path) -> dict[Path, bytes]:
    """The outputs (not the PDF cache, which keeps what a failed build rendered)."""
    return {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.relative_to(out).parts[0] != ".cache"}


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def counting(calls: list[Path]) -> Callable[..., Library]:
    def counted(path: Path, **kwargs: object) -> Library:
        calls.append(Path(path))
        return analyse_library(path, **kwargs)  # type: ignore[arg-type]
    return counted


# --- one analysis, ordinary permissions, no leftovers ---------------------------------------


class SiteBuild:
    def __init__(self, result: Run, out: Path, analyses: list[Path], stale: list[Path]):
        self.result, self.out, self.analyses, self.stale = result, out, analyses, stale


@pytest.fixture(scope="module")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteBuild]:
    """``build --only site`` under umask 022, with what a killed build left in ``out``,
    counting every analysis of the pack."""
    tmp = tmp_path_factory.mktemp("site-build")
    out = tmp / "out"
    out.mkdir()
    dead = dead_pid()
    stale = [out / f"{PREFIX}{dead}-site-0a1b2c3d.tmp", out / f"{PREFIX}{dead}-pdf-0a1b2c3d.old"]
    for folder in stale:
        (folder / "steps").mkdir(parents=True)
        (folder / "steps" / "index.html").write_text("half a site", encoding="utf-8")
    analyses: list[Path] = []
    old_umask = os.umask(0o022)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("generator.commands.build.analyse_library", counting(analyses))
            mp.setattr(plugin_module, "analyse_library", counting(analyses))
            result = run_cli("build", MINIMAL, "--only", "site", "--out", out,
                             "--config", mkdocs_config(tmp))
    finally:
        os.umask(old_umask)
    yield SiteBuild(result, out, analyses, stale)


@pytest.mark.slow
def test_the_pack_is_analysed_once_and_the_plugin_uses_that_analysis(
        site_build: SiteBuild) -> None:
    assert site_build.result.code == 0, site_build.result.err
    assert (site_build.out / "site" / "steps" / "collect_info" / "index.html").is_file()
    assert site_build.analyses == [MINIMAL]


@pytest.mark.slow
def test_site_files_and_folders_follow_the_umask(site_build: SiteBuild) -> None:
    site = site_build.out / "site"
    assert stat.S_IMODE(site.stat().st_mode) == 0o755  # a web server can enter it
    for path in site.rglob("*"):
        expected = 0o755 if path.is_dir() else 0o644
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


@pytest.mark.slow
def test_what_a_killed_build_left_is_removed_by_the_next(site_build: SiteBuild) -> None:
    assert not any(path.exists() for path in site_build.stale)
    assert sorted(p.name for p in site_build.out.iterdir()) == ["site"]


@pytest.mark.slow
def test_without_an_analysis_the_site_build_and_plain_mkdocs_analyse_the_pack_themselves(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    from generator.site import build as build_module

    analyses: list[Path] = []
    monkeypatch.setattr(build_module, "analyse_library", counting(analyses))
    site = build_site(mkdocs_config(tmp_path), policies=MINIMAL, pdf_dir=tmp_path / "no-pdf",
                      site_dir=tmp_path / "site")
    assert (site / "index.html").is_file()
    assert analyses == [MINIMAL]
    # `mkdocs build` with the repository's config: the plugin analyses the pack.
    plugin_analyses: list[Path] = []
    monkeypatch.setattr(plugin_module, "analyse_library", counting(plugin_analyses))
    mkdocs_build.build(load_config(str(mkdocs_config(tmp_path)), site_dir=str(tmp_path / "m")))
    assert (tmp_path / "m" / "steps" / "collect_info" / "index.html").is_file()
    assert plugin_analyses == [MINIMAL.resolve()]


# --- failures ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_site_failure_after_the_pdfs_rendered_keeps_both_previous_outputs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import Abort

    out = tmp_path / "out"
    before = previous_outputs(out)
    staged: dict[str, int] = {}

    def failing_build(config: MkDocsConfig, **kwargs: object) -> None:
        # The engine builds the staged docs: their print/ holds the PDFs just rendered
        # into the PDF staging folder, not those of build/pdf.
        assert "policybook" not in config.plugins  # the pages are files now
        docs = Path(config.docs_dir)
        assert docs.name.startswith(PREFIX), docs  # staged, not build/
        staged.update({p.relative_to(docs / "print").as_posix(): p.stat().st_size
                       for p in (docs / "print").rglob("*.pdf")})
        raise Abort("the site stage broke")

    monkeypatch.setattr(mkdocs_build, "build", failing_build)
    result = run_cli("build", MINIMAL, "--out", out, "--config", mkdocs_config(tmp_path),
                     "-j", "1")
    assert result.code == 1, result.err
    assert "网站生成失败" in result.err and "Traceback" not in result.err
    # The PDFs had rendered, into the staging folder the site was to publish them from.
    assert len(staged) == 4 and "forms/client_info.pdf" in staged  # and the self-test
    assert all(size > 1000 for size in staged.values())
    assert snapshot(out) == before  # neither build/pdf nor build/site was replaced
    # No staging left (the PDF cache, .cache, is kept for the next build).
    assert sorted(p.name for p in out.iterdir()) == [".cache", "pdf", "site"]


def test_out_a_regular_file_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.write_text("not a folder\n", encoding="utf-8")
    result = run_cli("build", MINIMAL, "--out", out, "--only", "pdf")
    assert result.code == 2
    assert f"--out {out}" in result.err and "不是文件夹" in result.err
    assert "Traceback" not in result.err and "内部错误" not in result.err
    assert out.read_text(encoding="utf-8") == "not a folder\n"


def test_out_below_a_regular_file_is_a_usage_error_naming_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder\n", encoding="utf-8")
    result = run_cli("build", MINIMAL, "--out", blocker / "build", "--only", "pdf")
    assert result.code == 2
    assert str(blocker / "build" / "pdf") in result.err
    assert "Traceback" not in result.err and "内部错误" not in result.err
