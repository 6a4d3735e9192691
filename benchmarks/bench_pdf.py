"""How long building every PDF of the shipped pack takes, serially and in parallel,
beside WeasyPrint rendering the same HTML files directly.

* WeasyPrint:  ``weasyprint.HTML(filename=...).write_pdf(...)`` for each HTML file the
  build produces (same flags: ``pdf_forms`` for forms), one process, then the same
  in a process pool of the same size as the build's;
* policybook:  ``build_printables(model, out, jobs=1)`` and ``jobs=<cores>``, a full
  build (no PDF cache): planning, flow-diagram layout, HTML rendering, the
  missing-glyph guard, the second, compact layout of a document that would end on a
  nearly empty page, pypdf finishing the forms, writing into a staging folder and
  swapping it in.

Then a rebuild with nothing changed, from the content-addressed PDF cache (what
``policybook build`` does), is timed once.

Overhead = policybook / WeasyPrint, for serial and for parallel; the floor is 1.2 and
the script exits 1 above it. Both wall time and CPU time (this process and its worker
processes) are printed; the floor is checked on CPU time, which other jobs on a shared
machine disturb far less than wall time. Runs alternate (WeasyPrint, policybook, …)
and the best of ``--repeat`` (default 3) counts. The field font is made once before
timing (it is cached across builds); its one-off cost is printed too.

    python benchmarks/bench_pdf.py [--quick] [--repeat N] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import analyse  # noqa: E402
from generator.printables import build_printables, plan  # noqa: E402
from generator.printables.build import jobs_for  # noqa: E402
from generator.printables.cache import PdfCache  # noqa: E402
from generator.printables.fonts import field_font, find_cjk_font  # noqa: E402

FLOOR = 1.2


def weasyprint_file(args: tuple[str, str, bool]) -> None:
    import weasyprint

    html, target, forms = args
    weasyprint.HTML(filename=html).write_pdf(target, pdf_forms=forms)


Timing = tuple[float, float]
"""(wall seconds, CPU seconds of this process and its children)."""


def cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def measure(fn: Callable[[], object]) -> Timing:
    wall, used = time.perf_counter(), cpu()
    fn()
    return time.perf_counter() - wall, cpu() - used


def alternate(repeat: int, a: Callable[[], object],
              b: Callable[[], object]) -> tuple[Timing, Timing]:
    """Best wall and best CPU time of ``a`` and of ``b``, run in turns."""
    runs_a, runs_b = [], []
    for _ in range(repeat):
        runs_a.append(measure(a))
        runs_b.append(measure(b))
    return ((min(w for w, _ in runs_a), min(c for _, c in runs_a)),
            (min(w for w, _ in runs_b), min(c for _, c in runs_b)))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run of each")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else args.repeat

    analysis = analyse(ROOT / "policies" / "wealth-account-opening")
    if not analysis.ok:
        print("the shipped pack has errors; run `policybook check` first", file=sys.stderr)
        return 1
    model = analysis.model

    with tempfile.TemporaryDirectory() as cache:
        saved = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = cache
        start = time.perf_counter()
        field_font(find_cjk_font())
        cold = time.perf_counter() - start
        if saved is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = saved
    font = field_font(find_cjk_font())  # the real cache, warmed once

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        printables = plan(model)
        html_dir = work / "html"
        for kind in {p.kind for p in printables}:
            (html_dir / kind).mkdir(parents=True)
            (work / "raw" / kind).mkdir(parents=True)
        files = []
        for job in jobs_for(printables, html_dir, font):
            html = Path(job.target).with_suffix(".html")
            html.write_text(job.html, encoding="utf-8")
            files.append((str(html), str(work / "raw" / job.name), job.fillable))
        pages = 0

        def raw_serial() -> None:
            for item in files:
                weasyprint_file(item)

        def raw_parallel() -> None:
            with ProcessPoolExecutor(max_workers=min(args.jobs, len(files))) as pool:
                list(pool.map(weasyprint_file, files))

        def ours(jobs: int) -> Callable[[], object]:
            def run() -> None:
                out = work / f"out{jobs}" / "pdf"
                shutil.rmtree(out, ignore_errors=True)
                build_printables(model, out, jobs=jobs)
            return run

        raw_serial()  # warm-up: imports, fontconfig
        rows = [
            ("serial", *alternate(repeat, raw_serial, ours(1))),
            (f"parallel ({args.jobs} processes)",
             *alternate(repeat, raw_parallel, ours(args.jobs))),
        ]
        from pypdf import PdfReader

        pages = sum(len(PdfReader(p).pages) for p in (work / "out1" / "pdf").rglob("*.pdf"))

        def cached() -> None:
            out = work / "cached" / "pdf"
            shutil.rmtree(out, ignore_errors=True)
            build_printables(model, out, jobs=args.jobs, cache=store)

        store = PdfCache(work / "cache")
        cached()
        store = PdfCache(work / "cache")
        rebuild = measure(cached)
        assert store.reused == len(files) and store.rendered == 0

    print(f"shipped pack: {len(files)} PDFs, {pages} A4 pages "
          f"({sum(1 for f in files if f[2])} fillable forms); best of {repeat}")
    print(f"field font (GB 2312 subset), made once and cached: {cold:.1f} s")
    print(f"{'':24} {'':5} {'WeasyPrint':>11} {'policybook':>11} {'overhead':>9}")
    failed = False
    for name, raw, mine in rows:
        for k, unit in ((0, "wall"), (1, "CPU")):
            ratio = mine[k] / raw[k]
            if k == 1:
                failed |= ratio > FLOOR
            print(f"{name if k == 0 else '':24} {unit:5} {raw[k]:10.2f}s {mine[k]:10.2f}s "
                  f"{ratio:8.2f}×")
    speedup = rows[0][2][0] / rows[1][2][0]
    print(f"parallel speed-up of the build (wall): {speedup:.2f}× on {args.jobs} processes")
    print(f"rebuild with nothing changed (every PDF from the cache): {rebuild[0]:.2f}s wall")
    print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"floor: CPU-time overhead ≤ {FLOOR}× → {'FAIL' if failed else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
