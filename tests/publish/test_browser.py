"""The demo fact sheet in a real browser: pages, a permalink, the search box; screenshots kept.

Screenshots go to build/screenshots/ (git-ignored) so that a person can look at them.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import browser, require, serve, wait_until
from conftest import ROOT

pytestmark = pytest.mark.slow
SHOTS = ROOT / "build" / "screenshots"


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


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> Path:
    """The demo project with its editors' fact files (the rated statement), built with `factsheet build`."""
    root = tmp_path_factory.mktemp("edited")
    shutil.copytree(ROOT / "content", root / "content", ignore=shutil.ignore_patterns(".factsheet*"))
    shutil.copytree(ROOT / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    result = subprocess.run([Path(sys.executable).parent / "factsheet", "build"], cwd=root, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr + result.stdout
    return root


def test_reader_pages_show_verdicts_counts_and_paraphrase(edited):
    """Home, timeline, a speaker, a source, ratings and methodology, screenshotted and checked for
    what readers of fact-check sites look for (issue 15)."""
    require()
    with serve(edited / "site") as server, browser(1280, 1000) as chrome:
        def visit(path: str, shot: str) -> str:
            chrome.open(server.url(path))
            chrome.screenshot(SHOTS / shot, full_page=True)
            feed = chrome.js("const l = document.querySelector('link[rel=alternate][type=\"application/atom+xml\"]');"
                             " return l && l.href")
            assert feed == server.url("feed.xml"), (path, feed)  # every page links the feed
            return chrome.js("return document.body.innerText")

        text = visit("", "reader-home.png")
        toc = chrome.js("return [...document.querySelectorAll('.md-sidebar--secondary .md-nav__link')]"
                        ".map(e => e.innerText.trim()).filter(t => t)")
        assert len(toc) > 5 and len(set(toc)) == len(toc), toc  # not 15 lines of "Amazon · 10 July 2020"

        text = visit("timeline/2020-07/", "reader-timeline.png")
        assert "Mike Pompeo said that the US government is considering banning the app" in text
        assert "“that the US government" not in text and "3 sources" not in text
        assert "(2 articles)" in text and "(date inferred)" in text
        badge = chrome.js("const b = document.querySelector('.fs-rating'); "
                          "return b && [b.innerText, getComputedStyle(b).backgroundColor]")
        assert badge == ["True", "rgb(27, 127, 59)"]  # the default scale's colour for True, from the stylesheet

        text = visit("speakers/amazon/", "reader-speaker-amazon.png")
        assert "Reported by 2 articles" in text and "Reported by 3" not in text
        card = chrome.js("const c = document.querySelector('.fs-verdict'); return c && c.closest('blockquote').innerText")
        assert card and "Verdict: True" in card and "Checked by Demo editor on 11 July 2020" in card
        chrome.js("document.querySelector('.fs-verdict').closest('blockquote').scrollIntoView(); window.scrollBy(0, -90)")
        chrome.screenshot(SHOTS / "reader-verdict-card.png")
        kinds = chrome.js("return JSON.parse(document.querySelector('script[type=\"application/ld+json\"]')"
                          ".textContent)['@graph'].filter(n => n['@type'] === 'ClaimReview')"
                          ".map(n => [n.author.name, n.datePublished, !!n.url])")
        assert kinds == [["Demo Fact-Check Desk", "2020-07-11", True]]

        text = visit("sources/independent-amazon-tiktok-ban/", "reader-source.png")
        assert "Outlet: The Independent\nPublished: 10 July 2020" in text.replace("\n\n", "\n")
        assert "The Independent- Published" not in text

        text = visit("ratings/", "reader-ratings.png")
        assert "This morning’s email" in text and text.count("No statement has this rating.") == 5

        text = visit("methodology/", "reader-methodology.png")
        assert chrome.js("return document.querySelectorAll('table .fs-rating').length") == 6
        assert "Quotation marks are used only for words the sources quote" in text
        errors = [m for m in chrome.console() if m.get("level") == "SEVERE"]
        assert errors == []


def test_edited_demo_json_ld_validates_with_a_complete_claim_review(edited):
    from jsonld_check import problems, scripts

    pages = list((edited / "site/speakers").glob("*/index.html")) + list((edited / "site/sources").glob("*/index.html"))
    documents = [doc for page in pages for doc in scripts(page.read_text("utf-8"))]
    for doc in documents:
        assert problems(doc) == []
    reviews = [n for doc in documents for n in doc["@graph"] if n["@type"] == "ClaimReview"]
    assert reviews and all({"url", "datePublished", "author", "reviewRating", "claimReviewed"} <= set(r)
                           for r in reviews)
    speakers = {n["spokenByCharacter"]["name"]: n["spokenByCharacter"]["@type"]
                for doc in documents for n in doc["@graph"] if n["@type"] == "Quotation"}
    assert speakers["Amazon"] == "Organization" and speakers["Mike Pompeo"] == "Person"


def test_the_timeline_shows_the_events_and_a_chart_whose_marks_link_to_statements(edited):
    """The month page in Chromium: the editors' events among the statements in order, and the chart
    of who spoke when, each of its marks a link that opens its statement (issue 15)."""
    require()
    with serve(edited / "site") as server, browser(1280, 1000) as chrome:
        chrome.open(server.url("timeline/2020-07/"))
        text = chrome.js("return document.body.innerText")
        email, walk_back = text.index("Amazon emails employees to delete TikTok"), text.index("Amazon walks the email back")
        assert email < text.index("If you have TikTok on your device") < walk_back < text.index("“in error.”")
        marks = wait_until(lambda: chrome.js(
            "const o = document.querySelector('object.fs-chart'); const d = o && o.contentDocument;"
            " return d && [...d.querySelectorAll('a.mark')].map(a => [a.dataset.id, new URL(a.getAttribute('href'), o.data).href,"
            " a.querySelector('title').textContent])"))
        assert marks and len(marks) == 18, marks  # 15 statements, 3 events
        listed = chrome.js("return [...document.querySelectorAll('article a[href*=\"#s-\"]')].map(a => a.href)")
        assert sorted(href for _, href, _ in marks if "#s-" in href) == sorted(listed)
        chrome.js("document.querySelector('object.fs-chart').scrollIntoView(); window.scrollBy(0, -90)")
        chrome.screenshot(SHOTS / "reader-timeline-chart.png")
        chrome.screenshot(SHOTS / "reader-timeline.png", full_page=True)
        target = next(href for ident, href, _ in marks if ident == "s-dfa981")
        chrome.js("const d = document.querySelector('object.fs-chart').contentDocument;"
                  " d.querySelector('a.mark[data-id=\"s-dfa981\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
        wait_until(lambda: chrome.js("return location.href") == target)
        assert chrome.js("return location.href") == target  # the whole page went to the statement
        assert chrome.js("return !!document.getElementById('s-dfa981')")
        errors = [m for m in chrome.console() if m.get("level") == "SEVERE"]
        assert errors == []

