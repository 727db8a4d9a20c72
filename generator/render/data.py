"""The data downloads (``facts.json``, ``facts.csv`` and the JSON Schema of ``facts.json``) and the
Atom feed: every published statement, one row per citation, for others to reuse."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import operator
import os

from generator import chart
from generator.cache import RenderCache, replaced_in_place
from generator.merge import page_slug
from generator.model import Statement
from generator.options import SiteOptions
from generator.render.markup import format_day, safe_url
from generator.render.site import Site

_COLUMNS = ["statement", "record", "speaker", "quote", "kind", "said_on", "venue", "article", "outlet", "title",
            "url", "published", "start", "end", "status", "verdict", "rating",
            # Added for reuse (issue 15); new columns go at the end, so that scripts reading by position keep working.
            "said_on_precision", "said_on_inferred", "speaker_role", "speaker_org", "note", "reviewed_by",
            "reviewed_on", "excerpt", "permalink", "said_at"]


_INTEGER_COLUMNS = {"start", "end"}


_BOOLEAN_COLUMNS = {"said_on_inferred"}


_DATE_COLUMNS = {"said_on", "published", "reviewed_on"}


_REQUIRED_COLUMNS = ["statement", "record", "quote", "kind", "article", "start", "end", "status", "permalink"]


def data_schema() -> str:
    """The JSON Schema of ``facts.json`` (published beside it as ``facts.schema.json``)."""
    def column(name: str) -> dict[str, object]:
        if name in _INTEGER_COLUMNS:
            return {"type": "integer", "minimum": 0}
        if name in _BOOLEAN_COLUMNS:
            return {"type": "boolean"}
        kind: dict[str, object] = {"type": ["string", "null"] if name not in _REQUIRED_COLUMNS else "string"}
        if name in _DATE_COLUMNS:
            kind["format"] = "date"
        return kind

    rows = {"type": "object", "additionalProperties": False, "required": _REQUIRED_COLUMNS,
            "properties": {name: column(name) for name in _COLUMNS}}
    rows["properties"]["kind"] = {"enum": ["direct", "partial", "mixed", "indirect"]}
    rows["properties"]["said_on_precision"] = {"enum": ["day", "week", "month", "year"]}
    named = {"type": ["object", "null"], "additionalProperties": False, "required": ["name", "url"],
             "properties": {"name": {"type": "string"}, "url": {"type": ["string", "null"], "format": "uri"}}}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "facts.json",
        "description": "Every published statement of the fact sheet, one row per citation, with the day the file "
                       "was made and the licence it is published under; the columns are described on the site's "
                       "data page.",
        "type": "object", "additionalProperties": False, "required": ["generated", "licence", "publisher", "rows"],
        "properties": {
            "generated": {"type": "string", "format": "date", "description": "The day the file was made (UTC)."},
            "licence": {**named, "description": "The licence the newsroom publishes the data under (null: none set)."},
            "publisher": {**named, "description": "The newsroom that publishes the fact sheet."},
            "rows": {"type": "array", "items": rows},
        },
    }
    return json.dumps(schema, indent=1) + "\n"


def _permalink(statement: Statement, options: SiteOptions) -> str:
    """A statement's permalink: absolute with a site URL, else the page path from the site's root."""
    page = f"speakers/{statement.speaker_slug}.md" if statement.speaker_slug \
        else f"sources/{statement.sources[0].record.citation.article}.md"
    url = options.page_url(page, statement.id)
    if url:
        return url
    return SiteOptions(site_url="https://x", directory_urls=options.directory_urls).page_url(page, statement.id)[len("https://x/"):]


def _statement_rows(statement: Statement, options: SiteOptions | None = None) -> list[dict[str, object]]:
    permalink = _permalink(statement, options or SiteOptions())
    rows = []
    for source in statement.sources:
        article = source.article
        rows.append({
            "statement": statement.id, "record": source.record.id, "speaker": source.speaker or statement.speaker, "quote": source.record.quote,
            "kind": source.record.kind, "said_on": statement.said_on.isoformat() if statement.said_on else None,
            "venue": statement.venue, "article": source.record.citation.article,
            "outlet": article.outlet if article else None, "title": article.title if article else None,
            "url": safe_url(article.url) if article else None,
            "published": article.published.isoformat() if article and article.published else None,
            "start": source.record.citation.start, "end": source.record.citation.end,
            "status": source.record.status, "verdict": statement.verdict, "rating": statement.rating,
            "said_on_precision": statement.said_on_precision, "said_on_inferred": statement.said_on_inferred,
            "speaker_role": statement.speaker_role, "speaker_org": statement.speaker_org, "note": statement.note,
            "reviewed_by": statement.reviewed_by,
            "reviewed_on": statement.reviewed_on.isoformat() if statement.reviewed_on else None,
            "excerpt": source.record.citation.excerpt, "permalink": permalink, "said_at": statement.said_at,
        })
    return rows


def _csv_cells(row: dict[str, object]) -> list[object]:
    # A cell starting with = + - @ is a formula in spreadsheets: prefix it so it stays text.
    return ["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v for v in row.values()]


class Chunks(tuple):
    """A large file's content as UTF-8 pieces, in order: what :func:`data_files` and
    :func:`atom_feed` give under the serve cache, where each statement's piece is kept from one
    render to the next and the file is written piece by piece. One string of its 70,000 pieces
    (80 MB at 10,000 articles), made and encoded again after each edit, was most of an edit's
    render there. Two are equal when their pieces are (the same kept objects: compared at once)."""

    __slots__ = ()

    def text(self) -> str:
        """The whole content as one string."""
        return b"".join(self).decode("utf-8")


def _joined(head, parts: list, separator, tail, chunked: bool):
    """``head + separator.join(parts) + tail``, or the same as :class:`Chunks` of bytes."""
    if not chunked:
        return head + separator.join(parts) + tail
    pieces = [head]
    for i, part in enumerate(parts):
        if i:
            pieces.append(separator)
        pieces.append(part)
    pieces.append(tail)
    return Chunks(pieces)


def data_files(site: Site, cache: RenderCache | None = None) -> dict[str, str | Chunks]:
    """``facts.json`` and ``facts.csv``: every published record, one row per citation.

    Each statement's rows are made as text; with ``cache`` (``mkdocs serve``) they are kept for
    the next call, which makes only the rows of statements that are new objects (records and
    articles are frozen, and so are the statements made of them), and the two files come as
    :class:`Chunks` of those rows.
    """
    chunked = cache is not None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")  # every row has the columns, in this order
    # One row per line, each encoded by json's C encoder (``indent`` would use the slow pure-Python one);
    # one encoder for all (json.dumps makes a new one per call when given options).
    encode = json.JSONEncoder(ensure_ascii=False).encode

    def rows_of(statement: Statement) -> tuple[Statement, str | bytes, str | bytes]:
        rows = _statement_rows(statement, site.options)
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_cells(row) for row in rows])
        json_text, csv_text = ",\n".join(map(encode, rows)), buffer.getvalue()
        return (statement, json_text.encode(), csv_text.encode()) if chunked else (statement, json_text, csv_text)

    options = site.options
    head = encode({"generated": generated_on().isoformat(),
                   "licence": {"name": options.licence, "url": options.licence_url} if options.licence else None,
                   "publisher": {"name": options.publisher, "url": options.publisher_url} if options.publisher
                   else None})[:-1] + ',\n"rows": '
    patched = _patched_rows(site, cache, rows_of, head) if chunked else None
    if patched is not None:
        return patched
    kept = cache.rows if chunked and cache.options == site.options else {}
    fresh: dict[int, tuple[Statement, str | bytes, str | bytes]] = {}
    json_parts, csv_parts, slots = [], [], []
    for statement in site.statements:
        hit = kept.get(id(statement))
        if hit is None or hit[0] is not statement:
            hit = rows_of(statement)
        fresh[id(statement)] = hit
        slots.append(1 + 2 * len(json_parts) if hit[1] else -1)  # where its rows are in the Chunks
        if hit[1]:
            json_parts.append(hit[1])
            csv_parts.append(hit[2])
    buffer.seek(0)
    buffer.truncate()
    writer.writerow(_COLUMNS if json_parts else _COLUMNS[:4])
    head += "[\n" if json_parts else "["
    tail = ("\n]" if json_parts else "]") + "}\n"
    text = (lambda t: t.encode()) if chunked else str
    out = {"facts.json": _joined(text(head), json_parts, text(",\n"), text(tail), chunked),
           "facts.csv": _joined(text(buffer.getvalue()), csv_parts, text(""), text(""), chunked),
           "facts.schema.json": data_schema()}
    if chunked:
        cache.rows, cache.options = fresh, site.options
        cache.data = (site.statements, out, slots)
    return out


def _patched_rows(site: Site, cache: RenderCache, rows_of, head: str) -> dict[str, Chunks] | None:
    """The data files of the last render with the rows of the statements replaced in place since
    (the same count, each where its predecessor was, with rows as it had): an edit's note,
    review or rating. None otherwise. A pass over the 70,000 statements of 10,000 articles took
    0.2 s of each edit under serve; this compares them, and copies the pieces."""
    if cache.data is None or cache.options != site.options:
        return None
    old, files, slots = cache.data
    statements = site.statements
    replaced = replaced_in_place(old, statements)
    if replaced is None:
        return None
    made = [(i, rows_of(statements[i])) for i in replaced]
    if any(slots[i] < 0 or not hit[1] for i, hit in made):
        return None  # a statement with rows and one without: the files' shape is another
    json_pieces, csv_pieces = list(files["facts.json"]), list(files["facts.csv"])
    json_pieces[0] = (head + "[\n").encode()  # the day it was made
    for i, hit in made:
        json_pieces[slots[i]], csv_pieces[slots[i]] = hit[1], hit[2]
        cache.rows.pop(id(old[i]), None)
        cache.rows[id(statements[i])] = hit
    out = {"facts.json": Chunks(json_pieces), "facts.csv": Chunks(csv_pieces), "facts.schema.json": files["facts.schema.json"]}
    cache.data = (statements, out, slots)
    return out


FEED = "feed.xml"  # the Atom feed; the plugin links it from every page's head


_xml = chart.xml_text  # what XML cannot hold (control characters) becomes a space: the feed and the charts


def generated_on() -> dt.date:
    """The day the data files are made (UTC): ``SOURCE_DATE_EPOCH`` when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit() else dt.datetime.now(dt.timezone.utc)
    return when.date()


def _statement_updated(statement: Statement) -> dt.datetime:
    """When a statement last changed, as far as the records tell: the latest of its review, the
    day it was said and its articles' publication (records carry no edit times)."""
    days = [d for d in (statement.reviewed_on, statement.said_on, *(s.article.published for s in statement.sources if s.article))
            if d]
    day = max(days) if days else dt.date(1970, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def atom_feed(site: Site, cache: RenderCache | None = None) -> str | Chunks:
    """The Atom feed of the statements (feedgen), one entry per statement, newest first, each
    with its permalink; an entry's ``updated`` moves when it is reviewed or newly reported.

    Each entry is written once, as the text it has in the feed (:func:`entry_xml`); with
    ``cache`` (``mkdocs serve``) the texts are kept for the next call, which writes only the
    entries of statements that are new objects, as :func:`data_files` does, and the feed comes
    as :class:`Chunks`: at 10,000 articles writing the feed's 70,000 entries again was 0.4 s of
    each edit.
    """
    options = site.options
    fg = feed_generator(site)

    def entry_of(statement: Statement) -> tuple:
        when = _statement_updated(statement)
        # the feed's order (newest first) kept with the entry: sorting 70,000 entries by a
        # key made for each again was 0.13 s of an edit at 10,000 articles
        return statement, when, entry_xml(feed_entry(statement, when, options)), (when, statement.id)

    if cache is not None and (patched := _patched_feed(site, cache, fg, entry_of)) is not None:
        return patched
    kept = cache.feed if cache is not None and cache.feed_options == options else {}
    entries = []
    for statement in site.statements:
        hit = kept.get(id(statement))
        if hit is None or hit[0] is not statement:
            hit = entry_of(statement)
        entries.append(hit)
    updated = newest_update(hit[1] for hit in entries)
    fg.updated(updated)
    # The feed without entries, and the entries' texts put before its end tag: the same bytes as
    # feedgen writes with the entries in it (tests/render/test_reader.py compares the two).
    head, end = fg.atom_str(pretty=True).rsplit(b"</feed>", 1)
    newest = list(reversed(sorted(entries, key=_FEED_ORDER)))
    if cache is None:
        return b"".join([head, *(hit[2] for hit in newest), b"</feed>", end]).decode("utf-8")
    feed = Chunks([head, *(hit[2] for hit in newest), b"</feed>" + end])
    cache.feed, cache.feed_options = {id(hit[0]): hit for hit in entries}, options
    cache.feed_state = (site.statements, feed, {id(hit[0]): k + 1 for k, hit in enumerate(newest)}, updated)
    return feed


def _patched_feed(site: Site, cache: RenderCache, fg, entry_of) -> Chunks | None:
    """The last render's feed with the entries of the statements replaced in place since, when
    each keeps its place in the feed (the same ``updated`` and id); else None."""
    if cache.feed_state is None or cache.feed_options != site.options:
        return None
    old, feed, slots, updated = cache.feed_state
    statements = site.statements
    replaced = replaced_in_place(old, statements)
    if replaced is None:
        return None
    made = [(i, entry_of(statements[i])) for i in replaced]
    if any(cache.feed.get(id(old[i]), (None,) * 4)[3] != hit[3] for i, hit in made):
        return None  # an entry moves in the feed (it was reviewed: its updated is another)
    fg.updated(updated)
    head, end = fg.atom_str(pretty=True).rsplit(b"</feed>", 1)
    pieces = list(feed)
    pieces[0], pieces[-1] = head, b"</feed>" + end
    for i, hit in made:
        pieces[slots[id(old[i])]] = hit[2]
        cache.feed.pop(id(old[i]), None)
        cache.feed[id(statements[i])] = hit
    slots = dict(slots)
    for i, _ in made:
        slots[id(statements[i])] = slots.pop(id(old[i]))
    patched = Chunks(pieces)
    cache.feed_state = (statements, patched, slots, updated)
    return patched


_FEED_ORDER = operator.itemgetter(3)


def feed_generator(site: Site):
    """feedgen's ``FeedGenerator`` with the feed's own fields set (not ``updated``, not the entries)."""
    from feedgen.feed import FeedGenerator

    options = site.options
    fg = FeedGenerator()
    fg.id(options.site_url or f"tag:factsheet,2020:{page_slug(site.title) or 'sheet'}")
    fg.title(_xml(site.title))
    fg.link(href=options.site_url or "./", rel="alternate")
    if options.site_url:
        fg.link(href=options.site_url.rstrip("/") + "/" + FEED, rel="self")
    fg.author({"name": _xml(options.publisher or site.title), **({"uri": options.publisher_url} if options.publisher_url else {})})
    if options.licence:
        fg.rights(options.licence + (f" ({options.licence_url})" if options.licence_url else ""))
    return fg


def newest_update(updates) -> dt.datetime:
    """The feed's ``updated``: the latest of its entries' (1970 for a feed without entries)."""
    return max(updates, default=dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))


def entry_xml(entry) -> bytes:
    """A feedgen entry as the text it has in the pretty-printed feed: indented as the feed's
    child, one line per element, ending with a newline."""
    from lxml import etree

    wrapper = etree.Element("feed")
    wrapper.append(entry.atom_entry())
    text = etree.tostring(wrapper, pretty_print=True, encoding="UTF-8")
    return text[len(b"<feed>\n"): -len(b"</feed>\n")]


def feed_entry(statement: Statement, when: dt.datetime, options: SiteOptions) -> object:
    """The feed entry of one statement (feedgen's ``FeedEntry``)."""
    from feedgen.entry import FeedEntry

    link = _permalink(statement, options)
    item = FeedEntry()
    item.id(link if options.site_url else f"tag:factsheet,2020:{statement.id}")
    words = f"“{statement.quote}”" if statement.quoted else f"{statement.reported_verb} {statement.quote}"
    title = f"{statement.speaker or 'Unattributed'}: {words}" if statement.quoted else f"{statement.speaker or 'Someone'} {words}"
    item.title(_xml(title + (f" [{statement.rating}]" if statement.rating else "")))
    item.link(href=link, rel="alternate")
    item.updated(when)
    outlets = dict.fromkeys(s.article.outlet or s.article.title or s.article.id for s in statement.sources if s.article)
    summary = f"{format_day(statement.said_on, statement.said_on_precision)}; reported by {', '.join(outlets) or 'no article'}"
    if statement.verdict:
        summary += f". Verdict: {statement.verdict}"
    item.summary(_xml(summary))  # text, escaped by feedgen's XML writer
    return item
