"""The timeline that tells the story (issue 15): editors' events between the statements, each
day in order (by time where known, then as the sources tell it), and the chart of who spoke when
(an SVG file whose marks link to the statements, with the same statements listed as text)."""
from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT, articles, fact, texts

from generator import chart, content, options, render
from generator.cache import RenderCache
from generator.content import events as story_events
from generator.model import Event

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo() -> dict[str, str]:
    sheet = content.load_sheet(ROOT / "content")
    assert not sheet.problems, [str(p) for p in sheet.problems]
    return render.render_all(sheet.articles, sheet.records, sheet.people, overview=sheet.overview, title="Demo",
                             events=sheet.events, options=options.from_mkdocs_yml(ROOT / "mkdocs.yml"))


def day_section(page: str, heading: str) -> list[str]:
    """The list lines of one day of a month page."""
    block = page.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in block.splitlines() if line.startswith("- ")]


# --- events -------------------------------------------------------------------------------------

def test_the_demo_events_stand_between_the_statements_of_their_day(demo):
    lines = day_section(demo["timeline/2020-07.md"], "10 July 2020")
    email = next(i for i, line in enumerate(lines) if "Amazon emails employees to delete TikTok" in line)
    walk_back = next(i for i, line in enumerate(lines) if "Amazon walks the email back" in line)
    told_email = next(i for i, line in enumerate(lines) if "#s-f4eca5" in line)  # the email's own words
    in_error = next(i for i, line in enumerate(lines) if "#s-650150" in line)  # "in error": the walk-back
    assert email < told_email < walk_back < in_error
    assert "**Event, in the morning: Amazon emails employees to delete TikTok**" in lines[email]
    assert "[BuzzFeed News](../sources/buzzfeed-amazon-tiktok-ban.md)" in lines[email]
    assert lines[email].startswith('- <span id="e-2020-07-10-amazon-emails-employees-to-delete-tiktok"></span>')
    pompeo_day = day_section(demo["timeline/2020-07.md"], "6 July 2020")
    assert "Pompeo on Fox News" in pompeo_day[0]


def test_within_a_day_a_time_comes_first_then_the_told_order():
    day = dt.date(2020, 7, 10)
    facts = [fact("s-late", "We take it all back now.", "one", said_on=day, said_at="16:00"),
             fact("s-none", "No one told us anything.", "one", said_on=day),
             fact("s-early", "Delete the app from your phone.", "one", said_on=day, said_at="morning")]
    events = [Event(id="e-noon", date=day, title="Noon briefing", time="12:00"),
              Event(id="e-untimed", date=day, title="Reactions")]
    page = render.render_all(articles("one"), facts, [], events=events)["timeline/2020-07.md"]
    order = [m for m in re.findall(r"#(s-[a-z]+)\)|id=\"(e-[a-z]+)\"", page)]
    assert ["".join(pair) for pair in order] == ["s-early", "e-noon", "s-late", "e-untimed", "s-none"]
    assert "(in the morning)" in page and "(16&#58;00)" in page  # escaped like all text


def test_a_month_with_only_events_has_its_page():
    events = [Event(id="e-a", date=dt.date(2020, 8, 1), title="Hearing", text="The committee meets.")]
    pages = render.render_all(articles("one"), [fact("s-a", "We love it.", "one", said_on=dt.date(2020, 7, 1))], [],
                              events=events)
    assert "Hearing" in pages["timeline/2020-08.md"] and "(2020-08.md): 0 statements, 1 event" in pages["timeline/index.md"]


def test_event_text_and_links_are_escaped():
    payload = "<script>alert(1)</script> [x](javascript:alert(1))"
    events = [Event(id="e-a", date=dt.date(2020, 7, 1), title=payload, text=payload,
                  links=("https://example.com/a", "javascript:alert(1)"))]
    page = render.render_all(articles("one"), [], [], events=events)["timeline/2020-07.md"]
    assert "<script>" not in page and "](javascript" not in page
    assert '<a href="https://example.com/a" rel="noopener noreferrer"' in page


@pytest.mark.parametrize("text, message", [
    ("- date: 2020-07-10\n", "1: title: missing required field (hint: required: date, title)"),
    ("- date: 10 July\n  title: A\n", "1:3: date: expected a date like 2020-07-10, got '10 July'"),
    ("- date: 2020-07-10\n  title: A\n  time: 14:30\n", "3:3: time: expected a time of day like '14:30' or one of morning, afternoon, evening, got 870 "
     "(hint: YAML reads an unquoted time as a number: write time: '14:30', in quotes)"),
    ("- date: 2020-07-10\n  title: A\n  time: noonish\n", "3:3: time: expected a time of day like '14:30'"),
    ("- date: 2020-07-10\n  title: A\n  links: [ftp://x]\n", "3:3: links: expected a list of http(s) addresses"),
    ("- date: 2020-07-10\n  title: A\n  sources: [Not An Id]\n", "3:3: sources: expected a list of ids"),
    ("- date: 2020-07-10\n  titel: A\n  title: B\n", "2:3: titel: unknown field (hint: did you mean 'title'?)"),
    ("- date: 2020-07-10\n  title: A\n  id: e-a\n- date: 2020-07-11\n  title: B\n  id: e-a\n",
     "6:3: id: duplicate id (first used on line 1)"),
    ("date: 2020-07-10\n", "1: expected a list of events"),
])
def test_bad_events_are_located(text, message):
    found, problems = story_events.parse_events(text, "content/events.yaml")
    assert len(problems) == 1 and message in str(problems[0]), [str(p) for p in problems]
    assert str(problems[0]).startswith("content/events.yaml:")


def test_a_good_event_is_read_whole():
    text = ("- date: 2020-07-10\n  time: '09:30'\n  title: Email\n  text: Sent.\n"
            "  links: ['https://example.com/']\n  sources: [one]\n")
    (event,), problems = story_events.parse_events(text, "content/events.yaml")
    assert not problems
    assert event == Event(id="e-2020-07-10-email", date=dt.date(2020, 7, 10), title="Email", time="09:30",
                          text="Sent.", links=("https://example.com/",), sources=("one",), line=1)


# --- the chart ----------------------------------------------------------------------------------

def chart_of(pages: dict[str, str], month: str) -> ET.Element:
    return ET.fromstring(pages[f"timeline/{month}.svg"].encode("utf-8"))


def resolve(href: str, folder: str = "timeline") -> tuple[str, str]:
    """A chart link (relative to the SVG file, MkDocs' directory URLs) as (docs page, fragment)."""
    path, _, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(folder, path))
    return target + ".md", fragment


def test_the_chart_parses_and_every_mark_links_to_an_existing_anchor(demo):
    svg = chart_of(demo, "2020-07")
    assert svg.tag == SVG + "svg" and svg.find(SVG + "title").text and svg.find(SVG + "desc").text
    links = svg.iter(SVG + "a")
    hrefs = [a.get("href") for a in links]
    assert len(hrefs) == 18  # 15 statements and 3 events
    for href in hrefs:
        page, fragment = resolve(href)
        assert page in demo, href
        assert "{#" + fragment + " " in demo[page] or f'id="{fragment}"' in demo[page], href
    assert all(a.get("target") == "_top" for a in svg.iter(SVG + "a"))


def test_the_chart_and_the_list_show_the_same_statements(demo):
    page = demo["timeline/2020-07.md"]
    listed = re.findall(r"\]\(\.\./speakers/[a-z0-9-]+\.md#(s-[a-z0-9-]+)\)", page) + re.findall(r'id="(e-[a-z0-9-]+)"', page)
    marks = [a.get("data-id") for a in chart_of(demo, "2020-07").iter(SVG + "a")]
    assert sorted(marks) == sorted(listed) and len(set(marks)) == len(marks)
    # In the same order within each day (events and statements).
    assert [m for m in marks if m.startswith("s-")] == [m for m in listed if m.startswith("s-")]


def test_the_month_page_shows_its_chart_in_an_object(demo):
    page = demo["timeline/2020-07.md"]
    tag = re.search(r'<object class="fs-chart" data="([^"]+)" type="image/svg\+xml"', page)
    assert tag and html.unescape(tag.group(1)) == "../2020-07.svg"  # from timeline/2020-07/ (directory URLs)
    assert "<svg" not in page and "<img" not in page


def test_chart_links_follow_use_directory_urls():
    opts = options.site_options(directory_urls=False)
    pages = render.render_all(articles("one"), [fact("s-a", "We love it.", "one", said_on=dt.date(2020, 7, 1))], [],
                              options=opts)
    (a,) = chart_of(pages, "2020-07").iter(SVG + "a")
    assert a.get("href") == "../speakers/amazon.html#s-a"
    assert 'data="2020-07.svg"' in html.unescape(pages["timeline/2020-07.md"])


def test_untrusted_text_in_the_chart_is_xml_text():
    payload = "</title><script>alert(1)</script>\x00&amp;\"'"
    pages = render.render_all(articles("one"), [fact("s-a", payload + " said here.", "one", speaker=payload,
                                                     said_on=dt.date(2020, 7, 1))], [])
    svg = chart_of(pages, "2020-07")  # parses: nothing broke out of its element
    assert not list(svg.iter(SVG + "script")) and not list(svg.iter("script"))
    texts = [t.text for t in svg.iter(SVG + "title")] + [t.text for t in svg.iter(SVG + "text")]
    assert any("<script>alert(1)</script>" in (t or "") for t in texts)
    assert all(not name.startswith("on") for element in svg.iter() for name in element.attrib)


def test_a_chart_draws_at_most_max_rows_speakers():
    marks = [chart.Mark(f"Speaker {i}", dt.date(2020, 7, 1), f"#s-{i}", f"s {i}", f"s-{i}")
             for i in range(chart.MAX_ROWS + 3)]
    svg = ET.fromstring(chart.timeline_svg(marks, "T", "D.", str)[0].encode())
    assert len(list(svg.iter(SVG + "a"))) == chart.MAX_ROWS
    assert "Not drawn (3 speakers" in svg.find(SVG + "desc").text


def test_the_serve_cache_renders_an_edited_event_afresh():
    facts = [fact("s-a", "We love it.", "one", said_on=dt.date(2020, 7, 1))]
    before = [Event(id="e-a", date=dt.date(2020, 7, 1), title="Hearing")]
    after = [Event(id="e-a", date=dt.date(2020, 7, 1), title="Hearing moved", time="evening")]
    cache = RenderCache()
    render.render_all(articles("one"), facts, [], events=before, cache=cache)
    again = texts(render.render_all(articles("one"), facts, [], events=after, cache=cache))
    fresh = render.render_all(articles("one"), facts, [], events=after)
    assert again == fresh and "Hearing moved" in again["timeline/2020-07.md"] and "Hearing moved" in again["timeline/2020-07.svg"]
