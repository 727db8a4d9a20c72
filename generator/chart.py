"""The timeline picture: who spoke when, drawn at build time as an SVG file.

One row per speaker (and one for the editors' events), one column per day, and within a day
the marks from left to right in the order the timeline page lists them. Each mark is a link to
its statement's permalink (``target="_top"``: the chart is shown in an ``<object>``, and a link
must open in the page, not inside the picture) with a ``<title>`` that names it, so the chart
works with a pointer, a keyboard and a screen reader; the page lists the same statements as
text next to it.

The XML is made by :mod:`xml.etree.ElementTree`, which escapes every text and attribute value;
characters XML cannot hold at all (control characters) are removed first. Nothing here runs in
the reader's browser: no script, no external font or service.
"""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG_NS = "http://www.w3.org/2000/svg"
MAX_ROWS = 15  # speakers drawn; the others (the least frequent) are named in the description
EVENTS_ROW = "Events"
# Characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

LABEL_WIDTH, HEAD, ROW, STEP, PAD, RADIUS = 210, 46, 30, 16, 14, 6


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (each becomes a space)."""
    return NOT_XML.sub(" ", text)


@dataclass(frozen=True)
class Mark:
    """One statement (or event) on the chart."""

    row: str  # the speaker's name, or EVENTS_ROW
    day: dt.date | None
    href: str  # the permalink, relative to the SVG file
    label: str  # what the mark is: its accessible name and tooltip
    ident: str  # the statement's or event's id (the permalink's fragment)


def _truncate(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _rows(marks: list[Mark]) -> tuple[list[str], list[str]]:
    """The rows drawn (events first, then speakers in order of first appearance) and those left out."""
    counts: dict[str, int] = {}
    for mark in marks:
        counts[mark.row] = counts.get(mark.row, 0) + 1
    speakers = [r for r in counts if r != EVENTS_ROW]
    kept = set(sorted(speakers, key=lambda r: (-counts[r], speakers.index(r)))[:MAX_ROWS])
    rows = ([EVENTS_ROW] if EVENTS_ROW in counts else []) + [r for r in speakers if r in kept]
    return rows, [r for r in speakers if r not in kept]


def timeline_svg(marks: list[Mark], title: str, description: str, day_label) -> tuple[str, int, int]:
    """The chart of ``marks`` (in the order the page lists them) as the text of an SVG file, with
    its width and height in pixels.

    ``day_label(day)`` names a day column ("10 July"); ``title`` and ``description`` are the
    chart's accessible name and description (plain text: escaped here).
    """
    rows, left_out = _rows(marks)
    drawn = [m for m in marks if m.row in rows]
    days: dict[dt.date | None, list[Mark]] = {}
    for mark in drawn:
        days.setdefault(mark.day, []).append(mark)
    widths = {day: 2 * PAD + max(1, len(items) - 1) * STEP for day, items in days.items()}
    width = LABEL_WIDTH + sum(widths.values()) + PAD
    height = HEAD + ROW * max(1, len(rows)) + PAD
    if left_out:
        description += f" Not drawn ({len(left_out)} speakers with fewer statements): {', '.join(left_out)}."
    svg = ET.Element("svg", {"xmlns": SVG_NS, "width": str(width), "height": str(height),
                             "viewBox": f"0 0 {width} {height}", "aria-labelledby": "chart-title chart-desc",
                             "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                             "font-size": "12"})
    ET.SubElement(svg, "title", {"id": "chart-title"}).text = xml_text(title)
    ET.SubElement(svg, "desc", {"id": "chart-desc"}).text = xml_text(description)
    ET.SubElement(svg, "rect", {"width": str(width), "height": str(height), "fill": "#ffffff"})
    y_of = {row: HEAD + ROW * i + ROW // 2 for i, row in enumerate(rows)}
    _draw_rows(svg, rows, y_of, width)
    x = LABEL_WIDTH
    for day, items in days.items():
        _draw_day(svg, x, widths[day], height, day_label(day), items, y_of)
        x += widths[day]
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(svg, encoding="unicode") + "\n", width, height


def _draw_rows(svg: ET.Element, rows: list[str], y_of: dict[str, int], width: int) -> None:
    """Each row's label, every other row shaded."""
    for i, row in enumerate(rows):
        y = y_of[row]
        if i % 2:
            ET.SubElement(svg, "rect", {"x": "0", "y": str(y - ROW // 2), "width": str(width), "height": str(ROW),
                                        "fill": "#f3f5f9"})
        label = ET.SubElement(svg, "text", {"x": str(LABEL_WIDTH - 10), "y": str(y + 4), "text-anchor": "end",
                                            "fill": "#202124", "font-style": "italic" if row == EVENTS_ROW else "normal"})
        label.text = xml_text(_truncate(row, 30))


def _draw_day(svg: ET.Element, x: int, width: int, height: int, label: str, items: list[Mark],
              y_of: dict[str, int]) -> None:
    """One day's column at ``x``: its heading, its rule and its marks, each a link to its statement."""
    head = ET.SubElement(svg, "text", {"x": str(x + width // 2), "y": "18", "text-anchor": "middle",
                                       "fill": "#202124", "font-weight": "bold"})
    head.text = xml_text(label)
    ET.SubElement(svg, "line", {"x1": str(x), "x2": str(x), "y1": "28", "y2": str(height - PAD // 2),
                                "stroke": "#c4c7cc"})
    for rank, mark in enumerate(items):
        cx, cy = x + PAD + rank * STEP, y_of[mark.row]
        link = ET.SubElement(svg, "a", {"href": mark.href, "target": "_top", "class": "mark", "data-id": mark.ident})
        ET.SubElement(link, "title").text = xml_text(mark.label)
        if mark.row == EVENTS_ROW:
            r = RADIUS + 1
            ET.SubElement(link, "path", {"d": f"M{cx} {cy - r}L{cx + r} {cy}L{cx} {cy + r}L{cx - r} {cy}Z",
                                         "fill": "#e8710a"})
        else:
            ET.SubElement(link, "circle", {"cx": str(cx), "cy": str(cy), "r": str(RADIUS), "fill": "#1a73e8",
                                           "stroke": "#ffffff", "stroke-width": "1.5"})
