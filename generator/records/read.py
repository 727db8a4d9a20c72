"""Reading fact files: YAML parsed safely and located, every record checked against the field
table (:mod:`generator.records.fields`), every problem reported where it is."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from generator.errors import FactsheetError, Problem
from generator.model import Citation, Record
from generator.records import fields, yamlio

# Record fields, in the order they are written (the field table's). Fields the extractor writes
# and those editors add are fingerprinted.
RECORD_FIELDS = fields.names(fields.RECORD)


# Fields added after records were first written: hashed only when set, so that the fingerprints
# of older records (which never have them) stay what they were and no record looks edited.
LATER_FIELDS = ("speaker_inferred", "reviewed_by", "reviewed_on", "said_at")


MACHINE_FIELDS = tuple(f.name for f in fields.RECORD if f.owner == "machine" and f.name != "id")


EDITOR_FIELDS = tuple(f.name for f in fields.RECORD if f.owner == "editor" and f.name != "status")


@dataclass(frozen=True)
class FactFile:
    """The records of one article, as loaded from ``content/facts/<article>.yaml``."""

    path: str
    article: str
    records: tuple[Record, ...]
    source: str | None = None
    digest: str | None = None
    extractor: str | None = None


def fingerprint(values: dict[str, object]) -> str:
    """A short hash of a record's content (for edit detection): every field but id, status, flags.

    Editor fields count too: a record an editor annotated is theirs, and is not replaced.
    """
    parts = []
    for key in MACHINE_FIELDS + EDITOR_FIELDS:
        value = values.get(key)
        if key in LATER_FIELDS and value in (None, False):
            continue
        if key == "citation" and isinstance(value, dict):
            value = (value.get("start"), value.get("end"))
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()[:10]
        if key in LATER_FIELDS and value is None:
            continue  # a field added later counts only when set: existing records keep their fingerprints
        parts.append(f"{key}={value!r}" if value not in (None, False, "day") else f"{key}=")
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:12]


Pos = tuple  # (line, column), either may be None


_INVISIBLE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u200b": None, "\u200c": None,
                            "\u200d": None, "\u2060": None, "\ufeff": None})


def clean_name(name: str | None) -> str | None:
    """A person's name as readers see it: no-break spaces as spaces, zero-width characters gone,
    spaces collapsed, so that names that look alike are one person (the file is not changed)."""
    return " ".join(name.translate(_INVISIBLE).split()) if name else name


def check_mapping(raw: dict, table: tuple[fields.Field, ...], path: str, at, prefix: str = "",
                  problems: list[Problem] | None = None) -> dict[str, object]:
    """Check a mapping against a field table: unknown keys, missing required fields, each value.

    ``at(key)`` gives a key's position (called only for a problem: finding positions costs more
    than checking). Returns the checked values (converted, absent and null ones left out); every
    problem is appended to ``problems``, each at its key.
    """
    problems = [] if problems is None else problems
    known = {f.name: f for f in table}
    for key in raw:
        if key not in known:
            problems.append(Problem(path, "unknown field", *at(key), field=f"{prefix}{key}",
                                    hint=fields.unknown(key, table)))
    values: dict[str, object] = {}
    for f in table:
        value = raw.get(f.name)
        if value is None or (value == "" and f.required):
            if f.required:
                problems.append(Problem(path, "missing required field", *at(None), field=prefix + f.name,
                                        hint=f"required: {', '.join(x.name for x in table if x.required)}"))
            continue
        if f.type in ("mapping", "records"):
            values[f.name] = value
            continue
        checked, message, hint = fields.check(f, value)
        if message is None:
            values[f.name] = checked
        else:
            problems.append(Problem(path, message, *at(f.name), field=prefix + f.name, hint=hint))
    return values


def check_list_item(raw: dict, table: tuple[fields.Field, ...], path: str, node, i: int,
                    problems: list[Problem]) -> dict[str, object] | None:
    """:func:`check_mapping` for the ``i``-th mapping of a top-level YAML list (the people registry,
    the events file), each problem at its key or at the entry's line; None when it has problems."""
    line = yamlio.locate(node, i)[0]
    before = len(problems)
    values = check_mapping(raw, table, path, lambda key: yamlio.key_mark(node, i, key) if key else (line, None),
                           problems=problems)
    return None if len(problems) > before else values


def _citation(raw: object, article_id: str, path: str, node, i: int, problems: list[Problem]) -> Citation | None:
    def at(key: str | None) -> Pos:
        found = yamlio.key_mark(node, "statements", i, "citation", *([key] if key else []))
        return found if found[0] else yamlio.key_mark(node, "statements", i, "citation")
    if not isinstance(raw, dict):
        problems.append(Problem(path, "expected a mapping with start, end and excerpt", *at(None), field="citation"))
        return None
    before = len(problems)
    values = check_mapping(raw, fields.CITATION, path, at, "citation.", problems)
    if len(problems) > before:
        return None
    start, end = values["start"], values["end"]
    if start > end:  # what a schema cannot say
        problems.append(Problem(path, f"expected character offsets with 0 <= start <= end, got {start!r}..{end!r}",
                                *at("start"), field="citation.start", hint="copy the offsets from the extracted record"))
        return None
    return Citation(str(values.get("article") or article_id), start, end, str(values.get("excerpt") or ""))


def parse_record(raw: object, article_id: str, path: str, node, i: int) -> tuple[Record | None, list[Problem]]:
    """Validate one record mapping against :data:`fields.RECORD` and turn it into a :class:`Record`;
    collect every problem."""
    where = yamlio.locate(node, "statements", i)
    if not isinstance(raw, dict):
        return None, [Problem(path, "expected a record (a mapping with id, quote, kind, citation)", *where,
                              field=f"statements[{i}]")]

    def at(key: str | None) -> Pos:
        found = yamlio.key_mark(node, "statements", i, key) if key else where
        return found if found[0] else where
    problems: list[Problem] = []
    values = check_mapping(raw, fields.RECORD, path, at, problems=problems)
    citation = _citation(raw["citation"], article_id, path, node, i, problems) if "citation" in values else None
    if problems or citation is None:
        return None, problems
    status = values.get("status", "extracted")
    if status == "extracted" and raw.get("machine") and raw.get("machine") != fingerprint(raw):
        status = "reviewed"  # an editor changed what the extractor wrote: the record is theirs now
    get = values.get
    return Record(id=values["id"], quote=values["quote"], kind=values["kind"], citation=citation, status=status,
                speaker=clean_name(get("speaker")), speaker_role=get("speaker_role"), speaker_org=get("speaker_org"),
                cue=get("cue"), said_on=get("said_on"), said_on_precision=get("said_on_precision", "day"),
                said_at=get("said_at"), said_on_inferred=get("said_on_inferred", False), speaker_inferred=get("speaker_inferred", False),
                venue=get("venue"), note=get("note"),
                verdict=get("verdict"), rating=get("rating"), reviewed_by=get("reviewed_by"),
                reviewed_on=get("reviewed_on"), links=get("links", ()), same_as=get("same_as", ()),
                not_same_as=get("not_same_as", ()), flags=get("flags", ()), line=where[0]), []


def parse_fact_file(text: str, path: str) -> tuple[FactFile | None, list[Problem]]:
    """Validate a fact file's text; return what could be read and every problem found."""
    bad_values: list[Problem] = []  # bad values (2020-02-31), read as null so the other checks still run
    try:
        data, node = yamlio.load(text, path, bad_values)
    except FactsheetError as exc:
        return None, exc.problems
    if data is None:
        return None, [Problem(path, "the file is empty", hint="delete it; `factsheet extract` writes it again")]
    if not isinstance(data, dict):
        return None, [*bad_values, Problem(path, "expected a mapping with article and statements", 1)]
    problems: list[Problem] = list(bad_values)
    values = check_mapping(data, fields.FACT_FILE, path, lambda key: yamlio.key_mark(node, key) if key else (1, None),
                           problems=problems)
    article_id = values.get("article") or Path(path).stem
    raw_statements = data.get("statements") or []
    if not isinstance(raw_statements, list):
        problems.append(Problem(path, "expected a list of records", *yamlio.key_mark(node, "statements"),
                                field="statements", hint="start each record with '- id: ...'"))
        raw_statements = []
    facts, seen = [], {}
    for i, raw in enumerate(raw_statements):
        fact, found = parse_record(raw, article_id, path, node, i)
        problems.extend(found)
        if fact is None:
            continue
        if fact.id in seen:
            problems.append(Problem(path, f"duplicate id (first used on line {seen[fact.id]})", fact.line, 5,
                                    field="id", hint="give one of the records a new id, or merge them"))
            continue
        seen[fact.id] = fact.line
        facts.append(fact)
    return FactFile(path, article_id, tuple(facts), values.get("source"), values.get("digest"),
                    str(values.get("extractor") or "")), problems


def read_utf8(path: Path, label: str, problems: list[Problem]) -> str | None:
    """A file people edit, as text; None (and a located problem) when it is unreadable or not UTF-8."""
    if path.is_symlink() and not path.resolve().is_relative_to(path.parent.resolve()):
        # content/facts/x.yaml -> a file elsewhere would publish whatever the builder can read.
        problems.append(Problem(label, "the file is a symbolic link to a file outside its folder",
                                hint="copy the file into the folder instead of linking to it"))
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(label, f"cannot read the file: {exc.strerror or exc}"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(Problem(label, f"byte {exc.start} (0x{data[exc.start]:02x}) is not UTF-8", line, column,
                                hint="save the file as UTF-8"))
        return None


def read_fact_file(path: Path, label: str | None = None) -> tuple[FactFile | None, list[Problem]]:
    """Read and validate one fact file from disk."""
    label = label or str(path)
    problems: list[Problem] = []
    text = read_utf8(path, label, problems)
    if text is None:
        return None, problems
    return parse_fact_file(text, label)


def fact_files(folder: Path) -> list[Path]:
    """The fact files of a folder, sorted."""
    if not folder.is_dir():
        return []
    names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".yaml") and not e.name.startswith("."))
    return [folder / name for name in names]
