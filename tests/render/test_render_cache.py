"""Render under ``mkdocs serve``: a render that reuses the previous one's work (the serve cache,
:class:`generator.cache.RenderCache`) must produce exactly what a render from scratch produces,
whatever was edited in between."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from conftest import texts, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import ingest, merge, render
from generator.cache import Bounded, RenderCache
from generator.errors import FactsheetError, Problem
from generator.model import Citation, Person, Record

QUOTES = [
    "We are proud of our community and of the work we do.",
    "We are proud of our community and of the work we do",
    "This morning's email was sent in error.",
    "This morning’s email was sent in error",
    "There is no change to our policies at all.",
    "We welcome a dialogue so we can address any issues they may have.",
    "While we do not understand, we welcome a dialogue so we can address any issues they may have.",
    "Totally different words here.",
]
SPEAKERS = [("Amazon", None, None), ("Amazon spokesperson", "spokesperson", "Amazon"), ("Mike Pompeo", None, None),
            ("Pompeo", None, None), ("pompeo", None, None), ("TikTok", None, None), (None, None, None)]
ARTICLES = ("one", "two", "three", "four")


def make_fact(fid: str, quote: int, article: str, speaker: int = 0, **kw) -> Record:
    name, role, org = SPEAKERS[speaker % len(SPEAKERS)]
    text = QUOTES[quote % len(QUOTES)]
    return Record(id=fid, quote=text, kind="direct", citation=Citation(article, 0, len(text), text), speaker=name,
                speaker_role=role, speaker_org=org, **kw)


def make_article(article_id: str, title: str | None = None, day: int = 10):
    article = ingest.article_from_text("x" * 400, f"{article_id}.txt", article_id=article_id,
                                       published=dt.date(2020, 6 + day % 2, 1 + day % 28))
    return dataclasses.replace(article, title=title or article_id.title(), url=f"https://example.com/{article_id}")


class Sheet:
    """The inputs of render_all, edited the way an editor's YAML edits reach it: only the edited
    records, articles and registry entries are new objects."""

    def __init__(self, templates: Path):
        self.articles = {a: make_article(a, day=i) for i, a in enumerate(ARTICLES)}
        self.records = [make_fact(f"r-{i}", i % 5, ARTICLES[i % len(ARTICLES)], i % 4,
                                said_on=dt.date(2020, 6 + i % 2, 1 + i), said_on_inferred=i % 3 == 0)
                      for i in range(10)]
        self.people = [Person(id="mike-pompeo", name="Mike Pompeo")]
        self.templates = templates
        self.problems: list[Problem] = []
        self.counter = 100
        self.cache = RenderCache()

    def render(self, cache):
        """The pages, as text (the serve cache's data files as Chunks of the text otherwise)."""
        return texts(render.render_all(self.articles, self.records, self.people, overview="Our sheet.", title="Sheet",
                                       templates=self.templates, cache=cache, problems=self.problems))

    def check(self):
        """The cached render equals a render from scratch."""
        cached = self.render(self.cache)
        assert cached == self.render(None)
        return cached

    # --- edits ---------------------------------------------------------------------------

    def _edit(self, a: int, **changes) -> None:
        if self.records:
            i = a % len(self.records)
            self.records[i] = dataclasses.replace(self.records[i], **changes)

    def _other(self, b: int) -> str:
        return self.records[b % len(self.records)].id if self.records else "r-0"

    def apply(self, kind: str, a: int, b: int) -> None:
        if kind == "note":
            self._edit(a, note=f"Editor's note {b}")
        elif kind == "verdict":
            self._edit(a, verdict=["False", "Misleading", None][b % 3], rating=["false", None][b % 2])
        elif kind == "quote":
            self._edit(a, quote=QUOTES[b % len(QUOTES)])
        elif kind == "speaker":
            name, role, org = SPEAKERS[b % len(SPEAKERS)]
            self._edit(a, speaker=name, speaker_role=role, speaker_org=org)
        elif kind == "case":  # the same speaker to the matcher, another name to readers
            if self.records and self.records[a % len(self.records)].speaker:
                self._edit(a, speaker=self.records[a % len(self.records)].speaker.swapcase())
        elif kind == "said_on":
            self._edit(a, said_on=dt.date(2020, 5 + b % 3, 1 + b % 28), said_on_precision=["day", "month"][b % 2])
        elif kind == "venue":
            self._edit(a, venue=f"Venue {b % 3}")
        elif kind == "same_as":
            self._edit(a, same_as=(self._other(b),))
        elif kind == "not_same_as":
            self._edit(a, not_same_as=(self._other(b),))
        elif kind == "reject":
            self._edit(a, status="rejected")
        elif kind == "review":
            self._edit(a, status="reviewed")
        elif kind == "article_of":
            self._edit(a, citation=dataclasses.replace(self.records[a % len(self.records)].citation,
                                                       article=ARTICLES[b % len(ARTICLES)]) if self.records else None)
        elif kind == "start":
            if self.records:
                fact = self.records[a % len(self.records)]
                self._edit(a, citation=dataclasses.replace(fact.citation, start=b % 50, end=b % 50 + 10))
        elif kind == "line":  # the record moved in its file: a new object, equal to the old one
            self._edit(a, line=b)
        elif kind == "remove":
            if self.records:
                del self.records[a % len(self.records)]
        elif kind == "add":
            self.counter += 1
            self.records.insert(b % (len(self.records) + 1),
                              make_fact(f"r-{self.counter}", a, ARTICLES[b % len(ARTICLES)], b, said_on=dt.date(2020, 7, 4)))
        elif kind == "move":
            if self.records:
                self.records.append(self.records.pop(a % len(self.records)))
        elif kind == "article_title":
            article_id = ARTICLES[a % len(ARTICLES)]
            if article_id in self.articles:
                changed = dataclasses.replace(self.articles[article_id], title=f"Title {b}", outlet=f"Outlet {b % 2}")
                if b % 2:  # the caller's dict edited in place
                    self.articles[article_id] = changed
                else:
                    self.articles = {**self.articles, article_id: changed}
        elif kind == "article_date":
            article_id = ARTICLES[a % len(ARTICLES)]
            if article_id in self.articles:
                self.articles[article_id] = dataclasses.replace(self.articles[article_id],
                                                                published=dt.date(2020, 5 + b % 3, 1 + b % 28))
        elif kind == "article_remove":
            self.articles.pop(ARTICLES[a % len(ARTICLES)], None)
        elif kind == "article_add":
            article_id = ARTICLES[a % len(ARTICLES)]
            if article_id not in self.articles:
                self.articles = {**self.articles, article_id: make_article(article_id, f"Back {b}", b)}
        elif kind == "alias":
            aliases = () if self.people and self.people[0].aliases else ("Pompeo",)
            self.people = [Person(id="mike-pompeo", name="Mike Pompeo", aliases=aliases, role=f"Role {b % 2}"),
                           *self.people[1:]]
        elif kind == "person":
            if len(self.people) > 1:
                self.people = self.people[:1]
            else:
                self.people = [*self.people, Person(id="amazon", name="Amazon", kind="organization",
                                                    links=("https://www.amazon.com",))]
        elif kind == "problem":
            self.problems = [] if self.problems else [Problem(f"content/facts/{ARTICLES[a % 4]}.yaml", "bad field", 3)]
        elif kind == "template":
            path = self.templates / "speaker.md.j2"
            if b % 3 == 0 and path.exists():
                path.unlink()
            else:
                write(path, f"# Speaker {b} {{{{ speaker.name }}}}\n\n{{% for e in statements %}}- {{{{ e.quote }}}}\n"
                            "{% endfor %}\n")
                self.counter += 1  # a time Jinja and the cache both see as new
                os.utime(path, ns=(self.counter * 10**9,) * 2)
        elif kind == "copy":  # every record a new object with the same content
            self.records = [dataclasses.replace(f) for f in self.records]
        elif kind == "nothing":
            pass
        else:
            raise AssertionError(kind)


EDITS = ["note", "verdict", "quote", "speaker", "case", "said_on", "venue", "same_as", "not_same_as", "reject", "review",
         "article_of", "start", "line", "remove", "add", "move", "article_title", "article_date", "article_remove",
         "article_add", "alias", "person", "problem", "template", "copy", "nothing"]


@pytest.fixture
def sheet(tmp_path):
    sheet = Sheet(tmp_path / "templates")
    sheet.check()
    return sheet


@pytest.mark.parametrize("kind", EDITS)
def test_each_kind_of_edit_renders_with_the_cache_as_from_scratch(sheet, kind):
    for a, b in [(0, 1), (3, 5), (7, 2), (1, 4)]:
        sheet.apply(kind, a, b)
        sheet.check()


def test_a_note_added_to_one_record_makes_only_its_statement_again(sheet, monkeypatch):
    before = sheet.check()
    made = []
    make_statement = merge.make_statement
    monkeypatch.setattr(merge, "make_statement", lambda group, *a, **kw: made.append(group) or make_statement(group, *a, **kw))
    monkeypatch.setattr(merge, "group_indexes", lambda *_, **__: pytest.fail("grouped again"))
    sheet.apply("note", 4, 1)
    after = sheet.render(sheet.cache)
    assert len(made) == 1 and "r-4" in [f.id for f in made[0]]  # its statement (r-9 says the same) only
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed and all("Editor" in after[path] for path in changed)  # the pages that show it
    monkeypatch.undo()
    assert after == sheet.render(None)


def test_a_verdict_given_to_one_record_makes_only_its_statement_s_feed_entry_again(sheet, monkeypatch):
    sheet.check()
    made = []
    feed_entry = render.data.feed_entry
    monkeypatch.setattr(render.data, "feed_entry", lambda statement, *a: made.append(statement.id) or feed_entry(statement, *a))
    sheet.apply("verdict", 4, 0)
    after = sheet.render(sheet.cache)
    assert len(made) == 1 and "Verdict: False" in after[render.FEED]
    assert sheet.render(sheet.cache)[render.FEED] == after[render.FEED] and len(made) == 1  # nothing new: none made
    assert after == sheet.render(None)


def test_a_render_that_fails_leaves_a_cache_that_still_renders_right(sheet):
    write(sheet.templates / "source.md.j2", "{{ site.nope }}\n")
    sheet.apply("note", 2, 3)
    with pytest.raises(FactsheetError, match="template error"):
        sheet.render(sheet.cache)
    (sheet.templates / "source.md.j2").unlink()
    sheet.apply("quote", 2, 3)
    sheet.check()


@pytest.mark.parametrize("first", ["article_title", "article_date", "alias", "template", "problem"])
@pytest.mark.parametrize("second", ["quote", "remove", "note", "case"])
def test_two_edits_seen_by_one_render_render_as_from_scratch(sheet, first, second):
    for a, b in [(0, 1), (3, 5), (2, 2)]:
        sheet.apply(first, a, b)
        sheet.apply(second, a + 1, b + 3)
        sheet.check()


OPS = st.tuples(st.sampled_from(EDITS), st.integers(0, 40), st.integers(0, 40))


@settings(max_examples=int(os.environ.get("FACTSHEET_FUZZ_EXAMPLES", 40)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(OPS, min_size=1, max_size=3), min_size=1, max_size=8))
def test_any_sequence_of_edits_renders_with_the_cache_as_from_scratch(renders):
    """Each inner list is what one render sees (an editor may save several files at once)."""
    with tempfile.TemporaryDirectory() as folder:
        sheet = Sheet(Path(folder) / "templates")
        sheet.check()
        for edits in renders:
            for kind, a, b in edits:
                sheet.apply(kind, a, b)
            sheet.check()


def test_a_bounded_memo_computes_once_and_forgets_everything_when_full():
    calls = []
    memo = Bounded(lambda key: calls.append(key) or key * 2, limit=3)
    assert [memo[1], memo(1), memo[2], memo[3]] == [2, 2, 4, 6]
    assert calls == [1, 2, 3]  # the second look-up of 1 was remembered
    assert memo[4] == 8 and len(memo) == 1  # full: it started again
    assert memo[1] == 2 and calls == [1, 2, 3, 4, 1]


def test_a_registry_edit_retypes_the_cached_structured_data(sheet):
    """Found by the sequence test: after edits that left Amazon's source pages cached, adding Amazon
    to the registry as an organisation must change their JSON-LD too (the registry is in every key)."""
    for edits in [[("note", 0, 0)], [("note", 0, 0)], [("note", 0, 0), ("article_of", 0, 29)],
                  [("add", 0, 32), ("remove", 7, 0), ("reject", 14, 0)], [("note", 0, 0)], [("note", 0, 0)],
                  [("person", 0, 0)]]:
        for kind, a, b in edits:
            sheet.apply(kind, a, b)
        sheet.check()


@pytest.mark.parametrize("kind,again", [
    ("note", True), ("verdict", True), ("review", True),  # the statement keeps its places in the indexes
    ("speaker", None), ("start", False), ("said_on", None), ("add", False), ("remove", False),
])
def test_an_edit_that_keeps_the_indexes_reindexes_from_the_last_render(sheet, monkeypatch, kind, again):
    # reindexed (the last render's indexes, a few statements replaced) gives what index_site
    # gives, and only for edits that leave every statement where it was
    made = []
    real = render.reindexed

    def spy(previous, statements, *args):
        site = real(previous, statements, *args)
        made.append(site is not None)
        if site is not None:
            fresh = render.index_site(statements, *args)
            assert (site.by_speaker, site.by_article, site.by_month, site.speaker_info) == \
                (fresh.by_speaker, fresh.by_article, fresh.by_month, fresh.speaker_info)
            assert [list(site.by_speaker), list(site.by_article), list(site.by_month)] == \
                [list(fresh.by_speaker), list(fresh.by_article), list(fresh.by_month)]
        return site
    monkeypatch.setattr(render, "reindexed", spy)
    for a, b in [(0, 1), (3, 5), (7, 2)]:
        sheet.apply(kind, a, b)
        sheet.check()
    if again is not None:  # a new date or speaker may move a statement, or not: either way the render is right
        assert made and all(m is again for m in made), made


@pytest.mark.parametrize("kind,patched", [("note", True), ("verdict", True), ("add", None), ("remove", None),
                                          ("quote", None), ("review", None)])
def test_the_data_files_and_feed_are_patched_where_each_statement_keeps_its_place(sheet, monkeypatch, kind, patched):
    # the files of the last render with the replaced statements' pieces, equal to a render from
    # scratch (Sheet.check); only when the statements keep their count and places
    from generator.render import data

    taken: list[bool] = []

    def spying(real):
        def spy(*args):
            result = real(*args)
            taken.append(result is not None)
            return result
        return spy
    for name in ("_patched_rows", "_patched_feed"):
        monkeypatch.setattr(data, name, spying(getattr(data, name)))
    for a, b in [(0, 1), (3, 5)]:
        sheet.apply(kind, a, b)
        taken.clear()
        sheet.check()  # the cached render (patched or not) equals the render from scratch
        if patched is not None:
            assert len(taken) == 2 and all(t is patched for t in taken), taken
