"""How the words of a quote are compared, once for every stage (store, content, merge).

Two comparisons, for two questions:

* :func:`normal` — *is this the source's text?* Only typography is forgiven: the quote-mark style
  (curly, straight, guillemets), runs of whitespace, and case where the kind of statement allows it
  (a paraphrase may change case; a direct quote may not). The quote checks at every build use it.
* :func:`words` / :func:`word_key` — *are these the same words?* Punctuation and case are ignored
  too: a re-extraction finding a record again, two sources giving one statement.
"""
from __future__ import annotations

import re

DOUBLE_MARKS = '"“”„‟«»‹›〝〞＂'  # every style of double quotation mark, the straight one first
SINGLE_MARKS = "'‘’‚‛′"  # single marks and apostrophes

_MARKS = str.maketrans({c: '"' for c in DOUBLE_MARKS} | {c: "'" for c in SINGLE_MARKS})
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")

# A regular-expression class per normalised mark, matching every style of it.
MARK_CLASS = {'"': "[" + re.escape(DOUBLE_MARKS) + "]", "'": "[" + re.escape(SINGLE_MARKS) + "]"}


def normal(text: str, verbatim: bool = True) -> str:
    """The text as quotes are checked against articles: one style of quote marks, single spaces,
    case folded unless ``verbatim``."""
    text = _SPACE.sub(" ", text.translate(_MARKS))
    return text if verbatim else text.casefold()


def words(text: str) -> list[str]:
    """The words of a text, case folded, without punctuation."""
    return _WORD.findall(text.casefold())


def word_key(text: str) -> str:
    """The words of a text as one string: equal for the same words in any typography."""
    return " ".join(words(text))
