"""Text units for the statement extractor: tokens, quotations and sentences, by rule.

Everything here works on character offsets into the article text and needs no model, so the
plain-rules mode and the spaCy mode share it. Quotation marks are paired per paragraph; an
opening mark left open at a paragraph's end continues into the next paragraph when that one
opens with a mark (the newspaper convention for a quote over several paragraphs).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
OPEN_SINGLE = "‘‚‹"
CLOSE_SINGLE = "’›"
STRAIGHT_DOUBLE = '"'
STRAIGHT_SINGLE = "'"
TWO_APOSTROPHES = STRAIGHT_SINGLE * 2
ALL_MARKS = OPEN_DOUBLE + CLOSE_DOUBLE + OPEN_SINGLE + CLOSE_SINGLE + STRAIGHT_DOUBLE + STRAIGHT_SINGLE

# Before an opening mark: start, space or an opening bracket/dash; never a letter (that is an
# apostrophe or a closing mark).
_OPEN_BEFORE = set(" \t\n\r([{—–-/\u00a0" + OPEN_DOUBLE + STRAIGHT_DOUBLE)
# After a closing mark: end, space or punctuation; never a letter ("don't", "Amazon’s").
_CLOSE_AFTER = set(" \t\n\r.,;:!?)]}—–-…\u00a0" + CLOSE_DOUBLE + STRAIGHT_DOUBLE)
MAX_SINGLE_QUOTE = 300  # single quotes are for short fragments and headlines; longer is a mistake

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "reps", "gov", "lt", "gen", "col", "st", "jr", "sr",
    "inc", "corp", "co", "no", "vs", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct",
    "nov", "dec", "rev", "prof", "capt", "sgt", "adm", "ft", "mt", "messrs", "gens", "sens",
    "ave", "blvd", "del", "dept", "univ", "est", "approx", "fig", "vol", "e.g", "i.e", "etc", "cf",
}
_STATE = re.compile(r"[A-Z]-[A-Z][a-z]{1,3}")  # "R-Ky." in "Mitch McConnell, R-Ky., said"
_WORD = re.compile(r"\w+(?:[-.'’&]\w+)*\.?|\S")
_BOUNDARY = re.compile(r"[.!?…]+[”\"’')\]]*\s+(?=[\"“‘'(\[A-Z0-9])")


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark with its offsets in the article text."""

    start: int
    end: int
    text: str
    lower: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lower", self.text.lower())


@dataclass(frozen=True)
class Quote:
    """A quotation: ``[open, close)`` includes the marks, ``[start, end)`` is the content."""

    open: int
    start: int
    end: int
    close: int
    paragraph: int
    single: bool = False
    continues: int | None = None  # index of the quote (previous paragraph) this one continues
    closed: bool = True
    comma: bool = False  # its words end in a comma ('called it "a disgrace," blaming ...')


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens of ``text[start:end]``: "U.S.", "Rep." and "Amazon’s" stay one token."""
    end = len(text) if end is None else end
    out: list[Token] = []
    for m in _WORD.finditer(text, start, end):
        word = m.group()
        if word.endswith(".") and len(word) > 1 and not _keeps_period(word):
            out.append(Token(m.start(), m.end() - 1, word[:-1]))
            out.append(Token(m.end() - 1, m.end(), "."))
        else:
            out.append(Token(m.start(), m.end(), word))
    return out


def thousands_comma(toks: list[Token], k: int) -> bool:
    """Whether the comma ``toks[k]`` separates thousands ("20,000"), not clauses."""
    return 0 < k < len(toks) - 1 and toks[k - 1].text.isdigit() and toks[k + 1].text.isdigit() \
        and len(toks[k + 1].text) == 3 and toks[k].start == toks[k - 1].end and toks[k + 1].start == toks[k].end


def _keeps_period(word: str) -> bool:
    base = word[:-1]
    return (base.lower() in ABBREVIATIONS or "." in base or bool(_STATE.fullmatch(base))
            or (len(base) == 1 and base.isalpha() and base.isupper()))


# --- quotation marks ---------------------------------------------------------------------------

def _is_opener(text: str, i: int, lo: int, hi: int) -> bool:
    ch = text[i]
    if ch in OPEN_DOUBLE or ch in OPEN_SINGLE:
        return i + 1 < hi and not text[i + 1].isspace()
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    return (before in _OPEN_BEFORE or before in OPEN_SINGLE) and not after.isspace() and after not in ".,;:"


def _is_closer(text: str, i: int, lo: int, hi: int) -> bool:
    ch = text[i]
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    if ch in CLOSE_DOUBLE:
        return True
    if before.isspace():
        return False
    return after in _CLOSE_AFTER or after in CLOSE_SINGLE or (ch == '"' and not after.isalnum())


def _double_quotes(text: str, lo: int, hi: int) -> tuple[list[tuple[int, int]], int | None]:
    """Paired double marks of one paragraph as (open, close) offsets, and an unclosed opener."""
    pairs: list[tuple[int, int]] = []
    opened: int | None = None
    last_closer = max((text.rfind(c, lo, hi) for c in CLOSE_DOUBLE), default=-1)
    i = lo - 1
    while i + 1 < hi:
        i += 1
        ch = text[i]
        if ch == STRAIGHT_SINGLE and text.startswith(TWO_APOSTROPHES, i) and not text.startswith(TWO_APOSTROPHES, i + 1):
            # two apostrophes as one double mark (''like this'', an old wire and NYT style)
            if opened is None and i + 2 < hi and not text[i + 2].isspace() and (i == lo or text[i - 1] in _OPEN_BEFORE):
                opened = i
                i += 1
            elif opened is not None and i > lo and not text[i - 1].isspace():
                pairs.append((opened, i + 2))
                opened = None
                i += 1
            continue
        if ch not in OPEN_DOUBLE and ch not in CLOSE_DOUBLE and ch != STRAIGHT_DOUBLE:
            continue
        if opened is None:
            if ch in CLOSE_DOUBLE and ch != "»" and not _misused_opener(text, i, lo, last_closer):
                continue  # a stray closer: nothing open to close
            if ch in CLOSE_DOUBLE and ch != "»":
                opened = i  # '”Mr. Trump ...”': a closing mark typed for the opening one
                continue
            if _is_opener(text, i, lo, hi) or (ch == STRAIGHT_DOUBLE and not _is_closer(text, i, lo, hi)):
                opened = i
        elif ch in OPEN_DOUBLE and ch != "»" and not _misused_closer(text, i, lo, hi):
            inner = _nested_in_straight(text, opened, i, hi)
            if inner is not None:
                i = inner  # '"... the question: “Q?” Forty ..."': curly marks nested in straight ones
                continue
            opened = i  # a new opener while one is open: the first lost its closer
        elif _is_closer(text, i, lo, hi) or ch in CLOSE_DOUBLE or _closer_after_single(text, i, lo, hi):
            pairs.append((opened, i + 1))
            opened = None
    return pairs, opened


def _nested_in_straight(text: str, opened: int, i: int, hi: int) -> int | None:
    """The offset of the curly closer of a curly quotation opened at ``i`` inside one opened by a
    straight mark at ``opened``, when a straight mark after it closes the outer one; else None."""
    if text[opened] != STRAIGHT_DOUBLE:
        return None
    close = text.find("”", i + 1, hi)
    if close < 0 or text.find(STRAIGHT_DOUBLE, close + 1, hi) < 0 or text.find(STRAIGHT_DOUBLE, i + 1, close) >= 0:
        return None
    return close


def _closer_after_single(text: str, i: int, lo: int, hi: int) -> bool:
    """A straight double mark spaced off a closing single one ('... the term 'outreach,' " he said'):
    it closes both."""
    after = text[i + 1] if i + 1 < hi else " "
    return text[i] == STRAIGHT_DOUBLE and i - 2 >= lo and text[i - 1] == " " and text[i - 2] in "'’" \
        and (after.isspace() or after in ".,;:!?)")


def _misused_opener(text: str, i: int, lo: int, last_closer: int) -> bool:
    """A closing mark that opens a quotation: before a word at a paragraph or clause start, with
    another closing mark later in the paragraph ('”Mr. Trump embodies ...” ― Jane Roe');
    ``last_closer`` is the offset of the paragraph's last closing mark."""
    if i > lo and text[i - 1] not in " \t\n(":
        return False
    nxt = text[i + 1:i + 3].lstrip(" ")
    if not nxt or not (nxt[0].isalnum() or nxt[0] == "…"):
        return False
    return last_closer > i


def _misused_closer(text: str, i: int, lo: int, hi: int) -> bool:
    """An opening mark that closes the open quotation: after a word, before a space or the end
    ('... is 51 percent.“')."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)")


def _single_quotes(text: str, lo: int, hi: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Single-mark quotations outside the double ones; apostrophes are never paired."""
    opens = [a for a, _b in taken]  # the double quotations, in text order and disjoint

    def inside(i: int) -> bool:
        n = bisect.bisect_right(opens, i) - 1
        return n >= 0 and i < taken[n][1]

    pairs: list[tuple[int, int]] = []
    i = lo
    while i < hi:
        ch = text[i]
        if (ch in OPEN_SINGLE or ch == STRAIGHT_SINGLE) and not inside(i) and _is_opener(text, i, lo, hi):
            close = _single_closer(text, i, lo, hi, inside)
            if close is not None:
                pairs.append((i, close + 1))
                i = close + 1
                continue
        i += 1
    return pairs


def _single_closer(text: str, i: int, lo: int, hi: int, inside) -> int | None:
    limit = min(hi, i + MAX_SINGLE_QUOTE)
    for j in range(i + 2, limit):
        ch = text[j]
        if inside(j) or ch in OPEN_DOUBLE or ch in CLOSE_DOUBLE or ch == STRAIGHT_DOUBLE:
            return None
        # "BuzzFeed News' request": a plural possessive is a closer only if no later one fits
        if (ch in CLOSE_SINGLE or ch == STRAIGHT_SINGLE) and _is_closer(text, j, lo, hi) and not text[j - 1].isspace():
            return j
    return None


def find_quotes(text: str, paragraphs) -> list[Quote]:
    """Every quotation in the paragraphs, in text order, continuations linked to their start."""
    quotes: list[Quote] = []
    carry: int | None = None  # index of an unclosed quote from the previous paragraph
    for p_index, para in enumerate(paragraphs):
        lo, hi = para.start, para.end
        pairs, unclosed = _double_quotes(text, lo, hi)
        starts_with_mark = text[lo] in OPEN_DOUBLE + STRAIGHT_DOUBLE
        continues = carry if (carry is not None and starts_with_mark) else None
        carry = None
        found: list[Quote] = []
        for a, b in pairs:
            found.append(_quote(text, a, b, p_index, continues=continues if a == lo else None))
        if unclosed is not None:
            # a quote running to the paragraph's end: the paragraph convention, if it opened the
            # paragraph or followed a colon or attribution; else a lost mark, and dropped
            found.append(_quote(text, unclosed, hi, p_index, closed=False,
                                continues=continues if unclosed == lo else None))
        singles = _single_quotes(text, lo, hi, [(q.open, q.close) for q in found])
        found.extend(_quote(text, a, b, p_index, single=True) for a, b in singles)
        found.sort(key=lambda q: q.open)
        for q in found:
            if q.end > q.start:
                quotes.append(q)
        if unclosed is not None and quotes and not quotes[-1].closed:
            carry = len(quotes) - 1
    return quotes


def _quote(text: str, a: int, b: int, paragraph: int, *, single: bool = False, closed: bool = True,
           continues: int | None = None) -> Quote:
    start, end = a + 1, (b - 1 if closed else b)
    if not single and text.startswith(TWO_APOSTROPHES, a):
        start += 1
    if closed and not single and b - a >= 4 and text.startswith(TWO_APOSTROPHES, b - 2):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Quote(a, start, end, b, paragraph, single, continues, closed, comma=end > start and text[end - 1] == ",")


# --- sentences ---------------------------------------------------------------------------------

def split_sentences(text: str, para, p_index: int, quotes: list[Quote]) -> list[Sentence]:
    """Sentences of one paragraph; never split inside a quotation."""
    inside = sorted((q.open, q.close) for q in quotes if q.paragraph == p_index)
    opens = [a for a, _b in inside]
    cuts = [para.start]
    for m in _BOUNDARY.finditer(text, para.start, para.end):
        at = m.end()
        dot = m.start()
        n = bisect.bisect_left(opens, dot) - 1  # quotations are disjoint: only the last opened before can hold it
        if n >= 0 and dot < inside[n][1] - 1 and not _fragment_end(text, *inside[n], dot, cuts[-1]):
            continue
        if text[dot] == "." and abbreviation_before(text, dot, para.start) and not _opens_sentence(text, at):
            continue
        cuts.append(at)
    cuts.append(para.end)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        while b > a and text[b - 1].isspace():
            b -= 1
        m = _DATELINE.match(text, a, b) if a == para.start else None
        if m:
            a = m.end()  # "WASHINGTON — Sen. Jane Roe said ...": the dateline is no part of the sentence
        if b > a:
            out.append(Sentence(a, b, p_index))
    return out


# A dateline opening a paragraph: a place in capitals, maybe a date and an agency, then a dash
# and a sentence ("WASHINGTON — ", "NEW YORK, Aug. 24 (UPI) — ", "PARIS, Aug 31 (Reuters) - ";
# not "NATO — the alliance — said").
_DATELINE = re.compile(r"[A-Z][A-Z.'’]+(?: [A-Z][A-Z.'’]+){0,3}(?:, [A-Z][a-z]{0,8}\.?(?: \d{1,2})?){0,2}"
                       r"(?: \([A-Za-z ]{2,20}\))? ?[—–―-]{1,2} +(?=[A-Z\"“‘'])")


def _fragment_end(text: str, a: int, b: int, dot: int, sentence_start: int) -> bool:
    """ 'called it "a disgrace." He left': a quoted fragment ending its sentence (the period
    right before the closing mark, the quotation opened inside the sentence)."""
    return all(c in _CLOSING for c in text[dot + 1:b]) and dot + 1 < b and a > sentence_start \
        and text[sentence_start:a].strip() != ""


_CLOSING = set(CLOSE_DOUBLE + STRAIGHT_DOUBLE + "’'")  # a closing mark, one or two characters ('' of wire style)
# Words that open a sentence and never follow an abbreviation inside one ("in the U.S. He said":
# a new sentence; "Sen. Jane Roe" and "U.S. Senate" stay one).
_SENTENCE_OPENERS = {"he", "she", "it", "they", "we", "i", "the", "but", "this", "that", "there", "his", "her",
                     "their", "its", "our", "a", "an", "in", "and", "so", "yet", "still", "now", "then"}


def _opens_sentence(text: str, at: int) -> bool:
    """The word at ``at`` opens a sentence whatever stands before it."""
    m = _WORD.match(text, at)
    return bool(m) and m.group().rstrip(".").lower() in _SENTENCE_OPENERS and m.group()[:1].isupper()


def abbreviation_before(text: str, dot: int, lo: int) -> bool:
    """The full stop at ``dot`` ends an abbreviation ("Mr.", "U.S.", an initial), not a sentence."""
    i = dot
    while i > lo and (text[i - 1].isalnum() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot]
    return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper()) or ("." in word and len(word) < 8)
