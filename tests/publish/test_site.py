"""End to end: the demo fact sheet built by the real MkDocs, and `mkdocs serve` reloading edits."""
from __future__ import annotations

import html
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def text_of(page: Path) -> str:
    """The visible text of a built page, entities decoded, whitespace folded."""
    raw = page.read_text("utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


QUOTES = {
    "Amazon": "This morning’s email to some of our employees was sent in error",
    "TikTok spokesperson": "we welcome a dialogue so we can address any issues",
    "Mike Pompeo": "I don’t want to get out in front of the president",
}


def test_home_page_shows_the_statements_with_citations(built):
    home = text_of(built / "site/index.html")
    for speaker, quote in QUOTES.items():
        assert quote.lower() in home.lower(), speaker
        assert speaker in home
    assert "BuzzFeed News" in home and "The Independent" in home
    assert re.search(r"\d+ statements by \d+ speakers ?, from 2 sources", home)


@pytest.mark.parametrize("speaker, page", [("Amazon", "amazon"), ("TikTok spokesperson", "tiktok-spokesperson"),
                                           ("Mike Pompeo", "mike-pompeo")])
def test_speaker_pages_show_their_quotes_and_sources(built, speaker, page):
    text = text_of(built / f"site/speakers/{page}/index.html")
    assert QUOTES[speaker].lower() in text.lower()
    assert "Reported by" in text and "BuzzFeed News" in text


def test_source_pages_list_statements_but_never_the_article(built):
    text = text_of(built / "site/sources/buzzfeed-amazon-tiktok-ban/index.html")
    for quote in QUOTES.values():
        assert quote.lower() in text.lower()
    assert "Outlet: BuzzFeed News" in text and "Published: 10 July 2020" in text
    # Excerpts around a quote are published; the rest of an article never is. This paragraph of
    # the Independent's article holds no statement, so no page may carry it.
    site_text = " ".join(text_of(p) for p in (built / "site").rglob("*.html"))
    assert "has come under increased scrutiny and privacy concerns" in (built / "content/articles/independent-amazon-tiktok-ban.md").read_text("utf-8")
    assert "has come under increased scrutiny and privacy concerns" not in site_text
    assert not list((built / "site").rglob("*.yaml")) and not (built / "site/articles").exists()


def test_search_index_has_the_statements(built):
    index = (built / "site/search/search_index.json").read_text("utf-8")
    assert "Pompeo" in index and "welcome a dialogue" in index


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return html.unescape(response.read().decode("utf-8"))


def wait_for(url: str, needle: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if needle in fetch(url):
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.mark.parametrize("command", [["mkdocs", "serve"], ["factsheet", "serve"]])
def test_serve_shows_an_edited_record(built, command):
    """`mkdocs serve`, and `factsheet serve`, which rebuilds only the pages an edit changes; the
    search index after the edit holds every page's entries, as a full build's does."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([BIN / command[0], *command[1:], "-a", f"127.0.0.1:{port}"], cwd=built,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    facts = built / "content/facts/buzzfeed-amazon-tiktok-ban.yaml"
    text = facts.read_text("utf-8")
    try:
        url = f"http://127.0.0.1:{port}/speakers/mike-pompeo/"
        assert wait_for(url, "Mike Pompeo", 60), "mkdocs serve did not start"
        record = text.index("speaker: Mike Pompeo")
        facts.write_text(text[:record] + "note: Checked against the Fox News transcript.\n    " + text[record:], "utf-8")
        assert wait_for(url, "Checked against the Fox News transcript.", 30), "the edit was not served"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/search/search_index.json", timeout=5) as response:
            index = json.loads(response.read())
        fresh = json.loads((built / "site/search/search_index.json").read_text("utf-8"))
        assert [d["location"] for d in index["docs"]] == [d["location"] for d in fresh["docs"]]
        assert any("Checked against the Fox News transcript." in d["text"] for d in index["docs"])
    finally:
        server.terminate()
        _, log = server.communicate(timeout=10)
        facts.write_text(text, "utf-8")  # the built project is shared with the other tests
    # factsheet serve rebuilt only what the edit changed, without MkDocs' whole build
    assert ("Rebuilt the " in log) == (command[0] == "factsheet"), log[-2000:]


def test_merged_statements_cite_both_sources(built):
    page = text_of(built / "site/speakers/amazon/index.html")
    assert "sent in error" in page
    assert "Reported by 2 articles" in page and "Reported by 3" not in page  # distinct articles, not sentences
    tiktok = text_of(built / "site/speakers/tiktok-spokesperson/index.html")
    assert "welcome a dialogue" in tiktok and "Reported by 2 articles" in tiktok


def test_pompeo_statements_are_dated_monday_6_july(built):
    page = text_of(built / "site/speakers/mike-pompeo/index.html")
    assert "said on 6 July 2020" in page
    assert "I don’t want to get out in front of the president" in page


def test_timeline_lists_days_in_order(built):
    page = text_of(built / "site/timeline/2020-07/index.html")
    assert page.index("6 July 2020") < page.index("10 July 2020")


def test_pages_carry_valid_schema_org_json_ld(built):
    from jsonld_check import problems, scripts

    pages = list((built / "site/speakers").glob("*/index.html")) + list((built / "site/sources").glob("*/index.html"))
    documents = [doc for page in pages for doc in scripts(page.read_text("utf-8"))]
    assert len(documents) >= 5
    quotes = [node for doc in documents for node in doc["@graph"] if node["@type"] == "Quotation"]
    assert any(q.get("dateCreated") == "2020-07-06" and q["spokenByCharacter"]["name"] == "Mike Pompeo" for q in quotes)
    for doc in documents:
        assert problems(doc) == []


def test_downloads_are_built_with_the_site(built):
    import csv
    import json

    rows = json.loads((built / "site/facts.json").read_text("utf-8"))["rows"]
    table = list(csv.DictReader((built / "site/facts.csv").open(encoding="utf-8")))
    assert len(rows) == len(table) >= 10
    assert {r["article"] for r in rows} == {"buzzfeed-amazon-tiktok-ban", "independent-amazon-tiktok-ban"}
    assert "facts.json" in text_of(built / "site/downloads/index.html")


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def gh_deploy(project: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    """`mkdocs gh-deploy` of ``project`` committed to a repository whose origin is a local bare one."""
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", str(remote), cwd=tmp_path)
    env = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    git("init", "-q", cwd=project)
    git("remote", "add", "origin", str(remote), cwd=project)
    git(*env, "add", "-A", cwd=project)
    git(*env, "commit", "-qm", "fact sheet", cwd=project)
    result = subprocess.run([BIN / "mkdocs", "gh-deploy", "--force", "--no-history"], cwd=project, capture_output=True,
                            text=True, env={**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
                                            "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"})
    return result, remote


def test_gh_deploy_pushes_the_site_to_a_local_bare_repository(built, tmp_path):
    result, remote = gh_deploy(built, tmp_path)
    assert result.returncode == 0, result.stderr
    tree = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote)
    assert "index.html" in tree and "speakers/mike-pompeo/index.html" in tree and "facts.csv" in tree
    assert "articles/" not in tree and ".yaml" not in tree


def test_the_default_mkdocs_theme_builds_too(built, tmp_path):
    config = (built / "mkdocs.yml").read_text("utf-8")
    config = re.sub(r"theme:\n(  .*\n)+", "theme:\n  name: mkdocs\n", config)
    (built / "mkdocs-plain.yml").write_text(config, "utf-8")
    result = subprocess.run([BIN / "mkdocs", "build", "--strict", "-f", "mkdocs-plain.yml", "-d", tmp_path / "plain"], cwd=built,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "I don’t want to get out in front" in text_of(tmp_path / "plain/speakers/mike-pompeo/index.html")


def _break_a_record(project: Path) -> None:
    subprocess.run([BIN / "factsheet", "extract", "--nlp", "rules"], cwd=project, check=True, capture_output=True)
    facts = project / "content/facts/buzzfeed-amazon-tiktok-ban.yaml"
    facts.write_text(facts.read_text("utf-8").replace("kind: direct", "kind: drect", 1), "utf-8")


def test_a_bad_record_stops_mkdocs_build_strict_or_not(project):
    """Publishing refuses content problems without --strict (mkdocs.yml need not say strict: true)."""
    _break_a_record(project)
    for args in ([], ["--strict"]):
        result = subprocess.run([BIN / "mkdocs", "build", *args], cwd=project, capture_output=True, text=True)
        assert result.returncode == 1 and "got 'drect'" in result.stderr, result.stderr
        assert "1 content problem(s): the site was not built" in result.stderr
        assert not (project / "site/index.html").exists()


def test_gh_deploy_refuses_broken_content(project, tmp_path):
    """`mkdocs gh-deploy` against a local bare repository as origin: nothing is pushed."""
    _break_a_record(project)
    result, remote = gh_deploy(project, tmp_path)
    assert result.returncode == 1 and "got 'drect'" in result.stderr, result.stderr
    assert git("branch", "--list", "gh-pages", cwd=remote) == ""


def test_search_indexes_quotes_and_speakers_not_the_citations(built):
    """Citations (outlet lines and the article text around each quote) stay out of the search
    index; statements are found by their words, speaker and date, articles on the sources index."""
    index = json.loads((built / "site/search/search_index.json").read_text("utf-8"))
    statements = [doc for doc in index["docs"] if doc["location"].startswith("speakers/amazon/#")]
    text = html.unescape(" ".join(doc["title"] + " " + doc["text"] for doc in statements))
    assert "sent in error" in text and "Direct quote by Amazon" in text
    assert "leaked email obtained by the New York Times" not in text and "Reported by" not in text
    assert "Amazon walks back TikTok ban email" not in text  # a citation's article title
    sources = [doc for doc in index["docs"] if doc["location"].startswith("sources/")]
    assert "BuzzFeed News" in html.unescape(" ".join(doc["text"] for doc in sources))
    page = text_of(built / "site/speakers/amazon/index.html")
    assert "leaked email obtained by the New York Times" in page  # still shown to readers
