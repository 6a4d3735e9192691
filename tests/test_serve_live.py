"""``policybook serve`` with mkdocs, as an editor runs it: the page shows an edit within
moments, the browser is told to reload by a script the site's Content-Security-Policy
allows, a failed check shows on the page, and a taken port is a clear error."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

MINIMAL = ROOT / "tests/examples/valid/minimal"
TITLE = "严格执行客户准入资格审定"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, timeout: float = 5) -> str:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def until(condition: object, seconds: float) -> float:
    """Seconds until ``condition()`` holds (polled every 50 ms); fails after ``seconds``."""
    start = time.monotonic()
    while not condition():  # type: ignore[operator]
        assert time.monotonic() - start < seconds, "never happened"
        time.sleep(0.05)
    return time.monotonic() - start


def serve_command(tmp: Path, pack: Path, port: int) -> list[str]:
    config = tmp / "site.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\n"
                      f"plugins:\n  policybook:\n    policies: {pack}\n"
                      f"    mermaid: {ROOT / 'vendor/mermaid/mermaid.min.js'}\n",
                      encoding="utf-8")
    return [sys.executable, "-m", "generator", "serve", str(pack), "--config", str(config),
            "--out", str(tmp / "out"), "-a", f"127.0.0.1:{port}"]


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    pack = Path(shutil.copytree(MINIMAL, tmp_path / "pack"))
    port = free_port()
    server = subprocess.Popen(serve_command(tmp_path, pack, port), cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        until(lambda: TITLE in fetch(url + "rules/") or server.poll() is not None, 120)
        assert server.poll() is None, server.stdout.read() if server.stdout else ""
        yield pack, url, server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_an_edit_shows_at_once_and_the_browser_is_told_to_reload(
        served: tuple[Path, str, subprocess.Popen[str]]) -> None:
    pack, url, _ = served
    page = fetch(url + "rules/")
    # The reload script is a file of the site (the CSP allows no inline script).
    tags = re.findall(r"<script\b[^>]*>", page)
    assert not [t for t in tags if "src=" not in t and "application/json" not in t], tags
    live = next(t for t in tags if ".policybook-livereload.js" in t)
    epoch = int(re.search(r'data-epoch="(\d+)"', live)[1])  # type: ignore[index]
    script = fetch(url + ".policybook-livereload.js")
    assert "/livereload/" in script and "currentScript.dataset.epoch" in script
    rules = pack / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(TITLE, TITLE + "(改)", 1),
                     encoding="utf-8")
    seconds = until(lambda: TITLE + "(改)" in fetch(url + "rules/"), 30)
    assert seconds < 10
    # A browser waiting on the old epoch hears of the new one.
    assert int(fetch(f"{url}livereload/{epoch}/1", timeout=10)) > epoch


def test_a_failed_check_shows_on_the_page_of_the_edit_until_it_is_fixed(
        served: tuple[Path, str, subprocess.Popen[str]]) -> None:
    pack, url, _ = served
    rules = pack / "rules.yaml"
    good = rules.read_text(encoding="utf-8")
    rules.write_text(good.replace("category: eligibility", "category: nonsense", 1),
                     encoding="utf-8")
    until(lambda: "未通过检查" in fetch(url + "rules/"), 30)
    assert "ref.unknown-category" in fetch(url + "rules/")
    rules.write_text(good, encoding="utf-8")
    until(lambda: "未通过检查" not in fetch(url + "rules/"), 30)


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    pack = Path(shutil.copytree(MINIMAL, tmp_path / "pack"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(serve_command(tmp_path, pack, port), cwd=tmp_path,
                             env={**os.environ, "PYTHONPATH": str(ROOT)},
                             capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert f"127.0.0.1:{port}" in run.stderr and "换一个端口" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.browser
def test_chromium_reloads_the_page_by_itself_and_the_csp_blocks_nothing(
        served: tuple[Path, str, subprocess.Popen[str]]) -> None:
    from tests.axe_run import CHROMIUM, FLAGS

    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    pack, url, _ = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page()
            blocked: list[str] = []
            page.on("console", lambda m: blocked.append(m.text)
                    if "Content Security Policy" in m.text else None)
            page.goto(url + "rules/", wait_until="load")
            rules = pack / "rules.yaml"
            rules.write_text(rules.read_text(encoding="utf-8").replace(
                TITLE, TITLE + "(浏览器)", 1), encoding="utf-8")
            # No page.reload(): the live-reload script does it. (Polled from here: the
            # CSP forbids the eval that wait_for_function needs.)
            def shown() -> bool:
                try:
                    return f"{TITLE}(浏览器)" in page.content()
                except PlaywrightError:  # caught reloading: asked again
                    return False

            until(shown, 30)
            assert not blocked, blocked
        finally:
            browser.close()


def test_a_pack_that_fails_its_checks_does_not_start(tmp_path: Path) -> None:
    pack = Path(shutil.copytree(MINIMAL, tmp_path / "pack"))
    rules = pack / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "category: eligibility", "category: nonsense", 1), encoding="utf-8")
    run = subprocess.run(serve_command(tmp_path, pack, free_port()), cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert "rules.yaml:" in run.stderr and "[ref.unknown-category]" in run.stderr
    assert "未启动预览" in run.stderr and "页面顶部" not in run.stderr
    assert "Traceback" not in run.stderr
