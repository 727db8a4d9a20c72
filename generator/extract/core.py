"""The statement extractors over a whole article: direct quotations, partial quotations and reported speech.

Each sentence is read as a sequence of units (word tokens outside quotation marks, and whole
quotations; ``units``). Attributions are patterns over those units next to a reporting verb
("cue"), one module per family: ``direct`` (``"Q," SPEAKER CUE``, ``"Q," CUE SPEAKER``,
``SPEAKER CUE: "Q"``), ``reported`` (``SPEAKER CUE (that) CONTENT``, ``CONTENT, SPEAKER CUE``,
``according to SPEAKER, CONTENT``), ``partial`` (quoted fragments), ``context`` (quotations
attributed by the sentences around them). Speakers are resolved afterwards in reading order,
dates last (``finish``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from generator.extract import tagger
from generator.extract.context import attach_context, colon_intro, headline, subheading, title_headline, transcript
from generator.extract.direct import direct
from generator.extract.finish import finish
from generator.extract.lexicon import lexicon
from generator.extract.partial import partials
from generator.extract.reported import reported
from generator.extract.text import Quote, Sentence, find_quotes, split_sentences
from generator.extract.units import Raw, Scan, Unit, cue_at, make_units
from generator.model import Article, Attribution


@dataclass
class Prepared:
    """An article cut into paragraphs, sentences and units, with the sentences worth parsing."""

    split: list

    @functools.cached_property
    def todo(self) -> list[Sentence]:
        """The sentences a parse would help (found only when there is a parser to ask)."""
        return _to_parse(self.split)


def prepare(article: Article) -> Prepared:
    """Quotations, sentences and units of the article, and the sentences a parse would help."""
    text = article.text
    paras = article.paragraphs
    quotes = find_quotes(text, paras)
    by_paragraph: list[list[Quote]] = [[] for _ in paras]
    for q in quotes:
        by_paragraph[q.paragraph].append(q)
    split = []
    for p_index, para in enumerate(paras):
        p_quotes = by_paragraph[p_index]
        sentences = split_sentences(text, para, p_index, p_quotes)
        split.append((para, p_quotes, sentences, [make_units(text, sent, s_quotes)
                                                  for sent, s_quotes in zip(sentences, _by_sentence(sentences, p_quotes))]))
    return Prepared(split)


def _by_sentence(sentences: list[Sentence], quotes: list[Quote]) -> list[list[Quote]]:
    """The quotations opening in each sentence (both in text order), in one pass."""
    out: list[list[Quote]] = [[] for _ in sentences]
    order = sorted(range(len(quotes)), key=lambda n: quotes[n].open)
    k = 0
    for n in order:
        q = quotes[n]
        while k < len(sentences) and sentences[k].end <= q.open:
            k += 1
        if k < len(sentences) and sentences[k].start <= q.open:
            out[k].append(q)
    return out


def find_attributions(article: Article, nlp=None, prepared: Prepared | None = None, parses=None) -> list[Attribution]:
    """Every statement of the article (see the module docstring).

    ``nlp`` (a spaCy pipeline) parses the sentences of ``prepared.todo``; or ``parses`` gives
    those parses already made (one doc-like object per sentence of ``todo``, in order).
    """
    text = article.text
    prepared = prepared or prepare(article)
    split = prepared.split
    quotes = [q for _para, p_quotes, _s, _u in split for q in p_quotes]
    raws: list[Raw] = []
    by_quote: dict[int, Raw] = {}
    colon = None
    if parses is None and nlp is not None:
        parses = list(nlp.pipe((text[s.start:s.end] for s in prepared.todo), batch_size=64))
    docs = {s.start: doc for s, doc in zip(prepared.todo, parses)} if parses is not None else {}
    lines = transcript(text, [para for para, *_ in split])
    last_before = None  # the last sentence of the paragraph before
    for p_index, (para, p_quotes, sentences, all_units) in enumerate(split):
        p_raws: list[Raw] = []
        for s_index, sent in enumerate(sentences):
            scan = Scan(text, sent, all_units[s_index], raws=p_raws)
            before = len(p_raws)
            direct(scan)
            reported(scan, docs.get(sent.start))
            attach_context(text, sentences, s_index, p_raws[before:], p_raws[max(0, before - 1):before], raws, colon,
                           last_before)
            partials(scan, p_raws[before:])
        line = headline(text, para, p_index, p_quotes, p_raws) or title_headline(text, para, p_index, p_quotes, p_raws)
        if line is not None:
            p_raws.append(line)
        _join_continued(p_raws, quotes, by_quote)
        if p_index in lines:
            p_raws = [lines[p_index]]  # a transcript line is one statement by the named speaker
        raws.extend(r for r in p_raws if r.spans)
        colon = colon_intro(text, sentences[-1]) if sentences and text[para.end - 1] == ":" else None
        last_before = sentences[-1] if sentences else None
    if 2 * sum(q.single for q in quotes) < len(quotes):  # the article quotes in double marks
        # "'A change warrior.'" on a line of its own: a subhead quoting the story, as headlines do
        raws = [r for r in raws if r.mention or r.same_as or len(r.quotes) != 1 or not subheading(text, r.quotes[0])]
    if parses is not None:  # the default (parsed) mode: the trained tagger's reported speech too
        raws = tagger.augment(text, split, raws, Raw)
    return finish(article, raws)


def _join_continued(p_raws: list[Raw], quotes: list[Quote], by_quote: dict[int, Raw]) -> None:
    """One quotation over several paragraphs is one statement: a paragraph's raw that continues
    an earlier quotation joins the raw that holds it (and gives it its attribution, which may
    come at the end); ``by_quote`` maps each quotation's opening to the raw holding it."""
    for raw in p_raws:
        for q in raw.quotes:
            by_quote[q.open] = raw
        if raw.quotes and raw.quotes[0].continues is not None:
            prev = by_quote.get(quotes[raw.quotes[0].continues].open)
            if prev is not None and prev.spans:
                if prev.mention is None and prev.same_as is None:
                    prev.mention, prev.cue, prev.venue = raw.mention, raw.cue, raw.venue
                    prev.same_as = raw.same_as
                    prev.context.extend(raw.context)
                for q in raw.quotes:
                    by_quote[q.open] = prev
                prev.absorb(raw)


MAX_PARSE_WORDS = 50  # longer sentences cost the most to parse and gain the least


MIN_PARSE_WORDS = 6  # fewer words outside quotation marks cannot hold speaker, cue and a clause


def _to_parse(split) -> list[Sentence]:
    """The sentences that may hold reported speech a parse would read better than the rules.

    Only sentences with a reporting verb outside quotation marks and enough words around it are
    parsed: parsing is what costs time, and most sentences have no statement to find.
    """
    lex = lexicon()
    todo: list[Sentence] = []
    for _para, _quotes, sentences, all_units in split:
        for sent, units in zip(sentences, all_units):
            words = sum(1 for u in units if u.tok and u.tok.text[:1].isalnum())
            if words < MIN_PARSE_WORDS or words > MAX_PARSE_WORDS:
                continue
            cues = [i for i in range(len(units)) if (c := cue_at(units, i)) and c[0] not in lex.quote_only]
            if any(not _plain_cue(units, i) for i in cues):
                todo.append(sent)
    return todo


def _plain_cue(units: list[Unit], i: int) -> bool:
    """A cue the rules read as well as a parse: "said that ...", or "..., X said." at the end."""
    nxt = units[i + 1].lower if i + 1 < len(units) else "."
    if nxt in ("that", ":") or (units[i].lower in ("said", "says", "say") and nxt not in lexicon().venue_prepositions):
        return True  # "say" is followed by what was said; other verbs may take a noun ("denied the report")
    rest = [u for u in units[i + 1:] if not (u.tok and u.tok.text in (".", "!", "?"))]
    return i > 0 and not rest and any(u.lower == "," for u in units[max(0, i - 6):i])
