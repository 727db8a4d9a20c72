"""Token features for the reported-speech tagger (see ``generator/extract/tagger.py``).

The tagger reads one sentence at a time, as the rules cut it (``core.prepare``), tokenised as
the rules tokenise (``text.tokens``). Features are plain strings for CRFsuite: the word and its
neighbours, its shape, whether it is a reporting verb or noun of the lexicon, how far the
nearest one is, and whether the token lies inside quotation marks. No parse is needed, so the
features cost the same whatever the sentence (the parser only sees the sentences with a cue).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generator.extract.lexicon import lexicon
from generator.extract.text import Quote, Sentence, Token, tokens

WINDOW = 2  # neighbouring words read on each side
FEATURE_SET = "lexical-v2"  # names the features below (printed by train.py with the figures)


@dataclass
class TaggedSentence:
    """One sentence's tokens, their feature lists and (for training) their labels."""

    sentence: Sentence
    toks: list[Token]
    features: list[list[str]]


@lru_cache(maxsize=50_000)
def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if not any(c.isalnum() for c in word):
        return "p"
    if word.isupper() and len(word) > 1:
        return "X"
    if word[0].isupper():
        return "Xx"
    return "x"


def _bucket(n: int | None) -> str:
    if n is None:
        return "none"
    return str(n) if n <= 3 else ("4-6" if n <= 6 else ("7-12" if n <= 12 else "13+"))


@lru_cache(maxsize=50_000)
def _cue_kind(low: str) -> str:
    lex = lexicon()
    if low in lex.manner_forms:
        return ""  # manners of speaking only attribute quotations, which the tagger does not read
    if low in lex.verb_forms:
        return "quoteonly" if lex.verb_forms[low] in lex.quote_only else "verb"
    if low in lex.speech_nouns:
        return "noun"
    if low == "according":
        return "according"
    return ""


@lru_cache(maxsize=50_000)
def _own(text: str, low: str) -> tuple[str, ...]:
    """The features of a token that depend on its word alone."""
    return ("b", "w=" + low, "suf=" + low[-3:], "shape=" + _shape(text), "cue=" + _cue_kind(low))


def _quoted(toks: list[Token], quotes: list[Quote]) -> list[str]:
    """Per token: "in" inside a quotation, "mark" a quotation mark, "" outside."""
    out = []
    for t in toks:
        state = ""
        for q in quotes:
            if q.start <= t.start and t.end <= q.end:
                state = "in"
                break
            if q.open <= t.start < q.start or q.end <= t.start < q.close:
                state = "mark"
                break
        out.append(state)
    return out


def sentence_features(text: str, sent: Sentence, quotes: list[Quote]) -> TaggedSentence:
    """The tokens of ``sent`` and the feature strings of each."""
    toks = tokens(text, sent.start, sent.end)
    lows = [t.lower for t in toks]
    cues = [_cue_kind(w) for w in lows]
    quoted = _quoted(toks, [q for q in quotes if q.open < sent.end and sent.start < q.close])
    n = len(toks)
    last_cue = None
    left: list[tuple[int | None, bool, bool]] = []  # distance to the cue on the left, "that"/comma since
    that = comma = False
    for i in range(n):
        left.append((None if last_cue is None else i - last_cue, that, comma))
        if cues[i]:
            last_cue, that, comma = i, False, False
        elif lows[i] == "that":
            that = True
        elif lows[i] == ",":
            comma = True
    right: list[int | None] = [None] * n
    nxt = None
    for i in range(n - 1, -1, -1):
        right[i] = None if nxt is None else nxt - i
        if cues[i]:
            nxt = i
    feats = []
    for i, t in enumerate(toks):
        w = lows[i]
        f = [*_own(t.text, w), "q=" + quoted[i], "lcue=" + _bucket(left[i][0]), "rcue=" + _bucket(right[i]),
             "that=" + str(left[i][1]), "comma=" + str(left[i][2])]
        for d in range(1, WINDOW + 1):
            for sign, j in (("-", i - d), ("+", i + d)):
                if 0 <= j < n:
                    f.append(f"w{sign}{d}={lows[j]}")
                    f.append(f"cue{sign}{d}={cues[j]}")
                    if d == 1:
                        f.append(f"q{sign}{d}={quoted[j]}")
                else:
                    f.append(f"w{sign}{d}=<edge>")
        if i > 0:
            f.append(f"bi-={lows[i - 1]}|{w}")
        if i + 1 < n:
            f.append(f"bi+={w}|{lows[i + 1]}")
        if i == 0:
            f.append("first")
        if i == n - 1:
            f.append("last")
        feats.append(f)
    return TaggedSentence(sent, toks, feats)


CUE_WORD_RE = re.compile(r"[a-z]+")


def article_sentences(text: str, split, cues: frozenset[str] | None = None) -> list[TaggedSentence]:
    """The sentences of an article prepared by ``core.prepare`` (its ``split``), with features:
    all of them, or only those with a word of ``cues`` (the words a cue was ever made of)."""
    out = []
    for _para, p_quotes, sentences, _units in split:
        for sent in sentences:
            if cues is None or not cues.isdisjoint(CUE_WORD_RE.findall(text[sent.start:sent.end].lower())):
                out.append(sentence_features(text, sent, p_quotes))
    return out
