"""Which site builder: MkDocs, or its fork ProperDocs when only ``properdocs`` is installed.

ProperDocs keeps MkDocs' API under its own name and ships ``properdocs.replacement``, which
makes ``mkdocs.*`` imports load the ``properdocs.*`` modules; the plugin and ``publish`` import
``mkdocs.*`` after calling :func:`use_available`, so this is the one place that knows.
"""
from __future__ import annotations

import importlib.util
import sys


def use_available() -> str:
    """Make ``import mkdocs...`` work with whichever builder is installed; return its name."""
    if "mkdocs" in sys.modules or importlib.util.find_spec("mkdocs") is not None:
        return "mkdocs"
    if importlib.util.find_spec("properdocs") is None:
        return "mkdocs"  # neither: the import error then names MkDocs, the documented dependency
    import properdocs
    import properdocs.replacement  # noqa: F401 - redirects mkdocs.* imports to properdocs.*

    sys.modules["mkdocs"] = properdocs
    return "properdocs"
