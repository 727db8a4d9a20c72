"""`factsheet add-statement`: a statement the extractor missed, added by its words, with exact output."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write

from generator import content
from generator.cli import main

ARTICLE = ('Mayor wins\ndate 2020-07-10\n\n"We will win," the mayor said on Monday. Critics said: "We will win nothing."\n'
           '\nShe added, in a letter, that “the budget is balanced” this year.\n')
COMMENT = "# the desk: Jane Doe is the city treasurer\r\n"


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTSHEET_NLP", "rules")
    write(tmp_path / "content/articles/good.txt", ARTICLE)
    write(tmp_path / "content/people.yaml", "- name: Jane Doe\n  aliases: [Treasurer Doe]\n")
    assert run("extract").exit_code == 0
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_statement_is_added_reviewed_and_printed_and_the_file_kept_byte_for_byte(site):
    facts = site / "content/facts/good.yaml"
    before = facts.read_bytes().replace(b"\n", b"\r\n") + COMMENT.encode()  # CRLF and a comment of the desk
    facts.write_bytes(before)
    result = run("add-statement", "good", "the budget is balanced", "--speaker", "treasurer doe",
                 "--said-on", "2020-07-06", "--kind", "partial")
    assert result.exit_code == 0, result.output
    record = ("  - id: s-good-4e7d06\n"
              "    status: reviewed\n"
              "    speaker: Jane Doe\n"
              "    kind: partial\n"
              "    quote: the budget is balanced\n"
              "    said_on: 2020-07-06\n"
              "    citation:\n"
              "      start: 137\n"
              "      end: 159\n"
              "      excerpt: She added, in a letter, that “the budget is balanced” this year.\n")
    assert result.output == "added s-good-4e7d06 to content/facts/good.yaml:\n" + record
    after = facts.read_bytes()
    assert after == before + record.replace("\n", "\r\n").encode()
    assert ARTICLE[137:159] == "the budget is balanced"
    assert run("check").exit_code == 0
    assert not list(facts.parent.glob(".*.tmp"))


def test_the_nth_occurrence_is_taken_when_asked(site):
    result = run("add-statement", "content/articles/good.txt", "We will win", "--speaker", "a critic",
                 "--occurrence", "2", "--kind", "partial")
    assert result.exit_code == 0, result.output
    assert "      start: 84\n      end: 95\n" in result.output and "speaker: a critic\n" in result.output


@pytest.mark.parametrize("args, expected", [
    (["good", "We will win", "--speaker", "X"],
     "error: content/articles/good.txt: words: the words occur 2 times (at 4:2, 4:57) "
     "(hint: pass --occurrence N (1 to 2), or give more words)"),
    (["good", "We will win", "--speaker", "X", "--occurrence", "3"],
     "error: content/articles/good.txt: occurrence: there is no occurrence 3: the words occur 2 time(s) "
     "(hint: pass --occurrence 1 to 2)"),
    (["good", "We will lose", "--speaker", "X"],
     "error: content/articles/good.txt: words: the words 'We will lose' do not occur in the article "
     "(hint: copy them from the article exactly, as one passage)"),
    (["good", "We will win,", "--speaker", "X", "--occurrence", "1"],
     "error: content/facts/good.yaml:7: quote: the words are already statement s-good-fd99f3 "
     "(hint: edit that record (its speaker, kind, status) instead)"),
    (["nowhere", "We will win", "--speaker", "X"],
     "error: nowhere: no such article (hint: give an article file or the id of one in content/articles/)"),
])
def test_absent_ambiguous_or_known_words_are_refused_and_nothing_written(site, args, expected):
    facts = site / "content/facts/good.yaml"
    before = facts.read_bytes()
    result = run("add-statement", *args)
    assert result.exit_code == 1 and result.output == expected + "\n"
    assert facts.read_bytes() == before


def test_an_article_without_a_fact_file_is_refused(site):
    write(site / "content/articles/new.txt", '"Other words," the governor said.\n')
    result = run("add-statement", "new", "Other words", "--speaker", "the governor")
    assert result.exit_code == 1 and result.output == (
        "error: content/articles/new.txt: article 'new' has no fact file: run `factsheet extract` "
        "(hint: then add the statement the extractor missed)\n")


def test_a_fact_file_not_ending_in_its_statements_is_written_through_the_round_trip(site):
    facts = site / "content/facts/good.yaml"
    text = facts.read_text("utf-8")
    head, statements = text.split("statements:\n", 1)
    facts.write_text("statements:\n" + statements + "# kept\n" + head.split("\n", 1)[1], "utf-8")
    result = run("add-statement", "good", "the budget is balanced", "--speaker", "Jane Doe")
    assert result.exit_code == 0, result.output
    assert "# kept" in facts.read_text("utf-8") and run("check").exit_code == 0
    ff, _ = content.store.read_fact_file(facts)
    assert ff.records[-1].quote == "the budget is balanced" and ff.records[-1].status == "reviewed"
