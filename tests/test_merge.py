"""Merge: the records of the same words of one speaker, from several sources, become one statement;
different statements never join; the editors' same_as and not_same_as decide."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from conftest import articles, fact

from generator import merge, render
from generator.model import Citation, Person


@pytest.mark.parametrize("a, b, same", [
    ("This morning’s email was sent in error.", 'This morning\'s email was sent in error', True),
    ("We welcome a dialogue so we can address any issues they may have",
     "While we do not understand, we welcome a dialogue so we can address any issues they may have", True),
    ("We are looking at it.", "We are not looking at it at all, and never were.", False),
    ("in error", "an error", False),
    ("", "", False),
])
def test_same_words_tolerates_typography_and_truncation_only(a, b, same):
    assert merge.same_words(a, b) is same


def test_one_statement_from_two_sources_is_merged_with_both_citations():
    facts = [fact("s-a", "This morning’s email was sent in error.", "one"),
             fact("s-b", "This morning's email was sent in error", "two", speaker="Amazon spokesperson",
                  speaker_role="spokesperson", speaker_org="Amazon"),
             fact("s-c", "There is no change to our policies.", "one")]
    entries = render.build_statements(facts, articles("one", "two"), [])
    merged = [e for e in entries if len(e.sources) == 2]
    assert len(entries) == 2 and len(merged) == 1
    assert merged[0].id == "s-a" and merged[0].speaker == "Amazon spokesperson"


@pytest.mark.parametrize("b_kw, merged", [
    ({"speaker": "TikTok"}, False),  # different speakers never merge
    ({"article": "one", "at": 100}, False),  # one article's words said twice, in two places: two statements
    ({"not_same_as": ("s-a",)}, False),  # the editor says no
    ({}, True),
])
def test_merging_never_joins_different_statements(b_kw, merged):
    article, at = b_kw.pop("article", "two"), b_kw.pop("at", 0)
    words = "We are proud of our community."
    facts = [fact("s-a", words, "one"),
             replace(fact("s-b", words, article, **b_kw), citation=Citation(article, at, at + len(words), words))]
    entries = render.build_statements(facts, articles("one", "two"), [])
    assert (len(entries) == 1) is merged


@pytest.mark.parametrize("piece, speaker, merged", [
    ("We have no change to our policies.", "Amazon", True),  # the record of "B." inside '"A," it said. "B."'
    ("We have no change to our policies.", "TikTok", False),  # another speaker's
    ("We did not send it at all,", "Amazon", True),  # the record of "A,"
    ("send it at all,\" it said. \"We have", "Amazon", False),  # inside the span, but not the quote's words
])
def test_a_record_inside_another_of_its_article_is_one_statement(piece, speaker, merged):
    text = '"We did not send it at all," it said. "We have no change to our policies."'
    whole = replace(fact("s-a", "We did not send it at all, We have no change to our policies.", "one"),
                    citation=Citation("one", 1, len(text) - 1, text))
    at = text.index(piece)
    inside = replace(fact("s-b", piece, "one", speaker=speaker), citation=Citation("one", at, at + len(piece), piece))
    groups = merge.group_records([whole, inside], {})
    assert (len(groups) == 1) is merged, groups


@pytest.mark.parametrize("a_kw, c_kw", [
    ({"not_same_as": ("s-c",)}, {}),  # A~B and B~C by their words: A and C still apart
    ({}, {"not_same_as": ("s-a",)}),  # said on the other record
    ({"not_same_as": ("s-c",)}, {"same_as": ("s-b",)}),  # a forced join through B does not defeat it either
])
def test_not_same_as_is_not_defeated_by_a_third_record(a_kw, c_kw):
    words = "We are proud of our community and our people."
    facts = [fact("s-a", words, "one", **a_kw), fact("s-b", words, "two"), fact("s-c", words, "three", **c_kw)]
    groups = [{f.id for f in g} for g in merge.group_records(facts, {})]
    assert not any({"s-a", "s-c"} <= g for g in groups), groups
    assert len(groups) == 2


def test_editors_can_force_a_merge_and_the_registry_joins_aliases():
    facts = [fact("s-a", "Totally different words here.", "one", speaker="Pompeo", same_as=("s-b",)),
             fact("s-b", "Other words entirely.", "two", speaker="Mike Pompeo")]
    people = [Person(id="mike-pompeo", name="Mike Pompeo", aliases=("Pompeo",))]
    entries = render.build_statements(facts, articles("one", "two"), people)
    assert len(entries) == 1 and entries[0].speaker == "Mike Pompeo"


def test_a_date_one_source_gives_fills_the_merged_statement():
    facts = [fact("s-a", "We are looking at it seriously.", "one", said_on=dt.date(2020, 7, 10), said_on_inferred=True),
             fact("s-b", "We are looking at it seriously.", "two", said_on=dt.date(2020, 7, 6))]
    entry = render.build_statements(facts, articles("one", "two"), [])[0]
    assert entry.said_on == dt.date(2020, 7, 6) and ("said_on", "two") in entry.filled
