"""Several procedures in one repository: ``policies/`` as a library of packs that may
share roles, glossary and parameters written once at the top."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLE_PACK, EXAMPLES, LIBRARY, POLICIES, run_cli

from generator.diagnostics import Severity
from generator.library import analyse_library, layout
from generator.site.library import SitePack, render_library
from generator.site.nav import library_navigation

MINIMAL = EXAMPLES / "valid" / "minimal"


def test_the_shipped_policies_are_a_library_of_two_packs() -> None:
    found = layout(LIBRARY)
    assert found.library and found.packs == (EXAMPLE_PACK, POLICIES) and found.shared == ()
    library = analyse_library(LIBRARY)
    assert [p.id for p in library] == ["cash-withdrawal", "wealth-account-opening"]
    assert [p.prefix for p in library] == ["cash-withdrawal/", "wealth-account-opening/"]
    assert {d.check for d in library.diagnostics} == {"provenance.drafted"}


def test_the_example_pack_is_marked_and_cites_its_own_source_by_article() -> None:
    (pack,) = analyse_library(LIBRARY).only("cash-withdrawal")
    meta = pack.analysis.model.meta
    assert meta is not None and meta.example
    (source,) = meta.sources
    assert source.type == "internal_rule" and source.text is not None
    cited = {r.provenance.citation for r in pack.analysis.model.rules.values()
             if not r.provenance.drafted}
    assert any("条第" in c and "款" in c for c in cited), cited  # 第X条第Y款
    assert all(source.section(c) is not None for c in cited)


def test_a_single_pack_is_its_own_layout() -> None:
    assert layout(MINIMAL).packs == (MINIMAL,) and not layout(MINIMAL).library
    assert layout(MINIMAL / "pack.yaml").packs == (MINIMAL / "pack.yaml",)


def _library(tmp_path: Path) -> Path:
    """Two copies of the minimal pack whose roles are written once at the top."""
    root = tmp_path / "policies"
    for name in ("alpha", "beta"):
        shutil.copytree(MINIMAL, root / name)
        (root / name / "roles.yaml").unlink()
        pack = root / name / "pack.yaml"
        pack.write_text(pack.read_text(encoding="utf-8").replace("id: minimal", f"id: {name}"),
                        encoding="utf-8")
    shutil.copyfile(MINIMAL / "roles.yaml", root / "roles.yaml")
    return root


def test_packs_share_what_is_written_once_at_the_top(tmp_path: Path) -> None:
    root = _library(tmp_path)
    found = layout(root)
    assert found.shared == (root / "roles.yaml",)
    library = analyse_library(root)
    assert library.ok, library.diagnostics
    for pack in library:
        assert "clerk" in pack.analysis.model.roles  # from the shared roles.yaml
    result = run_cli("check", root)
    assert result.code == 0, result.out
    assert result.out.count("[provenance.drafted]") == 2  # one per pack


def test_a_finding_in_a_shared_file_is_reported_once(tmp_path: Path) -> None:
    root = _library(tmp_path)
    roles = root / "roles.yaml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("type: person", "type: robot", 1),
                     encoding="utf-8")
    errors = [d for d in analyse_library(root).diagnostics if d.severity >= Severity.ERROR]
    assert len(errors) == 1 and errors[0].file.endswith("policies/roles.yaml")


def test_only_shareable_kinds_may_be_at_the_top(tmp_path: Path) -> None:
    root = _library(tmp_path)
    shutil.copyfile(MINIMAL / "rules.yaml", root / "rules.yaml")
    errors = [d for d in analyse_library(root).diagnostics if d.severity >= Severity.ERROR]
    assert [(d.check, Path(d.file).name) for d in errors] == [("pack.not-shareable", "rules.yaml")]
    assert "roles.yaml" in errors[0].hint


def test_check_and_trace_take_one_pack_or_all(tmp_path: Path) -> None:
    root = _library(tmp_path)
    assert run_cli("check", root, "--pack", "beta").out.count("[provenance.drafted]") == 1
    missing = run_cli("check", root, "--pack", "gamma")
    assert missing.code == 2 and "alpha、beta" in missing.err
    rows = list(csv.DictReader(io.StringIO(run_cli("trace", root).out)))
    assert {r["pack"] for r in rows} == {"alpha", "beta"} and len(rows) == 4
    payload = json.loads(run_cli("trace", root, "--format", "json").out)
    assert [p["pack"] for p in payload["packs"]] == ["alpha", "beta"]


def test_the_site_has_a_home_and_a_section_per_pack() -> None:
    library = analyse_library(LIBRARY)
    packs = [SitePack(p.prefix, p.analysis.model) for p in library]
    pages = render_library(packs)
    srcs = {p.src for p in pages}
    assert {"index.md", "cash-withdrawal/index.md", "wealth-account-opening/index.md",
            "language/index.md"} <= srcs
    assert not any(s.startswith(("cash-withdrawal/language/", "wealth-account-opening/language/"))
                   for s in srcs), "the language reference is published once"
    home = next(p for p in pages if p.src == "index.md").markdown
    assert "(cash-withdrawal/index.md)" in home and "个人大额现金支取（示例）" in home
    example = [p for p in pages if p.src.startswith("cash-withdrawal/")]
    assert all('!!! warning "示例"' in p.markdown for p in example)
    assert not any('!!! warning "示例"' in p.markdown for p in pages
                   if p.src.startswith("wealth-account-opening/"))
    nav = library_navigation(packs, pages, [])
    assert [next(iter(item)) for item in nav if isinstance(item, dict)] == [
        "首页", "个人大额现金支取（示例）", "财富管理服务开户", "参考", "开发者参考"]
    assert nav[-2] == {"参考": [{"检查项参考": "checks.md"}]}  # the check reference, once
    # the policy-language reference is for those who write policies: its own section
    nav = library_navigation(packs, pages, ["about.md"])
    assert [next(iter(item)) for item in nav if isinstance(item, dict)][-2:] == [
        "参考", "开发者参考"]
    assert "政策语言参考" in str(nav[-1]) and "政策语言参考" not in str(nav[:-1])


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_diff_compares_each_pack_of_a_library(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                       "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}.items():
        monkeypatch.setenv(key, value)
    root = _library(tmp_path)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "两个政策包")
    rules = root / "beta" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "开户前应充分了解客户", "开户前应全面了解客户"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("diff", "HEAD", "--format", "json")
    assert result.code == 0, result.err
    reports = json.loads(result.out)["packs"]
    assert [len(r["changes"]) for r in reports] == [0, 1]
    assert run_cli("diff", "HEAD").out.count("<!-- policybook-diff -->") == 1
    only = json.loads(run_cli("diff", "HEAD", "--pack", "beta", "--format", "json").out)
    assert len(only["changes"]) == 1
