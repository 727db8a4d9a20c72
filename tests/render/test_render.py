"""Render: escaping untrusted text, the pages, templates and overrides (merging is in tests/test_merge.py)."""
from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from conftest import articles, fact, write

from generator import render
from generator.errors import FactsheetError

HOSTILE = [
    "<script>alert(1)</script>", "[click](javascript:alert(1))", "![img](http://x/y.png)", "{{ 7*7 }}",
    "{% raw %}", "!!! note", "--8<-- 'secret.txt'", "{: onclick=alert(1) }", "<img src=x onerror=alert(1)>",
    "*bold* _it_ `code`", "# heading\n\n- list", "&lt;script&gt;", "| a | b |",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_leaves_no_markup(text):
    out = str(render.escape(text))
    assert not set(re.sub(r"&#\d+;", "", out)) & set("<>[]{}()*_`!|#&\n"), out
    assert html.unescape(out) == re.sub(r"\s+", " ", text)


def reference_escape(value):
    """``render.escape`` as first written (two regular expressions per value): the faster one must agree."""
    from markupsafe import Markup

    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    text = re.sub(r"\s+", " ", str(value))
    return Markup(re.sub(r"[\\`*_{}\[\]()#+\-!|<>&\"'~:=^$%@]|(?<=[wW]{3})\.", lambda m: f"&#{ord(m.group())};", text))


ESCAPE_TABLE = [
    *HOSTILE, None, 0, -12, 3.5, True, "", " ", "  ", " lead  trail ", "a\n\nb", "a\tb", "\xa0x\u2028y\x1c\x85z",
    "a\u3000\u3000b", "www.example.org", "WwW.x", "ww.w", "wwww..", ".www.", "see www. and w.w.w.", "&#60;",
    "é ünïcödé — “quotes” ‘too’", "1 + 1 = 2; 50% @ $3 ^ ~ :", "\u200bzero\ufeffwidth", "\ud800",
]


@pytest.mark.parametrize("value", ESCAPE_TABLE)
def test_escape_agrees_with_the_reference(value):
    for _ in range(2):  # the second call comes from the cache of text seen before
        out = render.escape(value)
        assert out == reference_escape(value) and type(out) is type(reference_escape(value))


def test_the_only_printable_whitespace_is_the_space():
    """escape leaves printable text without two spaces in a row as it is: nothing in it is \\s but spaces."""
    import sys

    space = re.compile(r"\s")
    assert [hex(c) for c in range(sys.maxunicode + 1)
            if chr(c) != " " and chr(c).isprintable() and space.match(chr(c))] == []


def test_escape_agrees_with_the_reference_for_any_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list("wW. \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000ab\\`*_{}[]()#+-!|<>&\"'~:=^$%@;é€\U0001f600"))

    @settings(max_examples=500, deadline=None)
    @given(st.one_of(st.text(alphabet), st.text()))
    def check(text):
        assert render.escape(text) == reference_escape(text)
        assert render.escape(text) == reference_escape(text)
        assert render.escape(render.Markup(text)) == text

    check()


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a?b=c", True), ("http://example.org", True), ("javascript:alert(1)", False),
    ("data:text/html,x", False), ("JAVASCRIPT:alert(1)", False), ("//evil.org", False),
    ('https://x.org/"onmouseover="alert(1)', False), ("ftp://x.org", False), (None, False),
])
def test_only_http_links_are_made(url, ok):
    assert (render.safe_url(url) is not None) is ok
    link = str(render.external_link(url, "source"))
    assert ("<a href=" in link) is ok
    if ok:
        assert 'rel="noopener noreferrer"' in link


def render_pages(facts, **kw):
    return render.render_all(articles("one", "two"), facts, [], **kw)


def test_pages_for_home_speakers_sources_timeline_and_data():
    pages = render_pages([fact("s-a", "We are proud of our community.", "one", said_on=dt.date(2020, 7, 6))])
    assert {"index.md", "speakers/index.md", "speakers/amazon.md", "sources/index.md", "sources/one.md",
            "sources/two.md", "timeline/index.md", "timeline/2020-07.md", "downloads.md", "facts.json",
            "facts.csv", "speakers/amazon.md.jsonld", "sources/one.md.jsonld", "ratings.md", "methodology.md", "assets/factsheet.css",
            "feed.xml", "facts.schema.json", "timeline/2020-07.svg"} == set(pages)
    assert "{#s-a .fs-statement}" in pages["speakers/amazon.md"]
    assert "[Amazon](../speakers/amazon.md)" in pages["sources/one.md"]
    assert "6 July 2020" in pages["timeline/2020-07.md"]


def test_each_page_is_a_function_of_the_site_alone():
    """speaker_page, source_page and month_pages read only the site: called on their own, twice,
    they give what render_site gives for that page."""
    facts = [fact("s-a", "We are proud of our community.", "one", said_on=dt.date(2020, 7, 6)),
             fact("s-b", "There is no change to our policies.", "two", speaker="TikTok")]
    site = render.index_site(render.build_statements(facts, articles("one", "two"), []), articles("one", "two"),
                             [], "", "Fact sheet")
    env = render.environment()
    pages = render.render_site(site, env)
    for _ in range(2):
        assert render.speaker_page(site, env, "tiktok") == pages["speakers/tiktok.md"]
        assert render.source_page(site, env, "one") == pages["sources/one.md"]
        assert render.month_pages(site, env, "2020-07", site.statements[:1], []) == {
            "timeline/2020-07.md": pages["timeline/2020-07.md"], "timeline/2020-07.svg": pages["timeline/2020-07.svg"]}
    assert "There is no change" in pages["speakers/tiktok.md"] and "There is no change" not in pages["sources/one.md"]


@pytest.mark.parametrize("inferred", [True, False])
def test_an_inferred_speaker_is_shown_as_inferred(inferred):
    pages = render_pages([fact("s-a", "We are proud of our community.", "one", speaker_inferred=inferred)])
    assert ("(speaker inferred" in pages["speakers/amazon.md"]) is inferred


def test_hostile_record_text_is_escaped_in_every_page():
    evil = "<script>alert(1)</script> [x](javascript:alert(1)) {{ 7*7 }}"
    pages = render_pages([fact("s-a", evil, "one", speaker=evil, venue=evil, note=evil, verdict=evil)])
    for path, text in pages.items():
        if path.endswith(".md"):
            assert "<script>" not in text and "javascript:alert" not in text and "{{" not in text, path


def test_csv_cells_cannot_become_formulas():
    pages = render_pages([fact("s-a", "=HYPERLINK(\"http://evil\")", "one")])
    assert "'=HYPERLINK" in pages["facts.csv"]


def test_a_template_override_replaces_the_default(tmp_path):
    write(tmp_path / "downloads.md.j2", "# Our data\n")
    pages = render_pages([], templates=tmp_path)
    assert pages["downloads.md"] == "# Our data\n"


@pytest.mark.parametrize("body, message", [
    ("# {{ site.nope }}\n", "template error"),
    ("line\n{% if %}\n", "template syntax error"),
])
def test_template_errors_name_the_template_and_line(tmp_path, body, message):
    write(tmp_path / "downloads.md.j2", body)
    with pytest.raises(FactsheetError) as info:
        render_pages([], templates=tmp_path)
    problem = info.value.problems[0]
    assert message in problem.message and problem.path.endswith("downloads.md.j2") and problem.line == body.count("\n")


def test_json_ld_cannot_close_its_script_element():
    evil = "</script><script>alert(1)</script><!--"
    pages = render_pages([fact("s-a", evil, "one", verdict="False", rating="False")])
    data = pages["speakers/amazon.md.jsonld"]
    assert "<" not in data and ">" not in data
    import json
    graph = json.loads(data)["@graph"]
    assert graph[0]["text"] == evil and graph[1]["@type"] == "ClaimReview"


def test_every_record_id_of_a_merged_statement_stays_an_anchor():
    facts = [fact("s-a", "We are proud of our community.", "one"), fact("s-b", "We are proud of our community.", "two")]
    page = render_pages(facts)["speakers/amazon.md"]
    assert "{#s-a .fs-statement}" in page and '<span id="s-b"></span>' in page


def test_problems_of_a_fact_file_are_shown_on_its_source_page():
    from generator.errors import Problem

    problem = Problem("content/facts/one.yaml", "unknown field", 7, 5, field="stauts", hint="did you mean 'status'?")
    pages = render_pages([], problems=[problem])
    assert "could not be read" in pages["sources/one.md"]
    assert "stauts" in pages["sources/one.md"] and "could not be read" not in pages["sources/two.md"]


def test_an_override_of_the_macros_changes_every_page_that_uses_them(tmp_path):
    facts = [fact("s-a", "We are proud of our community.", "one", said_on=dt.date(2020, 7, 6)),
             fact("s-b", "Nobody said this.", "two", speaker=None)]
    before = render_pages(facts)
    macros = (render.default_templates() / "_macros.md.j2").read_text(encoding="utf-8")
    write(tmp_path / "_macros.md.j2", macros.replace("#{{ e.id|anchor }}", "#custom-{{ e.id|anchor }}")
          .replace("### {% if with_speaker %}", "### OURS {% if with_speaker %}"))
    after = render_pages(facts, templates=tmp_path)
    assert "#custom-s-a" in after["timeline/2020-07.md"] and "#custom-s-a" in after["sources/one.md"]
    assert "### OURS" in after["speakers/amazon.md"] and "### OURS" in after["sources/two.md"]
    assert "### OURS" in after["index.md"] and "### OURS" not in before["index.md"]


def test_template_overrides_added_edited_and_removed_between_renders_take_effect(tmp_path):
    import os

    facts = [fact("s-a", "We are proud of our community.", "one")]
    default = render_pages(facts, templates=tmp_path / "templates")  # no such folder yet
    write(tmp_path / "templates" / "speaker.md.j2", "# First {{ speaker.name }}\n")
    assert render_pages(facts, templates=tmp_path / "templates")["speakers/amazon.md"] == "# First Amazon\n"
    path = write(tmp_path / "templates" / "speaker.md.j2", "# Second {{ speaker.name }}\n")
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)  # Jinja reloads a file whose time changed
    assert render_pages(facts, templates=tmp_path / "templates")["speakers/amazon.md"] == "# Second Amazon\n"
    path.unlink()
    assert render_pages(facts, templates=tmp_path / "templates") == default


def test_printed_values_are_escaped_once_whatever_their_type(tmp_path):
    from markupsafe import Markup

    class Shout(Markup):
        def __html__(self):
            return Markup(str(self).upper())

    class Html:
        def __html__(self):
            return "<b>trusted?</b>"

        def __str__(self):
            return "<i>text</i>"

    env = render.environment()
    template = env.from_string("{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{{ f }}|{{ '<lit>' }}")
    out = template.render(a="<x> *y*", b=Markup("<ok>"), c=Shout("loud"), d=Html(), e=None, f=-3)
    assert out == "&#60;x&#62; &#42;y&#42;|<ok>|LOUD|&#60;i&#62;text&#60;/i&#62;||&#45;3|&lt;lit&gt;"
    assert type(render.escape("x")) is Markup
