"""The story's chronology: a month's statements and the editors' events, day by day, in order,
and the marks of its chart (:mod:`generator.chart`).

Within a day, what has a time of day comes first, in time order (a part of the day counts from
its start: morning 06:00, afternoon 12:00, evening 18:00; an event before a statement of the
same time); then the events without a time, in the file's order; then the statements without
one, in the order their sources tell them (:func:`told_order`). Records carry a time only when
an editor gives one (``said_at``): the sources' order alone would put Amazon's walk-back before
the email it walks back, since news leads with the latest turn.
"""
from __future__ import annotations

import datetime as dt
import posixpath
from collections import defaultdict

from generator import chart
from generator.model import PARTS_OF_DAY, Event, Statement
from generator.options import SiteOptions

PART_STARTS = dict(zip(PARTS_OF_DAY, (6 * 60, 12 * 60, 18 * 60)))  # minutes after midnight


def minutes(time: str | None) -> int | None:
    """A time of day ("14:30", "morning") as minutes after midnight, for ordering; None without one."""
    if not time:
        return None
    if time in PART_STARTS:
        return PART_STARTS[time]
    hours, _, mins = time.partition(":")
    return int(hours) * 60 + int(mins)


def time_of_day(time: str | None) -> str:
    """A time of day as readers read it: "14:30", "in the morning"."""
    if not time:
        return ""
    return f"in the {time}" if time in PART_STARTS else time


def told_order(statement: Statement) -> tuple[dt.date, str, int]:
    """Where a statement comes in the story as its sources tell it: its earliest-published
    article first, then where in that article it stands."""
    return min(((s.article.published if s.article and s.article.published else dt.date.max),
                s.record.citation.article, s.record.citation.start) for s in statement.sources)


def _key(kind: str, item: Statement | Event, position: object) -> tuple[object, ...]:
    at = minutes(item.time if kind == "event" else item.said_at)
    return (0 if at is not None else 1, at or 0, 0 if kind == "event" else 1, position)


def chronology(statements: list[Statement], events: list[Event] = ()
               ) -> list[tuple[dt.date | None, list[tuple[str, Statement | Event]]]]:
    """The days of ``statements`` and ``events``, earliest first, each with its items in order
    as ``("statement", s)`` or ``("event", e)`` (see the module's docstring)."""
    keyed = [(s.said_on, _key("statement", s, (told_order(s), s.id)), "statement", s) for s in statements]
    keyed += [(e.date, _key("event", e, i), "event", e) for i, e in enumerate(events)]
    days: dict[dt.date | None, list[tuple[str, Statement | Event]]] = defaultdict(list)
    for day, _, kind, item in sorted(keyed, key=lambda k: (k[0] or dt.date.min, k[1])):
        days[day].append((kind, item))
    return list(days.items())


def link(target: str, folder: str, options: SiteOptions, fragment: str = "") -> str:
    """A link from a file in the site's ``folder`` to the generated page ``target`` (a docs path)."""
    path = options.page_path(target) if target.endswith(".md") else target
    rel = posixpath.relpath(path.rstrip("/") or ".", folder or ".")
    if path.endswith("/") and rel != ".":
        rel += "/"
    elif rel == ".":
        rel = "./"
    return rel + (f"#{fragment}" if fragment else "")


def permalink_page(statement: Statement) -> str:
    """The page that holds a statement in full: its speaker's, else its first source's."""
    return f"speakers/{statement.speaker_slug}.md" if statement.speaker_slug \
        else f"sources/{statement.sources[0].record.citation.article}.md"


def _words(statement: Statement, size: int = 120) -> str:
    quote = statement.quote if len(statement.quote) <= size else statement.quote[:size - 1].rstrip() + "…"
    return f"“{quote}”" if statement.quoted else f"{statement.reported_verb} {quote}"


def chart_file(month: str) -> str:
    """The chart of a month page, beside it: ``timeline/<month>.svg``."""
    return f"timeline/{month}.svg"


def month_chart(month: str, label: str, days, options: SiteOptions, format_day) -> dict[str, object]:
    """The chart of one month page: the SVG's text, its size and its address from the page."""
    page, svg_file = f"timeline/{month}.md", chart_file(month)
    folder = posixpath.dirname(svg_file)
    marks = []
    for day, items in days:
        shown = format_day(day) if day else "date unknown"
        for kind, item in items:
            if kind == "event":
                when = f", {time_of_day(item.time)}" if item.time else ""
                marks.append(chart.Mark(chart.EVENTS_ROW, day, link(page, folder, options, item.id),
                                        f"Event, {shown}{when}: {item.title}", item.id))
            else:
                who = item.speaker or "Unattributed"
                marks.append(chart.Mark(who, day, link(permalink_page(item), folder, options, item.id),
                                        f"{who}, {shown}: {_words(item)}", item.id))
    statements = sum(1 for m in marks if m.row != chart.EVENTS_ROW)
    speakers = len({m.row for m in marks if m.row != chart.EVENTS_ROW})
    events = len(marks) - statements
    description = (f"{statements} statement{'s' if statements != 1 else ''} by {speakers} speaker"
                   f"{'s' if speakers != 1 else ''}" + (f" and {events} event{'s' if events != 1 else ''}" if events
                                                       else "") +
                   f" on {len(days)} day{'s' if len(days) != 1 else ''}: one row per speaker, one column per day, "
                   "each mark a link to its statement, in the order the page lists them.")
    svg, width, height = chart.timeline_svg(marks, f"Who spoke when, {label}", description,
                                            lambda d: f"{d.day} {d.strftime('%b')}" if d else "Date unknown")
    where = options.page_path(page)  # the page's own folder in the site: timeline/2020-07/ or timeline/
    page_folder = where.rstrip("/") if where.endswith("/") else posixpath.dirname(where)
    return {"svg": svg, "width": width, "height": height, "events": bool(events),
            "url": link(svg_file, page_folder, options)}
