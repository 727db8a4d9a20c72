"""Stage 1, ingest: article files (plain text, Markdown with front matter, saved HTML) to Articles.

Reading is strict about what it refuses (binary files, NUL bytes, undecodable or huge files) and
loose about what it accepts (any encoding it can detect, CRLF, BOM). Metadata given by the editor
in front matter always wins; what is guessed from the text is listed in ``Article.guessed``.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Callable

import frontmatter
import yaml
from markdown_it import MarkdownIt

from generator.errors import FactsheetError, Problem
from generator.ingest.encoding import INVISIBLE, MAX_BYTES, decode, read_text
from generator.ingest.html import parse_html
from generator.ingest.paragraphs import LINE, drop_boilerplate, make_paragraphs, text_blocks
from generator.model import Article
from generator.records import fields, yamlio
from generator.records.fields import slugify

__all__ = ["MAX_BYTES", "decode", "read_text", "drop_boilerplate", "make_paragraphs", "text_blocks", "slugify"]

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES
FRONT_MATTER_KEYS = fields.names(fields.FRONT_MATTER)
# Ids name files (content/facts/<id>.yaml, sources/<id>/): never a path, never a reserved name.
ARTICLE_ID = fields.ID_RE

# Used with .match(text, pos): anchored where the body starts (after any front matter).
# Header lines of a plain text: ``date 2020-07-10`` (the body may follow on its line),
# ``title: ...``, ``outlet: ...``, ``url: ...`` (or ``url https://...``), in any order, with a bare
# headline allowed before them. They are metadata, never paragraphs.
_DATE_HEADER = re.compile(r"[ \t]*date[ \t]*:?[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*(?:\r?\n)?", re.I)
_FIELD_HEADER = re.compile(r"[ \t]*(?:(title|outlet|url)[ \t]*:[ \t]*(\S[^\r\n]*?)|(url)[ \t]+(https?://\S+))"
                           r"[ \t]*(?:\r?\n|$)", re.I)




# --- reading bytes ---------------------------------------------------------------------------













# --- paragraphs and boilerplate -----------------------------------------------------------------













# --- formats ---------------------------------------------------------------------------------

def _guess_title(text: str, blocks: list[tuple[int, int]]) -> str | None:
    """The first line, where it looks like a headline: short, and not a finished sentence."""
    if len(blocks) < 2:
        return None
    first = text[blocks[0][0]:blocks[0][1]]
    if "\n" in first or len(first) > 160 or first.rstrip().endswith("."):
        return None
    return first.strip()


def _header_line(text: str, pos: int, path: str, meta: dict[str, object]) -> int:
    """The end of the header line at ``pos`` (its field put in ``meta``), or ``pos`` when it is not one."""
    date = _DATE_HEADER.match(text, pos)
    if date:
        try:
            meta["published"] = dt.date.fromisoformat(date.group(1))
        except ValueError:
            raise FactsheetError(Problem(path, f"expected a real day, got {date.group(1)!r}",
                                         text.count("\n", 0, pos) + 1, field="date",
                                         hint="write the day as YYYY-MM-DD")) from None
        return date.end()
    field = _FIELD_HEADER.match(text, pos)
    if not field:
        return pos
    key = (field.group(1) or field.group(3)).lower()
    meta[key] = (field.group(2) or field.group(4)).strip()
    return field.end()


def _header(text: str, start: int, path: str = "") -> tuple[dict[str, object], int]:
    """The header lines at ``start`` (a headline may come first) and where the body begins."""
    meta: dict[str, object] = {}
    pos = _header_line(text, start, path, meta)
    if pos == start:  # a bare headline counts as the title only when header lines follow it
        line = LINE.match(text, start)
        after = line.end() + (2 if text.startswith("\r\n", line.end()) else 1)
        if not line.group().strip() or line.end() >= len(text) or _header_line(text, after, path, meta) == after:
            return {}, start
        meta.setdefault("title", line.group().strip())
        pos = after
    while True:
        end = _header_line(text, pos, path, meta)
        if end == pos:
            return meta, pos
        pos = end


def _plain_text(text: str, start: int = 0, path: str = "") -> tuple[dict[str, object], list[tuple[int, int]], set[str]]:
    """Metadata found in a plain text (header lines, or a headline) and its paragraphs."""
    meta, body = _header(text, start, path)
    blocks = text_blocks(text, body)
    if body > start:
        return meta, blocks, set()
    guessed: set[str] = set()
    title = _guess_title(text, blocks)
    if title:
        meta["title"] = title
        guessed.add("title")
    return meta, blocks, guessed


def _front_matter(text: str, path: str) -> tuple[dict[str, object], int]:
    """The front matter of a Markdown file (validated) and the offset where its body starts."""
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        return {}, 0
    marks = list(handler.FM_BOUNDARY.finditer(text))
    if len(marks) < 2:
        raise FactsheetError(Problem(path, "front matter is not closed", 1, field="---",
                                     hint="end the front matter with a line of three dashes (---)"))
    body_start = marks[1].end()
    if text.startswith("\r\n", body_start):
        body_start += 2
    elif text.startswith("\n", body_start):
        body_start += 1
    fm_text = text[marks[0].end():marks[1].start()]
    first_line = text.count("\n", 0, marks[0].end()) + 1
    padded = "\n" * (first_line - 1) + fm_text  # so YAML errors carry file line numbers
    data, node = yamlio.load(padded, path)
    if data is None:
        return {}, body_start
    if not isinstance(data, dict):
        raise FactsheetError(Problem(path, "front matter must be a mapping of fields", first_line,
                                     hint="write fields as 'title: ...', one per line"))
    return _validate_meta(data, node, path), body_start


def _validate_meta(data: dict, node: yaml.Node | None, path: str) -> dict[str, object]:
    """Front matter checked against :data:`fields.FRONT_MATTER`; raises with every problem."""
    problems: list[Problem] = []
    table = {f.name: f for f in fields.FRONT_MATTER}
    meta: dict[str, object] = {}
    for key, value in data.items():
        line = yamlio.key_line(node, key)
        f = table.get(key)
        if f is None:
            problems.append(Problem(path, "unknown field", line, field=str(key), hint=fields.unknown(key, fields.FRONT_MATTER)))
            continue
        if value is None:
            meta[key] = None
            continue
        if f.type == "text" and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # a headline or an author can be a number: "1984", "2020"
        checked, message, hint = fields.check(f, value)
        if message is None and key == "id" and checked in fields.RESERVED_NAMES:
            message, hint = f"invalid id {value!r}", f.hint
        if message is None and f.type == "date" and checked > dt.date.today() + dt.timedelta(days=1):  # time zones
            message, hint = f"{checked.isoformat()} is in the future", "check the year; write the day the article appeared"
        if message is not None:
            problems.append(Problem(path, message, line, field=key, hint=hint))
        elif isinstance(checked, str):
            meta[key] = checked.strip() or None
        else:
            meta[key] = checked
    if problems:
        raise FactsheetError(problems)
    return meta


def markdown_blocks(text: str, start: int) -> list[tuple[int, int]]:
    """Paragraph and heading ranges of a Markdown body, found with markdown-it-py."""
    body = text[start:]
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", body)]
    line_starts.append(len(body))
    blocks = []
    for token in MarkdownIt("commonmark").parse(body):
        if token.type in ("paragraph_open", "heading_open") and token.map:
            a, b = token.map
            # Pasted articles often put one paragraph per line: split where a line is not a hard wrap.
            blocks.extend(text_blocks(text, start + line_starts[a], start + line_starts[min(b, len(line_starts) - 1)]))
    return blocks


def parse_text(text: str, path: str, suffix: str) -> tuple[dict[str, object], list[tuple[int, int]], set[str]]:
    """Metadata, paragraph ranges and guessed fields of a text or Markdown article."""
    if suffix not in MARKDOWN_SUFFIXES:
        return _plain_text(text, 0, path)
    meta, body_start = _front_matter(text, path)
    if body_start and not text[body_start:].strip().strip(INVISIBLE).strip():
        raise FactsheetError(Problem(path, "the article has front matter but no text after it",
                                     text.count("\n", 0, text.rfind("---", 0, body_start)) + 1,
                                     hint="paste the article text below the closing ---"))
    header_meta, _, guessed = _plain_text(text, body_start, path)
    for key in list(guessed):
        if key in meta:
            guessed.discard(key)
    merged = {**header_meta, **meta}
    # A guessed headline stays a paragraph too: headlines carry statements; header lines never do.
    blocks = markdown_blocks(text, _header(text, body_start, path)[1])
    return merged, blocks, guessed


def article_from_text(text: str, path: str, *, suffix: str = ".txt", digest: str = "",
                      published: dt.date | None = None, article_id: str | None = None) -> Article:
    """Build an Article from already-decoded text (the pure core of :func:`load_article`)."""
    if suffix in HTML_SUFFIXES:

        return parse_html(text, path, digest=digest, published=published, article_id=article_id)
    meta, blocks, guessed = parse_text(text, path, suffix)
    if published and not meta.get("published"):
        meta["published"] = published
    return Article(
        id=str(meta.get("id") or article_id or slugify(Path(path).stem)),
        path=path,
        text=text,
        paragraphs=make_paragraphs(text, blocks),
        title=meta.get("title"),  # type: ignore[arg-type]
        outlet=meta.get("outlet"),  # type: ignore[arg-type]
        url=meta.get("url"),  # type: ignore[arg-type]
        published=meta.get("published"),  # type: ignore[arg-type]
        author=meta.get("author"),  # type: ignore[arg-type]
        retrieved=meta.get("retrieved"),  # type: ignore[arg-type]
        archive_url=meta.get("archive_url"),  # type: ignore[arg-type]
        former_ids=tuple(meta.get("former_ids") or ()),
        guessed=frozenset(guessed),
        digest=digest,
    )


def load_article(path: Path, label: str | None = None, published: dt.date | None = None) -> Article:
    """Read one article file; raise :class:`FactsheetError` with a located message if it is bad."""
    label = label or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise FactsheetError(Problem(label, f"'{suffix or path.name}' files are not articles",
                                     hint="articles are .txt, .md or .html; move other files out of content/articles/"))
    if path.is_symlink() and not path.resolve().is_relative_to(path.parent.resolve()):
        # content/articles/x.txt -> ~/.ssh/... would publish excerpts of any file the builder can read.
        raise FactsheetError(Problem(label, "the file is a symbolic link to a file outside its folder",
                                     hint="copy the article into the folder instead of linking to it"))
    text, digest = read_text(path, label)
    return article_from_text(text, label, suffix=suffix, digest=digest, published=published)


def article_files(folder: Path, label=str) -> list[Path]:
    """Every file in an articles folder (sorted, hidden files and folders skipped).

    An unreadable folder raises :class:`FactsheetError` naming it (``label`` makes its name).
    """
    if not folder.is_dir():
        return []
    found: list[tuple[tuple[str, ...], str]] = []
    unreadable: list[OSError] = []

    # Plain strings and the folder entries' own types (no stat per file, as os.path.isfile
    # would make): pathlib's rglob and Path comparisons cost ~1 s per 10,000 files.
    def walk(folder_path: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(folder_path) as listing:
                entries = list(listing)
        except OSError as exc:
            unreadable.append(exc)
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):  # as os.walk: links to folders are not followed
                walk(entry.path, parts + (entry.name,))
            elif entry.is_file():
                found.append((parts + (entry.name,), entry.path))
    walk(str(folder), ())
    if unreadable:  # else an unreadable folder would look empty: "0 extracted", exit 0
        exc = unreadable[0]
        raise FactsheetError(Problem(label(Path(exc.filename or folder)), f"cannot read the folder: {exc.strerror or exc}",
                                     hint="check the folder's permissions"))
    return [Path(path) for _, path in sorted(found)]  # in the order of Path's own sorting: by parts


def load_articles(folder: Path, root: Path | None = None) -> tuple[list[Article], list[Problem]]:
    """Load every article of a folder; a bad file is reported and skipped, never fatal."""
    return load_each(article_files(folder), lambda p: str(p.relative_to(root)) if root else str(p))


def load_each(paths: list[Path], label_of: Callable[[Path], str],
              load: Callable[[Path, str], Article] | None = None) -> tuple[list[Article], list[Problem]]:
    """Load the given article files (with ``load``, default :func:`load_article`); a bad file
    is reported and skipped, and a second file with the same id is refused."""
    load = load or load_article
    articles, problems, seen = [], [], {}
    for path in paths:
        label = label_of(path)
        try:
            article = load(path, label)
        except FactsheetError as exc:
            problems.extend(exc.problems)
            continue
        if article.id in seen:
            problems.append(Problem(label, f"article id '{article.id}' is also used by {seen[article.id]}",
                                    field="id", hint="rename one of the files, or give it an 'id:' in its front matter"))
            continue
        seen[article.id] = label
        articles.append(article)
    return articles, problems
