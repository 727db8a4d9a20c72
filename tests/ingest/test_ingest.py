"""Ingest: text and Markdown articles, their metadata, paragraphs and offsets, and refusals."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT, write

from generator import extract, ingest
from generator.errors import FactsheetError
from generator.ingest import encoding


def test_paragraph_text_is_the_article_text_at_its_offsets(tmp_path):
    path = write(tmp_path / "a.txt", "Headline here\n\nFirst paragraph.\nSecond line one.\n\n\nThird.\n")
    article = ingest.load_article(path)
    assert [p.text for p in article.paragraphs] == ["Headline here", "First paragraph.", "Second line one.", "Third."]
    for p in article.paragraphs:
        assert article.text[p.start:p.end] == p.text


@pytest.mark.parametrize("mark", ["\u202a", "\ufeff", "\u200b"])
def test_invisible_format_characters_do_not_open_a_paragraph(mark):
    """A pasted quotation's "\u202a" is not the paragraph's first character, so the mark after it opens it."""
    text = f"Headline\n\n{mark}”We are proud,” said Ann Roe.\n"
    article = ingest.article_from_text(text, "t.txt")
    para = article.paragraphs[1]
    assert para.text == "”We are proud,” said Ann Roe." and text[para.start:para.end] == para.text


def test_hard_wrapped_lines_stay_one_paragraph(tmp_path):
    path = write(tmp_path / "a.txt", "The minister said the plan\nwould be announced on Monday.\n\nNext.\n")
    article = ingest.load_article(path)
    assert article.paragraphs[0].text == "The minister said the plan\nwould be announced on Monday."


def test_date_header_is_read_and_not_a_paragraph(tmp_path):
    path = write(tmp_path / "a.txt", " date 2020-07-10 According to the email, staff must act.\n\nMore.\n")
    article = ingest.load_article(path)
    assert article.published == dt.date(2020, 7, 10)
    assert article.paragraphs[0].text.startswith("According to")


@pytest.mark.parametrize("header", [
    "Amazon bans TikTok\ndate 2020-07-10\noutlet: BuzzFeed News\nurl https://example.org/a\n",
    "title: Amazon bans TikTok\nurl: https://example.org/a\nDate: 2020-07-10\noutlet: BuzzFeed News\n\n",
    "Amazon bans TikTok\noutlet: BuzzFeed News\nurl: https://example.org/a\ndate 2020-07-10\n\n",
])
def test_txt_header_lines_give_title_date_outlet_url_and_are_never_paragraphs(tmp_path, header):
    article = ingest.load_article(write(tmp_path / "a.txt", header + '"We will win," the mayor said.\n'))
    assert (article.title, article.published, article.outlet, article.url) == (
        "Amazon bans TikTok", dt.date(2020, 7, 10), "BuzzFeed News", "https://example.org/a")
    assert [p.text for p in article.paragraphs] == ['"We will win," the mayor said.']
    assert not article.guessed


def test_a_headline_then_a_date_line_is_not_extracted_and_dates_the_statements(tmp_path):
    from generator import extract

    article = ingest.load_article(write(tmp_path / "a.txt", 'Mayor says "we will win"\ndate 2020-07-10\n\n'
                                                            '"We will win," the mayor said on Monday.\n'))
    statements = extract.extract(article, extract.load_nlp("rules"))
    assert [s.quote for s in statements] == ["We will win,"]
    assert statements[0].said_on.date == dt.date(2020, 7, 6)


def test_an_impossible_header_date_is_located(tmp_path):
    with pytest.raises(FactsheetError) as info:
        ingest.load_article(write(tmp_path / "a.txt", "Headline\ndate 2020-02-31\n\nBody.\n"), "a.txt")
    assert str(info.value) == "a.txt:2: date: expected a real day, got '2020-02-31' (hint: write the day as YYYY-MM-DD)"


def test_first_line_headline_is_a_guessed_title(tmp_path):
    article = ingest.load_article(write(tmp_path / "a.txt", "Minister resigns\nShe said it was time.\n"))
    assert article.title == "Minister resigns"
    assert "title" in article.guessed


def test_front_matter_wins_and_offsets_count_the_whole_file(tmp_path):
    text = "---\ntitle: Given title\noutlet: The Daily\npublished: 2021-03-04\n---\nGuessed title\n\nBody text here.\n"
    article = ingest.load_article(write(tmp_path / "story.md", text))
    assert (article.title, article.outlet, article.published) == ("Given title", "The Daily", dt.date(2021, 3, 4))
    assert "title" not in article.guessed
    body = article.paragraphs[-1]
    assert text[body.start:body.end] == "Body text here."


@pytest.mark.parametrize("front, field, message, line", [
    ("titel: X", "titel", "did you mean 'title'?", 2),
    ("published: last week", "published", "expected a date like 2020-07-10", 2),
    ("title: [a, b]", "title", "expected text", 2),
    ("title: x\n\tauthor: y", None, "tabs", 3),
    ("title: !!python/object:os.system x", None, "tags such as !!python/object are not allowed", 2),
    ("title: a\ntitle: b", "title", "duplicate key", 3),
])
def test_bad_front_matter_is_located(tmp_path, front, field, message, line):
    path = write(tmp_path / "bad.md", f"---\n{front}\n---\nText.\n")
    with pytest.raises(FactsheetError) as info:
        ingest.load_article(path)
    problem = info.value.problems[0]
    assert message in str(problem)
    assert problem.line == line
    if field:
        assert problem.field == field


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"  \n", "the file is empty"),
    ("nul.txt", b"abc\x00def", "NUL bytes"),
    ("doc.pdf", b"%PDF-1.4", "'.pdf' files are not articles"),
    ("img.png", b"\x89PNG\r\n", "'.png' files are not articles"),
])
def test_files_that_are_not_articles_are_refused(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(FactsheetError, match=message.replace("(", r"\(").replace(".", r"\.")):
        ingest.load_article(path)


def test_huge_files_are_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(encoding, "MAX_BYTES", 1000)
    path = write(tmp_path / "big.txt", "word " * 1000)
    with pytest.raises(FactsheetError, match="articles are limited to"):
        ingest.load_article(path)


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    write(tmp_path / "good.txt", "A quote, she said.\n")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01")
    articles, problems = ingest.load_articles(tmp_path)
    assert [a.id for a in articles] == ["good"]
    assert len(problems) == 1 and "bad.txt" in problems[0].path


def test_publisher_boilerplate_is_not_part_of_the_article():
    article = ingest.load_article(ROOT / "content" / "articles" / "independent-amazon-tiktok-ban.md")
    text = " ".join(p.text for p in article.paragraphs)
    for boilerplate in ("Your support helps us", "The A Word", "Join our commenting forum",
                        "Join thought-provoking", "Your support makes all the difference"):
        assert boilerplate not in text
    assert any(p.text.startswith("Amazon has walked back") for p in article.paragraphs)
    assert article.paragraphs[-1].text.startswith("Owned by Chinese tech company")


@pytest.mark.parametrize("note, kept", [
    ("Editor’s note: Donald Trump regularly incites political violence and is a serial liar who has "
     "repeatedly pledged to ban all Muslims from entering the U.S.", False),  # the publisher's standing note
    ("Editor’s\xa0note:\xa0Donald\xa0Trump is a\xa0serial liar who has repeatedly pledged to ban all Muslims "
     "from entering the U.S.", False),  # the same note with the page's no-break spaces
    ("Editor's Note: An article on Monday reported that the senator had said she would run again.", True),
])
def test_a_standing_editors_note_is_boilerplate_but_a_correction_is_not(note, kept):
    text = f"The mayor said the bridge would close in May.\n\n{note}\n\nThe council met on Friday.\n"
    article = ingest.article_from_text(text, "a.txt")
    assert (note in " ".join(p.text for p in article.paragraphs)) is kept
    assert any("pledged" in s.quote or "would run" in s.quote for s in extract.extract(article, None)) is kept


@pytest.mark.parametrize("text, slug", [
    ("Mike Pompeo", "mike-pompeo"), ("../../etc/passwd", "etc-passwd"), ("Zoë Ça", "zoe-ca"),
    ("", "untitled"), ("///", "untitled"),
])
def test_slugify_makes_safe_ids(text, slug):
    assert ingest.slugify(text) == slug
