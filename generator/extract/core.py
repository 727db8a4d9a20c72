"""The statement extractors: direct quotations, partial quotations and reported speech.

Each sentence is read as a sequence of units (word tokens outside quotation marks, and whole
quotations). Attributions are patterns over those units next to a reporting verb ("cue"):
``"Q," SPEAKER CUE``, ``"Q," CUE SPEAKER``, ``SPEAKER CUE: "Q"``, ``SPEAKER CUE (that) CONTENT``,
``CONTENT, SPEAKER CUE``, ``according to SPEAKER, CONTENT``. Speakers are resolved afterwards in
reading order (see ``extract_speakers``), dates last (``extract_dates``).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

from generator.extract.dates import find_date
from generator.extract.lexicon import lexicon
from generator.extract.speakers import (
    CONTRACTED_SUBJECTS,
    OBJECT_PRONOUNS,
    POSSESSIVE_PRONOUNS,
    Memory,
    mention_after,
    mention_before,
    resolve,
)
from generator.extract.text import Quote, Sentence, Token, find_quotes, split_sentences, tokens
from generator.model import Article, Attribution, SaidOn, Span, Speaker

MIN_CONTENT_WORDS = 3  # reported speech shorter than this is a noun phrase, not a statement
COPULA_SUBJECT_WORDS = 6  # "it was 'in error'": the quoted words; a longer subject: the clause (mixed)
INTRODUCER_VERBS = {"sent", "wrote", "issued", "released", "posted", "tweeted", "published", "shared",
                    "reads", "read", "says", "said", "stated"}
CLAUSE_BREAKS = {";", "—", "–", "-", "--", "―"}
# After a comma these open a clause of their own: the reported content ends before them.
CLAUSE_OPENERS = {"but", "which", "while", "although", "though", "whose", "yet", "prompting", "meaning"}
ING_BEFORE = {",", "while", "after", "before", "by", "when", "despite", "is", "was", "were", "are", "been", "be", "am",
              "also", "without", "in", "for", "and", "repeatedly", "publicly", "even", "—"}
COPULAS = {"was", "is", "were", "are", "be", "been", "being", "as", "remains", "seemed", "seems"}
DASHES = ("―", "—", "–", "-", "--")
FALLBACK_CUES = {"say", "tell", "claim", "argue", "insist", "warn", "add"}
PARTICIPLE_AFTER = {",", "while", "after", "before", "by", "when", "later", "despite"}  # ", saying ...", "by arguing"


@dataclass
class Raw:
    """A statement before its speaker is resolved: spans, cue and the mention it came with."""

    spans: list[tuple[int, int]]
    kind: str
    paragraph: int
    mention: tuple[int, int] | None = None
    cue: Token | None = None
    venue: str | None = None
    context: list[tuple[int, int]] = field(default_factory=list)  # text to search for dates
    same_as: "Raw | None" = None  # a continuation takes the speaker of this statement
    quotes: list[Quote] = field(default_factory=list)
    transcript: bool = False  # a transcript line: its capitalised label names the speaker
    inferred: bool = False  # no attribution found: the speaker is a guess from the context, or none


@dataclass
class Unit:
    """A token outside quotation marks, or a whole quotation."""

    start: int
    end: int
    tok: Token | None = None
    quote: Quote | None = None
    lower: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.lower = self.tok.lower if self.tok else "\x00quote"  # the token lower-cased it once


def _units(text: str, sent: Sentence, quotes: list[Quote]) -> list[Unit]:
    units: list[Unit] = []
    pos = sent.start
    for q in quotes:
        units.extend(Unit(t.start, t.end, tok=t) for t in tokens(text, pos, q.open))
        units.append(Unit(q.open, q.close, quote=q))
        pos = q.close
    units.extend(Unit(t.start, t.end, tok=t) for t in tokens(text, pos, sent.end))
    return units


def _cue_at(units: list[Unit], i: int) -> tuple[str, int] | None:
    """The lemma of a reporting verb at ``units[i]`` and how many units it spans, or None."""
    lex = lexicon()
    u = units[i]
    if u.tok is None:
        return None
    low = u.lower
    if i + 1 < len(units) and units[i + 1].tok and f"{low} {units[i + 1].lower}" in lex.phrasal_forms:
        return lex.phrasal_forms[f"{low} {units[i + 1].lower}"], 2
    if low in lex.verb_forms and not (u.tok.text[:1].isupper() and i > 0):
        if _passive(units, i) or _nominal(units, i):
            return None
        if low.endswith("ing") and i > 0 and units[i - 1].lower not in ING_BEFORE and not _named_participle(units, i) \
                and units[i - 1].lower not in CONTRACTED_SUBJECTS:
            return None  # "Additional reporting by", "the ruling": not a participle of speech
        return lex.verb_forms[low], 1
    return None


def _named_participle(units: list[Unit], i: int) -> bool:
    """ "footage of Jane Roe asking, "Q"": a participle right after a name, before a quotation."""
    prev = units[i - 1]
    return prev.tok is not None and prev.tok.text[:1].isupper() and prev.tok.text not in lexicon().not_names \
        and i + 2 < len(units) and units[i + 1].lower in (",", ":") and units[i + 2].quote is not None


def _passive(units: list[Unit], i: int) -> bool:
    """ "had been told", "was asked": the subject is the addressee, not the speaker."""
    low = units[i].lower
    if low.endswith("ing") or low in ("say", "says", "tell", "tells"):
        return False
    j = i - 1
    while j >= 0 and units[j].lower in ("also", "not", "n't", "never", "reportedly", "widely", "already"):
        j -= 1
    return j >= 0 and units[j].lower in lexicon().passive


def _nominal(units: list[Unit], i: int) -> bool:
    """ "the report", "a post", "his statement": a noun, not a verb."""
    if i == 0:
        return False
    prev = units[i - 1]
    return prev.lower in ("the", "a", "an", "his", "her", "their", "its", "this", "that", "whose", "our", "my", "your") \
        or (prev.tok is not None and prev.tok.text.endswith(("'s", "’s", "s'", "s’"))
            and prev.lower[:-2] not in _CONTRACTED)


# "he's claiming": a pronoun with a contracted verb, not a possessive
_CONTRACTED = {"he", "she", "it", "that", "who", "there", "what", "here"}


# --- direct quotations -------------------------------------------------------------------------

def _attribution_after(units: list[Unit], qi: int) -> tuple[tuple[int, int], int, int] | None:
    """ "Q," SPEAKER CUE / "Q," CUE SPEAKER: (mention unit range, cue index, last unit index).

    The speaker may carry appositions ("Jane Roe, 25, a nurse, said"); a quotation followed by a
    dash and a name alone is signed ("..." ― Jane Roe).
    """
    i = qi + 1
    while i < len(units) and units[i].tok and (units[i].tok.text in (",",) or units[i].tok.text in DASHES):
        i += 1
    if i >= len(units) or units[i].quote:
        return None
    toks = _tokens_until_quote(units, i)
    lex = lexicon()
    if units[i - 1].tok is not None and units[i - 1].tok.text in DASHES and toks:
        # a signature after the quotation ("..." ― Jane Roe), the whole rest of the sentence
        found = mention_after([Token(0, 0, "")] + toks, 0)
        if found and found[1] - 1 >= len([t for t in toks if t.text not in (".",)]):
            return (i + found[0] - 1, i + found[1] - 1), None, len(units) - 1
    for k in range(min(len(toks), MAX_ATTRIBUTION)):
        if toks[k].text in (".", ";", "!", "?", ":") and k > 0:
            break
        cue = _cue_at(units, i + k)
        if not cue:
            continue
        if k == 0:
            found = mention_after(toks, 0 + cue[1] - 1) or _late_mention(toks, cue[1])
            if found:
                return (i + found[0], i + found[1]), i, _end_of_attribution(units, i + found[1])
            return None
        found = mention_before(toks, k, 0)
        if found and (found[0] == 0 or _modifiers_only(toks[:found[0]])):
            return (i + found[0], i + found[1]), i + k, _end_of_attribution(units, i + k + cue[1])
        if toks[k - 1].text == "," and (found := _leading_mention(toks, k)):
            return (i + found[0], i + found[1]), i + k, _end_of_attribution(units, i + k + cue[1])
        if found is None and all(t.lower in lex.modifiers for t in toks[:k]):
            return None
        break
    return None


MAX_ATTRIBUTION = 40  # tokens between a quotation and its cue ("X, the ... of Oklahoma, said")


def _leading_mention(toks: list[Token], k: int) -> tuple[int, int] | None:
    """ "Scott Pruitt, the attorney general of Oklahoma, one of the states suing, said": the name
    that opens the attribution, followed by appositions up to the comma before the cue."""
    comma = next((n for n in range(1, k) if toks[n].text in (",", "(")), None)
    if comma is None:
        return None
    found = mention_after([Token(0, 0, "")] + toks[:comma], 0)
    if not found or found[0] != 1 or found[1] - 1 != comma:
        return None
    if any(t.lower in ("and", "but", "while", "because") for t in toks[comma:k]):
        return None  # a clause of its own, not an apposition
    return (0, comma)


def _modifiers_only(toks: list[Token]) -> bool:
    """ "panel Chairman ...", "retired Air Force general ...": lower-case words before a name."""
    return 0 < len(toks) <= 4 and all(t.text.isalnum() and not t.text[:1].isupper() and t.lower not in _CLAUSE_WORDS
                                      and t.lower not in lexicon().verb_forms for t in toks)


_CLAUSE_WORDS = {"is", "was", "were", "are", "be", "been", "has", "have", "had", "and", "or", "but", "that",
                 "which", "who", "to", "in", "on", "with", "by", "as", "if", "when", "not", "it", "they",
                 "he", "she", "we", "i", "you", "there", "this", "what", "would", "will", "could", "can", "then"}


def _late_mention(toks: list[Token], start: int) -> tuple[int, int] | None:
    """ "said 9/11 widow Terry Strada": a name a few words after the cue, before any punctuation."""
    for m in range(start, min(len(toks), start + 5)):
        if not (toks[m].text[:1].isalnum() or toks[m].text in ("/", "-")):
            return None
        if toks[m].text[:1].isupper():
            found = mention_after(toks, m - 1)
            return (start, found[1]) if found else None
    return None


def _tokens_until_quote(units: list[Unit], i: int) -> list[Token]:
    out = []
    while i < len(units) and units[i].tok:
        out.append(units[i].tok)
        i += 1
    return out


def _end_of_attribution(units: list[Unit], i: int) -> int:
    """The last unit of an attribution: up to the next quotation or the sentence's end."""
    j = i
    while j < len(units) and units[j].tok and units[j].tok.text not in (".", "!", "?", ";"):
        if units[j].tok.text == "," and j + 1 < len(units) and (units[j + 1].quote or _participle_cue(units, j + 1)):
            break  # another quotation, or ", adding that ...": a statement of its own
        j += 1
    return min(j, len(units) - 1)


def _participle_cue(units: list[Unit], j: int) -> bool:
    """ ", adding that ...", ", later adding, ...": a participle cue opens the next statement."""
    if j < len(units) and units[j].lower in ("later", "then", "also", "before", "while", "after", "by"):
        j += 1
    if j + 3 < len(units) and units[j].lower == "going" and _went_on_to(units, j + 3) == j:
        return _cue_at(units, j + 3) is not None  # ", going on to say that ..."
    return j < len(units) and units[j].tok is not None and units[j].lower.endswith("ing") \
        and units[j].lower in lexicon().verb_forms


def _attribution_before(units: list[Unit], qi: int, lo: int) -> tuple[tuple[int, int], int] | None:
    """SPEAKER CUE [adjuncts] [that|:|,] "Q": (mention unit range, cue index)."""
    i = qi - 1
    if i < lo or units[i].quote:
        return None
    if units[i].lower in (":", ",", "that"):
        i -= 1
    if i < lo or units[i].quote:
        return None
    # the cue is among the last few units before the quote ("said in a statement:")
    toks_lo = i
    while toks_lo > lo and units[toks_lo - 1].tok:
        toks_lo -= 1
    toks = [u.tok for u in units[toks_lo:i + 1]]
    for k in range(len(toks) - 1, max(-1, len(toks) - 9), -1):
        cue = _cue_at(units, toks_lo + k)
        if not cue:
            if toks[k].text in (".", ";") or (toks[k].text == "," and k < len(toks) - 1):
                return None
            continue
        if toks[k].lower.endswith("ing") and k > 0 and toks[k - 1].lower in PARTICIPLE_AFTER:
            # "Trump attacked Clinton ..., saying, "Q"": the subject of the main clause
            found = _subject(units, toks_lo, toks_lo + k)
            return (found, toks_lo + k) if found else None
        found = mention_before(toks, k, 0)
        if found:
            return (toks_lo + found[0], toks_lo + found[1]), toks_lo + k
        m = k - 1
        while m > 0 and (toks[m].lower in lexicon().modifiers or toks[m].lower.endswith("ly")):
            m -= 1
        if m > 0 and toks[m].lower == "and":
            # "She then urges him to stop and repeatedly says, "Q"": the subject of the first verb
            found = _subject(units, toks_lo, toks_lo + m)
            if found and found[0] == toks_lo:
                return found, toks_lo + k
        after = mention_after(toks, k + cue[1] - 1)
        if after and k + cue[1] - 1 + after[1] - after[0] >= len(toks) - 1:
            return (toks_lo + after[0], toks_lo + after[1]), toks_lo + k
        return None
    return None


def _noun_colon(units: list[Unit], qi: int) -> tuple[tuple[int, int], int] | None:
    """SUBJECT VERB ... SPEECH-NOUN: "Q" ("Sanders made the following comment: “...”"): the
    quotation is what the clause's subject said; the noun stands as the cue."""
    if qi < 3 or units[qi - 1].lower != ":" or units[qi - 2].tok is None \
            or units[qi - 2].lower not in lexicon().speech_nouns:
        return None
    lo = qi - 2
    while lo > 0 and units[lo - 1].tok and units[lo - 1].lower not in (".", ";", ":", "!", "?"):
        lo -= 1
    if units[qi - 3].tok is None or units[qi - 3].lower in ("a", "an") and qi - 3 == lo:
        return None
    found = _clause_subject(units, lo, qi - 3)
    return (found, qi - 2) if found else None


def _clause_subject(units: list[Unit], lo: int, hi: int) -> tuple[int, int] | None:
    """A named subject followed by its verb, at the clause start or after an opening adjunct
    ("On July 6, 2015, Rita Gomez made ..."), within ``units[lo:hi]``."""
    starts = [lo] + [n + 1 for n in range(lo, hi) if units[n].lower == ","]
    for start in starts:
        toks = _tokens_until_quote(units, start)[:max(0, hi - start)]
        found = mention_after([Token(0, 0, "")] + toks, 0)
        if not found or found[0] != 1:
            continue
        end = start + found[1] - 1
        verb = end
        while verb < hi and units[verb].lower in _AUXILIARIES:
            verb += 1
        if verb < hi and units[verb].lower in _MAKE_VERBS:
            return (start, end)
    return None


# Verbs by which a subject makes what a speech noun names its own ("made the following comment:",
# "is rolling out a new message:", "repeated his claim that"); "liked the slogan:" is not one.
_MAKE_VERBS = {f"{v}{end}" for v in ("make", "give", "issue", "offer", "deliver", "roll", "send", "post", "share",
                                     "repeat", "reiterate", "renew", "add", "echo", "utter", "tweet", "release",
                                     "defend", "stand", "double")
               for end in ("", "s", "d", "ed", "ing", "es")} | {"made", "making", "gave", "giving", "rolling", "sent",
                                                                "stood", "wrote", "writes", "issuing"}
_AUXILIARIES = {"is", "was", "has", "had", "have", "are", "were", "also", "then", "again", "once", "now", "later"}


def _noun_that(text, sent, units, i, used, raws) -> bool:
    """OWNER'S [adjective] SPEECH-NOUN that CONTENT ("Trump’s claim that ...", "his warning that ...")."""
    if i + 1 >= len(units) or units[i + 1].lower != "that" or i in used:
        return False
    j = i - 1
    while j > 0 and i - j <= 2 and units[j].tok and units[j].lower.isalpha() and units[j].lower.islower() \
            and units[j].lower not in _CLAUSE_WORDS and units[j].lower not in POSSESSIVE_PRONOUNS:
        j -= 1  # "earlier", "repeated"
    if j < 0 or units[j].tok is None:
        return False
    owner = units[j].tok.text
    mention = None
    if units[j].lower in POSSESSIVE_PRONOUNS:
        a = j
        lo = j
        while lo > 0 and units[lo - 1].tok:
            lo -= 1
        mention = _clause_subject(units, lo, j)  # "Ken Ito repeated his claim that ...": the subject
    elif owner.endswith(("’s", "'s")) and len(owner) > 2 and (owner[:1].isupper() or owner[:-2].lower()
                                                               in lexicon().roles | lexicon().organization_nouns):
        a = j
        while a > 0 and units[a - 1].tok and (units[a - 1].tok.text[:1].isupper()
                                              and units[a - 1].tok.text not in lexicon().not_names):
            a -= 1
        if not owner[:1].isupper() and a == j:
            return False  # "the company’s claim": an owner named only by a noun is too vague
    else:
        return False
    end = _clause_end(units, i + 1)
    content = _content(units, i + 1, end)
    if content is None or any(x in used for x in range(i + 1, end)):
        return False
    mention = mention or (a, j + 1)
    _emit(text, sent, units, content, mention, i, [(units[mention[0]].start, units[i].end)], raws, used,
          range(min(a, mention[0]), end))
    return True


def _block(text: str, units: list[Unit], qi: int) -> bool:
    """A quotation that is a statement of its own, not a fragment inside a sentence."""
    q = units[qi].quote
    first = text[q.start:q.start + 1]
    if not (first.isupper() or first.isdigit() or first in ".…([" or q.continues is not None):
        return False
    if qi == 0:
        return True
    prev = units[qi - 1]
    if prev.quote is None and prev.tok.text == "," and not _plausible_single(text, q):
        return False  # "In his book, ''Make Your Kid a Millionaire,''": a title
    if prev.quote is None and qi >= 2 and prev.lower.endswith("ing") and units[qi - 2].lower == "," \
            and _cue_at(units, qi - 1) and _plausible_single(text, q):
        return True  # ', chanting "We want more!"': a participle cue right before the quotation
    return prev.quote is None and prev.tok.text in (":", ",", "that", ".", "—")


def _direct(text: str, sent: Sentence, units: list[Unit], raws: list[Raw]) -> set[int]:
    """Statements for the quotations of one sentence; returns the unit indexes it attributed."""
    used: set[int] = set()
    last: Raw | None = None
    for qi, u in enumerate(units):
        q = u.quote
        if q is None:
            continue
        block = _block(text, units, qi)
        after = _attribution_after(units, qi) if (block or last) else None
        before = _attribution_before(units, qi, 0) if not after else None
        if not after and not before:
            before = _noun_colon(units, qi)
        part = _participle_between(units, qi, last) if last is not None and block else None
        if part is not None:
            # '"A," she said, adding, "B."': a second statement by the same speaker
            raw = Raw([(q.start, q.end)], "direct", sent.paragraph, quotes=[q], cue=units[part].tok, same_as=last)
            raw.context.append((units[part].start, q.open))
            used.update(range(part, qi + 1))
            raws.append(raw)
            last = raw
            continue
        if last is not None and qi > 0 and _joins(units, qi, last):
            last.spans.append((q.start, q.end))
            last.quotes.append(q)
            used.add(qi)
            if after:
                used.update(range(after[0][0], after[2] + 1))
            continue
        if not block and not (before and units[qi - 1].lower in (":", ",")):
            continue
        if not after and not before and qi + 1 < len(units) and units[qi + 1].tok \
                and units[qi + 1].tok.text[:1].isalnum() and last is None:
            continue  # '"Q" for criminal behavior, she said': a mixed sentence, read as reported speech
        raw = Raw([(q.start, q.end)], "direct", sent.paragraph, quotes=[q])
        if after:
            (ma, mb), ci, end = after
            raw.mention = (units[ma].start, units[mb - 1].end)
            raw.cue = units[ci].tok if ci is not None else None
            raw.context.append((units[qi].end, units[end].end))
            raw.venue = _venue(text, units, ci, end) if ci is not None else None
            used.update(range(qi + 1, end + 1))
        elif before:
            (ma, mb), ci = before
            raw.mention = (units[ma].start, units[mb - 1].end)
            raw.cue = units[ci].tok
            raw.context.append((units[ma].start, units[qi].start))
            raw.venue = _venue(text, units, ci, qi - 1)
            used.update(range(ma, qi))
            that = qi - 1 if units[qi - 1].lower == "that" else qi - 2
            if that >= 0 and units[that].lower == "that" and that >= ci and q.closed and q.continues is None:
                # 'tweeted that, "Q"' / 'told Fox that "Q"': the clause is the statement, "that" and
                # marks included (mixed), as reported speech keeps its complementizer
                raw.spans, raw.kind = [(units[that].start, q.close)], "mixed"
            elif units[qi - 1].lower == "," and text[q.start:q.start + 1].islower() and ma >= 2 \
                    and units[ma - 1].lower == "," and not any(n in used or units[n].quote for n in range(0, ma - 1)):
                # 'So when the firm signaled it would sell, Ann Roe said, "we were floored."': the
                # clause before the attribution and the quotation that finishes it are one statement
                content = _content(units, 0, ma - 1)
                if content is not None and content[1] == "indirect":
                    raw.spans, raw.kind = content[0] + [(q.start, q.end)], "mixed"
                    used.update(range(0, ma))
        used.add(qi)
        raws.append(raw)
        last = raw
    return used


def _participle_between(units: list[Unit], qi: int, last: Raw) -> int | None:
    """The participle cue between the last quotation and this one (", adding, "), if any."""
    j = qi - 1
    while j >= 0 and units[j].quote is None:
        j -= 1
    if j < 0 or units[j].quote is not last.quotes[-1] or last.cue is None or units[qi - 1].lower not in (",", ":"):
        return None
    for n in range(j + 1, qi):
        u = units[n]
        if u.tok is not None and u.tok is not last.cue and u.lower.endswith("ing") and u.lower in lexicon().verb_forms \
                and units[n - 1].lower in (",", "later", "then", "also", "before", "while", "after", "by"):
            return n
    return None


def _joins(units: list[Unit], qi: int, last: Raw) -> bool:
    """ "A," she said, "b ...": a quotation interrupted by its attribution mid-sentence."""
    j = qi - 1
    while j >= 0 and units[j].quote is None:
        j -= 1
    if j < 0 or units[j].quote is not last.quotes[-1]:
        return False
    between = units[j + 1:qi]
    if len(between) >= 2 and between[-1].lower in ("but", "and") and between[-2].lower == ",":
        between = between[:-1]  # '"A," he said, but "B."'
    return bool(between) and between[-1].lower in (",", "—", "–") and last.cue is not None


def _venue(text: str, units: list[Unit], ci: int, end: int) -> str | None:
    """ "told Fox News’ Laura Ingraham", "in a statement to The Independent": the addressee."""
    lex = lexicon()
    cue = units[ci].lower
    if cue in ("told", "tells", "tell", "telling") and ci + 1 <= end:
        toks = _tokens_until_quote(units, ci + 1)[: end - ci]
        found = mention_after([units[ci].tok] + toks, 0)
        if found and found[0] == 1:
            return text[toks[found[0] - 1].start:toks[found[1] - 2].end]
    for j in range(max(0, ci - 12), min(end + 1, len(units))):
        if units[j].lower == "to" and j > 0 and units[j - 1].lower in lex.document_nouns | {"interview"}:
            toks = _tokens_until_quote(units, j + 1)
            found = mention_after([units[j].tok] + toks, 0)
            if found:
                return text[toks[found[0] - 1].start:toks[found[1] - 2].end]
    return None


# --- reported speech ---------------------------------------------------------------------------

def _reported(text: str, sent: Sentence, units: list[Unit], used: set[int], raws: list[Raw], doc=None) -> None:
    """Reported speech in one sentence: "X said (that) ...", "..., X said.", "according to X".

    With a spaCy parse of the sentence (``doc``) a cue must be tagged as a verb ("member states"
    is not), and the content is its clausal complement, where the parse has one.
    """
    lex = lexicon()
    for i, u in enumerate(units):
        if i in used or u.tok is None:
            continue
        if u.lower == "according" and i + 1 < len(units) and units[i + 1].lower == "to":
            _according_to(text, sent, units, i, used, raws)
            continue
        if u.lower in lex.speech_nouns and _noun_that(text, sent, units, i, used, raws):
            continue
        cue = _cue_at(units, i)
        if not cue or cue[0] in lex.quote_only and not _that_follows(units, i + cue[1]):
            continue  # "he continued to ...", "she called him ...": but "he remarked that ..." is speech
        verb = _parsed_token(doc, sent, u) if doc is not None else None
        if doc is not None and (verb is None or not _verb(verb)):
            continue
        if _trailing(text, sent, units, i, cue, used, raws):
            continue
        if verb is not None and _parsed(text, sent, units, i, cue, verb, used, raws):
            continue
        if cue[0] in FALLBACK_CUES or cue[0] in lex.object_content or cue[0] in lex.tell_verbs \
                or (i + cue[1] < len(units) and units[i + cue[1]].lower == "that"):
            # with a parse, the rules read only "said"/"told" and "... that" the parse missed
            _leading(text, sent, units, i, cue, used, raws)


def _that_follows(units: list[Unit], j: int) -> bool:
    """The cue's words are followed by "that" opening a clause ("boasted that ...")."""
    return j < len(units) and units[j].lower == "that"


_NOUN_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "compound", "amod", "det", "poss", "attr", "appos",
              "npadvmod", "nmod", "dative"}


def _verb(token) -> bool:
    """A verb by its place in the parse (no tagger is run): a noun is a subject, object, ..."""
    return token.dep_ not in _NOUN_DEPS


def _parsed_token(doc, sent: Sentence, u: Unit):
    span = doc.char_span(u.start - sent.start, u.end - sent.start, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


_SUBJECTS = ("nsubj",)
_COMPLEMENTS = ("ccomp",)


def _parsed(text, sent, units, i, cue, verb, used, raws) -> bool:
    """SPEAKER CUE ... CONTENT from the parse: the verb's subject and clausal complement."""
    comp = [c for c in verb.children if c.dep_ in _COMPLEMENTS and c.i > verb.i]
    if not comp and cue[0] in lexicon().tell_verbs:
        comp = [c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i]
    if not comp:
        return False
    c = comp[0]
    start = c.left_edge.idx + sent.start
    if cue[0] in lexicon().tell_verbs and c.dep_ == "xcomp":
        objs = [o for o in verb.children if o.dep_ in ("dobj", "dative") and o.i < c.i]
        if objs:
            start = objs[0].left_edge.idx + sent.start  # "asked all employees to delete ..."
    end = c.right_edge.idx + len(c.right_edge) + sent.start
    a = next((n for n, u in enumerate(units) if u.start >= start), None)
    # a quotation the clause reaches into belongs to it whole (its closing mark may hang elsewhere)
    b = next((n for n in range(len(units) - 1, -1, -1) if units[n].start < end), None)
    if a is None or b is None or b < a or a <= i:
        return False
    b = min(b, _clause_end(units, a) - 1)
    mention = _parsed_mention(units, i, verb, sent)
    if mention is None:
        return False
    content = _content(units, a, b + 1, participle=_participle_clause(units, i))
    if content is None or (any(x in used for x in range(a, b + 1)) and content[1] != "direct"):
        return False
    venue = None
    if cue[0] in lexicon().tell_verbs and a > i + cue[1]:
        venue = text[units[i + cue[1]].start:units[a - 1].end].strip(" ,") or None
        if venue and venue.lower() == "that":
            venue = None
        elif venue and venue.lower().endswith(" that"):
            venue = venue[:-5]
    rng = range(min(mention[0], i), b + 1)
    if any(units[n].quote for n in range(mention[1], i)):
        # "she called X 'outrageous' and called for ...": the first clause's quotation stays free
        rng = [*range(mention[0], mention[1]), *range(i, b + 1)]
    _emit(text, sent, units, content, mention, i, [(units[mention[0]].start, units[a].start)], raws, used,
          rng, venue=venue)
    return True


def _parsed_mention(units, i, verb, sent) -> tuple[int, int] | None:
    """The speaker: by rule right before the cue, else the parse's subject (trimmed of clauses)."""
    lo = i
    while lo > 0 and units[lo - 1].tok:
        lo -= 1
    i = _went_on_to(units, i)
    toks = [u.tok for u in units[lo:i + 1]]
    if units[i].lower.endswith("ing") and i > 0 and units[i - 1].lower in (",", "while", "after", "before", "by", "when", "despite"):
        found = _subject(units, lo, i)
        if found:
            return found
    else:
        found = mention_before(toks, i - lo, 0)
        if found:
            return (lo + found[0], lo + found[1])
    head = verb
    subj = [c for c in head.children if c.dep_ in _SUBJECTS]
    if not subj and head.dep_ in ("advcl", "xcomp", "conj") and head.head is not head:
        subj = [c for c in head.head.children if c.dep_ in _SUBJECTS]
    if not subj:
        return None
    s = subj[0]
    left = s.left_edge.idx + sent.start
    right = s.idx + len(s) + sent.start
    for child in s.rights:  # "a spokesperson for TikTok", not "X, who ..., "
        if child.dep_ == "prep":
            right = child.right_edge.idx + len(child.right_edge) + sent.start
        break
    a = next((n for n, u in enumerate(units) if u.start >= left), None)
    b = next((n for n in range(len(units) - 1, -1, -1) if units[n].end <= right), None)
    if a is None or b is None or b < a or b >= i or any(units[n].quote for n in range(a, b + 1)):
        return None
    return (a, b + 1)


def _participle_clause(units: list[Unit], i: int) -> bool:
    """ ", saying ...": a participle after a comma, opening a clause of its own (not "is saying",
    nor "by announcing that it was 'true'", whose clause PolNeAR keeps whole)."""
    return units[i].lower.endswith("ing") and i > 0 and units[i - 1].lower in _PARTICIPLE_OPENERS


_PARTICIPLE_OPENERS = {",", "—"}


def _content(units: list[Unit], a: int, b: int, participle: bool = False,
             ) -> tuple[list[tuple[int, int]], str, list[Quote]] | None:
    """Spans and kind of reported content ``units[a:b]`` (mixed when it carries a quotation).

    After a participle cue a quoted predicate ends the clause: ", saying it was 'in error'" is a
    partial quotation (the quoted words); after a finite verb ("says his plan is 'dangerous'")
    the clause is the statement, quotation included (mixed)."""
    while a < b and units[a].tok and units[a].tok.text in (",", ":", "—"):
        a += 1
    while b > a and units[b - 1].tok and units[b - 1].tok.text in (".", ",", ";", ":", "!", "?", "—", "–"):
        b -= 1
    if b <= a:
        return None
    quotes = [u.quote for u in units[a:b] if u.quote]
    words = [u for u in units[a:b] if u.tok and u.tok.text[:1].isalnum()]
    if not quotes and len(words) < MIN_CONTENT_WORDS:
        return None
    start, end = units[a].start, units[b - 1].end
    if quotes:
        if len(quotes) == 1 and not words:
            return [(quotes[0].start, quotes[0].end)], "direct", quotes
        if participle and units[b - 1].quote is not None and b - 2 >= a and units[b - 2].lower in COPULAS \
                and sum(1 for u in units[a:b - 2] if u.tok and u.tok.text[:1].isalnum()) <= COPULA_SUBJECT_WORDS:
            # a quoted predicate of a pronoun ends the clause: the quoted words are the statement
            # ("saying it was 'in error'"); elsewhere the whole clause is (mixed)
            return [(q.start, q.end) for q in quotes[-1:]], "partial", quotes
        return [(start, end)], "mixed", quotes
    return [(start, end)], "indirect", quotes


def _emit(text, sent, units, spans_kind, mention, cue_i, ctx, raws, used, rng, venue=None) -> None:
    spans, kind, quotes = spans_kind
    if venue is None and cue_i is not None:
        venue = _venue(text, units, cue_i, cue_i)
    raw = Raw(spans, kind, sent.paragraph, quotes=quotes, venue=venue,
              cue=units[cue_i].tok if cue_i is not None else None)
    if mention:
        raw.mention = (units[mention[0]].start, units[mention[1] - 1].end)
    raw.context.extend(ctx)
    raws.append(raw)
    used.update(rng)


def _clause_end(units: list[Unit], i: int) -> int:
    """Where reported content starting at ``units[i]`` ends: the sentence, or a clause break
    (a semicolon or dash, ", but ...", ", which ...", ", saying ...", "and warned ...")."""
    lex = lexicon()
    j = i
    while j < len(units):
        u = units[j]
        if u.tok and u.tok.text in CLAUSE_BREAKS and j > i:
            break
        if u.tok and u.tok.text == "," and j + 1 < len(units) and j > i:
            nxt = units[j + 1]
            if _comma_attribution(units, j) or nxt.lower in CLAUSE_OPENERS:
                break
            if nxt.tok and (nxt.lower.endswith("ing") and nxt.lower in lex.verb_forms
                            or j + 2 < len(units) and nxt.lower.endswith("ly") and units[j + 2].lower.endswith("ing")):
                break  # ", arguing that ...", ", implicitly putting ..."
        if u.lower in ("and", "but") and j > i + 2 and j + 1 < len(units) and units[j + 1].tok \
                and units[j + 1].lower in lex.verb_forms and not units[j + 1].lower.endswith("ing"):
            break  # "... and warned against ...": the speaker's next statement
        if u.lower in ("and", "but") and j > i + 2 and (_speaker_clause(units, j + 1) or u.lower == "but"
                                                          and j + 1 < len(units) and units[j + 1].lower in _SUBJECT_PRONOUNS):
            break  # "... and human rights groups warned ...": someone else's statement
        j += 1
    return j


_SUBJECT_PRONOUNS = {"he", "she", "they", "we", "i"}


def _speaker_clause(units: list[Unit], j: int) -> bool:
    """A new clause with its own speaker and reporting verb starts at ``units[j]``."""
    toks = _tokens_until_quote(units, j)[:7]
    lex = lexicon()
    for k in range(1, len(toks)):
        if toks[k].text in (",", ".", ";", ":"):
            return False
        if toks[k].lower in lex.verb_forms and not toks[k].lower.endswith("ing") and toks[k].lower not in lex.quote_only:
            found = mention_before(toks, k, 0)
            return bool(found and found[0] == 0)
    return False


def _comma_attribution(units: list[Unit], j: int) -> bool:
    """ ", X said" or ", according to" after a comma: another attribution starts there."""
    nxt = units[j + 1]
    if nxt.lower == "according":
        return True
    toks = _tokens_until_quote(units, j + 1)[:8]
    for k in range(len(toks)):
        if toks[k].lower in lexicon().verb_forms and k:
            found = mention_before(toks, k, 0)
            return bool(found and found[0] == 0)
        if not (toks[k].text[:1].isupper() or toks[k].lower in ("the", "a", "an", "he", "she", "they")):
            return False
    return False


def _trailing(text, sent, units, i, cue, used, raws) -> bool:
    """CONTENT, SPEAKER CUE [adjuncts]. / CONTENT, CUE SPEAKER."""
    toks_start = i
    while toks_start > 0 and units[toks_start - 1].tok and units[toks_start - 1].tok.text != ",":
        toks_start -= 1
    if toks_start == 0:
        return False
    prev = units[toks_start - 1]
    if prev.quote is not None and toks_start > 1 and text[prev.quote.end - 1:prev.quote.end] in (",", "?", "!"):
        comma = toks_start  # 'Clinton "is the only candidate," X said': the comma inside the marks
    elif prev.lower == ",":
        comma = toks_start - 1
    else:
        return False
    toks = [u.tok for u in units[toks_start:i + cue[1]]]
    k = i - toks_start
    if k == 0:
        found = mention_after([u.tok for u in units[i:]] if all(u.tok for u in units[i:]) else
                              _tokens_until_quote(units, i), cue[1] - 1)
        if not found:
            return False
        mention = (i + found[0], i + found[1])
        tail = i + found[1]
    else:
        found = mention_before(toks, k, 0)
        if not found or (found[0] != 0 and not _modifiers_only(toks[:found[0]])
                         and not (found[0] == 1 and toks[0].lower == "as")):  # ", as a memo put it."
            return False
        mention = (toks_start + found[0], toks_start + found[1])
        tail = i + cue[1]
    if not _only_adjuncts(units, tail):
        return False
    first = 0
    if toks[0].lower == "as":  # ", as a memo put it": the clause right before is what it said
        first = next((n + 1 for n in range(comma - 1, 0, -1) if units[n].lower == ","), 0)
        if units[first].lower in ("and", "but", "so") and first + 1 < comma:
            first += 1
    content = _content(units, first, comma)
    if content is None or (content[1] == "direct"):
        return False
    if any(j in used for j in range(first, comma)):
        return False
    stop = len(units)
    if tail + 1 < len(units) and units[tail].lower == "," and units[tail + 1].tok \
            and units[tail + 1].lower.endswith("ing"):
        stop = tail  # ", referencing ...": the participle clause stays free for a statement of its own
    _emit(text, sent, units, content, mention, i, [(units[comma - 1].end, sent.end if stop == len(units) else units[stop - 1].end)], raws, used,
          range(first, stop))
    return True


def _only_adjuncts(units: list[Unit], j: int) -> bool:
    """After a trailing cue only adjuncts may follow ("in a statement on Monday."), no clause."""
    lex = lexicon()
    rest = [u for u in units[j:] if not (u.tok and u.tok.text in (".", "!", "?"))]
    if not rest:
        return True
    if len(rest) > 1 and rest[0].lower == "," and rest[1].tok and rest[1].lower.endswith("ing") and rest[1].lower.isalpha():
        return True  # ", referencing ...": a participle clause of its own follows
    if any(u.quote for u in rest) or rest[0].lower == "that":
        return False
    first = rest[0].lower
    return first in lex.venue_prepositions or first in (",", "on", "this", "last", "late", "earlier", "today",
                                                         "yesterday", "monday", "tuesday", "wednesday",
                                                         "thursday", "friday", "saturday", "sunday")


def _leading(text, sent, units, i, cue, used, raws) -> None:
    """SPEAKER CUE [object] [adjuncts] [that] CONTENT."""
    lex = lexicon()
    toks_lo = i
    while toks_lo > 0 and units[toks_lo - 1].tok:
        toks_lo -= 1
    toks = [u.tok for u in units[toks_lo:i + 1]]
    head = _went_on_to(units, i)  # "..., going on to say that ...": the subject of "going"
    k = head - toks_lo
    low = units[head].lower
    if low.endswith("ing") and head > 0 and units[head - 1].lower in (",", "while", "after", "before", "by", "when", "despite"):
        mention = _subject(units, toks_lo, head)
    else:
        found = mention_before(toks, k, 0)
        mention = (toks_lo + found[0], toks_lo + found[1]) if found else None
    if mention is None:
        return
    j = i + cue[1]
    venue = None
    that = next((n for n in range(j, min(len(units), j + 7)) if units[n].lower == "that"), None)
    if cue[0] in lex.tell_verbs and that is not None and all(units[n].tok and units[n].lower not in (",", ".")
                                                             for n in range(j, that)):
        venue = text[units[j].start:units[that - 1].end] if that > j else None
        j = that  # "told a veterans group that ..."
    elif cue[0] in lex.tell_verbs and j < len(units) and units[j].tok:
        obj = _object(units, j)
        if obj is None:
            obj = j  # "asked all employees to ...": no addressee to skip
        if obj > j:
            venue = text[units[j].start:units[obj - 1].end]
        j = obj
    j = _skip_to_content(units, j)
    if j is None or j >= len(units):
        return
    end = _clause_end(units, j)
    if units[head - 1].lower in ("despite", "after", "before", "while", "when") and head - 1 > toks_lo:
        # "X, despite admitting that ..., voted": the subordinate clause ends at its comma
        end = next((n for n in range(j + 1, end) if units[n].lower == ","), end)
    content = _content(units, j, end, participle=_participle_clause(units, i))
    if content is None:
        return
    if any(x in used for x in range(j, end)) and content[1] != "direct":
        return
    _emit(text, sent, units, content, mention, i, [(units[mention[0]].start, units[j].start)], raws, used,
          range(mention[0], end), venue=venue)


def _went_on_to(units: list[Unit], i: int) -> int:
    """For a cue after "going on to" / "went on to" ("..., going on to say that"): the index of the
    "go" verb, whose subject is the speaker; else ``i``."""
    if i >= 3 and units[i - 1].lower == "to" and units[i - 2].lower == "on" \
            and units[i - 3].lower in ("going", "went", "goes", "go", "gone"):
        return i - 3
    return i


def _subject(units: list[Unit], lo: int, i: int) -> tuple[int, int] | None:
    """The subject of the main clause, for a participle cue (", saying ...")."""
    toks = [u.tok for u in units[lo:i]]
    start = 0
    while start < len(toks) and toks[start].text in (",", "—", "–", ":"):
        start += 1  # '"Q," the mayor said, adding ...': after the quotation
    if start < len(toks) and toks[start].lower in lexicon().venue_prepositions | {"after", "earlier", "later", "during"}:
        comma = next((n for n in range(start, len(toks)) if toks[n].text == ","), None)
        if comma is None:
            # "On September 27 they published ... by announcing": a subject pronoun after the date
            pronoun = next((n for n in range(start + 1, min(len(toks), start + 6))
                            if toks[n].lower in _SUBJECT_PRONOUNS and toks[n - 1].text[:1].isalnum()), None)
            return (lo + pronoun, lo + pronoun + 1) if pronoun is not None else None
        start = comma + 1
    found = mention_after([Token(0, 0, "")] + toks[start:], 0)
    if not found:
        # '"Q," the coach said, adding ...': the mention before the main clause's cue
        verb = next((n for n in range(start, len(toks)) if toks[n].lower in lexicon().verb_forms), None)
        before = mention_before(toks, verb, start) if verb is not None else None
        return (lo + before[0], lo + before[1]) if before else None
    return (lo + start + found[0] - 1, lo + start + found[1] - 1)


def _object(units: list[Unit], j: int) -> int | None:
    """The end of a tell-verb's addressee ("told reporters", "told Fox News’ Laura Ingraham")."""
    if units[j].lower in OBJECT_PRONOUNS:
        return j + 1
    toks = _tokens_until_quote(units, j)
    found = mention_after([Token(0, 0, "")] + toks, 0)
    if found and found[0] == 1:
        return j + found[1] - 1
    if units[j].lower in ("that", ":"):
        return j
    return None


def _skip_to_content(units: list[Unit], j: int) -> int | None:
    """Skip "that", a colon, and adjuncts such as "during a TV appearance on Monday that"."""
    lex = lexicon()
    if j >= len(units):
        return None
    if units[j].lower == "that":
        return j  # the complementizer is part of what was said, as in PolNeAR's annotation
    if units[j].lower in (":", ","):
        return j + 1
    if units[j].lower in lex.venue_prepositions or units[j].lower in ("monday", "tuesday", "wednesday", "thursday",
                                                                        "friday", "saturday", "sunday", "today",
                                                                        "yesterday", "last", "this", "earlier"):
        for n in range(j, min(len(units), j + 16)):
            if units[n].lower == "that":
                return n
            if units[n].quote or units[n].lower in (".", ";"):
                break
            if units[n].lower == ",":
                return n + 1 if n > j else None
        return None
    return j


def _according_to(text, sent, units, i, used, raws) -> None:
    found = mention_after([u.tok for u in units[i + 1:]] if all(u.tok for u in units[i + 1:]) else
                          _tokens_until_quote(units, i + 1), 0)
    if not found:
        return
    mention = (i + 1 + found[0], i + 1 + found[1])
    if i > 0 and units[i - 1].lower == ",":
        content = _content(units, 0, i - 1)
        rng = range(0, len(units))
    else:
        j = mention[1]
        while j < len(units) and units[j].lower != ",":
            j += 1
        end = _clause_end(units, j + 1)
        content = _content(units, j + 1, end)
        rng = range(i, end)
    if content is None:
        return
    _emit(text, sent, units, content, mention, None, [(units[i].start, units[mention[1] - 1].end)], raws,
          used, rng)


# --- context: quotes with no attribution in their sentence -------------------------------------

def _introducer(text: str, sent: Sentence) -> tuple[int, int] | None:
    """ "Here's the email Amazon sent ...": the author of a document introduced before a quote."""
    lex = lexicon()
    toks = tokens(text, sent.start, sent.end)
    for k, t in enumerate(toks):
        if t.lower not in lex.document_nouns:
            continue
        rest = toks[k + 1:k + 6]
        for m, r in enumerate(rest):
            if r.lower in INTRODUCER_VERBS and m > 0:
                found = mention_before(rest, m, 0)
                if found and found[0] == 0:
                    return (rest[found[0]].start, rest[found[1] - 1].end)
        if k > 0 and toks[k - 1].text.endswith(("’s", "'s")):
            found = mention_before(toks, k, 0)
            if found:
                return (toks[found[0]].start, toks[k - 1].end - 2)
        if k + 2 < len(toks):
            for m in range(k + 1, min(len(toks), k + 4)):
                if toks[m].lower == "from":
                    found = mention_after(toks, m)
                    if found:
                        return (toks[found[0]].start, toks[found[1] - 1].end)
    return None


# --- the whole article -------------------------------------------------------------------------

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
        split.append((para, p_quotes, sentences, [_units(text, sent, s_quotes)
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


def extract_rules(article: Article, nlp=None, prepared: Prepared | None = None, parses=None) -> list[Attribution]:
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
    lines = _transcript(text, [para for para, *_ in split])
    for p_index, (para, _p_quotes, sentences, all_units) in enumerate(split):
        p_raws: list[Raw] = []
        for s_index, sent in enumerate(sentences):
            units = all_units[s_index]
            before = len(p_raws)
            used = _direct(text, sent, units, p_raws)
            _reported(text, sent, units, used, p_raws, docs.get(sent.start))
            _attach_context(text, sentences, s_index, p_raws[before:], p_raws[max(0, before - 1):before], raws, colon)
            _partials(text, sent, units, used, p_raws, p_raws[before:])
        for raw in p_raws:
            for q in raw.quotes:
                by_quote[q.open] = raw
            if raw.quotes and raw.quotes[0].continues is not None:
                prev = by_quote.get(quotes[raw.quotes[0].continues].open)
                if prev is not None and prev.spans:
                    # one quotation over several paragraphs: its attribution may come at the end
                    if prev.mention is None and prev.same_as is None:
                        prev.mention, prev.cue, prev.venue = raw.mention, raw.cue, raw.venue
                        prev.same_as = raw.same_as
                        prev.context.extend(raw.context)
                    prev.spans.extend(raw.spans)
                    prev.quotes.extend(raw.quotes)
                    for q in raw.quotes:
                        by_quote[q.open] = prev
                    raw.spans = []
        if p_index in lines:
            p_raws = [lines[p_index]]  # a transcript line is one statement by the named speaker
        raws.extend(r for r in p_raws if r.spans)
        colon = _colon_intro(text, sentences[-1]) if sentences and text[para.end - 1] == ":" else None
    return _finish(article, raws)


_SPEAKER_LINE = re.compile(r"[\"“]?\s*([A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,2}):\s+(?=\S)")
# Capitalised labels that head a paragraph but name no speaker.
NOT_SPEAKER_LABELS = {"UPDATE", "UPDATED", "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "CORRECTION", "CLARIFICATION",
                      "WATCH", "READ", "READ MORE", "RELATED", "VIDEO", "PHOTOS", "PHOTO", "BREAKING", "SOURCE",
                      "SOURCES", "DISCLOSURE", "WARNING", "SPOILER", "ALERT", "PS", "P.S.", "TL;DR", "FAQ", "AP",
                      "QUESTION", "ANSWER", "Q", "A", "UPI", "CNN", "WASHINGTON", "NEW YORK", "LONDON"}
MIN_TRANSCRIPT_LINES = 2  # one capitalised label is a heading; two or more speakers' lines a transcript


def _transcript(text: str, paragraphs) -> dict[int, Raw]:
    """Transcript lines ("PENCE: Well, look, ..."): the label names the speaker of the paragraph."""
    found: dict[int, Raw] = {}
    for p_index, para in enumerate(paragraphs):
        m = _SPEAKER_LINE.match(text, para.start, para.end)
        if not m or m.group(1) in NOT_SPEAKER_LABELS or len(m.group(1).replace(".", "")) < 3:
            continue
        a, b = m.end(), para.end
        while b > a and (text[b - 1].isspace() or text[b - 1] in "\"”"):
            b -= 1
        if b - a < 2:
            continue
        raw = Raw([(a, b)], "direct", p_index, mention=(m.start(1), m.end(1)), transcript=True)
        raw.context.append((para.start, m.end()))
        found[p_index] = raw
    if len(found) < MIN_TRANSCRIPT_LINES:
        return {}
    return found


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
            cues = [i for i in range(len(units)) if (c := _cue_at(units, i)) and c[0] not in lex.quote_only]
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


def _colon_intro(text: str, sent: Sentence) -> tuple[tuple[int, int], Token] | None:
    """ "He said:" closing a paragraph: the speaker and cue of the quotation that follows."""
    units = _units(text, sent, [])
    if len(units) >= 3 and units[-1].lower == ":" and units[-2].lower in lexicon().speech_nouns:
        found = _clause_subject(units, 0, len(units) - 3)  # "Sanders made the following comment:"
        if found:
            return (units[found[0]].start, units[found[1] - 1].end), units[-2].tok
    for i in range(len(units) - 1, -1, -1):
        cue = _cue_at(units, i)
        if cue:
            found = mention_before([u.tok for u in units], i, 0)
            if found:
                return (units[found[0]].start, units[found[1] - 1].end), units[i].tok
            return None
    return None


def _attach_context(text, sentences, s_index, new: list[Raw], earlier: list[Raw], done: list[Raw],
                    colon=None) -> None:
    """Quotations with no attribution in their sentence take it from the context."""
    for raw in new:
        if raw.mention is not None or raw.same_as is not None or raw.kind != "direct" \
                or raw.quotes and raw.quotes[0].continues is not None:
            continue
        if s_index == 0 and colon is not None and not earlier:
            raw.mention, raw.cue = colon  # "He said:" and the quotation in the next paragraph
            raw.context.append(colon[0])
            continue
        if earlier and (earlier[-1].mention or earlier[-1].same_as) \
                and (earlier[-1].kind == "direct" or earlier[-1].kind != "partial" and not raw.quotes[0].single):
            raw.same_as = earlier[-1]  # "A," she said. "B."
            continue
        if s_index > 0:
            intro = _introducer(text, sentences[s_index - 1])
            if intro:
                raw.mention = intro
                raw.context.append((sentences[s_index - 1].start, sentences[s_index - 1].end))
                continue
        if s_index == 0 and done and done[-1].kind == "direct" and (done[-1].mention or done[-1].same_as) \
                and not raw.quotes[0].single \
                and done[-1].paragraph == raw.paragraph - 1 and raw.quotes and raw.quotes[0].open == sentences[0].start:
            raw.same_as = done[-1]  # a paragraph of quotation after one by the same speaker
            continue
        if raw.quotes and not raw.quotes[-1].closed:
            continue  # it runs on into the next paragraph, which may name the speaker
        if _speech_like(text, raw):
            raw.inferred = True  # a quotation is kept; its speaker is guessed later, or left unnamed
            raw.mention = _label_before(text, sentences[s_index], raw.quotes[0])
        else:
            raw.spans = []  # a title, a name or a few words in marks: not a statement


def _partials(text, sent, units, used, p_raws, new) -> None:
    """Quoted fragments inside a sentence: the speaker of a cue before them in the sentence."""
    covered = {q.open for r in new for q in r.quotes}  # statements hold quotations of their own sentence
    for qi, u in enumerate(units):
        q = u.quote
        if q is None or q.open in covered or qi in used:
            continue
        title = not _plausible_single(text, q)  # a name in marks: only inside a cue's clause
        for k in range(qi - 1, -1, -1):
            cue = _cue_at(units, k)
            if not cue:
                continue
            toks_lo = k
            while toks_lo > 0 and units[toks_lo - 1].tok:
                toks_lo -= 1
            found = mention_before([x.tok for x in units[toks_lo:k + 1]], k - toks_lo, 0)
            if not found and units[k].lower.endswith("s") and k > toks_lo \
                    and units[k - 1].lower not in ("and", "also", "then") and not units[k - 1].lower.endswith("ly"):
                continue  # "32% of Republican claims as 'false'": a plural noun, not the cue
            shared = None
            if not found and k > toks_lo and units[k - 1].lower == "and":
                # "... and encouraged Americans to 'check out' ...": the subject of the first verb
                shared = next((r.mention for r in reversed(new) if r.mention), None)
                if shared is None and (sub := _subject(units, toks_lo, k - 1)):
                    shared = (units[sub[0]].start, units[sub[1] - 1].end)
            if not found and not shared and units[k].lower.endswith("ing") and k > toks_lo \
                    and (sub := _subject(units, toks_lo, k)):
                # "issued a statement saying she would 'fight this in court'", "..., calling the
                # report 'a partisan fishing expedition'": the participle's subject is the main clause's
                shared = (units[sub[0]].start, units[sub[1] - 1].end)
            if found or shared:
                spans, kind, quotes = [(q.start, q.end)], "partial", [q]
                j = _skip_to_content(units, k + cue[1])
                end = _clause_end(units, j) if j is not None else 0
                inside = False
                if j is not None and j <= qi < end:
                    # the clause the fragment sits in ("called X 'deplorables'"): mixed, or partial
                    # after a copula
                    content = _content(units, j, end, participle=_participle_clause(units, k))
                    if content and not any(x in used for x in range(j, end)):
                        spans, kind, quotes = content
                        used.update(range(j, end))
                        inside = True
                if title and not inside:
                    break
                raw = Raw(spans, kind, sent.paragraph, quotes=quotes, cue=units[k].tok,
                          mention=shared or (units[toks_lo + found[0]].start, units[toks_lo + found[1] - 1].end))
                raw.context.append((units[toks_lo].start, units[k].end))
                p_raws.append(raw)
                covered.update(x.open for x in quotes)
            break
        else:
            if title:
                continue
            raw = Raw([(q.start, q.end)], "partial", sent.paragraph, quotes=[q])
            intro = _introducer(text, sent)  # "an email was sent from Amazon ... due to 'security risks'"
            if intro and intro[1] <= q.open:
                raw.mention = intro
                raw.context.append((sent.start, q.open))
            p_raws.append(raw)  # without a mention: resolved later, if quoted again elsewhere


_TITLE_SMALL = {"a", "an", "and", "the", "of", "in", "to", "for", "on", "at", "or", "with", "it"}


def _plausible_single(text: str, q: Quote) -> bool:
    """Marks around a Capitalised Title are a name ('The Long Road', "Fox and Friends"), not a quote."""
    words = [w for w in text[q.start:q.end].split() if w.lower() not in _TITLE_SMALL]
    return not (words and len(words) <= 6 and all(w[:1].isupper() or w[:1].isdigit() for w in words))


MIN_INFERRED_WORDS = 3  # a quotation this long with no attribution is still a statement


def _speech_like(text: str, raw: Raw) -> bool:
    """A quotation that reads as someone's words: three words or more, not a Capitalised Title."""
    words = sum(len(text[a:b].split()) for a, b in raw.spans)
    return words >= MIN_INFERRED_WORDS and all(_plausible_single(text, q) for q in raw.quotes)


def _label_before(text: str, sent: Sentence, q: Quote) -> tuple[int, int] | None:
    """ "Jane Roe, Channel 9: "..."" / "- David Wasserman: "..."": a name heading the quotation
    with a colon and no cue; only a capitalised name counts (never "the results:")."""
    toks = tokens(text, sent.start, q.open)
    if len(toks) < 2 or toks[-1].text != ":":
        return None
    found = mention_before(toks, len(toks) - 1, 0)
    comma = next((k for k, t in enumerate(toks) if t.text == ","), None)
    if found is None and comma:
        found = mention_before(toks, comma, 0)  # the name before ", Outlet:"
    if found is None:
        # "Trump leaned in and boomed: "..."": the subject opening the sentence
        first = mention_after([Token(0, 0, "")] + toks[:-1], 0)
        found = (first[0] - 1, first[1] - 1) if first and first[0] == 1 and first[1] < len(toks) else None
    if found is None:
        return None
    words = toks[found[0]:found[1]]
    if not any(t.text[:1].isupper() for t in words) or len(words) > 6:
        return None
    return words[0].start, words[-1].end


def _utterance(text: str, raw: Raw) -> bool:
    """A quotation that is a whole utterance (a capital, three words, closing punctuation), not a
    phrase in marks: kept even when nothing in the sentence attributes it."""
    if len(raw.quotes) != 1 or not _speech_like(text, raw):
        return False
    q = raw.quotes[0]
    words = text[q.start:q.end].rstrip()
    return words[:1].isupper() and words[-1:] in (",", ".", "?", "!")


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


def _finish(article: Article, raws: list[Raw]) -> list[Attribution]:
    """Resolve speakers and dates in reading order and build the Statements."""
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
        if raw.inferred and raw.mention is None:
            raw.mention = _credit_after(article, raw)
        if raw.inferred and raw.mention is None:
            st = _inferred(article, raw, _guess(raw, last))
        elif raw.inferred:
            st = _statement(article, raw, memory, done, dated)
            st = st and replace(st, speaker_inferred=True)  # a name with a colon, no cue
        else:
            st = _statement(article, raw, memory, done, dated)
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
        st = _repeated(article, raw, attributed)
        if st is None and _utterance(text, raw):
            # '"I voted for him," one said.': kept, its speaker guessed as for a direct quotation
            before = [x for x in spoken if x[0].spans[0][0] < raw.spans[0][0]]
            st = _inferred(article, replace(raw, kind="direct"), _guess(raw, before[-1] if before else None))
        if st is not None:
            out.append(st)
    out = _dedupe(out)
    out.sort(key=lambda s: (s.start, s.end))
    return out


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
        mention_span = Span(a, b)
        cue = raw.cue.text if raw.cue else None
        if raw.cue and raw.cue.lower in ("told", "tells") and venue is None:
            venue = None
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
    """Drop a statement whose spans lie inside another's (the same words found twice)."""
    out: list[Attribution] = []
    reach = -1  # the furthest end of those kept: each starts at or before the next (sorted)
    for st in sorted(statements, key=lambda s: (s.start, -(s.end - s.start))):
        if st.end <= reach:
            continue
        out.append(st)
        reach = st.end
    return out
