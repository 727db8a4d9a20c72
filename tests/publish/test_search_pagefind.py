"""Pagefind search (the plugin's ``search_engine: pagefind``) on the demo, in a real browser.

The box is in the header; quote words, speakers, dates and kinds are found; citations'
excerpts and the timeline and source pages (which repeat the speaker pages) are not indexed.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import browser, require, serve, wait_until
from conftest import ROOT

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
RESULTS = "return [...document.querySelectorAll('.pagefind-ui__result')].map(e => [e.querySelector('a').href, e.innerText])"


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory) -> Path:
    """The demo built with Pagefind in place of Material's search."""
    pytest.importorskip("pagefind")
    root = tmp_path_factory.mktemp("pagefind")
    shutil.copytree(ROOT / "content", root / "content", ignore=shutil.ignore_patterns(".factsheet*"))
    shutil.copytree(ROOT / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    config = re.sub(r"(?m)^  - search\n", "", config).replace(
        "      templates: templates\n", "      templates: templates\n      search_engine: pagefind\n")
    (root / "mkdocs.yml").write_text(config, "utf-8")
    result = subprocess.run([BIN / "factsheet", "build"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout
    return root / "site"


def search(chrome, query: str) -> list[list[str]]:
    box = chrome.driver.find_element("css selector", "header input.pagefind-ui__search-input")
    box.clear()
    box.send_keys(query)
    # The previous query's results stay until the new ones arrive: wait for the summary line.
    message = "return (document.querySelector('.pagefind-ui__message') || {}).innerText || ''"
    wait_until(lambda: f"for {query}" in chrome.js(message))
    return wait_until(lambda: chrome.js(RESULTS)) or []


def test_the_index_is_fragments_and_keeps_material_search_out(pagefind_site):
    assert (pagefind_site / "pagefind/pagefind-entry.json").is_file()
    assert list((pagefind_site / "pagefind/fragment").iterdir())
    assert not (pagefind_site / "search/search_index.json").exists()
    speaker_page = (pagefind_site / "speakers/mike-pompeo/index.html").read_text("utf-8")
    assert "data-pagefind-body" in speaker_page
    month = next((pagefind_site / "timeline").glob("*/index.html"))
    assert "data-pagefind-body" not in month.read_text("utf-8")  # search_exclude: timeline


def test_quote_speaker_date_and_kind_are_found_in_the_header_box(pagefind_site):
    require()
    with serve(pagefind_site) as server, browser(1280, 900) as chrome:
        chrome.open(server.url("speakers/"))  # a page below the root: the bundle path is relative
        # Pagefind is loaded once the page is idle, before the reader types (the first results sooner).
        loaded = "return performance.getEntriesByType('resource').map(r => r.name)"
        assert wait_until(lambda: [n for n in chrome.js(loaded) if n.endswith("/pagefind/pagefind.js")])
        results = search(chrome, "dialogue")
        assert results and any("TikTok" in text for _, text in results)
        assert any("Pompeo" in text for _, text in search(chrome, "Pompeo"))
        assert search(chrome, "July 2020")
        assert search(chrome, "Reported speech")
        urls = [url for url, _ in search(chrome, "president")]
        assert urls and not [u for u in urls if re.search(r"/(timeline|sources)/[^/]+/", u)]
        assert [m for m in chrome.console() if m.get("level") == "SEVERE"] == []
