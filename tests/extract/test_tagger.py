"""The trained reported-speech tagger: it loads offline, tags what it should, trains, and leaves
the rules mode alone. The sentences are made up for the tests."""
from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

import pytest

from generator import extract, ingest
from generator.extract import core, tagger, train
from generator.extract.features import article_sentences
from generator.extract.text import tokens

FRIDAY = dt.date(2020, 7, 10)


def article(text: str):
    return ingest.article_from_text(text, "test.txt", published=FRIDAY)


def tagged(text: str) -> list[tuple[str, str]]:
    """``(part, text)`` of every span the tagger finds in ``text`` (part C, Q or S)."""
    a = article(text)
    out = []
    for ts in article_sentences(a.text, core.prepare(a).split):
        tags = tagger.tag(ts)
        for part in "CQS":
            for i, j in tagger.token_spans(tags, part):
                out.append((part, a.text[ts.toks[i].start:ts.toks[j - 1].end]))
    return out


@pytest.fixture
def offline(monkeypatch):
    """No network: any socket raises (the model must come from the package)."""
    def refuse(*args, **kwargs):
        raise OSError("network used")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    tagger.load_tagger.cache_clear()
    yield
    tagger.load_tagger.cache_clear()


def test_model_loads_offline_from_the_package(offline):
    model = tagger.load_tagger()
    assert model is not None
    assert tagged("The senator said that the bill would pass easily.\n")


POSITIVE = [
    # sentence, a word of the content, the cue
    ("The governor indicated that the state would raise taxes on gasoline next year.\n", "taxes", "indicated"),
    ("Johnson said the company had lost money in every quarter since 2014.\n", "quarter", "said"),
    ("The mayor warned that the bridge would close for repairs in the spring.\n", "bridge", "warned"),
]


@pytest.mark.parametrize("text,word,cue", POSITIVE)
def test_tagger_finds_reported_content_and_cue(text, word, cue):
    found = tagged(text)
    assert any(part == "C" and word in span for part, span in found), found
    assert any(part == "Q" and cue in span for part, span in found), found


NEGATIVE = [
    "The bridge reopened in the spring after two years of repairs.\n",
    "Heavy rain fell over the county on Tuesday, flooding several roads.\n",
    "The company lost money in every quarter since 2014.\n",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_tagger_finds_nothing_in_narrative(text):
    assert [p for p, _ in tagged(text) if p in "CQ"] == []


def test_tagger_statement_is_reported_with_resolved_speaker():
    """A cue the rules do not know ("echoed claims that"): the tagger's span, the subject as speaker."""
    text = "Maria Lopez echoed claims that the council would vote against the new stadium.\n"
    found = extract.extract(article(text), None)
    assert not any("stadium" in s.quote for s in found)  # the rules alone miss it
    with_tagger = default_mode(text)
    hit = [s for s in with_tagger if "stadium" in s.quote]
    assert hit, [extract.as_json(s) for s in with_tagger]
    s = hit[0]
    assert s.kind == "indirect" and s.speaker and s.speaker.label == "Maria Lopez"
    assert s.quote == text[s.start:s.end] and not s.speaker_inferred


def default_mode(text: str):
    """The statements of the default mode with the rules' reading of every sentence (no parse)."""
    a = article(text)
    prepared = core.prepare(a)
    return core.find_attributions(a, None, prepared, [None] * len(prepared.todo))


TAGGER_READINGS = [
    # PolNeAR's reading, which the rules alone do not give: sentence, content, speaker
    ("She called him a liar in front of the whole council.\n", "him a liar", None),
    ("The ad shows Ona Pratt asking about the bridge and the budget.\n", "the bridge and the budget", "Ona Pratt"),
]


def test_an_unattributed_fragment_gives_way_to_the_tagger_statement_holding_it():
    # the rules find no cue for the fragment (an unattributed partial); the tagger's content holds
    # it and names the speaker: one mixed statement, not a fragment without a speaker
    text = "City council member Ann Berg has repeatedly pointed to the deal as the model of a “broken system.”\n"
    found = default_mode(text)
    assert [(s.kind, s.quote, s.speaker.label) for s in found] == [
        ("mixed", "the deal as the model of a “broken system.”", "Ann Berg")]


@pytest.mark.parametrize("text,content,speaker", TAGGER_READINGS)
def test_tagger_reads_noun_phrase_content(text, content, speaker):
    found = [s for s in default_mode(text) if content in s.quote]
    assert found and found[0].kind == "indirect", [extract.as_json(s) for s in default_mode(text)]
    assert found[0].quote == text[found[0].start:found[0].end]
    if speaker:
        assert found[0].speaker.label == speaker


def test_a_document_is_not_the_tagger_speaker():
    assert all(s.speaker is None for s in default_mode("The report repeated the claim that the dam was unsafe.\n"))


def test_rules_mode_never_runs_the_tagger(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the tagger ran in rules mode")
    monkeypatch.setattr(tagger, "augment", refuse)
    text = "Maria Lopez said that the council would vote against the new stadium.\n"
    found = extract.extract(article(text), None)
    assert [s.speaker.label for s in found] == ["Maria Lopez"]


def _gold_folder(tmp_path: Path) -> Path:
    """Three tiny annotated articles in the evaluation format."""
    folder = tmp_path / "gold"
    folder.mkdir()
    texts = ["Ann Lee said the plan was late and over budget.\n",
             "The mayor told reporters the road would close in May.\n",
             "Tom Baker argued that taxes were too high for families.\n"]
    for n, text in enumerate(texts):
        cue = next(w for w in ("said", "told", "argued") if w in text)
        c0 = text.index(cue)
        s_end = c0 - 1
        content_start = text.index("the plan") if n == 0 else (text.index("the road") if n == 1 else
                                                               text.index("taxes"))
        end = text.index(".")
        rec = {"quote": text[content_start:end], "type": "indirect", "start": content_start, "end": end,
               "quote_spans": [{"start": content_start, "end": end}], "speaker": text[:s_end],
               "speaker_start": 0, "speaker_end": s_end, "speaker_spans": [{"start": 0, "end": s_end}],
               "cue": cue, "cue_spans": [{"start": c0, "end": c0 + len(cue)}], "cue_class": "speech"}
        (folder / f"doc{n}.txt").write_text(text, encoding="utf-8")
        (folder / f"doc{n}.gold.json").write_text(json.dumps([rec]), encoding="utf-8")
    return folder


def test_training_command_writes_a_model(tmp_path, capsys):
    folder = _gold_folder(tmp_path)
    out = tmp_path / "model.crfsuite"
    assert train.main(["--data", str(folder), "--dev", str(tmp_path / "none"), "--out", str(out)]) == 0
    assert out.stat().st_size > 0
    printed = capsys.readouterr().out
    assert "3 articles" in printed and "content P/R/F1" in printed


def test_training_labels_cue_source_and_content(tmp_path):
    folder = _gold_folder(tmp_path)
    (sents, tags), *_ = train.load_folder(folder)
    words = [(t.text, tag) for t, tag in zip(sents[0].toks, tags[0])]
    assert words[:5] == [("Ann", "B-S"), ("Lee", "I-S"), ("said", "B-Q"), ("the", "B-C"), ("plan", "I-C")]
    assert words[-1] == (".", "O")


def test_training_without_data_is_one_clear_line(tmp_path, capsys):
    assert train.main(["--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(tmp_path) in err


def test_extractor_fingerprint_covers_the_model(tmp_path):
    from generator.records import store

    (tmp_path / "extract" / "models").mkdir(parents=True)
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "extract" / "core.py").write_text("x = 1\n")
    (tmp_path / "lexicons" / "reporting.yaml").write_text("speech: []\n")
    model = tmp_path / "extract" / "models" / tagger.MODEL_FILE
    model.write_bytes(b"model one")
    before = store.extractor_version(tmp_path)
    model.write_bytes(b"model two")
    assert store.extractor_version(tmp_path) != before
    assert store.extractor_version() == store.EXTRACTOR_VERSION


SOURCE_SPANS = [
    # a sentence, the tagger's source span in it, the mention the speaker finder reads there (None: no speaker)
    ("McCain said it would pass.", "McCain", "McCain"),
    ("The president noted that he taught law.", "The president", "The president"),
    ("He dismissed the critique.", "He", "He"),
    ("They called him an opportunist.", "They", "They"),
    ("Murphy, the head of Right to Rise USA, tweeted a picture.", "Murphy, the head of Right to Rise USA,", "Murphy"),
    ("Gov. John Kasich (R-OH), said he was proud.", "Gov. John Kasich (R-OH),", "Gov. John Kasich"),
    ("Dean Johnson, a salesman from Sumter, says Cruz will win.", "Dean Johnson, a salesman from Sumter,", "Dean Johnson"),
    ("Former Secretary of State Madeleine Albright urged women to vote.",
     "Former Secretary of State Madeleine Albright", "Former Secretary of State Madeleine Albright"),
    ("Hours later said the plan would fail.", "Hours", None),  # a sentence opener, not a name
    ("After saying he was nervous, the man asked.", "After", None),
    ("Let me just say that it was fine.", "Let me", None),
    ("Woodrow Benford, who lives outside Minneapolis, says he did not know.", "who lives outside Minneapolis,", None),
    # a share of those asked is the speaker as written
    ("75 percent of Democrats said yes.", "75 percent of Democrats", "75 percent of Democrats"),
    ("Nearly half said they prefer someone else.", "Nearly half", "Nearly half"),
    ("The billionaire businessman began by talking about drugs.", "The billionaire businessman began by", None),
    ("His warning was clear.", "His", None),
    ("The campaign's spokesman said no.", "The campaign's spokesman", "The campaign's spokesman"),
]


@pytest.mark.parametrize("sentence,source,mention", SOURCE_SPANS)
def test_a_source_span_names_the_speaker_only_when_it_reads_as_a_mention(sentence, source, mention):
    toks = tokens(sentence)
    a = next(i for i, t in enumerate(toks) if t.start == sentence.index(source))
    b = next(i for i, t in enumerate(toks) if t.end == sentence.index(source) + len(source)) + 1
    found = tagger.source_mention(toks, a, b)
    assert (sentence[toks[found[0]].start:toks[found[1] - 1].end] if found else None) == mention


def test_tagger_source_span_names_a_speaker_the_rules_do_not_find(monkeypatch):
    """The cue next to the content ("citing") has no subject of its own: the tagger's source span
    ("McCain", the subject of "said") names the speaker; never "Hours" of a sentence opener."""
    text = ('"It reflects frustration," McCain said, citing low economic growth and growing inequality.\n')
    spans = {"S": "McCain", "Q": "citing", "C": "low economic growth and growing inequality"}
    monkeypatch.setattr(tagger, "tag", lambda ts, _t=None: _tags_for(ts, spans))
    monkeypatch.setattr(tagger, "confidence", lambda *_: 1.0)
    hit = [s for s in default_mode(text) if "economic growth" in s.quote]
    assert hit and hit[0].speaker.label == "McCain", [extract.as_json(s) for s in default_mode(text)]
    text = "Hours later, citing low economic growth and growing inequality.\n"
    spans = {"S": "Hours", "Q": "citing", "C": "low economic growth and growing inequality"}
    assert not [s for s in default_mode(text) if "economic growth" in s.quote]


def _tags_for(ts, spans: dict[str, str]) -> list[str]:
    """B-/I- tags of ``ts`` marking the first occurrence of each part's text (a stand-in model)."""
    tags = ["O"] * len(ts.toks)
    for part, words in spans.items():
        toks = words.split()
        for i in range(len(ts.toks) - len(toks) + 1):
            if [t.text for t in ts.toks[i:i + len(toks)]] == toks:
                tags[i:i + len(toks)] = ["B-" + part] + ["I-" + part] * (len(toks) - 1)
                break
    return tags


def test_another_model_is_read_from_the_environment(tmp_path, monkeypatch):
    """$FACTSHEET_TAGGER_MODEL (the held-out benchmark's fold models): that model and its cue words."""
    folder = _gold_folder(tmp_path)
    out = tmp_path / "fold" / tagger.MODEL_FILE
    assert train.main(["--data", str(folder), "--dev", str(tmp_path / "none"), "--out", str(out)]) == 0
    monkeypatch.setenv(tagger.MODEL_ENV, str(out))
    tagger.load_tagger.cache_clear()
    tagger.cue_words.cache_clear()
    try:
        assert tagger.load_tagger().info().header  # the fold's model, trained on three sentences
        assert tagger.cue_words() == tagger.lexicon_cues() | set(out.with_name(tagger.CUES_FILE).read_text().split())
    finally:
        tagger.load_tagger.cache_clear()
        tagger.cue_words.cache_clear()


@pytest.mark.parametrize("sentence,cue,passive", [
    # a passive cue: its subject was spoken to or about, and is not the speaker
    ("Clinton was asked about securing the border.", "was asked about", True),
    ("Obama has been criticized for using the term.", "has been criticized for", True),
    ("The mayor was told that the bridge was unsafe.", "was told", True),
    # active, or passive with its agent named ("by X"): not
    ("Clinton asked about securing the border.", "asked about", False),
    ("Obama was criticized by Holt for using the term.", "was criticized", False),
    ("The mayor has said that the bridge was unsafe.", "has said", False),
    ("The mayor's said that the bridge was unsafe.", "said", False),
])
def test_a_passive_cue_names_no_speaker(sentence, cue, passive):
    toks = tokens(sentence)
    a = next(i for i, t in enumerate(toks) if t.start == sentence.index(cue))
    b = next(i for i, t in enumerate(toks) if t.end == sentence.index(cue) + len(cue)) + 1
    assert tagger.passive_cue(toks, (a, b)) is passive


@pytest.mark.parametrize("sentence,cue", [
    ("Asked about the bridge, Holt said it was safe.", "Asked about"),
    ("Holt said it was safe when asked about the bridge.", "asked about"),
])
def test_an_elliptical_asked_is_passive(sentence, cue):
    toks = tokens(sentence)
    a = next(i for i, t in enumerate(toks) if t.start == sentence.index(cue))
    b = next(i for i, t in enumerate(toks) if t.end == sentence.index(cue) + len(cue)) + 1
    assert tagger.passive_cue(toks, (a, b))
