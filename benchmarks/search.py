"""Search in a real browser: how long a reader waits for the first results on a built site.

Material's search downloads ``search/search_index.json`` and builds its index in a web worker when
the page loads; this opens the home page of a built site in headless Chromium (Debian's chromium
and chromedriver, as the browser tests use), types a query and times the first results::

    .venv/bin/python benchmarks/search.py benchmarks/out/n1000/site benchmarks/out/n10000/site

A site built with the plugin's ``search_engine: pagefind`` is detected by its ``pagefind/`` folder:
the box is Pagefind's in the header, and the index is fetched in fragments as the query needs them.

Prints, per site: the search engine, the index size on disk, seconds from opening the page to
results, the results count, and the bytes the browser downloaded for search (the index files and
the search scripts, as the Resource Timing API reports them) by the time the results showed.
"""
from __future__ import annotations

import argparse
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
# Bytes over the wire (encodedBodySize: what a reader downloads) of the search's own files.
SEARCH_BYTES = """return performance.getEntriesByType('resource')
  .filter(r => /\/(search|pagefind)\//.test(r.name))
  .reduce((sum, r) => sum + (r.encodedBodySize || r.transferSize || 0), 0)"""


def engine(site: Path) -> str:
    """Which search a built site has: Pagefind's (a pagefind/ folder) or Material's."""
    return "pagefind" if (site / "pagefind").is_dir() else "material"


def index_bytes(site: Path) -> int:
    """The size on disk of everything the search could load."""
    if engine(site) == "pagefind":
        return sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    return (site / "search/search_index.json").stat().st_size


def first_results(chrome, url: str, query: str, timeout: float, kind: str = "material") -> tuple[float, float, int, int]:
    """Seconds from opening ``url`` until a search for ``query`` shows results, seconds of that
    spent loading the page, how many results, and the bytes of search files downloaded by then."""
    start = time.perf_counter()
    chrome.open(url)
    opened = time.perf_counter() - start
    if kind == "material":
        chrome.js("document.querySelector('label[for=__search]').click()")
    box = chrome.driver.find_element("css selector", BOX[kind])
    box.send_keys(query)
    while time.perf_counter() - start < timeout:
        count = chrome.js(RESULTS[kind])
        if count:
            return time.perf_counter() - start, opened, count, chrome.js(SEARCH_BYTES)
        time.sleep(0.05)
    raise SystemExit(f"no results for {query!r} within {timeout} s at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sites", nargs="+", type=Path, help="built site folders")
    parser.add_argument("--query", default="said", help="what the reader types")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()
    print("| site | search | index on disk | first results (median) | each | of which page load | results shown "
          "| downloaded for the query |\n|---|---|---|---|---|---|---|---|")
    for site in args.sites:
        kind = engine(site)
        size = index_bytes(site) / 2**20
        times, loads, count, fetched = [], [], 0, 0
        with serve(site) as server:
            for _ in range(args.repeat):
                with browser() as chrome:  # a new browser each time: nothing cached
                    took, opened, count, fetched = first_results(chrome, server.url(""), args.query, args.timeout, kind)
                    times.append(took)
                    loads.append(opened)
        print(f"| {site} | {kind} | {size:.1f} MB | {statistics.median(times):.2f} s | {[round(t, 2) for t in times]} "
              f"| {statistics.median(loads):.2f} s | {count} | {fetched / 1024:.0f} KB |")


if __name__ == "__main__":
    main()
