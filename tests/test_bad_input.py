"""Bad input is refused clearly: one line with file, line, field and hint; exit 1; no traceback
unless --verbose; nothing written half-way; every other article still processed.

Each table row is one bad input and the exact message it must produce. The commands run in this
process through click's CliRunner, with the rules extractor (no model to load: fast).
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write

from generator.cli import main
from generator.content import jobs

GOOD_ARTICLE = 'date 2020-07-10\n\n"We will win," the mayor said on Monday.\n'


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """A small project: one good article, run from its folder, with the rules extractor."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTSHEET_NLP", "rules")
    write(tmp_path / "content/articles/good.txt", GOOD_ARTICLE)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def assert_refused(result, expected: str) -> None:
    """Exit 1, the expected message as one whole line, no traceback, every line one problem."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.splitlines()
    assert expected in lines, "\n".join(lines)
    assert "Traceback" not in result.output
    for line in lines:
        if line.startswith("error: "):
            assert re.match(r"error: [^:\s]+(:\d+(:\d+)?)?: ", line), line


def leftovers(folder: Path) -> list[Path]:
    """Temporary files an interrupted or failed write would leave behind."""
    return [p for p in folder.rglob("*") if p.name.startswith(".") and p.name.endswith(".tmp")]


# --- article files ---------------------------------------------------------------------------

def _binary() -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(256) for _ in range(4000)) + b"\x00"


def _binary_without_nul() -> bytes:
    rng = random.Random(11)
    return bytes(rng.randrange(1, 256) for _ in range(4000))


ARTICLES = [
    ("empty", "bad.txt", b"",
     "error: content/articles/bad.txt: the file is empty (hint: delete it or paste the article text into it)"),
    ("only whitespace", "bad.txt", b"  \n\n\t\r\n",
     "error: content/articles/bad.txt: the file is empty (hint: delete it or paste the article text into it)"),
    ("binary", "bad.txt", _binary(),
     "error: content/articles/bad.txt: the file contains NUL bytes: it is binary, not text "
     "(hint: save the article as .txt, .md or .html)"),
    ("NUL bytes in text", "bad.md", b'"We will win,"\x00 the mayor said.\n',
     "error: content/articles/bad.md: the file contains NUL bytes: it is binary, not text "
     "(hint: save the article as .txt, .md or .html)"),
    ("binary without NUL", "bad.txt", _binary_without_nul(),
     "error: content/articles/bad.txt:1: cannot decode the text (byte 3 is not UTF-8) (hint: save the file as UTF-8)"),
    ("truncated UTF-8", "bad.txt", '"Ça va," the mayor said.\n\n"Très bien, merci," she said. Café'.encode()[:-1],
     "error: content/articles/bad.txt:3: the file ends in the middle of a character: it was cut off "
     "(hint: save or download the whole article again)"),
    ("truncated front matter", "bad.md", b"---\ntitle: Half a file\npublished: 2020-07-10\n",
     "error: content/articles/bad.md:1: ---: front matter is not closed "
     "(hint: end the front matter with a line of three dashes (---))"),
    ("a PDF dropped in", "report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
     "error: content/articles/report.pdf: '.pdf' files are not articles "
     "(hint: articles are .txt, .md or .html; move other files out of content/articles/)"),
    ("an image dropped in", "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
     "error: content/articles/photo.png: '.png' files are not articles "
     "(hint: articles are .txt, .md or .html; move other files out of content/articles/)"),
    ("a file without suffix", "README", b"notes",
     "error: content/articles/README: 'README' files are not articles "
     "(hint: articles are .txt, .md or .html; move other files out of content/articles/)"),
    ("front matter syntax error", "bad.md", b'---\ntitle: "unterminated\n---\nbody\n',
     "error: content/articles/bad.md:3:1: invalid YAML: found unexpected end of stream "
     "(hint: check the quotes, brackets and indentation on this line and the one before)"),
    ("front matter unknown field", "bad.md", b"---\ntitel: x\n---\nbody\n",
     "error: content/articles/bad.md:2: titel: unknown field (hint: did you mean 'title'?)"),
    ("front matter vague date", "bad.md", b"---\npublished: last week\n---\nbody\n",
     "error: content/articles/bad.md:2: published: expected a date like 2020-07-10, got 'last week' "
     "(hint: write the date as YYYY-MM-DD)"),
    ("front matter impossible date", "bad.md", b"---\npublished: 2020-02-31\n---\nbody\n",
     "error: content/articles/bad.md:2:12: published: invalid value '2020-02-31': day is out of range for month "
     "(hint: write dates as YYYY-MM-DD, a real day of the calendar)"),
    ("a far-future published date", "bad.md", b"---\npublished: 9999-12-31\n---\nbody\n",
     "error: content/articles/bad.md:2: published: 9999-12-31 is in the future "
     "(hint: check the year; write the day the article appeared)"),
    ("a far-future retrieved date", "bad.md", b"---\nretrieved: 3020-01-01\n---\nbody\n",
     "error: content/articles/bad.md:2: retrieved: 3020-01-01 is in the future "
     "(hint: check the year; write the day the article appeared)"),
    ("front matter without a body", "bad.md", b"---\ntitle: Only a title\n---\n",
     "error: content/articles/bad.md:3: the article has front matter but no text after it "
     "(hint: paste the article text below the closing ---)"),
    ("front matter and only whitespace", "bad.md", "---\ntitle: Only a title\n---\n\n \u3000\n\u200b\n".encode(),
     "error: content/articles/bad.md:3: the article has front matter but no text after it "
     "(hint: paste the article text below the closing ---)"),
    ("front matter list", "bad.md", b"---\n- a\n- b\n---\nbody\n",
     "error: content/articles/bad.md:1: front matter must be a mapping of fields "
     "(hint: write fields as 'title: ...', one per line)"),
    ("front matter wrong type", "bad.md", b"---\ntitle: [a, b]\n---\nbody\n",
     "error: content/articles/bad.md:2: title: expected text, got list ['a', 'b'] (hint: write 'title: ...' on one line)"),
    ("front matter python tag", "bad.md", b"---\ntitle: !!python/object/apply:os.system ['touch PWNED']\n---\nbody\n",
     "error: content/articles/bad.md:2:8: invalid YAML: could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object/apply:os.system' "
     "(hint: tags such as !!python/object are not allowed; write plain values)"),
    ("front matter path as id", "bad.md", b"---\nid: ../../etc/x\n---\nbody\n",
     "error: content/articles/bad.md:2: id: invalid id '../../etc/x' "
     "(hint: use lowercase letters, digits and hyphens, like amazon-tiktok-ban)"),
    ("front matter duplicate key", "bad.md", b"---\ntitle: a\ntitle: b\n---\nbody\n",
     "error: content/articles/bad.md:3:1: title: duplicate key (first given on line 2) "
     "(hint: keep one of the two; YAML would silently drop the first)"),
    ("duplicate article id", "good.md", b"---\ntitle: Another good\n---\nbody\n",
     "error: content/articles/good.txt: id: article id 'good' is also used by content/articles/good.md "
     "(hint: rename one of the files, or give it an 'id:' in its front matter)"),
    ("a file name with a newline", "bad\nerror: forged.pdf", b"x",
     "error: content/articles/bad\\nerror: forged.pdf: '.pdf' files are not articles "
     "(hint: articles are .txt, .md or .html; move other files out of content/articles/)"),
    ("a file name with terminal escape codes", "bad\x1b[2J\x07.pdf", b"x",
     "error: content/articles/bad\\x1b[2J\\x07.pdf: '.pdf' files are not articles "
     "(hint: articles are .txt, .md or .html; move other files out of content/articles/)"),
    ("a file name with a line separator", "bad\u2028x.pdf", b"x",
     "error: content/articles/bad\\u2028x.pdf: '.pdf' files are not articles "
     "(hint: articles are .txt, .md or .html; move other files out of content/articles/)"),
    ("NUL behind a UTF-8 byte-order mark", "bad.txt", b"\xef\xbb\xbf\"We will win,\" the mayor said.\n\x00\n",
     "error: content/articles/bad.txt:2: the file contains NUL characters: it is binary, not text "
     "(hint: save the article as .txt, .md or .html)"),
    ("NUL in UTF-16", "bad.txt", '"We will win," the mayor said.\n\n\x00'.encode("utf-16"),
     "error: content/articles/bad.txt:3: the file contains NUL characters: it is binary, not text "
     "(hint: save the article as .txt, .md or .html)"),
    ("NUL in UTF-16 without a byte-order mark", "bad.txt", '"We will win," the mayor said.\x00'.encode("utf-16-le"),
     "error: content/articles/bad.txt:1: the file contains NUL characters: it is binary, not text "
     "(hint: save the article as .txt, .md or .html)"),
    ("UTF-8 and Windows-1252 paragraphs", "bad.txt",
     '"Ça va," Zoë said.\n\n'.encode() + '"Très bien," the café owner said.\n'.encode("cp1252"),
     "error: content/articles/bad.txt:3: the file mixes encodings: line 1 is UTF-8, line 3 is not "
     "(hint: save the whole article as UTF-8)"),
    ("only Unicode whitespace", "bad.txt", "\u3000\u2003\u00a0\n\u2029\n".encode(),
     "error: content/articles/bad.txt: the file is empty (hint: delete it or paste the article text into it)"),
    ("only invisible characters behind a byte-order mark", "bad.txt", "\u200b\u2060\n \u200d".encode("utf-8-sig"),
     "error: content/articles/bad.txt: the file is empty (hint: delete it or paste the article text into it)"),
    ("a saved page without text", "bad.html", b"<html><head><script>x()</script></head><body></body></html>",
     "error: content/articles/bad.html: no article text found in the page "
     "(hint: save the page again once it has fully loaded, or paste its text into a .txt file)"),
]


@pytest.mark.parametrize("name, filename, data, expected", ARTICLES, ids=[row[0] for row in ARTICLES])
def test_bad_article_files_are_refused_and_the_others_still_extracted(site, name, filename, data, expected):
    (site / "content/articles" / filename).write_bytes(data)
    result = run("extract")
    assert_refused(result, expected)
    assert (site / "content/facts/good.yaml").is_file() or name == "duplicate article id"
    assert "We will win," in "".join(p.read_text() for p in (site / "content/facts").glob("*.yaml")) \
        or name == "duplicate article id"
    bad_id = Path(filename).stem.lower()
    assert not (site / f"content/facts/{bad_id}.yaml").exists() or bad_id == "good"
    assert not leftovers(site / "content")
    assert not (site / "PWNED").exists()
    check = run("check")  # check says the same
    assert_refused(check, expected)


def test_a_huge_article_is_refused_before_it_is_read(site):
    huge = site / "content/articles/huge.txt"
    with open(huge, "wb") as handle:  # 30 MB, sparse: the size is checked before anything is read
        handle.truncate(30 * 2**20)
    result = run("extract")
    assert_refused(result, "error: content/articles/huge.txt: the file is 30 MB; articles are limited to 20 MB "
                           "(hint: split it, or remove what is not the article)")
    assert (site / "content/facts/good.yaml").is_file()


def test_a_huge_article_of_real_text_is_refused_too(site):
    line = ("The council met again on Tuesday and the mayor said the budget would pass. " * 10 + "\n\n").encode()
    (site / "content/articles/huge.txt").write_bytes(line * (21 * 2**20 // len(line) + 1))
    result = run("extract")
    assert_refused(result, "error: content/articles/huge.txt: the file is 21 MB; articles are limited to 20 MB "
                           "(hint: split it, or remove what is not the article)")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-8-sig", "utf-16-le", "utf-16-be"])
def test_non_utf8_articles_are_decoded_not_refused(site, encoding):
    text = '"Nous ne céderons pas," the minister said. Zoë Müller agreed: "déjà vu."\n'
    (site / "content/articles/foreign.txt").write_bytes(text.encode(encoding))
    result = run("extract")
    assert result.exit_code == 0, result.output
    facts = (site / "content/facts/foreign.yaml").read_text("utf-8")
    assert "Nous ne céderons pas," in facts


def test_verbose_shows_the_traceback_of_a_refusal(site):
    (site / "content/articles/bad.md").write_bytes(b"---\ntitel: x\n---\nbody\n")
    quiet = run("parse", "content/articles/bad.md")
    assert quiet.exit_code == 1 and "Traceback" not in quiet.output
    loud = CliRunner().invoke(main, ["--verbose", "parse", "content/articles/bad.md"])
    assert loud.exit_code == 1 and loud.exc_info is not None and loud.exc_info[0].__name__ == "FactsheetError"


# --- fact files (YAML typed by editors) ---------------------------------------------------------

RECORD = '''article: good
statements:
  - id: s-1
    status: reviewed
    speaker: the mayor
    kind: direct
    quote: We will win,
    said_on: 2020-07-06
    citation:
      start: 18
      end: 31
'''
F = "error: content/facts/good.yaml"
QUOTE_HINT = ("a quote must be the source's exact words (mark omissions with ...): fix the quote or the offsets, "
              "or set status: rejected")
FACT_FILES = [
    ("syntax error", RECORD.replace("kind: direct", "kind: [direct"),
     f"{F}:7:10: invalid YAML: did not find expected ',' or ']' "
     "(hint: check the quotes, brackets and indentation on this line and the one before)"),
    ("tab indentation", RECORD.replace("    kind: direct", "\tkind: direct"),
     f"{F}:6:1: invalid YAML: found a tab character that violates indentation "
     "(hint: YAML does not allow tabs for indentation; use spaces)"),
    ("unclosed quote", RECORD.replace("quote: We will win,", 'quote: "We will win,'),
     f"{F}:12:1: invalid YAML: found unexpected end of stream "
     "(hint: check the quotes, brackets and indentation on this line and the one before)"),
    ("wrong type: list for text", RECORD.replace("quote: We will win,", "quote: [1, 2]"),
     f"{F}:7:5: quote: expected text, got list [1, 2] (hint: write 'quote: ...' on one line)"),
    ("wrong type: text for offsets", RECORD.replace("start: 18", 'start: "eighteen"'),
     f"{F}:10:7: citation.start: expected a character offset (a whole number, 0 or more), got 'eighteen' "
     "(hint: copy the offsets from the extracted record)"),
    ("wrong type: boolean id", RECORD.replace("id: s-1", "id: yes"),
     f"{F}:3:5: id: expected text, got bool True "
     "(hint: use lowercase letters, digits and hyphens, like s-3fa2c1)"),
    ("wrong type: statements as a mapping", "article: good\nstatements:\n  id: s-1\n",
     f"{F}:2:1: statements: expected a list of records (hint: start each record with '- id: ...')"),
    ("wrong type: the file is a list", "- a\n- b\n",
     f"{F}:1: expected a mapping with article and statements"),
    ("unknown key, close to a known one", RECORD.replace("speaker: the", "speker: the"),
     f"{F}:5:5: speker: unknown field (hint: did you mean 'speaker'?)"),
    ("unknown key in the citation", RECORD.replace("end: 31", "end: 31\n      strat: 18"),
     f"{F}:12:7: citation.strat: unknown field (hint: did you mean 'start'?)"),
    ("unknown key at the top", "artcle: good\nstatements: []\n",
     f"{F}:1:1: artcle: unknown field (hint: did you mean 'article'?)"),
    ("missing required field", RECORD.replace("    quote: We will win,\n", ""),
     f"{F}:3:5: quote: missing required field (hint: required: id, kind, quote, citation)"),
    ("missing citation", RECORD.split("    citation")[0],
     f"{F}:3:5: citation: missing required field (hint: required: id, kind, quote, citation)"),
    ("duplicate key", RECORD.replace("    kind: direct\n", "    kind: direct\n    kind: partial\n"),
     f"{F}:7:5: kind: duplicate key (first given on line 6) "
     "(hint: keep one of the two; YAML would silently drop the first)"),
    ("duplicate id", RECORD + RECORD.split("statements:\n")[1],
     f"{F}:12:5: id: duplicate id (first used on line 3) (hint: give one of the records a new id, or merge them)"),
    ("a date like 'last week'", RECORD.replace("said_on: 2020-07-06", "said_on: last week"),
     f"{F}:8:5: said_on: expected a date like 2020-07-06, got 'last week' "
     "(hint: write the day as YYYY-MM-DD; use said_on_precision: week for vague dates)"),
    ("an impossible date", RECORD.replace("said_on: 2020-07-06", "said_on: 2020-02-31"),
     f"{F}:8:14: said_on: invalid value '2020-02-31': day is out of range for month "
     "(hint: write dates as YYYY-MM-DD, a real day of the calendar)"),
    ("an unknown kind", RECORD.replace("kind: direct", "kind: drect"),
     f"{F}:6:5: kind: expected one of direct, partial, mixed, indirect, got 'drect' (hint: did you mean 'direct'?)"),
    ("a path as id", RECORD.replace("id: s-1", "id: ../../etc/passwd"),
     f"{F}:3:5: id: invalid id '../../etc/passwd' (hint: use lowercase letters, digits and hyphens, like s-3fa2c1)"),
    ("an article that does not exist", RECORD.replace("article: good", "article: gone"),
     f"{F}:1: article: no article with id 'gone' "
     "(hint: the article file was renamed or removed; restore it or delete this file)"),
    ("a statement that does not exist", RECORD.replace("    kind: direct", "    same_as: [s-nope]\n    kind: direct"),
     f"{F}:3: same_as: no statement with id 's-nope' (hint: use the id of a record in content/facts/)"),
    ("a span past the end of the article", RECORD.replace("end: 31", "end: 4100"),
     f"{F}:3: citation.end: span 18..4100 is past the end of the article (58 characters) "
     "(hint: correct the offsets to where the quote is, or set status: rejected)"),
    ("negative offsets", RECORD.replace("start: 18", "start: -5"),
     f"{F}:10:7: citation.start: expected a character offset (a whole number, 0 or more), got -5 "
     "(hint: copy the offsets from the extracted record)"),
    ("a quote not at its span", RECORD.replace("start: 18", "start: 0").replace("end: 31", "end: 10"),
     f"{F}:3: quote: quote s-1 does not match content/articles/good.txt at 0..10: 'We' is not in the cited text "
     f"(hint: {QUOTE_HINT})"),
    ("an alias bomb", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
     f"{F}:6:4: document expands to more than 200,000 values through aliases "
     "(hint: remove the nested anchors (&) and aliases (*))"),
    ("an alias amplification", "article: good\nnote: &big " + "x" * 100_000 + "\nstatements: []\nrepeat: ["
     + ", ".join(["*big"] * 500) + "]\n",
     f"{F}:4:9: aliases repeat text here into more than 1,000,000 characters "
     "(hint: write the text out where it is needed instead of aliasing (*) one long anchored (&) value many times)"),
    ("an alias bomb behind a big document", "article: good\nstatements: &all\n"
     + "".join(f"  - {{id: s-{i}}}\n" for i in range(5_000)) + "again: [" + ", ".join(["*all"] * 30) + "]\n",
     f"{F}:5003:8: document expands to more than 200,000 values through aliases "
     "(hint: remove the nested anchors (&) and aliases (*))"),
    ("!!python/object is never run", "article: !!python/object/apply:os.system ['touch PWNED']\nstatements: []\n",
     f"{F}:1:10: invalid YAML: could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object/apply:os.system' "
     "(hint: tags such as !!python/object are not allowed; write plain values)"),
    ("!!python/name is never resolved", "article: !!python/name:os.system\nstatements: []\n",
     f"{F}:1:10: invalid YAML: could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/name:os.system' "
     "(hint: tags such as !!python/object are not allowed; write plain values)"),
    ("an explicit tag that does not fit", RECORD.replace("said_on: 2020-07-06", "said_on: !!timestamp last week"),
     f"{F}:8:14: said_on: invalid value 'last week': not a value of its type "
     "(hint: write dates as YYYY-MM-DD, a real day of the calendar)"),
    ("an explicit float that is not one", RECORD.replace("start: 18", "start: !!float eighteen"),
     f"{F}:10:14: start: invalid value 'eighteen': could not convert string to float: 'eighteen' "
     "(hint: remove the !!tag, or write a value of its type)"),
    ("a NUL byte", "article: good\nstatements: []\n\x00",
     f"{F}:3:1: invalid YAML: character #x0000 is not allowed: control characters are not allowed "
     "(hint: remove the control character (a NUL byte or similar); YAML files are plain text)"),
    ("an empty file", "", f"{F}: the file is empty (hint: delete it; `factsheet extract` writes it again)"),
    ("a record that is not a mapping", "article: good\nstatements:\n  - just text\n",
     f"{F}:3:5: statements[0]: expected a record (a mapping with id, quote, kind, citation)"),
    ("an unhashable key", RECORD.replace("    kind: direct", "    ? [a, b]\n    : x\n    kind: direct"),
     f"{F}:6:7: invalid YAML: found unhashable key "
     "(hint: check the quotes, brackets and indentation on this line and the one before)"),
]


@pytest.mark.parametrize("name, text, expected", FACT_FILES, ids=[row[0] for row in FACT_FILES])
def test_bad_fact_files_are_refused_with_file_line_field_and_hint(site, name, text, expected):
    write(site / "content/facts/good.yaml", text)
    result = run("check")
    assert_refused(result, expected)
    assert not (site / "PWNED").exists()
    before = (site / "content/facts/good.yaml").read_bytes()
    extract = run("extract", "--force")
    assert "Traceback" not in extract.output and extract.exception is None or \
        isinstance(extract.exception, SystemExit), extract.output
    from generator.records import store

    if any(p.severity == "error" for p in store.parse_fact_file(text, "good.yaml")[1]):
        # A file the editor left broken is reported and never overwritten.
        assert extract.exit_code == 1 and expected in extract.output.splitlines(), extract.output
        assert (site / "content/facts/good.yaml").read_bytes() == before
    assert not leftovers(site / "content")


SPLIT_ARTICLE = ('"I don\'t want to get out in front of the president, but we are ready," the senator said. '
                 '"We will vote on Tuesday."\n')
SPLIT_RECORD = '''article: split
statements:
  - id: s-1
    status: reviewed
    speaker: the senator
    kind: direct
    quote: "{quote}"
    citation:
      start: 1
      end: 114
'''


@pytest.mark.parametrize("quote, expected", [
    ("I want to get out in front of the president, but we are ready,",
     "the quote has 'want' where the article has 'don't' (after 'I')"),
    ("I don't want to get out in front of the president, we are ready,",
     "the quote has 'we' where the article has 'but' (after ',')"),
    ("I don't want to get out in front of the president, but we are ready, We will vote on Monday.",
     "the quote has 'Monday' where the article has 'Tuesday' (after 'on')"),
    ("I don't want to get out in front of the President, but we are ready,",
     "the quote has 'President' where the article has 'president' (after 'the')"),
])
def test_an_altered_quote_is_refused_naming_the_first_word_that_differs(site, quote, expected):
    """Only a split quote's attribution or an editor's ellipsis may stand between the quote's words."""
    write(site / "content/articles/split.txt", SPLIT_ARTICLE)
    write(site / "content/facts/split.yaml", SPLIT_RECORD.format(quote=quote))
    assert_refused(run("check"), f"error: content/facts/split.yaml:3: quote: quote s-1 does not match "
                                 f"content/articles/split.txt at 1..114: {expected} (hint: {QUOTE_HINT})")


@pytest.mark.parametrize("quote", [
    "I don't want to get out in front of the president, but we are ready,",
    "I don\'t want to get out in front of the president, but we are ready, We will vote on Tuesday.",
    "i don't want to get out ... we are ready, We will vote … Tuesday.",
    "I don’t  want to get out in front of the president, but",
])
def test_an_exact_split_or_elided_quote_passes(site, quote):
    write(site / "content/articles/split.txt", SPLIT_ARTICLE)
    write(site / "content/facts/split.yaml", SPLIT_RECORD.format(quote=quote))
    result = run("check")
    assert "split.yaml" not in result.output, result.output
@pytest.mark.slow  # ruamel.yaml writes 10,000 records in about 20 s
def test_a_fact_file_of_10000_records_as_the_writer_writes_it_passes_the_reader():
    from generator.model import Citation, Record
    from generator.records import store

    facts = [Record(f"s-{i}", f"Statement {i},", "direct", Citation("good", i * 20, i * 20 + 12, f"Statement {i}, he said."),
                  speaker="the mayor") for i in range(10_000)]
    doc = {"article": "good", "statements": [store.record_map(f) for f in facts]}
    parsed, problems = store.parse_fact_file(store.dump(doc), "good.yaml")
    assert not problems and len(parsed.records) == 10_000


def test_a_fact_file_that_is_not_utf8_is_located(site):
    write(site / "content/facts/good.yaml", "")
    (site / "content/facts/good.yaml").write_bytes(RECORD.replace("the mayor", "le maire é").encode("latin-1"))
    assert_refused(run("check"), f"{F}:5:23: byte 81 (0xe9) is not UTF-8 (hint: save the file as UTF-8)")
    assert_refused(run("extract", "--force"), f"{F}:5:23: byte 81 (0xe9) is not UTF-8 (hint: save the file as UTF-8)")


def test_the_other_fact_files_are_still_checked(site):
    write(site / "content/articles/other.txt", '"Other words," the governor said.\n')
    assert run("extract").exit_code == 0
    write(site / "content/facts/good.yaml", RECORD.replace("kind: direct", "kind: [direct"))
    (site / "content/facts/other.yaml").write_text(
        (site / "content/facts/other.yaml").read_text().replace("kind: direct", "kind: drect"))
    result = run("check")
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3 and "good.yaml:7:10" in errors[0] and "good.yaml:6:11" in errors[1]
    assert "other.yaml" in errors[2] and "drect" in errors[2]


@pytest.mark.parametrize("name, text, expected", [
    ("an unclosed quote", RECORD.replace("quote: We will win,", 'quote: "We will win,'),
     [f"{F}:12:1: invalid YAML: found unexpected end of stream "
      "(hint: check the quotes, brackets and indentation on this line and the one before)",
      f"{F}:7:12: invalid YAML: the error at line 12 is in the quoted scalar that starts here "
      "(hint: look for an unclosed quote or bracket, or a wrong indentation, from here on)"]),
    ("an unclosed bracket", RECORD.replace("kind: direct", "kind: [direct"),
     [f"{F}:7:10: invalid YAML: did not find expected ',' or ']' "
      "(hint: check the quotes, brackets and indentation on this line and the one before)",
      f"{F}:6:11: invalid YAML: the error at line 7 is in the flow sequence that starts here "
      "(hint: look for an unclosed quote or bracket, or a wrong indentation, from here on)"]),
])
def test_a_syntax_error_is_located_where_it_began_too(site, name, text, expected):
    write(site / "content/facts/good.yaml", text)
    result = run("check")
    assert [line for line in result.output.splitlines() if line.startswith("error: ")] == expected


def test_a_bad_date_does_not_hide_the_other_problems_of_its_file(site):
    """Every problem in one run: the impossible dates, and the unknown kind of the record between them."""
    text = RECORD.replace("said_on: 2020-07-06", "said_on: 2020-02-31").replace("kind: direct", "kind: drect")
    text += RECORD.split("statements:\n")[1].replace("id: s-1", "id: s-2").replace("2020-07-06", "2021-13-01")
    write(site / "content/facts/good.yaml", text)
    result = run("check")
    assert [line for line in result.output.splitlines() if line.startswith("error: ")] == [
        f"{F}:8:14: said_on: invalid value '2020-02-31': day is out of range for month "
        "(hint: write dates as YYYY-MM-DD, a real day of the calendar)",
        f"{F}:17:14: said_on: invalid value '2021-13-01': month must be in 1..12 "
        "(hint: write dates as YYYY-MM-DD, a real day of the calendar)",
        f"{F}:6:5: kind: expected one of direct, partial, mixed, indirect, got 'drect' (hint: did you mean 'direct'?)"]
    assert result.exit_code == 1


# --- the story's events (content/events.yaml) -------------------------------------------------

V = "error: content/events.yaml"
EVENTS = [
    ("syntax error", "- date: [2020-07-10\n", f"{V}:2:1: invalid YAML: did not find expected ',' or ']' "
     "(hint: check the quotes, brackets and indentation on this line and the one before)"),
    ("not a list", "date: 2020-07-10\n", f"{V}:1: expected a list of events (hint: start each event with '- date: YYYY-MM-DD')"),
    ("no title", "- date: 2020-07-10\n", f"{V}:1: title: missing required field (hint: required: date, title)"),
    ("a vague date", "- date: July 2020\n  title: Email\n",
     f"{V}:1:3: date: expected a date like 2020-07-10, got 'July 2020' (hint: write the day as YYYY-MM-DD)"),
    ("an unquoted time", "- date: 2020-07-10\n  time: 14:30\n  title: Email\n",
     f"{V}:2:3: time: expected a time of day like '14:30' or one of morning, afternoon, evening, got 870 "
     "(hint: YAML reads an unquoted time as a number: write time: '14:30', in quotes)"),
    ("a time that is not one", "- date: 2020-07-10\n  time: '25:00'\n  title: Email\n",
     f"{V}:2:3: time: expected a time of day like '14:30' or one of morning, afternoon, evening, got '25:00' "
     "(hint: write time: '14:30' (24-hour clock, in quotes) or time: morning)"),
    ("a javascript link", "- date: 2020-07-10\n  title: Email\n  links: ['javascript:alert(1)']\n",
     f"{V}:3:3: links: expected a list of http(s) addresses, got 'javascript:alert(1)' "
     "(hint: write one item per line: - https://www.example.com/)"),
    ("an unknown article", "- date: 2020-07-10\n  title: Email\n  sources: [nowhere]\n",
     f"{V}:1: sources: no article with id 'nowhere' "
     "(hint: use the id of an article in content/articles/ (its file name without extension))"),
    ("a misspelled field", "- date: 2020-07-10\n  title: Email\n  txt: Sent.\n",
     f"{V}:3:3: txt: unknown field (hint: did you mean 'text'?)"),
    ("the same id twice", "- date: 2020-07-10\n  title: A\n  id: e-a\n- date: 2020-07-11\n  title: B\n  id: e-a\n",
     f"{V}:6:3: id: duplicate id (first used on line 1) (hint: give one of the events another id: ids are the "
     "events' links)"),
    ("!!python/object", "- date: 2020-07-10\n  title: !!python/object/apply:os.system ['touch PWNED']\n",
     f"{V}:2:10: invalid YAML: could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object/apply:os.system' "
     "(hint: tags such as !!python/object are not allowed; write plain values)"),
]


@pytest.mark.parametrize("name, text, expected", EVENTS, ids=[row[0] for row in EVENTS])
def test_bad_events_are_refused(site, name, text, expected):
    assert run("extract").exit_code == 0
    write(site / "content/events.yaml", text)
    assert_refused(run("check"), expected)


# --- the people registry ---------------------------------------------------------------------

P = "error: content/people.yaml"
PEOPLE = [
    ("syntax error", "- name: [Jane\n", f"{P}:2:1: invalid YAML: did not find expected ',' or ']' "
     "(hint: check the quotes, brackets and indentation on this line and the one before)"),
    ("not a list", "name: Jane\n", f"{P}:1: expected a list of people (hint: start each entry with '- name: ...')"),
    ("an entry without a name", "- role: mayor\n",
     f"{P}:1: name: expected an entry with a name (hint: write '- name: Mike Pompeo')"),
    ("unknown key", "- name: Jane\n  alias: [J]\n", f"{P}:2:3: alias: unknown field (hint: did you mean 'aliases'?)"),
    ("an alias used twice", "- name: Jane\n  aliases: [JD]\n- name: John\n  aliases: [jd]\n",
     f"{P}:3: aliases: 'jd' is already the name or alias of Jane "
     "(hint: one name belongs to one entry; merge the two entries)"),
    ("a role that is not text", "- name: Jane\n  role: {a: 1}\n",
     f"{P}:2:3: role: expected text, got dict {{'a': 1}} (hint: write 'role: ...' on one line)"),
    ("links that are not a list", "- name: Jane\n  links: {a: 1}\n",
     f"{P}:2:3: links: expected a list, got dict {{'a': 1}} "
     "(hint: write links: [https://www.example.com/], or one '- https://www.example.com/' per line)"),
    ("an empty alias", "- name: Jane\n  aliases: [J, '']\n",
     f"{P}:2:3: aliases: expected a list of non-empty text, got '' (hint: write aliases: [Pompeo, Secretary Pompeo])"),
    ("an alias of invisible characters", "- name: Jane\n  aliases: [\"\\u200b\\u00a0\"]\n",
     f"{P}:2:3: aliases: an alias is empty "
     "(hint: remove the empty entry; an empty alias would match every unnamed speaker)"),
    ("a name that differs only by a no-break space", "- name: Jane Doe\n- name: \"Jane\\u00a0Doe\"\n",
     f"{P}:2: aliases: 'Jane Doe' is already the name or alias of Jane Doe "
     "(hint: one name belongs to one entry; merge the two entries)"),
    ("a name that differs only by a zero-width space", "- name: Jane Doe\n- name: \"Jane\\u200b Doe\"\n",
     f"{P}:2: aliases: 'Jane Doe' is already the name or alias of Jane Doe "
     "(hint: one name belongs to one entry; merge the two entries)"),
    ("!!python/object", "- name: !!python/object/apply:os.system ['touch PWNED']\n",
     f"{P}:1:9: invalid YAML: could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object/apply:os.system' "
     "(hint: tags such as !!python/object are not allowed; write plain values)"),
]


@pytest.mark.parametrize("name, text, expected", PEOPLE, ids=[row[0] for row in PEOPLE])
def test_a_bad_people_registry_is_refused(site, name, text, expected):
    write(site / "content/people.yaml", text)
    assert_refused(run("check"), expected)
    assert not (site / "PWNED").exists()


def test_a_people_registry_or_overview_that_is_not_utf8_is_located(site):
    (site / "content/people.yaml").write_bytes("- name: Zoë\n".encode("cp1252"))
    assert_refused(run("check"), f"{P}:1:11: byte 10 (0xeb) is not UTF-8 (hint: save the file as UTF-8)")
    (site / "content/people.yaml").unlink()
    (site / "content/index.md").write_bytes("# Über\n".encode("cp1252"))
    assert_refused(run("check"), "error: content/index.md:1:3: byte 2 (0xdc) is not UTF-8 (hint: save the file as UTF-8)")


# --- hard text: extraction and rendering keep working ------------------------------------------

LONG_QUOTE = '"' + "\n\n".join(f"Paragraph {i} of a statement that goes on about the budget." for i in range(200)) \
    + '" the mayor said.\n'
TEXTS = [
    ("unbalanced quotation marks", 'The mayor said "we will win. Then he left.\n\n"Really," she said. "Yes.\n'),
    ("a quote that never closes", '"We will win and the rest is one endless quote that never closes. ' * 80 + "\n"),
    ("a 200-paragraph quote", LONG_QUOTE),
    ("a quote reopened in each of 200 paragraphs",
     "\n\n".join(f'"Paragraph {i} goes on about the budget.' for i in range(200)) + '"\n\nthe mayor said.\n'),
    ("right-to-left text", 'قال الوزير: "سوف ننتصر" يوم الاثنين.\n\n"אנחנו ננצח," אמר ראש העיר.\n\n'
                           '"We will win," said \u202eevil\u202c the mayor.\n'),
    ("emoji", '"We will win 🎉🇺🇸👨\u200d👩\u200d👧," the mayor said 😀 on Monday.\n\n“🔥🔥,” she said.\n'),
    ("combining characters", '"Ze\u0301 will wi\u0308n," the mayo\u0301r said.\n\nZoe\u0308 Mu\u0308ller said the cafe\u0301 closed.\n'),
    ("zero-width spaces", '"We\u200b will\u200b win,"\u200b the\u200b mayor\u200b said.\n\n\u200b"Hello," said\u00a0Jane\u00a0Doe.\n'),
    ("line separators", '"We will\u2028win," the mayor said.\n\n"Next\x85line," she said.\n\n"Para\u2029graph," he said.\n'),
    ("control characters", '"We\x07 will\x1b[31m win," the\x0c mayor said.\x0b\n'),
    ("only quotation marks", '"' * 3000 + "\n"),
    ("mixed quotation marks", '«We will win,» he said. „Wir werden,“ sagte er. 「勝つ」と彼は言った。 ‘single,’ she said.\n'),
    ("lone carriage returns", '"We will win," the mayor said.\r"Again," she said.\r'),
    ("one long line, the same quote 100 times", ('"Words," the mayor said. ' * 100) + "\n"),
]


@pytest.mark.parametrize("name, text", TEXTS, ids=[row[0] for row in TEXTS])
def test_hard_text_is_extracted_checked_and_rendered(site, name, text):
    write(site / "content/articles/hard.txt", text)
    extract = run("extract")
    assert extract.exit_code == 0, extract.output
    check = run("check")
    assert check.exit_code == 0, check.output
    render = run("render", "--out", "out")
    assert render.exit_code == 0, render.output
    assert (site / "out/sources/hard.md").is_file()
    from generator.records import store

    facts, problems = store.read_fact_file(site / "content/facts/hard.yaml")
    assert not problems and facts is not None
    assert all(f.status == "extracted" for f in facts.records)  # every record read back exactly as written
    for fact in facts.records:
        assert 0 <= fact.citation.start <= fact.citation.end <= len(text)


# --- configuration ---------------------------------------------------------------------------

def _project(site: Path, plugin_options: str = "") -> None:
    write(site / "mkdocs.yml", "site_name: Test\ndocs_dir: content\nplugins:\n  - factsheet:\n"
          "      content: content\n" + plugin_options)


CONFIGS = [
    ("an unknown plugin option", "      titel: X\n",
     "WARNING: Config value 'plugins': Plugin 'factsheet' option 'titel': Unrecognised configuration name: titel "
     "(hint: did you mean 'title'?)"),
    ("an option of the wrong type", "      nav: yes please\n",
     "ERROR: Config value 'plugins': Plugin 'factsheet' option 'nav': Expected type: <class 'bool'> "
     "but received: <class 'str'>"),
    ("a templates folder that does not exist", "      templates: mytemplates\n", "templates folder"),
]


@pytest.mark.slow
@pytest.mark.parametrize("name, options, expected", CONFIGS, ids=[row[0] for row in CONFIGS])
def test_bad_plugin_configuration_fails_the_build_clearly(site, name, options, expected, capfd):
    import subprocess
    import sys

    _project(site, options)
    result = subprocess.run([Path(sys.executable).parent / "factsheet", "build"], cwd=site, capture_output=True,
                            text=True, env={"NO_MKDOCS_2_WARNING": "1", "FACTSHEET_NLP": "rules", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "site").exists()


def test_a_missing_content_folder_is_refused_and_never_created(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (["extract"], ["check"], ["build"], ["render", "--out", "out"]):
        result = run(*command)
        assert_refused(result, "error: content: the content folder does not exist "
                               + ("(hint: create it with an articles/ folder, or pass --content FOLDER)"
                                  if command[0] in ("extract", "build") else
                                  "(hint: create it with an articles/ folder, or set the plugin's content option)"))
        assert not (tmp_path / "content").exists() and not (tmp_path / "out").exists()


def test_a_missing_templates_folder_means_the_default_templates(site):
    assert run("extract").exit_code == 0
    result = run("render", "--templates", "nowhere", "--out", "out")
    assert result.exit_code == 0, result.output
    assert (site / "out/index.md").is_file()


TEMPLATES = [
    ("a syntax error", "speaker.md.j2", "# {{ speaker.name }}\n{% if x %}\nno end\n",
     "error: templates/speaker.md.j2:3: template syntax error: Unexpected end of template. Jinja was looking for "
     "the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'. "
     "(hint: fix the template; see the Jinja2 documentation)"),
    ("an undefined variable", "speaker.md.j2", "# {{ speaker.name }}\n\n{{ speakr.role }}\n",
     "error: templates/speaker.md.j2:3: template error: 'speakr' is undefined "
     "(hint: the variable may be misspelled or missing; see the default template)"),
    ("an undefined attribute", "speaker.md.j2", "# {{ speaker.name }}\n\n\n{{ statements[0].quot }}\n",
     "error: templates/speaker.md.j2:4: template error: 'generator.model.Statement object' has no attribute 'quot' "
     "(hint: the variable may be misspelled or missing; see the default template)"),
    ("a filter that fails", "speaker.md.j2", "# {{ speaker.name }}\n{{ statements|diff(1) }}\n",
     "error: templates/speaker.md.j2:2: template error: AttributeError: 'int' object has no attribute 'split' "
     "(hint: a template may be older than this version of factsheet; compare it with the default template)"),
    ("an unknown filter", "home.md.j2", "# Home\n\n{{ site.title|shout }}\n",
     "error: templates/home.md.j2:3: template syntax error: No filter named 'shout'. "
     "(hint: fix the template; see the Jinja2 documentation)"),
    ("a macro that calls itself for ever", "home.md.j2",
     "# Home\n{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}\n{{ down(1) }}\n",
     "error: templates/home.md.j2:2: template error: the template calls itself without end (a recursive macro or "
     "include) (hint: give the macro or include a condition that stops it)"),
    ("a template that includes itself", "home.md.j2", "# Home\n{% include 'home.md.j2' %}\n",
     "error: templates/home.md.j2:2: template error: the template calls itself without end (a recursive macro or "
     "include) (hint: give the macro or include a condition that stops it)"),
    ("an include that does not exist", "home.md.j2", "# Home\n{% include 'nothere.md.j2' %}\n",
     "error: templates/home.md.j2:2: template error: nothere.md.j2 "
     "(hint: the variable may be misspelled or missing; see the default template)"),
]


@pytest.mark.parametrize("name, filename, text, expected", TEMPLATES, ids=[row[0] for row in TEMPLATES])
def test_a_broken_template_names_the_template_and_line(site, name, filename, text, expected):
    assert run("extract").exit_code == 0
    write(site / "templates" / filename, text)
    result = run("render", "--out", "out")
    assert_refused(result, expected)
    assert not (site / "out").exists()  # nothing written half-way


def test_an_article_without_a_fact_file_is_a_content_problem(site):
    """Never published as "No statements were found": its fact file was not extracted or not committed."""
    assert run("extract").exit_code == 0
    write(site / "content/articles/new.txt", '"Other words," the governor said.\n')
    assert_refused(run("check"), "error: content/articles/new.txt: article 'new' has no fact file: run `factsheet "
                                 "extract` (hint: without one its statements would be missing from the site, silently)")
    assert run("extract").exit_code == 0 and run("check").exit_code == 0


def test_a_broken_fact_file_is_not_also_reported_missing(site):
    write(site / "content/facts/good.yaml", RECORD.replace("kind: direct", "kind: [direct"))
    result = run("check")
    assert result.exit_code == 1 and "has no fact file" not in result.output
# --- what editors may write survives re-extraction byte for byte --------------------------------

TWO_QUOTES = 'date 2020-07-10\n\n"We will win," the mayor said on Monday.\n\n"Taxes will fall," the governor said.\n'
MORE = '\n"More words here," the mayor said.\n'


def _first_reviewed(text: str) -> str:
    return text.replace("status: extracted\n    speaker: mayor", "status: reviewed\n    speaker: mayor", 1)


def _flow(text: str) -> str:
    start = text.index("  - id:")
    end = text.index("  - id:", start + 1)
    return text[:start] + ("  - {id: s-good-fd99f3, status: reviewed, speaker: mayor, kind: direct, quote: 'We will win,',"
                           " said_on: 2020-07-06, citation: {start: 18, end: 30}}\n") + text[end:]


def _column(text: str, spaces: int) -> str:
    lines = text.split("\n")
    head = lines.index("statements:") + 1
    shift = lambda line: (" " * spaces + line[2:]) if line.startswith("  ") else line  # noqa: E731
    return "\n".join(lines[:head] + [shift(line) for line in lines[head:]])


EDITOR_FILES = [
    ("an anchor and an alias", lambda t: _first_reviewed(t).replace("speaker: mayor", "speaker: &who mayor", 1)
     .replace("speaker: governor", "speaker: *who")),
    ("a merge key", lambda t: _first_reviewed(t).replace("  - id: s-good-fd99f3\n", "  - &base\n    id: s-good-fd99f3\n")
     .replace("  - id: s-good-ab7d07\n    status: extracted\n", "  - <<: *base\n    id: s-good-ab7d07\n    status: reviewed\n")),
    ("an anchored citation note aliased", lambda t: _first_reviewed(t).replace(
        "    cue: said\n", "    note: &n checked with the press office\n    cue: said\n", 1)
     .replace("speaker: governor", "speaker: governor\n    note: *n")),
    ("CRLF line endings", lambda t: _first_reviewed(t).replace("\n", "\r\n")),
    ("a byte-order mark", lambda t: "\ufeff" + _first_reviewed(t)),
    ("a byte-order mark and CRLF", lambda t: "\ufeff" + _first_reviewed(t).replace("\n", "\r\n")),
    ("mixed line endings", lambda t: _first_reviewed(t).replace("\n", "\r\n", 7)),
    ("a tab after key:", lambda t: _first_reviewed(t).replace("speaker: governor", "speaker:\tgovernor")),
    ("a reviewed record in flow style", _flow),
    ("comments everywhere", lambda t: _first_reviewed(t).replace("statements:\n", "statements:  # the records\n")
     .replace("  - id: s-good-ab7d07", "# checked by J.\n  - id: s-good-ab7d07").replace("speaker: mayor", "speaker: mayor  # sure")
     + "# the end\n"),
    ("records at column 0", lambda t: _column(_first_reviewed(t), 0)),
    ("records indented by four", lambda t: _column(_first_reviewed(t), 4)),
    ("double-quoted values", lambda t: _first_reviewed(t).replace("quote: We will win,", 'quote: "We will win,"')
     .replace("status: reviewed", 'status: "reviewed"')),
    ("no newline at the end", lambda t: _first_reviewed(t).rstrip("\n")),
    ("a block scalar note", lambda t: _first_reviewed(t).replace(
        "    cue: said\n", "    note: |\n      First line.\n        indented.\n    cue: said\n", 1)),
    ("blank lines between records", lambda t: _first_reviewed(t).replace("  - id: s-good-ab7d07", "\n\n  - id: s-good-ab7d07")),
]


@pytest.mark.parametrize("name, edit", EDITOR_FILES, ids=[row[0] for row in EDITOR_FILES])
def test_what_an_editor_wrote_survives_extraction_after_the_article_changes(site, name, edit):
    write(site / "content/articles/good.txt", TWO_QUOTES)
    assert run("extract").exit_code == 0
    facts = site / "content/facts/good.yaml"
    edited = edit(facts.read_text("utf-8")).encode("utf-8")
    facts.write_bytes(edited)
    assert run("check").exit_code == 0, run("check").output
    write(site / "content/articles/good.txt", TWO_QUOTES + MORE)
    result = run("extract")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    after = facts.read_bytes()
    digest = re.search(rb"digest: (\w+)", after).group(1)
    expected_head = re.sub(rb"digest: \w+", b"digest: " + digest, edited)
    tail = after[len(expected_head):]
    assert after.startswith(expected_head), after.decode()  # every byte the editor wrote, in place
    assert b"More words here," in tail and b"We will win" not in tail
    if b"\r\n" in edited and edited.count(b"\r\n") * 2 > edited.count(b"\n"):
        assert tail.count(b"\n") == tail.count(b"\r\n")  # the added record in the file's line endings
    check = run("check")
    assert check.exit_code == 0, check.output
    assert run("extract", "--force").exit_code == 0
    assert facts.read_bytes() == after  # nothing to change: not a byte changes


def test_anchors_in_a_flow_style_list_are_refused_and_the_file_left_alone(site):
    write(site / "content/articles/good.txt", TWO_QUOTES)
    facts = write(site / "content/facts/good.yaml", "article: good\nstatements: [{id: s-1, status: reviewed, "
                  "speaker: &who the mayor, kind: direct, quote: 'We will win,', citation: {start: 18, end: 30}}, "
                  "{id: s-2, status: reviewed, speaker: *who, kind: direct, quote: 'Taxes will fall,', "
                  "citation: {start: 60, end: 76}}]\n")
    before = facts.read_bytes()
    write(site / "content/articles/good.txt", TWO_QUOTES + MORE)
    result = run("extract")
    assert_refused(result, "error: content/facts/good.yaml:1: cannot update this file without rewriting the "
                           "editor's anchors and aliases (hint: write the statements as a block list ('- id: ...', "
                           "one record after another), or remove the anchors (&) and aliases (*))")
    assert facts.read_bytes() == before


# --- identity across records and files ---------------------------------------------------------

OTHER_ARTICLE = 'date 2020-07-11\n\n"We will win," the governor said too.\n'
OTHER_RECORD = RECORD.replace("article: good", "article: other").replace("the mayor", "the governor")
IDENTITY = [
    ("one id in two fact files", {"other.yaml": OTHER_RECORD},
     "error: content/facts/other.yaml:3: id: id 's-1' is also used by content/facts/good.yaml:3 "
     "(hint: give one of the records a new id: ids are permalinks)"),
    ("same_as and not_same_as name one record",
     {"other.yaml": OTHER_RECORD.replace("id: s-1", "id: s-2"),
      "good.yaml": RECORD.replace("    kind: direct", "    same_as: [s-2]\n    not_same_as: [s-2]\n    kind: direct")},
     "error: content/facts/good.yaml:3: same_as: 's-2' is named in both same_as and not_same_as "
     "(hint: keep it in one of the two lists)"),
    ("same_as names the record itself", {"good.yaml": RECORD.replace("    kind: direct", "    same_as: [s-1]\n    kind: direct")},
     "error: content/facts/good.yaml:3: same_as: a record cannot be the same as itself "
     "(hint: keep it in one of the two lists)"),
    ("an edited excerpt", {"good.yaml": RECORD + "      excerpt: '\"We will lose,\" the mayor said on Monday.'\n"},
     "error: content/facts/good.yaml:3: citation.excerpt: the excerpt of s-1 does not occur in "
     "content/articles/good.txt (hint: an excerpt is the source's words: copy it from the article, "
     "or delete the line)"),
    ("an excerpt with a cut that is not the source's", {"good.yaml": RECORD + "      excerpt: '… the mayor said on Friday'\n"},
     "error: content/facts/good.yaml:3: citation.excerpt: the excerpt of s-1 does not occur in "
     "content/articles/good.txt (hint: an excerpt is the source's words: copy it from the article, "
     "or delete the line)"),
]


@pytest.mark.parametrize("name, files, expected", IDENTITY, ids=[row[0] for row in IDENTITY])
def test_identity_problems_are_refused(site, name, files, expected):
    write(site / "content/articles/other.txt", OTHER_ARTICLE)
    write(site / "content/facts/good.yaml", RECORD)
    for filename, text in files.items():
        write(site / "content/facts" / filename, text)
    before = {p: p.read_bytes() for p in (site / "content/facts").glob("*.yaml")}
    assert_refused(run("check"), expected)
    assert_refused(run("render", "--out", "out"), expected)
    assert {p: p.read_bytes() for p in (site / "content/facts").glob("*.yaml")} == before


def test_an_excerpt_cut_with_ellipses_is_the_sources_words(site):
    write(site / "content/facts/good.yaml", RECORD + "      excerpt: '… the mayor said …'\n")
    result = run("check")
    assert result.exit_code == 0, result.output


def test_a_fact_file_linked_to_a_file_outside_its_folder_is_refused(site, tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.yaml"
    secret.write_text(RECORD)
    (site / "content/facts").mkdir(parents=True, exist_ok=True)
    (site / "content/facts/good.yaml").symlink_to(secret)
    expected = (f"{F}: the file is a symbolic link to a file outside its folder "
                "(hint: copy the file into the folder instead of linking to it)")
    assert_refused(run("check"), expected)
    assert_refused(run("extract", "--force"), expected)
    assert secret.read_text() == RECORD and (site / "content/facts/good.yaml").is_symlink()


def test_a_fact_file_made_unreadable_is_refused_even_when_the_parse_cache_knows_it(site, monkeypatch):
    import os

    write(site / "content/facts/good.yaml", RECORD)
    assert run("check").exit_code == 0  # now in the parse cache
    real_access, real_read = os.access, Path.read_bytes
    target = str(site / "content/facts/good.yaml")

    def denied(path, *args, **kwargs):
        if str(path).endswith("content/facts/good.yaml"):
            raise PermissionError(13, "Permission denied", target)
        return real_read(path, *args, **kwargs)

    # The tests run as root, which reads any file: unreadability is simulated where it is observed.
    monkeypatch.setattr(os, "access", lambda p, mode, **_: not str(p).endswith("facts/good.yaml") and real_access(p, mode))
    monkeypatch.setattr(Path, "read_bytes", denied)
    assert_refused(run("check"), f"{F}: cannot read the file: Permission denied")


@pytest.mark.parametrize("command", ["extract", "check"])
def test_an_unreadable_articles_folder_is_an_error_not_unchanged(site, monkeypatch, command):
    import os

    write(site / "content/articles/sub/more.txt", GOOD_ARTICLE)
    real = os.scandir

    def scandir(path="."):  # root reads every folder: the refusal is simulated where os.walk meets it
        if str(path).endswith("articles/sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run(command)
    assert_refused(result, "error: content/articles/sub: cannot read the folder: Permission denied "
                           "(hint: check the folder's permissions)")


WRITE_FAULTS = [
    ("disk full writing the schemas", "atomic_write", ".schemas", OSError(28, "No space left on device"),
     "error: content/.schemas: cannot write the schemas: No space left on device "
     "(hint: check the free space and permissions)"),
    ("a read-only content folder", "FileLock", "", PermissionError(13, "Permission denied", "content/.factsheet.lock"),
     "error: content/.factsheet.lock: cannot write in the content folder: Permission denied "
     "(hint: check the folder's permissions and the free space)"),
    ("a read-only facts folder", "atomic_write", "facts", PermissionError(13, "Permission denied"),
     "error: content/facts/good.yaml: cannot write the file: Permission denied "
     "(hint: check the free space and permissions; the previous version is unchanged)"),
]


@pytest.mark.parametrize("name, target, where, error, expected", WRITE_FAULTS, ids=[row[0] for row in WRITE_FAULTS])
def test_a_folder_that_cannot_be_written_is_one_line(site, monkeypatch, name, target, where, error, expected):
    # The tests run as root, which writes anywhere: the failure is simulated where it would be observed.
    from generator.records import store

    if target == "FileLock":
        def lock(*args, **kwargs):
            raise error
        monkeypatch.setattr(jobs, "FileLock", lock)
    else:
        real = store.atomic_write

        def atomic_write(path, text):
            if where in str(path):
                raise error
            return real(path, text)
        monkeypatch.setattr(store, "atomic_write", atomic_write)
    assert_refused(run("extract"), expected)


def test_speakers_whose_names_differ_by_invisible_characters_are_one_person():
    from generator import merge
    from generator.records import store

    records = [store.parse_record({"id": f"s-{i}", "quote": "We are proud of our community.", "kind": "direct",
                                   "speaker": name, "citation": {"start": 0, "end": 30}}, article, "f.yaml", None, 0)[0]
               for i, (name, article) in enumerate([("Jane Doe", "one"), ("Jane\u00a0Doe", "two"),
                                                    ("Jane\u200b Doe", "three"), (" Jane  Doe\u2060", "four")])]
    assert {r.speaker for r in records} == {"Jane Doe"}
    assert len(merge.group_records(records, {})) == 1
