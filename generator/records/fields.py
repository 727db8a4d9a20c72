"""The field table: every field an editor or the program may write, once.

Records (``content/facts/*.yaml``), the people registry (``content/people.yaml``) and article
front matter are each described here by a tuple of :class:`Field`: name, type, allowed values or
pattern, whether it is required, who owns it (the editor or the machine) and the hint a mistake
gets. Two things are made from these tables and nothing else:

- the checks ``factsheet check`` runs on each value (:func:`check`), and
- the JSON Schemas shipped for editors' language servers (:func:`json_schema`; the files in
  ``generator/schemas/`` are written by ``python -m generator.records.fields`` and a test keeps them equal).

What a schema cannot say (start <= end, duplicate ids, the quote is in the article, ``same_as``
targets exist) stays in code, next to where it is checked.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from generator.model import KINDS, PARTS_OF_DAY, PRECISIONS, STATUSES

# Patterns are written once for both regular-expression engines: Python's (check, jsonschema) and
# ECMAScript's (editors' language servers). In Python "$" also matches before a final newline;
# "(?!\n)" after it refuses that, and means nothing to ECMAScript, where "$" is the end already.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$(?!\n)"
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s\x00-\x1f\x7f]+$(?!\n)"  # the scheme in any case
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$(?!\n)"
HEX12_PATTERN = r"^[0-9a-f]{12}$(?!\n)"
CLOCK_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$(?!\n)"  # a time of day on the 24-hour clock
CLOCK_RE = re.compile(CLOCK_PATTERN)
ID_RE, URL_RE, HEX12_RE = re.compile(ID_PATTERN), re.compile(URL_PATTERN), re.compile(HEX12_PATTERN)
# Ids and slugs name files (content/facts/<id>.yaml, sources/<id>.md, speakers/<slug>.md). Windows
# refuses these file names whatever the extension; the others name a page or a theme folder.
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
RESERVED_NAMES = DEVICE_NAMES | {"index", "search", "assets", "css", "js"}


@dataclass(frozen=True)
class Field:
    """One field: what it holds and who writes it.

    ``type`` is one of: text, texts (a list of text), id, ids, url, urls, date, time (of day:
    "14:30" or a part of the day), bool, enum, offset (a character offset), hex12 (a fingerprint),
    mapping (of ``fields``), records.
    """

    name: str
    type: str
    doc: str = ""
    required: bool = False
    owner: str = "editor"  # editor | machine | program
    choices: tuple[str, ...] = ()
    hint: str = ""
    fields: tuple["Field", ...] = ()
    example: str = "2020-07-10"  # of a date, in messages


CITATION = (
    Field("article", "text", "The id of the cited article (defaults to the fact file's article).", owner="machine"),
    Field("start", "offset", "Where the statement starts in the article (a character offset).", required=True,
          owner="machine", hint="copy the offsets from the extracted record"),
    Field("end", "offset", "Where it ends (a character offset).", required=True, owner="machine",
          hint="copy the offsets from the extracted record"),
    Field("excerpt", "text", "The article text around the statement.", owner="machine"),
)

RECORD = (
    Field("id", "id", "Stable id; links to the statement use it. Never change it.", required=True,
          owner="machine", hint="use lowercase letters, digits and hyphens, like s-3fa2c1"),
    Field("status", "enum", "extracted: the machine's, may be replaced; reviewed: an editor's, never changed by the "
          "program; rejected: hidden from the site, kept so re-extraction does not bring it back.",
          choices=STATUSES),
    Field("speaker", "text", "Who made the statement: a name, or 'Organisation role'. A name or alias from "
          "people.yaml links the speaker page.", owner="machine"),
    Field("speaker_role", "text", "The speaker's role or title, e.g. Secretary of State.", owner="machine"),
    Field("speaker_org", "text", "The organisation the speaker speaks for.", owner="machine"),
    Field("speaker_inferred", "bool", "true when the article names no speaker for the statement and the speaker is "
          "the extractor's best guess (the previous speaker, a nearby name).", owner="machine",
          hint="delete the line once you have checked the speaker"),
    Field("kind", "enum", "direct: quoted whole; partial: a quoted fragment; mixed: quoted and reported words; "
          "indirect: reported speech.", required=True, owner="machine", choices=KINDS),
    Field("quote", "text", "The words, as the article gives them.", required=True, owner="machine"),
    Field("said_on", "date", "The day the statement was made (YYYY-MM-DD).", owner="machine",
          hint="write the day as YYYY-MM-DD; use said_on_precision: week for vague dates", example="2020-07-06"),
    Field("said_on_precision", "enum", "How precise said_on is.", owner="machine", choices=PRECISIONS),
    Field("said_at", "time", "The time of day it was said, when known: '14:30' (in quotes) or morning, afternoon, "
          "evening. Orders the statements of a day on the timeline."),
    Field("said_on_inferred", "bool", "true when the article does not date the statement and the publication date "
          "stands in.", owner="machine"),
    Field("venue", "text", "Where or to whom it was said.", owner="machine"),
    Field("cue", "text", "The words that introduce the statement (said, told, according to).", owner="machine"),
    Field("citation", "mapping", "Where the statement is in the article.", required=True, owner="machine",
          fields=CITATION),
    Field("note", "text", "An editor's note, shown with the statement."),
    Field("verdict", "text", "A fact-check verdict, explained."),
    Field("rating", "text", "A short rating from the newsroom's scale (mkdocs.yml), e.g. False, Misleading, Accurate."),
    Field("reviewed_by", "text", "Who checked the statement (shown on its verdict card)."),
    Field("reviewed_on", "date", "The day the fact check was done (YYYY-MM-DD).", example="2020-07-12",
          hint="the day the fact check was done, YYYY-MM-DD"),
    Field("links", "urls", "Other sources (http or https addresses)."),
    Field("same_as", "ids", "Ids of records that are the same statement."),
    Field("not_same_as", "ids", "Ids of records that must not be merged with this one."),
    Field("flags", "texts", "Set by the program, e.g. orphaned.", owner="program"),
    Field("machine", "hex12", "Fingerprint of what the extractor wrote; do not edit.", owner="program",
          hint="delete the line to make the record yours; never edit it"),
)

FACT_FILE = (
    Field("article", "text", "The id of the article (its file name without extension; defaults to the fact "
          "file's name).", owner="program"),
    Field("source", "text", "The article file, relative to the content folder.", owner="program"),
    Field("digest", "text", "A digest of the article text the records were extracted from.", owner="program"),
    Field("extractor", "text", "The version of the extractor that wrote the machine's records.", owner="program"),
    Field("statements", "records", "The records, one per statement.", owner="program"),
)

PERSON = (
    Field("id", "id", "A stable id for the speaker: the address of their page (speakers/<id>/). Defaults to one "
          "made from the name, which changes when the name does; give one to keep the address.",
          hint="use lowercase letters, digits and hyphens, like mike-pompeo"),
    Field("former_ids", "ids", "Addresses this speaker's page had before (a rename without an id, or another "
          "entry merged into this one): each old page redirects to this speaker's.",
          hint="write former_ids: [mike-pompeo], the old page's last part"),
    Field("name", "text", "The name readers see.", required=True, hint="write '- name: Mike Pompeo'"),
    Field("aliases", "texts", "Other spellings of the name; statements under any of them are this speaker's.",
          hint="write aliases: [Pompeo, Secretary Pompeo]"),
    Field("role", "text", "The role or title, e.g. Secretary of State."),
    Field("organization", "text", "The organisation, e.g. US Department of State."),
    Field("kind", "enum", "person or organization.", choices=("person", "organization")),
    Field("links", "urls", "Pages about the speaker (http or https addresses)."),
    Field("description", "text", "Who the speaker is, in a sentence or two (shown on their page)."),
)

FRONT_MATTER = (
    Field("title", "text", "The headline."),
    Field("outlet", "text", "Who published it."),
    Field("url", "url", "Where it was published (http or https)."),
    Field("published", "date", "The publication date (YYYY-MM-DD).", hint="write the date as YYYY-MM-DD"),
    Field("author", "text", "Who wrote it."),
    Field("retrieved", "date", "When the copy was saved (YYYY-MM-DD).", hint="write the date as YYYY-MM-DD"),
    Field("archive_url", "url", "An archived copy the newsroom publishes (http or https), e.g. at the Wayback "
          "Machine; shown on the source page."),
    Field("former_ids", "ids", "Ids this article had before (its file renamed, or another copy of it merged into "
          "this one): each old source page redirects to this article's.",
          hint="write former_ids: [old-file-name], the old page's last part"),
    Field("id", "id", "The article's id (defaults to the file name).",
          hint="use lowercase letters, digits and hyphens, like amazon-tiktok-ban"),
)

EVENT = (
    Field("id", "id", "A stable id, the event's link (defaults to one made from the date and title).",
          hint="use lowercase letters, digits and hyphens, like e-amazon-email"),
    Field("date", "date", "The day it happened (YYYY-MM-DD).", required=True, hint="write the day as YYYY-MM-DD"),
    Field("time", "time", "The time of day, when known: '14:30' (in quotes) or morning, afternoon, evening."),
    Field("title", "text", "What happened, in a few words.", required=True, hint="write 'title: ...' on one line"),
    Field("text", "text", "What happened, told in a sentence or two."),
    Field("links", "urls", "Where to read more (http or https addresses)."),
    Field("sources", "ids", "Ids of the articles in content/articles/ that report it (their file names without "
          "extension).", hint="write sources: [article-id], the article's file name without extension"),
)


def names(table: tuple[Field, ...]) -> tuple[str, ...]:
    """The field names of a table, in the order they are written."""
    return tuple(f.name for f in table)


# --- checking a value -------------------------------------------------------------------------

def _shown(value: object) -> str:
    return f"{type(value).__name__} {value!r}"


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def check(f: Field, value: object) -> tuple[object, str | None, str]:
    """Check one present, non-null value against its field.

    Returns ``(value, None, "")`` with the value converted (a date as :class:`datetime.date`, a
    list as a tuple), or ``(None, message, hint)``.
    """
    checker = _CHECKERS.get(f.type)
    if checker is None:
        raise ValueError(f"{f.name}: a {f.type} field is checked by its own code")
    return checker(f, value)


_OK = None, ""  # no message, no hint


def _check_text(f: Field, value: object) -> tuple[object, str | None, str]:
    if _is_text(value):
        return value, *_OK
    scalar = isinstance(value, (int, float, bool))
    return None, f"expected text, got {_shown(value)}", f.hint or (
        f"put it in quotes: {f.name}: '{value}'" if scalar else f"write '{f.name}: ...' on one line")


def _check_pattern(f: Field, value: object) -> tuple[object, str | None, str]:
    if not _is_text(value):
        return _check_text(f, value)
    pattern = {"id": ID_RE, "url": URL_RE, "hex12": HEX12_RE}[f.type]
    if pattern.match(value):
        return value, *_OK
    what = {"id": "invalid id", "url": "expected an http(s) address, got", "hex12": "expected a fingerprint, got"}
    return None, f"{what[f.type]} {value!r}", f.hint or _url_hint(f.type)


def _check_enum(f: Field, value: object) -> tuple[object, str | None, str]:
    if value in f.choices:
        return value, *_OK
    return None, f"expected one of {', '.join(f.choices)}, got {value!r}", did_you_mean(value, f.choices)


def _check_date(f: Field, value: object) -> tuple[object, str | None, str]:
    date = _as_day(value)
    if date is not None:
        return date, *_OK
    return None, f"expected a date like {f.example}, got {value!r}", f.hint


def _check_time(f: Field, value: object) -> tuple[object, str | None, str]:
    if isinstance(value, str) and (CLOCK_RE.match(value) or value in PARTS_OF_DAY):
        return value, *_OK
    hint = (f"YAML reads an unquoted time as a number: write {f.name}: '14:30', in quotes"
            if isinstance(value, int) and not isinstance(value, bool) else
            f"write {f.name}: '14:30' (24-hour clock, in quotes) or {f.name}: morning")
    return None, f"expected a time of day like '14:30' or one of {', '.join(PARTS_OF_DAY)}, got {value!r}", hint


def _check_bool(_f: Field, value: object) -> tuple[object, str | None, str]:
    if isinstance(value, bool):
        return value, *_OK
    return None, f"expected true or false, got {value!r}", ""


def _check_offset(f: Field, value: object) -> tuple[object, str | None, str]:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value, *_OK
    return None, f"expected a character offset (a whole number, 0 or more), got {value!r}", f.hint


def _url_hint(kind: str) -> str:
    return "write the whole address, starting with https://" if kind == "url" else ""


def _check_list(f: Field, value: object) -> tuple[object, str | None, str]:
    item = {"texts": "text", "ids": "id", "urls": "url"}[f.type]
    example = {"texts": "item", "ids": "s-3fa2c1", "urls": "https://www.example.com/"}[f.type]
    if not isinstance(value, list):
        return None, f"expected a list, got {_shown(value)}", f"write {f.name}: [{example}], or one '- {example}' per line"
    for element in value:
        if item == "text":
            ok = _is_text(element) and element.strip() != ""
        else:
            ok = check(Field(f.name, item), element)[1] is None
        if not ok:
            what = {"text": "non-empty text", "id": "ids", "url": "http(s) addresses"}[item]
            return None, f"expected a list of {what}, got {element!r}", f.hint or f"write one item per line: - {example}"
    return tuple(value), None, ""


# One checker per field type (the types of the table above); "texts", "ids" and "urls" are lists.
_CHECKERS = {"text": _check_text, "id": _check_pattern, "url": _check_pattern, "hex12": _check_pattern,
             "texts": _check_list, "ids": _check_list, "urls": _check_list, "enum": _check_enum, "date": _check_date,
             "time": _check_time, "bool": _check_bool, "offset": _check_offset}


def _as_day(value: object) -> dt.date | None:
    """A day: a YAML date, or ISO text of one. A date with a time of day is not a day."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.match(DATE_PATTERN, value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def did_you_mean(word: object, choices, cutoff: float = 0.6) -> str:
    """"did you mean 'x'?" for the closest of ``choices``, or nothing (the one way hints suggest a name)."""
    close = difflib.get_close_matches(str(word), list(choices), 1, cutoff)
    return f"did you mean '{close[0]}'?" if close else ""


def unknown(key: object, table: tuple[Field, ...]) -> str:
    """The hint for a key the table does not have: the closest name, or the list."""
    known = names(table)
    return did_you_mean(key, known) or f"known fields: {', '.join(known)}"


# --- JSON Schemas -------------------------------------------------------------------------------

_NULLABLE = {"text", "id", "url", "date", "hex12", "texts", "ids", "urls"}


def _schema_of(f: Field) -> dict[str, object]:
    t = f.type
    if t == "text":
        out: dict[str, object] = {"type": "string"}
        if f.required:
            out["minLength"] = 1
    elif t in ("id", "url", "hex12"):
        out = {"type": "string", "pattern": {"id": ID_PATTERN, "url": URL_PATTERN, "hex12": HEX12_PATTERN}[t]}
    elif t == "date":
        out = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    elif t == "time":
        out = {"anyOf": [{"type": "string", "pattern": CLOCK_PATTERN}, {"enum": list(PARTS_OF_DAY)}]}
    elif t in ("texts", "ids", "urls"):
        item = {"texts": {"type": "string", "minLength": 1, "pattern": r"\S"},
                "ids": {"type": "string", "pattern": ID_PATTERN},
                "urls": {"type": "string", "pattern": URL_PATTERN}}[t]
        out = {"type": "array", "items": item}
    elif t == "enum":
        out = {"enum": list(f.choices)}
    elif t == "bool":
        out = {"type": "boolean"}
    elif t == "offset":
        out = {"type": "integer", "minimum": 0}
    elif t == "mapping":
        out = _object(f.fields)
    elif t == "records":
        out = {"type": "array", "items": {"$ref": "#/$defs/record"}}
    else:
        raise ValueError(t)
    if not f.required and t in _NULLABLE:
        out["type"] = [out["type"], "null"]
    if not f.required and t == "enum":
        out["enum"] = [*f.choices, None]
    if not f.required and t == "time":
        out["anyOf"].append({"type": "null"})
    if f.doc:
        out["description"] = f.doc
    return out


def _object(table: tuple[Field, ...]) -> dict[str, object]:
    return {"type": "object", "additionalProperties": False,
            "required": [f.name for f in table if f.required],
            "properties": {f.name: _schema_of(f) for f in table}}


SCHEMAS = {"facts.schema.json": "facts", "people.schema.json": "people", "front-matter.schema.json": "front matter",
           "events.schema.json": "events"}


def json_schema(name: str) -> dict[str, object]:
    """The JSON Schema shipped as ``generator/schemas/<name>``, made from the tables."""
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://factsheet.invalid/schemas/{name}"}
    if name == "facts.schema.json":
        return {**head, "title": "factsheet fact file",
                "description": "The statements found in one article (content/facts/<article>.yaml).",
                **_object(FACT_FILE), "$defs": {"record": _object(RECORD)}}
    if name == "people.schema.json":
        return {**head, "title": "factsheet people registry",
                "description": "Speakers: names, aliases, roles, organisations (content/people.yaml).",
                "type": "array", "items": _object(PERSON)}
    if name == "events.schema.json":
        return {**head, "title": "factsheet story events",
                "description": "The editors' events of the story, shown on the timeline (content/events.yaml).",
                "type": "array", "items": _object(EVENT)}
    if name == "front-matter.schema.json":
        return {**head, "title": "factsheet article front matter",
                "description": "The YAML front matter of a Markdown article (content/articles/*.md).",
                **_object(FRONT_MATTER)}
    raise KeyError(name)


def schema_text(name: str) -> str:
    """The shipped file's exact text."""
    return json.dumps(json_schema(name), indent=1, ensure_ascii=False) + "\n"


def slugify(text: str) -> str:
    """A safe id for a file or anchor: lowercase ASCII letters, digits and single hyphens."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    slug = slug[:80].strip("-") or "untitled"
    return f"{slug}-1" if slug in RESERVED_NAMES else slug  # sources/index.md is the sources page


def main() -> int:
    """Write the JSON Schemas in ``generator/schemas/`` from the tables."""
    folder = Path(__file__).parent.parent / "schemas"
    for name in SCHEMAS:
        (folder / name).write_text(schema_text(name), "utf-8")
        print(f"wrote {folder / name}")
    return 0



if __name__ == "__main__":
    sys.exit(main())
