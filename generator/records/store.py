"""Stage 3, store: fact records as YAML files in ``content/facts/``, one per article.

Reading is fast and strict: PyYAML's C safe loader through :mod:`generator.records.yamlio`, every field
validated, every problem located (file:line:column, field, hint). Writing goes through
ruamel.yaml's round-trip mode so that an editor's comments, key order and quoting survive, and
is atomic (a temporary file in the same folder, then a rename): a file is either old or new.

The records belong to the editors. The program only ever replaces records whose status is
``extracted`` and whose fields are still exactly what the extractor wrote (the ``machine``
fingerprint); anything an editor touched is theirs.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter

from generator import wording
from generator.errors import FactsheetError, Problem
from generator.model import Article, Attribution, Citation, Record
from generator.records import fields, yamlio


def _extractor_version() -> str:
    """A fingerprint of the extractor's code and lexicons.

    Fact files record it; when the extractor changes, `factsheet extract` sees a different value
    and refreshes the machine's records (never the editors'), so improvements reach old articles.
    """
    package = Path(__file__).parent.parent
    digest = hashlib.sha1()
    for path in sorted([*(package / "extract").glob("*.py"), *(package / "lexicons").glob("*.yaml")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return "x" + digest.hexdigest()[:12]  # a letter first: YAML never reads it as a number


EXTRACTOR_VERSION = _extractor_version()
SCHEMA_NAME = "facts.schema.json"
EXCERPT_CHARS = 320

# Record fields, in the order they are written (the field table's). Fields the extractor writes
# and those editors add are fingerprinted.
RECORD_FIELDS = fields.names(fields.RECORD)
# Fields added after records were first written: hashed only when set, so that the fingerprints
# of older records (which never have them) stay what they were and no record looks edited.
LATER_FIELDS = ("speaker_inferred", "reviewed_by", "reviewed_on")
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


# --- from statements to records --------------------------------------------------------------

def excerpt(article: Article, start: int, end: int, limit: int = EXCERPT_CHARS) -> str:
    """The text around a span, within its paragraph, trimmed to about ``limit`` characters."""
    para = next((p for p in article.paragraphs if p.start <= start < p.end), None)
    lo, hi = (para.start, para.end) if para else (start, end)
    hi = max(hi, min(end, len(article.text)))
    if hi - lo > limit:
        room = max(0, limit - (end - start)) // 2
        lo, hi = max(lo, start - room), min(hi, end + room)
        # Cut at word boundaries, never inside a word.
        while 0 < lo < start and not article.text[lo - 1].isspace():
            lo += 1
        while end < hi < len(article.text) and not article.text[hi].isspace():
            hi -= 1
    text = " ".join(article.text[lo:hi].split())
    if lo > (para.start if para else lo):
        text = "… " + text
    if para and hi < para.end:
        text += " …"
    return text


def new_id(article_id: str, quote: str, taken: set[str]) -> str:
    """A short id from the article and the statement's words, unique within ``taken``."""
    words = re.findall(r"\w+", quote.lower())  # not wording.words: ids must stay what they were
    digest = hashlib.sha1(f"{article_id}\n{' '.join(words)}".encode()).hexdigest()
    for size in range(6, 41):
        candidate = f"s-{digest[:size]}"
        if candidate not in taken:
            return candidate
    n = 2  # the same words said many times in one article ("No," he said, again and again)
    while f"s-{digest[:6]}-{n}" in taken:
        n += 1
    return f"s-{digest[:6]}-{n}"


def record_from_attribution(article: Article, statement: Attribution, fact_id: str,
                        registry: dict[str, str] | None = None) -> Record:
    """The record the extractor proposes for one statement.

    ``registry`` maps case-folded names and aliases from people.yaml to the canonical name, so
    that a mention the editors have already identified is written under that name.
    """
    speaker = statement.speaker
    said = statement.said_on
    label = speaker.label if speaker else None
    if label and registry and label.casefold() in registry:
        label = registry[label.casefold()]
    return Record(
        id=fact_id,
        quote=statement.quote,
        kind=statement.kind,
        citation=Citation(article.id, statement.start, statement.end,
                          excerpt(article, statement.start, statement.end)),
        speaker=label,
        speaker_role=speaker.role if speaker and speaker.role != label else None,
        speaker_org=speaker.organization if speaker and speaker.organization != label else None,
        cue=statement.cue,
        said_on=said.date if said else None,
        said_on_precision=said.precision if said else "day",
        said_on_inferred=said.inferred if said else False,
        venue=statement.venue,
        speaker_inferred=statement.speaker_inferred,
    )


# --- records as YAML values ------------------------------------------------------------------

def fact_to_dict(fact: Record) -> dict[str, object]:
    """The YAML mapping of a record, leaving out empty and default values."""
    values: dict[str, object] = {
        "id": fact.id, "status": fact.status, "speaker": fact.speaker, "speaker_role": fact.speaker_role,
        "speaker_org": fact.speaker_org, "speaker_inferred": fact.speaker_inferred or None, "kind": fact.kind, "quote": fact.quote, "said_on": fact.said_on,
        "said_on_precision": None if fact.said_on_precision == "day" else fact.said_on_precision,
        "said_on_inferred": fact.said_on_inferred or None, "venue": fact.venue, "cue": fact.cue,
        "citation": {"start": fact.citation.start, "end": fact.citation.end, "excerpt": fact.citation.excerpt},
        "note": fact.note, "verdict": fact.verdict, "rating": fact.rating,
        "reviewed_by": fact.reviewed_by, "reviewed_on": fact.reviewed_on,
        "links": list(fact.links) or None, "same_as": list(fact.same_as) or None,
        "not_same_as": list(fact.not_same_as) or None, "flags": list(fact.flags) or None,
    }
    out = {k: v for k, v in values.items() if v is not None}
    out["speaker"] = fact.speaker  # always present, so editors see where to write it
    return {k: out[k] for k in RECORD_FIELDS if k in out}


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


# --- reading ---------------------------------------------------------------------------------

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
                said_on_inferred=get("said_on_inferred", False), speaker_inferred=get("speaker_inferred", False),
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


# --- writing ---------------------------------------------------------------------------------

class _Representer(RoundTripRepresenter):
    """Round-trip style, except that text with a line break other than \\n is double-quoted.

    U+0085, U+2028 and U+2029 are line breaks to YAML: in plain or single-quoted text a reader
    folds them into spaces, so a quote holding one would not read back as written.
    """


def _represent_str(representer: RoundTripRepresenter, data: str):
    if any(c in data for c in "\x85\u2028\u2029"):
        return representer.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return RoundTripRepresenter.represent_str(representer, data)


_Representer.add_representer(str, _represent_str)


def _yaml() -> YAML:
    yaml = YAML()
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = 4096  # one value per line: readable diffs, no trailing spaces from folding
    yaml.representer.ignore_aliases = lambda *_: True  # never &id001 anchors for shared values
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def dump(data: object) -> str:
    """YAML text for ``data`` in the project's style (deterministic)."""
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    return buffer.getvalue()


def load_roundtrip(text: str) -> object:
    """Load YAML keeping comments, order and quoting, for editing in place.

    ruamel.yaml refuses a few things the safe loader accepts (a tab after ``key:``); the file
    has already been checked, so its plain values do: only changed records are written again.
    """
    try:
        return _yaml().load(text.replace("\r\n", "\n"))  # CRLF files: the endings are put back on writing
    except Exception:  # noqa: BLE001 - ruamel's own errors; the file passed the safe loader's check
        return yamlio.load(text, "")[0]


def current_umask() -> int:
    """The process's file mode mask (reading it means setting it: set back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that the file is either the old one or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; keep the old file's mode, or the usual one for a new file.
        os.fchmod(fd, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~current_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def record_map(fact: Record) -> CommentedMap:
    """A new YAML record for ``fact``, with its machine fingerprint."""
    values = fact_to_dict(fact)
    record = CommentedMap(values)
    if isinstance(values.get("citation"), dict):
        record["citation"] = CommentedMap(values["citation"])
    record["machine"] = fingerprint(values)
    return record


def new_file_map(article: Article, source: str, facts: list[Record], schema: str | None) -> CommentedMap:
    """The YAML document for a fact file written for the first time."""
    doc = CommentedMap()
    doc["article"] = article.id
    doc["source"] = source
    doc["digest"] = article.digest
    doc["extractor"] = EXTRACTOR_VERSION
    doc["statements"] = CommentedSeq(record_map(f) for f in facts)
    if schema:
        doc.yaml_set_start_comment(f"yaml-language-server: $schema={schema}")
    return doc


@dataclass
class Report:
    """What one re-extraction changed in a fact file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in vars(self).items()}


def _overlap(a: Citation, b: Citation) -> float:
    inter = min(a.end, b.end) - max(a.start, b.start)
    return inter / max(1, min(a.end - a.start, b.end - b.start)) if inter > 0 else 0.0


def _match(old: list[Record], new: Record, taken: set[str]) -> Record | None:
    """The existing record that is the same statement as ``new`` (same words, or same place)."""
    norm = wording.word_key
    for fact in old:
        if fact.id not in taken and norm(fact.quote) == norm(new.quote):
            return fact
    best = max((f for f in old if f.id not in taken), key=lambda f: _overlap(f.citation, new.citation), default=None)
    return best if best is not None and _overlap(best.citation, new.citation) >= 0.5 else None


def fold_extraction(article: Article, statements: list[Attribution], existing: object | None,
                     source: str, schema: str | None = None,
                     registry: dict[str, str] | None = None) -> tuple[object, Report]:
    """Fold a fresh extraction into a fact file's round-trip document.

    Extracted records still as the machine wrote them are updated in place (keeping their ids);
    new statements are added; reviewed and rejected records, and anything an editor changed, are
    left exactly as they are; extracted records the extractor no longer finds are flagged
    ``orphaned``, never deleted.
    """
    report = Report()
    if existing is None:
        taken: set[str] = set()
        facts = []
        for st in statements:
            fact = record_from_attribution(article, st, new_id(article.id, st.quote, taken), registry)
            taken.add(fact.id)
            facts.append(fact)
            report.added.append(fact.id)
        return new_file_map(article, source, facts, schema), report
    doc = existing
    records = doc.setdefault("statements", CommentedSeq())
    old = {}
    for rec in records:
        if isinstance(rec, dict) and isinstance(rec.get("id"), str) and isinstance(rec.get("citation"), dict):
            cit = rec["citation"]
            old[rec["id"]] = Record(rec["id"], str(rec.get("quote") or ""), str(rec.get("kind")),
                                  Citation(article.id, int(cit.get("start") or 0), int(cit.get("end") or 0)))
    taken = set(old)
    matched: set[str] = set()
    by_id = {rec.get("id"): rec for rec in records if isinstance(rec, dict)}
    for st in statements:
        proposal = record_from_attribution(article, st, "", registry)
        twin = _match(list(old.values()), proposal, matched)
        if twin is None:
            fact = replace(proposal, id=new_id(article.id, st.quote, taken))
            taken.add(fact.id)
            records.append(record_map(fact))
            report.added.append(fact.id)
            continue
        matched.add(twin.id)
        rec = by_id[twin.id]
        if not _machine_owned(rec):
            _mark_reviewed(rec)
            report.kept.append(twin.id)
            continue
        fresh = record_map(replace(proposal, id=twin.id))
        if fresh["machine"] == rec.get("machine") and "orphaned" not in (rec.get("flags") or []):
            report.kept.append(twin.id)
            continue
        _update_record(rec, fresh)
        report.updated.append(twin.id)
    for fact_id, rec in by_id.items():
        if fact_id in matched or fact_id is None:
            continue
        if _machine_owned(rec):
            flags = rec.get("flags") or []
            if "orphaned" not in flags:
                rec["flags"] = CommentedSeq([*flags, "orphaned"])
            report.orphaned.append(fact_id)
        else:
            _mark_reviewed(rec)
            report.kept.append(fact_id)
    doc["digest"] = article.digest
    doc["extractor"] = EXTRACTOR_VERSION
    return doc, report


def _machine_owned(rec: dict) -> bool:
    """True when a record is the extractor's to change: extracted, and untouched by an editor."""
    return (rec.get("status") or "extracted") == "extracted" and rec.get("machine") == fingerprint(rec)


def _mark_reviewed(rec: CommentedMap) -> None:
    """An extracted record an editor changed is theirs: say so in the file (only the status line)."""
    if (rec.get("status") or "extracted") == "extracted" and rec.get("machine") and rec.get("machine") != fingerprint(rec):
        rec["status"] = "reviewed"


def _update_record(rec: CommentedMap, fresh: CommentedMap) -> None:
    """Replace the machine fields of ``rec`` with ``fresh``'s, leaving editor fields alone."""
    for key in MACHINE_FIELDS:
        if key in fresh:
            rec[key] = fresh[key]
        elif key in rec:
            del rec[key]
    flags = [f for f in (rec.get("flags") or []) if f != "orphaned"]
    if flags:
        rec["flags"] = CommentedSeq(flags)
    elif "flags" in rec:
        del rec["flags"]
    rec["machine"] = fresh["machine"]



# --- rewriting a file in place: only what the program changed --------------------------------

@dataclass
class _Item:
    """One record of a fact file's ``statements`` list, as characters of the file's text."""

    start: int  # where its line starts
    end: int = 0  # where the next record's line starts (or the list ends)
    frozen: bool = False  # holds an anchor, an alias or a merge key: the editor's, never rewritten
    content_end: int = 0  # where its last value ends; comments and blank lines after it stay as they are
    status: tuple[int, int] | None = None  # the characters of its status value


@dataclass
class _Shape:
    """Where the pieces of a fact file are, so that a rewrite can leave the rest byte for byte."""

    values: dict[str, tuple[int, int]] = field(default_factory=dict)  # top-level scalar values
    statements_key: int = 0  # where the `statements:` line starts
    items: list[_Item] = field(default_factory=list)
    dash_column: int = 2
    shared: bool = False  # anchors, aliases or merge keys anywhere in the file


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1 if index < len(text) else len(text)


def _shape(text: str) -> _Shape | None:
    """The layout of a fact file's text; None when its records are not a block list, one per line."""
    import yaml


    shape, depth, key_next, top_key = _Shape(), 0, True, None
    in_statements = False
    item: _Item | None = None
    item_key = None
    for event in yaml.parse(text, Loader=yamlio.Loader):
        kind = type(event).__name__
        shared = kind == "AliasEvent" or getattr(event, "anchor", None) is not None or \
            (kind == "ScalarEvent" and event.value == "<<" and event.style is None)
        shape.shared = shape.shared or shared
        if item is not None:
            item.frozen = item.frozen or shared
            if event.end_mark.index > event.start_mark.index:  # a block's end is a mark at the next token
                item.content_end = max(item.content_end, event.end_mark.index)
        if in_statements and depth == 2 and kind not in ("SequenceEndEvent",):
            if item is not None and _line_start(text, event.start_mark.index) < item.end:
                return None  # two records on one line
            start = _line_start(text, event.start_mark.index)
            prefix = text[start:event.start_mark.index]
            if not prefix.lstrip().startswith("-"):
                return None  # the record does not start its own line
            if item is not None:
                item.end = start
            item = _Item(start, frozen=shared, content_end=event.end_mark.index)
            shape.items.append(item)
            shape.dash_column = len(prefix) - len(prefix.lstrip())
            item_key = None
        if in_statements and depth == 3 and kind == "ScalarEvent" and item is not None:
            if item_key is None:
                item_key = event.value
            else:
                if item_key == "status":
                    item.status = (event.start_mark.index, event.end_mark.index)
                item_key = None
        elif in_statements and depth == 3 and kind != "ScalarEvent" and item_key is not None:
            item_key = None  # a key's value that is a collection; the key alternation resumes after it
        if depth == 1 and kind == "ScalarEvent":
            if key_next:
                top_key = event.value
                if top_key == "statements":
                    shape.statements_key = _line_start(text, event.start_mark.index)
            else:
                shape.values[top_key] = (event.start_mark.index, event.end_mark.index)
            key_next = not key_next
        elif depth == 1 and kind in ("SequenceStartEvent", "MappingStartEvent", "AliasEvent"):
            if top_key == "statements" and kind == "SequenceStartEvent":
                if event.flow_style:
                    return None
                in_statements = True
            key_next = True
        if kind in ("SequenceStartEvent", "MappingStartEvent"):
            depth += 1
        elif kind in ("SequenceEndEvent", "MappingEndEvent"):
            depth -= 1
            if in_statements and depth == 1:
                in_statements = False
                if item is not None:
                    item.end = _line_start(text, event.start_mark.index)
                    item = None
    if not shape.items:
        return None
    return shape


def _plain(value: object) -> object:
    """Round-trip YAML values as plain dicts and lists, to see what a merge changed."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(doc: object) -> list[object]:
    """The records of a loaded fact file as plain values, before a merge changes them."""
    records = doc.get("statements") if isinstance(doc, dict) else None
    return [_plain(r) for r in records] if isinstance(records, list) else []


def _newline(text: str) -> str:
    return "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _record_text(rec: object, dash_column: int, newline: str, trailing: str = "") -> str:
    """A record dumped alone, indented like the file's other records.

    ``trailing``: the comment lines after the record, which stay in place; ruamel.yaml attaches
    them to the record's last value, so they are taken out of the dump (else they would be twice).
    """
    text = dump(CommentedSeq([rec]))
    lines = text.split("\n")
    for comment in (c.strip() for c in trailing.splitlines() if c.strip().startswith("#")):
        at = next((i for i, line in enumerate(lines) if line.strip() == comment), None)
        if at is not None:
            del lines[at]
    if dash_column > 2:
        lines = [(" " * (dash_column - 2) + line) if line else line for line in lines]
    elif dash_column < 2:
        cut = 2 - dash_column
        lines = [line[cut:] if line.startswith(" " * cut) else line for line in lines]
    return newline.join(lines)


def splice(old: str, doc: object, before: list[object], report: Report) -> str | None:
    """The new text of a fact file: ``old`` byte for byte, except what the merge changed.

    The records the program owns and changed are written again, new ones are added after the
    last, and the digest and extractor values are replaced in place; every other character (an
    editor's records, comments, flow style, anchors and aliases, line endings, a byte-order mark)
    stays as it was. A record with an anchor, alias or merge key is the editor's: never rewritten.
    None when the file's shape does not allow it (then :func:`rewrite` decides).
    """
    bom = "\ufeff" if old.startswith("\ufeff") else ""
    text = old[len(bom):]
    shape = _shape(text)
    records = doc.get("statements") if isinstance(doc, dict) else None
    if shape is None or not isinstance(records, list) or len(shape.items) != len(before):
        return None
    newline = _newline(text)
    edits: list[tuple[int, int, str]] = []
    for key in ("digest", "extractor"):
        if key in shape.values:
            start, end = shape.values[key]
            if text[start:end] != str(doc.get(key)):
                edits.append((start, end, str(doc.get(key))))
        else:
            edits.append((shape.statements_key, shape.statements_key, f"{key}: {doc.get(key)}{newline}"))
    for item, rec, was in zip(shape.items, records, before):
        now = _plain(rec)
        if now == was:
            continue
        rec_id = rec.get("id") if isinstance(rec, dict) else None
        if item.frozen:
            for name in ("updated", "orphaned"):
                if rec_id in getattr(report, name):
                    getattr(report, name).remove(rec_id)
                    report.kept.append(rec_id)
            continue
        if item.status and isinstance(was, dict) and {**was, "status": now.get("status")} == now:
            edits.append((*item.status, str(now.get("status"))))  # only the status line changed
            continue
        body_end = min(item.end, _line_end(text, item.content_end))
        trailing = text[body_end:item.end]
        edits.append((item.start, body_end, _record_text(rec, shape.dash_column, newline, trailing)))
    added = "".join(_record_text(rec, shape.dash_column, newline) for rec in records[len(before):])
    if added:
        end = shape.items[-1].end
        lead = "" if end == 0 or text[end - 1] == "\n" else newline
        edits.append((end, end, lead + added))
    out, last = [], 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return bom + "".join(out)


def rewrite(old: str, doc: object, before: list[object], report: Report, path: str) -> tuple[str | None, list[Problem]]:
    """The new text for a fact file that exists, checked to read back; or a problem and no text."""
    text = splice(old, doc, before, report)
    if text is None:
        if _shape_shared(old):
            return None, [Problem(path, "cannot update this file without rewriting the editor's anchors and aliases",
                                  1, hint="write the statements as a block list ('- id: ...', one record after "
                                          "another), or remove the anchors (&) and aliases (*)")]
        text = dump(doc)
        if _newline(old) == "\r\n":
            text = text.replace("\n", "\r\n")
        if old.startswith("\ufeff"):
            text = "\ufeff" + text
    parsed, problems = parse_fact_file(text.lstrip("\ufeff"), path)
    errors = [p for p in problems if p.severity == "error"]
    if parsed is None or errors or len(parsed.records) != len(doc.get("statements") or []):
        return None, [Problem(path, "cannot update this file without changing what the editor wrote", 1,
                              hint="the file was left as it was; please report this file to the factsheet developers")]
    return text, []


def _shape_shared(text: str) -> bool:
    import yaml


    try:
        return any(type(e).__name__ == "AliasEvent" or getattr(e, "anchor", None) is not None
                   for e in yaml.parse(text.lstrip("\ufeff"), Loader=yamlio.Loader))
    except yaml.YAMLError:
        return True
