"""Editorial trust (issue 14): who vouches for a statement, same_as across speakers, a rejected
record that joined a group, and what `extract` and `check` say about records."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner
from conftest import write

from generator import ingest, options, render
from generator.cli import main
from generator.model import Citation, Person, Record


def record(rid, quote, article, speaker="Amazon", **kw):
    return Record(id=rid, quote=quote, kind=kw.pop("kind", "direct"), citation=Citation(article, 0, len(quote), quote),
                  speaker=speaker, **kw)


def articles(*ids):
    return {i: ingest.article_from_text("x" * 400, f"{i}.txt", article_id=i, published=dt.date(2020, 7, 10))
            for i in ids}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# --- who vouches for a statement ---------------------------------------------------------------

def test_reviewed_statements_say_the_newsroom_checked_them_and_machine_ones_that_nobody_has():
    records = [record("s-a", "We checked this one.", "one", status="reviewed"),
               record("s-b", "Nobody looked at this one.", "one", speaker="TikTok")]
    opts = options.site_options(publisher={"name": "Demo <Desk>", "url": "https://x.org/"})
    pages = render.render_all(articles("one"), records, [], options=opts)
    amazon, tiktok = pages["speakers/amazon.md"], pages["speakers/tiktok.md"]
    assert re.search(r'<span class="fs-review fs-reviewed">Checked by Demo &#60;Desk&#62;</span>', amazon)
    assert "not yet reviewed" not in amazon.lower()
    assert '<span class="fs-review fs-unreviewed">Not yet reviewed: found by software, not yet checked by an ' \
           'editor</span>' in tiktok


def test_a_statement_checked_in_one_source_of_two_says_so():
    records = [record("s-a", "We are proud of our community.", "one", status="reviewed"),
               record("s-b", "We are proud of our community.", "two")]
    page = render.render_all(articles("one", "two"), records, [])["speakers/amazon.md"]
    assert "Partly reviewed: 1 of 2 sources checked by the newsroom" in page


def test_the_unreviewed_option_hides_machine_records_from_the_site():
    records = [record("s-a", "We checked this one.", "one", status="reviewed"),
               record("s-b", "Nobody looked at this one.", "one", speaker="TikTok"),
               record("s-c", "We checked this one.", "two")]  # merged with s-a: its citation is not shown
    opts = options.site_options(unreviewed="hide")
    pages = render.render_all(articles("one", "two"), records, [], options=opts)
    assert "speakers/tiktok.md" not in pages and "Nobody looked" not in pages["facts.json"]
    assert "Reported by 1 article" in pages["speakers/amazon.md"]
    shown = render.render_all(articles("one", "two"), records, [])
    assert "speakers/tiktok.md" in shown


def test_the_unreviewed_option_is_checked():
    with pytest.raises(Exception, match="unreviewed: expected show or hide, got 'maybe'"):
        options.site_options(unreviewed="maybe")


# --- same_as between two speakers, rejected records ------------------------------------------

def test_a_rejected_record_that_joined_a_group_leaves_its_members_one_statement():
    words = "This morning's email was sent in error."
    records = [record("s-head", words, "one"), record("s-body", words, "one"),
               record("s-other", words, "two", status="rejected")]
    statements = render.build_statements(records, articles("one", "two"), [])
    assert len(statements) == 1 and statements[0].ids == ("s-body", "s-head")


def test_two_records_of_one_article_alone_stay_two_statements():
    words = "We are proud of our community."  # said twice, in two places (a headline and the body)
    records = [record("s-a", words, "one"),
               replace(record("s-b", words, "one"), citation=Citation("one", 100, 100 + len(words), words))]
    assert len(render.build_statements(records, articles("one"), [])) == 2


def test_the_data_download_keeps_each_records_own_speaker_under_a_same_as_across_speakers():
    records = [record("s-a", "We never said that.", "one", speaker="Mike Pompeo", same_as=("s-b",)),
               record("s-b", "We never said that at all.", "two", speaker="TikTok")]
    people = [Person(id="mike-pompeo", name="Mike Pompeo")]
    rows = render.render_all(articles("one", "two"), records, people)["facts.json"]
    assert '"record":"s-a","speaker":"Mike Pompeo"' in rows.replace(", ", ",").replace(": ", ":")
    assert '"record":"s-b","speaker":"TikTok"' in rows.replace(", ", ",").replace(": ", ":")


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTSHEET_NLP", "rules")
    write(tmp_path / "content/articles/one.txt", '"We will win the vote," the mayor said on Monday.\n')
    write(tmp_path / "content/articles/two.txt", '"Taxes will fall next year," the governor said on Monday.\n')
    assert run("extract").exit_code == 0
    return tmp_path


def test_check_warns_about_same_as_between_two_speakers(desk):
    one, two = desk / "content/facts/one.yaml", desk / "content/facts/two.yaml"
    other = re.search(r"id: (s-[\w-]+)", two.read_text("utf-8")).group(1)
    text = one.read_text("utf-8")
    one.write_text(text.replace("    kind: direct", f"    same_as: [{other}]\n    kind: direct", 1), "utf-8")
    result = run("check")
    assert result.exit_code == 0
    mine = re.search(r"id: (s-[\w-]+)", text).group(1)
    assert result.output.splitlines()[0] == (
        f"warning: content/facts/one.yaml:7: same_as: {mine} (mayor) is made one statement with {other} "
        "(governor): the site shows both under one speaker (hint: correct the speaker of one of them, or "
        "remove the same_as)")


# --- what extract and check say ------------------------------------------------------------------

def test_extract_force_reports_untouched_machine_records_as_up_to_date_not_kept(desk):
    result = run("extract", "--force")
    assert result.exit_code == 0
    assert result.output == ("one: 1 up to date\ntwo: 1 up to date\n"
                             "2 extracted, 0 unchanged; 0 added, 0 updated, 0 kept, 0 orphaned, 2 up to date\n")


def test_a_hand_added_quote_that_never_matched_is_not_told_the_article_changed(desk):
    added = run("add-statement", "one", "We will win the vote", "--speaker", "the mayor", "--occurrence", "1",
                "--kind", "partial")
    facts = desk / "content/facts/one.yaml"
    if added.exit_code:  # the extractor has the words already: edit the machine's record instead
        facts.write_text(facts.read_text("utf-8").replace("quote: We will win the vote,",
                                                         "quote: We will lose the vote,"), "utf-8")
    else:
        facts.write_text(facts.read_text("utf-8").replace("quote: We will win the vote\n",
                                                         "quote: We will lose the vote\n"), "utf-8")
    result = run("check")
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "does not match" in line)
    assert "the article changed" not in line and "run `factsheet extract`" not in line
    assert line.endswith("(hint: a quote must be the source's exact words (mark omissions with ...): fix the quote "
                         "or the offsets, or set status: rejected)")
    write(desk / "content/articles/one.txt", 'Correction.\n\n"We will win the vote," the mayor said on Monday.\n')
    after = next(line for line in run("check").output.splitlines() if "does not match" in line)
    assert after.endswith("the article changed since `factsheet extract` last ran: run it to move the records' "
                          "offsets, then fix what it reports)")



# --- speaker pages by stable id ---------------------------------------------------------------

def test_a_registry_speakers_page_is_named_by_its_id_and_former_ids_redirect():
    records = [record("s-a", "We never said that.", "one", speaker="Pompeo"),
               record("s-b", "Other words.", "one", speaker="Jane Roe")]
    people = [Person(id="mike-pompeo", name="Michael R. Pompeo", aliases=("Pompeo",), former_ids=("pompeo-old",))]
    pages = render.render_all(articles("one"), records, people)
    assert "speakers/mike-pompeo.md" in pages and "speakers/michael-r-pompeo.md" not in pages
    assert "speakers/jane-roe.md" in pages  # not in the registry: named after the name, as before
    assert pages["speakers/pompeo-old.md.redirect"] == "speakers/mike-pompeo.md"


def test_one_page_address_belongs_to_one_speaker(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "content/people.yaml", "- name: A One\n  id: one\n- name: B Two\n  former_ids: [one]\n")
    result = run("check")
    assert "error: content/people.yaml:3: former_ids: the address 'one' is already the page of A One (hint: one " \
           "page address belongs to one speaker: give another id, or remove it from former_ids)" in result.output


def test_a_renamed_articles_former_id_in_its_front_matter_redirects_its_old_source_page():
    article = ingest.article_from_text("---\ntitle: T\nformer_ids: [old-name]\n---\n\"We will win,\" the mayor said.\n",
                                       "content/articles/new-name.md", suffix=".md")
    assert article.former_ids == ("old-name",)
    pages = render.render_all({article.id: article}, [record("s-a", "We will win,", article.id)], [])
    assert pages["sources/old-name.md.redirect"] == "sources/new-name.md"
