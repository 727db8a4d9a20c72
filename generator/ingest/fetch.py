"""``factsheet add``: fetch web pages and keep an archived copy under ``content/articles/``.

The copy is the page's own bytes, with two comments put in front of them: the URL it was saved
from, in the form browsers write on "Save page as" (``<!-- saved from url=(0034)https://... -->``),
and the date it was retrieved. The ingester reads both back (``Article.url``, ``Article.retrieved``),
so the site cites the archived copy and says where and when it was taken. Where the server named
the page's charset only in its HTTP header, a ``<meta charset>`` is added so that the copy reads
the same without the header. This module is the only one that touches the network.
"""
from __future__ import annotations

import datetime as dt
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from generator.errors import FactsheetError, Problem
from generator.ingest import load_article
from generator.ingest.encoding import HEAD_BYTES, MAX_BYTES, bom_encoding, declared_charset
from generator.ingest.html import provenance
from generator.records.fields import slugify

TIMEOUT = 20.0  # seconds to wait for the server, per request
USER_AGENT = "factsheet/0.1 (+archiving a news article for a fact sheet)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"[\w.:-]{1,40}")
_DOCTYPE = re.compile(rb"\A\s*<!doctype[^>]*>", re.I)


@dataclass(frozen=True)
class Page:
    """A fetched web page: where it was asked for, where it ended up, and its bytes."""

    url: str
    final_url: str
    data: bytes
    charset: str | None  # from the Content-Type header
    retrieved: dt.datetime


def check_url(url: str) -> str:
    """The URL, if it is an absolute http(s) URL; a located error otherwise."""
    text = url.strip()
    if any(ord(c) < 0x20 or ord(c) == 0x7f for c in text):  # never into a request, a file or an href
        raise FactsheetError(Problem(url, "the address contains control characters",
                                     hint="copy the full address from the browser's address bar"))
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:  # "http://[::1", "http://host:eighty/"
        raise FactsheetError(Problem(url, f"not a valid address: {exc}",
                                     hint="check the host and port; copy the address from the browser")) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FactsheetError(Problem(url, "only http:// and https:// addresses can be added",
                                     hint="copy the full address from the browser's address bar"))
    return urllib.parse.urlunsplit(parts)


def fetch(url: str, timeout: float = TIMEOUT) -> Page:
    """Download one page; every network failure becomes a one-line FactsheetError."""
    url = check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            kind = response.headers.get_content_type()
            if kind not in HTML_TYPES:
                raise FactsheetError(Problem(url, f"the address is not a web page (it serves {kind})",
                                             hint="add the article's page, not a file it links to"))
            data = _read(response, time.monotonic() + timeout)
            final_url, charset = response.geturl(), response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:  # urllib's redirect-loop message is several lines
            raise FactsheetError(Problem(url, f"the server redirects in a loop (or too often): {exc.code}",
                                         hint="open the address in a browser and add the address it ends at")) from None
        raise FactsheetError(Problem(url, f"the server answered {exc.code} {' '.join(str(exc.reason).split())}",
                                     hint="check the address; a paywalled page must be saved from the browser")) from None
    except urllib.error.URLError as exc:
        raise FactsheetError(_unreachable(url, exc.reason, timeout)) from None
    except (TimeoutError, socket.timeout, ConnectionError) as exc:
        raise FactsheetError(_unreachable(url, exc, timeout)) from None
    if len(data) > MAX_BYTES:
        raise FactsheetError(Problem(url, f"the page is larger than {MAX_BYTES // 2**20} MB",
                                     hint="save the article from the browser instead"))
    return Page(url, final_url, data, charset, dt.datetime.now(dt.timezone.utc))


def _read(response, deadline: float) -> bytes:
    """The body, up to MAX_BYTES + 1, within ``deadline``: a server that drips one byte just
    inside each read timeout is cut off when the whole download's time is up."""
    chunks, size = [], 0
    while size <= MAX_BYTES:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
        if sock is not None:
            sock.settimeout(left)  # no single read outlasts the whole download's time
        chunk = response.read1(min(65536, MAX_BYTES + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _unreachable(url: str, reason: object, timeout: float = TIMEOUT) -> Problem:
    host = urllib.parse.urlsplit(url).hostname or url
    if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
        why = f"no answer from {host} within {timeout:g} s"
    else:
        why = f"cannot reach {host}: {getattr(reason, 'strerror', None) or reason}"
    return Problem(url, why, hint="check the network connection and the address, then try again")


def archived_copy(page: Page) -> bytes:
    """The bytes to keep: the page, preceded by where and when it was saved."""
    encoding, skip = bom_encoding(page.data)
    body = page.data[skip:]
    address = urllib.parse.quote(page.final_url, safe=":/?#[]@!$&'()*+,;=%~-._")
    note = f"<!-- saved from url=({len(address):04d}){address} -->\n"
    note += f"<!-- retrieved: {page.retrieved:%Y-%m-%dT%H:%M:%SZ} by factsheet add -->\n"
    if page.charset and _CHARSET.fullmatch(page.charset) and not encoding and not declared_charset(page.data):
        note += f'<meta charset="{page.charset}">\n'
    doctype = _DOCTYPE.match(body)
    if doctype:  # keep the doctype first, as browsers do
        cut = doctype.end()
        return page.data[:skip] + body[:cut] + ("\n" + note.rstrip("\n")).encode(encoding or "ascii") + body[cut:]
    return page.data[:skip] + note.encode(encoding or "ascii") + body


def file_name(url: str) -> str:
    """A readable file name for a page: its host and the last part of its path."""

    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "page").removeprefix("www.").split(".")[0]
    steps = [s for s in parts.path.split("/") if s]
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", steps[-1], flags=re.I) if steps else "index"
    return f"{slugify(host + '-' + last)[:80]}.html"


def already_saved(folder: Path, url: str) -> Path | None:
    """The archived copy of ``url`` in ``folder``, if there is one."""
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.htm*")):
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES).decode("ascii", errors="ignore")
        if provenance(head).url in (url, urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")):
            return path
    return None


def save(page: Page, folder: Path) -> Path:
    """Write the archived copy into ``folder`` under a name no other file has."""
    folder.mkdir(parents=True, exist_ok=True)
    name = file_name(page.final_url)
    target, n = folder / name, 2
    while target.exists():
        target, n = folder / f"{name[:-5]}-{n}.html", n + 1
    target.write_bytes(archived_copy(page))
    return target


def add(url: str, folder: Path, timeout: float = TIMEOUT) -> tuple[Path, bool]:
    """Fetch ``url`` and archive it in ``folder``; returns the copy and whether it is new.

    A page that yields no article text is not kept: the site could not cite it.
    """
    url = check_url(url)
    existing = already_saved(folder, url)
    if existing:
        return existing, False
    page = fetch(url, timeout)
    existing = already_saved(folder, page.final_url)
    if existing:
        return existing, False
    path = save(page, folder)
    try:
        load_article(path)
    except FactsheetError as exc:
        path.unlink()
        raise FactsheetError([Problem(url, p.message, hint=p.hint) for p in exc.problems]) from None
    return path, True
