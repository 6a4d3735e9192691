"""``policybook serve``: preview the handbook while editing the policies, with either
engine.

The handbook is written once as a docs project (``<out>/serve/``: ``mkdocs.yml``,
``docs/``, ``theme/``; :mod:`generator.site.stage`). policybook watches the policy
files; when one changes, it analyses again (parsing only the files whose bytes
changed), renders and writes first the pages that describe what the edit changed,
then the others it is likely to change, then, between polls, every other page,
writing those whose bytes changed (:mod:`generator.site.incremental`). The checks run
just after the first pages are shown: an error is printed, in the words of
``policybook check``, and shown in a box at the top of the pages the edit wrote, until
it is fixed; a file that does not validate leaves the pages as they were.

With mkdocs (the default) mkdocs builds and serves the project in policybook's own
process and is told which pages were written: it renders those again at once and the
browsers reload (:mod:`generator.site.live_mkdocs`). Zensical runs as its own
``zensical serve``, which renders every page again when it sees a file change: it is
given the edit's first pages, then the rest of them at once.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from generator.addresses import BUILD_DIR, PDF_DIR
from generator.commands.build import site_config
from generator.commands.common import DEFAULT_POLICIES, policy_path, use_colour
from generator.diagnostics import Diagnostic, Severity
from generator.errors import EXIT_OK, BuildError
from generator.escape import markdown_inline
from generator.library import Library, analyse_library, checked
from generator.load import ParseCache
from generator.reporters import Summary, render_text
from generator.site.build import require_config, site_options
from generator.site.content import find_pdfs, signature
from generator.site.engines import DEFAULT_ENGINE, ENGINES, zensical_command
from generator.site.incremental import LiveSite
from generator.site.live_mkdocs import LiveMkdocs
from generator.site.stage import Written

NAME = "serve"
HELP = "预览手册:修改政策文件后页面自动刷新 / preview the handbook, live"
SERVE_DIR = "serve"
SLICE = 0.1
SETTLED = "其余页面已核对并显示"
"""Logged when every page shows the last edit (the benchmark waits for it)."""
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


def zensical_serve_command(config: Path, address: str) -> list[str]:
    return [*zensical_command(), "serve", "-f", str(config), "-a", address]


def error_box(errors: list[Diagnostic]) -> str:
    """A failed check, as a box at the top of a page the edit wrote (Markdown)."""
    lines = [f'!!! failure "未通过检查:这一修改有 {len(errors)} 个错误(终端里有全文),'
             '改正后自动更新"', ""]
    for d in errors[:20]:
        lines.append(f"    - `{d.file}:{d.line}:{d.column}` {markdown_inline(d.message)}"
                     f"〔{markdown_inline(d.check)}〕")
    if len(errors) > 20:
        lines.append(f"    - ……另有 {len(errors) - 20} 个")
    return "\n".join(lines) + "\n"


class Preview:
    """The kept docs project and what it was last written from."""

    def __init__(self, policies: Path, config: Path, out: Path, *, batch: bool = False) -> None:
        self.policies, self.config = policies, config
        self.project = (out / SERVE_DIR).absolute()
        self.pdf_dir = out / PDF_DIR
        self.key: object = None
        self.cache = ParseCache()
        """Each policy file's parsing, kept: an edit re-parses the files it changed."""
        options = site_options(config)
        self.site = LiveSite(config, self.project, mermaid=options.mermaid,
                             directory_urls=options.directory_urls, tooltips=options.tooltips,
                             batch=batch)
        self.timings: dict[str, float] = {}
        """Seconds of the last refresh's parts (analysis, pages, checks), for the log."""
        self.unchecked: Library | None = None
        """The analysis :meth:`refresh` showed, before its checks (:meth:`check`)."""

    def _report(self, library: Library) -> None:
        sys.stderr.write(render_text(library.diagnostics, Summary(library.files, "check"),
                                     colour=use_colour(sys.stderr)))

    @property
    def pending(self) -> bool:
        """Whether the last edit's other pages are still to be rendered (:meth:`complete`)."""
        return self.site.pending

    def refresh(self) -> Written | None:
        """Write the pages that describe what the edit since the last call changed (all
        of them the first time); None when nothing could be written (a file that does
        not validate) or nothing was to be done. The checks follow in :meth:`check`,
        the other pages in :meth:`complete`."""
        key = signature(self.policies)
        if key == self.key:
            return None
        self.key = key
        started = time.perf_counter()
        library = analyse_library(self.policies, cache=self.cache, track=True, checks=False)
        analysed = time.perf_counter()
        self.timings = {"analysis": analysed - started}
        if not library.ok:
            self._report(library)
            print("政策文件有错误:页面保持上一次的内容,改正后自动更新。", file=sys.stderr)
            self.unchecked = None
            return None
        pdfs = find_pdfs(self.pdf_dir, tuple(p.prefix for p in library))
        written = self.site.update(library, pdfs)
        self.timings["pages"] = time.perf_counter() - analysed
        self.unchecked = library
        return written

    def check(self, *, mark: bool = True) -> Written | None:
        """Run the checks on the edit :meth:`refresh` showed. On an error: print it, put
        it in a box at the top of the pages the edit wrote (unless not ``mark``: before
        the preview starts), stop rendering the others, and return what that wrote;
        None when the checks pass (or nothing to check)."""
        library, self.unchecked = self.unchecked, None
        if library is None:
            return None
        started = time.perf_counter()
        library = checked(library, track=True)
        self.timings["checks"] = time.perf_counter() - started
        errors = [d for d in library.diagnostics if d.severity >= Severity.ERROR]
        if not errors:
            return None
        self._report(library)
        if not mark:
            return Written()
        print("政策有错误:已在本次修改的页面顶部标出,改正后自动更新。", file=sys.stderr)
        return self.site.flag(error_box(errors))

    def complete(self, seconds: float = 1e9) -> Written | None:
        """Render the last edit's other pages for about ``seconds`` (the rest of the
        forecast written as it is rendered); once all are, write the whole project
        (only what differs). Returns what was written, None when nothing was."""
        return self.site.complete(seconds)


def run(args: argparse.Namespace) -> int:
    policies = policy_path(args.path)
    config = require_config(args.config if args.config is not None else site_config(policies))
    # Zensical renders every page again at each change it sees: it is given an edit's
    # first pages, then the rest together.
    preview = Preview(policies, config, args.out, batch=args.engine == "zensical")
    if preview.refresh() is None or preview.check(mark=False) is not None:
        raise BuildError("政策有错误,未启动预览。")
    print(f"预览:http://{args.dev_addr}/ ({args.engine});文档项目 → {preview.project}",
          file=sys.stderr)
    if args.engine == "mkdocs":
        live = LiveMkdocs(preview.project, args.dev_addr)
        try:
            live.start()
        except OSError as exc:
            live.stop()
            raise BuildError(f"无法在 {args.dev_addr} 上提供预览({exc.strerror}):"
                             "换一个端口,例如 -a 127.0.0.1:8001。") from None
        return watch(preview, args.interval, live, live.thread.is_alive, live.stop)
    command = zensical_serve_command(preview.project / "mkdocs.yml", args.dev_addr)
    engine = subprocess.Popen(command, cwd=preview.project)

    def stop() -> None:
        if engine.poll() is None:
            engine.terminate()
            try:
                engine.wait(timeout=10)
            except subprocess.TimeoutExpired:
                engine.kill()

    # Zensical watches the project's files itself.
    status = watch(preview, args.interval, None, lambda: engine.poll() is None, stop)
    return status if engine.returncode in (0, -15, None) else 1


def collect_while_idle() -> None:
    """The garbage collector's full pass now that nothing waits for the preview, then
    every object alive kept out of the passes that an edit's new objects trigger (the
    models, the pages and mkdocs's site are millions of objects on a large library: a
    full pass in the middle of an edit held it up by a second). What an edit leaves
    unreachable is freed as usual, or, in a cycle, by the next pass here."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def watch(preview: Preview, interval: float, live: LiveMkdocs | None,
          alive: Callable[[], bool], stop: Callable[[], None]) -> int:
    """Until the engine stops: look for the next edit and show its first pages at once;
    in between, check the last edit, let the engine render the other pages written,
    render the edit's other pages. ``live``: mkdocs in this process, told what was
    written (Zensical watches the files itself)."""

    def show(written: Written | None, now: bool = False) -> None:
        if live is not None and written is not None:
            live.changed([*written.written, *written.removed], now=now)

    collect_while_idle()
    try:
        edited = None  # when the last edit was seen, until everything shows it
        while alive():
            if preview.unchecked is not None:
                show(preview.check(), now=True)
            elif live is not None and live.pending:
                live.work(SLICE)
            elif preview.pending:  # the rest of the last edit's pages, between polls
                show(preview.complete(SLICE))
            elif edited is not None:
                print(f"policybook: {SETTLED}({time.perf_counter() - edited:.2f} 秒)",
                      file=sys.stderr)
                edited = None
                collect_while_idle()
            else:
                time.sleep(interval)
            seen = time.perf_counter()
            written = preview.refresh()
            if written is not None and (written.written or written.removed):
                edited = seen
                started = time.perf_counter()
                show(written, now=True)
                t = preview.timings
                print(f"policybook: 已更新 {len(written.written)} 个文件、删除 "
                      f"{len(written.removed)} 个(分析 {t['analysis']:.2f} 秒,"
                      f"页面 {t['pages']:.2f} 秒,引擎 {time.perf_counter() - started:.2f} 秒)",
                      file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
    return EXIT_OK
