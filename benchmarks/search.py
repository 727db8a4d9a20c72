"""Search in a real browser: how long a reader waits for the first results on a built site.

Material's search downloads ``search/search_index.json`` and builds its index in a web worker when
the page loads; this opens the home page of a built site in headless Chromium (Debian's chromium
and chromedriver, as the browser tests use), types a query and times the first results::

    .venv/bin/python benchmarks/search.py benchmarks/out/n1000/site benchmarks/out/n10000/site

Prints, per site: the index size, seconds from opening the page to results, the results count.
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

RESULTS = "return document.querySelectorAll('.md-search-result__item').length"


def first_results(chrome, url: str, query: str, timeout: float) -> tuple[float, int]:
    """Seconds from opening ``url`` until a search for ``query`` shows results, and how many."""
    start = time.perf_counter()
    chrome.open(url)
    chrome.js("document.querySelector('label[for=__search]').click()")
    box = chrome.driver.find_element("css selector", "input.md-search__input")
    box.send_keys(query)
    while time.perf_counter() - start < timeout:
        count = chrome.js(RESULTS)
        if count:
            return time.perf_counter() - start, count
        time.sleep(0.05)
    raise SystemExit(f"no results for {query!r} within {timeout} s at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sites", nargs="+", type=Path, help="built site folders")
    parser.add_argument("--query", default="said", help="what the reader types")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()
    print("| site | search index | first results (median) | each | results shown |\n|---|---|---|---|---|")
    for site in args.sites:
        size = (site / "search/search_index.json").stat().st_size / 2**20
        times, count = [], 0
        with serve(site) as server:
            for _ in range(args.repeat):
                with browser() as chrome:  # a new browser each time: nothing cached
                    took, count = first_results(chrome, server.url(""), args.query, args.timeout)
                    times.append(took)
        print(f"| {site} | {size:.1f} MB | {statistics.median(times):.1f} s | {[round(t, 1) for t in times]} | {count} |")


if __name__ == "__main__":
    main()
