"""The units a sentence is read as, the reporting verbs ("cues") among them, and the scan of one sentence.

A sentence is a sequence of units: word tokens outside quotation marks, and whole quotations.
Every construction is a pattern over those units next to a cue. ``Scan`` carries one sentence
being read (its text, units, the units already attributed, the statements found in its
paragraph so far) through the construction modules, instead of five arguments each.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from generator.extract.lexicon import lexicon
from generator.extract.mentions import CONTRACTED_SUBJECTS
from generator.extract.text import Quote, Sentence, Token, tokens

DASHES = ("―", "—", "–", "-", "--")
# Words before an "-ing" cue that make it a participle of speech ("..., saying", "while arguing").
ING_BEFORE = {",", "while", "after", "before", "by", "when", "despite", "is", "was", "were", "are", "been", "be", "am",
              "also", "without", "in", "for", "and", "repeatedly", "publicly", "even", "—"}


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
    subject: tuple[int, int] | None = None  # an unattributed fragment: its sentence's subject, a guess

    def absorb(self, other: "Raw") -> None:
        """Take ``other``'s spans and quotations as the rest of this statement; ``other`` is emptied."""
        self.spans.extend(other.spans)
        self.quotes.extend(other.quotes)
        other.spans = []


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


@dataclass
class Scan:
    """One sentence being read: what every construction looks at and what it records.

    ``used`` holds the indexes of the units already attributed (a unit belongs to one
    statement); ``raws`` the statements found so far in the sentence's paragraph, to which
    each construction appends.
    """

    text: str
    sent: Sentence
    units: list[Unit]
    used: set[int] = field(default_factory=set)
    raws: list[Raw] = field(default_factory=list)


def make_units(text: str, sent: Sentence, quotes: list[Quote]) -> list[Unit]:
    """The units of ``sent``: its tokens outside ``quotes`` and the quotations themselves."""
    units: list[Unit] = []
    pos = sent.start
    for q in quotes:
        units.extend(Unit(t.start, t.end, tok=t) for t in tokens(text, pos, q.open))
        units.append(Unit(q.open, q.close, quote=q))
        pos = q.close
    units.extend(Unit(t.start, t.end, tok=t) for t in tokens(text, pos, sent.end))
    return units


def cue_at(units: list[Unit], i: int) -> tuple[str, int] | None:
    """The lemma of a reporting verb at ``units[i]`` and how many units it spans, or None."""
    lex = lexicon()
    u = units[i]
    if u.tok is None:
        return None
    low = u.lower
    if i + 1 < len(units) and units[i + 1].tok and f"{low} {units[i + 1].lower}" in lex.phrasal_forms:
        if _nominal(units, i):
            return None  # "Trump's call for a deportation force": a noun
        return lex.phrasal_forms[f"{low} {units[i + 1].lower}"], 2
    if low in lex.verb_forms and not (u.tok.text[:1].isupper() and i > 0):
        if _passive(units, i) or _nominal(units, i):
            return None
        if low.endswith("ing") and i > 0 and units[i - 1].lower not in ING_BEFORE and not _named_participle(units, i) \
                and units[i - 1].lower not in CONTRACTED_SUBJECTS and units[i - 1].lower not in lex.document_nouns:
            return None  # "Additional reporting by", "the ruling": not a participle of speech
        return lex.verb_forms[low], 1
    return None


ASKED_AFTER = {"when", "whenever", "after"}  # "X said when asked whether ...": asked by no one named


def elliptical_asked(units: list[Unit], i: int) -> bool:
    """ "when asked whether ...": a question put to the sentence's subject by no one named."""
    return units[i].lower == "asked" and i > 0 and units[i - 1].lower in ASKED_AFTER


def _named_participle(units: list[Unit], i: int) -> bool:
    """ "footage of Jane Roe asking, "Q"": a participle right after a name (an adverb between:
    "with Trump reportedly yelling: "Q""), before a quotation."""
    prev = units[i - 1]
    if i > 1 and prev.tok is not None and len(prev.lower) > 4 and prev.lower.endswith("ly") and prev.lower.isalpha():
        prev = units[i - 2]
    if prev.tok is None or not prev.tok.text[:1].isupper() or prev.tok.text in lexicon().not_names:
        return False
    if i + 2 < len(units) and units[i + 1].lower in (",", ":") and units[i + 2].quote is not None:
        return True
    # "with Sen. John McCain calling it a “Chinese menu.”", "Ryan saying he was “very encouraged”": a
    # quotation a few words on, in the participle's clause
    for j in range(i + 1, min(len(units), i + 1 + NAMED_PARTICIPLE_REACH)):
        if units[j].quote is not None:
            return True
        if units[j].lower in (".", ";", ",", "and", "but"):
            return False
    return False


NAMED_PARTICIPLE_REACH = 6  # units between "McCain calling" and its quotation: "it a"


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
    if units[i].lower == "states" and prev.lower not in _STATES_SUBJECTS and prev.lower not in lexicon().document_nouns:
        return True  # "the four states that voted", "Southern states": the country's, not a verb
    return prev.lower in ("the", "a", "an", "his", "her", "their", "its", "this", "that", "whose", "our", "my", "your") \
        or (prev.tok is not None and prev.tok.text.endswith(("'s", "’s", "s'", "s’"))
            and prev.lower[:-2] not in _CONTRACTED)


_STATES_SUBJECTS = {"it", "he", "she", "which", "who", "that", "this"}  # "It states that ...", "the law states"

# "he's claiming": a pronoun with a contracted verb, not a possessive
_CONTRACTED = {"he", "she", "it", "that", "who", "there", "what", "here"}


def tokens_until_quote(units: list[Unit], i: int) -> list[Token]:
    """The tokens from ``units[i]`` up to the next quotation."""
    out = []
    while i < len(units) and units[i].tok:
        out.append(units[i].tok)
        i += 1
    return out


def went_on_to(units: list[Unit], i: int) -> int:
    """For a cue after "going on to" / "went on to" ("..., going on to say that"): the index of the
    "go" verb, whose subject is the speaker; else ``i``."""
    if i >= 3 and units[i - 1].lower == "to" and units[i - 2].lower == "on" \
            and units[i - 3].lower in ("going", "went", "goes", "go", "gone"):
        return i - 3
    return i


def participle_cue(units: list[Unit], j: int) -> bool:
    """ ", adding that ...", ", later adding, ...": a participle cue opens the next statement."""
    if j < len(units) and units[j].lower in ("later", "then", "also", "before", "while", "after", "by"):
        j += 1
    if j + 3 < len(units) and units[j].lower == "going" and went_on_to(units, j + 3) == j:
        return cue_at(units, j + 3) is not None  # ", going on to say that ..."
    return j < len(units) and units[j].tok is not None and units[j].lower.endswith("ing") \
        and units[j].lower in lexicon().verb_forms


def modifiers_only(toks: list[Token]) -> bool:
    """ "panel Chairman ...", "retired Air Force general ...", "former State policy planning director
    ...": modifier words before a name, lower-case but for a proper noun among them."""
    return 0 < len(toks) <= 4 and not toks[0].text[:1].isupper() \
        and all(t.text.isalnum() and t.lower not in CLAUSE_WORDS and t.lower not in lexicon().verb_forms for t in toks)


# Words that open or carry a clause: never part of a name or its modifiers.
CLAUSE_WORDS = {"is", "was", "were", "are", "be", "been", "has", "have", "had", "and", "or", "but", "that",
                "which", "who", "to", "in", "on", "with", "by", "as", "if", "when", "not", "it", "they",
                "he", "she", "we", "i", "you", "there", "this", "what", "would", "will", "could", "can", "then"}
