"""The learned part of the extractor: a CRF that tags reported speech, combined with the rules.

PolNeAR annotates attributions as token spans (content, source, cue). ``train.py`` trains a CRF
(CRFsuite) on those spans over the features of ``features.py``; the model ships in
``generator/extract/models/``. In the default (spaCy) mode ``augment`` runs it over every
sentence and combines its spans with the statements the rules found:

* a content span the tagger finds (three words or more, mean marginal probability of its tags
  0.7 or more), in a sentence where it also finds a cue, that no rule statement overlaps becomes
  a reported (``indirect``) statement. Its speaker is the mention the rules' own speaker finder
  sees next to the cue, else the tagger's source span nearest the cue (mean tag probability 0.3
  or more) when that finder reads it as a mention from its first word (``source_mention``: a
  name, a role noun, a pronoun; never "Hours" of "Hours later said"); never a document noun
  ("the report"); resolved later like any rule statement (``speakers.resolve``). No speaker: no
  statement (an honest nothing rather than a guess).
* a reported-speech span of the rules that mostly covers a confident tagger span is cut to the
  tagger's bounds (never lengthened; a mixed one only after its last quotation, so quotations
  are never cut), when that removes two words or more: content running on past its end.

Quotation marks, speakers and dates stay the rules' job. Every span is a span of the article.
"""
from __future__ import annotations

import os
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from generator.extract.features import CUE_WORD_RE, FEATURE_SET, TaggedSentence, article_sentences
from generator.extract.lexicon import lexicon
from generator.extract.mentions import DETERMINERS, is_role, mention_after, mention_before
from generator.extract.text import Quote, Token

MODEL_FILE = "speech.crfsuite"
CUES_FILE = "speech.cues.txt"  # the words cues were made of in training, one a line
MIN_WORDS = 3  # a content span of one or two words is a name or a topic more often than what was said
MIN_CONFIDENCE = 0.7  # mean marginal probability of a span's tags (tuned on polnear-train)
MIN_CUT_WORDS = 2  # a rule's span is cut only by this many words or more ("in May" is not a run-on)
MIN_SOURCE_CONFIDENCE = 0.3  # a source span of the tagger named the speaker only from this (mean tag probability)
MODEL_ENV = "FACTSHEET_TAGGER_MODEL"  # another model file (its cue words beside it): benchmarks/tagger_cv.py


def _model_file(name: str):
    """The packaged model file ``name``, or the one beside ``$FACTSHEET_TAGGER_MODEL`` when set
    (the held-out benchmark scores models trained on half the data; nothing else sets it)."""
    other = os.environ.get(MODEL_ENV)
    if other:
        return Path(other) if name == MODEL_FILE else Path(other).with_name(name)
    return resources.files("generator.extract.models").joinpath(name)


@lru_cache(maxsize=1)
def lexicon_cues() -> frozenset[str]:
    """The cue words of the lexicon (reporting verbs' forms, speech nouns, "according")."""
    lex = lexicon()
    words = {w for form in [*lex.verb_forms, *lex.phrasal_forms] if form not in lex.manner_forms
             for w in form.split()[:1]}
    return frozenset(words | set(lex.speech_nouns) | {"according"})


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """The words a sentence needs one of to be tagged: the lexicon's and those learnt in training."""
    learnt = _model_file(CUES_FILE)
    return lexicon_cues() | frozenset(learnt.read_text("utf-8").split() if learnt.is_file() else ())


@lru_cache(maxsize=1)
def load_tagger():
    """The CRFsuite tagger of the packaged model (opened once per process), or None without one."""
    import pycrfsuite

    model = _model_file(MODEL_FILE)
    if not model.is_file():
        return None
    tagger = pycrfsuite.Tagger()
    with resources.as_file(model) as path:
        tagger.open(str(path))
    return tagger


def tag(ts: TaggedSentence, tagger=None) -> list[str]:
    """The B-/I- tags (C content, Q cue, S source) of one sentence's tokens."""
    tagger = tagger or load_tagger()
    return tagger.tag(ts.features) if ts.toks else []


def confidence(tagger, tags: list[str], a: int, b: int) -> float:
    """The mean marginal probability of the tags of tokens ``[a, b)`` (after ``tag``)."""
    return sum(tagger.marginal(tags[i], i) for i in range(a, b)) / (b - a)


def token_spans(tags: list[str], part: str) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` tagged ``part`` (``"C"``, ``"Q"`` or ``"S"``)."""
    out, start = [], None
    for i, t in enumerate([*tags, "O"]):
        if start is not None and t != "I-" + part:
            out.append((start, i))
            start = None
        if t in ("B-" + part, "I-" + part) and start is None:
            start = i
    return out


def _word_count(text: str, a: int, b: int) -> int:
    return len(CUE_WORD_RE.findall(text[a:b].lower())) if b > a else 0


def _words(toks: list[Token]) -> int:
    return sum(any(c.isalnum() for c in t.text) for t in toks)


def _trimmed(toks: list[Token], a: int, b: int) -> tuple[int, int]:
    """``[a, b)`` without the punctuation at its ends (quotation marks are kept with their words)."""
    while a < b and not any(c.isalnum() for c in toks[a].text) and toks[a].text not in "\"“‘'":
        a += 1
    while b > a and not any(c.isalnum() for c in toks[b - 1].text) and toks[b - 1].text not in "\"”’'":
        b -= 1
    return a, b


def _cuts_quote(start: int, end: int, quotes: list[Quote]) -> bool:
    return any(q.open < end and start < q.close and not (start <= q.open and q.close <= end) for q in quotes)


def source_mention(toks: list[Token], a: int, b: int) -> tuple[int, int] | None:
    """Token range of the tagger's source span ``[a, b)`` when the rules' speaker finder reads it
    as a mention from its first word: a name, a role noun, a pronoun ("Hours" in "Hours later said",
    "After" or "who lives outside Minneapolis" are none). An apposition after a comma, a dash or a
    parenthesis is left out ("Murphy, the head of Right to Rise USA,": Murphy)."""
    a, b = _trimmed(toks, a, b)
    cut = next((k for k in range(a + 1, b) if toks[k].text in (",", "(", "—", "–", "-", ";", ":")), b)
    if cut <= a:
        return None
    probe = toks[:cut] + [Token(toks[cut - 1].end, toks[cut - 1].end, "said")]  # as if the cue followed it
    found = mention_before(probe, cut, a)
    return found if found and found[0] == a else None


def _mention(ts: TaggedSentence, cue: tuple[int, int], content: tuple[int, int], sources=lambda: ()):
    """Character span of the speaker of ``cue``: the mention the rules' own speaker finder sees
    next to it, else the tagger's source span nearest the cue when the finder reads it as a
    mention (``source_mention``: never "Hours" of "Hours later said ..."); never inside the
    content, never a document."""
    toks = ts.toks
    outside = lambda s: s[1] <= content[0] or s[0] >= content[1]  # noqa: E731
    found = mention_before(toks, cue[0])
    found = found if found and outside(found) else mention_after(toks, cue[1] - 1)
    if not (found and outside(found)):
        near = [s for s in sources() if outside(s)]
        nearest = min(near, key=lambda s: min(abs(s[1] - cue[0]), abs(s[0] - cue[1])), default=None)
        found = source_mention(toks, *nearest) if nearest else None
    if not found:
        return None
    a, b = found
    if toks[b - 1].lower in lexicon().document_nouns:
        return None  # "The report repeated the claim ...": a document, not a speaker
    return toks[a].start, toks[b - 1].end


PARTICIPLES = {"told", "said", "written", "spoken", "heard", "shown"}
ELLIPTICAL_OPENERS = {"when", "whenever", "if", "once", "after", "before", "until", "unless", "and", "as"}


def passive_cue(toks: list[Token], cue: tuple[int, int]) -> bool:
    """ "Clinton was asked about ...", "Obama has been criticized for ...": a passive cue, whose
    subject is the one spoken to or about; the speaker is no one named (PolNeAR's source is empty)."""
    lex = lexicon()
    for k in range(cue[0], cue[1]):
        low = toks[k].lower
        if low == "asked" and (k == 0 or toks[k - 1].lower in ELLIPTICAL_OPENERS):
            return True  # "Asked about ...", "X said when asked whether ...": asked by no one named
        if (low.endswith("ed") or low in PARTICIPLES) and low in lex.verb_forms and k > 0 \
                and toks[k - 1].lower in lex.passive - {"'s", "’s"} \
                and not (k + 1 < len(toks) and toks[k + 1].lower == "by"):  # "'s said": has said
            return True
    return False


def augment(text: str, split, raws: list, make_raw) -> list:
    """``raws`` (the rules' statements before speakers) with the tagger's added and run-ons cut.

    ``split`` is ``core.prepare(article).split``; ``make_raw(spans=, kind=, paragraph=, mention=, cue=,
    context=, quotes=)`` builds one rule statement (the hook passes ``core.Raw``).
    """
    tagger = load_tagger()
    if tagger is None:
        return raws
    quotes_of = {p_index: p_quotes for p_index, (_p, p_quotes, _s, _u) in enumerate(split)}
    added = []
    for ts in article_sentences(text, split, cue_words()):
        tags = tag(ts, tagger)
        contents = token_spans(tags, "C")
        cues = token_spans(tags, "Q")
        if not contents or not cues:
            continue
        para = ts.sentence.paragraph
        quotes = quotes_of[para]
        # the confident source spans, made once per sentence and only when a speaker is missing
        sources = cache(lambda tags=tags: [s for s in token_spans(tags, "S")
                                           if confidence(tagger, tags, *s) >= MIN_SOURCE_CONFIDENCE])
        for a, b in contents:
            a, b = _trimmed(ts.toks, a, b)
            if b <= a or _words(ts.toks[a:b]) < MIN_WORDS:
                continue
            if confidence(tagger, tags, a, b) < MIN_CONFIDENCE:
                continue
            start, end = ts.toks[a].start, ts.toks[b - 1].end
            if _cuts_quote(start, end, quotes):
                continue
            overlapping = [r for r in raws if any(s < end and start < e for s, e in r.spans)]
            # a quoted fragment the rules could not attribute gives way to the tagger's statement
            # that holds it and names its speaker ("called it 'a significant development'")
            loose = [r for r in overlapping if _unattributed_within(r, start, end)]
            if len(loose) < len(overlapping):
                _adjust(text, overlapping, start, end)
                continue
            cue = min(cues, key=lambda c: min(abs(c[1] - a), abs(c[0] - b)))
            passive = passive_cue(ts.toks, cue)
            mention = None if passive else _mention(ts, cue, (a, b), sources)
            if mention is None and not passive:
                continue
            if loose and mention is not None and _noun_cue_of(ts.toks, cue, mention):
                continue  # "the old promise that ...": no one made it; the fragment stays as it was
            cue_tok = Token(ts.toks[cue[0]].start, ts.toks[cue[1] - 1].end,
                            text[ts.toks[cue[0]].start:ts.toks[cue[1] - 1].end])
            inside = [q for q in quotes if start <= q.open and q.close <= end]
            for r in loose:
                r.spans = []  # held by the statement added below
            added.append(make_raw(spans=[(start, end)], kind="mixed" if inside else "indirect", paragraph=para,
                                  mention=mention, cue=cue_tok, context=[(ts.sentence.start, ts.sentence.end)],
                                  quotes=inside))
    return raws + added


def _noun_cue_of(toks: list[Token], cue: tuple[int, int], mention: tuple[int, int]) -> bool:
    """ "the old promise": the cue is a speech noun and the "mention" before it is its own
    determiner and modifiers, no role or name."""
    if cue[1] - cue[0] != 1 or cue[0] == 0 or toks[cue[0]].lower not in lexicon().speech_nouns:
        return False
    last = toks[cue[0] - 1]  # the mention must end right before the noun
    first = next((t for t in toks if t.start >= mention[0]), None)
    return last.end == mention[1] and first is not None and first.lower in DETERMINERS \
        and not is_role(last.lower) and not last.text[:1].isupper()


def _unattributed_within(raw, start: int, end: int) -> bool:
    """A quoted fragment no rule attributed, lying inside the tagger's content ``start:end``."""
    return raw.kind == "partial" and raw.mention is None and raw.same_as is None \
        and all(start <= s and e <= end for s, e in raw.spans)


def _adjust(text: str, raws: list, start: int, end: int) -> None:
    """Cut a rule's reported span to the tagger's bounds (never lengthen it): a span with no
    quotation is cut at both ends when the two mostly overlap; a mixed one only after its last
    quotation."""
    for r in raws:
        if len(r.spans) != 1 or r.kind not in ("indirect", "mixed"):
            continue
        s, e = r.spans[0]
        if r.kind == "mixed" or r.quotes:
            last = max((q.close for q in r.quotes), default=e)
            new = (s, end) if last <= end < e else (s, e)
        elif min(e, end) - max(s, start) >= 0.5 * (end - start):
            new = (max(s, start), min(e, end))  # never longer than the rule's
        else:
            continue
        if _word_count(text, s, new[0]) + _word_count(text, new[1], e) >= MIN_CUT_WORDS:
            r.spans = [new]


__all__ = ["FEATURE_SET", "augment", "load_tagger", "tag", "token_spans"]
