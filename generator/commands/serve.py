"""``policybook serve``: preview the handbook while editing the policies, with either
engine.

The handbook is written once as a docs project (``<out>/serve/``: ``mkdocs.yml``,
``docs/``, ``theme/``; :mod:`generator.site.stage`) and the engine's own server runs
on it (``mkdocs serve --dirty`` or ``zensical serve``). policybook watches the policy
files; when one changes, it analyses again (parsing only the files whose bytes
changed), renders and writes first the pages the edit is likely to change, then,
between polls, renders every other page and writes those whose bytes changed
(:mod:`generator.site.incremental`). The engine sees those files change, rebuilds
only them (its incremental build) and its live reload shows them in the browser. A
policy error is printed, in the words of ``policybook check``, and the pages stay as
they were until it is fixed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from generator.addresses import BUILD_DIR, PDF_DIR
from generator.commands.build import site_config
from generator.commands.common import DEFAULT_POLICIES, policy_path, use_colour
from generator.errors import EXIT_OK, BuildError
from generator.library import Library, analyse_library
from generator.load import ParseCache
from generator.reporters import Summary, render_text
from generator.site.build import require_config, site_options
from generator.site.content import find_pdfs, signature
from generator.site.engines import DEFAULT_ENGINE, ENGINES, zensical_command
from generator.site.incremental import LiveSite
from generator.site.stage import Written

NAME = "serve"
HELP = "预览手册:修改政策文件后页面自动刷新 / preview the handbook, live"
SERVE_DIR = "serve"
SLICE = 0.1
"""Seconds of rendering the rest of an edit's pages between two polls for the next edit."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_POLICIES,
                        help="政策文件夹(默认 policies/)")
    parser.add_argument("--out", type=Path, default=Path(BUILD_DIR),
                        help="输出文件夹(默认 build/):预览的文档项目写在 build/serve")
    parser.add_argument("--config", type=Path, default=None,
                        help="mkdocs 配置文件(默认同 policybook build)")
    parser.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                        help="预览用的引擎(默认 mkdocs)")
    parser.add_argument("-a", "--dev-addr", default="127.0.0.1:8000",
                        help="预览服务器的地址和端口(默认 127.0.0.1:8000)")
    parser.add_argument("--interval", type=float, default=0.2, help=argparse.SUPPRESS)


def engine_serve_command(engine: str, config: Path, address: str) -> list[str]:
    if engine == "zensical":
        return [*zensical_command(), "serve", "-f", str(config), "-a", address]
    # --dirty: rebuild only the pages whose files changed (policybook rewrites only those)
    return [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(config),
            "-a", address]


class Preview:
    """The kept docs project and what it was last written from."""

    def __init__(self, policies: Path, config: Path, out: Path) -> None:
        self.policies, self.config = policies, config
        self.project = (out / SERVE_DIR).absolute()
        self.pdf_dir = out / PDF_DIR
        self.key: object = None
        self.cache = ParseCache()
        """Each policy file's parsing, kept: an edit re-parses the files it changed."""
        options = site_options(config)
        self.site = LiveSite(config, self.project, mermaid=options.mermaid,
                             directory_urls=options.directory_urls, tooltips=options.tooltips)
        self.timings: dict[str, float] = {}
        """Seconds of the last refresh's parts (analysis, pages), for the log."""

    def _analysis(self) -> Library | None:
        library = analyse_library(self.policies, cache=self.cache, track=True)
        if not library.ok:
            sys.stderr.write(render_text(library.diagnostics, Summary(library.files, "check"),
                                         colour=use_colour(sys.stderr)))
            print("政策有错误:页面保持上一次的内容,改正后自动更新。", file=sys.stderr)
            return None
        return library

    @property
    def pending(self) -> bool:
        """Whether the last edit's other pages are still to be rendered (:meth:`complete`)."""
        return self.site.pending

    def refresh(self) -> Written | None:
        """Write the pages the edit since the last call is likely to change (all of them
        the first time); None when nothing could be written (a policy error) or nothing
        was to be done. The other pages follow in :meth:`complete`."""
        key = signature(self.policies)
        if key == self.key:
            return None
        self.key = key
        started = time.perf_counter()
        library = self._analysis()
        analysed = time.perf_counter()
        self.timings = {"analysis": analysed - started}
        if library is None:
            return None
        pdfs = find_pdfs(self.pdf_dir, tuple(p.prefix for p in library))
        written = self.site.update(library, pdfs)
        self.timings["pages"] = time.perf_counter() - analysed
        return written

    def complete(self, seconds: float = 1e9) -> Written | None:
        """Render the last edit's other pages for about ``seconds``; once all are, write
        the whole project (only what differs) and return what that changed."""
        return self.site.complete(seconds)


def run(args: argparse.Namespace) -> int:
    policies = policy_path(args.path)
    config = require_config(args.config if args.config is not None else site_config(policies))
    preview = Preview(policies, config, args.out)
    first = preview.refresh()
    if first is None:
        raise BuildError("政策有错误,未启动预览。")
    command = engine_serve_command(args.engine, preview.project / "mkdocs.yml", args.dev_addr)
    print(f"预览:http://{args.dev_addr}/ ({args.engine});文档项目 → {preview.project}",
          file=sys.stderr)
    engine = subprocess.Popen(command, cwd=preview.project)
    try:
        while engine.poll() is None:
            if preview.pending:  # the rest of the last edit's pages, between polls
                started = time.perf_counter()
                rest = preview.complete(SLICE)
                if rest is not None:
                    finished = time.perf_counter() - started + preview.timings.get("rest", 0)
                    print(f"policybook: 其余页面已核对,另更新 {len(rest.written)} 个文件、"
                          f"删除 {len(rest.removed)} 个({finished:.2f} 秒)", file=sys.stderr)
                else:
                    preview.timings["rest"] = (preview.timings.get("rest", 0)
                                               + time.perf_counter() - started)
            else:
                time.sleep(args.interval)
            written = preview.refresh()
            if written is not None and (written.written or written.removed):
                t = preview.timings
                print(f"policybook: 已更新 {len(written.written)} 个文件、删除 "
                      f"{len(written.removed)} 个(分析 {t['analysis']:.2f} 秒,"
                      f"页面 {t['pages']:.2f} 秒)", file=sys.stderr)
    finally:
        if engine.poll() is None:
            engine.terminate()
            try:
                engine.wait(timeout=10)
            except subprocess.TimeoutExpired:
                engine.kill()
    return EXIT_OK if engine.returncode in (0, -15) else 1
