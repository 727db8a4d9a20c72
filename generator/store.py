"""Stage 3, store: fact records as YAML files in ``content/facts/``, one per article.

Reading is fast and strict: PyYAML's C safe loader through :mod:`generator.yamlio`, every field
validated, every problem located (file:line:column, field, hint). Writing goes through
ruamel.yaml's round-trip mode so that an editor's comments, key order and quoting survive, and
is atomic (a temporary file in the same folder, then a rename): a file is either old or new.

The records belong to the editors. The program only ever replaces records whose status is
``extracted`` and whose fields are still exactly what the extractor wrote (the ``machine``
fingerprint); anything an editor touched is theirs.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import yamlio
from .errors import FactsheetError, Problem
from .model import KINDS, PRECISIONS, STATUSES, Article, Citation, Fact, Statement



def _extractor_version() -> str:
    """A fingerprint of the extractor's code and lexicons.

    Fact files record it; when the extractor changes, `factsheet extract` sees a different value
    and refreshes the machine's records (never the editors'), so improvements reach old articles.
    """
    package = Path(__file__).parent
    digest = hashlib.sha1()
    for path in sorted([*package.glob("extract*.py"), *(package / "lexicons").glob("*.yaml")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return "x" + digest.hexdigest()[:12]  # a letter first: YAML never reads it as a number


EXTRACTOR_VERSION = _extractor_version()
SCHEMA_NAME = "facts.schema.json"
EXCERPT_CHARS = 320

# Record fields, in the order they are written. Fields the extractor writes are fingerprinted.
MACHINE_FIELDS = ("speaker", "speaker_role", "speaker_org", "kind", "quote", "said_on",
                  "said_on_precision", "said_on_inferred", "venue", "cue", "citation")
EDITOR_FIELDS = ("note", "verdict", "rating", "reviewed_by", "reviewed_on", "links", "same_as", "not_same_as")
LATER_FIELDS = ("reviewed_by", "reviewed_on")  # editor fields newer than the fingerprints written so far
RECORD_FIELDS = ("id", "status") + MACHINE_FIELDS + EDITOR_FIELDS + ("flags", "machine")
REQUIRED_FIELDS = ("id", "quote", "kind", "citation")
FILE_FIELDS = ("article", "source", "digest", "extractor", "statements")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}\Z")  # \Z: "$" would let "s-1\n" through


@dataclass(frozen=True)
class FactFile:
    """The records of one article, as loaded from ``content/facts/<article>.yaml``."""

    path: str
    article: str
    facts: tuple[Fact, ...]
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
    words = re.findall(r"\w+", quote.lower())
    digest = hashlib.sha1(f"{article_id}\n{' '.join(words)}".encode()).hexdigest()
    for size in range(6, 41):
        candidate = f"s-{digest[:size]}"
        if candidate not in taken:
            return candidate
    n = 2  # the same words said many times in one article ("No," he said, again and again)
    while f"s-{digest[:6]}-{n}" in taken:
        n += 1
    return f"s-{digest[:6]}-{n}"


def fact_from_statement(article: Article, statement: Statement, fact_id: str,
                        registry: dict[str, str] | None = None) -> Fact:
    """The record the extractor proposes for one statement.

    ``registry`` maps case-folded names and aliases from people.yaml to the canonical name, so
    that a mention the editors have already identified is written under that name.
    """
    speaker = statement.speaker
    said = statement.said_on
    label = speaker.label if speaker else None
    if label and registry and label.casefold() in registry:
        label = registry[label.casefold()]
    return Fact(
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
    )


# --- records as YAML values ------------------------------------------------------------------

def fact_to_dict(fact: Fact) -> dict[str, object]:
    """The YAML mapping of a record, leaving out empty and default values."""
    values: dict[str, object] = {
        "id": fact.id, "status": fact.status, "speaker": fact.speaker, "speaker_role": fact.speaker_role,
        "speaker_org": fact.speaker_org, "kind": fact.kind, "quote": fact.quote, "said_on": fact.said_on,
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


def _unknown_key(path: str, key: object, known: tuple[str, ...], pos: Pos) -> Problem:
    close = difflib.get_close_matches(str(key), known, 1)
    hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(known)}"
    return Problem(path, "unknown field", *pos, field=str(key), hint=hint)


def _pos(pos) -> Pos:
    """A position, or a function that finds it: positions are looked up only for a problem."""
    return pos() if callable(pos) else pos


def _text(value: object, path: str, pos, name: str, problems: list[Problem]) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    problems.append(Problem(path, f"expected text, got {type(value).__name__} {value!r}", *_pos(pos), field=name))
    return None


def _texts(value: object, path: str, pos, name: str, problems: list[Problem]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    problems.append(Problem(path, "expected a list of text", *_pos(pos), field=name, hint="write one item per line: - item"))
    return ()


def _citation(raw: object, article_id: str, path: str, node, i: int, problems: list[Problem]) -> Citation | None:
    def pos() -> Pos:
        return yamlio.key_mark(node, "statements", i, "citation")
    if not isinstance(raw, dict):
        problems.append(Problem(path, "expected a mapping with start, end and excerpt", *pos(), field="citation"))
        return None
    for key in raw:
        if key not in ("article", "start", "end", "excerpt"):
            problems.append(_unknown_key(path, key, ("article", "start", "end", "excerpt"),
                                         yamlio.key_mark(node, "statements", i, "citation", key)))
    start, end = raw.get("start"), raw.get("end")
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or not 0 <= start <= end:
        problems.append(Problem(path, f"expected character offsets with 0 <= start <= end, got {start!r}..{end!r}",
                                *pos(), field="citation.start", hint="copy the offsets from the extracted record"))
        return None
    excerpt_text = _text(raw.get("excerpt"), path, pos, "citation.excerpt", problems) or ""
    return Citation(str(raw.get("article") or article_id), start, end, excerpt_text)


def parse_record(raw: object, article_id: str, path: str, node, i: int) -> tuple[Fact | None, list[Problem]]:
    """Validate one record mapping and turn it into a :class:`Fact`; collect every problem."""
    problems: list[Problem] = []
    where = yamlio.locate(node, "statements", i)
    line = where[0]
    if not isinstance(raw, dict):
        return None, [Problem(path, "expected a record (a mapping with id, quote, kind, citation)", *where,
                              field=f"statements[{i}]")]

    def at(key: str) -> Pos:  # only called for a problem: finding positions costs more than checking
        found = yamlio.key_mark(node, "statements", i, key)
        return found if found[0] else where

    def lazy(key: str):
        return lambda: at(key)
    for key in raw:
        if key not in RECORD_FIELDS:
            problems.append(_unknown_key(path, key, RECORD_FIELDS, at(key)))
    for key in REQUIRED_FIELDS:
        if raw.get(key) in (None, ""):
            problems.append(Problem(path, "missing required field", *where, field=key,
                                    hint="every record needs id, quote, kind and citation"))
    fact_id = _text(raw.get("id"), path, lazy("id"), "id", problems) or ""
    if fact_id and not _ID.match(fact_id):
        problems.append(Problem(path, f"invalid id {fact_id!r}", *at("id"), field="id",
                                hint="use lowercase letters, digits and hyphens, like s-3fa2c1"))
    status = raw.get("status") or "extracted"
    if status not in STATUSES:
        problems.append(Problem(path, f"expected one of {', '.join(STATUSES)}, got {status!r}", *at("status"), field="status"))
    kind = raw.get("kind")
    if kind is not None and kind not in KINDS:
        problems.append(Problem(path, f"expected one of {', '.join(KINDS)}, got {kind!r}", *at("kind"), field="kind"))
    said_on = raw.get("said_on")
    date = yamlio.as_date(said_on)
    if said_on is not None and date is None:
        problems.append(Problem(path, f"expected a date like 2020-07-06, got {said_on!r}", *at("said_on"),
                                field="said_on", hint="write the day as YYYY-MM-DD; use said_on_precision: week for vague dates"))
    precision = raw.get("said_on_precision") or "day"
    if precision not in PRECISIONS:
        problems.append(Problem(path, f"expected one of {', '.join(PRECISIONS)}, got {precision!r}",
                                *at("said_on_precision"), field="said_on_precision"))
    inferred = raw.get("said_on_inferred", False)
    if not isinstance(inferred, bool):
        problems.append(Problem(path, f"expected true or false, got {inferred!r}", *at("said_on_inferred"),
                                field="said_on_inferred"))
    reviewed_on = yamlio.as_date(raw.get("reviewed_on"))
    if raw.get("reviewed_on") is not None and reviewed_on is None:
        problems.append(Problem(path, f"expected a date like 2020-07-12, got {raw.get('reviewed_on')!r}",
                                *at("reviewed_on"), field="reviewed_on", hint="the day the fact check was done, YYYY-MM-DD"))
    citation = _citation(raw.get("citation"), article_id, path, node, i, problems) if "citation" in raw else None
    texts = {k: _text(raw.get(k), path, lazy(k), k, problems)
             for k in ("quote", "speaker", "speaker_role", "speaker_org", "cue", "venue", "note", "verdict", "rating",
                       "reviewed_by")}
    lists = {k: _texts(raw.get(k), path, lazy(k), k, problems) for k in ("links", "same_as", "not_same_as", "flags")}
    if problems or citation is None:
        return None, problems
    if status == "extracted" and raw.get("machine") and raw.get("machine") != fingerprint(raw):
        status = "reviewed"  # an editor changed what the extractor wrote: the record is theirs now
    return Fact(id=fact_id, quote=texts["quote"] or "", kind=kind, citation=citation, status=status,
                speaker=texts["speaker"], speaker_role=texts["speaker_role"], speaker_org=texts["speaker_org"],
                cue=texts["cue"], said_on=date, said_on_precision=precision, said_on_inferred=inferred,
                venue=texts["venue"], note=texts["note"], verdict=texts["verdict"], rating=texts["rating"],
                reviewed_by=texts["reviewed_by"], reviewed_on=reviewed_on, links=lists["links"], same_as=lists["same_as"], not_same_as=lists["not_same_as"],
                flags=lists["flags"], line=line), []


def parse_fact_file(text: str, path: str) -> tuple[FactFile | None, list[Problem]]:
    """Validate a fact file's text; return what could be read and every problem found."""
    try:
        data, node = yamlio.load(text, path)
    except FactsheetError as exc:
        return None, exc.problems
    if data is None:
        return None, [Problem(path, "the file is empty", hint="delete it; `factsheet extract` writes it again")]
    if not isinstance(data, dict):
        return None, [Problem(path, "expected a mapping with article and statements", 1)]
    problems = [_unknown_key(path, k, FILE_FIELDS, yamlio.key_mark(node, k)) for k in data if k not in FILE_FIELDS]
    article_id = data.get("article") or Path(path).stem
    if not isinstance(article_id, str):
        problems.append(Problem(path, "expected the article id as text", *yamlio.key_mark(node, "article"), field="article"))
        article_id = Path(path).stem
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
    source = data.get("source") if isinstance(data.get("source"), str) else None
    return FactFile(path, article_id, tuple(facts), source, data.get("digest"), str(data.get("extractor") or "")), problems


def read_utf8(path: Path, label: str, problems: list[Problem]) -> str | None:
    """A file people edit, as text; None (and a located problem) when it is unreadable or not UTF-8."""
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
    """Load YAML keeping comments, order and quoting, for editing in place."""
    return _yaml().load(text)


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


def record_map(fact: Fact) -> CommentedMap:
    """A new YAML record for ``fact``, with its machine fingerprint."""
    values = fact_to_dict(fact)
    record = CommentedMap(values)
    if isinstance(values.get("citation"), dict):
        record["citation"] = CommentedMap(values["citation"])
    record["machine"] = fingerprint(values)
    return record


def new_file_map(article: Article, source: str, facts: list[Fact], schema: str | None) -> CommentedMap:
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


def _match(old: list[Fact], new: Fact, taken: set[str]) -> Fact | None:
    """The existing record that is the same statement as ``new`` (same words, or same place)."""
    norm = lambda s: " ".join(re.findall(r"\w+", s.lower()))  # noqa: E731
    for fact in old:
        if fact.id not in taken and norm(fact.quote) == norm(new.quote):
            return fact
    best = max((f for f in old if f.id not in taken), key=lambda f: _overlap(f.citation, new.citation), default=None)
    return best if best is not None and _overlap(best.citation, new.citation) >= 0.5 else None


def merge_extraction(article: Article, statements: list[Statement], existing: object | None,
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
            fact = fact_from_statement(article, st, new_id(article.id, st.quote, taken), registry)
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
            old[rec["id"]] = Fact(rec["id"], str(rec.get("quote") or ""), str(rec.get("kind")),
                                  Citation(article.id, int(cit.get("start") or 0), int(cit.get("end") or 0)))
    taken = set(old)
    matched: set[str] = set()
    by_id = {rec.get("id"): rec for rec in records if isinstance(rec, dict)}
    for st in statements:
        proposal = fact_from_statement(article, st, "", registry)
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

