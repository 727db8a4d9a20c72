"""`factsheet serve` as an editor uses it (issue 14): pages that no longer exist are gone, a renamed
speaker's old address redirects, and while `check` fails every page carries the problems."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import write

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FACTSHEET_NLP": "rules"}
PEOPLE = "content/people.yaml"


def status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def wait(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.fixture
def served(project):
    """`factsheet serve` of the demo (records extracted), and its address."""
    from test_site import free_port

    subprocess.run([BIN / "factsheet", "extract", "--nlp", "rules"], cwd=project, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([BIN / "factsheet", "serve", "-a", f"127.0.0.1:{port}"], cwd=project, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait(lambda: status(base + "speakers/mike-pompeo/")[0] == 200), "factsheet serve did not start"
        yield project, base
    finally:
        server.terminate()
        server.wait(10)


def rename_pompeo(project: Path, extra: str = "") -> None:
    people = project / PEOPLE
    text = people.read_text("utf-8")
    people.write_text(text.replace("- name: Mike Pompeo\n  aliases: [Pompeo,",
                                   f"- name: Michael R. Pompeo\n{extra}  aliases: [Mike Pompeo, Pompeo,"), "utf-8")


def test_a_speaker_renamed_away_is_gone_then_redirects_once_its_old_id_is_known(served):
    project, base = served
    rename_pompeo(project)
    assert wait(lambda: status(base + "speakers/michael-r-pompeo/")[0] == 200), "the renamed page was not served"
    assert wait(lambda: status(base + "speakers/mike-pompeo/")[0] == 404), "the old page is still served"
    rename_pompeo_again = (project / PEOPLE).read_text("utf-8").replace(
        "- name: Michael R. Pompeo\n", "- name: Michael R. Pompeo\n  former_ids: [mike-pompeo]\n")
    (project / PEOPLE).write_text(rename_pompeo_again, "utf-8")
    assert wait(lambda: "michael-r-pompeo" in status(base + "speakers/mike-pompeo/")[1]), "no redirect was served"
    page = status(base + "speakers/mike-pompeo/")[1]
    assert re.search(r'<meta http-equiv="refresh" content="0; url=\.\./michael-r-pompeo/">', page)


def test_a_speaker_with_a_stable_id_keeps_its_address_when_renamed(served):
    project, base = served
    rename_pompeo(project, "  id: mike-pompeo\n")
    assert wait(lambda: "Michael R. Pompeo" in status(base + "speakers/mike-pompeo/")[1]), "not renamed in place"
    assert status(base + "speakers/michael-r-pompeo/")[0] == 404


def test_every_preview_page_lists_the_content_problems_while_check_fails(served):
    project, base = served
    facts = project / "content/facts/buzzfeed-amazon-tiktok-ban.yaml"
    text = facts.read_text("utf-8")
    facts.write_text(text.replace("kind: direct", "kind: <b>drect</b>", 1), "utf-8")
    problems = base + "assets/factsheet-problems.json"
    assert wait(lambda: "drect" in status(problems)[1]), "the problems were not published to the preview"
    listed = json.loads(status(problems)[1])
    assert any(re.match(r"content/facts/buzzfeed-amazon-tiktok-ban\.yaml:\d+:\d+: kind: expected one of", p)
               for p in listed), listed
    for page in ("", "speakers/amazon/", "sources/", "timeline/"):
        assert "factsheet-problems.js" in status(base + page)[1], page
    from browser import browser, missing

    if missing() is None:
        with browser() as chrome:
            chrome.open(base + "speakers/amazon/")
            assert wait(lambda: chrome.js("return document.querySelector('.fs-problems') !== null"), 15)
            shown = chrome.js("return document.querySelector('.fs-problems').innerText")
            assert "<b>drect</b>" in shown and "buzzfeed-amazon-tiktok-ban.yaml:" in shown
            assert chrome.js("return document.querySelector('.fs-problems b') === null")  # text, not markup
    facts.write_text(text, "utf-8")
    assert wait(lambda: json.loads(status(problems)[1]) == []), "the fixed problem is still listed"


def test_publishing_builds_refuse_what_the_preview_shows(project):
    subprocess.run([BIN / "factsheet", "extract", "--nlp", "rules"], cwd=project, check=True, capture_output=True)
    facts = project / "content/facts/buzzfeed-amazon-tiktok-ban.yaml"
    write(facts, facts.read_text("utf-8").replace("kind: direct", "kind: drect", 1))
    built = subprocess.run([BIN / "mkdocs", "build"], cwd=project, env=ENV, capture_output=True, text=True)
    assert built.returncode != 0 and "content problem" in built.stderr
    assert not (project / "site/assets/factsheet-problems.json").exists()


def test_mkdocs_build_writes_a_redirect_for_a_former_id(project):
    rename_pompeo(project, "  former_ids: [mike-pompeo]\n")
    built = subprocess.run([BIN / "factsheet", "build"], cwd=project, env=ENV, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr + built.stdout
    page = (project / "site/speakers/mike-pompeo/index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../michael-r-pompeo/">' in page
    assert '<link rel="canonical" href="https://factsheet.example.org/speakers/michael-r-pompeo/">' in page
    assert "Michael R. Pompeo" in (project / "site/speakers/michael-r-pompeo/index.html").read_text("utf-8")


def test_the_unreviewed_option_in_mkdocs_yml_hides_machine_statements_from_the_built_site(project):
    subprocess.run([BIN / "factsheet", "extract", "--nlp", "rules"], cwd=project, check=True, capture_output=True)
    facts = project / "content/facts/independent-amazon-tiktok-ban.yaml"
    text = facts.read_text("utf-8")
    at = text.index("speaker: Mike Pompeo")
    facts.write_text(text[:at] + "note: Checked against the transcript.\n    " + text[at:], "utf-8")  # now reviewed
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("      content: content\n",
                                                        "      content: content\n      unreviewed: hide\n"), "utf-8")
    built = subprocess.run([BIN / "mkdocs", "build"], cwd=project, env=ENV, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    pompeo = (project / "site/speakers/mike-pompeo/index.html").read_text("utf-8")
    assert "Checked against the transcript." in pompeo and "Not yet reviewed" not in pompeo
    assert not (project / "site/speakers/tiktok-spokesperson").exists()
    assert "Not yet reviewed" not in (project / "site/index.html").read_text("utf-8")
