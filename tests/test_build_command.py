"""``policybook build``: the one command behind ``make build``.

It checks first and writes nothing when the policies are wrong; warnings (drafted
content awaiting review) are shown but do not stop the build unless ``--strict``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

MINIMAL = EXAMPLES / "valid" / "minimal"


def _build(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "build", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, check=False, timeout=300)


@pytest.mark.slow
def test_build_writes_pdfs_and_site_and_reports_warnings(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\n"
                      f"plugins:\n  policybook:\n    policies: {MINIMAL}\n"
                      f"    mermaid: {ROOT / 'vendor' / 'mermaid' / 'mermaid.min.js'}\n"
                      f"    pagefind: {ROOT / 'vendor/pagefind/bin/pagefind_extended'}\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    result = _build(MINIMAL, "--out", out, "--config", config)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "[provenance.drafted]" in result.stderr  # the warning is shown…
    assert "1 个警告" in result.stderr
    assert sorted(p.name for p in (out / "pdf" / "forms").iterdir()) == ["client_info.pdf"]
    assert (out / "site" / "index.html").is_file()  # …and the build went on


def test_strict_build_stops_on_warnings_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _build(MINIMAL, "--out", out, "--strict")
    assert result.returncode == 1
    assert "[provenance.drafted]" in result.stdout
    assert "未生成任何输出" in result.stderr
    assert not out.exists()


def test_policy_errors_write_nothing_and_keep_the_previous_outputs(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    params = pack / "parameters.yaml"
    params.write_text(params.read_text(encoding="utf-8") + "  - id: broken\n", encoding="utf-8")
    out = tmp_path / "out"
    (out / "pdf").mkdir(parents=True)
    previous = out / "pdf" / "previous.pdf"
    previous.write_bytes(b"%PDF-1.7 previous build")
    result = _build(pack, "--out", out)
    assert result.returncode == 1
    assert "parameters.yaml:" in result.stdout and "[schema.missing-key]" in result.stdout
    assert "Traceback" not in result.stderr
    assert previous.read_bytes() == b"%PDF-1.7 previous build"
    assert sorted(p.name for p in (out / "pdf").iterdir()) == ["previous.pdf"]


def test_a_missing_policy_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = _build(tmp_path / "nowhere", "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "找不到" in result.stderr
    assert not (tmp_path / "out").exists()
