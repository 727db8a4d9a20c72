"""Record ids are unique across the content folder when they are made, not only within one article.

Six hex digits of a hash of the article and the words were unique per article only: 141 of
73,389 records of 10,000 generated articles got an id another article had, and `factsheet
build` refuses a duplicate. A new id now names its article, so fact files written apart (worker
processes, a Dask cluster, ``extract_file`` per machine) cannot give two records one id.
"""
from __future__ import annotations

import hashlib
import re

import pytest
from click.testing import CliRunner
from conftest import write
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.content import jobs
from generator.records import fields, store

# Two statements whose 6-hex ids collided under the old scheme (found by a birthday search
# over "we will build N homes" in articles 'north' and 'south'; checked below, not assumed).
NORTH, SOUTH = "We will build 67388 homes", "We will build 121 homes"


def old_id(article_id: str, quote: str) -> str:
    """The id the extractor gave before: 6 hex digits of the article and the words."""
    words = re.findall(r"\w+", quote.lower())
    return "s-" + hashlib.sha1(f"{article_id}\n{' '.join(words)}".encode()).hexdigest()[:6]


def article(quote: str) -> str:
    return f'date 2020-07-10\n\n"{quote}," the mayor said on Monday.\n'


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTSHEET_NLP", "rules")
    write(tmp_path / "content/articles/north.txt", article(NORTH))
    write(tmp_path / "content/articles/south.txt", article(SOUTH))
    return tmp_path


def ids(path) -> list[str]:
    return re.findall(r"(?m)^  - id: (\S+)$", path.read_text("utf-8"))


def test_two_articles_whose_old_ids_collide_get_different_ids_and_check_passes(site):
    assert old_id("north", NORTH) == old_id("south", SOUTH)  # the collision this test is about
    result = CliRunner().invoke(main, ["extract"])
    assert result.exit_code == 0, result.output
    north, south = ids(site / "content/facts/north.yaml"), ids(site / "content/facts/south.yaml")
    assert north == [f"s-north-{old_id('north', NORTH)[2:]}"] and south == [f"s-south-{old_id('south', SOUTH)[2:]}"]
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output


def test_articles_extracted_apart_get_the_ids_of_one_run(site):
    """``extract_file`` on each article (as separate machines would) writes what one run writes."""
    assert CliRunner().invoke(main, ["extract"]).exit_code == 0
    together = {p.name: p.read_bytes() for p in (site / "content/facts").glob("*.yaml")}
    for path in (site / "content/facts").glob("*.yaml"):
        path.unlink()
    for name in ("south", "north"):
        jobs.extract_file(site / "content", site / f"content/articles/{name}.txt", mode="rules")
    assert {p.name: p.read_bytes() for p in (site / "content/facts").glob("*.yaml")} == together


def test_an_existing_id_is_kept_even_when_another_article_has_it(site):
    """Ids editors have are never changed; the duplicate is reported, not renamed."""
    assert CliRunner().invoke(main, ["extract"]).exit_code == 0
    south = site / "content/facts/south.yaml"
    text = south.read_text("utf-8")
    north_id = ids(site / "content/facts/north.yaml")[0]
    south.write_text(text.replace(ids(south)[0], north_id), "utf-8")
    edited = south.read_bytes()
    assert CliRunner().invoke(main, ["extract", "--force"]).exit_code == 0
    assert south.read_bytes() == edited  # nothing an editor wrote is rewritten
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and north_id in result.output


article_ids = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,79}\Z")
quotes = st.text(min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(article_ids, article_ids, quotes, quotes, st.integers(0, 3))
def test_new_ids_are_valid_and_two_articles_never_share_one(a, b, q, r, repeats):
    taken: set[str] = set()
    for _ in range(repeats + 1):  # the same words said again in one article: -2, -3, ...
        rid = store.new_id(a, q, taken)
        assert rid not in taken and fields.ID_RE.match(rid), rid
        taken.add(rid)
    other = store.new_id(b, r, set())
    assert fields.ID_RE.match(other)
    if store.article_key(a) != store.article_key(b):
        assert other not in taken
