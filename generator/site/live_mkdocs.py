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

import logging
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.site.stage import DOCS

log = logging.getLogger(__name__)


def _capture() -> Any:
    from mkdocs.plugins import BasePlugin

    class Capture(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        """Keeps what a full build gathered: the files, the navigation, the theme's
        environment (each event runs after the site's own plugins: added last)."""

        files: Any = None
        nav: Any = None
        env: Any = None

        def on_nav(self, nav: Any, /, *, config: Any, files: Any) -> Any:
            self.nav, self.files = nav, files
            return nav

        def on_env(self, env: Any, /, *, config: Any, files: Any) -> Any:
            self.env, self.files = env, files
            return env

    return Capture()


LIVE_SCRIPT = "/.policybook-livereload.js"


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
            return super()._serve_request(environ, start_response)

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
        build(config, serve_url=self.serve_url)
        self.config = config

    def changed(self, paths: Iterable[str]) -> None:
        """Show what policybook wrote or removed (``paths`` relative to the project):
        the pages again, else the whole site; then reload the browsers."""
        paths = list(paths)
        if not paths:
            return
        pages = self._pages(paths)
        try:
            if pages is None:
                self.build()
            else:
                self._render(pages)
        except Exception as exc:  # mkdocs's own errors: reported, the server stays up
            log.error("mkdocs: %s", exc)
            return
        self._reload()

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
        for page in pages:
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
