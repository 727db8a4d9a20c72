"""Rewriting a fact file in place: only what the program changed, every other byte as the
editor wrote it (comments, flow style, quoting, line endings); where a file's shape is beyond a safe
splice, the caller says so instead of rewriting it."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter

from generator.errors import Problem
from generator.records import yamlio
from generator.records.read import parse_fact_file


@dataclass
class Report:
    """What one re-extraction changed in a fact file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # the editors' records, left as they are
    orphaned: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)  # the machine's records, found again as they are
    reanchored: list[str] = field(default_factory=list)  # the editors' records moved to their words in a new text

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in vars(self).items()}


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


@dataclass
class _Item:
    """One record of a fact file's ``statements`` list, as characters of the file's text."""

    start: int  # where its line starts
    end: int = 0  # where the next record's line starts (or the list ends)
    frozen: bool = False  # holds an anchor, an alias or a merge key: the editor's, never rewritten
    content_end: int = 0  # where its last value ends; comments and blank lines after it stay as they are
    status: tuple[int, int] | None = None  # the characters of its status value
    citation: dict[str, tuple[int, int]] = field(default_factory=dict)  # ... and of its citation's scalar values


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
    return _ShapeReader(text).read()


class _NotOnePerLine(Exception):
    """The records are not a block list with one record starting each line."""


class _ShapeReader:
    """One pass over a fact file's YAML events, noting where each piece is (the parser's marks).

    Depth 1 is the file's mapping, 2 the ``statements`` list, 3 a record, 4 its citation.
    """

    def __init__(self, text: str) -> None:
        self.text, self.shape, self.depth = text, _Shape(), 0
        self.key_next, self.top_key = True, None  # the file's mapping alternates keys and values
        self.in_statements = False
        self.item: _Item | None = None
        self.item_key: str | None = None
        self.in_citation, self.citation_key = False, None

    def read(self) -> _Shape | None:
        import yaml

        try:
            for event in yaml.parse(self.text, Loader=yamlio.Loader):
                self.event(event, type(event).__name__)
        except _NotOnePerLine:
            return None
        return self.shape if self.shape.items else None

    def event(self, event, kind: str) -> None:
        shared = kind == "AliasEvent" or getattr(event, "anchor", None) is not None or \
            (kind == "ScalarEvent" and event.value == "<<" and event.style is None)
        self.shape.shared = self.shape.shared or shared
        if self.item is not None:
            self.item.frozen = self.item.frozen or shared
            if event.end_mark.index > event.start_mark.index:  # a block's end is a mark at the next token
                self.item.content_end = max(self.item.content_end, event.end_mark.index)
        if self.in_statements and self.depth == 2 and kind != "SequenceEndEvent":
            self.record_starts(event, shared)
        if self.in_statements and self.depth == 3 and self.item is not None:
            self.record_value(event, kind)
        elif self.in_statements and self.depth == 4 and self.in_citation and self.item is not None:
            self.citation_value(event, kind)
        if self.depth == 1:
            self.top_level(event, kind)
        self.nest(event, kind)

    def record_starts(self, event, shared: bool) -> None:
        text = self.text
        start = _line_start(text, event.start_mark.index)
        if self.item is not None and start < self.item.end:
            raise _NotOnePerLine  # two records on one line
        prefix = text[start:event.start_mark.index]
        if not prefix.lstrip().startswith("-"):
            raise _NotOnePerLine  # the record does not start its own line
        if self.item is not None:
            self.item.end = start
        self.item = _Item(start, frozen=shared, content_end=event.end_mark.index)
        self.shape.items.append(self.item)
        self.shape.dash_column = len(prefix) - len(prefix.lstrip())
        self.item_key = None

    def record_value(self, event, kind: str) -> None:
        """A record's keys and values alternate; its status's characters are noted."""
        if kind == "ScalarEvent" and self.item_key is None:
            self.item_key = event.value
        elif kind == "ScalarEvent":
            if self.item_key == "status":
                self.item.status = (event.start_mark.index, event.end_mark.index)
            self.item_key = None
        elif self.item_key is not None:  # a key's value that is a collection; the alternation resumes after it
            self.in_citation = self.item_key == "citation" and kind == "MappingStartEvent"
            self.citation_key = self.item_key = None

    def citation_value(self, event, kind: str) -> None:
        if kind == "ScalarEvent" and self.citation_key is None:
            self.citation_key = event.value
        elif kind == "ScalarEvent":
            self.item.citation[self.citation_key] = (event.start_mark.index, event.end_mark.index)
            self.citation_key = None
        elif kind == "MappingEndEvent":
            self.in_citation = False
        else:  # a collection as a citation value: not one the program edits in place
            self.citation_key = None

    def top_level(self, event, kind: str) -> None:
        if kind == "ScalarEvent":
            if self.key_next:
                self.top_key = event.value
                if self.top_key == "statements":
                    self.shape.statements_key = _line_start(self.text, event.start_mark.index)
            else:
                self.shape.values[self.top_key] = (event.start_mark.index, event.end_mark.index)
            self.key_next = not self.key_next
        elif kind in ("SequenceStartEvent", "MappingStartEvent", "AliasEvent"):
            if self.top_key == "statements" and kind == "SequenceStartEvent":
                if event.flow_style:
                    raise _NotOnePerLine
                self.in_statements = True
            self.key_next = True

    def nest(self, event, kind: str) -> None:
        if kind in ("SequenceStartEvent", "MappingStartEvent"):
            self.depth += 1
        elif kind in ("SequenceEndEvent", "MappingEndEvent"):
            self.depth -= 1
            if self.in_statements and self.depth == 1:
                self.in_statements = False
                if self.item is not None:
                    self.item.end = _line_start(self.text, event.start_mark.index)
                    self.item = None


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
    edits = _header_edits(text, shape, doc, newline)
    for item, rec, was in zip(shape.items, records, before):
        edits += _record_edits(text, shape, item, rec, was, newline, report)
    added = "".join(_record_text(rec, shape.dash_column, newline) for rec in records[len(before):])
    if added:
        end = shape.items[-1].end
        lead = "" if end == 0 or text[end - 1] == "\n" else newline
        edits.append((end, end, lead + added))
    return bom + _applied(text, edits)


Edit = tuple[int, int, str]  # characters start:end of the old text, and what replaces them


def _header_edits(text: str, shape: _Shape, doc: dict, newline: str) -> list[Edit]:
    """The digest and extractor values replaced in place, or added before the statements."""
    edits = []
    for key in ("digest", "extractor"):
        if key in shape.values:
            start, end = shape.values[key]
            if text[start:end] != str(doc.get(key)):
                edits.append((start, end, str(doc.get(key))))
        else:
            edits.append((shape.statements_key, shape.statements_key, f"{key}: {doc.get(key)}{newline}"))
    return edits


def _record_edits(text: str, shape: _Shape, item: _Item, rec: object, was: object, newline: str,
                  report: Report) -> list[Edit]:
    """What changes in one record's characters: nothing, its scalars in place, or the whole record."""
    now = _plain(rec)
    if now == was:
        return []
    if item.frozen:  # the editor's: never rewritten, and reported as kept
        rec_id = rec.get("id") if isinstance(rec, dict) else None
        for name in ("updated", "orphaned", "reanchored"):
            if rec_id in getattr(report, name):
                getattr(report, name).remove(rec_id)
                report.kept.append(rec_id)
        return []
    in_place = _scalar_edits(item, was, now)
    if in_place is not None:  # only the status or the citation's offsets and excerpt changed
        return in_place
    body_end = min(item.end, _line_end(text, item.content_end))
    trailing = text[body_end:item.end]
    return [(item.start, body_end, _record_text(rec, shape.dash_column, newline, trailing))]


def _applied(text: str, edits: list[Edit]) -> str:
    out, last = [], 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out)


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


CITATION_SCALARS = ("start", "end", "excerpt")  # what re-anchoring changes


def _scalar_edits(item: _Item, was: object, now: object) -> list[Edit] | None:
    """The record's changes as replacements of single values (its status, its citation's start,
    end and excerpt), so that every other character of it stays; None when it changed otherwise."""
    if not isinstance(was, dict) or not isinstance(now, dict) or was.keys() != now.keys():
        return None
    edits = []
    for key in was:
        if was[key] == now[key]:
            continue
        if key == "status" and item.status:
            edits.append((*item.status, str(now[key])))
        elif key == "citation" and isinstance(was[key], dict) and isinstance(now[key], dict) and \
                was[key].keys() == now[key].keys():
            for sub in was[key]:
                if was[key][sub] == now[key][sub]:
                    continue
                text = _scalar_text(now[key][sub])
                if sub not in CITATION_SCALARS or sub not in item.citation or text is None:
                    return None
                edits.append((*item.citation[sub], text))
        else:
            return None
    return edits


def _scalar_text(value: object) -> str | None:
    """A value as the project's YAML writes it after ``key: `` (None if it would take more than a line)."""
    text = dump({"k": value})
    body = text[len("k: "):].rstrip("\n")
    return body if text.startswith("k: ") and "\n" not in body else None
