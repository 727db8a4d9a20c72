"""The content folder as a whole: where things live, loading and checking all of it, extracting.

This is the library the CLI and the MkDocs plugin share; it imports nothing from MkDocs.

    content/
      index.md        the editor's overview of the story (optional)
      articles/       the source articles (.txt, .md, .html); never published
      facts/          one YAML fact file per article, written by `factsheet extract`
      people.yaml     the people registry (optional)
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import logging
import os
import pickle
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from generator import ingest, wording
from generator.errors import FactsheetError, Problem
from generator.model import Article, Citation, Person, Record
from generator.records import fields, store, yamlio

log = logging.getLogger("factsheet")


@dataclass(frozen=True)
class Layout:
    """Paths of a content folder."""

    root: Path

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def facts(self) -> Path:
        return self.root / "facts"

    @property
    def people(self) -> Path:
        return self.root / "people.yaml"

    @property
    def overview(self) -> Path:
        return self.root / "index.md"

    @property
    def schemas(self) -> Path:
        return self.root / ".schemas"

    @property
    def lock(self) -> Path:
        return self.root / ".factsheet.lock"

    def label(self, path: Path) -> str:
        """A path as messages show it: relative to the folder above content/ where possible."""
        parent, text = str(self.root.parent), str(path)
        # String prefixes first: Path.relative_to for each of 20,000 files costs ~0.2 s a load.
        if parent == os.curdir and not os.path.isabs(text):
            return text
        prefix = parent if parent.endswith(os.sep) else parent + os.sep
        if text.startswith(prefix):
            return text[len(prefix):]
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return text


@dataclass
class Sheet:
    """Everything loaded from a content folder, with every problem found on the way."""

    articles: dict[str, Article] = field(default_factory=dict)
    fact_files: list[store.FactFile] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    overview: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def records(self) -> list[Record]:
        return [f for ff in self.fact_files for f in ff.records]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


# --- people ----------------------------------------------------------------------------------

def parse_people(text: str, path: str) -> tuple[list[Person], list[Problem]]:
    """Validate the people registry: a list of entries with a name and optional aliases."""
    try:
        data, node = yamlio.load(text, path)
    except FactsheetError as exc:
        return [], exc.problems
    if data is None:
        return [], []
    if isinstance(data, dict) and "people" in data:
        data, node = data["people"], yamlio.locate_node(node, "people")
    if not isinstance(data, list):
        return [], [Problem(path, "expected a list of people", 1, hint="start each entry with '- name: ...'")]
    people, problems, names = [], [], {}
    for i, raw in enumerate(data):
        line = yamlio.locate(node, i)[0]
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
            problems.append(Problem(path, "expected an entry with a name", line, field="name",
                                    hint="write '- name: Mike Pompeo'"))
            continue
        before = len(problems)
        values = store.check_mapping(raw, fields.PERSON, path,
                                     lambda key, i=i, line=line: yamlio.key_mark(node, i, key) if key else (line, None),
                                     problems=problems)
        if len(problems) > before:
            continue
        aliases = tuple(store.clean_name(a) for a in values.get("aliases", ()))
        if not all(aliases):
            problems.append(Problem(path, "an alias is empty", *yamlio.key_mark(node, i, "aliases"), field="aliases",
                                    hint="remove the empty entry; an empty alias would match every unnamed speaker"))
            continue
        person = Person(id=str(values.get("id") or ingest.slugify(raw["name"])),
                        name=store.clean_name(raw["name"]) or raw["name"].strip(), aliases=aliases, role=values.get("role"),
                        organization=values.get("organization"), kind=values.get("kind", "person"),
                        links=values.get("links", ()))
        for name in (person.name, *person.aliases):
            key = name.casefold()
            if key in names:
                problems.append(Problem(path, f"'{name}' is already the name or alias of {names[key]}", line,
                                        field="aliases", hint="one name belongs to one entry; merge the two entries"))
            names[key] = person.name
        people.append(person)
    return people, problems


def read_people(layout: Layout) -> tuple[list[Person], list[Problem]]:
    """The people registry of a content folder, validated (nothing when there is no people.yaml)."""
    if not layout.people.is_file():
        return [], []
    problems: list[Problem] = []
    text = store.read_utf8(layout.people, layout.label(layout.people), problems)
    return parse_people(text, layout.label(layout.people)) if text is not None else ([], problems)


def canonical_speakers(people: list[Person]) -> dict[str, Person]:
    """Every name and alias (case-folded) to its registry entry."""
    return {name.casefold(): p for p in people for name in (p.name, *p.aliases)}


# --- loading and checking --------------------------------------------------------------------

class FileCache:
    """Parsed files by absolute path, reused while their modification time and size are unchanged.

    One per process (:data:`CACHE`): `factsheet build` checks the content and then the MkDocs
    plugin publishes it, and `mkdocs serve` rebuilds after every edit; each file is parsed once.
    Between runs the entries of a content folder are kept on disk (:meth:`open`, :meth:`save`),
    so a build after a one-file edit parses that file only (YAML and Markdown parsing is most of
    the load time: ~2 s of ~2.2 s at 1,000 articles).
    """

    def __init__(self) -> None:
        self.entries: dict[str, tuple[int, int, str, object]] = {}
        self.seen: set[str] = set()  # entries asked for in this process: what a save keeps
        self.opened: set[str] = set()
        self.fresh: set[str] = set()  # entries parsed since the last save

    def get(self, path: Path, parse, label: str = "") -> object:
        stat = path.stat()
        key = os.path.abspath(path)
        self.seen.add(key)
        hit = self.entries.get(key)
        # A file made unreadable keeps its time and size: it is read (and refused) again.
        if hit and hit[0] == stat.st_mtime_ns and hit[1] == stat.st_size and hit[2] == label \
                and os.access(path, os.R_OK):
            return hit[3]
        value = parse(path)
        self.entries[key] = (stat.st_mtime_ns, stat.st_size, label, value)
        self.fresh.add(key)
        return value

    def open(self, root: Path) -> None:
        """Take in the entries kept on disk for the content folder ``root`` (once per process)."""
        root_key = os.path.abspath(root)
        target = cache_file(root)
        if root_key in self.opened or target is None:
            return
        self.opened.add(root_key)
        try:
            with open(target, "rb") as handle:
                if not _own_private_file(os.fstat(handle.fileno())):
                    log.warning(f"ignoring the parse cache {target}: it is not a private file of this user")
                    return
                # Millions of objects come back at once: collections meanwhile would only slow it down.
                enabled = gc.isenabled()
                gc.disable()
                try:
                    header, entries = pickle.load(handle)
                finally:
                    if enabled:
                        gc.enable()
        except FileNotFoundError:
            return
        except Exception as exc:  # a cache from a killed run or another version: parse again
            log.debug("ignoring the parse cache %s: %s", target, exc)
            return
        if header != (CACHE_VERSION, root_key):
            return
        for key, entry in entries.items():
            self.entries.setdefault(key, entry)

    def save(self, root: Path) -> None:
        """Keep the entries of ``root`` used in this process on disk, if any was parsed anew."""
        root_key = os.path.abspath(root)
        prefix = root_key + os.sep
        target = cache_file(root)
        fresh = {k for k in self.fresh if k.startswith(prefix)}
        if target is None or not fresh:
            return
        kept = {k: v for k, v in self.entries.items() if k in self.seen and k.startswith(prefix)}
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with open(tmp, "wb") as handle:
                pickle.dump(((CACHE_VERSION, root_key), kept), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)  # a reader sees the old cache or the new one, never half of one
            self.fresh -= fresh
        except OSError as exc:  # a read-only home or a full disk costs speed, never the build
            log.debug("could not write the parse cache %s: %s", target, exc)
            with contextlib.suppress(OSError):
                tmp.unlink()


def _own_private_file(stat: os.stat_result) -> bool:
    """True for a file of this user that nobody else may write: only such a pickle is read."""
    if not hasattr(os, "getuid"):  # Windows: the user's profile folder is private already
        return True
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


def cache_folder() -> Path | None:
    """Where parsed files are kept between runs, or None when the on-disk cache is off.

    ``$FACTSHEET_CACHE_DIR`` (empty: off), else ``$XDG_CACHE_HOME/factsheet`` or
    ``~/.cache/factsheet``. Never inside the project: the cache is a pickle, which must only ever
    be read from a folder of the user's own, never from a cloned repository; and a file written
    into the docs folder during a build would make `mkdocs serve` rebuild endlessly.
    """
    folder = os.environ.get("FACTSHEET_CACHE_DIR")
    if folder is not None:
        return Path(folder) if folder.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "factsheet"


def cache_file(root: Path) -> Path | None:
    """The cache of one content folder: named by a digest of its absolute path."""
    folder = cache_folder()
    if folder is None:
        return None
    name = hashlib.sha1(os.path.abspath(root).encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return folder / f"parsed-{name}.pickle"


# What a cached value depends on: the modules that parse articles and fact files (with everything
# they import from this package; tests/test_cache.py checks the list against their imports), the
# tables they read, and the libraries that parse. Other modules (render, the plugin) may change
# without making every file be parsed again.
# The packages and modules whose code parses content files (a test checks it against their imports).
PARSE_MODULES = ("ingest", "records", "model.py", "errors.py", "wording.py")
PARSE_LIBRARIES = ("PyYAML", "python-frontmatter", "markdown-it-py", "trafilatura", "lxml", "charset-normalizer")


def _code_version() -> str:
    """A fingerprint of the code, tables and libraries that parse files: a cache made by others is ignored."""
    from importlib import metadata

    package = Path(__file__).parent.parent
    digest = hashlib.sha1(sys.version.encode())
    files = [f for name in PARSE_MODULES for f in ([package / name] if name.endswith(".py")
                                                    else sorted((package / name).glob("*.py")))]
    for path in [*files, *sorted((package / "lexicons").glob("*.yaml"))]:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in PARSE_LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing".encode())
    return digest.hexdigest()[:16]


CACHE_VERSION = _code_version()
CACHE = FileCache()


def save_cache(root: Path) -> None:
    """Keep what this process parsed of the content folder ``root`` for the next run."""
    CACHE.save(root)


def load_articles(layout: Layout, paths: list[Path]) -> tuple[list[Article], list[Problem]]:
    """Like :func:`ingest.load_articles` for the given files, through :data:`CACHE`."""
    return ingest.load_each(paths, layout.label,
                            lambda path, label: CACHE.get(path, lambda p: ingest.load_article(p, label), label))


def load_sheet(root: Path) -> Sheet:
    """Load and check a whole content folder. Problems are collected, never raised.

    Files come from :data:`CACHE` (kept between runs once :func:`save_cache` is called), so only
    new or changed files are parsed.
    """
    layout = Layout(root)
    sheet = Sheet()
    if not root.is_dir():
        sheet.problems.append(Problem(str(root), "the content folder does not exist",
                                      hint="create it with an articles/ folder, or set the plugin's content option"))
        return sheet
    CACHE.open(root)
    try:
        paths = ingest.article_files(layout.articles, layout.label)
    except FactsheetError as exc:
        sheet.problems.extend(exc.problems)
        paths = []
    loaded, problems = load_articles(layout, paths)
    sheet.problems.extend(problems)
    sheet.articles = {a.id: a for a in loaded}
    named = set()
    for path in store.fact_files(layout.facts):
        ff, problems = CACHE.get(path, lambda p: store.read_fact_file(p, layout.label(p)), layout.label(path))
        sheet.problems.extend(problems)
        named.add(path.stem)  # a broken fact file is reported as such, not as missing
        if ff is not None:
            sheet.fact_files.append(ff)
            named.add(ff.article)
    sheet.problems.extend(Problem(a.path, f"article '{a.id}' has no fact file: run `factsheet extract`",
                                  hint="without one its statements would be missing from the site, silently")
                          for a in sheet.articles.values() if a.id not in named)
    sheet.people, problems = read_people(layout)
    sheet.problems.extend(problems)
    if layout.overview.is_file():
        sheet.overview = store.read_utf8(layout.overview, layout.label(layout.overview), sheet.problems) or ""
    sheet.problems.extend(check_references(sheet))
    return sheet


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches in a str pattern


_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")
# Between the parts of a split quote ("A," she said, "B."), stored joined by a space, the article
# has a closing mark, the attribution and an opening mark; nothing else may stand between words.
# A paragraph that reopens an unclosed quote has one mark there.
_SPLIT_GAP = re.compile(r"\s*[\"'](?:[^\"]*[\"'])?\s*")
# A mixed or indirect statement may also join a paraphrase to a quoted part (A, he said, "B"):
# then the gap holds a mark and text on either side of it.
_LOOSE_GAP = re.compile(r"[^\"]*[\"'](?:[^\"]*[\"']?)?[^\"]*")
VERBATIM_KINDS = ("direct", "partial")


def _quote_parts(quote: str, verbatim: bool) -> list[list[str]]:
    """A quote's words, normalised, in the parts an editor's ellipsis separates (none without words)."""
    parts = [p.strip(" ") for p in _ELLIPSIS.split(wording.normal(quote, verbatim).strip(" \"'"))]
    parts = [p for p in parts if p]
    return [p.split(" ") for p in parts] if any(map(_is_word_char, "".join(parts))) else []


def _find_piece(piece: str, text: str, start: int, gap_from: int, gap: re.Pattern | None) -> int:
    """Where ``piece`` occurs in ``text`` from ``start`` on word boundaries (and, with ``gap``, after
    a gap from ``gap_from`` that the pattern accepts); -1 when it does not."""
    at = text.find(piece, start)
    while at >= 0:
        end = at + len(piece)
        if not (at > 0 and _is_word_char(text[at - 1]) and _is_word_char(piece[0])) and \
                not (end < len(text) and _is_word_char(text[end]) and _is_word_char(piece[-1])) and \
                (gap is None or gap.fullmatch(text, gap_from, at)):
            return at
        at = text.find(piece, at + 1)
    return -1


def _match_end(parts: list[list[str]], text: str, verbatim: bool) -> int:
    """The end of the first place in ``text`` (normalised) where the quote's parts occur, or -1.

    Each part is found as runs of its words: a run as long as possible, then the next run after a
    split quote's gap. A part after an ellipsis may begin anywhere after the one before.
    """
    gap = _SPLIT_GAP if verbatim else _LOOSE_GAP
    pos = 0
    for part in parts:
        i, run_end = 0, None
        while i < len(part):
            for n in range(len(part) - i, 0, -1):
                piece = " ".join(part[i:i + n])
                at = _find_piece(piece, text, pos, pos, gap if run_end is not None else None)
                if at >= 0:
                    break
            else:
                return -1
            i, pos = i + n, at + len(piece)
            run_end = pos
    return pos


def _slow_match(quote: str, text: str, verbatim: bool) -> bool:
    """quote_in_text's answer without its fast path."""
    parts, haystack = _quote_parts(quote, verbatim), wording.normal(text, verbatim)
    if not parts:
        return False
    if _match_end(parts, haystack, verbatim) >= 0:
        return True
    first = parts[0][0]
    if verbatim and first[0].isalpha():  # "We" may open a quote of "... we": only the first letter
        other = first[0].swapcase() + first[1:]
        return _match_end([[other, *parts[0][1:]], *parts[1:]], haystack, verbatim) >= 0
    return False


def quote_in_text(quote: str, text: str, verbatim: bool = False) -> bool:
    """True when the quote occurs in ``text``: its words contiguous, on word boundaries.

    Quote-mark styles and whitespace are normalised, and case is ignored unless ``verbatim``
    (the direct and partial kinds: then only the first letter may differ). Only the parts of a
    split quote ("A," she said, "B.", stored joined by a space) may have other text between them,
    framed by quote marks, and only an ellipsis the editor wrote (``...``, ``…``) stands for
    omitted words.
    """
    # Most quotes are their span's own text: found whole, on word boundaries, they need no more.
    folded, haystack = (quote, text) if verbatim else (quote.casefold(), text.casefold())
    at = haystack.find(folded)
    if at >= 0 and folded and any(map(_is_word_char, folded)):
        end = at + len(folded)
        if not (at > 0 and _is_word_char(haystack[at - 1]) and _is_word_char(folded[0])) and \
                not (end < len(haystack) and _is_word_char(haystack[end]) and _is_word_char(folded[-1])):
            return True
    return _slow_match(quote, text, verbatim)


_TOKEN = re.compile(r"\w+(?:'\w+)*|[^\w\s\"']")


def quote_difference(quote: str, text: str, verbatim: bool = False) -> str:
    """Where a quote first departs from ``text``, in words: for the message of a failed check.

    The longest run of the quote's first words that :func:`quote_in_text` would accept is found;
    the word after it is the first that differs (only called for a quote that failed).
    """
    words = [w for part in _quote_parts(quote, verbatim) for w in part]
    haystack = wording.normal(text, verbatim)
    if not words:
        return "the quote has no words"
    found = None
    for n in range(1, len(words) + 1):
        end = _match_end([words[:n]], haystack, verbatim)
        if end < 0 and verbatim and words[0][:1].isalpha():
            end = _match_end([[words[0][0].swapcase() + words[0][1:], *words[1:n]]], haystack, verbatim)
        if end < 0:
            break
        found = (n, end)
    if found is None:
        first = _TOKEN.findall(words[0]) or [words[0]]
        return f"'{first[0]}' is not in the cited text"
    n, end = found
    if n >= len(words):
        return "the words match, but not in the order the ellipses allow"
    wanted = (_TOKEN.findall(words[n]) or [words[n]])[0]
    have = _TOKEN.findall(haystack[end:])
    after = _TOKEN.findall(words[n - 1])
    where = f" (after '{after[-1]}')" if after else ""
    if not have:
        return f"the cited text ends before '{wanted}'{where}"
    return f"the quote has '{wanted}' where the article has '{have[0]}'{where}"


# The span and quote checks of each fact file against its article, by the identity of both (they
# are immutable and come from CACHE): `factsheet build` checks the content and then the plugin
# loads it again, and `mkdocs serve` loads it after every edit; only a changed file is checked again.
_CHECKED: dict[tuple[int, int], tuple[store.FactFile, Article | None, list[list[Problem]]]] = {}


def check_references(sheet: Sheet) -> list[Problem]:
    """Cross-file checks: articles exist, spans fit, quotes still occur, same_as targets exist."""
    problems: list[Problem] = []
    ids = {f.id for f in sheet.records}
    current = {}
    first: dict[str, str] = {}  # record id -> where it was first given
    for ff in sheet.fact_files:
        for fact in ff.records:
            if fact.id in first and not first[fact.id].startswith(f"{ff.path}:"):
                problems.append(Problem(ff.path, f"id '{fact.id}' is also used by {first[fact.id]}", fact.line,
                                        field="id", hint="give one of the records a new id: ids are permalinks"))
            first.setdefault(fact.id, f"{ff.path}:{fact.line}")
        article = sheet.articles.get(ff.article)
        key = (id(ff), id(article))
        hit = _CHECKED.get(key)
        per_fact = hit[2] if hit and hit[0] is ff and hit[1] is article else _check_file(ff, article)
        current[key] = (ff, article, per_fact)
        if article is None:
            problems.append(Problem(ff.path, f"no article with id '{ff.article}'", 1, field="article",
                                    hint="the article file was renamed or removed; restore it or delete this file"))
            continue
        for fact, found in zip(ff.records, per_fact):
            problems.extend(found)
            problems.extend(_check_targets(ff.path, fact, ids))
    _CHECKED.clear()
    _CHECKED.update(current)
    return problems


def _check_file(ff: store.FactFile, article: Article | None) -> list[list[Problem]]:
    """The problems of each record of ``ff`` with its article's text (none without an article)."""
    if article is None:
        return []
    return [_check_fact(ff.path, fact, article) for fact in ff.records]


def _check_fact(path: str, fact: Record, article: Article) -> list[Problem]:
    cit = fact.citation
    if cit.article != article.id:
        return [Problem(path, f"cites article '{cit.article}', but the file is for '{article.id}'", fact.line,
                        field="citation.article", hint="move the record to the fact file of its article")]
    if cit.end > len(article.text):
        return [Problem(path, f"span {cit.start}..{cit.end} is past the end of the article "
                              f"({len(article.text)} characters)", fact.line, field="citation.end",
                        hint="run `factsheet extract` to re-locate it, or correct the offsets")]
    exact = fact.kind in VERBATIM_KINDS
    span = article.text[cit.start:cit.end]
    if fact.status != "rejected" and not quote_in_text(fact.quote, span, exact):
        severity = "warning" if "orphaned" in fact.flags else "error"
        return [Problem(path, f"quote {fact.id} does not match {article.path} at {cit.start}..{cit.end}: "
                              f"{quote_difference(fact.quote, span, exact)}",
                        fact.line, field="quote", severity=severity,
                        hint="a quote must be the source's exact words (mark omissions with ...): "
                             "fix the quote or the offsets, run `factsheet extract` if the article changed, "
                             "or set status: rejected")]
    if fact.status != "rejected" and cit.excerpt and not _excerpt_in(cit.excerpt, article.text):
        return [Problem(path, f"the excerpt of {fact.id} does not occur in {article.path}", fact.line,
                        field="citation.excerpt", hint="an excerpt is the source's words: copy it from the article, "
                                                       "or delete it and run `factsheet extract`")]
    return []


def _excerpt_in(excerpt: str, text: str) -> bool:
    """True when an excerpt is the article's text (ellipses where the writer cut it, spaces folded)."""
    haystack = _squashed(text)
    return all(" ".join(part.split()) in haystack for part in re.split(r"\s*(?:…|\.\.\.)\s*", excerpt) if part.strip())


@functools.lru_cache(maxsize=16)
def _squashed(text: str) -> str:
    """An article's text with its whitespace folded, once per article (not once per record)."""
    return " ".join(text.split())


def _check_targets(path: str, fact: Record, ids: set[str]) -> list[Problem]:
    both = [other for other in fact.same_as if other in fact.not_same_as or other == fact.id]
    return [Problem(path, f"no statement with id '{other}'", fact.line, field="same_as",
                    hint="use the id of a record in content/facts/")
            for other in (*fact.same_as, *fact.not_same_as) if other not in ids] + \
        [Problem(path, f"'{other}' is named in both same_as and not_same_as" if other != fact.id
                 else "a record cannot be the same as itself", fact.line, field="same_as",
                 hint="keep it in one of the two lists") for other in both]


# --- extraction ------------------------------------------------------------------------------

@dataclass
class ExtractResult:
    """What `factsheet extract` did, per article."""

    reports: dict[str, store.Report] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


SCHEMAS = ("facts.schema.json", "people.schema.json")


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
    existing = None
    if target.is_file():
        text = store.read_utf8(target, layout.label(target), result.problems)
        if text is None:
            return  # never rewrite a file the editor has left broken
        _, found = store.parse_fact_file(text, layout.label(target))
        if any(p.severity == "error" for p in found):
            result.problems.extend(found)
            return  # never rewrite a file the editor has left broken
        existing = store.load_roundtrip(text)
    before = store.snapshot(existing)
    doc, report = store.fold_extraction(article, statements, existing, source, schema_ref(),
                                         {k: p.name for k, p in registry.items()})
    if existing is None:
        new_text = store.dump(doc)
    else:  # only what the program changed: the editor's text, line endings and BOM stay as they are
        new_text, found = store.rewrite(text, doc, before, report, layout.label(target))
        if new_text is None:
            result.problems.extend(found)
            return
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



# --- adding a statement by hand --------------------------------------------------------------



def _words_pattern(words: str) -> re.Pattern:
    """The words as typed, matched exactly except for whitespace and quote-mark styles, on word boundaries."""
    parts = []
    for char in wording.normal(words.strip(), True):
        parts.append(r"\s+" if char == " " else wording.MARK_CLASS.get(char) or re.escape(char))
    head = r"(?<!\w)" if _is_word_char(words.strip()[:1]) else ""
    tail = r"(?!\w)" if _is_word_char(words.strip()[-1:]) else ""
    return re.compile(head + "".join(parts) + tail)


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
        spans = [m.span() for m in _words_pattern(words).finditer(article.text)]
        start, end = _pick(article, words, spans, occurrence)
        problems: list[Problem] = []
        text = store.read_utf8(target, label, problems)
        if text is None:
            raise FactsheetError(problems)
        ff, problems = store.parse_fact_file(text, label)
        if ff is None or any(p.severity == "error" for p in problems):
            raise FactsheetError(problems or [Problem(label, "the fact file cannot be read")])
        for other in ff.records:
            if wording.words(other.quote) == wording.words(article.text[start:end]) and \
                    other.citation.start < end and start < other.citation.end:
                raise FactsheetError(Problem(label, f"the words are already statement {other.id}", other.line,
                                             field="quote", hint="edit that record (its speaker, kind, status) instead"))
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
