"""Merge: the records of the same words of one speaker, from several sources, become one statement;
different statements never join; the editors' same_as and not_same_as decide."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import articles, fact

from generator import merge, render
from generator.model import Person


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
    ({"article": "one"}, False),  # two records of one article are two statements
    ({"not_same_as": ("s-a",)}, False),  # the editor says no
    ({}, True),
])
def test_merging_never_joins_different_statements(b_kw, merged):
    article = b_kw.pop("article", "two")
    facts = [fact("s-a", "We are proud of our community.", "one"),
             fact("s-b", "We are proud of our community.", article, **b_kw)]
    entries = render.build_statements(facts, articles("one", "two"), [])
    assert (len(entries) == 1) is merged


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
