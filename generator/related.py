"""Related statements: pairs of records that may be one statement in other words.

Merging (:mod:`generator.merge`) joins records only when their words are the same ("sent in
error" in two typographies, or one source's shortened quote). Two sources often report one
statement in different words: a quote and a paraphrase of it ("I don't want to get out in front
of the president, but it's something we're looking at" / "the US was 'certainly looking at' a
ban"). ``factsheet check`` suggests such pairs to the editors as possible ``same_as``; nothing is
ever merged by a suggestion.

A pair is suggested when the two records are of one speaker (as merging tells speakers apart),
from two articles, said within :data:`DAYS` days of each other, not merged already and not kept
apart by ``not_same_as``, and their content words overlap: at least :data:`MIN_SHARED` of the
shorter record's content words (stop words and the speaker's common words left out, see
:func:`_common_words`) have a counterpart in the other, a word
counting as its counterpart when one is a prefix of the other ("ban", "banning") or rapidfuzz
finds them alike ("app", "apps"). ``benchmarks/related.py`` measures how often it is right.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS  # a word list only: no model is loaded

from generator import merge, wording
from generator.content import canonical_speakers

DAYS = 7  # records said further apart than this are not suggested
MIN_SHARED = 0.5  # the share of the shorter record's content words found in the other
MIN_WORDS = 2  # and at least this many of them
COMMON_SHARE = 0.3  # a word in this share of a speaker's records is one of their common words
WORD_RATIO = 80  # rapidfuzz ratio at which two words (5 letters or more) are one


@dataclass(frozen=True)
class Suggestion:
    """Two records that may be one statement, with the words they share."""

    first: object  # the record first in the content (a model record)
    second: object
    score: float
    shared: tuple[str, ...]


def content_words(text: str) -> tuple[str, ...]:
    """The words of a quote that carry its content: case-folded, stop words and one-letter words left out."""
    # wording.words splits "Amazon's" and "we're" at the apostrophe: the "s" and "re" are dropped.
    return tuple(dict.fromkeys(w for w in wording.words(text) if len(w) > 2 and w not in STOP_WORDS))


def _alike(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    stem = len(os.path.commonprefix((a, b)))  # "ban" / "banning", "policy" / "policies"
    if len(short) >= 3 and stem == len(short) or stem >= max(4, len(short) - 2):
        return True
    return len(short) >= 5 and fuzz.ratio(a, b) >= WORD_RATIO


def shared_words(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """The words of the shorter of ``a`` and ``b`` that have a counterpart in the other."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    out = []
    for word in short:
        if word in long_ or any(_alike(word, other) for other in long_):
            out.append(word)
    return tuple(out)


def _apart(a, b) -> bool:
    """True when an editor has already decided about the pair (either way)."""
    return b.id in a.same_as or a.id in b.same_as or b.id in a.not_same_as or a.id in b.not_same_as


def _common_words(quotes: list[tuple[str, ...]]) -> set[str]:
    """A speaker's words of every day ("TikTok", "email" for Amazon in this story): those in at
    least :data:`COMMON_SHARE` of their records (and in three or more). Sharing them says little."""
    counts: dict[str, int] = defaultdict(int)
    for quote in quotes:
        for word in quote:
            counts[word] += 1
    floor = max(3, COMMON_SHARE * len(quotes))
    return {w for w, n in counts.items() if n >= floor}


def suggest(records: list, people: list) -> list[Suggestion]:
    """The pairs of ``records`` that may be one statement, best first (see the module's docstring)."""
    visible = [r for r in records if r.status != "rejected"]
    registry = canonical_speakers(people)
    group_of = {}
    for n, group in enumerate(merge.group_records(visible, registry)):
        for record in group:
            group_of[record.id] = n
    by_speaker: dict[str, list] = defaultdict(list)
    for record in visible:
        key = merge.speaker_key(record, registry)
        if key and record.said_on:
            by_speaker[key].append(record)
    words = {r.id: content_words(r.quote) for r in visible}
    found = []
    for same in by_speaker.values():
        same.sort(key=lambda r: r.said_on)
        common = _common_words([words[r.id] for r in same])
        for i, a in enumerate(same):
            for b in same[i + 1:]:
                if (b.said_on - a.said_on).days > DAYS:
                    break
                if a.citation.article == b.citation.article or group_of[a.id] == group_of[b.id] or _apart(a, b):
                    continue
                wa = tuple(w for w in words[a.id] if w not in common)
                wb = tuple(w for w in words[b.id] if w not in common)
                if min(len(wa), len(wb)) < MIN_WORDS:
                    continue
                shared = shared_words(wa, wb)
                score = len(shared) / min(len(wa), len(wb))
                if len(shared) >= MIN_WORDS and score >= MIN_SHARED:
                    found.append(Suggestion(a, b, round(score, 2), shared))
    order = {r.id: i for i, r in enumerate(records)}
    found = [s if order[s.first.id] < order[s.second.id] else Suggestion(s.second, s.first, s.score, s.shared)
             for s in found]
    return sorted(found, key=lambda s: (-s.score, order[s.first.id], order[s.second.id]))
