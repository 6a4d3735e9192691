"""What :class:`~generator.site.live_mkdocs.LiveMkdocs` renders, and when the browsers
reload, as edits come one after another: the pages of a new edit come before the pages
an earlier edit still has queued, and only they hold up the reload."""

from __future__ import annotations

from typing import Any

import pytest

from generator.site.live_mkdocs import LiveMkdocs


class Recorder(LiveMkdocs):
    """LiveMkdocs without mkdocs: a path is a page unless it ends in ``.yml``."""

    def __init__(self) -> None:  # no build, no server
        self.queue = []
        self.events: list[str] = []

    def _pages(self, paths: list[str]) -> list[Any] | None:
        return None if any(p.endswith(".yml") for p in paths) else list(paths)

    def _render(self, pages: list[Any]) -> None:
        self.events += [f"render {p}" for p in pages]

    def _reload(self) -> None:
        self.events.append("reload")

    def build(self) -> None:
        self.events.append("build")


def test_a_new_edit_renders_its_pages_first_and_reloads_at_once() -> None:
    live = Recorder()
    live.changed(["docs/a.md", "docs/b.md", "docs/c.md"])  # an earlier edit's other pages
    assert live.events == [] and live.pending
    live.changed(["docs/c.md", "docs/d.md", "docs/d.md"], now=True)
    assert live.events == ["render docs/c.md", "render docs/d.md", "reload"]
    assert live.queue == ["docs/a.md", "docs/b.md"]
    live.events.clear()
    live.work(None)
    assert live.events == ["render docs/a.md", "render docs/b.md", "reload"]
    assert not live.pending


def test_work_renders_at_least_one_page_a_call_and_reloads_when_the_queue_empties() -> None:
    live = Recorder()
    live.changed(["docs/a.md", "docs/b.md"])
    live.work(0)
    assert live.events == ["render docs/a.md"] and live.queue == ["docs/b.md"]
    live.work(0)
    assert live.events == ["render docs/a.md", "render docs/b.md", "reload"]


@pytest.mark.parametrize("now", [True, False])
def test_a_file_that_is_not_a_known_page_builds_the_whole_site_once(now: bool) -> None:
    live = Recorder()
    live.changed(["docs/a.md"])
    live.changed(["mkdocs.yml", "docs/b.md"], now=now)
    if not now:
        live.work(None)
    assert live.events == ["build", "reload"]
    assert not live.pending


def test_a_failed_render_is_reported_and_does_not_reload(
        caplog: pytest.LogCaptureFixture) -> None:
    live = Recorder()

    def fail(pages: list[Any]) -> None:
        raise ValueError("bad page")

    live._render = fail  # type: ignore[method-assign]
    live.changed(["docs/a.md"])
    live.changed(["docs/b.md"], now=True)
    assert live.events == [] and not live.pending
    assert "mkdocs: bad page" in caplog.text


def test_the_server_sends_a_page_in_large_blocks(tmp_path: Any) -> None:
    """mkdocs's server sends files in 8 KiB blocks, each waiting for the interpreter
    lock that an edit's checks hold; policybook's sends 1 MiB at a time."""
    import io
    import wsgiref.util

    from generator.site.live_mkdocs import BLOCK, _server_class

    (tmp_path / "index.html").write_bytes(b"<html><body>" + b"x" * (3 * BLOCK) + b"</body>")
    server = _server_class()(builder=lambda: None, host="127.0.0.1", port=0,
                             root=str(tmp_path), mount_path="/")
    server._watched_paths["policybook"] = 1
    try:
        served = server._serve_request({"PATH_INFO": "/"}, lambda *a: None)
        assert isinstance(served, wsgiref.util.FileWrapper)
        blocks = list(served)
        assert len(blocks) == 4 and all(isinstance(b, bytes) for b in blocks)
        assert b"policybook-livereload" in b"".join(blocks)
        assert isinstance(served.filelike, io.BytesIO)
    finally:
        server.server_close()
