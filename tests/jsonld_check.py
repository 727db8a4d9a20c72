"""Check JSON-LD against the schema.org terms the project uses, with a real JSON-LD processor.

pyld expands the documents (the schema.org context is served locally: no network), so a typo in
a property name, or a property on a type that does not have it, shows up as an error.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from pyld import jsonld

SCHEMA = "https://schema.org/"
# Which of our types inherit from which, as in the schema.org type hierarchy.
PARENTS = {"Quotation": "CreativeWork", "NewsArticle": "CreativeWork", "Claim": "CreativeWork",
           "ClaimReview": "Review", "Review": "CreativeWork", "CreativeWork": "Thing", "Person": "Thing",
           "Organization": "Thing", "Rating": "Intangible", "Intangible": "Thing"}


def _terms() -> dict[str, set[str]]:
    text = (Path(__file__).parent / "data" / "schemaorg_terms.txt").read_text()
    return {k.strip(): set(v.split()) for k, v in (line.split(":", 1) for line in text.splitlines()
                                                     if line.strip() and not line.startswith("#"))}


def _loader(url, options=None):
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url,
                "document": {"@context": {"@vocab": SCHEMA}}}
    raise AssertionError(f"JSON-LD tried to load {url}")


def _ancestors(kind: str) -> set[str]:
    out = {kind}
    while kind in PARENTS:
        kind = PARENTS[kind]
        out.add(kind)
    return out


def problems(document: dict) -> list[str]:
    """Every term in ``document`` that schema.org does not define where it is used."""
    terms, found = _terms(), []
    expanded = jsonld.expand(document, {"documentLoader": _loader, "base": "https://example.org/page/"})

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, dict):
            return
        types = {t[len(SCHEMA):] for t in node.get("@type", [])}
        for t in types - set(PARENTS):
            found.append(f"unknown type {t}")
        for key, value in node.items():
            if key.startswith("@"):
                continue
            name = key[len(SCHEMA):] if key.startswith(SCHEMA) else key
            if name not in terms:
                found.append(f"unknown property {key}")
            elif types and not any(terms[name] & _ancestors(t) for t in types):
                found.append(f"{name} is not a property of {', '.join(sorted(types))}")
            walk(value)

    walk(expanded)
    return found


def scripts(html: str) -> list[dict]:
    """The JSON-LD documents embedded in a page."""
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
