"""When a statement was made: date expressions in its attribution, read against publication.

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
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a few": 3, "several": 3}
_NUMBER = r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten"
_PATTERNS = [
    ("month_day", re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("day_month", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("weekday", re.compile(r"\b(last\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)),
    # "three days ago", "two weeks ago", "a month ago": counted back from publication.
    ("ago", re.compile(rf"\b({_NUMBER}|a|an|a few|several|a couple of)\s+(day|week|month|year)s?\s+ago\b",
                       re.I)),
    ("today", re.compile(r"\b(today|this (?:morning|afternoon|evening)|tonight|earlier today)\b", re.I)),
    ("yesterday", re.compile(r"\b(yesterday|last night)\b", re.I)),
    ("last_week", re.compile(r"\b(last week|earlier this week|this week)\b", re.I)),
    ("last_month", re.compile(r"\b(last month|earlier this month)\b", re.I)),
    ("last_year", re.compile(r"\b(last year|earlier this year|this year)\b", re.I)),
    # No day at all: "just days after ...", "recently", "in recent days": some time in the week before
    # publication, a guess (marked inferred). "Two weeks before the vote" counts from the vote: not here.
    ("recent", re.compile(r"\b(just days (?:after|ago)|days (?:after|ago)|recently|"
                          r"in recent (?:days|weeks)|in the past (?:few )?days|the other day)\b", re.I)),
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
        back = (published.weekday() - WEEKDAYS.index(m.group(2).lower())) % 7
        if m.group(1) and back == 0:  # "last Tuesday" in Tuesday's paper is a week back
            back = 7
        return SaidOn(published - dt.timedelta(days=back))
    if kind == "ago":
        return _ago(m.group(1).lower(), m.group(2).lower(), published)
    if kind == "today":
        return SaidOn(published)
    if kind == "yesterday":
        return SaidOn(published - dt.timedelta(days=1))
    if kind == "last_week":
        back = 7 if m.group(1).lower() == "last week" else 0
        return SaidOn(published - dt.timedelta(days=back), precision="week")
    if kind == "last_month":
        first = published.replace(day=1)
        date = first - dt.timedelta(days=1) if m.group(1).lower() == "last month" else first
        return SaidOn(date.replace(day=1), precision="month")
    if kind == "last_year":
        year = published.year - 1 if m.group(1).lower() == "last year" else published.year
        return SaidOn(dt.date(year, 1, 1), precision="year")
    if kind == "recent":  # a range that ends at publication, never the publication day itself
        return SaidOn(published - dt.timedelta(days=7), precision="week", inferred=True)
    return None


def _ago(count: str, unit: str, published: dt.date) -> SaidOn | None:
    """ "three days ago" as a day, "two weeks ago" as a week, "a month ago" as a month, "a year ago" as a year.
    A vague count ("a few", "several") keeps only the unit's precision."""
    n = int(count) if count.isdigit() else _NUMBERS[count]
    exact = count not in ("a few", "several", "a couple of")
    if unit == "day":
        date = published - dt.timedelta(days=n)
        return SaidOn(date) if exact else SaidOn(published - dt.timedelta(days=7), precision="week")
    if unit == "week":
        return SaidOn(published - dt.timedelta(days=7 * n), precision="week")
    if unit == "month":
        month = published.month - n
        year = published.year + (month - 1) // 12
        return SaidOn(dt.date(year, (month - 1) % 12 + 1, 1), precision="month")
    return SaidOn(dt.date(published.year - n, 1, 1), precision="year")
