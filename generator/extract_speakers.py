"""Who said it: find the speaker's mention next to a cue, and resolve it to a Speaker.

Mentions are found by walking over tokens from the reporting verb (rules, no model needed).
Resolution keeps a small memory of the article read so far: pronouns go to the last named person,
surnames to full names seen earlier, role nouns ("the spokesperson") to the organisation they
were introduced with, and organisation nouns ("the company") to the last organisation. When the
memory has no answer the speaker is left unresolved: refuse rather than guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .extract_lexicon import lexicon
from .extract_text import Token
from .model import Speaker

DETERMINERS = {"the", "a", "an", "another", "one", "two", "three", "some", "several", "many", "other",
               "his", "her", "their", "its", "our", "this", "that", "these", "those", "both", "top",
               "senior", "former", "two", "most", "few"}
CONNECTORS = {"of", "for", "at", "de", "van", "von", "der", "bin", "al", "la", "le", "du", "del", "and"}
OBJECT_PRONOUNS = {"him", "her", "them", "us", "me", "you", "it", "reporters", "journalists", "supporters",
                   "listeners", "viewers", "readers", "lawmakers", "congress", "the crowd", "an audience",
                   "the audience", "the crowd", "senators", "voters", "students", "investors"}
HONORIFICS = {"mr.", "mrs.", "ms.", "miss", "mr", "mrs", "ms", "dr.", "dr"}
_POSSESSIVE = re.compile(r"(.+?)(?:['’]s|['’])$")


def _is_cap(tok: Token) -> bool:
    c = tok.text[:1]
    return c.isupper() or (c.isdigit() and False)


def _possessive(tok: Token) -> bool:
    return tok.text.endswith(("’s", "'s")) and len(tok.text) > 2


def _nounish(tok: Token) -> bool:
    lex = lexicon()
    low = tok.lower
    base = _POSSESSIVE.sub(r"\1", low) if _possessive(tok) else low
    return base in lex.roles or base in lex.organization_nouns or base in lex.document_nouns


def _title_word(low: str) -> bool:
    """A word of a title ("secretary", "state"); never a function word like "of" or "the"."""
    return low not in _FUNCTION_WORDS and any(low in t.split() for t in lexicon().titles)


_FUNCTION_WORDS = {"of", "the", "for", "a", "an", "and"}


# "-ly" words that are not adverbs between a speaker and the verb ("the family said").
_LY_NOT_ADVERBS = {"family", "only", "early", "daily", "weekly", "monthly", "ally", "italy", "rally", "reply",
                   "supply", "assembly", "july", "bully", "lily", "holly", "kelly", "sally", "molly", "emily"}


def _adverb(low: str) -> bool:
    """ "cynically", "steadily": an adverb may stand between a speaker and the verb."""
    return len(low) > 4 and low.endswith("ly") and low.isalpha() and low not in _LY_NOT_ADVERBS


def mention_before(toks: list[Token], i: int, lo: int = 0) -> tuple[int, int] | None:
    """Token range ``[a, b)`` of the speaker mention right before the cue at ``toks[i]``."""
    lex = lexicon()
    j = i - 1
    while j >= lo and (toks[j].lower in lex.modifiers or _adverb(toks[j].lower)) and not _is_cap(toks[j]):
        j -= 1
    if j < lo:
        return None
    if toks[j].text == ")":
        # "Rep. Gwen Moore (D-Wis.) said": step over the parenthesis
        k = j
        while k > lo and toks[k].text != "(" and j - k < 8:
            k -= 1
        if toks[k].text == "(" and k > lo:
            found = mention_before(toks[:k] + [toks[i]], k, lo)
            return (found[0], j + 1) if found else None
        return None
    if toks[j].text == ",":
        return _before_apposition(toks, j, lo)
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
                                                                                and toks[j - 1].text not in lex.not_names)):
            head = True
        elif _nounish(t):
            head = True
        elif low in ("’", "'") and j > lo and toks[j - 1].text.endswith("s"):
            pass  # "Fox News’ Laura Ingraham"
        elif low in CONNECTORS or low in DETERMINERS or _title_word(low):
            pass
        elif (j - 1 >= lo and start < end and _nounish(toks[start]) and low.isalpha() and low.islower()
              and (toks[j - 1].lower in DETERMINERS or _possessive(toks[j - 1]) or _is_cap(toks[j - 1]))):
            pass  # "Connecticut’s tax commissioner", "a campaign spokesman"
        else:
            break
        start = j
        j -= 1
    # never begin on a connector ("of", "and") or a sentence-initial function word
    while start < end and (toks[start].lower in CONNECTORS or toks[start].text in ("’", "'")
                           or (toks[start].text in lex.not_names and toks[start].lower not in DETERMINERS)):
        start += 1
    if start >= end or not head or not _has_head(toks[start:end]):
        return _common_noun_phrase(toks, end, lo)
    return (start, end)


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
        if t.lower in ("the", "a", "an", "his", "her", "their", "its", "another", "one") and j < end - 1:
            return (j, end)
        if j < end - 1 and _possessive(t) and _is_cap(t) and t.text not in lexicon().not_names:
            return (j, end)  # "Scott's family", "Clinton’s campaign"
        if not t.text[:1].isalnum() or t.lower in _NOT_IN_NP:
            return None
        j -= 1
    return None


def _before_apposition(toks: list[Token], comma: int, lo: int) -> tuple[int, int] | None:
    """ "Douglas Brinkley, a historian who attended, recalled": the name before the apposition."""
    j = comma - 1
    while j >= lo and comma - j <= 25 and toks[j].text not in (",", ".", ";", ":", "(", ")"):
        j -= 1
    if j < lo or toks[j].text != "," or comma - j < 2:
        return None
    return _mention_ending_at(toks, j, lo)


def _mention_ending_at(toks: list[Token], j: int, lo: int) -> tuple[int, int] | None:
    """A mention ending right before ``toks[j]`` that starts the clause (sentence or after a comma)."""
    probe = toks[:j] + [Token(toks[j].start, toks[j].start, "said")]
    found = mention_before(probe, j, lo)
    if not found or found[0] > lo and toks[found[0] - 1].text not in (",", ":", "(") and found[0] - lo > 3:
        return None
    if toks[j - 1].text == ",":
        return None
    return found


def _has_head(toks: list[Token]) -> bool:
    lex = lexicon()
    return any((_is_cap(t) and t.text not in lex.not_names) or _nounish(t) for t in toks)


def _antecedent(toks: list[Token], j: int, lo: int) -> tuple[int, int] | None:
    """For "X, who said ...": the mention before the comma."""
    if j - 1 >= lo and toks[j - 1].text == ",":
        return mention_before(toks, j - 1, lo)
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
        if _is_cap(t) or _nounish(t) or (low in DETERMINERS and j == start) or _title_word(low):
            j += 1
        elif t.text[:1].isdigit() and j > start and _is_cap(toks[j - 1]):
            j += 1  # "Channel 9’s"
        elif low in CONNECTORS and j + 1 < hi and (_is_cap(toks[j + 1]) or toks[j + 1].lower in DETERMINERS):
            j += 1
        elif low in ("’", "'") and j > start and toks[j - 1].text.endswith("s"):
            j += 1
        else:
            break
    while j > start and (toks[j - 1].lower in CONNECTORS or toks[j - 1].lower in DETERMINERS):
        j -= 1
    if j <= start or not _has_head(toks[start:j]):
        return None
    return (start, j)


# --- resolution --------------------------------------------------------------------------------

@dataclass
class Memory:
    """What the article has said about people and organisations so far, in reading order."""

    text: str
    persons: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    roles: list[Speaker] = field(default_factory=list)
    documents: list[Speaker] = field(default_factory=list)
    last_speaker: Speaker | None = None

    def remember(self, speaker: Speaker | None) -> None:
        if speaker is None:
            return
        if speaker.name and (speaker.organization is None or speaker.role):
            self.persons.append(speaker.name)
        if speaker.organization:
            self.organizations.append(speaker.organization)
        if speaker.role:
            self.roles.append(speaker)
        self.last_speaker = speaker


def _strip_det(words: list[str]) -> list[str]:
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    return words


def _split_title(mention: str) -> tuple[str | None, str]:
    low = mention.lower()
    for title in lexicon().titles:
        if low.startswith(title + " ") and mention[len(title) + 1:][:1].isupper():
            rest = mention[len(title) + 1:]
            return (None if title in HONORIFICS else _title_case(mention[:len(title)])), rest
    return None, mention


def _title_case(title: str) -> str:
    return " ".join(w if w[:1].isupper() or w in ("of", "the", "for") else w.capitalize() for w in title.split())


def _is_org_name(name: str) -> bool:
    lex = lexicon()
    words = name.replace("’", " ").replace("'", " ").split()
    return bool(words) and (words[-1] in lex.organization_suffixes or words[0] in lex.organization_suffixes
                            or (len(words) == 1 and words[0].isupper() and len(words[0]) > 1))


def full_name(surname: str, memory: Memory, before: int) -> str | None:
    """The latest full name ending in ``surname`` among earlier speakers or in the text before."""
    for name in reversed(memory.persons):
        if name != surname and name.split()[-1] == surname:
            return name
    pattern = re.compile(r"\b((?:[A-Z][a-z]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z]+|[A-Z]\.))*)\s+" + re.escape(surname) + r"\b")
    found = None
    for m in pattern.finditer(memory.text, 0, before):
        words = [w for w in m.group(1).split() if w not in lexicon().not_names and not _title_word(w.lower())]
        if words:
            found = " ".join(words[-2:] + [surname])
    return found


def resolve(mention: str, memory: Memory, at: int) -> Speaker | None:
    """A Speaker for the mention text, using what the article said before offset ``at``."""
    lex = lexicon()
    clean = mention.strip(" ,")
    low = clean.lower()
    if low in lex.pronouns:
        return _resolve_pronoun(low, memory)
    words = _strip_det(clean.split())
    if not words:
        return None
    lows = [w.lower().strip("’'") for w in words]
    last = _POSSESSIVE.sub(r"\1", lows[-1])
    # "the spokesperson", "the company", "the note": things the article introduced before
    if len(words) == 1 or all(not w[:1].isupper() for w in words):
        if last in lex.roles and (found := _resolve_role(last, memory)):
            return found
        if last in lex.organization_nouns and memory.organizations:
            return Speaker(organization=memory.organizations[-1])
        if last in lex.document_nouns and memory.documents:
            return memory.documents[-1]
        if not words[0][:1].isupper():
            # named only by a noun the article never tied to anyone: keep the noun as written
            if last in lex.roles:
                return Speaker(role=" ".join(words))
            if last in lex.organization_nouns or last in lex.document_nouns:
                return Speaker(organization=" ".join(words))
            if 1 <= len(words) <= 3 and all(w.isalpha() for w in words) and lows[-1] not in NOT_PERSON_NOUNS:
                return Speaker(role=" ".join(words))  # "the coach", "a friend": a person, named by role
            return None
    return _resolve_named(words, memory, at)


# Nouns after a determiner that are not anyone who could speak ("the same thing").
NOT_PERSON_NOUNS = {"thing", "things", "same", "way", "time", "fact", "idea", "issue", "question", "problem",
                    "case", "point", "world", "country", "city", "state", "day", "week", "year", "move"}


def _resolve_pronoun(low: str, memory: Memory) -> Speaker | None:
    kind = lexicon().pronouns[low]
    if kind == "person":
        for name in reversed(memory.persons):
            return Speaker(name=name)
        return None
    if kind in ("organization", "group") and memory.last_speaker and memory.last_speaker.organization \
            and not memory.last_speaker.name:
        return memory.last_speaker
    return None


def _resolve_role(role: str, memory: Memory) -> Speaker | None:
    norm = lexicon().role_same_as.get(role, role)
    for speaker in reversed(memory.roles):
        known = speaker.role.lower().split()[-1] if speaker.role else ""
        if lexicon().role_same_as.get(known, known) == norm:
            return speaker
    return None


def _resolve_named(words: list[str], memory: Memory, at: int) -> Speaker | None:
    lex = lexicon()
    text = " ".join(words)
    title, rest = _split_title(text)
    # "a spokesperson for TikTok", "an official at the Pentagon"
    for i, w in enumerate(words if title is None else []):
        if w.lower() in ("for", "at", "of") and i > 0 and words[i - 1].lower() in lex.roles:
            org = " ".join(_strip_det(words[i + 1:]))
            role = " ".join(words[:i])
            if org[:1].isupper() and not _title_word(words[i - 1].lower()) or role.lower() in lex.roles:
                return Speaker(role=role, organization=org or None)
    # "Amazon’s IT Services department"
    for i, w in enumerate(words[:-1]):
        if _POSSESSIVE.match(w) and w.endswith(("’s", "'s")):
            owner = " ".join(words[:i] + [w[:-2]])
            rest = " ".join(words[i + 1:])
            if owner[:1].isupper() and rest:
                if rest[:1].isupper() and not any(x.lower() in lex.roles for x in words[i + 1:]):
                    return _person_or_org(rest.split(), memory, at)
                return Speaker(role=rest, organization=owner)
    rest_words = rest.split()
    # "White House spokesman Josh Earnest", "an Amazon spokesperson"
    role_at = [i for i, w in enumerate(rest_words) if w.lower() in lex.roles]
    if role_at:
        i = role_at[-1]
        org = " ".join(rest_words[:i]).rstrip("’'")
        role_words = [rest_words[i]]
        while i > 0 and rest_words[i - 1][:1].islower():
            i -= 1
            role_words.insert(0, rest_words[i])
            org = " ".join(rest_words[:i])
        name = " ".join(rest_words[role_at[-1] + 1:]) or None
        return Speaker(name=name, role=title or " ".join(role_words), organization=org or None)
    speaker = _person_or_org(rest_words, memory, at)
    if speaker and title and speaker.name:
        return Speaker(name=speaker.name, role=title, organization=speaker.organization)
    return speaker


def _person_or_org(words: list[str], memory: Memory, at: int) -> Speaker | None:
    words = [w.rstrip("’'") if w.endswith(("’", "'")) else w for w in words]
    if words and _POSSESSIVE.match(words[-1]) and words[-1].endswith(("’s", "'s")):
        words[-1] = words[-1][:-2]
    words = [w for w in words if w.lower() not in HONORIFICS]
    if not words:
        return None
    name = " ".join(words)
    if _is_org_name(name) or name in memory.organizations:
        return Speaker(organization=name)
    if len(words) == 1:
        full = full_name(name, memory, at)
        if full:
            return Speaker(name=full)
        if name not in memory.persons:
            return Speaker(organization=name) if _looks_like_org(name, memory) else Speaker(name=name)
    return Speaker(name=name)


def _looks_like_org(name: str, memory: Memory) -> bool:
    """A single capitalised word with no first name anywhere in the text: an organisation."""
    return not re.search(r"\b[A-Z][a-z]+\s+" + re.escape(name) + r"\b", memory.text)
