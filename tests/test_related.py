"""Related statements: `factsheet check` suggests records that may be one statement in other
words, as suggestions only (issue 15)."""
from __future__ import annotations

import datetime as dt
import shutil

from click.testing import CliRunner
from conftest import ROOT, fact

from generator import content, related
from generator.cli import main

DAY = dt.date(2020, 7, 6)


def pairs(records, people=()) -> set[frozenset[str]]:
    return {frozenset((s.first.id, s.second.id)) for s in related.suggest(list(records), list(people))}


def test_a_quote_and_its_paraphrase_are_suggested():
    a = fact("s-a", "the US government is considering banning the app", "one", speaker="Mike Pompeo",
             kind="indirect", said_on=DAY)
    b = fact("s-b", "the US was certainly looking at a ban on TikTok and other Chinese apps", "two",
             speaker="Mike Pompeo", kind="mixed", said_on=DAY + dt.timedelta(days=4))
    (suggestion,) = related.suggest([a, b], [])
    assert (suggestion.first.id, suggestion.second.id) == ("s-a", "s-b")
    assert set(suggestion.shared) == {"banning", "app"}


def test_what_is_not_suggested():
    words = "the council will publish every document about the budget"
    other = "every budget document will be published by the council"
    base = dict(speaker="Jane Doe", kind="indirect", said_on=DAY)
    assert pairs([fact("s-a", words, "one", **base), fact("s-b", other, "two", **base)])  # the control
    assert not pairs([fact("s-a", words, "one", **base), fact("s-b", other, "two", **{**base, "speaker": "Ann Lee"})])
    assert not pairs([fact("s-a", words, "one", **base),
                      fact("s-b", other, "two", **{**base, "said_on": DAY + dt.timedelta(days=30)})])
    assert not pairs([fact("s-a", words, "one", **base), fact("s-b", other, "one", **base)])  # one article
    assert not pairs([fact("s-a", words, "one", **base), fact("s-b", other, "two", not_same_as=("s-a",), **base)])
    assert not pairs([fact("s-a", words, "one", **base), fact("s-b", other, "two", same_as=("s-a",), **base)])
    assert not pairs([fact("s-a", words, "one", **base), fact("s-b", other, "two", status="rejected", **base)])
    assert not pairs([fact("s-a", words, "one", **base), fact("s-b", words, "two", **base)])  # merged already
    assert not pairs([fact("s-a", words, "one", **base),
                      fact("s-b", "nobody knows when the new bridge opens", "two", **base)])


def test_the_demo_suggests_pompeos_two_wordings():
    sheet = content.load_sheet(ROOT / "content")
    found = pairs(sheet.records, sheet.people)
    assert frozenset(("s-7c1c3d", "s-dfa981")) in found  # "considering banning" / "certainly looking at a ban"


def test_check_prints_suggestions_and_still_passes(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns(".factsheet*"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("suggestion: ")]
    pompeo = next(line for line in lines if "s-dfa981" in line and "s-7c1c3d" in line)
    assert pompeo.startswith("suggestion: content/facts/independent-amazon-tiktok-ban.yaml:")
    assert "same_as" in pompeo and "not_same_as" in pompeo
    before = {p: p.read_bytes() for p in (tmp_path / "content/facts").glob("*.yaml")}
    assert CliRunner().invoke(main, ["check", "--no-suggestions"]).output.count("suggestion: ") == 0
    assert before == {p: p.read_bytes() for p in (tmp_path / "content/facts").glob("*.yaml")}  # nothing merged
