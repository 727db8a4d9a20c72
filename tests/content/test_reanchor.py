"""Defect 4 of issue 14: an outlet corrects an article; the editors' records are moved to where
their words are now (offsets and excerpt only), or the editor is told what fixes them."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write

from generator.cli import main
from generator.content import quote_in_text
from generator.content.anchor import locate

ARTICLE = ('Mayor wins\ndate 2020-07-10\n\n"We will win," the mayor said on Monday.\n'
           '\nShe added, in a letter, that “the budget is balanced” this year.\n')
# The correction: a paragraph before the statements, and "in a letter" gone.
CORRECTED = ('Mayor wins\ndate 2020-07-10\n\nThe vote was close.\n\n"We will win," the mayor said on Monday.\n'
             '\nShe added that “the budget is balanced” this year.\n')


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTSHEET_NLP", "rules")
    write(tmp_path / "content/articles/good.txt", ARTICLE)
    assert run("extract").exit_code == 0
    added = run("add-statement", "good", "the budget is balanced", "--speaker", "Jane Doe", "--kind", "partial")
    assert added.exit_code == 0, added.output
    facts = tmp_path / "content/facts/good.yaml"
    # The editor reviews the mayor's record, with a comment of their own.
    text = facts.read_text("utf-8").replace("status: extracted", "status: reviewed  # checked by the desk", 1)
    facts.write_text(text, "utf-8")
    return tmp_path


def _blocks(text: str) -> dict[str, str]:
    """Each record's lines, by id."""
    parts = text.split("  - id: ")[1:]
    return {part.split("\n", 1)[0]: "  - id: " + part for part in parts}


def _reviewed(text: str) -> list[str]:
    return sorted(rid for rid, block in _blocks(text).items() if "status: reviewed" in block)


def _citation(text: str, record: str) -> tuple[int, int, str]:
    values = dict(line.strip().split(": ", 1) for line in _blocks(text)[record].splitlines()
                  if line.strip().startswith(("start: ", "end: ", "excerpt: ")))
    return int(values["start"]), int(values["end"]), values["excerpt"]


def test_a_corrected_article_moves_the_reviewed_records_and_only_their_offsets_and_excerpts(site):
    facts = site / "content/facts/good.yaml"
    before = facts.read_text("utf-8")
    ids = _reviewed(before)
    assert len(ids) == 2  # the mayor's, reviewed, and the one added by hand
    write(site / "content/articles/good.txt", CORRECTED)
    assert run("check").exit_code == 1  # the records point at the old text
    result = run("extract")
    assert result.exit_code == 0, result.output
    after = facts.read_text("utf-8")
    # The machine's record of the old wording is not found again: orphaned, as before this fix.
    assert result.output.splitlines()[0] == f"good: 1 orphaned, 2 re-anchored ({', '.join(ids)})"
    assert result.output.splitlines()[1] == "1 extracted, 0 unchanged; 0 added, 0 updated, 0 kept, 1 orphaned, 2 re-anchored"
    for record in ids:
        start, end, excerpt = _citation(after, record)
        assert CORRECTED[start:end] in ("We will win,", "the budget is balanced")
        assert excerpt.strip("'") in " ".join(CORRECTED.split())
        # Every other line of the record is as the editor left it: the comment, the quote, the speaker.
        old, new = _blocks(before)[record].splitlines(), _blocks(after)[record].splitlines()
        assert len(old) == len(new)
        changed = [a.strip().split(":")[0] for a, b in zip(old, new) if a != b]
        assert changed and set(changed) <= {"start", "end", "excerpt"}, changed
    assert "status: reviewed  # checked by the desk" in after
    # The orphaned machine record's words are gone: check refuses it (publishing would show words the
    # source no longer says) until the editor rejects it.
    check = run("check")
    assert check.exit_code == 1 and "the extractor no longer finds this statement in the article: set status: " \
        "rejected, or correct the quote and offsets" in check.output
    facts.write_text(after.replace("status: extracted", "status: rejected"), "utf-8")
    check = run("check")
    assert check.exit_code == 0, check.output


def test_words_gone_or_twice_are_reported_with_what_fixes_them(site):
    facts = site / "content/facts/good.yaml"
    write(site / "content/articles/good.txt",
          CORRECTED.replace("“the budget is balanced”", "the budget holds") + '\n"We will win," she repeated.\n')
    before = facts.read_text("utf-8")
    result = run("extract")
    after = facts.read_text("utf-8")
    lines = result.output.splitlines()
    gone = [line for line in lines if "no longer has this record's words" in line]
    twice = [line for line in lines if "has this record's words 2 times" in line]
    assert len(gone) == 1 and gone[0].startswith("warning: content/facts/good.yaml:")
    assert "(hint: edit the quote to the article's new words and set citation start and end to them, " \
           "or set status: rejected)" in gone[0]
    assert len(twice) == 1 and "factsheet add-statement good" in twice[0] and "--occurrence N" in twice[0]
    # Neither record moved; the quotes are never changed.
    for record in _reviewed(before):
        assert _citation(after, record) == _citation(before, record)
    assert "quote: the budget is balanced" in after


@pytest.mark.parametrize("quote, verbatim, text, found", [
    ("in error", False, 'It was "in error," they said; "in error" again.', ['in error', 'in error']),
    ("A, B c.", True, '"A," she said, "B c." Then more.', ['A," she said, "B c.']),
    ("this morning's ... in error", False, "This morning's email was sent in error.", ["This morning's email was sent in error"]),
    ("We won", True, "we won the vote", ["we won"]),  # the first letter's case, as the check allows
    ("gone", False, "nothing here", []),
])
def test_locate_finds_what_the_quote_check_accepts(quote, verbatim, text, found):
    assert [text[s:e] for s, e in locate(quote, text, verbatim, quote_in_text)] == found


@pytest.mark.slow
def test_factsheet_build_publishes_the_corrected_article_with_the_reviewed_record(site):
    import os
    import subprocess
    import sys

    write(site / "content/articles/good.txt", CORRECTED)
    assert run("extract").exit_code == 0
    # The machine's record of the old wording is orphaned (its words are gone): the editor rejects it.
    facts = site / "content/facts/good.yaml"
    facts.write_text(facts.read_text("utf-8").replace("status: extracted", "status: rejected"), "utf-8")
    write(site / "mkdocs.yml", "site_name: T\ndocs_dir: content\ntheme: material\nplugins:\n  - factsheet\n")
    result = subprocess.run([Path(sys.executable).parent / "factsheet", "build"], cwd=site, capture_output=True,
                            text=True, env={**os.environ, "FACTSHEET_NLP": "rules"})
    assert result.returncode == 0, result.stderr + result.stdout
    page = (site / "site/speakers/jane-doe/index.html").read_text("utf-8")
    assert "the budget is balanced" in page and "She added that" in page  # the new excerpt
