"""Who said it, as written: find the speaker's mention next to a cue.

Mentions are found by walking over tokens from the reporting verb (rules, no model needed): a name,
a role noun with its organisation, a pronoun, a noun phrase before or after the cue, over
appositions and date adjuncts. :mod:`generator.extract.speakers` resolves what is found.
"""
from __future__ import annotations

import re

from generator.extract.dates import WEEKDAYS
from generator.extract.lexicon import lexicon
from generator.extract.text import Token

DETERMINERS = {"the", "a", "an", "another", "one", "two", "three", "some", "several", "many", "other",
               "his", "her", "their", "its", "our", "this", "that", "these", "those", "both", "top",
               "senior", "former", "most", "few"}
CONNECTORS = {"of", "for", "at", "de", "van", "von", "der", "bin", "al", "la", "le", "du", "del", "and"}
OBJECT_PRONOUNS = {"him", "her", "them", "us", "me", "you", "it", "reporters", "journalists", "supporters",
                   "listeners", "viewers", "readers", "lawmakers", "congress", "the crowd", "an audience",
                   "the audience", "senators", "voters", "students", "investors"}
HONORIFICS = {"mr.", "mrs.", "ms.", "miss", "mr", "mrs", "ms", "dr.", "dr"}
POSSESSIVE = re.compile(r"(.+?)(?:['’]s|['’])$")


def _is_cap(tok: Token) -> bool:
    c = tok.text[:1]
    return c.isupper() or (c.isdigit() and False)


def _possessive(tok: Token) -> bool:
    return tok.text.endswith(("’s", "'s")) and len(tok.text) > 2


def _nounish(tok: Token) -> bool:
    lex = lexicon()
    low = tok.lower
    base = POSSESSIVE.sub(r"\1", low) if _possessive(tok) else low
    base = base.rsplit("-", 1)[-1]  # "co-founder", "vice-chairman": the noun after the hyphen
    return is_role(base) or base in lex.organization_nouns or base in lex.document_nouns


def is_role(low: str) -> bool:
    """A role noun of the lexicon, or one after a hyphen ("co-founder", "vice-chairman")."""
    roles = lexicon().roles
    return low in roles or low.rsplit("-", 1)[-1] in roles


def function_word(tok: Token) -> bool:
    """A capitalised word that opens a sentence but names nobody: "When", "Although", "Of", and
    contractions such as "It's" and "That’s"; never a determiner ("The" of "The mayor") nor a
    subject pronoun ("He", "She’s")."""
    lex = lexicon()
    if tok.lower in CONTRACTED_SUBJECTS:
        return False  # "He’s claiming ...": a subject
    base = re.split(r"['’]", tok.text, maxsplit=1)[0]
    if base != tok.text:
        return base in lex.not_names and base.lower() not in ("he", "she", "they", "we", "i") \
            and base.lower() not in lexicon().noun_phrase_words  # "It's", not "Monday's"
    return tok.text in lex.not_names and tok.lower not in DETERMINERS and tok.lower not in lex.pronouns \
        and tok.lower not in lexicon().noun_phrase_words




def title_word(low: str) -> bool:
    """A word of a title ("secretary", "state"); never a function word like "of" or "the"."""
    return low not in _FUNCTION_WORDS and any(low in t.split() for t in lexicon().titles)


_FUNCTION_WORDS = {"of", "the", "for", "a", "an", "and"}


# "-ly" words that are not adverbs between a speaker and the verb ("the family said").
_LY_NOT_ADVERBS = {"family", "only", "early", "daily", "weekly", "monthly", "ally", "italy", "rally", "reply",
                   "supply", "assembly", "july", "bully", "lily", "holly", "kelly", "sally", "molly", "emily"}


def _adverb(low: str) -> bool:
    """ "cynically", "steadily": an adverb may stand between a speaker and the verb."""
    return len(low) > 4 and low.endswith("ly") and low.isalpha() and low not in _LY_NOT_ADVERBS


# A subject pronoun with a contracted auxiliary ("He’s claiming", "They’re saying"), the pronoun it stands for.
CONTRACTED_SUBJECTS = {f"{p}{mark}{aux}": p for p, aux in (("he", "s"), ("she", "s"), ("they", "re"), ("we", "re"),
                                                          ("they", "ve"), ("we", "ve"), ("he", "d"), ("she", "d"))
                       for mark in ("’", "'")}


# An owner pronoun before a speech noun ("his claim that ..."): the pronoun it stands for.
POSSESSIVE_PRONOUNS = {"his": "he", "their": "they", "its": "it"}


def mention_before(toks: list[Token], i: int, lo: int = 0) -> tuple[int, int] | None:
    """Token range ``[a, b)`` of the speaker mention right before the cue at ``toks[i]``: a name,
    a role or a pronoun, else a share of those asked ("About four in 10 said", "Almost half say")."""
    found = _nearest_mention(toks, i, lo)
    who = _relative_before(toks, found[0], i, lo) if found else None
    if who is not None:
        # "Republicans who have praised his candidacy warned": the object inside the relative
        # clause is no speaker, the noun phrase it qualifies is
        return _mention_before(toks[:who] + [toks[i]], who, lo) or found
    if found and found[0] - 2 >= lo and toks[found[0] - 1].lower in _VENUE_WORDS \
            and toks[found[0]].lower in ("a", "an", "the", "his", "her", "their", "its"):
        # "Jeb Bush in a Medium post said": the place it was said is no speaker, the name before it is
        return _mention_before(toks[:found[0] - 1] + [toks[i]], found[0] - 1, lo) or found
    if found and found[0] - 3 >= lo and toks[found[0] - 1].lower == "to" and toks[found[0] - 2].lower in _SPOKEN_TO:
        # "Another intelligence source speaking to Fox News said": the one spoken to is no speaker
        return _mention_before(toks[:found[0] - 2] + [toks[i]], found[0] - 2, lo) or found
    return found


_SPOKEN_TO = {"speaking", "talking", "writing", "spoke", "talked", "wrote"}


_VENUE_WORDS = {"in", "on", "via", "through"}


def _nearest_mention(toks: list[Token], i: int, lo: int) -> tuple[int, int] | None:
    """The mention right before the cue, or the share of those asked that holds it."""
    found, share = _mention_before(toks, i, lo), quantity_before(toks, i, lo)
    # the share holds the name or role found inside it ("58 percent of Florida voters")
    return share if share and (found is None or share[0] <= found[0]) else found


def _relative_before(toks: list[Token], a: int, i: int, lo: int) -> int | None:
    """The "who" of a relative clause that holds ``toks[a]`` with a verb between them and runs
    to the cue at ``toks[i]`` with no punctuation ("officials who spoke with The Huffington Post
    said"); None for "people who Trump said ...", where the mention is the clause's own subject,
    and for an apposition set off by commas ("X, a pollster who works for Y, said")."""
    if any(not t.text[:1].isalnum() for t in toks[a:i]):
        return None
    for w in range(a - 1, max(lo, a - 12) - 1, -1):
        t = toks[w]
        if not t.text[:1].isalnum():
            return None
        if t.text == "who":
            between = toks[w + 1:a]
            if w > lo and toks[w - 1].text[:1].isalnum() and any(
                    x.text.isalpha() and x.text.islower() and x.lower not in DETERMINERS for x in between):
                return w
            return None
    return None


# A share of the people asked, as the whole subject of a cue: "About four in 10", "Almost half",
# "58 percent of Florida voters", "a majority of Americans", "those surveyed", "Those over 60".
_SHARE = re.compile(
    r"(?:(?:about|nearly|almost|only|just|roughly|some|more than|fewer than|less than|over|under|just over|"
    r"just under|just shy of|well over) )?"
    r"(?:half|a majority|the majority|most|many|some|others|a third|two-thirds|a quarter|three-quarters|"
    r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine) (?:in|out of) (?:\d+|five|ten)|"
    r"\d[\d,.]*(?: ?%| percent)?)"
    r"(?: of (?:the |those |all )?[\w’'-]+(?: [\w’'-]+){0,3})?"
    r"|those (?:surveyed|polled|asked|questioned|interviewed|over \d+|under \d+)")
SHARE_OPENERS = {"but", "and", "so", "yet", "still", "now", "overall", "also", "meanwhile", "however", "while"}


# The words a share can start with (the pattern's first words): mention_before runs for every
# cue, so the pattern is matched only when the subject starts like one.
SHARE_STARTS = {"about", "nearly", "almost", "only", "just", "roughly", "some", "more", "fewer", "less", "over",
                "under", "well", "half", "a", "the", "most", "many", "others", "two-thirds", "three-quarters",
                "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "those"}


def quantity_before(toks: list[Token], i: int, lo: int = 0) -> tuple[int, int] | None:
    """ "About four in 10 said ...": a share of those asked as the whole subject of the cue at
    ``toks[i]`` (after the sentence's opening words or a comma), kept as written."""
    a = i
    while a > lo and toks[a - 1].text not in (",", ";", ":", "—", "(") and i - a <= 9:
        a -= 1
    while a < i and toks[a].lower in SHARE_OPENERS:
        a += 1
    if a >= i or not (toks[a].lower in SHARE_STARTS or toks[a].text[:1].isdigit()) \
            or not _SHARE.fullmatch(" ".join(t.lower for t in toks[a:i])):
        return None
    return a, i


def _mention_before(toks: list[Token], i: int, lo: int = 0) -> tuple[int, int] | None:
    lex = lexicon()
    j = i - 1
    while True:
        while j >= lo and (toks[j].lower in lex.modifiers or _adverb(toks[j].lower) or toks[j].lower in REFLEXIVES) \
                and not _is_cap(toks[j]):
            j -= 1  # "he also said", "Cruz himself said"
        k = _skip_date_adjunct(toks, j, lo)  # "Axelrod on Wednesday called", "who in 2010 said"
        if k == j:
            break
        j = k  # "Priebus later Thursday told": the modifiers before the date too
    if j < lo:
        return None
    if toks[j].text == ")":
        # "Rep. Gwen Moore (D-Wis.) said": step over the parenthesis
        k = j
        while k > lo and toks[k].text != "(" and j - k < 8:
            k -= 1
        if toks[k].text == "(" and k > lo:
            found = _nearest_mention(toks[:k] + [toks[i]], k, lo)
            return (found[0], j + 1) if found else None
        return None
    if toks[j].text == ",":
        return _before_apposition(toks, j, lo)
    if toks[j].lower in ("and", "or", "but"):
        return None  # "... was made by Bill Bratton and said": a second verb, whose subject is the first's
    if toks[j].lower in CONTRACTED_SUBJECTS:
        return (j, j + 1)  # "He’s claiming that ...", "She’s said ..."
    if toks[j].lower in ("one", "another") and (j == lo or not toks[j - 1].text[:1].isalnum()):
        return (j, j + 1)  # '"...," one said.': someone the text leaves unnamed, kept as written
    end = j + 1
    low = toks[j].lower
    if low in lex.pronouns and low not in ("him", "her"):
        if low == "who":
            return _antecedent(toks, j, lo)
        return (j, end)
    start = end
    head = False
    while j >= lo:
        t = toks[j]
        low = t.lower
        if _is_cap(t) and (t.text not in lex.not_names or _possessive(t) or (j > lo and _is_cap(toks[j - 1])
                                                                                and toks[j - 1].text not in lex.not_names)) or _nounish(t):
            head = True
        elif t.text in lex.name_adjectives and start < end and _is_cap(toks[start]):
            pass  # "the American Enterprise Institute"
        elif low in ("’", "'") and j > lo and toks[j - 1].text.endswith("s"):
            pass  # "Fox News’ Laura Ingraham"
        elif low in CONNECTORS or low in DETERMINERS or title_word(low):
            pass
        elif low in ("in", "from") and j > lo and toks[j - 1].lower in lex.roles and head:
            pass  # "Police in Chicago", "officials from both parties"
        elif (j - 1 >= lo and start < end and _nounish(toks[start]) and _lower_word(t.text)
              and (toks[j - 1].lower in DETERMINERS or _possessive(toks[j - 1]) or _is_cap(toks[j - 1]))):
            pass  # "Connecticut’s tax commissioner", "a campaign spokesman", "the two-term president"
        else:
            break
        start = j
        j -= 1
    # never begin on a connector ("of", "and") or a sentence-initial function word
    while start < end and (toks[start].lower in CONNECTORS or toks[start].text in ("’", "'")
                           or (toks[start].text in lex.not_names and toks[start].lower not in DETERMINERS)):
        start += 1
    if start + 1 < end and toks[start].lower in ("that", "this") and _is_cap(toks[start + 1]):
        start += 1  # "... ago that Michael Bloomberg said": the conjunction, no demonstrative of a name
    if start >= end or not head or not _has_head(toks[start:end]):
        return _common_noun_phrase(toks, end, lo)
    while start - 1 >= lo and toks[start - 1].text in lex.name_adjectives:
        start -= 1  # "Republican strategist Fred Davis", "Democratic candidate Hillary Clinton"
    if start - 1 >= lo and toks[start - 1].lower in HONORIFICS:
        start -= 1  # "Mr Farage" (no full stop, British style)
    return (start, end)


def _lower_word(text: str) -> bool:
    """A lowercase word, hyphenated compounds included ("campaign", "two-term", "long-time")."""
    parts = text.split("-")
    return text.islower() and all(p.isalpha() or p.isdigit() for p in parts) and any(p.isalpha() for p in parts)


_DATE_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "week", "month",
               "year", "night", "morning", "afternoon", "evening", "weekend"}


def _skip_date_adjunct(toks: list[Token], j: int, lo: int) -> int:
    """Step back over a date between a speaker and the verb: "on Monday", "in 2010", "last week"."""
    if j - 1 < lo:
        return j
    word, prev = toks[j].lower, toks[j - 1].lower
    if word in WEEKDAYS and prev not in ("on", "last", "this", "earlier", "next") \
            and (_is_cap(toks[j - 1]) or prev in lexicon().modifiers):
        return j - 1  # "Priebus Thursday told", "Priebus later Thursday told": a bare weekday (AP style)
    if word == "past" and prev == "the" and j - 2 >= lo and toks[j - 2].lower == "in":
        return j - 3  # "Gore's friends have in the past said"
    if prev in ("on", "last", "this", "earlier") and word in _DATE_WORDS \
            or prev == "in" and len(word) == 4 and word.isdigit() and word[:2] in ("19", "20"):
        k = j - 2
        if k >= lo and toks[k].lower == "earlier" and prev == "this":
            k -= 1
        return k if k >= lo and toks[k].text not in (",", ".", ";", ":") else j
    return j


# Words that cannot be inside a speaker's noun phrase: a verb or a clause word means the walk has
# left the subject ("the plan was approved, officials said" must not take "approved").
_NOT_IN_NP = {"is", "was", "were", "are", "be", "been", "has", "have", "had", "and", "or", "but", "that",
              "which", "who", "to", "in", "on", "with", "by", "as", "if", "when", "not", "it", "they",
              "he", "she", "we", "i", "you", "there", "this", "what", "would", "will", "could", "can"}


def _common_noun_phrase(toks: list[Token], end: int, lo: int) -> tuple[int, int] | None:
    """ "the New York businessman", "a friend", "the 34-year-old mother of three": up to a determiner."""
    j = end - 1
    while j >= lo and end - j <= 7:
        t = toks[j]
        if t.lower in ("the", "a", "an", "his", "her", "their", "its", "another", "one", "some", "many", "several",
                       "most", "other", "both") and j < end - 1:
            return (j, end)
        if j < end - 1 and _possessive(t) and _is_cap(t) and t.text not in lexicon().not_names:
            return (j, end)  # "Scott's family", "Clinton’s campaign"
        if not t.text[:1].isalnum() or t.lower in _NOT_IN_NP:
            return None
        j -= 1
    return None


def _before_apposition(toks: list[Token], comma: int, lo: int, depth: int = 0) -> tuple[int, int] | None:
    """ "Douglas Brinkley, a historian who attended, recalled": the name before the apposition."""
    j = _segment_start(toks, comma, lo, MAX_APPOSITION)
    if j < lo or toks[j].text != "," or comma - j < 2:
        return None
    if j - 2 > lo and toks[j - 1].lower in INTERJECTED and toks[j - 2].text == ",":
        j -= 2  # "Sanders, meanwhile, who sits at zero, said": the adverb between commas stepped over
    found = _mention_ending_at(toks, j, lo)
    if found is None and _place(toks[j + 1:comma]) and _after_place_preposition(toks, j, lo):
        # "Dean Roe, a salesman from Sumter, South Carolina, says": the place's second part stepped over
        return _before_apposition(toks, j, lo, depth)
    if found is None and depth < 1 and toks[j + 1].lower in ("a", "an", "the") and _in_apposition(toks, j, lo):
        # "Geoff Garin, a pollster who works with Priorities USA, a pro-Clinton super PAC, said": the
        # last apposition describes the one before it; the name is before both
        return _before_apposition(toks, j, lo, depth + 1)
    return found


MAX_APPOSITION = 25  # tokens of an apposition between commas


def _segment_start(toks: list[Token], comma: int, lo: int, limit: int | None = None) -> int:
    """The punctuation mark opening the segment that ends at ``comma`` (below ``lo`` when none)."""
    j = comma - 1
    while j >= lo and (limit is None or comma - j <= limit) and toks[j].text not in (",", ".", ";", ":", "(", ")"):
        j -= 1
    return j


def _in_apposition(toks: list[Token], comma: int, lo: int) -> bool:
    """Whether the segment before ``comma`` is itself an apposition opened by a determiner after a comma."""
    j = _segment_start(toks, comma, lo)
    return j >= lo and toks[j].text == "," and j + 1 < comma and toks[j + 1].lower in ("a", "an", "the")


MAX_PLACE_WORDS = 3  # "South Carolina", "Calif.", "New York City"
PLACE_PREPOSITIONS = {"from", "in", "of", "at", "near"}  # "a salesman from Sumter, South Carolina,"


def _after_place_preposition(toks: list[Token], j: int, lo: int) -> bool:
    """Whether ``toks[j]`` (a comma) closes "from Des Moines": capitalised words after a preposition."""
    k = j - 1
    while k >= lo and j - k <= MAX_PLACE_WORDS and _is_cap(toks[k]) and toks[k].text[:1].isalpha():
        k -= 1
    return k < j - 1 and k >= lo and toks[k].lower in PLACE_PREPOSITIONS


def _place(toks: list[Token]) -> bool:
    """ "South Carolina", "Iowa": a segment between commas that only finishes a place name."""
    return 0 < len(toks) <= MAX_PLACE_WORDS and all(_is_cap(t) and t.text[:1].isalpha() for t in toks)


# Sentence adverbs set off by commas between a speaker and an apposition ("Sanders, however, who ...").
INTERJECTED = {"meanwhile", "however", "too", "though", "instead", "also", "meantime", "moreover",
               "nevertheless", "nonetheless", "likewise", "furthermore", "then", "now", "still"}


REFLEXIVES = {"himself", "herself", "themselves", "itself"}
NOT_VERBS = {"his", "its", "this", "as", "us", "thus", "perhaps", "plus", "across", "always", "sometimes", "less",
             "unless", "whereas", "besides", "towards", "afterwards", "news", "politics", "campaigns"}


def _finite_verb(t: Token) -> bool:
    """ "wins", "released", "is": a lower-case word that reads as a verb with an object after it
    (a role noun such as "delegates" or "officials" does not)."""
    low, lex = t.lower, lexicon()
    if not (t.text.isalpha() and t.text.islower()) or low in NOT_VERBS or low in lex.roles \
            or low in lex.organization_nouns:
        return False
    return low in ("is", "was", "are", "were", "has", "had", "have") or low in lex.make_verbs \
        or len(low) > 3 and (low.endswith("ed") or low.endswith("s") and not low.endswith("ss"))


CLAUSE_STARTERS = {"that", "when", "while", "because", "although", "though", "since", "if", "and", "but"}
OBJECT_PREPOSITIONS = {"of", "about", "for", "by", "into", "over", "under", "against", "like", "toward", "towards"}


def _mention_ending_at(toks: list[Token], j: int, lo: int) -> tuple[int, int] | None:
    """A mention ending right before ``toks[j]`` that starts the clause (sentence or after a comma)."""
    probe = toks[:j] + [Token(toks[j].start, toks[j].start, "said")]
    found = _nearest_mention(probe, j, lo)
    if not found or found[0] > lo and toks[found[0] - 1].text not in (",", ":", "(") and found[0] - lo > 3 \
            and toks[found[0] - 1].lower not in CLAUSE_STARTERS:
        return None  # but "... ago that Michael Bloomberg, who ..., said": the subject of a clause
    prev = toks[found[0] - 1] if found[0] > lo else None
    if prev is not None and (prev.lower in lexicon().venue_prepositions or prev.lower in OBJECT_PREPOSITIONS):
        # "Authorities in North-Rhine Westphalia, the German state, announced": the noun before the
        # preposition heads the mention; "In December, the prince called ...": no mention opens there
        head = _mention_ending_at(toks, found[0] - 1, lo)
        return (head[0], found[1]) if head else None
    if prev is not None and _finite_verb(prev):
        return None  # "If he wins the presidency, Trump ...": the object of a verb, no subject
    if toks[j - 1].text == ",":
        return None
    return found


def _has_head(toks: list[Token]) -> bool:
    lex = lexicon()
    return any((_is_cap(t) and t.text not in lex.not_names) or _nounish(t) for t in toks)


def _antecedent(toks: list[Token], j: int, lo: int) -> tuple[int, int] | None:
    """For "X, who said ...": the mention before the comma."""
    if j - 1 >= lo and toks[j - 1].text == ",":
        return _nearest_mention(toks, j - 1, lo)
    return (j, j + 1)


def mention_after(toks: list[Token], i: int, hi: int | None = None) -> tuple[int, int] | None:
    """Token range of the speaker mention right after ``toks[i]`` ("said Rep. Jones")."""
    lex = lexicon()
    hi = len(toks) if hi is None else hi
    j = i + 1
    if j < hi and toks[j].lower in lex.pronouns and toks[j].lower not in ("it", "who"):
        return (j, j + 1)
    start = j
    while j < hi:
        t = toks[j]
        low = t.lower
        if _is_cap(t) or _nounish(t) or (low in DETERMINERS and j == start) or title_word(low):
            j += 1
        elif t.text[:1].isdigit() and j > start and _is_cap(toks[j - 1]):
            j += 1  # "Channel 9’s"
        elif low in CONNECTORS and j + 1 < hi and (_is_cap(toks[j + 1]) or toks[j + 1].lower in DETERMINERS) or low in ("’", "'") and j > start and toks[j - 1].text.endswith("s"):
            j += 1
        else:
            break
    while j > start and (toks[j - 1].lower in CONNECTORS or toks[j - 1].lower in DETERMINERS):
        j -= 1
    if j <= start or not _has_head(toks[start:j]):
        return _described_after(toks, start, hi) if toks[i].lower in lex.inverted_verbs else None
    return (start, j)


_AGE = re.compile(r"\d+-year-old")  # "said the 46-year-old."
MAX_DESCRIPTION_WORDS = 6  # "a person close to", "the former top aide to": the words before the name
DESCRIPTION_LINKS = {"of", "to", "for", "at", "with", "from", "in", "close", "familiar"}


def _described_after(toks: list[Token], start: int, hi: int) -> tuple[int, int] | None:
    """ '"...," said a person close to the Clintons.': a noun phrase opened by a determiner whose
    head is no known role, as the whole rest of the attribution (up to a comma or the sentence's
    end, so "said the plan would fail" is not one)."""
    if start >= hi or toks[start].lower not in ("a", "an", "the", "one", "another"):
        return None
    j = start + 1
    while j < hi and j - start <= MAX_DESCRIPTION_WORDS and (_AGE.fullmatch(toks[j].lower) or toks[j].text.isalpha()
                                                            and toks[j].text.islower()) \
            and toks[j].lower not in _NOT_IN_NP - DESCRIPTION_LINKS and not toks[j].lower.endswith("ly"):
        j += 1
    if j == start + 1:
        return None
    if j < hi and _is_cap(toks[j]) and (toks[j - 1].lower in DESCRIPTION_LINKS or toks[j - 1].lower in DETERMINERS):
        # "a person close to the Clintons", "the former top aide to President George W. Bush"
        end = mention_after([Token(0, 0, "")] + toks[j:hi], 0)
        if end is None:
            return None
        j += end[1] - 1
    elif toks[j - 1].lower in DESCRIPTION_LINKS or toks[j - 1].lower in DETERMINERS:
        return None
    if j < hi and toks[j].text not in (",", ".", "—", "–", ";", ")"):
        return None
    return (start, j)
