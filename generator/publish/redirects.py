"""Redirect pages: the old address of a renamed or merged speaker (or source) leads to the new one.

A redirect is a small static HTML file at the old page's address (``speakers/old/index.html``, or
``speakers/old.html`` without directory URLs) with a meta refresh, a canonical link and a plain
link for readers without refresh. Its only variable parts are page paths, which are slugs and ids
(letters, digits, hyphens), and the site URL; all are HTML-escaped all the same.
"""
from __future__ import annotations

import html
import posixpath


def url_of(page: str, directory_urls: bool) -> str:
    """The URL path (from the site's root) of a docs page such as ``speakers/amazon.md``."""
    stem = page[:-3] if page.endswith(".md") else page
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/" if directory_urls else stem + ".html"


def file_of(page: str, directory_urls: bool) -> str:
    """The file in the built site that answers for a docs page's URL."""
    url = url_of(page, directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


def redirect_html(old_page: str, new_page: str, directory_urls: bool, site_url: str | None = None) -> str:
    """The HTML of the redirect from ``old_page``'s address to ``new_page``'s (both docs paths)."""
    old, new = url_of(old_page, directory_urls), url_of(new_page, directory_urls)
    folder = old if old.endswith("/") else posixpath.dirname(old)
    target = posixpath.relpath(new or ".", folder or ".")
    if new.endswith("/") and not target.endswith("/"):
        target += "/"
    href = html.escape(target, quote=True)
    canonical = ""
    if site_url:
        canonical = f'<link rel="canonical" href="{html.escape(site_url.rstrip("/") + "/" + new, quote=True)}">\n'
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n"
            f'<meta http-equiv="refresh" content="0; url={href}">\n{canonical}'
            '<meta name="robots" content="noindex">\n</head>\n'
            f'<body><p>This page has moved: <a href="{href}">{href}</a>.</p></body>\n</html>\n')
