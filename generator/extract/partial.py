"""Partial quotations: quoted fragments inside a sentence, attributed to the speaker of a cue
before them; and what makes a quotation speech rather than a title or a name in marks.
"""
from __future__ import annotations

import re

from generator.extract.clauses import (
    clause_end,
    content_of,
    introducer,
    owned_speech_noun,
    participle_clause,
    skip_to_content,
    subject,
)
from generator.extract.lexicon import lexicon
from generator.extract.mentions import function_word, mention_after, mention_before
from generator.extract.text import Quote, Token
from generator.extract.units import CLAUSE_WORDS, Raw, Scan, Unit, cue_at, tokens_until_quote


def partials(scan: Scan, new: list[Raw]) -> None:
    """Quoted fragments in the scanned sentence: the speaker of a cue before them in the sentence.

    ``new``: the statements the other constructions found in this sentence."""
    text, sent, units, used, p_raws = scan.text, scan.sent, scan.units, scan.used, scan.raws
    covered = {q.open for r in new for q in r.quotes}  # statements hold quotations of their own sentence
    for qi, u in enumerate(units):
        q = u.quote
        if q is None or q.open in covered or qi in used:
            continue
        title = not plausible_single(text, q)  # a name in marks: only inside a cue's clause
        for k in range(qi - 1, -1, -1):
            cue = cue_at(units, k)
            if not cue:
                continue
            toks_lo = k
            while toks_lo > 0 and units[toks_lo - 1].tok:
                toks_lo -= 1
            found = mention_before([x.tok for x in units[toks_lo:k + 1]], k - toks_lo, 0)
            if found and units[k].lower.endswith("ing") and k > toks_lo \
                    and (units[k - 1].lower == "," or units[k - 1].lower in lexicon().document_nouns):
                # "..., Trump went after Bush, calling him ...", "Trump released an ad calling it ...":
                # the main clause's subject (below), not the object or the document
                found = None
            if not found and units[k].lower.endswith("s") and k > toks_lo \
                    and units[k - 1].lower not in ("and", "also", "then") and not units[k - 1].lower.endswith("ly"):
                continue  # "32% of Republican claims as 'false'": a plural noun, not the cue
            shared = None
            if not found and k > toks_lo and units[k - 1].lower == "and":
                # "... and encouraged Americans to 'check out' ...": the subject of the first verb
                shared = next((r.mention for r in reversed(new) if r.mention), None)
                if shared is None and (sub := subject(units, toks_lo, k - 1)):
                    shared = (units[sub[0]].start, units[sub[1] - 1].end)
            if not found and not shared and units[k].lower.endswith("ing") and k > toks_lo \
                    and (sub := subject(units, toks_lo, k)):
                # "issued a statement saying she would 'fight this in court'", "..., calling the
                # report 'a partisan fishing expedition'": the participle's subject is the main clause's
                shared = (units[sub[0]].start, units[sub[1] - 1].end)
            if not found and not shared and toks_lo > 0 and (
                    (units[k].lower.endswith("ing") and units[k - 1].lower == ",") or units[k - 1].lower == "and"):
                # '... blasted Trump's call for a "deportation force" on Wednesday, calling it
                # "absurd."', 'thanked its members "for their support" and called the union "one of
                # ..."': a quotation earlier in the sentence; the subject opening it
                shared = opening_subject(units, k, text)
            j = skip_to_content(units, k + cue[1])
            owner = owned_speech_noun(units, k + cue[1], j) if found and j is not None else None
            if owner is not None:
                # "Roe responded to the mayor's claim that it made him 'smart'": the mayor's words
                found, shared = None, (units[owner].start, units[owner].end - 2)
            if found or shared:
                spans, kind, quotes = [(q.start, q.end)], "partial", [q]
                end = clause_end(units, j) if j is not None else 0
                inside = False
                if j is not None and j <= qi < end:
                    # the clause the fragment sits in ("called X 'deplorables'"): mixed, or partial
                    # after a copula
                    content = content_of(units, j, end, participle=participle_clause(units, k))
                    if content and not any(x in used for x in range(j, end)):
                        spans, kind, quotes = content
                        used.update(range(j, end))
                        inside = True
                if title and (not inside or units[k].lower in lexicon().manner_forms):
                    break  # "He read “The Art of the Deal”": a title is what was read, not said
                raw = Raw(spans, kind, sent.paragraph, quotes=quotes, cue=units[k].tok,
                          mention=shared or (units[toks_lo + found[0]].start, units[toks_lo + found[1] - 1].end))
                raw.context.append((units[toks_lo].start, units[k].end))
                p_raws.append(raw)
                covered.update(x.open for x in quotes)
            break  # the nearest cue decides; one that names no speaker leaves the fragment unattributed
        if q.open not in covered and not title:
            raw = Raw([(q.start, q.end)], "partial", sent.paragraph, quotes=[q])
            intro = introducer(text, sent)  # "an email was sent from Amazon ... due to 'security risks'"
            if intro and intro[1] <= q.open:
                raw.mention = intro
                raw.context.append((sent.start, q.open))
            else:
                raw.subject = opening_subject(units, qi, text)
            p_raws.append(raw)  # without a mention: resolved later, if quoted again elsewhere


def opening_subject(units: list[Unit], qi: int, text: str) -> tuple[int, int] | None:
    """The mention opening the sentence before ``units[qi]`` and followed by a verb-like word
    ("Jeb! reserved his passion for ..."): the best guess for the speaker of a fragment no cue
    attributes (a character range), or None. One capitalised word opening the sentence is a name
    only when the article writes it capitalised inside a sentence too ("Unless", "Good" are not)."""
    toks = tokens_until_quote(units, 0)
    opener = len(toks) >= 2 and (function_word(toks[0]) or _participle_opening(toks))
    if opener:
        # "When the vote was over, Ann Roe ...": the named subject of the main clause after the
        # comma; "It's the pull of ...", "In the end, voters ...": none
        comma = next((n for n, t in enumerate(toks) if t.text == ","), None)
        toks = toks[comma + 1:] if comma is not None else []
    if len(toks) < 2 or qi == 0:
        return None
    found = mention_after([Token(0, 0, "")] + toks, 0)
    if not found or found[0] != 1 or found[1] - 1 >= len(toks):
        return None
    if opener and not any(t.text[:1].isupper() for t in toks[:found[1] - 1]):
        return None
    nxt = toks[found[1] - 1]
    if not (nxt.text.isalpha() and nxt.text.islower()) or nxt.lower in CLAUSE_WORDS - {"has", "had", "was", "is"}:
        return None
    if found[1] - found[0] == 1 and toks[0].text[:1].isupper() and toks[0].lower not in lexicon().pronouns \
            and not named_inside(text, toks[0].text):
        return None
    return toks[0].start, toks[found[1] - 2].end


def named_inside(text: str, word: str) -> bool:
    """``word`` stands capitalised inside a sentence somewhere in ``text`` (after a word or a
    comma, not a full stop or a line break): a name, not a word capitalised for opening its sentence."""
    return re.search(rf"[\w,;:] {re.escape(word)}\b", text) is not None


def _participle_opening(toks: list[Token]) -> bool:
    """ "Flying home one night, she ...": a participle opens the sentence, never its subject."""
    first = toks[0].lower
    return len(first) > 4 and first.isalpha() and first.endswith("ing") and toks[1].text.islower()


def plausible_single(text: str, q: Quote) -> bool:
    """Marks around a Capitalised Title are a name ('The Long Road', "Fox and Friends"), not a quote."""
    words = [w for w in text[q.start:q.end].split() if w.lower() not in lexicon().title_small_words]
    return not (words and len(words) <= 6 and all(w[:1].isupper() or w[:1].isdigit() for w in words))


# After a work's name, a few words of date or place before the marks ("column on Aug. 10,"); or a
# byline after them ('"Pop-up art show strives ...," by DNAinfo's Eddie Small').
_AFTER_WORK = re.compile(r"(?:\s+(?:on|of|in|from)\s+[^,;:\"“”'‘’\n]{1,25}?)?,?\s*")
_BYLINE_AFTER = re.compile(r"\s*,?\s*by\s+[A-Z]")
_WORD = re.compile(r"[\w-]+")


def titled(text: str, q: Quote) -> bool:
    """The quotation names a work (a book, a column, a headline with its byline): no one said it."""
    if _BYLINE_AFTER.match(text, q.close, q.close + 12):
        return True
    works = lexicon().work_nouns
    return any(m.group().lower() in works and _AFTER_WORK.fullmatch(text, m.end(), q.open)
               for m in _WORD.finditer(text, max(0, q.open - 50), q.open))


MIN_INFERRED_WORDS = 3  # a quotation this long with no attribution is still a statement


def speech_like(text: str, raw: Raw) -> bool:
    """A quotation that reads as someone's words: three words or more, not a Capitalised Title,
    not the name of a work."""
    words = sum(len(text[a:b].split()) for a, b in raw.spans)
    return words >= MIN_INFERRED_WORDS and all(plausible_single(text, q) and not titled(text, q) for q in raw.quotes)


def utterance(text: str, raw: Raw) -> bool:
    """A quotation that is a whole utterance (a capital, three words, closing punctuation), not a
    phrase in marks: kept even when nothing in the sentence attributes it."""
    if len(raw.quotes) != 1 or not speech_like(text, raw):
        return False
    q = raw.quotes[0]
    words = text[q.start:q.end].rstrip()
    return words[:1].isupper() and words[-1:] in (",", ".", "?", "!")
