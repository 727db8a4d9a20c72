"""Stage 3, store: fact records as YAML files in ``content/facts/``, one per article.

Reading (:mod:`generator.records.read`) is fast and strict: PyYAML's C safe loader through
:mod:`generator.records.yamlio`, every field validated against the field table, every problem
located (file:line:column, field, hint). Writing (here) goes through
ruamel.yaml's round-trip mode so that an editor's comments, key order and quoting survive, and
is atomic (a temporary file in the same folder, then a rename): a file is either old or new;
an existing file is changed in place, only where the program changed it
(:mod:`generator.records.splice`).

The records belong to the editors. The program only ever replaces records whose status is
``extracted`` and whose fields are still exactly what the extractor wrote (the ``machine``
fingerprint); anything an editor touched is theirs.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator import wording
from generator.model import Article, Attribution, Citation, Record
from generator.records.read import (  # noqa: F401
    EDITOR_FIELDS,
    LATER_FIELDS,
    MACHINE_FIELDS,
    RECORD_FIELDS,
    FactFile,
    Pos,
    check_list_item,
    check_mapping,
    clean_name,
    fact_files,
    fingerprint,
    parse_fact_file,
    parse_record,
    read_fact_file,
    read_utf8,
)
from generator.records.splice import (  # noqa: F401
    CITATION_SCALARS,
    Report,
    dump,
    load_roundtrip,
    rewrite,
    snapshot,
    splice,
)


def extractor_version(package: Path | None = None) -> str:
    """A fingerprint of the extractor's code, lexicons and trained models.

    Fact files record it; when the extractor changes, `factsheet extract` sees a different value
    and refreshes the machine's records (never the editors'), so improvements reach old articles.
    """
    package = package or Path(__file__).parent.parent
    digest = hashlib.sha1()
    for path in sorted([*(package / "extract").glob("*.py"), *(package / "lexicons").glob("*.yaml"),
                        *(package / "extract" / "models").glob("*.crfsuite"),
                        *(package / "extract" / "models").glob("*.txt")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return "x" + digest.hexdigest()[:12]  # a letter first: YAML never reads it as a number


EXTRACTOR_VERSION = extractor_version()
SCHEMA_NAME = "facts.schema.json"
EXCERPT_CHARS = 320


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


def article_key(article_id: str) -> str:
    """The part of a new record id that names its article: the article id itself, or, for an id
    over 64 characters, its first 55 and 8 hex digits of a hash of the whole (a record id is at
    most 80 characters)."""
    if len(article_id) <= 64:
        return article_id
    return f"{article_id[:55].rstrip('-')}-{hashlib.sha1(article_id.encode()).hexdigest()[:8]}"


def new_id(article_id: str, quote: str, taken: set[str]) -> str:
    """A new record id, ``s-<article>-<6 hex digits>``, unique within ``taken`` (the article's ids).

    The hex digits come from the article and the statement's words; the article id in front
    makes the id unique across the content folder as well (6 hex digits alone gave 141 of
    73,389 records of 10,000 articles an id another article had). So fact files written apart,
    by worker processes, a Dask cluster or ``extract_file`` on many machines, never need to see
    each other's ids, and an id does not depend on which articles were extracted before it.
    Existing ids are never changed: this is only called for a record that has none yet.
    """
    words = re.findall(r"\w+", quote.lower())  # not wording.words: ids must stay what they were
    digest = hashlib.sha1(f"{article_id}\n{' '.join(words)}".encode()).hexdigest()
    base = f"s-{article_key(article_id)}-{digest[:6]}"
    n = 2  # the same words said more than once in one article ("No," he said, again and again)
    candidate = base
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


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
        "said_at": fact.said_at, "said_on_inferred": fact.said_on_inferred or None, "venue": fact.venue, "cue": fact.cue,
        "citation": {"start": fact.citation.start, "end": fact.citation.end, "excerpt": fact.citation.excerpt},
        "note": fact.note, "verdict": fact.verdict, "rating": fact.rating,
        "reviewed_by": fact.reviewed_by, "reviewed_on": fact.reviewed_on,
        "links": list(fact.links) or None, "same_as": list(fact.same_as) or None,
        "not_same_as": list(fact.not_same_as) or None, "flags": list(fact.flags) or None,
    }
    out = {k: v for k, v in values.items() if v is not None}
    out["speaker"] = fact.speaker  # always present, so editors see where to write it
    return {k: out[k] for k in RECORD_FIELDS if k in out}


# --- writing ---------------------------------------------------------------------------------




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
    old = _cited(records, article.id)
    taken, matched = set(old), set()
    by_id = {rec.get("id"): rec for rec in records if isinstance(rec, dict)}
    for st in statements:
        proposal = record_from_attribution(article, st, "", registry)
        twin = _match(list(old.values()), proposal, matched)
        if twin is None:
            fact = replace(proposal, id=new_id(article.id, st.quote, taken))
            taken.add(fact.id)
            records.append(record_map(fact))
            report.added.append(fact.id)
        else:
            matched.add(twin.id)
            _refold(by_id[twin.id], replace(proposal, id=twin.id), report)
    for fact_id, rec in by_id.items():
        if fact_id not in matched and fact_id is not None:
            _unmatched(fact_id, rec, report)
    doc["digest"] = article.digest
    doc["extractor"] = EXTRACTOR_VERSION
    return doc, report


def _cited(records: list, article_id: str) -> dict[str, Record]:
    """The file's records that have an id and a citation, as far as matching needs them."""
    old = {}
    for rec in records:
        if isinstance(rec, dict) and isinstance(rec.get("id"), str) and isinstance(rec.get("citation"), dict):
            cit = rec["citation"]
            old[rec["id"]] = Record(rec["id"], str(rec.get("quote") or ""), str(rec.get("kind")),
                                    Citation(article_id, int(cit.get("start") or 0), int(cit.get("end") or 0)))
    return old


def _refold(rec: dict, found: Record, report: Report) -> None:
    """A record the extractor found again (``found``, with the record's id): updated when it is
    still the machine's, else kept."""
    if not machine_owned(rec):
        _mark_reviewed(rec)
        report.kept.append(found.id)
        return
    fresh = record_map(found)  # its fingerprint is only worth making for a record the machine owns
    if fresh["machine"] == rec.get("machine") and "orphaned" not in (rec.get("flags") or []):
        report.up_to_date.append(found.id)
    else:
        _update_record(rec, fresh)
        report.updated.append(found.id)


def _unmatched(fact_id: str, rec: dict, report: Report) -> None:
    """A record the extractor no longer finds: flagged orphaned when it is the machine's, else kept."""
    if machine_owned(rec):
        flags = rec.get("flags") or []
        if "orphaned" not in flags:
            rec["flags"] = CommentedSeq([*flags, "orphaned"])
        report.orphaned.append(fact_id)
    else:
        _mark_reviewed(rec)
        report.kept.append(fact_id)


def machine_owned(rec: dict) -> bool:
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


