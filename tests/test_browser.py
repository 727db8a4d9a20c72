"""The demo fact sheet in a real browser: pages, a permalink, the search box; screenshots kept.

Screenshots go to build/screenshots/ (git-ignored) so that a person can look at them.
"""
from __future__ import annotations

import time

import pytest
from browser import browser, require, serve
from conftest import ROOT
from test_site import built  # noqa: F401 - the module-scoped built demo site

pytestmark = pytest.mark.slow
SHOTS = ROOT / "build" / "screenshots"


def wait_until(check, seconds: float = 15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    return check()


def test_reader_pages_permalink_and_search(built):  # noqa: F811
    require()
    with serve(built / "site") as server, browser(1280, 1000) as chrome:
        chrome.open(server.url(""))
        assert "Latest statements" in chrome.js("return document.body.innerText")
        chrome.screenshot(SHOTS / "home.png", full_page=True)

        chrome.open(server.url("speakers/mike-pompeo/"))
        text = chrome.js("return document.body.innerText")
        assert "I don’t want to get out in front of the president" in text
        chrome.screenshot(SHOTS / "speaker-mike-pompeo.png", full_page=True)

        statement = chrome.js("return document.querySelector('h3.fs-statement').id")
        chrome.open(server.url(f"speakers/mike-pompeo/#{statement}"))
        top = chrome.js(f"return document.getElementById('{statement}').getBoundingClientRect().top")
        assert 0 <= top < 200, "the permalink does not scroll to its statement"
        chrome.screenshot(SHOTS / "permalink.png")

        chrome.open(server.url(""))
        chrome.js("document.querySelector('label[for=__search]').click()")
        box = chrome.driver.find_element("css selector", "input.md-search__input")
        box.send_keys("dialogue")
        results = wait_until(lambda: chrome.js(
            "return [...document.querySelectorAll('.md-search-result__item')].map(e => e.innerText)"))
        assert results and "dialogue" in results[0] and "TikTok" in "\n".join(results)
        chrome.screenshot(SHOTS / "search.png")
        errors = [m for m in chrome.console() if m.get("level") == "SEVERE"]
        assert errors == []
