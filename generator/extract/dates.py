"""When a statement was made: date expressions in its attribution, read against publication.

Vague expressions give a coarser precision, never the publication day: "last week", "earlier
this week" and "days ago" a week (the date is a day of that week), "earlier this month" a month,
"last year" a year.

Only the words around the statement (speaker, cue, adjuncts) are searched, never the statement
itself: "remove it by 10-Jul" inside a quote is not when it was said.
"""
from __future__ import annotations

import datetime as dt
import re

from generator.model import SaidOn

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_MONTH_RE = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
             r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_PATTERNS = [
    ("month_day", re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("day_month", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("weekday", re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)),
    ("today", re.compile(r"\b(today|this (?:morning|afternoon|evening)|tonight|earlier today)\b", re.I)),
    ("yesterday", re.compile(r"\b(yesterday|last night)\b", re.I)),
    ("last_week", re.compile(r"\b(last week|earlier this week|this week)\b", re.I)),
    ("last_month", re.compile(r"\b(last month|earlier this month)\b", re.I)),
    # "a few days ago", "just days after X said", "days earlier": within the week before publication
    ("days", re.compile(r"\b((?:a few|several|two|three|four|five|six|just|only) days (?:ago|after|before|earlier)"
                        r"|days (?:ago|earlier)|days after|days before)\b", re.I)),
    ("year", re.compile(r"\b(last year|earlier this year|this year)\b", re.I)),
]


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    for i, full in enumerate(MONTHS):
        if full.startswith(name[:3]):
            return i + 1
    raise ValueError(name)


def _with_year(month: int, day: int, year: str | None, published: dt.date) -> dt.date | None:
    """An explicit date; without a year, the latest such date on or before publication."""
    try:
        if year:
            return dt.date(int(year), month, day)
        guess = dt.date(published.year, month, day)
        return guess if guess <= published else dt.date(published.year - 1, month, day)
    except ValueError:
        return None


def find_date(text: str, published: dt.date | None) -> SaidOn | None:
    """The first date expression in ``text`` resolved against ``published`` (None if none)."""
    if published is None:
        return None
    best: tuple[int, SaidOn] | None = None
    for kind, pattern in _PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        said = _resolve(kind, m, published)
        if said is not None and (best is None or m.start() < best[0]):
            best = (m.start(), said)
    return best[1] if best else None


def _resolve(kind: str, m: re.Match, published: dt.date) -> SaidOn | None:
    if kind == "month_day":
        date = _with_year(_month(m.group(1)), int(m.group(2)), m.group(3), published)
        return SaidOn(date) if date else None
    if kind == "day_month":
        date = _with_year(_month(m.group(2)), int(m.group(1)), m.group(3), published)
        return SaidOn(date) if date else None
    if kind == "weekday":
        back = (published.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7
        return SaidOn(published - dt.timedelta(days=back))
    if kind == "today":
        return SaidOn(published)
    if kind == "yesterday":
        return SaidOn(published - dt.timedelta(days=1))
    if kind == "last_week":
        if m.group(1).lower() == "last week":
            return SaidOn(published - dt.timedelta(days=7), precision="week")
        # "earlier this week": the week publication falls in, from its Monday (not the day itself)
        return SaidOn(published - dt.timedelta(days=published.weekday()), precision="week")
    if kind == "days":
        return SaidOn(published - dt.timedelta(days=7), precision="week")
    if kind == "year":
        year = published.year - 1 if m.group(1).lower() == "last year" else published.year
        return SaidOn(dt.date(year, 1, 1), precision="year")
    if kind == "last_month":
        first = published.replace(day=1)
        date = first - dt.timedelta(days=1) if m.group(1).lower() == "last month" else first
        return SaidOn(date.replace(day=1), precision="month")
    return None
