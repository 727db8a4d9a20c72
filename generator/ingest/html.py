"""Saved web pages: the article's main text and metadata, extracted with trafilatura.

Offsets of an HTML article refer to the extracted text (``Article.text``), not to the markup:
citations quote what a reader of the article saw. Before trafilatura sees the page, the markup is
tidied where trafilatura is known to stumble on news pages:

* widgets that stay hidden until hovered or that only screen readers announce are removed
  (a politician's name in a link must not be followed by their five latest headlines);
* newsletter sign-up boxes inside the article are removed;
* promotional links that stand alone as a paragraph ("READ MORE: ...", "CLICK HERE TO GET
  THE APP") are removed, with the heading that introduces a run of them ("DON'T MISS");
* an article body cut in two by an advertisement (two sibling containers of the same class)
  is joined again, so the second half is not lost;
* the headline and the standfirst are kept only where they carry a statement: the headline is
  already the article's title, and a standfirst that says nothing is only a summary.

A page saved by ``factsheet add`` starts with a ``saved from url`` comment (the convention of
browsers' "Save page as") and a ``retrieved`` comment; both are read back into ``Article.url``
and ``Article.retrieved`` and are not guesses.
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from lxml import etree

from generator.errors import FactsheetError, Problem
from generator.ingest.encoding import HEAD_BYTES
from generator.ingest.paragraphs import make_paragraphs, text_blocks
from generator.model import Article
from generator.records.fields import slugify

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)
_RETRIEVED = re.compile(r"<!--\s*retrieved:?\s*(\d{4}-\d{2}-\d{2})[^>]*-->", re.I)
_SINGLEFILE = re.compile(r"<!--\s*Page saved with SingleFile\s+url:\s*(\S+)\s+saved date:\s*([^\n(]+)", re.I)
_HIDDEN_CLASS = re.compile(r"^(hidden|element-hidden|is-hidden|u-hidden|visually-hidden|visuallyhidden|"
                           r"sr-only|screen-reader-text|screen-reader-only|offscreen)$|"
                           r"tooltip|popover|hover-?card|rollover-[\w-]*block", re.I)
_WIDGET_CLASS = re.compile(r"newsletter|sign-?up|subscribe", re.I)
_WIDGET_TEXT = 500  # a sign-up box is short; a container this class-named that is longer holds more
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_STANDFIRST_CLASS = re.compile(r"standfirst|sub-?head|sub-?line|sub-?title|\bdek\b|\bdeck\b|strapline|"
                               r"article-?summary|article-?excerpt|article-?intro", re.I)
_QUOTE_MARKS = re.compile(r"[\"“”«»„]|‘[^’]{3,}’|(?:^|\s)'[^']{3,}'(?=$|[\s.,:;!?])")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_PROMO_TAGS = {"p", "li", "h2", "h3", "h4", "h5", "h6"}
_LINK_SHARE = 0.7  # a paragraph whose text is at least this much link text is a promotion




# --- encodings ---------------------------------------------------------------------------------







@dataclass(frozen=True)
class Provenance:
    """Where a saved copy of a page came from, as recorded in the copy itself."""

    url: str | None = None
    retrieved: dt.date | None = None


def provenance(html: str) -> Provenance:
    """The URL and retrieval date recorded at the top of a saved page, if any."""
    head = html[:HEAD_BYTES]
    single = _SINGLEFILE.search(head)
    if single:
        return Provenance(single.group(1), _parse_date(single.group(2)))
    saved, retrieved = _SAVED_FROM.search(head), _RETRIEVED.search(head)
    return Provenance(saved.group(1) if saved else None, _parse_date(retrieved.group(1)) if retrieved else None)


def carries_statement(text: str) -> bool:
    """True when a headline or standfirst quotes or reports someone: it may hold a statement."""
    return bool(_QUOTE_MARKS.search(text) or _saying().search(text))


@functools.cache
def _saying() -> re.Pattern:
    """The headline cues of ``lexicons/reporting.yaml`` ("says", "according to"), as one pattern."""
    raw = resources.files("generator.lexicons").joinpath("reporting.yaml").read_text("utf-8")
    forms = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["headline_cues"]  # noqa: S506
    return re.compile(r"\b(" + "|".join(re.escape(str(form)) for form in forms) + r")\b", re.I)


# --- tidying the markup ------------------------------------------------------------------------

def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _is_hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or _DISPLAY_NONE.search(el.get("style", "")):
        return True
    return any(_HIDDEN_CLASS.search(token) for token in el.get("class", "").split())


def drop_hidden(tree: etree._Element) -> None:
    """Remove elements a reader does not see: hidden, screen-reader only, hover cards."""
    for el in [e for e in tree.iter() if isinstance(e.tag, str) and e.tag not in ("html", "body") and _is_hidden(e)]:
        if el.getparent() is not None:
            el.drop_tree()


def drop_widgets(tree: etree._Element) -> None:
    """Remove newsletter and sign-up boxes that sit inside the article."""
    boxes = [el for el in tree.iter("div", "section", "aside", "form")
             if _WIDGET_CLASS.search(el.get("class", "")) and len(_text(el)) < _WIDGET_TEXT]
    for el in boxes:
        if el.getparent() is not None:
            el.drop_tree()


def _link_share(el: etree._Element) -> float:
    total = len(_text(el))
    if not total:
        return 0.0
    linked = sum(len(_text(a)) for a in el.iter("a"))
    return linked / total


def drop_promotions(tree: etree._Element) -> None:
    """Remove paragraphs that are only a link to another story, and the heading over a run of them."""
    promos = [el for el in tree.iter(*_PROMO_TAGS) if el.find(".//a") is not None
              and len(_text(el)) < 300 and _link_share(el) >= _LINK_SHARE]
    for el in promos:
        parent = el.getparent()
        if parent is None:
            continue
        if el.tag == "li" and parent.tag in ("ul", "ol"):
            _drop_list_heading(parent)
        else:
            _drop_heading_before(el)
        el.drop_tree()


def _drop_list_heading(listing: etree._Element) -> None:
    """A list of promotional links takes its short heading ("DON'T MISS", "Related") with it."""
    _drop_heading_before(listing)


def _drop_heading_before(el: etree._Element) -> None:
    previous = el.getprevious()
    if previous is None or not isinstance(previous.tag, str):
        return
    text = _text(previous)
    if 0 < len(text) <= 40 and previous.find(".//a") is None and not text.endswith((".", "?", "!", '"', "”")) \
            and (previous.tag in _HEADINGS or (previous.tag == "p" and len(previous) and previous[0].tag in ("strong", "b"))):
        previous.drop_tree()


def join_split_bodies(tree: etree._Element) -> None:
    """Join an article body that an advertisement cut into sibling containers of one class."""
    groups: dict[tuple[str, str], list[etree._Element]] = {}
    for el in tree.iter("div", "section"):
        cls = " ".join(el.get("class", "").split())
        if cls and sum(len(_text(p)) for p in el.findall("p")) >= 200:
            groups.setdefault((el.tag, cls), []).append(el)
    for members in groups.values():
        if len(members) < 2 or any(_contains(a, b) for a in members for b in members if a is not b):
            continue
        first = members[0]
        for other in members[1:]:
            for child in list(other):
                first.append(child)
            other.drop_tree()


def _contains(outer: etree._Element, inner: etree._Element) -> bool:
    return any(anc is outer for anc in inner.iterancestors())


def drop_headline_and_standfirst(tree: etree._Element) -> None:
    """Remove the headline and standfirst, unless they carry a statement."""
    for h1 in tree.iter("h1"):
        nxt = h1.getnext()
        if nxt is not None and nxt.tag in _HEADINGS - {"h1"} and not carries_statement(_text(nxt)):
            nxt.drop_tree()
    for el in tree.iter("h2", "h3", "h4", "p", "div"):
        if (_STANDFIRST_CLASS.search(el.get("class", "")) and len(_text(el)) < 400 and el.getparent() is not None
                and el.find(".//p") is None and not carries_statement(_text(el))):
            el.drop_tree()
    for h1 in list(tree.iter("h1")):
        if not carries_statement(_text(h1)):
            h1.drop_tree()


def tidy(tree: etree._Element) -> etree._Element:
    """Apply every markup fix, in place; returns the tree."""
    drop_hidden(tree)
    drop_widgets(tree)
    drop_promotions(tree)
    join_split_bodies(tree)
    drop_headline_and_standfirst(tree)
    return tree


# --- metadata --------------------------------------------------------------------------------

def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


_WORD = re.compile(r"[^\W_]+")
_ROLE = re.compile(r"\b(writer|editor|reporter|correspondent|staff|contributor|columnist)\b|editor-at-large", re.I)
_CALENDAR = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
                       r"may|june|july|august|september|october|november|december)\b.*$", re.I)
_AGENCY = r"(the\s+)?(associated press|ap|reuters|afp|agence france-presse|pti)"
_AGENCY_ONLY = re.compile(rf"^{_AGENCY}$", re.I)
_AGENCY_AFTER_NAME = re.compile(rf"(?<=\w)\s+{_AGENCY}$", re.I)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if len(w) >= 4}


def headline(tree: etree._Element, titles: list[str | None]) -> str | None:
    """The headline a reader sees: the first ``<h1>`` of three words or more that shares
    at least two words with the page's ``<title>`` or its social-media title."""
    known = set().union(*(_words(t) for t in titles if t))
    for h1 in tree.iter("h1"):
        text = _text(h1)
        if len(text.split()) >= 3 and len(text) <= 300 and len(_words(text) & known) >= 2:
            return text
    return None


def _is_role(part: str) -> bool:
    """ "Ap Sports Writer", "CNN Editor-at-large", "Staff Writer" -- but "Jane Reporter" is a name."""
    words = part.split()
    return bool(_ROLE.search(part)) and (len(words) >= 3 or words[0].lower() == "staff"
                                          or any(w.isupper() and len(w) > 1 for w in words))


def clean_author(value: str | None) -> str | None:
    """Only the names of a byline: no "By", job titles, dates, or an agency next to named people."""
    if not value:
        return None
    value = re.sub(r"^\s*((analysis|opinion|commentary|review)\s+)?by\s+", "", value, flags=re.I)
    value = re.sub(r"\s+is an? .*$", "", value)
    names = []
    for part in value.split(";"):
        part = _AGENCY_AFTER_NAME.sub("", _CALENDAR.sub("", part).strip(" ,|-"))
        if part and not _is_role(part):
            names.append(part.title() if part.isupper() else part)
    people = [n for n in names if not _AGENCY_ONLY.match(n)]
    names = people or names  # "Meg Kinnard; Associated Press": the agency is not an author here
    return "; ".join(dict.fromkeys(names)) or None


def _clean(value: object) -> str | None:
    text = " ".join(unicodedata.normalize("NFC", str(value)).split()) if value else ""
    return text or None


# --- the article -----------------------------------------------------------------------------

def parse_tree(html: str, path: str) -> etree._Element:
    """The page's element tree; a located error when the file is not HTML at all."""
    import trafilatura

    tree = trafilatura.load_html(html)
    if tree is None:
        raise FactsheetError(Problem(path, "cannot parse the file as HTML",
                                     hint="save the page again as 'Web page, HTML only', or paste its text into a .txt file"))
    return tree


def extract_text(tree: etree._Element) -> str:
    """The main text of a tidied page, paragraphs separated by blank lines."""
    import trafilatura

    doc = trafilatura.bare_extraction(tree, include_comments=False, include_tables=False)
    raw = (doc.text if doc is not None else "") or ""
    return "\n\n".join(" ".join(line.split()) for line in raw.splitlines() if line.strip())


def parse_html(html: str, path: str, *, digest: str = "", published: dt.date | None = None,
               article_id: str | None = None) -> Article:
    """Extract the main text and metadata of a saved page into an Article."""
    import trafilatura


    tree = parse_tree(html, path)
    meta = trafilatura.extract_metadata(copy.deepcopy(tree), extensive=False)
    text = extract_text(tidy(copy.deepcopy(tree)))
    if not text:  # tidying must never cost the whole article
        text = extract_text(tree)
    if not text:
        raise FactsheetError(Problem(path, "no article text found in the page",
                                     hint="save the page again once it has fully loaded, or paste its text into a .txt file"))
    page_title = _text(tree.find(".//title")) if tree.find(".//title") is not None else None
    found = {"title": headline(tree, [meta.title, page_title]) or _clean(meta.title),
             "author": clean_author(_clean(meta.author)), "outlet": _clean(meta.sitename),
             "url": _clean(meta.url), "published": _parse_date(meta.date)}
    saved = provenance(html)
    values = {**found, "url": saved.url or found["url"], "published": found["published"] or published}
    guessed = {k for k, v in found.items() if v is not None} - ({"url"} if saved.url else set())
    return Article(
        id=article_id or slugify(Path(path).stem),
        path=path,
        text=text,
        paragraphs=make_paragraphs(text, text_blocks(text)),
        title=values["title"],
        outlet=values["outlet"],
        url=values["url"],
        published=values["published"],
        author=values["author"],
        retrieved=saved.retrieved,
        guessed=frozenset(guessed),
        digest=digest,
    )
