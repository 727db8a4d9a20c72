"""Adding a statement the extractor missed (``factsheet add-statement``): the words found in
the article, a reviewed record appended to its fact file atomically."""
from __future__ import annotations

import re
from pathlib import Path

from filelock import FileLock

from generator import ingest, wording
from generator.content.layout import Layout
from generator.content.parsecache import load_articles
from generator.content.people import canonical_speakers, read_people
from generator.content.quotes import words_pattern
from generator.errors import FactsheetError, Problem
from generator.model import Article, Citation, Record
from generator.records import store


def find_article(layout: Layout, ref: str) -> Article:
    """The article named by ``ref``: its file, or its id; refused with a located message otherwise."""
    path = Path(ref)
    paths = [path] if path.is_file() else [p for p in ingest.article_files(layout.articles)
                                            if ingest.slugify(p.stem) == ref or p.stem == ref]
    articles, problems = load_articles(layout, paths)
    if problems:
        raise FactsheetError(problems)
    found = [a for a in articles if a.id == ref or path.is_file()]
    if not found:
        raise FactsheetError(Problem(ref, "no such article", hint=f"give an article file or the id of one in {layout.label(layout.articles)}/"))
    return found[0]


def add_statement(root: Path, ref: str, words: str, speaker: str, *, kind: str = "direct",
                  said_on=None, occurrence: int | None = None) -> tuple[str, str, str]:
    """Add a reviewed record for ``words`` of an article to its fact file; return (file, id, record text).

    The words must occur in the article exactly once, or ``occurrence`` (1-based) says which;
    the id, offsets and excerpt are filled in. The record is appended to the file's text, so
    every byte the editors wrote stays as it was, and the file is replaced atomically.
    """
    layout = Layout(root)
    with FileLock(layout.lock, timeout=10):
        article = find_article(layout, ref)
        target = layout.facts / f"{article.id}.yaml"
        label = layout.label(target)
        if not target.is_file():
            raise FactsheetError(Problem(article.path, f"article '{article.id}' has no fact file: run `factsheet extract`",
                                         hint="then add the statement the extractor missed"))
        if not wording.words(words):
            raise FactsheetError(Problem(article.path, "expected words to find, got none", field="words",
                                         hint="give the statement's words, in quotes"))
        spans = [m.span() for m in words_pattern(words).finditer(article.text)]
        start, end = _pick(article, words, spans, occurrence)
        text, ff = _read_fact_file(target, label)
        _refuse_twin(ff, article.text[start:end], start, end, label)
        people, _ = read_people(layout)
        registry = canonical_speakers(people)
        person = registry.get(speaker.strip().casefold())
        quote = " ".join(article.text[start:end].split())
        fact = Record(id=store.new_id(article.id, quote, {f.id for f in ff.records}), quote=quote, kind=kind,
                    citation=Citation(article.id, start, end, store.excerpt(article, start, end)),
                    status="reviewed", speaker=person.name if person else speaker.strip(), said_on=said_on)
        record = store.record_map(fact)
        del record["machine"]  # an editor's record: no machine fingerprint to compare with
        new_text, shown = _append_record(text, record)
        after, problems = store.parse_fact_file(new_text, label)
        if after is None or len(after.records) != len(ff.records) + 1 or any(p.severity == "error" for p in problems):
            raise FactsheetError(problems or [Problem(label, "the record could not be added to the file",
                                                      hint="a bug in factsheet: please report it with the file")])
        store.atomic_write(target, new_text)
    return label, fact.id, shown


def _read_fact_file(target: Path, label: str) -> tuple[str, object]:
    """The fact file's text and its parsed records; refused when it has an error."""
    problems: list[Problem] = []
    text = store.read_utf8(target, label, problems)
    if text is None:
        raise FactsheetError(problems)
    ff, problems = store.parse_fact_file(text, label)
    if ff is None or any(p.severity == "error" for p in problems):
        raise FactsheetError(problems or [Problem(label, "the fact file cannot be read")])
    return text, ff


def _refuse_twin(ff, words: str, start: int, end: int, label: str) -> None:
    """Refuse words a record of the file already holds at that place (edit that record instead)."""
    for other in ff.records:
        if wording.words(other.quote) == wording.words(words) and \
                other.citation.start < end and start < other.citation.end:
            raise FactsheetError(Problem(label, f"the words are already statement {other.id}", other.line,
                                         field="quote", hint="edit that record (its speaker, kind, status) instead"))


def _pick(article: Article, words: str, spans: list[tuple[int, int]], occurrence: int | None) -> tuple[int, int]:
    """The span of the wanted occurrence, or a refusal that says what to do."""
    if not spans:
        raise FactsheetError(Problem(article.path, f"the words {words.strip()!r} do not occur in the article",
                                     field="words", hint="copy them from the article exactly, as one passage"))
    if occurrence is None and len(spans) > 1:
        where = ", ".join(_line_col(article.text, a) for a, _ in spans)
        raise FactsheetError(Problem(article.path, f"the words occur {len(spans)} times (at {where})", field="words",
                                     hint=f"pass --occurrence N (1 to {len(spans)}), or give more words"))
    n = occurrence or 1
    if not 1 <= n <= len(spans):
        raise FactsheetError(Problem(article.path, f"there is no occurrence {n}: the words occur {len(spans)} time(s)",
                                     field="occurrence", hint=f"pass --occurrence 1 to {len(spans)}"))
    return spans[n - 1]


def _line_col(text: str, at: int) -> str:
    return f"{text.count(chr(10), 0, at) + 1}:{at - (text.rfind(chr(10), 0, at) + 1) + 1}"


_STATEMENTS_KEY = re.compile(r"^statements:[ \t]*(?:#[^\r\n]*)?\r?$", re.M)


def _statements_last(text: str) -> int:
    """Where the top-level ``statements:`` line starts when nothing but its block follows it, else -1."""
    key = None
    for key in _STATEMENTS_KEY.finditer(text):  # noqa: B007 (the last match is the one wanted)
        pass
    if key is None:
        return -1
    for line in text[key.end():].splitlines()[1:]:
        if line.strip() and not line.startswith((" ", "\t")) and not line.lstrip().startswith("#"):
            return -1
    return key.start()


def _append_record(text: str, record) -> tuple[str, str]:
    """``text`` with ``record`` appended to its statements, and the record's own YAML text.

    When the statements list is the file's last part, in block style, the record's lines are
    added after it: the rest of the file is kept byte for byte (comments, quoting, line endings).
    Otherwise the document is written again through the round-trip dumper, which keeps comments.
    """
    item = store.dump([record])
    at = _statements_last(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    if at >= 0:
        indent = re.search(r"^([ \t]*)- ", text[at:], re.M)
        pad = indent.group(1) if indent else "  "
        if pad == "  ":  # the dumper's own indentation: its lines fit as they are
            lines = item.splitlines()
            body = text if text.endswith(("\n", "\r")) else text + newline
            return body + newline.join(lines) + newline, item
    doc = store.load_roundtrip(text)
    statements = doc.get("statements")
    if not isinstance(statements, list):
        doc["statements"] = statements = store.CommentedSeq()
    statements.append(record)
    return store.dump(doc), item
