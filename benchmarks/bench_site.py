"""The handbook site: full build time, plugin overhead, and edit-to-rebuilt under serve.

For the shipped pack and a synthetic pack 10× its size:

* **site build**: ``mkdocs build`` with the policybook plugin (check the pack, render
  every page, Material, search index), each run a fresh process, best of N;
* **plain build**: ``mkdocs build`` of the *same* generated Markdown dumped into a
  temporary docs folder, without the plugin (same theme, extensions, assets, nav);
* **ratio** = site / plain. Floor (issue 5): at most 1.3;
* **edit → rebuilt**: under ``mkdocs serve``, the time from saving a YAML file (a rule's
  title changes) until the served page shows the new title. Floor: under 2 s for the
  shipped pack. (``serve`` polls the file system every 0.5 s; that wait is included.)

    python benchmarks/bench_site.py [--quick]    # prints a table; exit 1 if a floor is missed
"""

from __future__ import annotations

import os
import queue
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
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import make_pack  # noqa: E402

from generator.pipeline import analyse  # noqa: E402
from generator.site.nav import navigation  # noqa: E402
from generator.site.pages import render_site  # noqa: E402
from generator.site.plugin import MERMAID_URI, STYLE_URI  # noqa: E402

MKDOCS_YML = ROOT / "mkdocs.yml"
MERMAID = ROOT / "vendor/mermaid/mermaid.min.js"
ASSETS = ROOT / "generator/site/assets"
RATIO_FLOOR = 1.3
SERVE_FLOOR = 2.0
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}


@dataclass(frozen=True)
class Figures:
    name: str
    pages: int
    site: float
    plain: float
    serve: list[float]

    @property
    def ratio(self) -> float:
        return self.site / self.plain


def mkdocs(*args: str | Path, timeout: float = 900) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", *map(str, args)], cwd=ROOT,
                            env=ENV, capture_output=True, text=True, timeout=timeout)
    if result.returncode:
        raise SystemExit(f"mkdocs {' '.join(map(str, args))} failed:\n{result.stderr}")


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_build(config: Path, out: Path, repeat: int) -> float:
    """CPU seconds of ``mkdocs build`` in a fresh process (the way users run it), best of
    N. CPU time, not wall time: other work on a shared 2-core machine disturbs wall time
    far more (the serve figures below are wall time, as a user waits for them)."""
    times = []
    for _ in range(repeat):
        start = child_cpu()
        mkdocs("build", "-q", "-f", config, "-d", out)
        times.append(child_cpu() - start)
    return min(times)


def site_config(tmp: Path, pack: Path) -> Path:
    """mkdocs.yml with the plugin pointed at ``pack``."""
    cfg = tmp / "site.yml"
    cfg.write_text(
        f"INHERIT: {MKDOCS_YML}\ndocs_dir: {ROOT / 'docs'}\nplugins:\n  policybook:\n"
        f"    policies: {pack}\n    mermaid: {MERMAID}\n    pdf_dir: {tmp / 'no-pdf'}\n"
        f"    pagefind: {ROOT / 'vendor/pagefind/bin/pagefind_extended'}\n",
        encoding="utf-8")
    return cfg


def plain_config(tmp: Path, pack: Path) -> tuple[Path, int]:
    """The generated pages as ordinary Markdown files, and a config without the plugin."""
    docs = tmp / "plain-docs"
    shutil.copytree(ROOT / "docs", docs)
    model = analyse(pack).model
    pages = render_site(model)
    for page in pages:
        path = docs / page.src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, encoding="utf-8")
    for uri, source in ((MERMAID_URI, MERMAID), (STYLE_URI, ASSETS / "policybook.css")):
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, docs / uri)
    extra = [p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")]
    config = yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), Loader=_Loader)
    del config["plugins"]["policybook"]
    config.update(docs_dir=str(docs), nav=navigation(model, pages, sorted(extra)),
                  extra_javascript=[MERMAID_URI], extra_css=[STYLE_URI])
    cfg = tmp / "plain.yml"
    cfg.write_text(yaml.dump(config, allow_unicode=True, Dumper=_Dumper), encoding="utf-8")
    return cfg, len(pages)


class _Loader(yaml.SafeLoader):
    """mkdocs.yml names a Python function (the Mermaid fence); keep it as it is."""


_Loader.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: _Tagged(
        suffix, loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode)
        else loader.construct_mapping(node, deep=True)))


class _Tagged:
    def __init__(self, suffix: str, value: object) -> None:
        self.suffix, self.value = suffix, value


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    tag = f"tag:yaml.org,2002:python/{data.suffix}"
    if isinstance(data.value, dict):
        return dumper.represent_mapping(tag, data.value)
    return dumper.represent_scalar(tag, str(data.value))


_Dumper.add_representer(_Tagged, _represent_tagged)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def edit_to_rebuilt(tmp: Path, pack: Path, edits: int) -> list[float]:
    """Seconds from saving rules.yaml (a rule gets a new title) until ``mkdocs serve`` has
    rebuilt the whole site and tells the browsers to reload, which then show the title."""
    config = site_config(tmp, pack)
    port = free_port()
    url = f"http://127.0.0.1:{port}/rules/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    reloads: queue.Queue[float] = queue.Queue()

    def watch_log() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            if "Reloading browsers" in line:
                reloads.put(time.perf_counter())

    threading.Thread(target=watch_log, daemon=True).start()
    try:
        deadline = time.monotonic() + 600
        while "规则与参数" not in fetch(url):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("mkdocs serve did not come up")
            time.sleep(0.2)
        rules = pack / "rules.yaml"
        original = rules.read_text(encoding="utf-8")
        data = yaml.safe_load(original)
        first_title = data["rules"][0]["title"]
        times = []
        for n in range(edits):
            time.sleep(1.5)  # let the watcher settle after the previous build
            while not reloads.empty():
                reloads.get()
            marker = f"基准修改{n}号"
            start = time.perf_counter()
            data["rules"][0]["title"] = first_title + marker
            rules.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                             encoding="utf-8")
            done = reloads.get(timeout=300)
            if marker not in fetch(url):
                raise SystemExit("the rebuilt page does not show the edited title")
            times.append(done - start)
        rules.write_text(original, encoding="utf-8")
        return times
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure(name: str, scale: int, tmp: Path, *, repeat: int, edits: int) -> Figures:
    pack = make_pack(scale, tmp / "pack")
    site = best_build(site_config(tmp, pack), tmp / "site", repeat)
    plain_cfg, pages = plain_config(tmp, pack)
    plain = best_build(plain_cfg, tmp / "plain-site", repeat)
    serve = edit_to_rebuilt(tmp, pack, edits) if edits else []
    return Figures(name, pages, site, plain, serve)


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    if not MERMAID.is_file():
        print("vendor/mermaid/mermaid.min.js is missing: run make setup", file=sys.stderr)
        return 1
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        for name, scale in (("shipped", 1), ("10×", 10)):
            work = Path(tmp) / f"x{scale}"
            work.mkdir()
            edits = (3 if scale == 1 else 2) if not quick or scale == 1 else 0
            rows.append(measure(name, scale, work, repeat=1 if quick else 3, edits=edits))
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs; builds in CPU seconds (best of {1 if quick else 3}), "
          "edit→rebuilt in wall seconds")
    print(f"{'pack':8} {'pages':>6} {'site build':>11} {'plain build':>12} {'ratio':>6} "
          f"{'edit→rebuilt (each)':>24}")
    for r in rows:
        serve = ", ".join(f"{t:.2f}" for t in r.serve) or "—"
        print(f"{r.name:8} {r.pages:6d} {r.site:10.2f}s {r.plain:11.2f}s {r.ratio:6.2f} "
              f"{serve:>24} s")
    failed = []
    for r in rows:
        if r.ratio > RATIO_FLOOR:
            failed.append(f"{r.name}: site/plain {r.ratio:.2f} > {RATIO_FLOOR}")
    shipped = rows[0]
    if shipped.serve and statistics.median(shipped.serve) >= SERVE_FLOOR:
        failed.append(f"shipped: edit→rebuilt {statistics.median(shipped.serve):.2f} s "
                      f"≥ {SERVE_FLOOR} s")
    for f in failed:
        print("floor missed:", f, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
