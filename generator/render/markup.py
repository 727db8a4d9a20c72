"""What a template may print: text escaped for Markdown and HTML, anchors, safe outbound links,
dates as readers read them, wording differences marked. Article text, quotes, names and URLs are
untrusted: nothing here lets them become markup."""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import re

from markupsafe import Markup

from generator.cache import Bounded

# Characters that mean something to Markdown, its extensions, HTML or Jinja. Each is written as a
# numeric character reference, which every one of those shows as the character itself.
_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-!|<>&\"'~:=^$%@]|(?<=[wW]{3})\.")  # "www." too: no autolinks


_SPECIAL_CHAR = re.compile(r"[\\`*_{}\[\]()#+\-!|<>&\"'~:=^$%@]")  # _SPECIAL without "www."


_WWW_DOT = re.compile(r"(?<=[wW]{3})\.")


_SPACES = re.compile(r"\s+")


_REFERENCES = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-!|<>&\"'~:=^$%@."}


as_markup = functools.partial(str.__new__, Markup)  # Markup(text) for a str, without Markup's __html__ check


def _reference(match: re.Match[str]) -> str:
    return _REFERENCES[match.group()]


def _escape_text(text: str) -> Markup:
    # One line: a newline could start a Markdown block. Every whitespace character (what \s matches)
    # other than the space is unprintable, so printable text without two spaces in a row is unchanged.
    if "  " in text or not text.isprintable():
        text = _SPACES.sub(" ", text)
    if _SPECIAL_CHAR.search(text) is None and ("w." not in text and "W." not in text or _WWW_DOT.search(text) is None):
        return as_markup(text)
    return as_markup(_SPECIAL.sub(_reference, text))


ESCAPED = Bounded(_escape_text)  # plain text seen before -> its escaped form (names, dates, labels repeat)


def escape(value: object) -> Markup:
    """Text made inert in Markdown and HTML: special characters become character references."""
    if type(value) is str:
        return ESCAPED[value]
    if value is None:
        return as_markup("")
    if isinstance(value, Markup):
        return value
    return _escape_text(str(value))


_ANCHOR = re.compile(r"[a-z0-9][a-z0-9-]*")


def anchor(value: object) -> Markup:
    """A record id as an HTML id / URL fragment; ids are validated on load, this re-checks."""
    text = str(value)
    if not _ANCHOR.fullmatch(text):
        raise ValueError(f"unsafe anchor {text!r}")
    return as_markup(text)


def heading_attrs(value: object) -> Markup:
    """attr_list braces giving a statement heading its permanent id."""
    return as_markup("{#" + str(anchor(value)) + " .fs-statement}")  # an anchor has nothing to escape


@functools.lru_cache(maxsize=4096)
def month_label(key: str) -> str:
    """ "2020-07" as "July 2020"."""
    return dt.date.fromisoformat(key + "-01").strftime("%B %Y")


def safe_url(url: object) -> str | None:
    """The URL if it is http(s) and well formed, else None (no javascript:, data:, ...)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not re.match(r"^https?://[^\s/$.?#<>\"'`][^\s<>\"'`]*$", url, re.I):
        return None
    return url


def external_link(url: object, text: object = None) -> Markup:
    """An outbound link that opens safely (``rel="noopener"``), or the text alone if the URL is bad."""
    if (type(url) is str or url is None) and (type(text) is str or text is None):
        return _LINKS[url, text]
    return _external_link(url, text)


def _external_link(url: object, text: object) -> Markup:
    good = safe_url(url)
    label = escape(text if text is not None else url)
    if not good:
        return Markup(label)
    href = escape(good).replace("&#58;", ":")  # keep the scheme readable; ':' is inert in an attribute
    return Markup(f'<a href="{href}" rel="noopener noreferrer" target="_blank">{label}</a>')


_LINKS = Bounded(lambda pair: _external_link(*pair))  # (url, text) -> link: an article's URL shows on many pages


def format_day(value: dt.date | None, precision: str = "day") -> str:
    """A date as readers read it: "6 July 2020", "week of 6 July 2020", "July 2020"."""
    if type(value) is dt.date and type(precision) is str:
        return _DAYS[value, precision]
    return _format_day(value, precision)


def _format_day(value: dt.date | None, precision: str) -> str:
    if value is None:
        return "date unknown"
    if precision == "month":
        return value.strftime("%B %Y")
    if precision == "year":
        return str(value.year)
    text = f"{value.day} {value.strftime('%B %Y')}"
    return f"week of {text}" if precision == "week" else text


_DAYS = Bounded(lambda pair: _format_day(*pair))


def diff_markup(variant: str, base: str) -> Markup:
    """``variant`` with the words that differ from ``base`` marked (escaped, then marked up)."""
    a, b = base.split(), variant.split()
    out = []
    for op, _, _, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        words = escape(" ".join(b[j1:j2]))
        if not words:
            continue
        out.append(words if op == "equal" else f"<mark>{words}</mark>")
    return Markup(" ".join(out))


_MONTHS = Bounded(lambda day: day.strftime("%Y-%m"))


def month_key(day: dt.date | None) -> str:
    """The month page a day belongs to ("2020-07"), or "undated"."""
    if not day:
        return "undated"
    return _MONTHS[day] if type(day) is dt.date else day.strftime("%Y-%m")
