"""From raws to statements: speakers resolved in reading order, honest guesses for quotations
no attribution names, fragments quoted again, dates, and duplicates dropped.
"""
from __future__ import annotations

import re
from dataclasses import replace

from generator.extract.clauses import relative_clause_end, subject
from generator.extract.dates import find_date
from generator.extract.lexicon import lexicon
from generator.extract.mentions import mention_after
from generator.extract.partial import speech_like, utterance
from generator.extract.speakers import Memory, resolve
from generator.extract.text import Sentence, Token, abbreviation_before, tokens
from generator.extract.units import Raw, make_units
from generator.model import Article, Attribution, SaidOn, Span, Speaker


def finish(article: Article, raws: list[Raw]) -> list[Attribution]:
    """Resolve speakers and dates in reading order and build the Attributions."""
    text = article.text
    # still no speaker after all paragraphs of a quotation were read: refuse, unless it is kept as inferred
    raws = [r for r in raws if r.spans and (r.mention or r.same_as or r.inferred or r.kind != "direct")]
    raws.sort(key=lambda r: r.spans[0][0])
    memory = Memory(text)
    done: dict[int, Attribution] = {}
    dated: dict[str, SaidOn] = {}  # speaker label -> the date of their latest dated statement
    out: list[Attribution] = []
    attributed = _Attributed()
    pending: list[Raw] = []
    last: tuple[Raw, Attribution] | None = None  # the latest statement with a speaker
    spoken: list[tuple[Raw, Attribution]] = []  # all of them, in reading order
    for raw in raws:
        if raw.mention is None and raw.same_as is None and raw.kind == "partial":
            pending.append(raw)
            continue
        st = _attributed(article, raw, last, memory, done, dated)
        if st is None:
            continue
        done[id(raw)] = st
        if st.speaker or st.speaker_span:
            last = (raw, st)
            spoken.append(last)
        if st.speaker and st.said_on and not st.said_on.inferred:
            dated[st.speaker.label] = st.said_on
        out.append(st)
        if st.speaker:
            attributed.add(st)
    for raw in pending:
        st = _unattributed(article, raw, attributed, spoken, memory, done, dated)
        if st is not None:
            out.append(st)
    out = _dedupe(out)
    out.sort(key=lambda s: (s.start, s.end))
    return out


def _attributed(article: Article, raw: Raw, last: tuple[Raw, Attribution] | None, memory: Memory,
                done: dict[int, Attribution], dated: dict[str, SaidOn]) -> Attribution | None:
    """A raw statement with its speaker resolved, or guessed (marked inferred) when it has none."""
    if raw.inferred and raw.mention is None:
        raw.mention = _credit_after(article, raw)
    if raw.inferred and raw.mention is None:
        return _inferred(article, raw, _guess(raw, last))
    st = _statement(article, raw, memory, done, dated)
    if raw.inferred:
        st = st and replace(st, speaker_inferred=True)  # a name with a colon, no cue
    return st


def _unattributed(article: Article, raw: Raw, attributed: _Attributed, spoken: list[tuple[Raw, Attribution]],
                  memory: Memory, done: dict[int, Attribution], dated: dict[str, SaidOn]) -> Attribution | None:
    """A quoted fragment no cue attributes: the repeat of an attributed statement, an utterance, or
    a fragment long enough to be speech (its speaker guessed, marked inferred); else nothing."""
    text = article.text
    st = _repeated(article, raw, attributed)
    if st is None and utterance(text, raw):
        # '"I voted for him," one said.': kept, its speaker guessed as for a direct quotation
        before = [x for x in spoken if x[0].spans[0][0] < raw.spans[0][0]]
        st = _inferred(article, replace(raw, kind="direct"), _guess(raw, before[-1] if before else None))
    elif st is None and raw.subject is not None and speech_like(text, raw) \
            and sum(len(text[a:b].split()) for a, b in raw.spans) >= MIN_GUESSED_WORDS:
        # a fragment no cue attributes: kept, its speaker guessed as the sentence's subject
        st = _statement(article, replace(raw, mention=raw.subject), memory, done, dated)
        st = st and replace(st, speaker_inferred=True)
    return st


# A quoted fragment no cue attributes is kept with its sentence's subject as a guess from this
# length (shorter ones are scare quotes as often as speech: measured on polnear-train and -dev;
# 4 instead of 5 since session 12: train quoted_R +0.1, precision -0.03, dev unchanged; 3 cost
# dev precision 0.2).
MIN_GUESSED_WORDS = 4


_CREDIT = re.compile(r"[ \t]*(?:\n\s*)?[-—–―]+[ \t]*(?=[A-Z])")


def _credit_after(article: Article, raw: Raw) -> tuple[int, int] | None:
    """A credit line after the quotation: '"..." — Bernie Sanders' / '-President Obama, tweeting ...'
    at once after its closing mark or opening the next paragraph: a capitalised name after a dash."""
    text = article.text
    close = raw.quotes[-1].close if raw.quotes else raw.spans[-1][1]
    m = _CREDIT.match(text, close)
    if not m:
        return None
    line_end = text.find("\n", m.end())
    toks = tokens(text, m.end(), len(text) if line_end < 0 else line_end)
    found = mention_after([Token(0, 0, "")] + toks, 0)
    if not found or found[0] != 1 or not toks[found[1] - 2].text[:1].isupper():
        return None
    words = toks[found[0] - 1:found[1] - 1]
    return words[0].start, words[-1].end


def _guess(raw: Raw, last: tuple[Raw, Attribution] | None) -> Attribution | None:
    """The statement whose speaker an unattributed quotation most likely shares: the previous one
    with a speaker, in the same paragraph or the one just before (a run of quotations)."""
    if last is None:
        return None
    prev_raw, prev = last
    if raw.paragraph - prev_raw.paragraph > 1:
        return None
    return prev


_WORDS = re.compile(r"\w+")


def _flat(s: str) -> list[str]:
    return _WORDS.findall(s.lower())


class _Attributed:
    """Attributed statements of two words or more, indexed by their word pairs, so that finding
    the first one containing (or contained in) a fragment does not read them all."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Attribution]] = []  # (" words ", statement)
        self.pairs: dict[tuple[str, str], list[int]] = {}  # word pair -> statements holding it
        self.first_pairs: dict[tuple[str, str], list[int]] = {}  # first word pair -> statements

    def add(self, st: Attribution) -> None:
        words = _flat(st.quote)
        if len(words) < 2:
            return
        n = len(self.statements)
        self.statements.append((f" {' '.join(words)} ", st))
        for pair in dict.fromkeys(zip(words, words[1:])):
            self.pairs.setdefault(pair, []).append(n)
        self.first_pairs.setdefault((words[0], words[1]), []).append(n)

    def first_overlapping(self, words: list[str]) -> Attribution | None:
        """The first statement whose words contain ``words`` or lie inside them (two words or more)."""
        pairs = list(zip(words, words[1:]))
        postings = [self.pairs.get(pair, []) for pair in set(pairs)]
        candidates = set(min(postings, key=len)) if all(postings) else set()  # containing all the pairs
        for pair in set(pairs):  # inside: the other's first pair is one of ours
            candidates.update(self.first_pairs.get(pair, ()))
        mine = f" {' '.join(words)} "
        for n in sorted(candidates):
            other, st = self.statements[n]
            if mine in other or other in mine:
                return st
        return None


def _repeated(article: Article, raw: Raw, attributed: _Attributed) -> Attribution | None:
    """A fragment quoted again (a headline repeating the body): the speaker of its other quote."""
    text = article.text
    quote = " ".join(text[a:b] for a, b in raw.spans)
    mine = _flat(quote)
    if len(mine) < 2:
        return None  # one word ("smart") is a scare quote as often as a repeat
    st = attributed.first_overlapping(mine)
    if st is None:
        return None
    said = st.said_on if st.said_on else None
    return Attribution(quote, tuple(Span(a, b) for a, b in raw.spans), "partial", st.speaker,
                     None, None, None, said, st.venue)


def _inferred(article: Article, raw: Raw, guess: Attribution | None) -> Attribution:
    """A quotation no attribution names: the guessed speaker (marked inferred), or none."""
    text = article.text
    quote = " ".join(text[a:b] for a, b in raw.spans)
    said_on = None
    if article.published is not None:
        said_on = replace(guess.said_on, inferred=True) if guess and guess.said_on \
            else SaidOn(article.published, inferred=True)
    speaker = guess.speaker if guess else None
    return Attribution(quote, tuple(Span(a, b) for a, b in raw.spans), raw.kind, speaker,
                     guess.speaker_span if guess else None, None, None, said_on,
                     guess.venue if guess else None, speaker_inferred=True)


def _statement(article: Article, raw: Raw, memory: Memory, done: dict[int, Attribution],
               dated: dict[str, SaidOn]) -> Attribution | None:
    text = article.text
    speaker, mention_span, cue, venue = None, None, None, raw.venue
    if raw.same_as is not None and id(raw.same_as) in done:
        prev = done[id(raw.same_as)]
        speaker, mention_span, cue, venue = prev.speaker, prev.speaker_span, prev.cue, prev.venue
        if raw.cue is not None:
            cue = raw.cue.text  # its own cue ('..., adding, "B."')
    elif raw.mention is not None:
        a, b = raw.mention
        said_by = text[a:b]
        if raw.transcript:
            said_by = said_by.title()  # a transcript's "PENCE" is Pence
        speaker = resolve(said_by, memory, a)
        if said_by.lower() in ("he", "she"):
            speaker = _subject_before(text, a, memory) or speaker
        relative = _relative_subject(text, b, raw.cue)
        mention_span = relative or Span(a, b)
        cue = raw.cue.text if raw.cue else None
        if relative and raw.kind in ("indirect", "mixed") and len(raw.spans) == 1:
            s, e = raw.spans[0]
            raw.spans = [(s, relative_clause_end(text, s, e, raw.quotes))]  # "..., left early": the main clause
    if raw.kind == "partial" and speaker is None and mention_span is None:
        return None
    memory.remember(speaker)
    if speaker and raw.context and speaker.organization:
        around = [text[a:b].lower() for a, b in raw.context]
        if any(d in low for low in around for d in lexicon().document_nouns if len(d) > 3):
            memory.documents.append(speaker)
    said_on = _said_on(article, raw, speaker, done, dated)
    quote = " ".join(text[a:b] for a, b in raw.spans)
    return Attribution(quote, tuple(Span(a, b) for a, b in raw.spans), raw.kind, speaker, mention_span, cue,
                     Span(raw.cue.start, raw.cue.end) if raw.cue else None, said_on, venue)


_SENTENCE_END = re.compile(r"[.!?][\"'”’]?\s+(?=[A-Z\"“])|\n")


def _subject_before(text: str, at: int, memory: Memory) -> Speaker | None:
    """For "he"/"she" at ``at``: the person named as the subject opening its sentence or the one
    before ("Until last week, Mr. Trump had hardly ... In 1999, he said"), when it is a person."""
    lo = max(0, at - 600)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, at)
            if text[m.start()] != "." or not abbreviation_before(text, m.start(), lo)]  # "Mr. Trump"
    ends = [0] + ends if lo == 0 else ends  # the article's first sentence
    starts = ends[-2:] if ends else []
    for start, stop in reversed(list(zip(starts, starts[1:] + [at]))):
        units = make_units(text, Sentence(start, stop, 0), [])
        found = subject(units, 0, len(units)) if len(units) > 1 else None
        if found is None:
            continue
        words = text[units[found[0]].start:units[found[1] - 1].end]
        if words.lower() in lexicon().pronouns or not words[:1].isupper():
            continue
        st = resolve(words, memory, units[found[0]].start)
        return st if st is not None and st.name and not st.organization else None
    return None


# "X, who said ...", "X, a pollster, who in 2010 also said": a relative pronoun after a comma,
# then only words (no punctuation, no other clause) up to the cue.
_RELATIVE = re.compile(r",\s+(who)\b[^,.;:!?\"“”()]{0,60}$", re.IGNORECASE)
MAX_RELATIVE_GAP = 150  # characters between a mention's end and its cue read for ", who ..."


def _relative_subject(text: str, end: int, cue: Token | None) -> Span | None:
    """The relative pronoun that is the cue's subject ("Clinton, who announced ...": "who"), the
    speaker still resolved from the mention before it; None when the mention itself is the subject."""
    if cue is None or not 0 < cue.start - end <= MAX_RELATIVE_GAP:
        return None
    m = _RELATIVE.search(text, end, cue.start)
    return Span(m.start(1), m.end(1)) if m else None


def _said_on(article: Article, raw: Raw, speaker: Speaker | None, done: dict[int, Attribution],
             dated: dict[str, SaidOn]) -> SaidOn | None:
    if article.published is None:
        return None
    text = article.text
    for a, b in raw.context:
        found = find_date(text[a:b], article.published)
        if found:
            return found
    if raw.same_as is not None and id(raw.same_as) in done and done[id(raw.same_as)].said_on:
        return replace(done[id(raw.same_as)].said_on, inferred=True)
    if speaker is not None and speaker.label in dated:
        return replace(dated[speaker.label], inferred=True)  # the speaker's latest dated statement
    return SaidOn(article.published, inferred=True)


def _dedupe(statements: list[Attribution]) -> list[Attribution]:
    """Drop a statement whose spans lie inside another's (the same words found twice), and one
    with no word at all (a stray quotation mark between two marks): nothing was said."""
    out: list[Attribution] = []
    reach = -1  # the furthest end of those kept: each starts at or before the next (sorted)
    for st in sorted(statements, key=lambda s: (s.start, -(s.end - s.start))):
        if st.end <= reach or not any(c.isalnum() for c in st.quote):
            continue
        out.append(st)
        reach = st.end
    return out
