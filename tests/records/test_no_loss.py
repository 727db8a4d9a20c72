"""Nothing an editor writes is lost: property-based tests over extract / edit / re-extract.

A fake extractor proposes a random subset of the article's statements with random speakers (as
an improving extractor would); an editor makes random edits between runs. Whatever the order,
every edit survives, and reviewed and rejected records are never changed by the program.
"""
from __future__ import annotations

import copy
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import ingest
from generator.model import Attribution, SaidOn, Span, Speaker
from generator.records import store

SENTENCES = [f'"Statement number {w} is here," said {n}.' for w, n in
             zip(["one", "two", "three", "four", "five", "six"], ["Ana", "Ben", "Cy", "Di", "Ed", "Flo"])]
TEXT = "\n\n".join(SENTENCES) + "\n"
ARTICLE = ingest.article_from_text(TEXT, "articles/a.txt", published=dt.date(2022, 1, 7), digest="x")
SPEAKERS = [Speaker(name="Ana"), Speaker(name="Ana Smith"), Speaker(role="spokesperson", organization="Acme"), None]


def proposal(index: int, speaker: int, cut: int) -> Attribution:
    quote = SENTENCES[index].split('"')[1][: -cut or None]
    start = TEXT.index(quote)
    return Attribution(quote=quote, spans=(Span(start, start + len(quote)),), kind="direct",
                     speaker=SPEAKERS[speaker], said_on=SaidOn(dt.date(2022, 1, 3 + speaker)))


extraction = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.integers(0, 3)),
                      unique_by=lambda t: t[0], max_size=6)
edit = st.one_of(
    st.tuples(st.just("set"), st.integers(0, 20), st.sampled_from(["speaker", "note", "venue", "rating"]),
              st.text(min_size=1, max_size=20).filter(str.strip)),
    st.tuples(st.just("status"), st.integers(0, 20), st.sampled_from(["reviewed", "rejected"]), st.just("")),
)
steps = st.lists(st.one_of(st.tuples(st.just("extract"), extraction), st.tuples(st.just("edit"), edit)), max_size=12)


def run_extract(text: str | None, picked) -> str:
    statements = sorted((proposal(*p) for p in picked), key=lambda s: s.start)
    existing = store.load_roundtrip(text) if text else None
    doc, _ = store.fold_extraction(ARTICLE, statements, existing, "articles/a.txt")
    return store.dump(doc)


def records(text: str) -> dict[str, dict]:
    return {r["id"]: dict(r) for r in store.load_roundtrip(text)["statements"]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=extraction, plan=steps)
def test_editor_work_survives_any_sequence_of_extractions(first, plan):
    text = run_extract(None, first)
    protected: dict[str, dict] = {}  # record id -> the record as the editor left it
    for kind, arg in plan:
        if kind == "extract":
            text = run_extract(text, arg)
        else:
            doc = store.load_roundtrip(text)
            recs = doc["statements"]
            if not recs:
                continue
            action, index, field, value = arg
            rec = recs[index % len(recs)]
            if action == "set":
                rec[field] = value
            else:
                rec["status"] = field
            text = store.dump(doc)
            protected[rec["id"]] = copy.deepcopy(dict(records(text)[rec["id"]]))
        current = records(text)
        for rid, before in protected.items():
            assert rid in current, "a record an editor touched was deleted"
            after = current[rid]
            for key, value in before.items():
                if key == "status" and value == "extracted":
                    assert after["status"] in ("extracted", "reviewed")
                    continue
                assert after.get(key) == value, (rid, key)
        ff, problems = store.parse_fact_file(text, "a.yaml")
        assert problems == []
        assert len({f.id for f in ff.records}) == len(ff.records)


@settings(max_examples=40, deadline=None)
@given(picked=extraction)
def test_loading_and_saving_an_unchanged_file_gives_the_same_bytes(picked):
    text = run_extract(None, picked)
    assert store.dump(store.load_roundtrip(text)) == text
    assert run_extract(text, picked) == text  # re-extracting the same statements changes nothing
