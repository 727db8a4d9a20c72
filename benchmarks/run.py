"""Scale benchmarks: factsheet against plain MkDocs over the same pages, for N generated articles;
search in a browser, Material's against Pagefind; the edit loop under ``factsheet serve``; Dask.

One command, from the project root; prints Markdown tables (and writes the numbers as JSON to
``benchmarks/out/results.json``, merged by N with earlier runs')::

    .venv/bin/python benchmarks/run.py --n 100 1000                # every part; edit loop at 1,000
    .venv/bin/python benchmarks/run.py --n 10000 --reuse --serve-n 10000 --parts build pagefind search serve
    .venv/bin/python benchmarks/run.py --n 1000 --reuse --parts search   # one part, on the sites built before

For each N, in a project of N articles from ``benchmarks/corpus.py`` (in ``benchmarks/out/nN``; a
new corpus is extracted once from scratch, ``extract cold``, unless ``--reuse`` finds one), the parts
(``--parts``, all by default):

* ``build``: ``extract warm`` (``factsheet extract`` again, nothing changed: every article skipped by
  its digest); ``factsheet build`` (warm extraction + check + ``mkdocs build --strict``), wall time,
  with factsheet's own work inside it (the extraction check, loading, merging, rendering, every
  plugin hook) timed in the same process; first once with an empty parse cache (the first build of
  a content folder), then as an editor's rebuild (the parse cache kept from the run before); and
  the ``floor``: a plain ``mkdocs build --strict`` over the same Markdown written to disk by
  ``factsheet render`` with the same theme, extensions, search settings and section-only nav;
  peak memory (maximum resident set of the command and the children it waited for), site size,
  search index size;
* ``floor``: the floor alone (without ``build``), to measure it again;
* ``pagefind``: ``factsheet build`` of the same project with ``search_engine: pagefind`` (into
  ``site-pagefind/``): wall time, the time Pagefind's indexing takes in it, the index size;
* ``search``: ``benchmarks/search.py`` on both sites (headless Chromium; a new browser per run,
  median of ``--search-repeat``): seconds from opening the home page to the first results for
  ``--query``, and the bytes downloaded for it;
* ``serve`` (at the N of ``--serve-n``): the edit loop, from writing a note into one fact record
  until ``factsheet serve`` serves its page with the note (median of ``--edits`` edits), with the
  peak resident memory of the serving process tree, MkDocs' rebuild (the whole build call, timed
  in the server) and factsheet's work inside it (every plugin hook); at the N of
  ``--serve-full-n`` also ``factsheet serve --full`` (plain ``mkdocs serve``: every page rebuilt).
  ``--profile DIR`` writes a cProfile of each rebuild there (``python -m pstats DIR/build-2.prof``);
* ``dask`` (once, at ``--dask-n`` articles): ``benchmarks/extract_dask.py``, plain ``factsheet
  extract`` against ``--dask local`` with 1 and 2 workers.

The machine is small and noisy: compare ratios measured in one run; ``--repeat`` gives medians.
Nothing here is a test: it measures and prints.
"""
from __future__ import annotations

import argparse
import cProfile
import functools
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
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
PARTS = ("build", "floor", "pagefind", "search", "serve", "dask")
HOOKS = ("on_startup", "on_config", "on_pre_build", "on_files", "on_page_content", "on_post_page",
         "on_post_build", "on_serve")
PAGEFIND_YML = "mkdocs-pagefind.yml"


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


class PeakMemory:
    """Samples the resident memory of a process and all its descendants (summed) in a thread;
    ``peak_mb`` is the largest sum seen."""

    def __init__(self, pid: int, interval: float = 0.25):
        import psutil

        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def tree_mb(self) -> float:
        import psutil

        total = 0
        for proc in [self.process, *self._children()]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:  # exited between listing and reading
                pass
        return total / 2**20

    def _children(self) -> list:
        import psutil

        try:
            return self.process.children(recursive=True)
        except psutil.Error:
            return []

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self.tree_mb())
            self._stop.wait(self.interval)


# --- factsheet's own work, timed in the process that does it ---------------------------------

def _timed(owner: object, name: str, bucket: str, times: dict[str, float], depth: list[int]) -> None:
    """Wrap ``owner.name`` so its wall time adds to ``times[bucket]`` (outermost calls only: calls
    sharing one ``depth`` counter are counted once, by the outermost)."""
    original = getattr(owner, name)

    @functools.wraps(original)  # keeps what MkDocs reads off a hook (its event priority)
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
    """Time factsheet's work wherever it runs in this process. Top-level buckets (each second
    counted once): ``extract_check`` and ``load`` (what ``factsheet build`` does before MkDocs) and
    ``hook.<name>`` for every plugin hook MkDocs calls; inside them (``in.*``, a second level):
    loading and checking the content, merging and rendering, Pagefind's indexing."""
    from generator import content, render
    from generator.publish import plugin

    times: dict[str, float] = {}
    outer, inner = [0], [0]
    _timed(content, "extract_content", "extract_check", times, outer)
    _timed(content, "load_sheet", "load", times, outer)
    for hook in HOOKS:
        if hasattr(plugin.FactsheetPlugin, hook):
            _timed(plugin.FactsheetPlugin, hook, f"hook.{hook}", times, outer)
    _timed(content, "load_sheet", "in.load", times, inner)
    _timed(render, "render_all", "in.merge_render", times, inner)
    _timed(plugin, "index_with_pagefind", "in.pagefind", times, inner)
    return times


def own_work(times: dict[str, float]) -> float:
    """factsheet's seconds in one build: the top-level buckets of :func:`instrument`."""
    return sum(v for k, v in times.items() if k in ("extract_check", "load") or k.startswith("hook."))


def child_build(project: Path, out: Path, args: list[str]) -> None:
    """``factsheet build ARGS`` in this process, with factsheet's own work timed; timings to ``out``."""
    t0 = time.perf_counter()
    times = instrument()
    from generator import cli

    os.chdir(project)
    try:
        cli.main(["build", *args], standalone_mode=False)
    finally:
        times["total_in_process"] = time.perf_counter() - t0
        out.write_text(json.dumps(times), "utf-8")


def child_serve(project: Path, out: Path, profile: str, args: list[str]) -> None:
    """``factsheet serve ARGS`` with factsheet's work timed: after each build, one JSON line in
    ``out`` with that build's buckets: ``rebuild`` (the dev server's rebuild after an edit: the
    plugin's partial rebuild, or MkDocs' build), ``build`` (MkDocs' whole build call, factsheet's
    hooks included, when it ran), ``in.pages`` and ``in.post_build`` (in a partial rebuild: MkDocs
    building the changed pages; the post-build events, the search index written) and ``config``
    (MkDocs reloading mkdocs.yml before a build). With ``profile`` (a folder), each rebuild's
    cProfile goes to ``build-K.prof`` there."""
    times = instrument()
    from generator.publish import engine

    engine.use_available()
    from mkdocs.commands import serve as serve_module
    from mkdocs.plugins import PluginCollection

    from generator import cli, publish
    from generator.publish import partial

    builds, inside = [0], [False]
    build, load_config, rebuild = serve_module.build, serve_module.load_config, publish.rebuild

    def measured(call, *a, **k):
        builds[0] += 1
        profiler = cProfile.Profile() if profile else None
        try:
            return profiler.runcall(call, *a, **k) if profiler else call(*a, **k)
        finally:
            if profiler:
                profiler.dump_stats(str(Path(profile) / f"build-{builds[0]}.prof"))
            with open(out, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"n": builds[0], **times}) + "\n")
            times.clear()

    def timed_build(*a, **k):
        def run():
            start = time.perf_counter()
            try:
                return build(*a, **k)
            finally:
                times["build"] = time.perf_counter() - start
        return run() if inside[0] else measured(run)  # inside a rebuild, timed_rebuild writes the line

    def timed_rebuild(*a, **k):
        def run():
            start = time.perf_counter()
            inside[0] = True
            try:
                return rebuild(*a, **k)
            finally:
                inside[0] = False
                times["rebuild"] = time.perf_counter() - start
        return measured(run)

    def timed_config(*a, **k):
        start = time.perf_counter()
        try:
            return load_config(*a, **k)
        finally:
            times["config"] = times.get("config", 0.0) + time.perf_counter() - start

    serve_module.build, serve_module.load_config, publish.rebuild = timed_build, timed_config, timed_rebuild
    _timed(partial, "build", "in.pages", times, [0])
    _timed(PluginCollection, "on_post_build", "in.post_build", times, [0])
    os.chdir(project)
    cli.main(["serve", *args], standalone_mode=True)


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


# --- the edit loop under factsheet serve -------------------------------------------------------

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


def edit_targets(data: dict | list, count: int, home: str) -> list[tuple[str, str, str]]:
    """(article id, record id, speaker page URL) for ``count`` statements of one record each, on
    a speaker's page, from the rows of the served ``facts.json`` (past the first third, so that
    the edits are spread over the archive rather than its first articles). Permalinks are
    absolute under serve (MkDocs sets site_url to the server's address), relative without.
    ``data`` is ``facts.json``: an object whose ``rows`` are the records (a bare list before it)."""
    rows = data["rows"] if isinstance(data, dict) else data
    records_of: dict[str, int] = {}
    for r in rows:
        records_of[r["statement"]] = records_of.get(r["statement"], 0) + 1
    found = []
    for r in rows[len(rows) // 3:]:
        url = urllib.parse.urljoin(home, str(r.get("permalink") or "")).split("#", 1)[0]
        if records_of[r["statement"]] == 1 and url.startswith(home + "speakers/"):
            found.append((r["article"], r["record"], url))
            if len(found) == count:
                break
    return found


def add_note(path: Path, record_id: str, note: str) -> None:
    """Give record ``record_id`` of fact file ``path`` the note ``note`` (an earlier run's
    benchmark note removed), as an editor's one-line change."""
    text = path.read_text("utf-8")
    at = text.index(f"- id: {record_id}\n")
    indent = " " * (text.index("id:", at) - (text.rfind("\n", 0, at) + 1))
    text = re.sub(rf"^{indent}note: Benchmark edit .*\n", "", text, flags=re.M)
    line_end = text.index("\n", text.index(f"- id: {record_id}\n")) + 1
    path.write_text(text[:line_end] + f"{indent}note: {note}\n" + text[line_end:], "utf-8")


def read_builds(path: Path) -> list[dict[str, float]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def serve_loop(project: Path, full: bool, edits: int, start_timeout: float, profile: Path | None = None,
               engine: str = "material") -> dict[str, object]:
    """Start ``factsheet serve`` (``--full``: every page rebuilt; ``engine``: the search engine
    of the site), time ``edits`` edits of one record each until its page is served with the
    change; where the time went; peak memory."""
    port = free_port()
    tag = ("serve-full" if full else "serve") + ("-pagefind" if engine == "pagefind" else "")
    log, times_file = project / f"{tag}.log", project / f"{tag}-builds.jsonl"
    times_file.unlink(missing_ok=True)
    if profile:
        profile.mkdir(parents=True, exist_ok=True)
    args = ["-a", f"127.0.0.1:{port}"] + (["--full"] if full else []) + (["-f", PAGEFIND_YML] if engine == "pagefind" else [])
    with open(log, "w") as handle:
        server = subprocess.Popen([sys.executable, __file__, "_serve", str(project), str(times_file),
                                   str(profile or ""), *args],
                                  cwd=project, env={**ENV, "FACTSHEET_CACHE_DIR": str(project / "parse-cache")},
                                  stdout=handle, stderr=subprocess.STDOUT)
    result: dict[str, object] = {"mode": ("factsheet serve --full" if full else "factsheet serve")
                                 + (f" -f {PAGEFIND_YML}" if engine == "pagefind" else ""), "engine": engine}
    try:
        with PeakMemory(server.pid) as memory:
            t0 = time.perf_counter()
            home = f"http://127.0.0.1:{port}/"
            if wait_for(home, "</html>", start_timeout, 0.5) is None:
                raise SystemExit(f"factsheet serve did not start in {start_timeout} s; see {log}")
            result["first_build_s"] = round(time.perf_counter() - t0, 2)
            result["started_mb"] = round(memory.tree_mb())
            time.sleep(1.0)
            loops, rebuilds = [], []
            targets = edit_targets(json.loads(fetch(home + "facts.json") or "[]"), edits, home)
            if not targets:
                raise SystemExit(f"no statement to edit in {home}facts.json; see {log}")
            for i, (article, record_id, url) in enumerate(targets):
                if wait_for(url, record_id, 30) is None:
                    raise SystemExit(f"{url} does not show {record_id}; see {log}")
                before = len(read_builds(times_file))
                note = f"Benchmark edit {i} {time.time_ns()}"
                add_note(project / "content/facts" / f"{article}.yaml", record_id, note)
                took = wait_for(url, note, max(120.0, start_timeout))
                if took is None:
                    raise SystemExit(f"the edit of {record_id} was not served in time; see {log}")
                loops.append(took)
                time.sleep(1.0)  # a build still writing its log line
                rebuilds.append(read_builds(times_file)[before:])
            result["peak_mb"] = round(memory.peak_mb)
        result.update(edits=len(loops), edit_to_served_s=round(statistics.median(loops), 2),
                      each_s=[round(x, 2) for x in loops], **rebuild_summary(rebuilds, loops))
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: MkDocs removes its temporary site folder
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return result


def rebuild_summary(rebuilds: list[list[dict[str, float]]], loops: list[float]) -> dict[str, object]:
    """Medians over the edits of where the time went: the dev server's rebuilds (``rebuild_s``;
    ``partial``: how many were the plugin's partial rebuild), MkDocs' build call when it ran
    (``mkdocs_build_s``, with factsheet's hooks in it), factsheet's work (``factsheet_s``; ``load_s``,
    ``merge_render_s``, ``pagefind_s`` inside it), MkDocs' share (``mkdocs_own_s``: the rebuild less
    factsheet's work; in a partial rebuild ``pages_s``, MkDocs building the changed pages, and
    ``post_build_s``, the post-build events with the search index), reloading mkdocs.yml, and the rest
    (the watcher noticing the file, serving the page); the builds each edit caused."""
    def total(key: str, builds: list[dict[str, float]]) -> float:
        return sum(b.get(key, 0.0) for b in builds)

    def own(b: dict[str, float]) -> float:  # a partial rebuild renders outside any hook
        return own_work(b) + (b.get("in.merge_render", 0.0) if "build" not in b else 0.0)

    per_edit = []
    for builds, loop in zip(rebuilds, loops):
        rebuild = sum(b.get("rebuild", b.get("build", 0.0)) for b in builds)
        mine = sum(own(b) for b in builds)
        config = total("config", builds)
        per_edit.append({"rebuild_s": rebuild, "partial": sum("rebuild" in b and "build" not in b for b in builds),
                         "mkdocs_build_s": total("build", builds), "factsheet_s": mine,
                         "load_s": total("in.load", builds), "merge_render_s": total("in.merge_render", builds),
                         "pagefind_s": total("in.pagefind", builds), "mkdocs_own_s": rebuild - mine,
                         "pages_s": total("in.pages", builds), "post_build_s": total("in.post_build", builds),
                         "config_s": config, "rest_s": loop - rebuild - config, "builds": len(builds)})
    summary = {key: round(statistics.median(e[key] for e in per_edit), 2) for key in per_edit[0]} if per_edit else {}
    if per_edit:
        summary["hooks"] = {k: round(statistics.median(b.get(k, 0.0) for builds in rebuilds for b in builds), 3)
                            for k in sorted({k for builds in rebuilds for b in builds for k in b if k.startswith("hook.")})}
    return summary


# --- one N --------------------------------------------------------------------------------------

def prepare(n: int, args: argparse.Namespace) -> tuple[Path, dict[str, object]]:
    """The project of ``n`` articles, its fact files extracted (from scratch unless ``--reuse``
    finds them: that extraction is timed as ``extract cold``)."""
    project = args.workdir / f"n{n}"
    search = f"\n      indexing: {args.search_indexing}" if args.search_indexing else ""
    row: dict[str, object] = {"n": n}
    fresh = not (args.reuse and (project / "content/facts").is_dir())
    if fresh:
        project.mkdir(parents=True, exist_ok=True)
        corpus.write_project(project, n, args.seed, search)
    (project / "mkdocs.yml").write_text(corpus.mkdocs_yml(n, search), "utf-8")
    (project / PAGEFIND_YML).write_text(corpus.mkdocs_yml(n, search, engine="pagefind"), "utf-8")
    print(f"# N={n}: {project}", file=sys.stderr)
    if fresh:
        shutil.rmtree(project / "content/facts", ignore_errors=True)
        wall, rss = run([BIN / "factsheet", "extract", "--content", "content", "--nlp", args.nlp], project,
                        log=project / "extract-cold.log")
        row.update(extract_cold_s=round(wall, 2), extract_cold_per_s=round(n / wall, 1), extract_cold_rss_mb=round(rss))
        print(f"  extract cold {wall:.1f} s", file=sys.stderr)
    duplicates = duplicate_ids(project / "content/facts")
    row["duplicate_ids"] = duplicates
    print(f"  {duplicates} record ids given to more than one record", file=sys.stderr)
    return project, row


def duplicate_ids(facts: Path) -> int:
    """How many records have an id that an earlier record (in this or an earlier fact file) has.

    0 since the extractor's ids name their article (they were unique per article only, and 141
    of 73,389 collided at 10,000 articles); ``factsheet build`` would refuse any. A check only:
    the benchmark never renames what the extractor or an editor wrote."""
    seen: set[str] = set()
    duplicates = 0
    for path in sorted(facts.glob("*.yaml")):
        for rid in re.findall(r"^\s*- id: (\S+)\s*$", path.read_text("utf-8"), flags=re.M):
            duplicates += rid in seen
            seen.add(rid)
    return duplicates


def cache_env(project: Path) -> dict[str, str]:
    return {"FACTSHEET_CACHE_DIR": str(project / "parse-cache")}


def timed_build(project: Path, log: str, *args: object) -> tuple[float, float, dict[str, float]]:
    """``factsheet build ARGS`` in a child process: wall seconds, peak MB, factsheet's timings."""
    times_file = project / "build-times.json"
    wall, rss = run([sys.executable, __file__, "_build", project, times_file, *args], project,
                    log=project / log, env=cache_env(project))
    return wall, rss, json.loads(times_file.read_text("utf-8"))


def bench_build(project: Path, n: int, row: dict[str, object], args: argparse.Namespace) -> None:
    warm = [run([BIN / "factsheet", "extract", "--content", "content", "--nlp", args.nlp], project,
                log=project / "extract-warm.log") for _ in range(args.repeat)]
    row.update(extract_warm_s=round(statistics.median(w for w, _ in warm), 2))
    row["statements"] = sum(t.count("\n- id: ") + t.count("\n  - id: ") for t in
                            (p.read_text("utf-8") for p in (project / "content/facts").glob("*.yaml")))
    # factsheet keeps parsed files between runs (the parse cache): the first build after this
    # one is an editor's rebuild after a correction, the case the targets are about. The first
    # build from an empty cache is measured once and reported beside it.
    shutil.rmtree(project / "parse-cache", ignore_errors=True)
    cold, _, cold_own = timed_build(project, "build-cold.log", "--site-dir", "site")
    print(f"  factsheet build, empty parse cache {cold:.1f} s", file=sys.stderr)
    builds, floors = [], []
    for _ in range(args.repeat):  # interleaved, so drift on a noisy machine hits both alike
        builds.append(timed_build(project, "build.log", "--site-dir", "site"))
        print(f"  factsheet build {builds[-1][0]:.1f} s", file=sys.stderr)
        floors.append(floor_build(project))
    build_s = statistics.median(b[0] for b in builds)
    floor_s = statistics.median(f[0] for f in floors)
    times = min(builds, key=lambda b: abs(b[0] - build_s))[2]
    own = own_work(times)
    site = project / "site"
    size = folder_size(site)
    index = site / "search/search_index.json"
    row.update(
        build_cold_cache_s=round(cold, 2), own_cold_cache_s=round(own_work(cold_own), 2),
        build_s=round(build_s, 2), floor_s=round(floor_s, 2), ratio=round(build_s / floor_s, 2),
        own_s=round(own, 2), own_share=round(own / build_s, 3),
        own_detail={k: round(v, 2) for k, v in times.items()},
        build_rss_mb=round(max(b[1] for b in builds)), floor_rss_mb=round(max(f[1] for f in floors)),
        pages=sum(1 for _ in site.rglob("*.html")), site_mb=round(size / 2**20, 1),
        floor_site_mb=round(folder_size(project / "floor/site") / 2**20, 1),
        search_index_mb=round(index.stat().st_size / 2**20, 2) if index.exists() else None,
        build_ms_per_article=round(1000 * build_s / n, 1), site_kb_per_article=round(size / 1024 / n, 1),
    )


def floor_build(project: Path) -> tuple[float, float]:
    """The floor written afresh and built: wall seconds and peak MB of ``mkdocs build``."""
    floor = write_floor(project)
    wall, rss = run([BIN / "mkdocs", "build", "--strict", "-f", floor / "mkdocs.yml"], floor, log=project / "floor.log")
    print(f"  floor mkdocs build {wall:.1f} s", file=sys.stderr)
    return wall, rss


def bench_floor(project: Path, row: dict[str, object], args: argparse.Namespace) -> None:
    """The floor alone (``--parts floor``), to measure it again without the builds."""
    floors = [floor_build(project) for _ in range(args.repeat)]
    row.update(floor_s=round(statistics.median(f[0] for f in floors), 2), floor_rss_mb=round(max(f[1] for f in floors)),
               floor_site_mb=round(folder_size(project / "floor/site") / 2**20, 1))


def bench_pagefind(project: Path, row: dict[str, object]) -> None:
    wall, rss, times = timed_build(project, "build-pagefind.log", "-f", PAGEFIND_YML, "--site-dir", "site-pagefind")
    index = project / "site-pagefind/pagefind"
    row["pagefind"] = {"build_s": round(wall, 2), "indexing_s": round(times.get("in.pagefind", 0.0), 2),
                       "own_s": round(own_work(times), 2), "rss_mb": round(rss), "index_mb": round(folder_size(index) / 2**20, 2),
                       "index_files": sum(1 for p in index.rglob("*") if p.is_file())}
    print(f"  factsheet build, search_engine: pagefind {wall:.1f} s", file=sys.stderr)


def bench_search(project: Path, row: dict[str, object], args: argparse.Namespace) -> None:
    import search

    row["search"] = []
    for site in (project / "site", project / "site-pagefind"):
        if not site.is_dir():
            print(f"  {site} is not built (--parts build / pagefind): not searched", file=sys.stderr)
            continue
        result = search.measure(site, args.query, args.search_repeat, args.search_timeout)
        result["site"] = site.name
        row["search"].append(result)
        print(f"  search {result['engine']}: {result['first_results_s']} s", file=sys.stderr)


def bench_serve(project: Path, n: int, row: dict[str, object], args: argparse.Namespace) -> None:
    start_timeout = max(300.0, 30 * float(row.get("build_s") or 60))
    row["serve"] = []
    modes = [(False, engine) for engine in args.serve_engine]
    modes += [(True, "material")] if n in args.serve_full_n else []
    for full, engine in modes:
        profile = args.profile / f"n{n}-{'full' if full else 'serve'}-{engine}" if args.profile else None
        row["serve"].append(serve_loop(project, full, args.edits, start_timeout, profile, engine))
        print(f"  {row['serve'][-1]['mode']}: {row['serve'][-1]['edit_to_served_s']} s", file=sys.stderr)


def bench(n: int, args: argparse.Namespace) -> dict[str, object]:
    project, row = prepare(n, args)
    if "build" in args.parts:
        bench_build(project, n, row, args)
    elif "floor" in args.parts:
        bench_floor(project, row, args)
    if "pagefind" in args.parts:
        bench_pagefind(project, row)
    if "search" in args.parts:
        bench_search(project, row, args)
    if "serve" in args.parts and n in args.serve_n:
        bench_serve(project, n, row, args)
    return row


# --- printing -----------------------------------------------------------------------------------

def table(rows: list[dict[str, object]]) -> str:
    """Markdown tables of whatever the rows hold: builds, Pagefind, search, the edit loop, Dask."""
    lines: list[str] = []
    built = [r for r in rows if "build_s" in r]
    if built:
        lines += ["| N | statements | extract cold (art/s) | extract warm | factsheet build | plain mkdocs build (floor) "
                  "| build / floor | factsheet's own work | build, empty parse cache (own work) "
                  "| peak memory (build / floor / extract) | pages | site | search index |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in built:
            cold = f"{r['extract_cold_s']} s ({r['extract_cold_per_s']}/s)" if "extract_cold_s" in r else "reused"
            lines.append(
                f"| {r['n']:,} | {r['statements']:,} | {cold} | {r['extract_warm_s']} s | {r['build_s']} s "
                f"| {r['floor_s']} s | {r['ratio']}x | {r['own_s']} s ({100 * r['own_share']:.1f}%) "
                f"| {r['build_cold_cache_s']} s ({r['own_cold_cache_s']} s) "
                f"| {r['build_rss_mb']} / {r['floor_rss_mb']} / {r.get('extract_cold_rss_mb', '-')} MB | {r['pages']:,} "
                f"| {r['site_mb']} MB ({r['site_kb_per_article']} KB/article) | {r['search_index_mb']} MB |")
        duplicated = [f"{r['duplicate_ids']:,} at N={r['n']:,}" for r in rows if r.get("duplicate_ids")]
        if duplicated:
            lines += ["", "Record ids given to more than one record (factsheet build refuses them): "
                      + ", ".join(duplicated)]
        lines += ["", "Per article (linear growth): " + ", ".join(
            f"N={r['n']:,}: build {r['build_ms_per_article']} ms, site {r['site_kb_per_article']} KB" for r in built)]
    floors = [r for r in rows if "floor_s" in r and "build_s" not in r]
    if floors:
        lines += ["", "| N | plain mkdocs build (floor) | peak memory | site |", "|---|---|---|---|"]
        lines += [f"| {r['n']:,} | {r['floor_s']} s | {r['floor_rss_mb']} MB | {r['floor_site_mb']} MB |" for r in floors]
    pagefind = [r for r in rows if "pagefind" in r]
    if pagefind:
        lines += ["", "| N | factsheet build, `search_engine: pagefind` | of which Pagefind indexing | factsheet's own work "
                      "| peak memory | Pagefind index (files) |", "|---|---|---|---|---|---|"]
        lines += [f"| {r['n']:,} | {p['build_s']} s | {p['indexing_s']} s | {p['own_s']} s | {p['rss_mb']} MB "
                  f"| {p['index_mb']} MB ({p['index_files']:,}) |" for r in pagefind for p in [r["pagefind"]]]
    searched = [(r["n"], s) for r in rows for s in r.get("search", [])]
    if searched:
        import search

        lines += ["", f"Search for {searched[0][1]['query']!r} in headless Chromium, a new browser each run:", "",
                  "| N | search | index on disk | first results (median) | each | in the page: first result "
                  "| of which page loaded / query typed | results shown | downloaded for the query | of it "
                  "| whole visit |", "|---|---|---|---|---|---|---|---|---|---|---|"]
        names = {"material": "Material (lunr)", "pagefind": "Pagefind"}
        lines += [search.row(s, f"{n:,}").replace(f"| {s['engine']} |", f"| {names[s['engine']]} |", 1)
                  for n, s in searched]
    serve = [(r["n"], s) for r in rows for s in r.get("serve", [])]
    if serve:
        lines += ["", "| N | command | edit -> page served (median) | each edit | rebuild (partial of all) | of which factsheet "
                      "(load / merge+render / Pagefind) | MkDocs (pages / post-build) | reloading mkdocs.yml "
                      "| watcher and serving | peak memory (process tree) | first build |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {n:,} | `{s['mode']}` | {s['edit_to_served_s']} s | {s['each_s']} "
                  f"| {s.get('rebuild_s', s['mkdocs_build_s'])} s ({s.get('partial', 0)}/{s.get('builds', 1)}) "
                  f"| {s['factsheet_s']} s ({s['load_s']} / {s['merge_render_s']} / {s.get('pagefind_s', 0)} s) "
                  f"| {s['mkdocs_own_s']} s ({s.get('pages_s', 0)} / {s.get('post_build_s', 0)} s) | {s['config_s']} s "
                  f"| {s['rest_s']} s | {s['peak_mb']:,} MB | {s['first_build_s']} s |" for n, s in serve]
    dask = [r for r in rows if "dask" in r]
    if dask:
        import extract_dask

        lines += ["", extract_dask.table(dask[0]["dask"])]
    return "\n".join(lines)


def save(rows: list[dict[str, object]], workdir: Path) -> None:
    """Merge this run's rows into ``results.json`` (by N; a part measured again replaces the old)."""
    path = workdir / "results.json"
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        old = {r["n"]: r for r in json.loads(path.read_text("utf-8"))}
    except (OSError, ValueError, KeyError, TypeError):
        old = {}
    for r in rows:
        old[r["n"]] = {**old.get(r["n"], {}), **r}
    path.write_text(json.dumps(sorted(old.values(), key=lambda r: (str(type(r["n"])), r["n"])), indent=1), "utf-8")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="factsheet against plain MkDocs, for N generated articles")
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000], help="corpus sizes (articles)")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS), help="what to measure (default: all)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--nlp", choices=("spacy", "rules"), default="spacy", help="factsheet extract's --nlp")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each build (medians are reported)")
    parser.add_argument("--workdir", type=Path, default=HERE / "out")
    parser.add_argument("--reuse", action="store_true", help="keep an existing corpus and its fact files")
    parser.add_argument("--serve-n", type=int, nargs="*", default=[1000], help="N at which to time the edit loop")
    parser.add_argument("--no-serve", dest="serve_n", action="store_const", const=[])
    parser.add_argument("--serve-full-n", type=int, nargs="*", default=[1000],
                        help="N at which to time `factsheet serve --full` too (every page rebuilt per edit)")
    parser.add_argument("--edits", type=int, default=3, help="edits timed under factsheet serve")
    parser.add_argument("--serve-engine", nargs="+", choices=("material", "pagefind"), default=["material"],
                        help="the search engine of the site served (each is a run of the edit loop)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of each rebuild under serve to this folder")
    parser.add_argument("--query", default="said", help="what the reader types into the search box")
    parser.add_argument("--search-repeat", type=int, default=3, help="browser runs per site (median)")
    parser.add_argument("--search-timeout", type=float, default=180)
    parser.add_argument("--dask-n", type=int, default=200, help="articles for the Dask comparison")
    parser.add_argument("--search-indexing", choices=("full", "sections", "titles"), default=None,
                        help="the search plugin's indexing option (default: MkDocs' own default, full)")
    args = parser.parse_args(argv)
    args.workdir = args.workdir.resolve()
    args.profile = args.profile.resolve() if args.profile else None
    return args


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        child_build(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_serve":
        child_serve(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], sys.argv[5:])
        return
    args = parse_args()
    rows = []
    for n in args.n if set(args.parts) - {"dask"} else ():
        rows.append(bench(n, args))
        save(rows, args.workdir)
    if "dask" in args.parts:
        import extract_dask

        rows.append({"n": f"dask-{args.dask_n}", "dask": extract_dask.measure(args.dask_n, args.nlp, args.seed, args.workdir)})
        save(rows, args.workdir)
    print(f"\n`{' '.join(['.venv/bin/python', 'benchmarks/run.py', *sys.argv[1:]])}`\n")
    print(table(rows))


if __name__ == "__main__":
    main()
