"""Saved web pages: the article's main text and metadata, extracted with trafilatura.

Offsets of an HTML article refer to the extracted text (``Article.text``), not to the markup:
citations quote what a reader of the article saw.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import trafilatura

from .errors import FactsheetError, Problem
from .model import Article


def parse_html(html: str, path: str, *, digest: str = "", published: dt.date | None = None,
               article_id: str | None = None) -> Article:
    """Extract the main text and metadata of a saved page into an Article."""
    from .ingest import make_paragraphs, slugify, text_blocks

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, as_dict=True)
    if not doc or not (doc.get("text") or "").strip():
        raise FactsheetError(Problem(path, "no article text found in the page",
                                     hint="save the page again once it has fully loaded, or paste its text into a .txt file"))
    text = "\n\n".join(line.strip() for line in doc["text"].splitlines() if line.strip())
    date = published
    if not date and doc.get("date"):
        try:
            date = dt.date.fromisoformat(str(doc["date"])[:10])
        except ValueError:
            date = None
    guessed = {k for k in ("title", "author", "published", "outlet", "url")
               if (doc.get({"published": "date", "outlet": "sitename"}.get(k, k)))}
    return Article(
        id=article_id or slugify(Path(path).stem),
        path=path,
        text=text,
        paragraphs=make_paragraphs(text, text_blocks(text)),
        title=doc.get("title"),
        outlet=doc.get("sitename"),
        url=doc.get("url"),
        published=date,
        author=doc.get("author"),
        guessed=frozenset(guessed),
        digest=digest,
    )
