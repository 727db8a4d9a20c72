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
SEARCH_BYTES = r"""return performance.getEntriesByType('resource')
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


def measure(site: Path, query: str = "said", repeat: int = 3, timeout: float = 180) -> dict[str, object]:
    """Open ``site``'s home page ``repeat`` times, each in a new browser (nothing cached), search for
    ``query``; the medians and each run's seconds to first results, and the bytes downloaded."""
    kind = engine(site)
    times, loads, count, fetched = [], [], 0, 0
    with serve(site) as server:
        for _ in range(repeat):
            with browser() as chrome:
                took, opened, count, fetched = first_results(chrome, server.url(""), query, timeout, kind)
                times.append(took)
                loads.append(opened)
    return {"site": str(site), "engine": kind, "index_mb": round(index_bytes(site) / 2**20, 2),
            "first_results_s": round(statistics.median(times), 2), "each_s": [round(t, 2) for t in times],
            "page_load_s": round(statistics.median(loads), 2), "results": count, "query_kb": round(fetched / 1024),
            "query": query}


HEAD = ("| site | search | index on disk | first results (median) | each | of which page load | results shown "
        "| downloaded for the query |\n|---|---|---|---|---|---|---|---|")


def row(result: dict[str, object], label: object = None) -> str:
    """One Markdown table row (under :data:`HEAD`) for a :func:`measure` result."""
    r = result
    return (f"| {label or r['site']} | {r['engine']} | {r['index_mb']:.1f} MB | {r['first_results_s']:.2f} s "
            f"| {r['each_s']} | {r['page_load_s']:.2f} s | {r['results']} | {r['query_kb']:,} KB |")


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
