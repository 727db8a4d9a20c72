"""The fact sheet as readers read it (issue 15): honest counts, paraphrase shown as paraphrase,
the day's statements in the order the sources tell them, verdicts first, and structured data
that names organisations and the publishing newsroom."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, articles, fact, texts, write

from generator import content, options, render
from generator.cache import RenderCache
from generator.errors import FactsheetError
from generator.model import Citation, Person, Record
from generator.records import store


@pytest.fixture(scope="module")
def demo() -> dict[str, str]:
    """The demo's pages, with the demo's mkdocs.yml options."""
    sheet = content.load_sheet(ROOT / "content")
    assert not sheet.problems
    return render.render_all(sheet.articles, sheet.records, sheet.people, overview=sheet.overview,
                             title="Demo", options=options.from_mkdocs_yml(ROOT / "mkdocs.yml"))


def statement_block(page: str, anchor: str) -> str:
    """The Markdown of one statement of a page, from its heading to the next."""
    start = page.index("{#" + anchor + " ")
    end = page.find("\n### ", start)
    return page[start:end if end != -1 else None]


# --- counts -------------------------------------------------------------------------------------

def test_two_sentences_of_one_article_count_as_one_source(demo):
    # "in error": BuzzFeed once, The Independent twice (headline and body): two articles, not three sources.
    block = statement_block(demo["speakers/amazon.md"], "s-650150")
    assert "**Reported by 2 articles:**" in block
    assert re.findall(r"^\d+\. \*(.+?)\*", block, re.M) == ["BuzzFeed News", "The Independent"]
    assert "3 source" not in demo["timeline/2020-07.md"]
    assert "“in error.”](../speakers/amazon.md#s-650150) (2 articles)" in demo["timeline/2020-07.md"]


def test_the_wordings_table_has_one_row_per_article(demo):
    # BuzzFeed's '"A," the spokesperson said. "B."' and its record of "B." alone; The Independent's "A"
    block = statement_block(demo["speakers/tiktok-spokesperson.md"], "s-968aac")
    rows = re.findall(r"^\| (BuzzFeed News|The Independent) \|", block, re.M)
    assert rows == ["The Independent", "BuzzFeed News"]
    # The excerpt of "B." lies inside the excerpt of the whole statement: only the whole one is shown.
    assert block.count("the spokesperson said. &#34;We&#39;re proud that") == 1


def test_one_articles_sentences_are_one_excerpt_and_the_same_words_no_wordings_table(demo):
    block = statement_block(demo["speakers/amazon.md"], "s-0954c7")  # two BuzzFeed records + The Independent
    assert "The sources' wordings differ" not in block  # the same two sentences in both articles
    assert block.count("    > &#34;This morning’s email to some of our employees was sent in error,&#34; the company said.") == 1


def test_outlets_are_counted_when_one_outlet_has_two_articles():
    arts = {k: dataclasses.replace(a, outlet="The Daily") for k, a in articles("one", "two").items()}
    day = dt.date(2020, 7, 10)
    pages = render.render_all(arts, [fact("s-a", "We are proud of our whole community.", "one", said_on=day),
                                     fact("s-b", "We are proud of our whole community.", "two", said_on=day)], [])
    assert "(2 articles from 1 outlet)" in pages["timeline/2020-07.md"]
    assert "**Reported by 2 articles from 1 outlet:**" in pages["speakers/amazon.md"]


# --- source page --------------------------------------------------------------------------------

def test_source_page_details_are_one_bullet_each(demo):
    for path in ("sources/independent-amazon-tiktok-ban.md", "sources/buzzfeed-amazon-tiktok-ban.md"):
        lines = demo[path].splitlines()
        for label in ("Outlet", "Published", "Author", "Link"):
            assert sum(line.startswith(f"- **{label}:**") for line in lines) == 1, (path, label)
    assert "The Independent- " not in demo["sources/independent-amazon-tiktok-ban.md"]


# --- quotation marks ----------------------------------------------------------------------------

def test_reported_speech_is_never_in_quotation_marks(demo):
    timeline = demo["timeline/2020-07.md"]
    assert "**Mike Pompeo** [said that the US government is considering banning the app]" in timeline
    assert "“that the US government" not in "".join(demo.values())
    # Mixed: the source's marks on the quoted words only.
    assert "[said the US was “certainly looking at” a ban on TikTok" in timeline
    assert "“the US was" not in "".join(v for k, v in demo.items() if k.endswith(".md"))
    # The source's own verb where it has one.
    assert "**Amazon** [asked all employees to immediately delete the app" in timeline
    source = demo["sources/buzzfeed-amazon-tiktok-ban.md"]
    assert ": asked all employees to immediately delete the app" in source


def test_direct_quotes_keep_their_marks_and_blockquote():
    pages = render.render_all(articles("one"), [fact("s-a", "We love it.", "one"),
                                                fact("s-b", "they love it", "one", kind="indirect", cue="said")], [])
    speaker = pages["speakers/amazon.md"]
    assert "> We love it." in speaker and ": “We love it.”" in speaker
    assert "\n> they love it\n" not in speaker and "\nAmazon said they love it\n" in speaker
    assert "“they love it”" not in "".join(pages.values())


# --- timeline order -----------------------------------------------------------------------------

def test_a_day_is_in_the_order_the_sources_tell_it():
    day = dt.date(2020, 7, 10)
    later = Record(id="s-a", quote="The email was sent in error.", kind="direct", speaker="Amazon", said_on=day,
                 citation=Citation("one", 300, 330, "x"))
    earlier = Record(id="s-z", quote="Delete the app from your phone now.", kind="direct", speaker="Amazon",
                   said_on=day, citation=Citation("one", 10, 40, "x"))
    timeline = render.render_all(articles("one"), [later, earlier], [])["timeline/2020-07.md"]
    assert timeline.index("#s-z") < timeline.index("#s-a")  # by place in the article, not by id


def test_inferred_dates_are_marked_on_the_timeline(demo):
    line = next(line for line in demo["timeline/2020-07.md"].splitlines() if "#s-68a794" in line)
    assert "(date inferred)" in line


# --- home page ----------------------------------------------------------------------------------

def test_home_headings_are_not_all_the_same(demo):
    headings = re.findall(r"^### (.+?) \{#", demo["index.md"], re.M)
    assert len(headings) >= 10
    assert len(set(headings)) == len(headings)


# --- verdicts -----------------------------------------------------------------------------------

def test_demo_has_a_verdict_card(demo):
    block = statement_block(demo["speakers/amazon.md"], "s-0954c7")
    assert '> **Verdict:** <span class="fs-rating fs-rating-1" data-rating="True">True</span>' in block
    assert "> **Claim:** “This morning’s email" in block
    assert "> *Checked by Demo editor on 11 July 2020 for Demo Fact&#45;Check Desk" in block
    assert "[How we rate](../methodology.md)" in block


def test_ratings_show_in_every_list(demo):
    badge = 'class="fs-rating fs-rating-1"'
    for path in ("index.md", "timeline/2020-07.md", "speakers/amazon.md", "sources/buzzfeed-amazon-tiktok-ban.md",
                 "ratings.md"):
        assert badge in demo[path], path
    ratings = demo["ratings.md"]
    true_section = ratings[ratings.index("## True"):ratings.index("## Mostly true")]
    assert "speakers/amazon.md#s-0954c7" in true_section
    assert ratings.count("No statement has this rating.") == len(options.DEFAULT_SCALE) - 1


def test_methodology_explains_every_step_of_the_scale(demo):
    page = demo["methodology.md"]
    for i, step in enumerate(options.DEFAULT_SCALE, 1):
        assert f'fs-rating-{i}" data-rating="{render.escape(step.label)}"' in page
        assert render.escape(step.description) in page
    assert "Demo Fact&#45;Check Desk" in page


def test_a_configured_scale_orders_and_colours_the_badges():
    scale = [{"label": "Accurate", "colour": "#00aa00"}, {"label": "Wrong", "colour": "#aa0000",
                                                          "description": "Not so."}]
    opts = options.site_options(ratings=scale)
    pages = render.render_all(articles("one"), [fact("s-a", "We love it.", "one", rating="wrong"),
                                                fact("s-b", "We hate it.", "one", rating="Meh")], [], options=opts)
    css = pages[render.RATING_CSS]
    assert ".fs-rating-1{background:#00aa00}" in css and ".fs-rating-2{background:#aa0000}" in css
    assert 'class="fs-rating fs-rating-2" data-rating="Wrong">Wrong</span>' in pages["speakers/amazon.md"]
    # A rating off the scale is shown as written, grey, under its own heading on the ratings page.
    assert 'class="fs-rating fs-rating-0" data-rating="Meh">Meh</span>' in pages["speakers/amazon.md"]
    ratings = pages["ratings.md"]
    assert ratings.index("## Accurate") < ratings.index("## Wrong") < ratings.index("## Meh")


@pytest.mark.parametrize("kw, field, words", [
    ({"ratings": [{"label": "True", "colour": "red; background:url(x)"}]}, "ratings[1].colour", "hex colour"),
    ({"ratings": [{"label": "True", "colour": "#fff"}, {"label": "true", "colour": "#000"}]}, "ratings[2].label",
     "twice"),
    ({"ratings": [{"colour": "#fff"}]}, "ratings[1].label", "needs a label"),
    ({"publisher": {"name": "Desk", "url": "javascript:alert(1)"}}, "publisher.url", "http(s) URL"),
    ({"publisher": "Desk"}, "publisher", "name and url"),
    ({"licence": {"name": "CC BY", "link": "x"}}, "licence", "name and url"),
])
def test_bad_options_are_one_located_line(kw, field, words):
    with pytest.raises(FactsheetError) as caught:
        options.site_options(**kw)
    message = str(caught.value.problems[0])
    assert message.startswith(f"mkdocs.yml: plugins.factsheet.{field}: ") and words in message
    assert "\n" not in message


def test_render_reports_a_bad_mkdocs_option_without_a_traceback(project):
    text = (project / "mkdocs.yml").read_text()
    write(project / "mkdocs.yml", text.replace("    url: https://factsheet.example.org/\n", "    url: ftp://x\n", 1))
    bin_dir = Path(sys.executable).parent
    assert subprocess.run([bin_dir / "factsheet", "extract", "--nlp", "rules"], cwd=project,
                          capture_output=True).returncode == 0
    done = subprocess.run([bin_dir / "factsheet", "render", "--out", "out"], cwd=project, capture_output=True,
                          text=True)
    assert done.returncode == 1
    assert done.stderr.strip() == ("error: mkdocs.yml: plugins.factsheet.publisher.url: expected an http(s) URL, "
                                   "got 'ftp://x'")


def test_reviewed_on_must_be_a_date():
    text = store.dump({"article": "one", "statements": [
        {"id": "s-a", "quote": "We love it.", "kind": "direct", "reviewed_on": "last Tuesday",
         "citation": {"start": 0, "end": 11, "excerpt": "We love it."}}]})
    _, problems = store.parse_fact_file(text, "facts/one.yaml")
    assert [str(p).split(": ", 1)[1] for p in problems] == \
        ["reviewed_on: expected a date like 2020-07-12, got 'last Tuesday' (hint: the day the fact check was done, "
         "YYYY-MM-DD)"]
    assert problems[0].line is not None


def test_reviewer_fields_survive_a_round_trip():
    f = Record(id="s-a", quote="We love it.", kind="direct", citation=Citation("one", 0, 11, "We love it."),
             rating="True", reviewed_by="A. Editor", reviewed_on=dt.date(2020, 7, 11))
    values = store.fact_to_dict(f)
    assert values["reviewed_by"] == "A. Editor" and values["reviewed_on"] == dt.date(2020, 7, 11)
    parsed, problems = store.parse_fact_file(store.dump({"article": "one", "statements": [values]}), "one.yaml")
    assert not problems


# --- structured data ----------------------------------------------------------------------------

def graph(text: str) -> list[dict]:
    return json.loads(text)["@graph"]


def test_registry_organisations_are_organizations(demo):
    quotes = [n for n in graph(demo["speakers/amazon.md.jsonld"]) if n["@type"] == "Quotation"]
    assert quotes and all(q["spokenByCharacter"] == {"@type": "Organization", "name": "Amazon"} for q in quotes)
    pompeo = [n for n in graph(demo["speakers/mike-pompeo.md.jsonld"]) if n["@type"] == "Quotation"]
    assert all(q["spokenByCharacter"]["@type"] == "Person" for q in pompeo)


def test_claim_review_is_complete(demo):
    review = next(n for n in graph(demo["speakers/amazon.md.jsonld"]) if n["@type"] == "ClaimReview")
    assert review["url"] == "https://factsheet.example.org/speakers/amazon/#s-0954c7"
    assert review["datePublished"] == "2020-07-11"
    assert review["author"] == {"@type": "Organization", "name": "Demo Fact-Check Desk",
                                "url": "https://factsheet.example.org/"}
    assert review["reviewRating"]["alternateName"] == "True"
    assert (review["reviewRating"]["ratingValue"], review["reviewRating"]["bestRating"]) == (6, 6)
    assert review["itemReviewed"]["author"]["@type"] == "Organization"


def test_claim_review_urls_follow_use_directory_urls():
    opts = options.site_options(site_url="https://x.example/news/", directory_urls=False)
    assert opts.page_url("speakers/amazon.md", "s-a") == "https://x.example/news/speakers/amazon.html#s-a"
    assert opts.page_url("index.md") == "https://x.example/news/"
    assert options.SiteOptions().page_url("speakers/amazon.md") is None


def test_the_serve_cache_gives_the_same_pages_with_options():
    opts = options.site_options(publisher={"name": "Desk", "url": "https://desk.example/"},
                                site_url="https://desk.example/")
    facts = [fact("s-a", "We love it.", "one", rating="False", verdict="No."),
             fact("s-b", "they love it", "one", kind="indirect", speaker="Amazon")]
    people = [Person(id="amazon", name="Amazon", kind="organization")]
    cache = RenderCache()
    first = texts(render.render_all(articles("one"), facts, people, options=opts, cache=cache))
    again = texts(render.render_all(articles("one"), facts, people, options=opts, cache=cache))
    scratch = render.render_all(articles("one"), facts, people, options=opts)
    assert first == again == scratch
    other = texts(render.render_all(articles("one"), facts, people, options=options.site_options(), cache=cache))
    assert other == render.render_all(articles("one"), facts, people)
    assert other["speakers/amazon.md.jsonld"] != first["speakers/amazon.md.jsonld"]


def test_new_reviewer_fields_leave_existing_records_unreviewed(demo):
    # Fingerprints written before reviewed_by/reviewed_on/said_at existed still match: no machine
    # guess is promoted to "reviewed" by an upgrade; the records an editor rated or timed are.
    rows = json.loads(demo["facts.json"])["rows"]
    status = {row["record"]: row["status"] for row in rows}
    edited = {"s-489d80", "s-68a794", "s-f4eca5", "s-396209", "s-30576e", "s-b94067"}
    assert {status[r] for r in edited} == {"reviewed"}
    assert {s for r, s in status.items() if r not in edited} == {"extracted"}


def test_data_rows_carry_every_published_field(demo):
    rows = json.loads(demo["facts.json"])["rows"]
    rated = next(row for row in rows if row["record"] == "s-489d80")
    assert (rated["rating"], rated["reviewed_by"], rated["reviewed_on"]) == ("True", "Demo editor", "2020-07-11")
    assert rated["permalink"] == "https://factsheet.example.org/speakers/amazon/#s-0954c7"
    assert rated["said_on_inferred"] is True and rated["said_on_precision"] == "day"
    assert rated["excerpt"].startswith('"This morning’s email')
    header = demo["facts.csv"].splitlines()[0].split(",")
    assert header == list(rows[0]) == render.data._COLUMNS
    for column in render.data._COLUMNS:
        assert column in demo["downloads.md"], column  # the columns are documented


def test_the_feed_has_one_entry_per_statement(demo):
    import feedparser

    feed = feedparser.parse(demo["feed.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    sheet = content.load_sheet(ROOT / "content")
    statements = {row["statement"] for row in json.loads(demo["facts.json"])["rows"]}
    assert len(feed.entries) == len(statements) == len({e.id for e in feed.entries})
    assert {e.link.rsplit("#", 1)[1] for e in feed.entries} == statements
    rated = feed.entries[0]  # the newest change first: the review of 11 July
    assert rated.link == "https://factsheet.example.org/speakers/amazon/#s-0954c7"
    assert rated.updated.startswith("2020-07-11") and rated.title.endswith("[True]")
    assert "BuzzFeed News, The Independent. Verdict:" in rated.summary
    pompeo = next(e for e in feed.entries if e.link.endswith("#s-7c1c3d"))
    assert pompeo.title == "Mike Pompeo said that the US government is considering banning the app"
    assert sheet.articles


@pytest.mark.parametrize("site_options", [options.SiteOptions(), options.site_options(
    publisher={"name": "Desk & <Co>", "url": "https://desk.example/"}, site_url="https://desk.example/",
    licence="CC BY 4.0")])
def test_the_feed_is_the_text_feedgen_writes_with_every_entry_in_it(site_options):
    # Each entry is written on its own and put into the feed's text (the serve cache keeps the
    # texts): the result must be feedgen's own, entries and all, for hostile text too.
    hostile = "<b>x</b> & ]]> \n second line\ttab “quoted” é 😀"
    facts = [fact("s-a", "We love it.", "one", rating="False", verdict=hostile),
             fact("s-b", hostile, "two", kind="indirect", speaker="A\nB"),
             fact("s-c", "They said it.", "one", speaker="Someone Else")]
    merged = render.merge_statements(facts, articles("one", "two"), [], None)
    site = render.index_site(list(merged.ordered), articles("one", "two"), [], "", "Sheet <&>")
    site.options = site_options
    fg = render.data.feed_generator(site)
    updates = []
    for statement in sorted(site.statements, key=lambda s: (render.data._statement_updated(s), s.id), reverse=True):
        updates.append(render.data._statement_updated(statement))
        fg.add_entry(render.data.feed_entry(statement, updates[-1], site_options), order="append")
    fg.updated(render.data.newest_update(updates))
    whole = fg.atom_str(pretty=True).decode("utf-8")
    assert render.data.atom_feed(site) == whole
    assert render.data.atom_feed(site, RenderCache()).text() == whole
    assert whole.count("<entry>") == 3


def test_the_feed_keeps_hostile_text_as_text():
    import feedparser

    payload = "<script>alert('pwn')</script> & ]]>"
    pages = render.render_all(articles("one"), [fact("s-a", payload, "one", verdict=payload)], [])
    assert "<script>" not in pages["feed.xml"]
    feed = feedparser.parse(pages["feed.xml"])
    assert not feed.bozo and len(feed.entries) == 1
    assert feed.entries[0].id == "tag:factsheet,2020:s-a" and feed.entries[0].link == "speakers/amazon/#s-a"


def test_facts_json_validates_against_its_published_schema(demo):
    import jsonschema

    schema = json.loads(demo["facts.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(demo["facts.json"]), schema, format_checker=jsonschema.FormatChecker())
    broken = json.loads(demo["facts.json"])
    broken["rows"][0]["start"] = "1348"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    assert "facts.schema.json" in demo["downloads.md"]


def test_facts_json_carries_its_generated_day_and_the_newsroom_licence(demo, monkeypatch):
    data = json.loads(demo["facts.json"])
    assert data["licence"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert data["publisher"]["name"] == "Demo Fact-Check Desk"
    assert dt.date.fromisoformat(data["generated"]) <= dt.datetime.now(dt.timezone.utc).date()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1594400000")  # reproducible builds fix the day
    pages = render.render_all(articles("one"), [fact("s-a", "We love it.", "one")], [])
    unset = json.loads(pages["facts.json"])
    assert unset["generated"] == "2020-07-10" and unset["licence"] is None and unset["publisher"] is None
    for word in ("generated", "licence", "rows"):
        assert f"`{word}`" in demo["downloads.md"], word


def test_the_feed_drops_characters_xml_cannot_hold():
    import feedparser

    pages = render.render_all(articles("one"), [fact("s-a", "We\x00 love\x1b it\ufffe.", "one", rating="Tru\x07e")], [])
    feed = feedparser.parse(pages["feed.xml"])
    assert not feed.bozo and feed.entries[0].title == "Amazon: “We  love  it .” [Tru e]"
