"""Direct quotations: a quotation with its attribution after it (``"Q," SPEAKER CUE``,
``"Q," CUE SPEAKER``) or before it (``SPEAKER CUE: "Q"``), split by its attribution
(``"A," she said, "b"``), continued with a participle (``"A," she said, adding, "B."``), or
introduced by a speech noun and a colon (``made the following comment: "Q"``).
"""
from __future__ import annotations

from generator.extract.clauses import OPENERS, adjunct_opener, clause_subject, content_of, subject, venue_of
from generator.extract.lexicon import lexicon
from generator.extract.mentions import mention_after, mention_before
from generator.extract.partial import plausible_single
from generator.extract.text import Token, thousands_comma
from generator.extract.units import (
    DASHES,
    Raw,
    Scan,
    Unit,
    cue_at,
    elliptical_asked,
    modifiers_only,
    participle_cue,
    tokens_until_quote,
)

PARTICIPLE_AFTER = {",", "while", "after", "before", "by", "when", "later", "despite"}  # ", saying ...", "by arguing"


def _block(text: str, units: list[Unit], qi: int) -> bool:
    """A quotation that is a statement of its own, not a fragment inside a sentence."""
    q = units[qi].quote
    first = text[q.start:q.start + 1]
    if first in "‘'" and q.start + 1 < q.end:
        first = text[q.start + 1:q.start + 2]  # '“‘Crooked Hillary’ kind of flows ...”': a quotation inside
    if not (first.isupper() or first.isdigit() or first in ".…([" or q.continues is not None):
        return False
    if qi == 0:
        return True
    prev = units[qi - 1]
    if prev.quote is None and prev.tok.text == "," and not plausible_single(text, q):
        return False  # "In his book, ''Make Your Kid a Millionaire,''": a title
    if prev.quote is None and qi >= 2 and prev.lower.endswith("ing") and units[qi - 2].lower == "," \
            and cue_at(units, qi - 1) and plausible_single(text, q):
        return True  # ', chanting "We want more!"': a participle cue right before the quotation
    return prev.quote is None and prev.tok.text in (":", ",", "that", ".", "—")


def direct(scan: Scan) -> None:
    """Statements for the quotations of the scanned sentence (the units they take in ``scan.used``)."""
    text, sent, units, used, raws = scan.text, scan.sent, scan.units, scan.used, scan.raws
    last: Raw | None = None
    for qi, u in enumerate(units):
        q = u.quote
        if q is None:
            continue
        block = _block(text, units, qi)
        after, before = _attributions(units, qi, block, last)
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
        raw = _attributed(scan, qi, after, before)
        used.add(qi)
        raws.append(raw)
        last = raw


def _attributions(units: list[Unit], qi: int, block: bool, last: Raw | None) -> tuple[tuple | None, tuple | None]:
    """The quotation's attribution after it, or else before it (a colon noun, or further away
    for a quotation standing alone); each None when there is none."""
    after = attribution_after(units, qi) if (block or last) else None
    before = _attribution_before(units, qi, 0) if not after else None
    if not after and not before:
        before = _noun_colon(units, qi)
    if block and last is None and not after and not before:
        after = _distant_after(units, qi)
        before = None if after else _distant_before(units, qi)
    return after, before


def _attributed(scan: Scan, qi: int, after: tuple | None, before: tuple | None) -> Raw:
    """The statement of quotation ``qi`` with its attribution (the units it takes in ``scan.used``)."""
    text, sent, units, used = scan.text, scan.sent, scan.units, scan.used
    q = units[qi].quote
    raw = Raw([(q.start, q.end)], "direct", sent.paragraph, quotes=[q])
    if after:
        (ma, mb), ci, end = after
        raw.mention = (units[ma].start, units[mb - 1].end)
        raw.cue = units[ci].tok if ci is not None else None
        raw.context.append((units[qi].end, units[end].end))
        raw.venue = venue_of(text, units, ci, end) if ci is not None else None
        used.update(range(qi + 1, end + 1))
    elif before:
        (ma, mb), ci = before
        raw.mention = (units[ma].start, units[mb - 1].end)
        raw.cue = units[ci].tok
        raw.context.append((units[ma].start, units[qi].start))
        raw.venue = venue_of(text, units, ci, qi - 1)
        used.update(range(ma, qi))
        _widen_before(scan, raw, qi, ma, ci)
    return raw


def _widen_before(scan: Scan, raw: Raw, qi: int, ma: int, ci: int) -> None:
    """A quotation attributed before it that finishes a clause: the clause joins the statement (mixed)."""
    text, units, used = scan.text, scan.units, scan.used
    q = units[qi].quote
    that = qi - 1 if units[qi - 1].lower == "that" else qi - 2
    if that >= 0 and units[that].lower == "that" and that >= ci and q.closed and q.continues is None:
        # 'tweeted that, "Q"' / 'told Fox that "Q"': the clause is the statement, "that" and
        # marks included (mixed), as reported speech keeps its complementizer
        raw.spans, raw.kind = [(units[that].start, q.close)], "mixed"
    elif units[qi - 1].lower == "," and text[q.start:q.start + 1].islower() and ma >= 2 \
            and units[ma - 1].lower == "," and not any(n in used or units[n].quote for n in range(0, ma - 1)):
        # 'So when the firm signaled it would sell, Ann Roe said, "we were floored."': the
        # clause before the attribution and the quotation that finishes it are one statement
        content = content_of(units, 0, ma - 1)
        if content is not None and content[1] == "indirect":
            raw.spans, raw.kind = content[0] + [(q.start, q.end)], "mixed"
            used.update(range(0, ma))


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


def attribution_after(units: list[Unit], qi: int) -> tuple[tuple[int, int], int, int] | None:
    """ "Q," SPEAKER CUE / "Q," CUE SPEAKER: (mention unit range, cue index, last unit index).

    The speaker may carry appositions ("Jane Roe, 25, a nurse, said"); a quotation followed by a
    dash and a name alone is signed ("..." ― Jane Roe).
    """
    i = qi + 1
    while i < len(units) and units[i].tok and (units[i].tok.text in (",",) or units[i].tok.text in DASHES):
        i += 1
    if i >= len(units) or units[i].quote:
        return None
    toks = tokens_until_quote(units, i)
    lex = lexicon()
    if units[i - 1].tok is not None and units[i - 1].tok.text in DASHES and toks:
        # a signature after the quotation ("..." ― Jane Roe), the whole rest of the sentence
        found = mention_after([Token(0, 0, "")] + toks, 0)
        if found and found[1] - 1 >= len([t for t in toks if t.text not in (".",)]):
            return (i + found[0] - 1, i + found[1] - 1), None, len(units) - 1
    for k in range(min(len(toks), MAX_ATTRIBUTION)):
        if toks[k].text in (".", ";", "!", "?", ":") and k > 0:
            break
        cue = cue_at(units, i + k)
        if not cue:
            continue
        if k == 0:
            found = mention_after(toks, 0 + cue[1] - 1) or _late_mention(toks, cue[1])
            if found:
                return (i + found[0], i + found[1]), i, _end_of_attribution(units, i + found[1])
            return None
        found = mention_before(toks, k, 0)
        if found and (found[0] == 0 or modifiers_only(toks[:found[0]])):
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


def _late_mention(toks: list[Token], start: int) -> tuple[int, int] | None:
    """ "said 9/11 widow Terry Strada": a name a few words after the cue, before any punctuation."""
    for m in range(start, min(len(toks), start + 5)):
        if not (toks[m].text[:1].isalnum() or toks[m].text in ("/", "-")):
            return None
        if toks[m].text[:1].isupper():
            found = mention_after(toks, m - 1)
            return (start, found[1]) if found else None
    return None


def _end_of_attribution(units: list[Unit], i: int) -> int:
    """The last unit of an attribution: up to the next quotation or the sentence's end."""
    j = i
    while j < len(units) and units[j].tok and units[j].tok.text not in (".", "!", "?", ";"):
        if units[j].tok.text == "," and j + 1 < len(units) and (units[j + 1].quote or participle_cue(units, j + 1)):
            break  # another quotation, or ", adding that ...": a statement of its own
        if j + 1 < len(units) and elliptical_asked(units, j + 1):
            break  # "..., X said when asked whether ...": the question is a statement of its own
        j += 1
    return min(j, len(units) - 1)


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
        cue = cue_at(units, toks_lo + k)
        if not cue:
            if toks[k].text in (".", ";") or (toks[k].text == "," and k < len(toks) - 1 and not thousands_comma(toks, k)):
                return None
            continue
        if toks[k].lower.endswith("ing") and k > 0 and toks[k - 1].lower in PARTICIPLE_AFTER:
            # "Trump attacked Clinton ..., saying, "Q"": the subject of the main clause
            found = subject(units, toks_lo, toks_lo + k)
            return (found, toks_lo + k) if found else None
        found = mention_before(toks, k, 0)
        if found:
            return (toks_lo + found[0], toks_lo + found[1]), toks_lo + k
        m = k - 1
        while m > 0 and (toks[m].lower in lexicon().modifiers or toks[m].lower.endswith("ly")):
            m -= 1
        if m > 0 and toks[m].lower in ("and", "but"):
            # "She then urges him to stop and repeatedly says, "Q"": the subject of the first verb
            found = subject(units, toks_lo, toks_lo + m)
            if found and (found[0] == toks_lo or units[found[0] - 1].lower == ","):  # "In May, she ..."
                return found, toks_lo + k
        after = mention_after(toks, k + cue[1] - 1) if cue[0] not in lexicon().tell_verbs else None
        # "said Rep. Jones:" names the speaker; "told Fox News:" only the one spoken to
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
    found = clause_subject(units, lo, qi - 3)
    return (found, qi - 2) if found else None


def _distant_after(units: list[Unit], qi: int) -> tuple[tuple[int, int], int, int] | None:
    """ '"Q," Mr. Daniloff, now 81 and retired in Cambridge, Mass., said by telephone': a cue
    further on, after appositions: the name opening the attribution is the speaker."""
    i = qi + 1
    while i < len(units) and units[i].tok and (units[i].tok.text == "," or units[i].tok.text in DASHES):
        i += 1
    toks = tokens_until_quote(units, i)
    for k in range(min(len(toks), MAX_ATTRIBUTION)):
        if toks[k].text in (".", ";", "!", "?", ":"):
            return None
        cue = cue_at(units, i + k)
        if not cue:
            continue
        opening = mention_after([Token(0, 0, "")] + toks[:k], 0)
        if k and opening and opening[0] == 1 and toks[opening[1] - 1].text in (",", "("):
            return (i, i + opening[1] - 1), i + k, _end_of_attribution(units, i + k + cue[1])
        return None
    return None


def _opens(units: list[Unit], a: int) -> bool:
    """The mention at ``units[a]`` is the sentence's subject: it opens the sentence, or follows only
    opening words ("And then") and an opening adjunct that a comma closes ("Here in Columbia,")."""
    s = 0
    while s < a and units[s].lower in OPENERS:
        s += 1
    if s == a:
        return True
    return adjunct_opener(units[s].lower) and units[a - 1].lower == "," \
        and not any(u.lower == "," for u in units[s:a - 1])


MAX_SOURCE_WORDS = 10  # "According to Sam Reed of the city council, ...": the whole phrase names the source
MAX_LEAD = 40  # tokens from the sentence start to a quotation its opening subject may have said


def _distant_before(units: list[Unit], qi: int) -> tuple[tuple[int, int], int] | None:
    """ 'J.J. Goldberg, editor at large of The Forward, ..., wrote, "Q"', 'Rabbi Hier has said
    that while ..., "Q"', 'Sanders stepped up his emphasis ..., saying, "Q"': the subject opening
    the sentence, followed by a cue before the quotation."""
    if qi == 0 or qi > MAX_LEAD or units[qi - 1].lower not in (",", ":", "that") \
            or any(u.quote for u in units[:qi]):
        return None
    toks = [u.tok for u in units[:qi]]
    if qi >= 4 and units[0].lower == "according" and units[1].lower == "to" and units[qi - 1].lower == ",":
        # 'According to the Daily Caller, "Q"': the source is the whole phrase before the comma
        found = mention_after([Token(0, 0, "")] + toks[2:qi - 1], 0)
        return ((2, qi - 1), 0) if found and found[0] == 1 and qi - 3 <= MAX_SOURCE_WORDS else None
    k = next((n for n in range(1, qi) if cue_at(units, n)), None)
    if k is None:
        return None
    if units[k].lower.endswith("ing") and units[k - 1].lower in PARTICIPLE_AFTER:
        found = subject(units, 0, k)  # "..., saying, "Q"": the main clause's subject
        return (found, k) if found and _opens(units, found[0]) else None
    opening = mention_after([Token(0, 0, "")] + toks[:k], 0)
    if not opening or opening[0] != 1:
        return None
    end = opening[1] - 1
    lex = lexicon()
    if end < k and toks[end].text != "," and not all(t.lower in lex.modifiers for t in toks[end:k]):
        return None
    return (0, end), k
