"""Reading an article file's bytes: the encoding detected, and what is not text refused.

A byte order mark wins; then, for a web page, the charset it declares; then UTF-8; then the
cleanest reading charset-normalizer finds. Binary files, NUL bytes, files mixing two encodings
and huge files are refused with a located message.
"""
from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from generator.errors import FactsheetError, Problem

MAX_BYTES = 20 * 1024 * 1024  # no news article is 20 MB of text; larger files are mistakes


def decode(data: bytes, path: str, *, html: bool = False) -> str:
    """Decode an article file's bytes, detecting the encoding; refuse what is not text.

    A byte order mark wins; then, for a web page, the charset the page declares; then UTF-8;
    then the encoding charset-normalizer finds least garbled, Windows-1252 first among equals
    (Latin-1 files decode the same way: Windows-1252 is a superset of its printable part).
    """

    if not data.strip():
        raise FactsheetError(Problem(path, "the file is empty", hint="delete it or paste the article text into it"))
    encoding, skip = bom_encoding(data)
    if not encoding:
        encoding, skip = _utf16_without_bom(data), 0
    if encoding:
        return _text_only(data[skip:].decode(encoding, errors="replace"), path)
    if b"\x00" in data:
        raise FactsheetError(Problem(path, "the file contains NUL bytes: it is binary, not text",
                                     hint="save the article as .txt, .md or .html"))
    declared = declared_charset(data) if html else None
    if declared:
        return data.decode(declared, errors="replace")
    try:
        return _text_only(data.decode("utf-8"), path)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if utf8_error.reason == "unexpected end of data" and utf8_error.end == len(data) and \
            not data[:utf8_error.start].isascii():
        # UTF-8 (other characters prove it) up to a character cut in half at the very end: truncated.
        line = data.count(b"\n") + 1
        raise FactsheetError(Problem(path, "the file ends in the middle of a character: it was cut off", line,
                                     hint="save or download the whole article again"))
    _refuse_mixed(data, path)
    encoding = detect_encoding(data)
    if encoding is None:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise FactsheetError(Problem(path, f"cannot decode the text (byte {utf8_error.start} is not UTF-8)",
                                     line, hint="save the file as UTF-8"))
    return data.decode(encoding)

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _text_only(text: str, path: str) -> str:
    """Decoded text (a BOM or UTF-16 file), refused like bytes are: NUL characters, nothing to read."""
    if "\x00" in text:  # behind a BOM the NUL byte test above does not apply: test the characters
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FactsheetError(Problem(path, "the file contains NUL characters: it is binary, not text", line,
                                     hint="save the article as .txt, .md or .html"))
    if not text.strip().strip(INVISIBLE).strip():
        raise FactsheetError(Problem(path, "the file is empty", hint="delete it or paste the article text into it"))
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for text saved as UTF-16 without a byte-order mark, else None.

    Latin text in UTF-16 has a NUL byte in every other position (odd ones for little-endian);
    binary files have NUL bytes anywhere.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    half = len(data) // 2
    odd, even = data[1::2].count(0), data[0::2].count(0)
    if odd > 0.7 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.7 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _refuse_mixed(data: bytes, path: str) -> None:
    """Refuse a file with both UTF-8 paragraphs and paragraphs in another encoding (pasted from two
    places): decoded whole as one encoding, one half would be published as mojibake."""
    utf8_line, other_line, line = None, None, 1
    for para in data.split(b"\n"):
        if not para.isascii():
            try:
                para.decode("utf-8")
                utf8_line = utf8_line or line
            except UnicodeDecodeError:
                other_line = other_line or line
        line += 1
    if utf8_line and other_line:
        raise FactsheetError(Problem(path, f"the file mixes encodings: line {utf8_line} is UTF-8, line {other_line} "
                                           "is not", other_line, hint="save the whole article as UTF-8"))


def read_text(path: Path, label: str | None = None) -> tuple[str, str]:
    """The decoded text of an article file and the SHA-256 of its bytes."""
    label = label or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FactsheetError(Problem(label, f"the file is {size / 2**20:.0f} MB; articles are limited to "
                                                f"{MAX_BYTES // 2**20} MB", hint="split it, or remove what is not the article"))
        data = path.read_bytes()
    except OSError as exc:
        raise FactsheetError(Problem(label, f"cannot read the file: {exc.strerror}")) from None
    return decode(data, label, html=path.suffix.lower() in (".html", ".htm")), hashlib.sha256(data).hexdigest()


HEAD_BYTES = 4096  # where the provenance comments and a declared charset are looked for

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)

# What browsers do (WHATWG Encoding): pages labelled Latin-1 or ASCII are read as Windows-1252.
_WEB_ALIASES = {"latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252", "iso8859_9": "cp1254",
                "iso8859_11": "cp874", "utf_16": "utf-8", "utf_16_le": "utf-8", "utf_16_be": "utf-8"}

_CHAOS_SLACK = 0.05  # readings this close to the cleanest count as equally clean

_PREFERRED = ("utf_8", "cp1252", "iso8859_15", "latin_1")  # among equally clean readings


def bom_encoding(data: bytes) -> tuple[str | None, int]:
    """The encoding a byte order mark announces, and the mark's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None, 0


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` of its head, as Python names it.

    A page labelled with a single-byte charset whose bytes are nonetheless valid, non-ASCII
    UTF-8 was re-saved as UTF-8 without its label being updated: UTF-8 is returned then.
    """
    found = _META_CHARSET.search(data[:HEAD_BYTES])
    if not found:
        return None
    try:
        name = codecs.lookup(found.group(1).decode("ascii")).name.replace("-", "_")
    except (LookupError, UnicodeDecodeError):
        return None
    name = _WEB_ALIASES.get(name, name)
    if name != "utf_8" and not data.isascii():
        try:
            data.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            pass
    return name


def detect_encoding(data: bytes) -> str | None:
    """The encoding of bytes that are not UTF-8: the least garbled reading, Windows-1252 first among equals."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    cleanest = min(m.chaos for m in matches)
    candidates = {name for m in matches if m.chaos <= cleanest + _CHAOS_SLACK for name in m.could_be_from_charset}
    for name in _PREFERRED:
        if name in candidates:
            return name
    return min(matches, key=lambda m: m.chaos).encoding
