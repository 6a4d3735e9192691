"""``policybook serve --engine mkdocs``: mkdocs's build and live-reload server in
policybook's own process, told which files changed.

``mkdocs serve`` polls the docs folder every half second, then, for any change, loads
the configuration again, lists the files, builds the navigation (about 1,800 entries on
the 10× library), the 404 page and the sitemap before it renders the pages it finds
modified: a second or more on a large site before the first changed page. Here the
configuration, the files, the navigation and the theme's environment are kept from the
last full build (caught by a plugin of this module, so the full build is mkdocs's own),
and policybook says which files it wrote: a page is read and rendered again by mkdocs's
own page functions (its plugin events included) and the browsers reload at once. A
change to anything else (``mkdocs.yml``, and with it the navigation; a file added or
removed) builds the whole site again, as ``mkdocs serve`` does for every change.

The browsers reload by mkdocs's own script, served as a file (``mkdocs serve`` writes it
inline into each page, which the site's Content-Security-Policy forbids, so its pages
never reloaded by themselves).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
import wsgiref.util
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.checks import long_lived_heap
from generator.site.sections import LARGE, SectionCache, same_as
from generator.site.stage import DOCS

log = logging.getLogger(__name__)


def _render_sections(page: Any, cache: SectionCache, config: Any, files: Any) -> None:
    """``Page.render`` of a page cut into sections (:mod:`generator.site.sections`)."""
    converted = cache.convert(page, config, files)
    if converted is None:  # the page no longer cuts: the whole page, from now on
        del page.render
        page.render(config, files)
        return
    page.content, page.toc, page._title_from_render, page.present_anchor_ids = converted


def _capture() -> Any:
    from mkdocs.plugins import BasePlugin

    class Capture(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        """Keeps what a full build gathered: the files, the navigation, the theme's
        environment (each event runs after the site's own plugins: added last)."""

        files: Any = None
        nav: Any = None
        env: Any = None
        building = True
        """In the full build (then large pages are tried in sections), not after."""
        cut: dict[str, SectionCache] = {}
        """Large pages whose sections convert to what mkdocs made of the whole page."""

        def on_page_content(self, html: str, /, *, page: Any, config: Any,
                            files: Any) -> str:
            if self.building and len(page.markdown or "") >= LARGE:
                cache = SectionCache()
                if same_as(page, cache.convert(page, config, files)):
                    self.cut[page.file.src_uri] = cache
            return html

        def on_nav(self, nav: Any, /, *, config: Any, files: Any) -> Any:
            self.nav, self.files = nav, files
            return nav

        def on_env(self, env: Any, /, *, config: Any, files: Any) -> Any:
            self.env, self.files = env, files
            return env

    capture = Capture()
    capture.cut = {}
    return capture


LIVE_SCRIPT = "/.policybook-livereload.js"
BLOCK = 1 << 20


def _server_class() -> Any:
    from mkdocs import livereload

    class Server(livereload.LiveReloadServer):
        """mkdocs's live-reload server, its script a file of the site's origin."""

        script = livereload._SCRIPT_TEMPLATE_STR.replace(
            "livereload(${epoch}, ${request_id});",
            "livereload(+document.currentScript.dataset.epoch, "
            "+document.currentScript.dataset.request);").encode()

        def _serve_request(self, environ: Any, start_response: Any) -> Any:
            if environ["PATH_INFO"] == LIVE_SCRIPT:
                start_response("200 OK", [("Content-Type", "application/javascript"),
                                          ("Content-Length", str(len(self.script)))])
                return [self.script]
            served = super()._serve_request(environ, start_response)
            if isinstance(served, wsgiref.util.FileWrapper):
                # In blocks of 1 MiB, not 8 KiB: each block waits for the interpreter
                # lock, which the checks of an edit hold while its page is fetched (a
                # page of megabytes took a second more).
                served.blksize = BLOCK
            return served

        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            end = content.rfind(b"</body>")
            end = len(content) if end < 0 else end
            tag = (f'<script src="{LIVE_SCRIPT}" data-epoch="{epoch}" '
                   f'data-request="{livereload._timestamp()}"></script>').encode()
            return content[:end] + tag + content[end:]

    return Server


class LiveMkdocs:
    """The docs project at ``project`` built by mkdocs into ``project/site`` and served
    on ``address`` (``host:port``) with live reload."""

    def __init__(self, project: Path, address: str) -> None:
        self.project = project
        self.config_file = project / "mkdocs.yml"
        self.site_dir = project / "site"
        host, _, port = address.rpartition(":")
        self.host, self.port = host or "127.0.0.1", int(port)
        self.config: Any = None
        self.capture: Any = None
        self.queue: list[str] = []
        """Files written and not yet rendered again (:meth:`work`)."""
        self.build()
        built: Any = self.config
        mount = urlsplit(built.site_url or "/").path
        self.server = _server_class()(builder=lambda: None, host=self.host, port=self.port,
                                      root=str(self.site_dir), mount_path=mount)
        self.server.error_handler = self._error_page
        # mkdocs adds its script to pages only while it watches a path; policybook
        # watches the policies itself and tells it what changed.
        self.server._watched_paths["policybook"] = 1
        self.thread = threading.Thread(target=self.server._build_loop, daemon=True,
                                       name="mkdocs live reload")

    @property
    def serve_url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self) -> None:
        """Serve (in threads of this process) until :meth:`stop`; OSError when the
        address cannot be had. (``LiveReloadServer.serve`` but for the wait.)"""
        self.server.server_bind()
        self.server.server_activate()
        self.server.observer.start()
        self.server.serve_thread.start()
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        if self.config is not None:
            self.config.plugins.on_shutdown()

    def build(self) -> None:
        """The whole site, as ``mkdocs serve`` builds it."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        if self.config is not None:
            self.config.plugins.on_shutdown()
        config = load_config(config_file=str(self.config_file), site_dir=str(self.site_dir))
        config.plugins.on_startup(command="serve", dirty=False)
        config.site_url = self.serve_url
        self.capture = _capture()
        config.plugins["policybook-live"] = self.capture
        with long_lived_heap():  # the collector off policybook's models
            build(config, serve_url=self.serve_url)
        self.capture.building = False
        self.config = config

    def changed(self, paths: Iterable[str], *, now: bool = False) -> None:
        """Show what policybook wrote or removed (``paths`` relative to the project):
        the pages again, else the whole site. ``now``: at once, and the browsers reload
        (the pages of the edit: rendered before any page still queued by an earlier
        one); else queued for :meth:`work` (the other pages), so a new edit does not
        wait for them."""
        fresh = list(dict.fromkeys(paths))
        taken = set(fresh)
        self.queue = [p for p in self.queue if p not in taken]
        if not now:
            self.queue += fresh
        elif self._show(fresh, None):
            self._reload()

    @property
    def pending(self) -> bool:
        return bool(self.queue)

    def work(self, seconds: float | None) -> None:
        """Render queued pages for about ``seconds`` (at least one; None: all); reload
        the browsers when the queue is empty."""
        if self.queue and self._show(self.queue, seconds) and not self.queue:
            self._reload()

    def _show(self, paths: list[str], seconds: float | None) -> bool:
        """Render the pages of ``paths`` from the first, taking each rendered off the
        list, for about ``seconds`` (at least one; None: all); the whole site when one
        is not a page the last build knows. False when mkdocs failed (reported)."""
        pages = self._pages(paths)
        try:
            if pages is None:
                paths.clear()
                self.queue = []
                self.build()
                return True
            until = time.perf_counter() + (seconds if seconds is not None else 1e9)
            first = True  # at least one page a call
            while pages and (first or time.perf_counter() < until):
                self._render([pages.pop(0)])
                paths.pop(0)
                first = False
        except Exception as exc:  # mkdocs's own errors: reported, the server stays up
            paths.clear()
            self.queue = []
            log.error("mkdocs: %s", exc)
            return False
        return True

    def _pages(self, paths: list[str]) -> list[Any] | None:
        """The pages of ``paths``, or None when one is not a page the last build knows
        (the config, an asset, a new or removed file)."""
        files = self.capture.files
        pages = []
        for path in paths:
            if not path.startswith(f"{DOCS}/") or not (self.project / path).is_file():
                return None
            file = files.get_file_from_path(path[len(DOCS) + 1:])
            if file is None or file.page is None:
                return None
            pages.append(file.page)
        return pages

    def _render(self, pages: list[Any]) -> None:
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.files import InclusionLevel

        config, files = self.config, self.capture.files
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        cut = self.capture.cut
        with long_lived_heap():
            for page in pages:
                if page.file.src_uri in cut:  # its sections, as the full build proved
                    page.render = functools.partial(_render_sections, page,
                                                    cut[page.file.src_uri])
                _populate_page(page, config, files)
            for page in pages:
                _build_page(page, config, doc_files, self.capture.nav, self.capture.env,
                            excluded=page.file.inclusion.is_excluded())

    def _reload(self) -> None:
        from mkdocs.livereload import _timestamp

        server = self.server
        with server._epoch_cond:
            server._wanted_epoch = server._visible_epoch = _timestamp()
            server._epoch_cond.notify_all()

    def _error_page(self, code: int) -> bytes | None:
        page = self.site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None
