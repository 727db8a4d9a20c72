"""The story's events: what happened between the statements, written by the editors.

``content/events.yaml`` is a list of events, each with a date, an optional time of day, a title,
a text and links (see :data:`generator.records.fields.EVENT`)::

    - date: 2020-07-10
      time: morning          # or "09:30" (in quotes: YAML reads 09:30 unquoted as a number)
      title: Amazon tells employees to delete TikTok
      text: An email from Amazon's IT department ...
      sources: [buzzfeed-amazon-tiktok-ban]   # articles of content/articles/ that report it
      links: ["https://www.example.com/report"]

The timeline shows each event among the statements of its day. Every problem is located like a
record's: file, line, column, field, hint.
"""
from __future__ import annotations

from generator.errors import FactsheetError, Problem
from generator.model import Event
from generator.records import fields, store, yamlio


def parse_events(text: str, path: str) -> tuple[list[Event], list[Problem]]:
    """The events of an events file's text, checked against the field table; every problem found."""
    bad_values: list[Problem] = []
    try:
        data, node = yamlio.load(text, path, bad_values)
    except FactsheetError as exc:
        return [], exc.problems
    if data is None:
        return [], bad_values
    if not isinstance(data, list):
        return [], [*bad_values, Problem(path, "expected a list of events", 1,
                                         hint="start each event with '- date: YYYY-MM-DD'")]
    events: list[Event] = []
    problems: list[Problem] = list(bad_values)
    seen: dict[str, int | None] = {}
    for i, raw in enumerate(data):
        line = yamlio.locate(node, i)[0]
        if not isinstance(raw, dict):
            problems.append(Problem(path, "expected an event (a mapping with date and title)", line,
                                    field=f"[{i}]", hint="write '- date: 2020-07-10' and 'title: ...' below it"))
            continue
        values = store.check_list_item(raw, fields.EVENT, path, node, i, problems)
        if values is None:
            continue
        event_id = values.get("id") or _default_id(values["date"].isoformat(), values["title"], seen)
        if event_id in seen:
            problems.append(Problem(path, f"duplicate id (first used on line {seen[event_id]})",
                                    *yamlio.key_mark(node, i, "id"), field="id",
                                    hint="give one of the events another id: ids are the events' links"))
            continue
        seen[event_id] = line
        events.append(Event(id=event_id, date=values["date"], title=values["title"], time=values.get("time"),
                            text=values.get("text"), links=values.get("links", ()), sources=values.get("sources", ()),
                            line=line))
    return events, problems


def _default_id(day: str, title: str, taken: dict[str, int | None]) -> str:
    """``e-<date>-<title words>``: an anchor that stays while the title does (set ``id`` to keep it for good)."""
    base = f"e-{day}-{fields.slugify(title)}"[:60].rstrip("-")
    event_id, n = base, 2
    while event_id in taken:
        event_id, n = f"{base}-{n}", n + 1
    return event_id


def check_sources(events: list[Event], article_ids: set[str], path: str) -> list[Problem]:
    """Each event's ``sources`` are articles of the content folder (what the file alone cannot say)."""
    return [Problem(path, f"no article with id '{source}'", event.line, field="sources",
                    hint="use the id of an article in content/articles/ (its file name without extension)")
            for event in events for source in event.sources if source not in article_ids]
