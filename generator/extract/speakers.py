"""Who said it: resolve a speaker's mention to a Speaker.

The mention itself is found by :mod:`generator.extract.mentions`. Resolution keeps a small memory
of the article read so far: pronouns go to the last named person,
surnames to full names seen earlier, role nouns ("the spokesperson") to the organisation they
were introduced with, and organisation nouns ("the company") to the last organisation. When the
memory has no answer the speaker is left unresolved: refuse rather than guess.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from generator.extract.lexicon import lexicon
from generator.extract.mentions import (
    CONTRACTED_SUBJECTS,
    DETERMINERS,
    HONORIFICS,
    MAX_DESCRIPTION_WORDS,
    POSSESSIVE,
    POSSESSIVE_PRONOUNS,
    function_word,
    is_role,
    title_word,
)
from generator.extract.text import Token
from generator.model import Speaker

# --- resolution --------------------------------------------------------------------------------

@dataclass
class Memory:
    """What the article has said about people and organisations so far, in reading order.

    Beside the lists, indexes keep every look-up independent of the article's length: the latest
    full name by surname, the latest speaker by role, and (built on first use) where each
    "First Surname" occurs in the text.
    """

    text: str
    persons: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    documents: list[Speaker] = field(default_factory=list)
    last_speaker: Speaker | None = None
    full_names: dict[str, str] = field(default_factory=dict, repr=False)  # surname -> latest full name
    person_set: set[str] = field(default_factory=set, repr=False)
    organization_set: set[str] = field(default_factory=set, repr=False)
    role_index: dict[str, Speaker] = field(default_factory=dict, repr=False)  # role word -> latest speaker
    _names: "NameIndex | None" = field(default=None, repr=False)

    def remember(self, speaker: Speaker | None) -> None:
        if speaker is None:
            return
        if speaker.name and (speaker.organization is None or speaker.role):
            self.persons.append(speaker.name)
            self.person_set.add(speaker.name)
            words = speaker.name.split()
            if words and speaker.name != words[-1]:
                self.full_names[words[-1]] = speaker.name
        if speaker.organization:
            self.organizations.append(speaker.organization)
            self.organization_set.add(speaker.organization)
        if speaker.role:
            words = speaker.role.lower().split()
            known = words[-1] if words else ""
            self.role_index[lexicon().role_same_as.get(known, known)] = speaker
        self.last_speaker = speaker

    @property
    def names(self) -> "NameIndex":
        if self._names is None:
            self._names = NameIndex(self.text)
        return self._names


_WORD_RUN = re.compile(r"\w+")


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


SCANNED_WORDS = 32  # distinct words looked up by scanning before the whole text is indexed


class NameIndex:
    r""" "First [Middle] Surname" in a text, found without scanning the text for each surname.

    It answers what ``re.finditer(r"\b((?:[A-Z][a-z]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z]+|[A-Z]\.))*)\s+"
    + surname + r"\b", text, 0, before)`` gives (the last match keeping a word): the capitalised
    words before an occurrence of the surname, a chain of such words belonging to the last
    occurrence in it. Word positions are indexed once, chains and their last two kept words are
    memoised per token, and each surname's answers are prefix results over its occurrences, so
    the cost over an article is linear in its length whatever the number of look-ups.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: dict[str, list[int]] = {}  # word -> where it occurs as a whole word
        self._indexed = False  # every word indexed (after many look-ups), else each one on demand
        self._chain: dict[int, int | None] = {}  # token start -> start of its chain (None: not in one)
        self._kept: dict[int, tuple[str, ...]] = {}  # token start -> last two kept words of its chain
        self._surnames: dict[str, tuple] = {}
        self._has_first: dict[str, bool] = {}

    def starts_of(self, word: str) -> list[int]:
        """Offsets where ``word`` occurs as a whole run of word characters, in text order.

        The first few words are found by one regular-expression scan each (fast for an article);
        past ``SCANNED_WORDS`` distinct words the whole text is indexed once, which keeps the cost
        linear however many surnames an article asks for."""
        if word not in self._starts and not self._indexed:
            if len(self._starts) < SCANNED_WORDS:
                pattern = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")
                self._starts[word] = [m.start() for m in pattern.finditer(self.text)]
            else:
                self._starts = {}
                for m in _WORD_RUN.finditer(self.text):
                    self._starts.setdefault(m.group(), []).append(m.start())
                self._indexed = True
        return self._starts.get(word, [])

    # -- capitalised tokens ("Word", "W.") and their chains --

    def _token_ending(self, e: int) -> int | None:
        """Start of a "Word" or "W." token ending at ``e``, or None."""
        text = self.text
        if e >= 2 and text[e - 1] == "." and "A" <= text[e - 2] <= "Z":
            return e - 2
        q = e
        while q > 0 and "a" <= text[q - 1] <= "z":
            q -= 1
        if q == e or q == 0 or not "A" <= text[q - 1] <= "Z":
            return None
        return q - 1

    def _space_before(self, q: int) -> int | None:
        """Start of the whitespace run ending at ``q`` (None when there is none)."""
        k = q
        while k > 0 and self.text[k - 1].isspace():
            k -= 1
        return k if k < q else None

    def _previous(self, q: int) -> tuple[int | None, int | None]:
        k = self._space_before(q)
        return k, (self._token_ending(k) if k is not None else None)

    def chain_start(self, q: int) -> int | None:
        """Where the chain of capitalised tokens ending with the token at ``q`` starts."""
        if q in self._chain:
            return self._chain[q]
        path = [q]
        while True:
            _k, prev = self._previous(path[-1])
            if prev is None or prev in self._chain:
                break
            path.append(prev)
        lex = lexicon()
        for cur in reversed(path):  # from the leftmost token of the path to q
            k, prev = self._previous(cur)
            below = self._chain.get(prev) if prev is not None else None
            if below is not None:
                self._chain[cur], base = below, self._kept[prev]
            elif k is not None or cur == 0 or not _word_char(self.text[cur - 1]):
                self._chain[cur], base = cur, ()  # a chain starts here (a word boundary before it)
            else:
                self._chain[cur] = None
                continue
            word = self.text[cur:self._token_end(cur)]
            keep = word not in lex.not_names and not title_word(word.lower())
            self._kept[cur] = (base + (word,))[-2:] if keep else base
        return self._chain[q]

    def _token_end(self, q: int) -> int:
        text = self.text
        if q + 1 < len(text) and text[q + 1] == ".":
            return q + 2
        e = q + 1
        while e < len(text) and "a" <= text[e] <= "z":
            e += 1
        return e

    # -- surnames --

    def _kept_from(self, t: int, q: int) -> tuple[str, ...]:
        """The last two kept words of the chain tokens from ``t`` to ``q`` (both token starts)."""
        words = []
        cur: int | None = q
        while cur is not None and cur >= t:
            words.append(self.text[cur:self._token_end(cur)])
            cur = self._previous(cur)[1]
        lex = lexicon()
        kept = [w for w in reversed(words) if w not in lex.not_names and not title_word(w.lower())]
        return tuple(kept[-2:])

    def _step(self, state, p: int, lit, endpos: int):
        """The scan's state after an occurrence of the surname at ``p``.

        A state is (answer of the finished matches, the last match as (chain, end, full name or
        None)): a match runs from a chain of capitalised tokens to the last occurrence of the
        surname after that chain; the next match starts after it.
        """
        committed, cur = state
        m = lit.match(self.text, p, endpos)
        if not m:
            return state
        _k, q = self._previous(p)
        chain = self.chain_start(q) if q is not None else None
        if chain is None:
            return state
        if cur is not None and cur[0] == chain:  # the same chain: the match reaches this occurrence
            start = cur[3]
        else:
            if cur is not None and cur[2] is not None:
                committed = cur[2]
            pos = cur[1] if cur is not None else 0
            start = chain
            if chain < pos:  # the chain began inside the last match: it starts at its first token after
                t = q
                while t is not None and (prev := self._previous(t)[1]) is not None and prev >= pos:
                    t = prev
                if t is None or t < pos:
                    return committed, cur
                start = t
        kept = self._kept[q] if start == chain else self._kept_from(start, q)
        return committed, (chain, m.end(), " ".join(kept + (m.group(),)) if kept else None, start)

    def _occurrences(self, surname: str):
        """The occurrences of ``surname`` and the scan's state after each (see ``_step``)."""
        if surname not in self._surnames:
            lit = re.compile(re.escape(surname) + r"\b")
            starts = self.starts_of(_WORD_RUN.match(surname).group())
            states = []
            state = (None, None)
            for p in starts:
                state = self._step(state, p, lit, len(self.text))
                states.append(state)
            self._surnames[surname] = (starts, lit, states)
        return self._surnames[surname]

    def full_name(self, surname: str, before: int) -> str | None:
        """The full name the last "First Surname" before offset ``before`` gives, or None."""
        text = self.text
        if not _WORD_RUN.match(surname) or 0 < before < len(text) and _word_char(text[before - 1]) \
                and _word_char(text[before]):
            return full_name_scan(surname, text, before)  # a cut inside a word: scan the cut text
        starts, lit, states = self._occurrences(surname)
        n = bisect.bisect_left(starts, before)
        i = n - 1
        while i >= 0 and starts[i] + len(surname) >= before:
            i -= 1  # occurrences at the cut: the cut text decides, below
        state = states[i] if i >= 0 else (None, None)
        for k in range(i + 1, n):
            state = self._step(state, starts[k], lit, before)
        committed, cur = state
        return cur[2] if cur is not None and cur[2] is not None else committed

    def has_first_name(self, name: str) -> bool:
        """Whether "Capitalised Name" occurs anywhere in the text."""
        if name not in self._has_first:
            if not _WORD_RUN.match(name):
                found = bool(re.search(r"\b[A-Z][a-z]+\s+" + re.escape(name) + r"\b", self.text))
            else:
                lit = re.compile(re.escape(name) + r"\b")
                found = False
                for p in self.starts_of(_WORD_RUN.match(name).group()):
                    if lit.match(self.text, p):
                        _k, q = self._previous(p)
                        if q is not None and self.text[q + 1:q + 2] != "." \
                                and (q == 0 or not _word_char(self.text[q - 1])):
                            found = True
                            break
            self._has_first[name] = found
        return self._has_first[name]


def full_name_scan(surname: str, text: str, before: int) -> str | None:
    pattern = re.compile(r"\b((?:[A-Z][a-z]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z]+|[A-Z]\.))*)\s+" + re.escape(surname) + r"\b")
    found = None
    for m in pattern.finditer(text, 0, before):
        words = [w for w in m.group(1).split() if w not in lexicon().not_names and not title_word(w.lower())]
        if words:
            found = " ".join(words[-2:] + [surname])
    return found




def _strip_openers(words: list[str]) -> list[str]:
    """Words opening the sentence or clause before the name ("When Trump", "And Rick Santorum",
    "for Clinton") are no part of it; a mention of only such words ("It's") names nobody."""
    while words and (function_word(Token(0, 0, words[0])) or words[0] in lexicon().leading_clause_words):
        words = words[1:]
    return words


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
    if surname in memory.full_names:
        return memory.full_names[surname]
    return memory.names.full_name(surname, before)


def resolve(mention: str, memory: Memory, at: int) -> Speaker | None:
    """A Speaker for the mention text, using what the article said before offset ``at``."""
    lex = lexicon()
    clean = mention.strip(" ,")
    low = clean.lower()
    low = CONTRACTED_SUBJECTS.get(low, POSSESSIVE_PRONOUNS.get(low, low))
    if low in lex.pronouns:
        return _resolve_pronoun(low, memory)
    words = _strip_det(_strip_openers(clean.split()))
    if not words:
        return None
    lows = [w.lower().strip("’'") for w in words]
    last = POSSESSIVE.sub(r"\1", lows[-1])
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
            if all(w.isalpha() for w in words) and lows[-1] not in NOT_PERSON_NOUNS \
                    and (len(words) <= 3 or len(words) <= MAX_DESCRIPTION_WORDS and DESCRIBING & set(lows[1:])):
                return Speaker(role=" ".join(words))  # "the coach", "a friend": a person, named by role
            return None
    if not words[0][:1].isupper() and any(w in DESCRIBING for w in lows[1:]) and len(words) <= 2 * MAX_DESCRIPTION_WORDS:
        # "a person close to the Clintons", "the former top aide to President Bush": someone described
        # by whom they are close to; the name after "to" is not the speaker
        return Speaker(role=" ".join(words))
    return _resolve_named(words, memory, at)


# Words after a description's head that say whom the person is close to ("a person close to the
# Clintons"): the name after them is not the speaker.
DESCRIBING = {"to", "close", "familiar", "with"}


# Nouns after a determiner that are not anyone who could speak ("the same thing").
NOT_PERSON_NOUNS = {"thing", "things", "same", "way", "time", "fact", "idea", "issue", "question", "problem",
                    "case", "point", "world", "country", "city", "state", "day", "week", "year", "move"}


def _resolve_pronoun(low: str, memory: Memory) -> Speaker | None:
    kind = lexicon().pronouns[low]
    if kind == "person":
        return Speaker(name=memory.persons[-1]) if memory.persons else None
    if kind in ("organization", "group") and memory.last_speaker and memory.last_speaker.organization \
            and not memory.last_speaker.name:
        return memory.last_speaker
    return None


def _resolve_role(role: str, memory: Memory) -> Speaker | None:
    return memory.role_index.get(lexicon().role_same_as.get(role, role))


def _resolve_named(words: list[str], memory: Memory, at: int) -> Speaker | None:
    lex = lexicon()
    text = " ".join(words)
    title, rest = _split_title(text)
    # "a spokesperson for TikTok", "an official at the Pentagon", "authorities in Chicago"
    for i, w in enumerate(words if title is None else []):
        if w.lower() in ("for", "at", "of", "in", "from") and i > 0 and words[i - 1].lower() in lex.roles:
            org = " ".join(_strip_det(words[i + 1:]))
            role = " ".join(words[:i])
            if org[:1].isupper() and not title_word(words[i - 1].lower()) or role.lower() in lex.roles:
                return Speaker(role=role, organization=org or None)
    # "Amazon’s IT Services department"
    for i, w in enumerate(words[:-1]):
        if POSSESSIVE.match(w) and w.endswith(("’s", "'s")):
            owner = " ".join(words[:i] + [w[:-2]])
            rest = " ".join(words[i + 1:])
            if owner[:1].isupper() and rest:
                if rest[:1].isupper() and not any(x.lower() in lex.roles for x in words[i + 1:]):
                    return _person_or_org(rest.split(), memory, at)
                return Speaker(role=rest, organization=owner)
    rest_words = rest.split()
    # "White House spokesman Josh Earnest", "an Amazon spokesperson"
    role_at = [i for i, w in enumerate(rest_words) if is_role(w.lower())]
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
    if words and POSSESSIVE.match(words[-1]) and words[-1].endswith(("’s", "'s")):
        words[-1] = words[-1][:-2]
    words = [w for w in words if w.lower() not in HONORIFICS]
    if not words:
        return None
    name = " ".join(words)
    if _is_org_name(name) or name in memory.organization_set:
        return Speaker(organization=name)
    if len(words) == 1:
        full = full_name(name, memory, at)
        if full:
            return Speaker(name=full)
        if name not in memory.person_set:
            return Speaker(organization=name) if _looks_like_org(name, memory) else Speaker(name=name)
    return Speaker(name=name)


def _looks_like_org(name: str, memory: Memory) -> bool:
    """A single capitalised word with no first name anywhere in the text: an organisation."""
    return not memory.names.has_first_name(name)
