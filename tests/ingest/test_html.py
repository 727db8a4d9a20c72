"""Saved web pages: main text, metadata, and the markup fixes of generator.ingest.html."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import FactsheetError
from generator.ingest import load_article
from generator.ingest.html import carries_statement, parse_html, provenance

BODY = [
    "The minister said on Tuesday that the government would act on the report before the end of the year.",
    "“We will not wait for another winter,” she told reporters in the capital, adding that the plan was ready.",
    "Critics said the plan came too late. “It is a year overdue,” said an opposition spokesman, Tom Fields.",
    "The plan will be published next week, officials said, after a cabinet meeting expected to approve it.",
]


def page(body: str, head: str = "") -> str:
    """A small news page around ``body``, with the metadata news sites put in their head."""
    return f"""<!DOCTYPE html>
<html><head><title>Minister promises action on housing | Daily Example</title>
<meta property="og:site_name" content="Daily Example">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2021-03-04T10:00:00Z">
<link rel="canonical" href="https://example.org/news/minister-housing">{head}
</head><body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article>{body}</article>
<footer><p>© Daily Example 2021. All rights reserved.</p></footer></body></html>"""


def paras(texts=BODY) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def test_metadata_and_text():
    article = parse_html(page("<h1>Minister promises action on housing</h1>" + paras()), "a.html")
    assert article.title == "Minister promises action on housing"
    assert article.author == "Jane Reporter"
    assert article.outlet == "Daily Example"
    assert article.url == "https://example.org/news/minister-housing"
    assert article.published == dt.date(2021, 3, 4)
    assert article.guessed == {"title", "author", "outlet", "url", "published"}
    assert [p.text for p in article.paragraphs] == BODY
    assert article.body == "\n\n".join(BODY)


def test_offsets_index_the_text():
    article = parse_html(page(paras()), "a.html")
    assert all(article.text[p.start:p.end] == p.text for p in article.paragraphs)
    assert article.text == article.body


def test_quotes_kept_as_written():
    texts = BODY[:3] + ['He said "no" twice and \'maybe\' once, then left the room without another word to anyone.']
    article = parse_html(page(paras(texts)), "a.html")
    assert "“We will not wait for another winter,”" in article.text
    assert 'He said "no" twice and \'maybe\' once' in article.text


def test_hover_cards_and_hidden_text_are_dropped():
    card = ('<span class="rollover-people"><a href="/p/1">Ann Lee</a><span class="rollover-people-block">'
            '<a href="/a/1">Ann Lee backs budget</a> <a href="/a/2">Lee on tour</a></span></span>')
    first = f"The committee chair, {card}, said on Monday that the vote would go ahead as planned next week."
    hidden = '<p style="display: none">Subscribers only: this text is hidden from readers of the page.</p>'
    article = parse_html(page(paras([first, *BODY[1:]]) + hidden + '<span class="sr-only">Skip</span>'), "a.html")
    assert article.paragraphs[0].text.startswith("The committee chair, Ann Lee, said on Monday")
    assert "backs budget" not in article.text and "hidden from readers" not in article.text


def test_promotions_and_newsletter_boxes_are_dropped():
    promos = ('<p><strong>READ MORE:</strong> <a href="/x">Minister in row over housing figures</a></p>'
              "<h3>DON'T MISS</h3><ul><li><a href='/1'>Ten homes you can buy for a pound</a> [INSIGHT]</li>"
              "<li><a href='/2'>Housing market cools in spring</a></li></ul>"
              '<div class="newsletter-box"><h3>Morning Briefing</h3><p>Get the news every morning.</p>'
              "<p>Thanks for signing up!</p></div>")
    article = parse_html(page(paras(BODY[:2]) + promos + paras(BODY[2:])), "a.html")
    assert [p.text for p in article.paragraphs] == BODY


def test_split_body_is_joined():
    first = '<div class="article__body">' + paras(BODY[:2]) + "</div>"
    advert = '<div class="ad"><span>Advertisement</span></div>'
    more = [f"{t} The second half of the article goes on here, after the advertisement." for t in BODY[2:]]
    second = '<div class="article__body">' + paras(more) + "</div>"
    article = parse_html(page(first + advert + second), "a.html")
    assert [p.text for p in article.paragraphs] == BODY[:2] + more


@pytest.mark.parametrize("standfirst, kept", [
    ("Ministers are under pressure after a difficult winter for renters", False),
    ("“We will fix this,” the minister says as the housing crisis deepens", True),
])
def test_standfirst_kept_only_with_a_statement(standfirst, kept):
    article = parse_html(page(f"<h1>Minister promises action on housing</h1><h2>{standfirst}</h2>" + paras()), "a.html")
    assert (standfirst in article.text) is kept
    assert "Minister promises action on housing" not in article.text  # the headline is the title


def test_headline_with_a_statement_stays():
    article = parse_html(page("<h1>‘We will not wait’, minister says</h1>" + paras()), "a.html")
    assert article.paragraphs[0].text == "‘We will not wait’, minister says"


def test_carries_statement():
    assert carries_statement("Minister says plan is ready")
    assert carries_statement("Plague: ‘The plague is coming’")
    assert not carries_statement("Housing crisis deepens as winter nears")


def test_provenance_of_a_saved_copy_is_given_not_guessed():
    head = ("<!-- saved from url=(0033)https://example.org/news/original -->\n"
            "<!-- retrieved: 2024-05-06T07:08:09Z by factsheet add -->\n")
    article = parse_html(head + page(paras()), "a.html")
    assert article.url == "https://example.org/news/original"
    assert article.retrieved == dt.date(2024, 5, 6)
    assert "url" not in article.guessed
    assert provenance("<html></html>").url is None


def test_published_option_only_fills_a_missing_date():
    html = page(paras()).replace('<meta property="article:published_time" content="2021-03-04T10:00:00Z">', "")
    assert parse_html(html, "a.html", published=dt.date(2020, 1, 2)).published == dt.date(2020, 1, 2)
    assert parse_html(page(paras()), "a.html", published=dt.date(2020, 1, 2)).published == dt.date(2021, 3, 4)


def test_page_without_text_is_a_located_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Home</title></head><body><script>var a = 1;</script></body></html>", encoding="utf-8")
    with pytest.raises(FactsheetError) as info:
        load_article(path)
    assert str(path) in str(info.value) and "no article text" in str(info.value) and "hint:" in str(info.value)


def test_parse_json_of_a_saved_page(tmp_path):
    path = tmp_path / "story.htm"
    path.write_text(page(paras()), encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", "--json", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["body"] == "\n\n".join(BODY)
    assert (data["title"], data["author"], data["outlet"], data["published"]) == (
        "Minister promises action on housing", "Jane Reporter", "Daily Example", "2021-03-04")


@pytest.mark.parametrize("byline, names", [
    ("Analysis by Chris Roe; CNN Editor-at-large", "Chris Roe"),
    ("Greg Doe; Ap Sports Writer", "Greg Doe"),
    ("Phil Moe is a reporter", "Phil Moe"),
    ("ANN KIRK; JILL LAW Associated Press", "Ann Kirk; Jill Law"),
    ("Meg Kay; Erin Hay; Associated Press", "Meg Kay; Erin Hay"),
    ("Jeff Post Monday; November", "Jeff Post"),
    ("Reuters", "Reuters"),
    ("Jane Reporter", "Jane Reporter"),
])
def test_bylines_are_cleaned_to_names(byline, names):
    from generator.ingest.html import clean_author

    assert clean_author(byline) == names


def test_visible_headline_beats_the_social_title():
    head = '<meta property="og:title" content="Minister housing action: what we know">'
    article = parse_html(page("<h1>Minister promises housing action by spring</h1>" + paras(), head), "a.html")
    assert article.title == "Minister promises housing action by spring"
