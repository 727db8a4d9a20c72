"""When a statement was said, from the words around it (table-driven, with negative cases).

Publication is Friday 10 July 2020 throughout."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import articles, fact

from generator.extract import extract
from generator.extract.dates import find_date
from generator.ingest import article_from_text
from generator.merge import build_statements
from generator.model import SaidOn

PUBLISHED = dt.date(2020, 7, 10)
D = dt.date

DATED = [
    ("she said on Wednesday", SaidOn(D(2020, 7, 8))),
    ("she said Friday", SaidOn(D(2020, 7, 10))),  # the day of publication
    ("she said last Friday", SaidOn(D(2020, 7, 3))),  # "last" in Friday's paper is a week back
    ("he said yesterday", SaidOn(D(2020, 7, 9))),
    ("he said three days ago", SaidOn(D(2020, 7, 7))),
    ("he said 12 days ago", SaidOn(D(2020, 6, 28))),
    ("she said two weeks ago", SaidOn(D(2020, 6, 26), "week")),
    ("she said a month ago", SaidOn(D(2020, 6, 1), "month")),
    ("he told reporters last week", SaidOn(D(2020, 7, 3), "week")),
    ("she said earlier this month", SaidOn(D(2020, 7, 1), "month")),
    ("he said last month", SaidOn(D(2020, 6, 1), "month")),
    ("he said last year", SaidOn(D(2019, 1, 1), "year")),
    ("she said earlier this year", SaidOn(D(2020, 1, 1), "year")),
    ("she said a year ago", SaidOn(D(2019, 1, 1), "year")),
    # No day: a range ending at publication, marked as a guess, never the publication day itself.
    ("just days after the governor said", SaidOn(D(2020, 7, 3), "week", inferred=True)),
    ("he said a few days ago", SaidOn(D(2020, 7, 3), "week")),
    ("she recently said", SaidOn(D(2020, 7, 3), "week", inferred=True)),
    ("he said in recent days", SaidOn(D(2020, 7, 3), "week", inferred=True)),
    ("she said on July 6", SaidOn(D(2020, 7, 6))),
    ("she said on 6 July 2019", SaidOn(D(2019, 7, 6))),
]

NOT_DATED = [
    "she said",
    "two weeks before the vote, she said",  # counted from the vote, not from publication
    "after three days of talks, he said",
    "recent polls show, she said",
    "the days of the campaign, he said",
    "he said in a statement",
]


@pytest.mark.parametrize("words, said", DATED, ids=[w for w, _ in DATED])
def test_a_date_expression_is_read_against_publication(words, said):
    assert find_date(words, PUBLISHED) == said


@pytest.mark.parametrize("words", NOT_DATED)
def test_words_that_do_not_date_a_statement(words):
    assert find_date(words, PUBLISHED) is None


def test_a_statement_said_days_before_is_not_dated_to_the_publication_day():
    text = ("title: Council vote\ndate: 2020-07-10\n\nThe council voted on the budget.\n\n"
            "\"We will find the money somewhere, one way or another,\" council member Ana Ruiz said "
            "just days after the vote.\n")
    article = article_from_text(text, "council.txt")
    found = [a for a in extract(article) if "find the money" in a.quote]
    assert found and found[0].said_on == SaidOn(D(2020, 7, 3), "week", inferred=True)


def test_the_exact_date_of_another_source_is_used_and_credited():
    vague = fact("s-a", "We will find the money somewhere, one way or another", "one", speaker="Ana Ruiz",
                 said_on=D(2020, 7, 3), said_on_precision="week")
    exact = fact("s-b", "We will find the money somewhere, one way or another", "two", speaker="Ana Ruiz",
                 said_on=D(2020, 7, 6))
    [statement] = build_statements([vague, exact], articles("one", "two"), [])
    assert (statement.said_on, statement.said_on_precision) == (D(2020, 7, 6), "day")
    assert ("said_on", "two") in statement.filled
