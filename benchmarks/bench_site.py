"""The handbook site with each engine: full build against the engine alone, and edit →
page shown under ``policybook serve``.

For the shipped library and a synthetic one 10× its size, and for each engine
(``mkdocs`` with Material, ``zensical``; the latter when installed):

* **policybook build**: ``policybook build --only site --engine E`` in a fresh process
  (check the packs, render every page, write the docs project, the engine's build),
  CPU seconds of the process and its children, best of N;
* **engine alone**: the same engine on the same pages written by hand: the docs project
  that policybook writes is written once as plain files, and ``mkdocs build -f`` /
  ``zensical build -f`` runs on it (Zensical's cache removed before each run, as
  ``policybook build`` starts without one);
* **ratio** = policybook build / engine alone. Floor (issue 12): at most 1.5;
* **edit → shown**: under ``policybook serve --engine E``, wall seconds from saving a
  YAML file (a rule's title changes) until the served rules page has the new title
  (policybook polls every 0.2 s, writes the rules page first, the engine renders it;
  the page is fetched again when a browser would load it again: with mkdocs, when its
  live-reload answer says the site changed; with Zensical, every 50 ms):
  on a settled preview (the edit before shown on every page; with Zensical, also
  rendered by zensical serve, whose process is then idle), and 2 s after the edit
  before (its other pages still being rendered). Floor: at most 2 s on the 10× library,
  settled (the median).

    python benchmarks/bench_site.py [--quick] [--engine mkdocs|zensical]

``BENCH_SERVE_LOG=FILE`` appends what ``policybook serve`` logs (with the times of the
edits) to FILE.
"""

from __future__ import annotations

import importlib.util
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import make_pack  # noqa: E402

from generator.commands.serve import SETTLED  # noqa: E402
from generator.site.build import prepare  # noqa: E402
from generator.site.search import index_site  # noqa: E402
from generator.site.stage import stage_project  # noqa: E402

MKDOCS_YML = ROOT / "mkdocs.yml"
MERMAID = ROOT / "vendor/mermaid/mermaid.min.js"
PAGEFIND = ROOT / "vendor/pagefind/bin/pagefind_extended"
RATIO_FLOOR = 1.5
SERVE_FLOOR = 2.0
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}


@dataclass
class Figures:
    engine: str
    name: str
    pages: int
    build: float
    alone: float
    serve: list[float] = field(default_factory=list)
    """Edit → shown on a settled preview."""
    rapid: list[float] = field(default_factory=list)
    """Edit → shown 2 s after the edit before."""

    @property
    def ratio(self) -> float:
        return self.build / self.alone


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str | Path], cwd: Path = ROOT, timeout: float = 1800) -> float:
    """CPU seconds of ``command`` and its children."""
    start = child_cpu()
    result = subprocess.run(list(map(str, command)), cwd=cwd, env=ENV, capture_output=True,
                            text=True, timeout=timeout, check=False)
    if result.returncode:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{result.stderr[-3000:]}")
    return child_cpu() - start


def site_config(tmp: Path, pack: Path) -> Path:
    cfg = tmp / "site.yml"
    cfg.write_text(f"INHERIT: {MKDOCS_YML}\ndocs_dir: {ROOT / 'docs'}\nplugins:\n"
                   f"  policybook:\n    policies: {pack}\n    mermaid: {MERMAID}\n"
                   f"    pagefind: {PAGEFIND}\n", encoding="utf-8")
    return cfg


def engine_alone(engine: str, config: Path, site: Path) -> list[str | Path]:
    if engine == "zensical":
        return [sys.executable, "-m", "zensical", "build", "-f", config]
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", site]


def index_cpu(site: Path) -> float:
    """CPU seconds of indexing ``site`` for search, as policybook build does."""
    before = child_cpu()
    index_site(site, PAGEFIND)
    return child_cpu() - before


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


def wait_for_reload(engine: str, port: int, page: str) -> None:
    """Until a browser showing ``page`` would load it again: with mkdocs, as its
    live-reload script does (it asks the server, which answers when the site changed);
    else 50 ms. (Fetching a page of megabytes every 50 ms from mkdocs's server, which
    runs in policybook's process, would slow the very rendering it waits for.)"""
    epoch = re.search(r'data-epoch="(\d+)"', page) if engine == "mkdocs" else None
    if epoch is None or not fetch(f"http://127.0.0.1:{port}/livereload/{epoch[1]}/0",
                                  timeout=70):
        time.sleep(0.05)


def tree_cpu(pid: int) -> float:
    """CPU seconds of the process ``pid`` and its children (Linux's /proc)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += tree_cpu(int(child))
    except OSError:
        pass
    return total


def wait_idle(pid: int, deadline: float = 600) -> None:
    """Until the process tree of ``pid`` uses under 5 % of a CPU for a second: zensical
    serve, policybook's child, still renders what the edit before wrote when policybook
    has settled."""
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        before = tree_cpu(pid)
        time.sleep(1.0)
        if tree_cpu(pid) - before < 0.05:
            return


def edit_to_shown(engine: str, tmp: Path, pack: Path, config: Path,
                  edits: int) -> tuple[list[float], list[float]]:
    """Seconds from saving the rules file to the served rules page showing the edit:
    ``edits`` times on a settled preview (the previous edit shown on every page:
    policybook logs it; Zensical idle), then ``edits`` times 2 s apart (the previous
    edit's other pages still being rendered)."""
    rules = sorted(pack.rglob("rules.yaml"))[0]
    prefix = rules.parent.relative_to(pack).as_posix()
    port = free_port()
    url = f"http://127.0.0.1:{port}/{prefix + '/' if prefix != '.' else ''}rules/"
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(pack), "--engine", engine,
         "--config", str(config), "--out", str(tmp / f"serve-{engine}"),
         "-a", f"127.0.0.1:{port}"],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    settled = threading.Semaphore(0)

    log = os.environ.get("BENCH_SERVE_LOG")

    def read_log() -> None:
        assert server.stderr is not None
        with open(log or os.devnull, "a", encoding="utf-8") as out:
            for line in server.stderr:
                out.write(f"{time.perf_counter():.3f} {line}")
                out.flush()
                if SETTLED in line:
                    settled.release()

    threading.Thread(target=read_log, daemon=True).start()
    original = rules.read_text(encoding="utf-8")
    try:
        deadline = time.monotonic() + 1800
        while "R-" not in fetch(url):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"policybook serve --engine {engine} did not come up")
            time.sleep(0.3)
        data = yaml.safe_load(original)
        first_title = data["rules"][0]["title"]
        times: tuple[list[float], list[float]] = ([], [])
        for n in range(2 * edits):
            rapid = n >= edits
            if n and not rapid and not settled.acquire(timeout=600):
                raise SystemExit("the preview never settled")
            if not rapid and engine != "mkdocs":
                wait_idle(server.pid)
            time.sleep(2.0 if rapid else 1.0)
            marker = f"基准修改{engine}{n}号"
            data["rules"][0]["title"] = first_title + marker
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            page = fetch(url)  # the page open in the browser before the edit
            start = time.perf_counter()
            if log:
                with open(log, "a", encoding="utf-8") as out:
                    kind = "2 s apart" if rapid else "settled"
                    out.write(f"{start:.3f} bench: edit {n} ({kind})\n")
            rules.write_text(text, encoding="utf-8")
            while marker not in page:
                if time.perf_counter() - start > 300:
                    raise SystemExit("the edited title never showed")
                wait_for_reload(engine, port, page)
                page = fetch(url)
            times[rapid].append(time.perf_counter() - start)
        return times
    finally:
        rules.write_text(original, encoding="utf-8")
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def measure(engine: str, name: str, scale: int, tmp: Path, *, repeat: int,
            edits: int) -> Figures:
    pack = make_pack(scale, tmp / "pack") if not (tmp / "pack").is_dir() else tmp / "pack"
    config = site_config(tmp, pack)
    out = tmp / f"out-{engine}"
    build = min(run([sys.executable, "-m", "generator", "build", pack, "--only", "site",
                     "--engine", engine, "--config", config, "--out", out])
                for _ in range(repeat))
    library, content = prepare(config, pack, tmp / "no-pdf", analysis=None, pdfs=None)
    hand = tmp / f"hand-{engine}"
    shutil.rmtree(hand, ignore_errors=True)
    hand.mkdir()
    project, _ = stage_project(config, library, content, project=hand)
    times = []
    for _ in range(repeat):
        shutil.rmtree(hand / ".cache", ignore_errors=True)
        shutil.rmtree(project.site, ignore_errors=True)
        # A hand-written site searched with Pagefind indexes what the engine wrote too.
        times.append(run(engine_alone(engine, project.config, project.site), cwd=hand)
                     + index_cpu(project.site))
    serve, rapid = edit_to_shown(engine, tmp, pack, config, edits) if edits else ([], [])
    return Figures(engine, name, len(content.pages), build, min(times), serve, rapid)


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    engines = [argv[argv.index("--engine") + 1]] if "--engine" in argv else ["mkdocs",
                                                                          "zensical"]
    if importlib.util.find_spec("zensical") is None and "zensical" in engines:
        print("zensical is not installed (pip install 'policybook[zensical]'): skipped",
              file=sys.stderr)
        engines.remove("zensical")
    if not MERMAID.is_file():
        print("vendor/mermaid/mermaid.min.js is missing: run make setup", file=sys.stderr)
        return 1
    rows = []
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        for name, scale in (("shipped", 1), ("10×", 10)):
            for engine in engines:
                work = Path(tmp) / f"x{scale}"
                work.mkdir(exist_ok=True)
                rows.append(measure(engine, name, scale, work, repeat=repeat,
                                    edits=(2 if quick else 3) if scale == 10 else 0))
                print("measured:", rows[-1], flush=True)
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on "
          f"{os.cpu_count()} CPUs; builds in CPU seconds (best of {repeat}), "
          "edit→shown in wall seconds")
    print(f"{'engine':9} {'library':8} {'pages':>6} {'policybook build':>17} "
          f"{'engine alone':>13} {'ratio':>6} {'edit→shown, settled':>22} "
          f"{'2 s apart':>22}")
    for r in rows:
        serve = ", ".join(f"{t:.2f}" for t in r.serve) or "—"
        rapid = ", ".join(f"{t:.2f}" for t in r.rapid) or "—"
        print(f"{r.engine:9} {r.name:8} {r.pages:6d} {r.build:16.2f}s {r.alone:12.2f}s "
              f"{r.ratio:6.2f} {serve:>22} s {rapid:>22} s")
    failed = [f"{r.engine} {r.name}: build/alone {r.ratio:.2f} > {RATIO_FLOOR}"
              for r in rows if r.ratio > RATIO_FLOOR]
    failed += [f"{r.engine} {r.name}: edit→shown {statistics.median(r.serve):.2f} s "
               f"> {SERVE_FLOOR} s" for r in rows
               if r.serve and statistics.median(r.serve) > SERVE_FLOOR]
    for f in failed:
        print("floor missed:", f, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
