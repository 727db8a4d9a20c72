"""Clauses around a cue: where reported content starts and ends, its kind, the subject that said it.

Shared by the constructions (``direct``, ``reported``, ``partial``): pure functions over a
sentence's units, and ``emit``, which records one statement in the scan.
"""
from __future__ import annotations

import re

from generator.extract.dates import WEEKDAYS
from generator.extract.lexicon import lexicon
from generator.extract.mentions import mention_after, mention_before
from generator.extract.text import Quote, Sentence, Token, tokens
from generator.extract.units import DASHES, Raw, Scan, Unit, tokens_until_quote

MIN_CONTENT_WORDS = 3  # reported speech shorter than this is a noun phrase, not a statement
COPULA_SUBJECT_WORDS = 6  # "it was 'in error'": the quoted words; a longer subject: the clause (mixed)
CLAUSE_BREAKS = {";", "—", "–", "-", "--", "―"}
# After a comma these open a clause of their own: the reported content ends before them.
CLAUSE_OPENERS = {"but", "which", "while", "although", "though", "whose", "yet", "prompting", "meaning"}
COPULAS = {"was", "is", "were", "are", "be", "been", "being", "as", "remains", "seemed", "seems"}


def content_of(units: list[Unit], a: int, b: int, participle: bool = False,
               ) -> tuple[list[tuple[int, int]], str, list[Quote]] | None:
    """Spans and kind of reported content ``units[a:b]`` (mixed when it carries a quotation).

    After a participle cue a quoted predicate ends the clause: ", saying it was 'in error'" is a
    partial quotation (the quoted words); after a finite verb ("says his plan is 'dangerous'")
    the clause is the statement, quotation included (mixed)."""
    while a < b and units[a].tok and units[a].tok.text in (",", ":", "—"):
        a += 1
    if a < b and units[a].lower == ";":
        return None  # "analysts say; in 2012, ...": the cue's clause ended, what follows is not its content
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


def owned_speech_noun(units: list[Unit], a: int, j: int) -> int | None:
    """The owner of a speech noun ending ``units[a:j]`` before "that" ("to the mayor's claim that":
    "mayor's"), whose words the clause is, not the cue's subject's; None when there is none."""
    that = j if j < len(units) and units[j].lower == "that" else j - 1
    if not (that - a >= 1 and that < len(units) and units[that].lower == "that"
            and units[that - 1].lower in lexicon().speech_nouns):
        return None
    return next((n for n in range(that - 2, a - 1, -1)
                 if units[n].tok is not None and units[n].tok.text.endswith(("'s", "’s"))), None)


def parenthetical_content(units: list[Unit], a: int, b: int, c: int, d: int,
                          ) -> tuple[list[tuple[int, int]], str, list[Quote]] | None:
    """Spans and kind of content in two parts, ``units[a:b]`` and ``units[c:d]``, around an
    attribution set off by commas ("In his state, Christie said, offenders are sent ...")."""
    parts = []
    for x, y in ((a, b), (c, d)):
        while x < y and units[x].tok and units[x].tok.text in (",", ":", "—"):
            x += 1
        while y > x and units[y - 1].tok and units[y - 1].tok.text in (".", ",", ";", ":", "!", "?", "—", "–"):
            y -= 1
        if y <= x:
            return None
        parts.append((x, y))
    quotes = [u.quote for x, y in parts for u in units[x:y] if u.quote]
    words = sum(1 for x, y in parts for u in units[x:y] if u.tok and u.tok.text[:1].isalnum())
    if words < MIN_CONTENT_WORDS:
        return None
    return [(units[x].start, units[y - 1].end) for x, y in parts], "mixed" if quotes else "indirect", quotes


def emit(scan: Scan, spans_kind, mention: tuple[int, int] | None, cue_i: int | None,
         ctx: list[tuple[int, int]], rng, venue: str | None = None) -> None:
    """Record one statement of the scanned sentence: ``spans_kind`` as ``content_of`` gives it,
    the speaker's mention and the cue as unit indexes, ``ctx`` the text to search for its date,
    ``rng`` the units it takes (no other statement may use them)."""
    units = scan.units
    spans, kind, quotes = spans_kind
    if venue is None and cue_i is not None:
        venue = venue_of(scan.text, units, cue_i, cue_i)
    raw = Raw(spans, kind, scan.sent.paragraph, quotes=quotes, venue=venue,
              cue=units[cue_i].tok if cue_i is not None else None)
    if mention:
        raw.mention = (units[mention[0]].start, units[mention[1] - 1].end)
    raw.context.extend(ctx)
    if mention and mention[0] > 0 and spans[0][0] >= units[mention[1] - 1].end:
        # "On Monday, the mayor said ...", "Just days after X said ...": the words opening the
        # sentence before the speaker (never the statement itself) may date it
        raw.context.append((scan.sent.start, units[mention[0]].start))
    scan.raws.append(raw)
    scan.used.update(rng)


def venue_of(text: str, units: list[Unit], ci: int, end: int) -> str | None:
    """ "told Fox News’ Laura Ingraham", "in a statement to The Independent": the addressee."""
    lex = lexicon()
    cue = units[ci].lower
    if cue in ("told", "tells", "tell", "telling") and ci + 1 <= end:
        toks = tokens_until_quote(units, ci + 1)[: end - ci]
        found = mention_after([units[ci].tok] + toks, 0)
        if found and found[0] == 1:
            return text[toks[found[0] - 1].start:toks[found[1] - 2].end]
    for j in range(max(0, ci - 12), min(end + 1, len(units))):
        if units[j].lower == "to" and j > 0 and units[j - 1].lower in lex.document_nouns | {"interview"}:
            toks = tokens_until_quote(units, j + 1)
            found = mention_after([units[j].tok] + toks, 0)
            if found:
                return text[toks[found[0] - 1].start:toks[found[1] - 2].end]
    return None


def clause_end(units: list[Unit], i: int) -> int:
    """Where reported content starting at ``units[i]`` ends: the sentence, or a clause break
    (a semicolon or dash, ", but ...", ", which ...", ", saying ...", "and warned ...")."""
    lex = lexicon()
    j = i
    while j < len(units):
        u = units[j]
        if u.tok and u.tok.text in CLAUSE_BREAKS and j > i:
            break
        if (u.tok and u.tok.text == "," and j > i or u.quote is not None and u.quote.comma) and j + 1 < len(units) \
                and _clause_after_comma(units, j):
            # ", arguing that ...", ", but ...", ', "a disgrace," blaming ...': the quotation's own
            # comma ends the content after it
            return j + 1 if u.quote is not None else j
        if u.lower in ("and", "but") and j > i + 1 and j + 1 < len(units) and units[j + 1].tok \
                and units[j + 1].lower in lex.verb_forms and (j > i + 2 or units[j - 1].quote is not None) \
                and not units[j + 1].lower.endswith("ing"):
            break  # "... and warned against ...", 'called her "weak" and said ...': the speaker's next statement
        if u.lower in ("and", "but") and j > i + 2 and (_speaker_clause(units, j + 1) or u.lower == "but"
                                                          and j + 1 < len(units) and units[j + 1].lower in SUBJECT_PRONOUNS):
            break  # "... and human rights groups warned ...": someone else's statement
        j += 1
    return j


SUBJECT_PRONOUNS = {"he", "she", "they", "we", "i"}


def _clause_after_comma(units: list[Unit], j: int) -> bool:
    """After the comma at ``units[j]`` another clause starts: an attribution, a clause opener, a
    reporting participle."""
    nxt = units[j + 1]
    if _comma_attribution(units, j) or nxt.lower in CLAUSE_OPENERS:
        return True
    return bool(nxt.tok and (nxt.lower.endswith("ing") and nxt.lower in lexicon().verb_forms
                             or j + 2 < len(units) and nxt.lower.endswith("ly") and units[j + 2].lower.endswith("ing")))


def _speaker_clause(units: list[Unit], j: int) -> bool:
    """A new clause with its own speaker and reporting verb starts at ``units[j]``."""
    toks = tokens_until_quote(units, j)[:7]
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
    toks = tokens_until_quote(units, j + 1)[:8]
    for k in range(len(toks)):
        if toks[k].lower in lexicon().verb_forms and k:
            found = mention_before(toks, k, 0)
            return bool(found and found[0] == 0)
        if not (toks[k].text[:1].isupper() or toks[k].lower in ("the", "a", "an", "he", "she", "they")):
            return False
    return False


# Cues whose "to" + verb is a passive ("the one said to be the best", "was told to leave"), not content.
NO_INFINITIVE_CUES = {"say", "tell", "report", "state", "add", "write", "note"}

# Words after "to" that make it a preposition ("said to the crowd", "told to him"), not an infinitive.
NOT_INFINITIVES = {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that", "these",
                   "those", "some", "all", "any", "every", "each", "him", "them", "us", "me", "you", "it",
                   "date", "applause", "cheers", "reporters", "supporters", "voters"}


def infinitive_at(units: list[Unit], j: int) -> bool:
    """ "to ban", "to support": ``units[j]`` opens an infinitive (a cue's content), not a phrase
    ("to reporters", "to the crowd"): a lowercase word after "to", no determiner, no plural."""
    if units[j].lower != "to" or j + 1 >= len(units) or units[j + 1].tok is None:
        return False
    word = units[j + 1].tok.text
    return word.isalpha() and word.islower() and word not in NOT_INFINITIVES \
        and not (word.endswith("s") and not word.endswith("ss"))


def skip_to_content(units: list[Unit], j: int, cue: str | None = None) -> int | None:
    """Skip "that", a colon, and adjuncts such as "during a TV appearance on Monday that"; after
    a ``cue`` that takes one, an infinitive is the content ("vowed to ban ...")."""
    lex = lexicon()
    if j >= len(units):
        return None
    if units[j].lower == "that":
        return j  # the complementizer is part of what was said, as in PolNeAR's annotation
    if units[j].lower in (":", ","):
        return j + 1
    if units[j].lower in DASHES:
        # "said — on Twitter, as it happens — that ...": past the aside to its "that"
        close = next((n for n in range(j + 1, min(len(units), j + 16)) if units[n].lower == units[j].lower), None)
        if close is not None and close + 1 < len(units) and units[close + 1].lower == "that":
            return close + 1
    if cue is not None and cue not in NO_INFINITIVE_CUES and infinitive_at(units, j):
        return j  # "vowed to ban ...": what was vowed, not a place or an addressee
    if units[j].lower in lex.venue_prepositions or units[j].lower in WEEKDAYS \
            or units[j].lower in ("today", "yesterday", "last", "this", "earlier"):
        for n in range(j, min(len(units), j + 16)):
            if units[n].lower == "that":
                return n
            if units[n].quote or units[n].lower in (".", ";"):
                break
            if units[n].lower == ",":
                return n + 1 if n > j else None
        return None
    return j


def participle_clause(units: list[Unit], i: int) -> bool:
    """ ", saying ...": a participle after a comma, opening a clause of its own (not "is saying",
    nor "by announcing that it was 'true'", whose clause PolNeAR keeps whole)."""
    return units[i].lower.endswith("ing") and i > 0 and units[i - 1].lower in _PARTICIPLE_OPENERS


_PARTICIPLE_OPENERS = {",", "—"}


# Words opening a sentence before its subject: a conjunction or a sentence adverb ("And then Trump ...").
OPENERS = {"and", "but", "so", "then", "yet", "here", "there", "now", "still", "also", "instead", "meanwhile",
           "again", "today", "yesterday"}


def adjunct_opener(low: str) -> bool:
    """A word opening an adjunct that a comma closes before the subject ("In Iowa on Monday, Sanders ...")."""
    return low in lexicon().venue_prepositions or low in ("after", "earlier", "later", "during")


def subject(units: list[Unit], lo: int, i: int) -> tuple[int, int] | None:
    """The subject of the main clause, for a participle cue (", saying ...")."""
    toks = [u.tok for u in units[lo:i]]
    aside = _attribution_aside(toks)
    if aside is not None:
        return lo + aside[0], lo + aside[1]
    start = 0
    while start < len(toks) and toks[start].text in (",", "—", "–", ":"):
        start += 1  # '"Q," the mayor said, adding ...': after the quotation
    while start < len(toks) and toks[start].lower in OPENERS:
        start += 1  # "And then Trump went on the attack, saying ...", "Here in Columbia, Sanders ..."
    if start + 1 < len(toks) and len(toks[start].lower) > 4 and toks[start].lower.endswith("ly") \
            and (adjunct_opener(toks[start + 1].lower) or toks[start + 1].lower in lexicon().subordinators):
        start += 1  # "Shortly after the call ended, Rubio's campaign ...": the adverb of an adjunct
    if start < len(toks) and (adjunct_opener(toks[start].lower) or _participle_opener(toks, start)
                              or toks[start].lower in lexicon().subordinators or _time_ago(toks, start)):
        comma = next((n for n in range(start, len(toks)) if toks[n].text == ","), None)
        if comma is None:
            # "On September 27 they published ... by announcing": a subject pronoun after the date
            pronoun = next((n for n in range(start + 1, min(len(toks), start + 6))
                            if toks[n].lower in SUBJECT_PRONOUNS and toks[n - 1].text[:1].isalnum()), None)
            return (lo + pronoun, lo + pronoun + 1) if pronoun is not None else None
        start = _after_adjunct(toks, comma)
    found = mention_after([Token(0, 0, "")] + toks[start:], 0)
    if not found:
        # '"Q," the coach said, adding ...': the mention before the main clause's cue
        verb = next((n for n in range(start, len(toks)) if toks[n].lower in lexicon().verb_forms), None)
        before = mention_before(toks, verb, start) if verb is not None else None
        return (lo + before[0], lo + before[1]) if before else None
    return (lo + start + found[0] - 1, lo + start + found[1] - 1)


_ARTICLES = {"a", "an", "the"}


def _attribution_aside(toks: list[Token]) -> tuple[int, int] | None:
    """ "Washington did not complain ..., a Chinese official said, adding that ...": the
    attribution set off by commas just before the participle names its speaker (token range)."""
    if len(toks) < 4 or toks[-1].text != ",":
        return None
    lo = next((n + 1 for n in range(len(toks) - 2, -1, -1) if toks[n].text in (",", "—", "–")), None)
    if lo is None:
        return None
    verb_forms = lexicon().verb_forms
    seg = len(toks) - 1
    if toks[seg - 1].lower in verb_forms:  # ", a Chinese official said,"
        found = mention_before(toks, seg - 1, lo)
        return found if found and (found[0] == lo or found[0] == lo + 1 and toks[lo].lower in _ARTICLES) else None
    if toks[lo].lower in verb_forms:  # ", said a Chinese official,"
        found = mention_after(toks, lo, seg)
        return found if found and found[1] == seg else None
    return None


_COUNTS = {"a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
           "several", "few", "many", "some"}


def _time_ago(toks: list[Token], k: int) -> bool:
    """ "Eight years ago, he ...", "Two days later, ...", "Hours later, ...": a time opening the
    sentence, never its subject."""
    if k + 1 < len(toks) and toks[k].lower.endswith("s") and _time_noun(toks[k].lower) \
            and toks[k + 1].lower in ("later", "earlier"):
        return True
    return k + 2 < len(toks) and (toks[k].lower in _COUNTS or toks[k].text.isdigit()) \
        and _time_noun(toks[k + 1].lower) and toks[k + 2].lower in ("ago", "later", "earlier")


def _time_noun(low: str) -> bool:
    return low.rstrip("s") in lexicon().time_nouns or low.rstrip("s") in ("day", "hour", "minute")


def _participle_opener(toks: list[Token], k: int) -> bool:
    """ "Speaking at a rally, ...", "Reached by phone, ...": a participle opening the sentence
    with a phrase of its own, never the subject (a name is followed by its verb, not "at")."""
    low = toks[k].lower
    return len(low) > 5 and low.isalpha() and low.endswith(("ing", "ed")) and k + 1 < len(toks) \
        and (toks[k + 1].lower in lexicon().participle_followers
             or len(toks[k + 1].lower) > 4 and toks[k + 1].lower.endswith("ly"))  # "Smiling broadly,"


def _after_adjunct(toks: list[Token], comma: int) -> int:
    """Where the subject starts after an opening adjunct's comma: past the places the adjunct
    lists ("At an event in Ames, Iowa, on Sunday, Clinton ...": "Clinton")."""
    start = comma + 1
    for _ in range(3):
        found = mention_after([Token(0, 0, "")] + toks[start:], 0)
        end = start + found[1] - 1 if found and found[0] == 1 else None
        if end is not None and end < len(toks) and toks[end].text == ",":
            start = end + 1  # "Iowa,": a place of the adjunct
        elif end is None and start < len(toks) and adjunct_opener(toks[start].lower):
            nxt = next((n for n in range(start, len(toks)) if toks[n].text == ","), None)
            if nxt is None:
                break
            start = nxt + 1  # "on Sunday,": another adjunct
        else:
            break
    return start if start < len(toks) else comma + 1


def clause_subject(units: list[Unit], lo: int, hi: int) -> tuple[int, int] | None:
    """A named subject followed by its verb, at the clause start or after an opening adjunct
    ("On July 6, 2015, Rita Gomez made ..."), within ``units[lo:hi]``."""
    starts = [lo] + [n + 1 for n in range(lo, hi) if units[n].lower == ","]
    for start in starts:
        toks = tokens_until_quote(units, start)[:max(0, hi - start)]
        found = mention_after([Token(0, 0, "")] + toks, 0)
        if not found or found[0] != 1:
            continue
        end = start + found[1] - 1
        verb = end
        while verb < hi and units[verb].lower in _AUXILIARIES:
            verb += 1
        if verb < hi and units[verb].lower in lexicon().make_verbs:
            return (start, end)
    return None


_AUXILIARIES = {"is", "was", "has", "had", "have", "are", "were", "also", "then", "again", "once", "now", "later"}


def introducer(text: str, sent: Sentence) -> tuple[int, int] | None:
    """ "Here's the email Amazon sent ...": the author of a document introduced before a quote."""
    lex = lexicon()
    toks = tokens(text, sent.start, sent.end)
    for k, t in enumerate(toks):
        if t.lower not in lex.document_nouns:
            continue
        rest = toks[k + 1:k + 6]
        for m, r in enumerate(rest):
            if r.lower in lex.introducer_verbs and m > 0:
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


# After the content of a relative clause ("X, who said the plan was dead, left early"): a comma,
# maybe the closing mark of a quotation, then the main clause's verb.
_MAIN_VERB_AFTER = re.compile(r",([\"”’']?)\s+([a-z]+)\b")
_MAIN_VERBS = {"is", "was", "are", "were", "has", "had", "have", "will", "would", "can", "could", "said", "says",
               "told", "also", "then", "later", "left", "took", "made", "went", "gave", "came", "got", "met", "led",
               "won", "ran", "sent", "spent", "kept", "became", "began", "found", "thought", "brought", "held",
               "wrote", "spoke", "stood", "sat", "drew", "threw", "broke", "chose", "rose", "fell", "lost", "paid"}


def relative_clause_end(text: str, start: int, end: int, quotes: list[Quote]) -> int:
    """Where the content of a relative clause's cue ends ("Roe, who said the plan was dead, left
    early": before ", left"): at a comma outside the quotations followed by a past-tense verb or an
    auxiliary; ``end`` when there is none."""
    for m in _MAIN_VERB_AFTER.finditer(text, start, end):
        word = m.group(2)
        if not (word in _MAIN_VERBS or len(word) > 4 and word.endswith("ed")):
            continue
        at = m.start()
        closes = m.group(1) and any(q.close == at + 2 for q in quotes)  # 'figures," described'
        if not closes and any(q.open < at < q.close for q in quotes):
            continue  # a comma inside a quotation
        return at + 1 + len(m.group(1)) if m.group(1) else at
    return end

