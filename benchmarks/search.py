"""Search in a real browser: how long a reader waits for the first results on a built site.

Material's search downloads ``search/search_index.json`` and builds its index in a web worker when
the page loads; this opens the home page of a built site in headless Chromium (Debian's chromium
and chromedriver, as the browser tests use), types a query and times the first results::

    .venv/bin/python benchmarks/search.py benchmarks/out/n1000/site benchmarks/out/n10000/site

A site built with the plugin's ``search_engine: pagefind`` is detected by its ``pagefind/`` folder:
the box is Pagefind's in the header, and the index is fetched in fragments as the query needs them.

Prints, per site: the search engine, the index size on disk, seconds from opening the page to
results (wall clock, WebDriver's round trips included, and by the page's own clock: navigation
start to the first result in the document, with when the page had loaded and when the query was
typed), the results count, and the bytes downloaded by the time the results showed: the search's
own files (scripts, WebAssembly, index chunks, fragments; counted by the local server, which also
sees what Pagefind's web worker fetches) and the whole visit.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from browser import browser, serve  # noqa: E402

RESULTS = {"material": "return document.querySelectorAll('.md-search-result__item').length",
           "pagefind": "return document.querySelectorAll('.pagefind-ui__result').length"}
BOX = {"material": "input.md-search__input", "pagefind": "input.pagefind-ui__search-input"}
# In the page, before its own scripts: the moment (ms since navigation start) the first result is
# in the document, so the figure has none of WebDriver's round trips in it.
WATCH = """window.__firstResult = null;
new MutationObserver(() => {
  if (window.__firstResult === null && document.querySelector('.pagefind-ui__result, .md-search-result__item'))
    window.__firstResult = performance.now();
}).observe(document, {subtree: true, childList: true});"""
TIMES = """const n = performance.getEntriesByType('navigation')[0];
return [n.loadEventEnd, performance.now(), window.__firstResult]"""
SEARCH_PATH = re.compile(r"^/(search|pagefind)/")
# What each downloaded file of the search is, for the breakdown of the bytes of one query.
KINDS = (("fragments", re.compile(r"/fragment/")), ("index chunks", re.compile(r"/index/|search_index\.json")),
         ("WebAssembly", re.compile(r"\.pagefind$|wasm")), ("scripts and styles", re.compile(r"\.(js|css)$")),
         ("entry and metadata", re.compile(r"")))


def kind_of(path: str) -> str:
    """Which part of the search a downloaded file is (see :data:`KINDS`)."""
    path = path.split("?", 1)[0]
    return next(name for name, pattern in KINDS if pattern.search(path))


def engine(site: Path) -> str:
    """Which search a built site has: Pagefind's (a pagefind/ folder) or Material's."""
    return "pagefind" if (site / "pagefind").is_dir() else "material"


def index_bytes(site: Path) -> int:
    """The size on disk of everything the search could load."""
    if engine(site) == "pagefind":
        return sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    return (site / "search/search_index.json").stat().st_size


def first_results(chrome, server, query: str, timeout: float, kind: str = "material") -> dict[str, object]:
    """Open the home page served by ``server``, search for ``query`` and time the first results.

    Wall-clock seconds from opening the page until the results show (WebDriver's round trips
    included) and, from the page's own clock (since navigation start): when it had loaded, when
    the query was typed and when the first result was in the document; the bytes served, all of
    them and the search's own (counted by the server: a web worker's downloads are missing from
    the page's Resource Timing) by the time the results showed."""
    chrome.add_init_script(WATCH)
    server.served.clear()
    start = time.perf_counter()
    chrome.open(server.url(""))
    opened = time.perf_counter() - start
    if kind == "material":
        chrome.js("document.querySelector('label[for=__search]').click()")
    typed = chrome.js("return performance.now()")
    box = chrome.driver.find_element("css selector", BOX[kind])
    box.send_keys(query)
    while time.perf_counter() - start < timeout:
        count = chrome.js(RESULTS[kind])
        if count:
            took = time.perf_counter() - start
            loaded, _, first = chrome.js(TIMES)
            served = list(server.served)
            parts: dict[str, int] = {}
            for path, size in served:
                if SEARCH_PATH.match(path):
                    parts[kind_of(path)] = parts.get(kind_of(path), 0) + size
            return {"took": took, "opened": opened, "count": count, "loaded_ms": loaded, "typed_ms": typed,
                    "first_ms": first, "search_bytes": sum(parts.values()), "parts": parts,
                    "page_bytes": sum(size for _, size in served), "requests": len(served)}
        time.sleep(0.02)
    raise SystemExit(f"no results for {query!r} within {timeout} s at {server.url('')}")


def measure(site: Path, query: str = "said", repeat: int = 3, timeout: float = 180) -> dict[str, object]:
    """Open ``site``'s home page ``repeat`` times, each in a new browser (nothing cached), search for
    ``query``; the medians and each run's seconds to first results, and the bytes downloaded."""
    kind = engine(site)
    runs = []
    with serve(site) as server:
        for _ in range(repeat):
            with browser() as chrome:
                runs.append(first_results(chrome, server, query, timeout, kind))
    med = statistics.median
    last = runs[-1]
    return {"site": str(site), "engine": kind, "index_mb": round(index_bytes(site) / 2**20, 2),
            "first_results_s": round(med(r["took"] for r in runs), 2), "each_s": [round(r["took"], 2) for r in runs],
            "page_load_s": round(med(r["opened"] for r in runs), 2),
            "in_page_s": round(med(r["first_ms"] for r in runs) / 1000, 2),
            "each_in_page_s": [round(r["first_ms"] / 1000, 2) for r in runs],
            "loaded_s": round(med(r["loaded_ms"] for r in runs) / 1000, 2),
            "typed_s": round(med(r["typed_ms"] for r in runs) / 1000, 2),
            "results": last["count"], "query_kb": round(last["search_bytes"] / 1024),
            "query_parts_kb": {k: round(v / 1024, 1) for k, v in sorted(last["parts"].items())},
            "page_kb": round(last["page_bytes"] / 1024), "requests": last["requests"], "query": query}


HEAD = ("| site | search | index on disk | first results (median) | each | in the page: first result "
        "| of which page loaded / query typed | results shown | downloaded for the query | of it | whole visit |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|")


def row(result: dict[str, object], label: object = None) -> str:
    """One Markdown table row (under :data:`HEAD`) for a :func:`measure` result."""
    r = result
    parts = ", ".join(f"{k} {v:,} KB" for k, v in r["query_parts_kb"].items())
    return (f"| {label or r['site']} | {r['engine']} | {r['index_mb']:.1f} MB | {r['first_results_s']:.2f} s "
            f"| {r['each_s']} | {r['in_page_s']:.2f} s {r['each_in_page_s']} | {r['loaded_s']:.2f} / {r['typed_s']:.2f} s "
            f"| {r['results']} | {r['query_kb']:,} KB | {parts} | {r['page_kb']:,} KB ({r['requests']} files) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sites", nargs="+", type=Path, help="built site folders")
    parser.add_argument("--query", default="said", help="what the reader types")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()
    print(HEAD)
    for site in args.sites:
        print(row(measure(site, args.query, args.repeat, args.timeout)))


if __name__ == "__main__":
    main()
