"""Article files in the encodings newsrooms actually have: detected, never assumed."""
from __future__ import annotations

import pytest

from generator.errors import FactsheetError
from generator.ingest import decode, load_article
from generator.ingest.encoding import declared_charset, detect_encoding

TEXT = ("date 2020-07-10\n\n“We will not back down,” said the minister. It’s final – the café stays.\n\n"
        'The mayor said "maybe" and left; Zoë Müller, 42, déclaré « non ».\n')


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_text_files_decode_in_any_encoding(tmp_path, encoding):
    path = tmp_path / "story.txt"
    path.write_bytes(TEXT.encode(encoding))
    article = load_article(path)
    assert article.text == TEXT
    assert "“We will not back down,”" in article.body and '"maybe"' in article.body


def test_latin1_is_detected():
    text = "Le ministre a déclaré : « Nous ne céderons pas ». La société répond. Voilà, à la carte.\n"
    assert decode(text.encode("latin-1"), "x.txt") == text


def test_detection_prefers_windows_1252_among_equals():
    assert detect_encoding("Voilà the à la carte menu, “quoted” here.\n".encode("cp1252")) == "cp1252"


def test_crlf_is_kept_and_offsets_hold(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("cp1252"))
    article = load_article(path)
    assert "\r\n" in article.text
    assert all(article.text[p.start:p.end] == p.text for p in article.paragraphs)
    assert article.paragraphs[0].text.startswith("“We will not back down,”")


def test_markdown_front_matter_in_windows_1252(tmp_path):
    path = tmp_path / "story.md"
    path.write_bytes(("---\ntitle: Café “society”\nauthor: Zoë Roe\n---\n\n" + TEXT).encode("cp1252"))
    article = load_article(path)
    assert (article.title, article.author) == ("Café “society”", "Zoë Roe")
    assert "title" not in article.guessed


def page(charset: str) -> str:
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            "<title>Café</title></head><body><article>"
            + "".join(f"<p>{line} The council met on Monday to discuss it again at length.</p>"
                      for line in TEXT.splitlines()[2:] if line) + "</article></body></html>")


@pytest.mark.parametrize("label", ["windows-1252", "iso-8859-1", "latin1"])
def test_html_declared_charset_is_honoured(tmp_path, label):
    path = tmp_path / "story.html"
    path.write_bytes(page(label).encode("cp1252"))
    article = load_article(path)
    assert "“We will not back down,” said the minister. It’s final – the café stays." in article.text


def test_html_mislabelled_utf8_is_read_as_utf8(tmp_path):
    path = tmp_path / "story.html"
    path.write_bytes(page("iso-8859-1").encode("utf-8"))
    assert "It’s final – the café stays." in load_article(path).text


def test_declared_charset_names():
    assert declared_charset(b'<meta charset="UTF-8">') == "utf_8"
    assert declared_charset(b"<meta charset=latin1>") == "cp1252"
    assert declared_charset(b'<meta charset="no-such-charset">') is None
    assert declared_charset(b"<p>no declaration</p>") is None


def test_binary_is_refused_with_a_hint():
    with pytest.raises(FactsheetError, match=r"x\.txt: .*NUL bytes.*hint"):
        decode(b"PK\x03\x04\x00\x00binary", "x.txt")


def test_other_single_byte_encodings_still_detected():
    text = "Министр сказал: «Мы не отступим». Это окончательно, заявил он журналистам в понедельник.\n"
    assert decode(text.encode("cp1251"), "x.txt") == text
