"""Scale benchmarks: factsheet against plain MkDocs over the same pages, for N generated articles.

One command, from the project root; prints a Markdown table (and writes the numbers as JSON to
``benchmarks/out/results.json``)::

    .venv/bin/python benchmarks/run.py --n 100 1000          # table for N = 100 and 1,000
    .venv/bin/python benchmarks/run.py --n 10000 --no-serve  # the archive size (long: cold extraction)
    .venv/bin/python benchmarks/run.py --n 1000 --reuse      # keep the corpus and its fact files

For each N, in a project of N articles from ``benchmarks/corpus.py`` (in ``benchmarks/out/nN``):

* ``extract cold``: ``factsheet extract`` with no fact files (spaCy pipeline, every core), articles/s;
* ``extract warm``: the same again, nothing changed: every article is skipped by its digest;
* ``build``: ``factsheet build`` (warm extraction + check + ``mkdocs build --strict``), wall time,
  with factsheet's own work inside it (warm extract check, load, merge, render, handing the pages
  to MkDocs) timed in the same process; first once with an empty parse cache (the first build of
  a content folder), then as an editor's rebuild (the parse cache kept from the run before);
* ``floor``: a plain ``mkdocs build --strict`` over the same Markdown written to disk by
  ``factsheet render`` with the same theme, extensions, search settings and section-only nav;
* peak memory (maximum resident set of the command and the children it waited for), site size,
  search index size;
* at N = 1,000 (``--serve-n``): the edit loop, the time from changing one fact record until
  ``mkdocs serve`` (and ``mkdocs serve --dirty``) serves the page with the change.

The machine is small and noisy: compare ratios measured in one run; ``--repeat`` gives medians.
Nothing here is a test: it measures and prints.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
SECTIONS = (("Home", "index.md"), ("Timeline", "timeline/index.md"), ("Speakers", "speakers/index.md"),
            ("Sources", "sources/index.md"), ("Data", "downloads.md"))


# --- measuring a command ---------------------------------------------------------------------

def run(cmd: list[str], cwd: Path, *, log: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run ``cmd``; return (wall seconds, peak resident MB of it and the children it waited for)."""
    with open(log or os.devnull, "w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env={**ENV, **(env or {})}, stdout=out,
                                stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text("utf-8", "replace")[-3000:] if log else ""
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{tail}")
    return wall, usage.ru_maxrss / 1024


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- factsheet build with its own work timed (run in a child: `run.py _build ...`) ---------------

def _timed(owner: object, name: str, bucket: str, times: dict[str, float], depth: list[int]) -> None:
    """Wrap ``owner.name`` so its wall time adds to ``times[bucket]`` (outermost calls only)."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        if depth[0]:
            return original(*args, **kwargs)
        depth[0] += 1
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            times[bucket] = times.get(bucket, 0.0) + time.perf_counter() - start
            depth[0] -= 1

    setattr(owner, name, wrapper)


def instrument() -> dict[str, float]:
    """Time factsheet's own stages wherever they run in this process."""
    from generator import content, render
    from generator.publish import plugin

    times: dict[str, float] = {}
    depth = [0]
    _timed(content, "extract_content", "extract_check", times, depth)
    _timed(content, "load_sheet", "load", times, depth)
    _timed(render, "render_all", "merge_render", times, depth)
    _timed(plugin.FactsheetPlugin, "on_files", "plugin_files", times, depth)  # load+render+adding the files
    return times


def child_build(project: Path, out: Path) -> None:
    """``factsheet build`` in this process, with factsheet's own work timed; timings to ``out``."""
    t0 = time.perf_counter()
    times = instrument()
    from generator import cli

    os.chdir(project)
    try:
        cli.main(["build", "--site-dir", "site"], standalone_mode=False)
    finally:
        times["total_in_process"] = time.perf_counter() - t0
        out.write_text(json.dumps(times), "utf-8")


def child_serve(project: Path, out: Path, args: list[str]) -> None:
    """``mkdocs serve`` with factsheet's work timed; after each build the totals go to ``out``."""
    times = instrument()
    from mkdocs.__main__ import cli
    from mkdocs.commands import serve as serve_module

    from generator.publish import plugin

    original = plugin.FactsheetPlugin.on_post_build if hasattr(plugin.FactsheetPlugin, "on_post_build") else None

    def on_post_build(self, *, config):
        out.write_text(json.dumps(times), "utf-8")
        if original:
            return original(self, config=config)

    plugin.FactsheetPlugin.on_post_build = on_post_build
    os.chdir(project)
    del serve_module
    cli(["serve", *args], standalone_mode=True)


# --- the floor: plain MkDocs over the same Markdown ---------------------------------------------

def write_floor(project: Path) -> Path:
    floor = project / "floor"
    if floor.exists():
        shutil.rmtree(floor)
    run([BIN / "factsheet", "render", "--content", "content", "--out", floor / "docs"], project,
        env={"FACTSHEET_CACHE_DIR": str(project / "parse-cache")})
    for data in (floor / "docs").rglob("*.jsonld"):
        data.unlink()  # the plugin puts each page's JSON-LD in its <head>; plain MkDocs would copy the files
    for section in ("timeline", "sources"):  # as the plugin's search_exclude does
        for page in (floor / "docs" / section).glob("*.md"):
            if page.name != "index.md":
                page.write_text("---\nsearch:\n  exclude: true\n---\n" + page.read_text("utf-8"), "utf-8")
    (floor / "mkdocs.yml").write_text(yaml.safe_dump(floor_config(project, floor), sort_keys=False), "utf-8")
    return floor


def floor_config(project: Path, floor: Path) -> dict:
    """The project's own mkdocs.yml (same theme, search settings, extensions) without the
    factsheet plugin, over the rendered Markdown, with the same section nav the plugin makes."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text("utf-8"))
    config["docs_dir"] = "docs"
    config.pop("exclude_docs", None)
    config["plugins"] = [p for p in config.get("plugins", [])
                         if (p if isinstance(p, str) else next(iter(p))) != "factsheet"]
    config["nav"] = [{title: path} for title, path in SECTIONS if (floor / "docs" / path).exists()]
    return config


# --- the edit loop under mkdocs serve ----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def wait_for(url: str, needle: str, timeout: float, interval: float = 0.05) -> float | None:
    """Seconds until ``url`` serves a page containing ``needle``; None after ``timeout``."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        text = fetch(url)
        if text is not None and needle in text:
            return time.perf_counter() - start
        time.sleep(interval)
    return None


def edit_targets(project: Path, count: int) -> list[tuple[Path, str, str]]:
    """(fact file, record id, speaker page URL path) for ``count`` records with a named speaker."""
    sys.path.insert(0, str(ROOT))
    from generator import content, render

    sheet = content.load_sheet(project / "content")
    entries = render.build_statements(sheet.records, sheet.articles, sheet.people)
    found = []
    for entry in entries[len(entries) // 3:]:
        if entry.speaker_slug and len(entry.sources) == 1:
            fact = entry.sources[0].record
            found.append((project / "content/facts" / f"{fact.citation.article}.yaml", fact.id,
                          f"speakers/{entry.speaker_slug}/"))
            if len(found) == count:
                break
    return found


def serve_loop(project: Path, dirty: bool, edits: int, start_timeout: float) -> dict[str, object]:
    port = free_port()
    log = project / f"serve{'-dirty' if dirty else ''}.log"
    times_file = project / f"serve{'-dirty' if dirty else ''}-times.json"
    times_file.unlink(missing_ok=True)
    args = ["-a", f"127.0.0.1:{port}"] + (["--dirty"] if dirty else [])
    with open(log, "w") as handle:
        server = subprocess.Popen([sys.executable, __file__, "_serve", str(project), str(times_file), *args],
                                  cwd=project, env={**ENV, "FACTSHEET_CACHE_DIR": str(project / "parse-cache")},
                                  stdout=handle, stderr=subprocess.STDOUT)
    result: dict[str, object] = {"mode": "serve --dirty" if dirty else "serve"}
    try:
        t0 = time.perf_counter()
        first = wait_for(f"http://127.0.0.1:{port}/", "</html>", start_timeout, 0.5)
        if first is None:
            raise SystemExit(f"mkdocs serve did not start in {start_timeout} s; see {log}")
        result["first_build_s"] = round(time.perf_counter() - t0, 2)
        time.sleep(1.0)
        loops, own = [], []
        for i, (path, record_id, page) in enumerate(edit_targets(project, edits)):
            url = f"http://127.0.0.1:{port}/{page}"
            if wait_for(url, record_id, 30) is None:
                raise SystemExit(f"{url} does not show {record_id}; see {log}")
            before = json.loads(times_file.read_text("utf-8")) if times_file.exists() else {}
            note = f"Benchmark edit {i} {time.time_ns()}"
            text = path.read_text("utf-8")
            at = text.index(f"- id: {record_id}\n")
            line_end = text.index("\n", at) + 1
            indent = " " * (text.index("id:", at) - (text.rfind("\n", 0, at) + 1))
            text = re.sub(rf"^{indent}note: Benchmark edit .*\n", "", text, flags=re.M)  # an earlier run's
            at = text.index(f"- id: {record_id}\n")
            line_end = text.index("\n", at) + 1
            path.write_text(text[:line_end] + f"{indent}note: {note}\n" + text[line_end:], "utf-8")
            took = wait_for(url, note, 120)
            if took is None:
                raise SystemExit(f"the edit of {record_id} was not served within 120 s; see {log}")
            loops.append(took)
            time.sleep(0.5)
            after = json.loads(times_file.read_text("utf-8")) if times_file.exists() else {}
            own.append(after.get("plugin_files", 0) - before.get("plugin_files", 0))
        built = [float(x) for x in re.findall(r"Documentation built in ([\d.]+) seconds", log.read_text("utf-8"))]
        result.update(edit_to_served_s=round(statistics.median(loops), 2), edits=len(loops),
                      all_s=[round(x, 2) for x in loops],
                      mkdocs_rebuild_s=round(statistics.median(built[1:]), 2) if len(built) > 1 else None,
                      factsheet_s=round(statistics.median(own), 2) if own else None)
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return result


# --- one N --------------------------------------------------------------------------------------

def bench(n: int, args: argparse.Namespace) -> dict[str, object]:
    project = args.workdir / f"n{n}"
    search = f"\n      indexing: {args.search_indexing}" if args.search_indexing else ""
    row: dict[str, object] = {"n": n}
    fresh = not (args.reuse and (project / "content/facts").is_dir())
    if fresh:
        project.mkdir(parents=True, exist_ok=True)
        corpus.write_project(project, n, args.seed, search)
    else:
        (project / "mkdocs.yml").write_text(corpus.MKDOCS_YML.format(n=n, search=search), "utf-8")
    facts = project / "content/facts"
    print(f"# N={n}: {project}", file=sys.stderr)
    if fresh:
        shutil.rmtree(facts, ignore_errors=True)
        wall, rss = run([BIN / "factsheet", "extract", "--content", "content"], project, log=project / "extract-cold.log")
        row.update(extract_cold_s=round(wall, 2), extract_cold_per_s=round(n / wall, 1), extract_cold_rss_mb=round(rss))
        print(f"  extract cold {wall:.1f} s", file=sys.stderr)
    warm = [run([BIN / "factsheet", "extract", "--content", "content"], project, log=project / "extract-warm.log")
            for _ in range(args.repeat)]
    row.update(extract_warm_s=round(statistics.median(w for w, _ in warm), 2))
    row["statements"] = sum(t.count("\n- id: ") + t.count("\n  - id: ") for t in
                            (p.read_text("utf-8") for p in facts.glob("*.yaml")))
    builds, floors = [], []
    # factsheet keeps parsed files between runs (the parse cache): the first build after this
    # one is an editor's rebuild after a correction, the case the targets are about. The first
    # build from an empty cache is measured once and reported beside it.
    cache = {"FACTSHEET_CACHE_DIR": str(project / "parse-cache")}
    shutil.rmtree(project / "parse-cache", ignore_errors=True)
    times_file = project / "build-times.json"
    cold, _ = run([sys.executable, __file__, "_build", project, times_file], project, log=project / "build-cold.log",
                  env=cache)
    cold_own = json.loads(times_file.read_text("utf-8"))
    print(f"  factsheet build, empty parse cache {cold:.1f} s", file=sys.stderr)
    for _ in range(args.repeat):  # interleaved, so drift on a noisy machine hits both alike
        wall, rss = run([sys.executable, __file__, "_build", project, times_file], project, log=project / "build.log",
                        env=cache)
        builds.append((wall, rss, json.loads(times_file.read_text("utf-8"))))
        print(f"  factsheet build {wall:.1f} s", file=sys.stderr)
        floor = write_floor(project)
        fwall, frss = run([BIN / "mkdocs", "build", "--strict", "-f", floor / "mkdocs.yml"], floor, log=project / "floor.log")
        floors.append((fwall, frss))
        print(f"  floor mkdocs build {fwall:.1f} s", file=sys.stderr)
    build_s = statistics.median(b[0] for b in builds)
    floor_s = statistics.median(f[0] for f in floors)
    times = min(builds, key=lambda b: abs(b[0] - build_s))[2]
    own = own_work(times)
    site = project / "site"
    pages = sum(1 for _ in site.rglob("*.html"))
    size = folder_size(site)
    index = site / "search/search_index.json"
    row.update(
        build_cold_cache_s=round(cold, 2), own_cold_cache_s=round(own_work(cold_own), 2),
        build_s=round(build_s, 2), floor_s=round(floor_s, 2), ratio=round(build_s / floor_s, 2),
        own_s=round(own, 2), own_share=round(own / build_s, 3),
        own_detail={k: round(v, 2) for k, v in times.items()},
        build_rss_mb=round(max(b[1] for b in builds)), floor_rss_mb=round(max(f[1] for f in floors)),
        pages=pages, site_mb=round(size / 2**20, 1), floor_site_mb=round(folder_size(project / "floor/site") / 2**20, 1),
        search_index_mb=round(index.stat().st_size / 2**20, 2) if index.exists() else None,
        build_ms_per_article=round(1000 * build_s / n, 1), site_kb_per_article=round(size / 1024 / n, 1),
    )
    if n in args.serve_n:
        start_timeout = max(120.0, 30 * build_s)
        row["serve"] = [serve_loop(project, dirty, args.edits, start_timeout) for dirty in (False, True)]
    return row


def own_work(times: dict[str, float]) -> float:
    return times.get("extract_check", 0) + times.get("load", 0) + times.get("plugin_files", 0)


def table(rows: list[dict[str, object]]) -> str:
    head = ("| N | statements | extract cold (art/s) | extract warm | factsheet build | plain mkdocs build (floor) "
            "| build / floor | factsheet's own work | build, empty parse cache (own work) "
            "| peak memory (build / floor / extract) | pages | site "
            "| search index |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    lines = [head]
    for r in rows:
        cold = f"{r['extract_cold_s']} s ({r['extract_cold_per_s']}/s)" if "extract_cold_s" in r else "reused"
        lines.append(
            f"| {r['n']:,} | {r['statements']:,} | {cold} | {r['extract_warm_s']} s | {r['build_s']} s "
            f"| {r['floor_s']} s | {r['ratio']}x | {r['own_s']} s ({100 * r['own_share']:.1f}%) "
            f"| {r.get('build_cold_cache_s', '-')} s ({r.get('own_cold_cache_s', '-')} s) "
            f"| {r['build_rss_mb']} / {r['floor_rss_mb']} / {r.get('extract_cold_rss_mb', '-')} MB | {r['pages']:,} "
            f"| {r['site_mb']} MB ({r['site_kb_per_article']} KB/article) | {r['search_index_mb']} MB |")
    serve = [(r["n"], s) for r in rows for s in r.get("serve", [])]
    if serve:
        lines += ["", "| N | mode | edit -> page served (median) | each edit | MkDocs rebuild (log) | factsheet's share "
                      "| first build |", "|---|---|---|---|---|---|---|"]
        for n, s in serve:
            lines.append(f"| {n:,} | `mkdocs {s['mode']}` | {s['edit_to_served_s']} s | {s['all_s']} "
                         f"| {s['mkdocs_rebuild_s']} s | {s['factsheet_s']} s | {s['first_build_s']} s |")
    lines += ["", "Per article (linear growth): " + ", ".join(
        f"N={r['n']:,}: build {r['build_ms_per_article']} ms, site {r['site_kb_per_article']} KB" for r in rows)]
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        child_build(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_serve":
        child_serve(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
        return
    parser = argparse.ArgumentParser(description="factsheet against plain MkDocs, for N generated articles")
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000], help="corpus sizes (articles)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each build (medians are reported)")
    parser.add_argument("--workdir", type=Path, default=HERE / "out")
    parser.add_argument("--reuse", action="store_true", help="keep an existing corpus and its fact files")
    parser.add_argument("--serve-n", type=int, nargs="*", default=[1000], help="N at which to time the edit loop")
    parser.add_argument("--no-serve", dest="serve_n", action="store_const", const=[])
    parser.add_argument("--edits", type=int, default=3, help="edits timed under mkdocs serve")
    parser.add_argument("--search-indexing", choices=("full", "sections", "titles"), default=None,
                        help="the search plugin's indexing option (default: MkDocs' own default, full)")
    args = parser.parse_args()
    args.workdir = args.workdir.resolve()
    rows = []
    for n in args.n:
        rows.append(bench(n, args))
        args.workdir.mkdir(parents=True, exist_ok=True)
        (args.workdir / "results.json").write_text(json.dumps(rows, indent=1), "utf-8")
    print(f"\n`{' '.join(['.venv/bin/python', 'benchmarks/run.py', *sys.argv[1:]])}`\n")
    print(table(rows))


if __name__ == "__main__":
    main()
