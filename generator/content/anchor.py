"""Re-anchoring: the editors' records of an article that an outlet corrected.

A reviewed or hand-added record belongs to the editors and is never replaced by the extractor,
but its citation is where the words were in the old text. When the article changes, `factsheet
extract` looks for the record's words in the new text: found exactly once, the citation's
offsets and excerpt are moved there (never the quote, never another field); absent or found more
than once, the record is left as it is and the editor is told what fixes it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from generator.errors import Problem
from generator.model import Article
from generator.records import store

VERBATIM_KINDS = ("direct", "partial")  # the kinds whose case is the source's (content checks them so)
# The build's quote check, quote_in_text(quote, text, verbatim) of generator.content, which passes it in.
QuoteCheck = Callable[[str, str, bool], bool]

_WORD = re.compile(r"\w+")
WINDOW = 3  # a match may span up to this many times the quote's length (a split quote's attribution)


@dataclass(frozen=True)
class Anchoring:
    """What became of one editor's record: moved to ``span``, or a problem that says what to do."""

    record: str
    span: tuple[int, int] | None = None
    problem: Problem | None = None


def locate(quote: str, text: str, verbatim: bool, quote_in_text: QuoteCheck) -> list[tuple[int, int]]:
    """Every place ``(start, end)`` where ``quote`` occurs in ``text`` as the build's quote check
    accepts it (its words side by side, split-quote gaps, an editor's ellipses), tightest first
    and not overlapping one another."""
    words = _WORD.findall(quote)
    if not words:
        return []
    first = re.compile(r"(?<!\w)" + re.escape(words[0]) + r"(?!\w)", re.I)
    last = re.compile(r"(?<!\w)" + re.escape(words[-1]) + r"(?!\w)", re.I)
    stripped = quote.strip()
    head = len(stripped[: stripped.find(words[0])])  # punctuation before the first word: "(", "'"
    found: list[tuple[int, int]] = []
    limit = WINDOW * len(quote) + 200
    for m in first.finditer(text):
        if found and m.start() < found[-1][1]:
            continue
        for start in dict.fromkeys((max(0, m.start() - head), m.start())):
            span = _shortest(quote, text, start, m.start(), limit, last, verbatim, quote_in_text)
            if span is not None:
                found.append(_tightened(span, quote, text, first, head, verbatim, quote_in_text))
                break
    return found


def _tightened(span: tuple[int, int], quote: str, text: str, first: re.Pattern, head: int, verbatim: bool,
               quote_in_text) -> tuple[int, int]:
    """``span`` started at the last occurrence of the quote's first word that still holds the quote
    ("the" of "The vote was close" is not where "the budget is balanced" starts)."""
    start, end = span
    for m in first.finditer(text, start + 1, end):
        for later in dict.fromkeys((max(0, m.start() - head), m.start())):
            if later > start and quote_in_text(quote, text[later:end], verbatim):
                start = later
                break
    return start, end


def _shortest(quote: str, text: str, start: int, word_start: int, limit: int, last: re.Pattern, verbatim: bool,
              quote_in_text) -> tuple[int, int] | None:
    """The shortest span from ``start`` that holds the quote, ending just after its last word or
    the punctuation right after it; None within ``limit`` characters."""
    for m in last.finditer(text, word_start, min(len(text), start + limit)):
        tail = m.end()
        while tail < len(text) and not text[tail].isspace() and not text[tail].isalnum():
            tail += 1
        for end in range(m.end(), tail + 1):
            if quote_in_text(quote, text[start:end], verbatim):
                return start, end
    return None


def anchor_record(path: str, line: int | None, record_id: str, quote: str, verbatim: bool,
                  article: Article, quote_in_text: QuoteCheck) -> Anchoring:
    """Where an editor's record whose citation no longer holds its words belongs in the new text."""
    spans = locate(quote, article.text, verbatim, quote_in_text)
    if len(spans) == 1:
        return Anchoring(record_id, spans[0])
    if not spans:
        return Anchoring(record_id, problem=Problem(
            path, f"{record_id}: the corrected article {article.path} no longer has this record's words", line,
            field="quote", severity="warning",
            hint="edit the quote to the article's new words and set citation start and end to them, "
                 "or set status: rejected"))
    places = ", ".join(f"{s}..{e}" for s, e in spans)
    return Anchoring(record_id, problem=Problem(
        path, f"{record_id}: the corrected article {article.path} has this record's words {len(spans)} times "
              f"(at {places}); the record was left where it was", line, field="citation", severity="warning",
        hint="set citation start and end to the occurrence meant, or delete the record and run "
             f"`factsheet add-statement {article.id} \"...\" --speaker NAME --occurrence N`"))


def reanchor(article: Article, doc: object, report, path: str, lines: dict[str, int | None],
             quote_in_text: QuoteCheck, excerpt_in: Callable[[str, str], bool]
             ) -> tuple[list[Problem], dict[str, tuple[int, int]]]:
    """Move the editors' records of a re-extracted fact file (its round-trip ``doc``) whose citation
    no longer holds their words, or whose excerpt is no longer the article's; ``report`` lists the
    moved ones as ``reanchored`` (no longer ``kept``). Returns what could not be moved, as warnings
    (``lines``: each record's line in the file, for them), and where each moved record went.
    ``quote_in_text`` and ``excerpt_in`` are the build's checks (generator.content's)."""
    problems: list[Problem] = []
    moves: dict[str, tuple[int, int]] = {}
    text = article.text
    for rec in doc.get("statements") or [] if isinstance(doc, dict) else []:
        if not isinstance(rec, dict) or store.machine_owned(rec) or rec.get("status") == "rejected":
            continue
        cit, quote, record_id = rec.get("citation"), rec.get("quote"), rec.get("id")
        if not isinstance(cit, dict) or not isinstance(quote, str) or not isinstance(record_id, str):
            continue
        start, end, excerpt = cit.get("start"), cit.get("end"), cit.get("excerpt")
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        verbatim = rec.get("kind") in VERBATIM_KINDS
        holds = 0 <= start <= end <= len(text) and quote_in_text(quote, text[start:end], verbatim)
        if holds and (not excerpt or excerpt_in(str(excerpt), text)):
            continue
        span = (start, end)
        if not holds:
            found = anchor_record(path, lines.get(record_id), record_id, quote, verbatim, article, quote_in_text)
            if found.problem is not None:
                problems.append(found.problem)
                continue
            span = found.span
        cit["start"], cit["end"] = span
        if excerpt:
            cit["excerpt"] = store.excerpt(article, *span)
        if record_id in report.kept:
            report.kept.remove(record_id)
        report.reanchored.append(record_id)
        moves[record_id] = span
    return problems, moves


def unmoved(path: str, lines: dict[str, int | None], moves: dict[str, tuple[int, int]], report) -> list[Problem]:
    """Warnings for the records the writer would not move after all (an anchor, an alias or a
    merge key in them: the editor's YAML, never rewritten), with the offsets to set by hand."""
    return [Problem(path, f"{record_id}: its words are now at {start}..{end}, but the record holds an anchor, an "
                          "alias or a merge key, which the program never rewrites", lines.get(record_id),
                    field="citation", severity="warning", hint=f"set citation start: {start} and end: {end} by hand")
            for record_id, (start, end) in moves.items() if record_id not in report.reanchored]
