"""Extraction jobs: which articles need extracting, running the extractor (here, in worker
processes or on a Dask cluster) and folding its attributions into each article's fact file, under
the content folder's lock."""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from generator import ingest
from generator.content import anchor
from generator.content.layout import Layout
from generator.content.parsecache import load_articles
from generator.content.people import canonical_speakers, read_people
from generator.content.quotes import excerpt_in, quote_in_text
from generator.errors import FactsheetError, Problem
from generator.model import Article, Person
from generator.records import store, yamlio

log = logging.getLogger("factsheet")


@dataclass
class ExtractResult:
    """What `factsheet extract` did, per article."""

    reports: dict[str, store.Report] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


SCHEMAS = ("facts.schema.json", "people.schema.json", "events.schema.json")


def schema_ref() -> str:
    """The modeline target of generated fact files: the schema copy kept in content/.schemas/."""
    return f"../.schemas/{store.SCHEMA_NAME}"


_HEAD_DIGEST = re.compile(r"^digest:[ \t]*['\"]?([0-9a-f]{64})['\"]?[ \t]*$", re.M)


_HEAD_EXTRACTOR = re.compile(r"^extractor:[ \t]*['\"]?([\w.-]+)['\"]?[ \t]*$", re.M)


_ID_KEY = re.compile(rb"^[\"']?id[\"']?[ \t]*:", re.M)


def _front_matter_id(data: bytes) -> bool:
    """True when a Markdown file's front matter may name the article's id (then it must be parsed)."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"---"):
        return False
    end = data.find(b"\n---", 3)
    return _ID_KEY.search(data, 0, end if end > 0 else len(data)) is not None


def _unchanged(layout: Layout, paths: list[Path]) -> tuple[list[str], list[Path]]:
    """Article files whose fact file already records their digest: (their ids, the other files).

    An unchanged article is never parsed again: the SHA-256 of its bytes is compared with the
    ``digest`` line at the top of its fact file, so a warm `factsheet extract` over 10,000
    articles reads bytes and hashes them, nothing more. Files whose id could come from their
    front matter, or that share an id, take the full path (:func:`_needs_extraction`).
    """
    import hashlib
    from collections import Counter

    guessed = {path: ingest.slugify(path.stem) for path in paths
               if path.suffix.lower() in ingest.TEXT_SUFFIXES | ingest.MARKDOWN_SUFFIXES}
    counts = Counter(guessed.values())
    skipped, rest = [], []
    for path in paths:
        article_id = guessed.get(path)
        if article_id is None or counts[article_id] > 1:
            rest.append(path)
            continue
        try:
            data = path.read_bytes()
            with open(layout.facts / f"{article_id}.yaml", encoding="utf-8") as handle:
                head = handle.read(4096).split("\nstatements:", 1)[0]
        except (OSError, UnicodeDecodeError):
            rest.append(path)
            continue
        digest, extractor = _HEAD_DIGEST.search(head), _HEAD_EXTRACTOR.search(head)
        if digest and extractor and extractor.group(1) == store.EXTRACTOR_VERSION and \
                digest.group(1) == hashlib.sha256(data).hexdigest() and \
                not (path.suffix.lower() in ingest.MARKDOWN_SUFFIXES and _front_matter_id(data)):
            skipped.append(article_id)
        else:
            rest.append(path)
    return skipped, rest


def _needs_extraction(article: Article, path: Path) -> bool:
    if not path.is_file():
        return True
    try:
        data, _ = yamlio.load(path.read_text("utf-8"), str(path))
    except (FactsheetError, OSError, UnicodeDecodeError):
        return False  # a broken fact file is the editor's to fix; never overwrite it
    return not isinstance(data, dict) or data.get("digest") != article.digest or \
        str(data.get("extractor")) != store.EXTRACTOR_VERSION


def extract_content(root: Path, *, jobs: int = 0, force: bool = False, wait: float = 0,
                    mode: str = "spacy", dask: str | None = None, progress=None) -> ExtractResult:
    """Extract statements from new or changed articles into their fact files, under a lock.

    ``dask``: a scheduler address, or ``"local"``: the articles are extracted on a Dask cluster
    (``jobs`` worker processes for ``"local"``); the fact files are written here, as without it.
    ``progress(done, total)`` is called as each article to extract is finished."""
    layout = Layout(root)
    result = ExtractResult()
    if not layout.root.is_dir():  # never an empty content folder (and then an empty site) by mistake
        raise FactsheetError(Problem(str(root), "the content folder does not exist",
                                     hint="create it with an articles/ folder, or pass --content FOLDER"))
    try:
        lock = FileLock(layout.lock, timeout=wait)
        lock.acquire()
    except Timeout:
        raise FactsheetError(Problem(layout.label(layout.lock), "another `factsheet extract` is running on this content",
                                     hint="wait for it to finish, or pass --wait SECONDS")) from None
    except OSError as exc:  # a read-only content folder: the lock file cannot be made
        raise FactsheetError(Problem(layout.label(Path(exc.filename or layout.lock)),
                                     f"cannot write in the content folder: {exc.strerror or exc}",
                                     hint="check the folder's permissions and the free space")) from None
    try:  # only the lock's own failures are the folder's: a cluster's or a write's are reported as theirs
        _extract_locked(layout, jobs, force, result, mode, dask, progress)
    finally:
        lock.release()
    return result


def _extract_locked(layout: Layout, jobs: int, force: bool, result: ExtractResult, mode: str = "spacy",
                    dask: str | None = None, progress=None) -> None:
    if layout.facts.is_dir():  # a run killed while writing leaves its temporary file; under the lock, it is stale
        for stale in layout.facts.glob(".*.yaml.*.tmp"):
            stale.unlink(missing_ok=True)
    paths = ingest.article_files(layout.articles, layout.label)
    skipped, paths = ([], paths) if force else _unchanged(layout, paths)
    result.skipped.extend(skipped)
    unchanged = set(skipped)
    articles, problems = load_articles(layout, paths)
    result.problems.extend(problems)
    todo = []
    for article in articles:
        target = layout.facts / f"{article.id}.yaml"
        if article.id in unchanged:
            result.problems.append(Problem(article.path, f"article id '{article.id}' is also used by another article",
                                           field="id", hint="give it another 'id:' in its front matter"))
        elif force or _needs_extraction(article, target):
            todo.append(article)
        else:
            result.skipped.append(article.id)
    try:
        _write_schemas(layout)
    except OSError as exc:  # disk full, read-only: the schemas are a help for editors' tools, not content
        result.problems.append(Problem(layout.label(layout.schemas), f"cannot write the schemas: {exc.strerror or exc}",
                                       hint="check the free space and permissions"))
    people, found = read_people(layout)
    result.problems.extend(found)
    registry = canonical_speakers(people)
    each = _extract_on_dask(todo, dask, jobs, mode, result) if dask else _extract_each(todo, jobs, mode, result)
    for done, (article, statements) in enumerate(each if todo else (), 1):
        _write_facts(layout, article, statements, registry, result)
        if progress is not None:
            progress(done, len(todo))


def _extract_on_dask(todo: list[Article], address: str, jobs: int, mode: str, result: ExtractResult):
    """The articles' statements from a Dask cluster as they complete; a failed one is reported."""
    from generator.content import dask as extract_dask

    for article, statements in extract_dask.extract_many(todo, address, mode, workers=jobs):
        if isinstance(statements, BaseException):
            exc = statements
            result.problems.append(Problem(
                article.path, " ".join(f"the extractor failed on this article: {type(exc).__name__}: {exc}".split()),
                hint="a bug in factsheet: please report it with the article; the other articles were extracted"))
            continue
        yield article, statements


def _extract_each(todo: list[Article], jobs: int, mode: str, result: ExtractResult):
    """``extract_many``, except that an article the extractor fails on is reported, not fatal.

    The batch runs as usual; if it breaks, the articles it had not finished are extracted one
    by one, so the failing one is named and every other article still gets its fact file.
    """
    from generator import extract

    done: set[str] = set()
    try:
        for article, statements in extract.extract_many(todo, jobs=jobs, mode=mode):
            done.add(article.id)
            yield article, statements
        return
    except Exception:  # noqa: BLE001 - found again below, one article at a time
        log.debug("extraction batch failed; retrying one article at a time", exc_info=True)
    nlp = extract.load_nlp(mode)
    for article in todo:
        if article.id in done:
            continue
        try:
            statements = extract.extract(article, nlp)
        except Exception as exc:  # noqa: BLE001 - a bug in the extractor must not stop the other articles
            log.debug("extraction failed for %s", article.path, exc_info=True)
            result.problems.append(Problem(
                article.path, " ".join(f"the extractor failed on this article: {type(exc).__name__}: {exc}".split()),
                hint="a bug in factsheet: please report it with the article; the other articles were extracted"))
            continue
        yield article, statements


def _write_facts(layout: Layout, article: Article, statements: list, registry: dict[str, Person],
                 result: ExtractResult) -> None:
    """Fold one article's fresh statements into its fact file (the only file it writes)."""
    target = layout.facts / f"{article.id}.yaml"
    source = Path(os.path.relpath(layout.root.parent / article.path, layout.root)).as_posix()
    existing = parsed = None
    moves: dict[str, tuple[int, int]] = {}
    if target.is_file():
        text = store.read_utf8(target, layout.label(target), result.problems)
        if text is None:
            return  # never rewrite a file the editor has left broken
        parsed, found = store.parse_fact_file(text, layout.label(target))
        if any(p.severity == "error" for p in found):
            result.problems.extend(found)
            return  # never rewrite a file the editor has left broken
        existing = store.load_roundtrip(text)
    before = store.snapshot(existing)
    doc, report = store.fold_extraction(article, statements, existing, source, schema_ref(),
                                         {k: p.name for k, p in registry.items()})
    if parsed is not None and parsed.digest != article.digest:  # a corrected article: the editors' records move
        lines = {r.id: r.line for r in parsed.records}
        problems, moves = anchor.reanchor(article, doc, report, layout.label(target), lines, quote_in_text, excerpt_in)
        result.problems.extend(problems)
    if existing is None:
        new_text = store.dump(doc)
    else:  # only what the program changed: the editor's text, line endings and BOM stay as they are
        new_text, found = store.rewrite(text, doc, before, report, layout.label(target))
        if new_text is None:
            result.problems.extend(found)
            return
        if moves:
            result.problems.extend(anchor.unmoved(layout.label(target), lines, moves, report))
    if existing is None or text != new_text:
        try:
            store.atomic_write(target, new_text)
        except OSError as exc:  # disk full, read-only folder: the previous file is untouched
            result.problems.append(Problem(layout.label(target), f"cannot write the file: {exc.strerror or exc}",
                                           hint="check the free space and permissions; the previous version is unchanged"))
            return
    result.reports[article.id] = report


def extract_file(root: Path, path: Path, *, mode: str = "spacy", force: bool = False) -> ExtractResult:
    """`factsheet extract` for one article file: the unit a Dask bag or Ray map runs on many machines.

    A pure function of the article and its own fact file: it reads ``path`` (and the registry),
    writes only ``facts/<article id>.yaml`` and returns what it did. The language pipeline is
    loaded once per worker process. Unlike :func:`extract_content` it takes no lock: give each
    worker its own files (ids are unique per file, so no two workers write one fact file).
    """
    layout = Layout(Path(root))
    result = ExtractResult()
    skipped, rest = ([], [Path(path)]) if force else _unchanged(layout, [Path(path)])
    result.skipped.extend(skipped)
    articles, problems = load_articles(layout, rest)
    result.problems.extend(problems)
    todo = [a for a in articles if force or _needs_extraction(a, layout.facts / f"{a.id}.yaml")]
    result.skipped.extend(a.id for a in articles if all(a.id != t.id for t in todo))
    if not todo:
        return result
    from generator import extract

    if mode not in _NLP:
        _NLP[mode] = extract.load_nlp(mode)
    people, found = read_people(layout)
    result.problems.extend(found)
    registry = canonical_speakers(people)
    for article in todo:
        _write_facts(layout, article, extract.extract(article, _NLP[mode]), registry, result)
    return result


_NLP: dict[str, object] = {}  # per worker process: the pipeline extract_file loaded


def _write_schemas(layout: Layout) -> None:
    """Keep copies of the shipped JSON Schemas where the records' modelines point (for editors' tools)."""
    from importlib import resources

    for name in SCHEMAS:
        text = resources.files("generator.schemas").joinpath(name).read_text("utf-8")
        target = layout.schemas / name
        if not target.is_file() or target.read_text("utf-8") != text:
            store.atomic_write(target, text)
