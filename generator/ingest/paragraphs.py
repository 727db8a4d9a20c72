"""Paragraphs: ranges of an article's text, with hard wraps joined and publisher boilerplate
(``lexicons/boilerplate.yaml``) removed, offsets always into the text as read."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import yaml

from generator.model import Paragraph

LINE = re.compile(r"[^\r\n]*")

_SENTENCE_END = re.compile(r"[.!?…]['\"’”)\]]*\s*$")


@lru_cache(maxsize=1)


def boilerplate_rules() -> tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...]:
    """The boilerplate table from ``lexicons/boilerplate.yaml``, compiled."""
    raw = resources.files("generator.lexicons").joinpath("boilerplate.yaml").read_text("utf-8")
    rules = []
    for entry in yaml.safe_load(raw):
        end = re.compile(entry["end"], re.I | re.M) if entry.get("end") else None
        rules.append((re.compile(entry["start"], re.I | re.M), end))
    return tuple(rules)


def _blank(ch: str) -> bool:
    """White space, or an invisible format character ("\u202a" before a pasted quotation, a BOM)."""
    return ch.isspace() or unicodedata.category(ch) == "Cf"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and _blank(text[start]):
        start += 1
    while end > start and _blank(text[end - 1]):
        end -= 1
    return start, end


def drop_boilerplate(text: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Remove publisher boilerplate from paragraph ranges, keeping offsets into ``text``.

    A rule with an ``end`` pattern drops everything from its start to the end match, across
    paragraphs (a donation appeal is several paragraphs and may run into the article's first).
    """
    kept: list[tuple[int, int]] = []
    skipping: re.Pattern[str] | None = None
    for start, end in blocks:
        if skipping is not None:
            found = skipping.search(text, start, end)
            if not found:
                continue
            start, skipping = found.end(), None
        for begin, finish in boilerplate_rules():
            found = begin.search(text, start, end)
            if not found or text[start:found.start()].strip():
                continue
            if finish is None:
                start = end
                break
            closing = finish.search(text, found.end(), end)
            if closing:
                start = closing.end()
            else:
                start, skipping = end, finish
                break
        start, end = _trim(text, start, end)
        if end > start:
            kept.append((start, end))
    return kept


def _looks_wrapped(line: str, next_line: str) -> bool:
    """True when a line break is a hard wrap inside a paragraph, not a paragraph break."""
    return (len(line) < 90 and bool(next_line) and not _SENTENCE_END.search(line)
            and next_line[:1].islower())


def text_blocks(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Paragraph ranges of plain text: blank lines and line breaks end paragraphs, hard wraps do not."""
    end = len(text) if end is None else end
    blocks: list[tuple[int, int]] = []
    lines = [(m.start(), m.end()) for m in LINE.finditer(text, start, end)]
    current: tuple[int, int] | None = None
    for i, (a, b) in enumerate(lines):
        if a == b and i and lines[i - 1][1] == a:  # the empty match right after a line
            continue
        if not text[a:b].strip():
            if current:
                blocks.append(current)
            current = None
            continue
        if current and _looks_wrapped(text[current[0]:current[1]].rsplit("\n", 1)[-1], text[a:b].lstrip()):
            current = (current[0], b)
            continue
        if current:
            blocks.append(current)
        current = (a, b)
    if current:
        blocks.append(current)
    return [r for r in (_trim(text, a, b) for a, b in blocks) if r[1] > r[0]]


def make_paragraphs(text: str, blocks: list[tuple[int, int]]) -> tuple[Paragraph, ...]:
    """Paragraphs for the given ranges, with boilerplate removed."""
    return tuple(Paragraph(a, b, text[a:b]) for a, b in drop_boilerplate(text, blocks))
