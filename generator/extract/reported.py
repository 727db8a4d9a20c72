"""Reported speech: ``SPEAKER CUE (that) CONTENT``, ``CONTENT, SPEAKER CUE``,
``according to SPEAKER, CONTENT`` and ``OWNER'S SPEECH-NOUN that CONTENT``, read by rule or,
with a spaCy parse of the sentence, from the cue's subject and clausal complement.
"""
from __future__ import annotations

from generator.extract.clauses import (
    NO_INFINITIVE_CUES,
    clause_end,
    clause_subject,
    content_of,
    emit,
    infinitive_at,
    owned_speech_noun,
    parenthetical_content,
    participle_clause,
    skip_to_content,
    subject,
)
from generator.extract.dates import WEEKDAYS
from generator.extract.lexicon import lexicon
from generator.extract.mentions import OBJECT_PRONOUNS, POSSESSIVE_PRONOUNS, mention_after, mention_before
from generator.extract.partial import plausible_single
from generator.extract.text import Sentence, Token, thousands_comma
from generator.extract.units import (
    CLAUSE_WORDS,
    Scan,
    Unit,
    cue_at,
    elliptical_asked,
    modifiers_only,
    tokens_until_quote,
    went_on_to,
)


def reported(scan: Scan, doc=None) -> None:
    """Reported speech in the scanned sentence: "X said (that) ...", "..., X said.", "according to X".

    With a spaCy parse of the sentence (``doc``) a cue must be tagged as a verb ("member states"
    is not), and the content is its clausal complement, where the parse has one.
    """
    units, used = scan.units, scan.used
    lex = lexicon()
    _asked(scan)
    last_comma = max((n for n, u in enumerate(units) if u.lower == ","), default=None)
    if last_comma is not None:
        # "..., urging people to stay home, BFM TV reported.": the attribution ending the sentence
        # is read first, so that no cue inside what it reports takes the words
        for i in range(last_comma + 1, len(units)):
            found = _reporting_cue(scan, i, doc)
            if found and _trailing(scan, i, found[0]):
                break
    for i, u in enumerate(units):
        if i in used or u.tok is None:
            continue
        if u.lower == "according" and i + 1 < len(units) and units[i + 1].lower == "to":
            _according_to(scan, i)
            continue
        if u.lower in lex.speech_nouns and _noun_that(scan, i):
            continue
        found = _reporting_cue(scan, i, doc)
        if not found:
            continue
        cue, verb = found
        if _as_opening(scan, i, cue) or _trailing(scan, i, cue):
            continue
        if verb is not None and _parsed(scan, i, cue, verb):
            continue
        if cue[0] in lex.fallback_cues or cue[0] in lex.object_content or cue[0] in lex.tell_verbs \
                or (i + cue[1] < len(units) and units[i + cue[1]].lower == "that"):
            # with a parse, the rules read only "said"/"told" and "... that" the parse missed
            _leading(scan, i, cue)
    _asked(scan, opening=False)


QUESTION_OPENERS = {"whether", "if", "who", "whom", "what", "why", "how", "when", "where", "which", "about", "to"}
MAX_ASKED_ADJUNCT = 8  # tokens between "Asked" and the question: "on Fox News", "by host John Dickerson"


def _asked(scan: Scan, opening: bool = True) -> None:
    """ "Asked on Monday whether Mr. Clinton would hold a cabinet post, Mrs. Clinton said ...": the
    question opening the sentence is a statement of whoever asked it ("by X"), else of no one named."""
    units = scan.units
    a = 1 if units and units[0].lower in ("when", "and") else 0
    if opening and (a + 2 >= len(units) or units[a].lower != "asked" or units[a].tok is None):
        return
    if not opening:
        # "..., Christie said when asked whether he would ...": the question after the statement,
        # read once the sentence's other statements took their words
        a = next((n for n in range(2, len(units) - 2) if elliptical_asked(units, n) and n not in scan.used), None)
        if a is None:
            return
    q = next((n for n in range(a + 1, min(len(units), a + 2 + MAX_ASKED_ADJUNCT))
              if units[n].lower in QUESTION_OPENERS or units[n].lower == ","), None)
    if q is None or units[q].lower == ",":
        return
    mention = None
    if units[a + 1].lower == "by" and all(u.tok for u in units[a + 1:q]):
        found = mention_after([u.tok for u in units[a + 1:q]], 0)  # "Asked by Stephanopoulos to ..."
        end = a + 1 + found[1] if found else None
        if end is not None and (end == q or units[end].lower in lexicon().venue_prepositions):
            mention = (a + 1 + found[0], end)  # "Asked by Ingraham on Thursday about ...": then an adjunct
    comma = next((n for n in range(q + 1, len(units)) if units[n].lower == ","), None)
    if comma is None and a > 1:
        comma = len(units)  # the question ends the sentence
    if comma is None or any(u.quote for u in units[q:comma]) or any(n in scan.used for n in range(q, comma)):
        return
    content = content_of(units, q, comma)
    if content is None:
        return
    emit(scan, content, mention, a, [(units[a].start, units[q].start)], range(a if a > 1 else 0, comma))


MAX_AS_CLAUSE = 12  # tokens of "As The Washington Post reported on Monday": the clause, not a sentence


def _as_opening(scan: Scan, i: int, cue: tuple[str, int]) -> bool:
    """ "As The Hill reported, CONTENT." / "As reported by Western Journalism, CONTENT.": an opening
    "as" clause of a cue and its speaker, then the statement."""
    units = scan.units
    if i == 0 or units[0].lower != "as" or scan.used:
        return False
    comma = next((n for n in range(i + cue[1], min(len(units), MAX_AS_CLAUSE)) if units[n].lower == ","), None)
    if comma is None or any(u.tok is None for u in units[:comma]):
        return False
    toks = [u.tok for u in units[:comma]]
    if i == 1 and i + cue[1] < comma and units[i + cue[1]].lower == "by":
        found = mention_after(toks, i + cue[1])  # "As reported by X,"
        mention = (found[0], found[1]) if found else None
    else:
        found = mention_before(toks, i, 1)  # "As X reported [on Monday],"
        mention = found if found and found[0] == 1 else None
        if mention and not _only_adjuncts(units[:comma], i + cue[1]):
            return False
    if mention is None:
        return False
    end = clause_end(units, comma + 1)
    content = content_of(units, comma + 1, end)
    if content is None:
        return False
    emit(scan, content, mention, i, [(units[0].start, units[comma].end)], range(0, end))
    return True


def _reporting_cue(scan: Scan, i: int, doc) -> tuple[tuple[str, int], object] | None:
    """The cue at ``units[i]`` that may report speech, with its parsed token (None without a parse)."""
    units, lex = scan.units, lexicon()
    if i in scan.used or units[i].tok is None:
        return None
    cue = cue_at(units, i)
    if not cue or cue[0] in lex.quote_only and not _that_follows(units, i + cue[1]) \
            and not (cue[0] in lex.quote_only_reported and _object_clause_follows(units, i + cue[1])):
        return None  # "he continued to ...", "she called him ...": but "he remarked that ..." is speech
    verb = _parsed_token(doc, scan.sent, units[i]) if doc is not None else None
    if doc is not None and (verb is None or not _verb(verb)):
        return None
    return cue, verb


def _object_clause_follows(units: list[Unit], j: int) -> bool:
    """An object and a clause it opens follow the cue, before any punctuation: "urged voters to
    stay home", "accused the mayor of hiding the report" (not "urged his players on")."""
    for n in range(j + 1, min(len(units), j + 8)):
        if units[n].tok is None or units[n].lower in (",", ".", ";", ":"):
            return False
        if units[n].lower in ("to", "of") and n + 1 < len(units) and units[n + 1].tok is not None \
                and units[n + 1].lower[:1].isalpha():
            return True
    return False


def _that_follows(units: list[Unit], j: int) -> bool:
    """The cue's words are followed by "that" opening a clause ("boasted that ...")."""
    return j < len(units) and units[j].lower == "that"


def _noun_that(scan: Scan, i: int) -> bool:
    """OWNER'S [adjective] SPEECH-NOUN that CONTENT ("Trump’s claim that ...", "his warning that ...")."""
    units, used = scan.units, scan.used
    if i + 1 >= len(units) or units[i + 1].lower != "that" or i in used:
        return False
    j = i - 1
    while j > 0 and i - j <= 2 and units[j].tok and units[j].lower.isalpha() and units[j].lower.islower() \
            and units[j].lower not in CLAUSE_WORDS and units[j].lower not in POSSESSIVE_PRONOUNS:
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
        mention = clause_subject(units, lo, j)  # "Ken Ito repeated his claim that ...": the subject
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
    end = clause_end(units, i + 1)
    content = content_of(units, i + 1, end)
    if content is None or any(x in used for x in range(i + 1, end)):
        return False
    mention = mention or (a, j + 1)
    emit(scan, content, mention, i, [(units[mention[0]].start, units[i].end)],
          range(min(a, mention[0]), end))
    return True


def _trailing(scan: Scan, i: int, cue: tuple[str, int]) -> bool:
    """CONTENT, SPEAKER CUE [adjuncts]. / CONTENT, CUE SPEAKER."""
    text, sent, units, used = scan.text, scan.sent, scan.units, scan.used
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
    tell = cue[0] in lexicon().tell_verbs
    if k == 0:
        if tell:
            return False  # ", told POLITICO last fall that ...": after a tell verb comes whom it was told
        found = mention_after([u.tok for u in units[i:]] if all(u.tok for u in units[i:]) else
                              tokens_until_quote(units, i), cue[1] - 1)
        if not found:
            return False
        mention = (i + found[0], i + found[1])
        tail = i + found[1]
    else:
        found = mention_before(toks, k, 0)
        if not found or (found[0] != 0 and not modifiers_only(toks[:found[0]])
                         and not (found[0] == 1 and toks[0].lower == "as")):  # ", as a memo put it."
            return False
        mention = (toks_start + found[0], toks_start + found[1])
        tail = i + cue[1]
        if tell and tail < len(units) and units[tail].tok is not None:
            tail = _addressee_end(units, tail)  # "..., he told the court.": the addressee, then adjuncts
    # "..., X said, b": only after SPEAKER CUE (after CUE SPEAKER a comma opens an apposition)
    resume = _resumption(units, tail) if k > 0 and toks[0].lower != "as" else None
    # "..., Hollande said Tuesday in Paris, noting ...": a participle clause of its own after the adjuncts
    part = next((n for n in range(tail, min(len(units) - 1, tail + MAX_PARENTHETICAL_ADJUNCT + 1))
                 if units[n].lower == "," and units[n + 1].tok and units[n + 1].lower.endswith("ing")
                 and units[n + 1].lower.isalpha()), None) if resume is None else None
    if resume is None and not _only_adjuncts(units[:part] if part is not None else units, tail, cue[0]):
        return False
    first = 0
    if resume is not None:
        return _parenthetical(scan, mention, i, comma, resume)
    if toks[0].lower == "as":  # ", as a memo put it": the clause right before is what it said
        first = next((n + 1 for n in range(comma - 1, 0, -1) if units[n].lower == ","), 0)
        if units[first].lower in ("and", "but", "so") and first + 1 < comma:
            first += 1
    content = content_of(units, first, comma)
    if content is None or (content[1] == "direct"):
        return False
    if any(j in used for j in range(first, comma)):
        return False
    stop = len(units)
    if part is not None:
        stop = part  # ", referencing ...": the participle clause stays free for a statement of its own
    elif tail < len(units) and units[tail].lower == ";":
        stop = tail  # "..., analysts say; in 2012, ...": the clause after the semicolon is not theirs
    emit(scan, content, mention, i, [(units[comma - 1].end, sent.end if stop == len(units) else units[stop - 1].end)],
          range(first, stop))
    return True


# Words opening what follows ", X said," that make it an adjunct or a clause of its own, not the
# rest of the statement ("..., she said, adding ...", "..., he said, as the crowd cheered").
MAX_PARENTHETICAL_ADJUNCT = 4  # words of "on Monday", "in an interview" between the cue and the comma
NOT_RESUMING = {"and", "but", "or", "nor", "who", "whom", "which", "as", "then", "so", "that", "citing", "adding"}


def _resumption(units: list[Unit], tail: int) -> int | None:
    """ "In his state, Christie said, offenders are sent to treatment.": the unit where the statement
    resumes after an attribution set off by commas, or None (the attribution ends the sentence,
    or an adjunct, a participle or a clause of its own follows)."""
    lex = lexicon()
    start = tail
    if tail < len(units) and (units[tail].lower in ("on", "at", "in", "after", "during") or units[tail].lower in WEEKDAYS):
        # "..., Holt said on Monday, b": a short adjunct before the comma
        while tail < len(units) and tail - start <= MAX_PARENTHETICAL_ADJUNCT and units[tail].tok \
                and units[tail].lower != ",":
            tail += 1
    if tail + 1 >= len(units) or units[tail].lower != ",":
        return None
    nxt = units[tail + 1]
    if nxt.tok is None or not nxt.tok.text[:1].isalpha():
        return None  # ', she said, "..."': a quotation resuming it is the direct statement's
    low = nxt.lower
    if low.endswith("ing") or low in NOT_RESUMING or low in lex.venue_prepositions or low in WEEKDAYS \
            or low in lex.subordinators or low in ("on", "late", "earlier", "today", "yesterday") \
            or (low in ("this", "last", "next") and _time_follows(units, tail + 2)):
        return None
    rest = units[tail + 1:]
    if sum(1 for u in rest if u.tok and u.tok.text[:1].isalnum()) < 2 \
            or any(cue_at(units, j) for j in range(tail + 1, len(units))):
        return None
    return tail + 1


def _time_follows(units: list[Unit], j: int) -> bool:
    """ "..., she said, this week." / "last month": a time, not the subject of "this effect ..."."""
    return j < len(units) and (units[j].lower in lexicon().time_nouns or units[j].lower in WEEKDAYS)


def _parenthetical(scan: Scan, mention: tuple[int, int], i: int, comma: int, resume: int) -> bool:
    """ "A, X said, b.": one statement of the two parts around the attribution."""
    units, used = scan.units, scan.used
    if any(j in used for j in range(0, comma)):
        return False
    content = parenthetical_content(units, 0, comma, resume, len(units))
    if content is None:
        return False
    emit(scan, content, mention, i, [(units[comma - 1].end, units[resume].start)], range(0, len(units)))
    return True


def _only_adjuncts(units: list[Unit], j: int, cue: str | None = None) -> bool:
    """After a trailing cue only adjuncts may follow ("in a statement on Monday."), no clause,
    nor the infinitive a ``cue`` takes ("vowed to ban ...")."""
    lex = lexicon()
    rest = [u for u in units[j:] if not (u.tok and u.tok.text in (".", "!", "?"))]
    if not rest:
        return True
    if len(rest) > 1 and rest[0].lower == "," and rest[1].tok and rest[1].lower.endswith("ing") and rest[1].lower.isalpha():
        return True  # ", referencing ...": a participle clause of its own follows
    if any(u.quote for u in rest) or rest[0].lower == "that" \
            or cue is not None and cue not in NO_INFINITIVE_CUES and infinitive_at(rest, 0):
        return False  # "..., he vowed to ban ...": the content follows the cue
    first = rest[0].lower
    if first != "," and any(u.lower == "that" for u in rest[:next((n for n, u in enumerate(rest) if u.lower == ","),
                                                                  len(rest))]):
        return False  # "..., Adelson said earlier on Friday that ...": the content follows the cue
    return first == ";" or first in lex.venue_prepositions or first in WEEKDAYS \
        or first in (",", "on", "this", "last", "late", "earlier", "today", "yesterday")


def _leading(scan: Scan, i: int, cue: tuple[str, int]) -> None:
    """SPEAKER CUE [object] [adjuncts] [that] CONTENT."""
    text, units, used = scan.text, scan.units, scan.used
    lex = lexicon()
    words_lo = i  # where the words before the cue start (the clause finders read words only)
    while words_lo > 0 and units[words_lo - 1].tok:
        words_lo -= 1
    toks_lo = words_lo
    while toks_lo > 0 and (units[toks_lo - 1].tok or _title_in_apposition(text, units, toks_lo - 1)):
        toks_lo -= 1
    # a title in marks inside an apposition stands as one capitalised word ('Hemsley, the co-author
    # of "Going Viral," about the spread of information, said ...')
    toks = [u.tok or Token(u.start, u.end, "Title") for u in units[toks_lo:i + 1]]
    head = went_on_to(units, i)  # "..., going on to say that ...": the subject of "going"
    k = head - toks_lo
    low = units[head].lower
    lex = lexicon()
    if low.endswith("ing") and head > 0 and (units[head - 1].lower in (",", "while", "after", "before", "by", "when", "despite")
                                             or units[head - 1].lower in lex.document_nouns):
        mention = subject(units, words_lo, head)  # ", saying ...", "issued a statement saying ..."
    else:
        found = mention_before(toks, k, 0)
        mention = (toks_lo + found[0], toks_lo + found[1]) if found else None
        if mention is None and head - 1 > words_lo and units[head - 1].lower in ("and", "but"):
            # "The mayor visited the plant and said ...", "Holt disputed it, but says ...": the
            # subject of the first verb
            before = head - 2 if units[head - 2].lower == "," else head - 1
            mention = subject(units, words_lo, before)
            mention = mention if mention and (mention[0] == words_lo or units[mention[0] - 1].lower == ",") else None
    opening = None
    if mention == (0, 1) and units[0].lower in OPENING_PARTICIPLES:
        # "Having announced that ..., Judge Berman proceeded": the participle's subject is the main
        # clause's, after the comma that ends what was announced
        opening = next((n for n in range(i + cue[1], len(units)) if units[n].lower == ","), None)
        found = mention_after([Token(0, 0, "")] + [u.tok for u in units[opening + 1:]], 0) \
            if opening is not None and all(u.tok for u in units[opening + 1:]) else None
        mention = (opening + found[0], opening + found[1]) if found and found[0] == 1 else None
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
    j = skip_to_content(units, j, cue[0])
    if j is None or j >= len(units):
        return
    if owned_speech_noun(units, i + cue[1], j) is not None:
        return  # "Roe responded to the mayor's claim that ...": the clause is the mayor's (_noun_that)
    end = clause_end(units, j) if opening is None else opening
    if units[head - 1].lower in ("despite", "after", "before", "while", "when") and head - 1 > words_lo \
            or _in_opening_clause(units, mention[0]):
        # "X, despite admitting that ..., voted" / "While he said he would hold a hearing, it is
        # unlikely ...": the subordinate clause ends at its comma, the main clause is not said
        end = next((n for n in range(j + 1, end) if units[n].lower == "," and not _in_number(units, n)), end)
    content = content_of(units, j, end, participle=participle_clause(units, i))
    if content is None:
        return
    if any(x in used for x in range(j, end)) and content[1] != "direct":
        return
    emit(scan, content, mention, i, [(units[mention[0]].start, units[j].start)],
          range(mention[0], end), venue=venue)


def _in_opening_clause(units: list[Unit], at: int) -> bool:
    """The mention at ``units[at]`` is the subject of a subordinate clause: right after its
    conjunction ("Three years after Roe vowed to ...,"), or in one opening the sentence, no comma
    before it ("While the president has said ...," / "Although Roe says ...,")."""
    if at > 0 and units[at - 1].lower in SUBORDINATORS_BEFORE:
        return True
    return at > 0 and units[0].lower in OPENING_SUBORDINATORS and all(u.lower != "," for u in units[1:at])


def _in_number(units: list[Unit], n: int) -> bool:
    """The comma ``units[n]`` groups the digits of a number ("2,400")."""
    around = units[n - 1:n + 2] if n > 0 else []
    return len(around) == 3 and all(u.tok for u in around) and thousands_comma([u.tok for u in around], 1)


# Words opening a sentence's subordinate clause whose comma ends it ("As X said," is an attribution).
SUBORDINATORS_BEFORE = {"after", "before", "when", "while", "although", "though", "because", "since", "until",
                        "unless", "whereas"}
OPENING_SUBORDINATORS = {"while", "although", "though", "whereas", "because", "since", "if", "unless", "once", "even"}
OPENING_PARTICIPLES = {"having", "being"}  # "Having announced that ..., X proceeded": no speaker themselves


def _title_in_apposition(text: str, units: list[Unit], k: int) -> bool:
    """Whether ``units[k]`` is a title in marks ("Going Viral,") after "of", "called" or "titled"."""
    q = units[k].quote
    return q is not None and k > 0 and units[k - 1].lower in ("of", "called", "titled", "entitled") \
        and not plausible_single(text, q)


# Words after a tell verb's addressee that open what was told ("urged the council to ...").
CLAUSE_OPENERS = {"to", "that", "how", "why", "what", "whether", "if", "of", "about", "not", "when", "where"}


def _addressee_end(units: list[Unit], j: int) -> int:
    """After a trailing tell verb at ``j``: the end of its addressee when no more than a short
    adjunct follows it ("..., he told the court on Monday."), else ``j`` ("..., Graham urged
    Republicans to join ...", "told the host on Thursday how ...": clauses of their own)."""
    end = _object(units, j)
    if end is None or end == j:
        return j
    rest = [u for u in units[end:] if u.tok is None or u.tok.text not in (".", "!", "?")]
    if rest and rest[0].lower != "," and (len(rest) > MAX_PARENTHETICAL_ADJUNCT or rest[0].lower in CLAUSE_OPENERS):
        return j
    return end


def _object(units: list[Unit], j: int) -> int | None:
    """The end of a tell-verb's addressee ("told reporters", "told Fox News’ Laura Ingraham")."""
    if units[j].lower in OBJECT_PRONOUNS:
        return j + 1
    toks = tokens_until_quote(units, j)
    found = mention_after([Token(0, 0, "")] + toks, 0)
    if found and found[0] == 1:
        return j + found[1] - 1
    if units[j].lower in ("that", ":"):
        return j
    return None


def _according_to(scan: Scan, i: int) -> None:
    """ "According to X, CONTENT." / "CONTENT, according to X." (the comma may close a quotation:
    '"the best week yet," according to X'); after the statement X may be any noun phrase
    ("a new poll")."""
    text, units = scan.text, scan.units
    found = mention_after([u.tok for u in units[i + 1:]] if all(u.tok for u in units[i + 1:]) else
                          tokens_until_quote(units, i + 1), 0)
    if found and i + 1 + found[1] < len(units) and units[i + 1 + found[1]].tok is not None \
            and units[i + 1 + found[1]].tok.text.isalpha() and units[i + 1 + found[1]].tok.text.islower() \
            and units[i + 1 + found[1]].lower not in SOURCE_ENDS:
        found = None  # "law" of "law enforcement officials": the name ended inside the noun phrase
    if not found:
        # any noun phrase ("a new poll", "law enforcement officials"); opening the sentence, not
        # when the clause after it has a cue of its own ("According to the email, Acme had asked ...")
        found = _source_phrase(units, i + 1)
        if found and i == 0 and any(cue_at(units, n) for n in range(i + 1 + found[1], len(units))):
            found = None
    if not found or _head(units[i + 1 + found[0]:i + 1 + found[1]]) in lexicon().not_source_nouns:
        return  # "according to plan", "the rules of the game"; but "the budget office", "law enforcement officials"
    mention = (i + 1 + found[0], i + 1 + found[1])
    prev = units[i - 1] if i > 0 else None
    resume = _resumption(units, mention[1]) if prev is not None and prev.lower == "," else None
    if resume is not None and not any(n in scan.used for n in range(0, i)):
        # "Over the long term, according to the budget office, the rise ... is ...": both parts
        content = parenthetical_content(units, 0, i - 1, resume, len(units))
        rng = range(0, len(units))
    elif i > 1 and units[i - 2].lower == "that":
        return  # "The AP reported that, according to an analysis, ...": the clause is the AP's
    elif prev is not None and (prev.lower == "," or prev.quote is not None and i > 1
                               and text[prev.quote.end - 1:prev.quote.end] == "," and i - 1 not in scan.used):
        content = content_of(units, 0, i - 1 if prev.lower == "," else i)
        rng = range(0, len(units))
    elif prev is not None and prev.tok is not None and prev.tok.text[:1].isalnum() \
            and all(u.tok is not None and u.tok.text in ".!?" for u in units[mention[1]:]) \
            and not any(n in scan.used for n in range(0, i)):
        # "Clinton leads by 271 delegates according to a count by The Associated Press."
        content = content_of(units, 0, i)
        rng = range(0, len(units))
    else:
        j = mention[1]
        while j < len(units) and units[j].lower != ",":
            j += 1
        end = clause_end(units, j + 1)
        content = content_of(units, j + 1, end)
        rng = range(i, end)
    if content is None:
        return
    emit(scan, content, mention, None, [(units[i].start, units[mention[1] - 1].end)],
          rng)


def _head(phrase: list[Unit]) -> str:
    """The head noun of a noun phrase: its last word before "of" ("the rules of the game": "rules")."""
    words = [u.lower for u in phrase if u.tok is not None and u.tok.text[:1].isalnum()]
    if "of" in words[1:]:
        words = words[:words.index("of", 1)]
    return words[-1] if words else ""


MAX_SOURCE_WORDS = 8  # "according to data released Friday by state regulators": the phrase, not a clause
# Words that end the source phrase after "according to": what follows is about the source.
SOURCE_ENDS = {"that", "which", "who", "whose", "where", "when", "while", "and", "but"}


def _source_phrase(units: list[Unit], to: int) -> tuple[int, int] | None:
    """The noun phrase after "according to" (``units[to]``) that no name or role makes a mention
    ("a new poll", "figures the campaign released"), not one saying how things went ("according
    to plan"): up to a comma, a clause word or MAX_SOURCE_WORDS words, as a token range counted
    from "to" (as ``mention_after`` gives it)."""
    j = end = to + 1
    while end < len(units) and end - j < MAX_SOURCE_WORDS and units[end].tok is not None \
            and units[end].tok.text[:1].isalnum() and units[end].lower not in SOURCE_ENDS:
        end += 1
    if not any(u.lower not in ("a", "an", "the") for u in units[j:end]):
        return None
    return (1, end - to)


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


def _parsed(scan: Scan, i: int, cue: tuple[str, int], verb) -> bool:
    """SPEAKER CUE ... CONTENT from the parse: the verb's subject and clausal complement."""
    text, sent, units, used = scan.text, scan.sent, scan.units, scan.used
    if elliptical_asked(units, i):
        return False  # "X said when asked whether ...": asked by no one named (_asked), not by X
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
    b = min(b, clause_end(units, a) - 1)
    mention = _parsed_mention(units, i, verb, sent)
    if mention is None:
        return False
    content = content_of(units, a, b + 1, participle=participle_clause(units, i))
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
    emit(scan, content, mention, i, [(units[mention[0]].start, units[a].start)],
          rng, venue=venue)
    return True


def _parsed_mention(units, i, verb, sent) -> tuple[int, int] | None:
    """The speaker: by rule right before the cue, else the parse's subject (trimmed of clauses)."""
    lo = i
    while lo > 0 and units[lo - 1].tok:
        lo -= 1
    i = went_on_to(units, i)
    toks = [u.tok for u in units[lo:i + 1]]
    if units[i].lower.endswith("ing") and i > 0 and (units[i - 1].lower in (",", "while", "after", "before", "by", "when", "despite")
                                                     or units[i - 1].lower in lexicon().document_nouns):
        found = subject(units, lo, i)
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
