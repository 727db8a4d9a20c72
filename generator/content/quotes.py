"""Provenance: whether a record's words are its article's words (checked at every build).

Each quoted segment must occur contiguously, normalising only quote-mark styles, whitespace and
case where the kind of statement allows it; only the gap between the parts of a split quote may
hold other text, and an editor's ellipsis is an explicit gap. A mismatch names the first word
that differs.
"""
from __future__ import annotations

import functools
import re

from generator import wording
from generator.content import anchor


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches in a str pattern


_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")


# Between the parts of a split quote ("A," she said, "B."), stored joined by a space, the article
# has a closing mark, the attribution and an opening mark; nothing else may stand between words.
# A paragraph that reopens an unclosed quote has one mark there.
_SPLIT_GAP = re.compile(r"\s*[\"'](?:[^\"]*[\"'])?\s*")


# A mixed or indirect statement may also join a paraphrase to a quoted part (A, he said, "B"):
# then the gap holds a mark and text on either side of it.
_LOOSE_GAP = re.compile(r"[^\"]*[\"'](?:[^\"]*[\"']?)?[^\"]*")


VERBATIM_KINDS = anchor.VERBATIM_KINDS


def _quote_parts(quote: str, verbatim: bool) -> list[list[str]]:
    """A quote's words, normalised, in the parts an editor's ellipsis separates (none without words)."""
    parts = [p.strip(" ") for p in _ELLIPSIS.split(wording.normal(quote, verbatim).strip(" \"'"))]
    parts = [p for p in parts if p]
    return [p.split(" ") for p in parts] if any(map(_is_word_char, "".join(parts))) else []


def _find_piece(piece: str, text: str, start: int, gap_from: int, gap: re.Pattern | None) -> int:
    """Where ``piece`` occurs in ``text`` from ``start`` on word boundaries (and, with ``gap``, after
    a gap from ``gap_from`` that the pattern accepts); -1 when it does not."""
    at = text.find(piece, start)
    while at >= 0:
        end = at + len(piece)
        if not (at > 0 and _is_word_char(text[at - 1]) and _is_word_char(piece[0])) and \
                not (end < len(text) and _is_word_char(text[end]) and _is_word_char(piece[-1])) and \
                (gap is None or gap.fullmatch(text, gap_from, at)):
            return at
        at = text.find(piece, at + 1)
    return -1


def _match_end(parts: list[list[str]], text: str, verbatim: bool) -> int:
    """The end of the first place in ``text`` (normalised) where the quote's parts occur, or -1.

    Each part is found as runs of its words: a run as long as possible, then the next run after a
    split quote's gap. A part after an ellipsis may begin anywhere after the one before.
    """
    gap = _SPLIT_GAP if verbatim else _LOOSE_GAP
    pos = 0
    for part in parts:
        i, run_end = 0, None
        while i < len(part):
            for n in range(len(part) - i, 0, -1):
                piece = " ".join(part[i:i + n])
                at = _find_piece(piece, text, pos, pos, gap if run_end is not None else None)
                if at >= 0:
                    break
            else:
                return -1
            i, pos = i + n, at + len(piece)
            run_end = pos
    return pos


def slow_match(quote: str, text: str, verbatim: bool) -> bool:
    """quote_in_text's answer without its fast path."""
    parts, haystack = _quote_parts(quote, verbatim), wording.normal(text, verbatim)
    if not parts:
        return False
    if _match_end(parts, haystack, verbatim) >= 0:
        return True
    first = parts[0][0]
    if verbatim and first[0].isalpha():  # "We" may open a quote of "... we": only the first letter
        other = first[0].swapcase() + first[1:]
        return _match_end([[other, *parts[0][1:]], *parts[1:]], haystack, verbatim) >= 0
    return False


def quote_in_text(quote: str, text: str, verbatim: bool = False) -> bool:
    """True when the quote occurs in ``text``: its words contiguous, on word boundaries.

    Quote-mark styles and whitespace are normalised, and case is ignored unless ``verbatim``
    (the direct and partial kinds: then only the first letter may differ). Only the parts of a
    split quote ("A," she said, "B.", stored joined by a space) may have other text between them,
    framed by quote marks, and only an ellipsis the editor wrote (``...``, ``…``) stands for
    omitted words.
    """
    # Most quotes are their span's own text: found whole, on word boundaries, they need no more.
    folded, haystack = (quote, text) if verbatim else (quote.casefold(), text.casefold())
    at = haystack.find(folded)
    if at >= 0 and folded and any(map(_is_word_char, folded)):
        end = at + len(folded)
        if not (at > 0 and _is_word_char(haystack[at - 1]) and _is_word_char(folded[0])) and \
                not (end < len(haystack) and _is_word_char(haystack[end]) and _is_word_char(folded[-1])):
            return True
    return slow_match(quote, text, verbatim)


_TOKEN = re.compile(r"\w+(?:'\w+)*|[^\w\s\"']")


def quote_difference(quote: str, text: str, verbatim: bool = False) -> str:
    """Where a quote first departs from ``text``, in words: for the message of a failed check.

    The longest run of the quote's first words that :func:`quote_in_text` would accept is found;
    the word after it is the first that differs (only called for a quote that failed).
    """
    words = [w for part in _quote_parts(quote, verbatim) for w in part]
    haystack = wording.normal(text, verbatim)
    if not words:
        return "the quote has no words"
    found = None
    for n in range(1, len(words) + 1):
        end = _match_end([words[:n]], haystack, verbatim)
        if end < 0 and verbatim and words[0][:1].isalpha():
            end = _match_end([[words[0][0].swapcase() + words[0][1:], *words[1:n]]], haystack, verbatim)
        if end < 0:
            break
        found = (n, end)
    if found is None:
        first = _TOKEN.findall(words[0]) or [words[0]]
        return f"'{first[0]}' is not in the cited text"
    n, end = found
    if n >= len(words):
        return "the words match, but not in the order the ellipses allow"
    wanted = (_TOKEN.findall(words[n]) or [words[n]])[0]
    have = _TOKEN.findall(haystack[end:])
    after = _TOKEN.findall(words[n - 1])
    where = f" (after '{after[-1]}')" if after else ""
    if not have:
        return f"the cited text ends before '{wanted}'{where}"
    return f"the quote has '{wanted}' where the article has '{have[0]}'{where}"


def excerpt_in(excerpt: str, text: str) -> bool:
    """True when an excerpt is the article's text (ellipses where the writer cut it, spaces folded)."""
    haystack = _squashed(text)
    return all(" ".join(part.split()) in haystack for part in re.split(r"\s*(?:…|\.\.\.)\s*", excerpt) if part.strip())


@functools.lru_cache(maxsize=16)
def _squashed(text: str) -> str:
    """An article's text with its whitespace folded, once per article (not once per record)."""
    return " ".join(text.split())


def words_pattern(words: str) -> re.Pattern:
    """The words as typed, matched exactly except for whitespace and quote-mark styles, on word boundaries."""
    parts = []
    for char in wording.normal(words.strip(), True):
        parts.append(r"\s+" if char == " " else wording.MARK_CLASS.get(char) or re.escape(char))
    head = r"(?<!\w)" if _is_word_char(words.strip()[:1]) else ""
    tail = r"(?!\w)" if _is_word_char(words.strip()[-1:]) else ""
    return re.compile(head + "".join(parts) + tail)
