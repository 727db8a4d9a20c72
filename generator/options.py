"""The newsroom's settings for the published sheet (the plugin's options in ``mkdocs.yml``): who
publishes it, its rating scale and the licence of its data. MkDocs-free: the plugin and the CLI
both hand the raw option values to :func:`site_options`, which checks them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from generator.errors import FactsheetError, Problem

_COLOUR = re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?")  # only a hex colour reaches a style attribute


@dataclass(frozen=True)
class Rating:
    """One step of the rating scale."""

    label: str
    colour: str
    description: str = ""


# A sensible default, from most to least accurate (PolitiFact's Truth-O-Meter, in plainer words).
DEFAULT_SCALE = (
    Rating("True", "#1b7f3b", "The statement is accurate and nothing significant is missing."),
    Rating("Mostly true", "#5a9e2f", "The statement is accurate but needs clarification or additional information."),
    Rating("Half true", "#b8860b", "The statement is partially accurate but leaves out important details or "
                                   "takes things out of context."),
    Rating("Mostly false", "#c8611b", "The statement contains an element of truth but ignores critical facts "
                                      "that would give a different impression."),
    Rating("False", "#b3261e", "The statement is not accurate."),
    Rating("Pants on fire", "#7a0f0a", "The statement is not accurate and makes a ridiculous claim."),
)


@dataclass(frozen=True)
class SiteOptions:
    """What the pages need to know about the newsroom besides the content."""

    publisher: str | None = None  # the newsroom that publishes the fact checks (ClaimReview author)
    publisher_url: str | None = None
    site_url: str | None = None  # where the site is published, for absolute permalinks in structured data
    directory_urls: bool = True  # MkDocs' use_directory_urls: speakers/amazon.md is at speakers/amazon/
    scale: tuple[Rating, ...] = DEFAULT_SCALE
    licence: str | None = None  # the licence of the data downloads, e.g. "CC BY 4.0"
    licence_url: str | None = None

    def rating(self, label: str | None) -> Rating | None:
        """The scale's step for a record's rating (case-insensitive), or None when it is off the scale."""
        if not label:
            return None
        folded = label.strip().casefold()
        return next((r for r in self.scale if r.label.casefold() == folded), None)

    def page_url(self, page: str, anchor: str | None = None) -> str | None:
        """The absolute URL of a generated page (a docs path such as ``speakers/amazon.md``), or None
        without a site URL."""
        if not self.site_url:
            return None
        return self.site_url.rstrip("/") + "/" + self.page_path(page) + (f"#{anchor}" if anchor else "")

    def page_path(self, page: str) -> str:
        """Where a generated page is in the built site, from its root: ``speakers/amazon/`` (or
        ``speakers/amazon.html`` without directory URLs), ``timeline/`` for ``timeline/index.md``."""
        stem = page[:-3] if page.endswith(".md") else page
        if stem == "index" or stem.endswith("/index"):
            return stem[:-len("index")]
        return stem + "/" if self.directory_urls else stem + ".html"


def _problem(option: str, message: str) -> FactsheetError:
    field = option if option == "site_url" else f"plugins.factsheet.{option}"  # site_url is MkDocs' own
    return FactsheetError(Problem("mkdocs.yml", message, field=field))


def _url(value: object, option: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.match(r"^https?://[^\s<>\"'`]+$", value.strip()):
        raise _problem(option, f"expected an http(s) URL, got {value!r}")
    return value.strip()


def _text(value: object, option: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _problem(option, f"expected text, got {value!r}")
    return value.strip()


def _scale(value: object) -> tuple[Rating, ...]:
    if value is None:
        return DEFAULT_SCALE
    if not isinstance(value, list) or not value:
        raise _problem("ratings", "expected a list of ratings, most accurate first, each with label and colour")
    out, seen = [], set()
    for i, item in enumerate(value, 1):
        where = f"ratings[{i}]"
        if not isinstance(item, dict) or set(item) - {"label", "colour", "color", "description"}:
            raise _problem(where, f"expected label, colour and an optional description, got {item!r}")
        label = _text(item.get("label"), where + ".label")
        if label is None:
            raise _problem(where + ".label", "every rating needs a label")
        colour = item.get("colour", item.get("color"))
        if not isinstance(colour, str) or not _COLOUR.fullmatch(colour.strip()):
            raise _problem(where + ".colour", f"expected a hex colour like #1b7f3b, got {colour!r}")
        if label.casefold() in seen:
            raise _problem(where + ".label", f"{label!r} is on the scale twice")
        seen.add(label.casefold())
        out.append(Rating(label, colour.strip(), _text(item.get("description"), where + ".description") or ""))
    return tuple(out)


def site_options(publisher: object = None, ratings: object = None, licence: object = None,
                 site_url: object = None, directory_urls: bool = True) -> SiteOptions:
    """The plugin's raw option values, checked: a one-line located error for a bad one.

    ``publisher`` is ``{name:, url:}``; ``ratings`` a list of ``{label:, colour:, description:}``,
    most accurate first; ``licence`` ``{name:, url:}`` (or just its name).
    """
    name = url = None
    if publisher is not None:
        if not isinstance(publisher, dict) or set(publisher) - {"name", "url"}:
            raise _problem("publisher", f"expected name and url, got {publisher!r}")
        name, url = _text(publisher.get("name"), "publisher.name"), _url(publisher.get("url"), "publisher.url")
    lic_name = lic_url = None
    if isinstance(licence, dict):
        if set(licence) - {"name", "url"}:
            raise _problem("licence", f"expected name and url, got {licence!r}")
        lic_name, lic_url = _text(licence.get("name"), "licence.name"), _url(licence.get("url"), "licence.url")
    elif licence is not None:
        lic_name = _text(licence, "licence")
    return SiteOptions(publisher=name, publisher_url=url, site_url=_url(site_url, "site_url"),
                       directory_urls=bool(directory_urls), scale=_scale(ratings), licence=lic_name,
                       licence_url=lic_url)


def from_mkdocs_yml(path) -> SiteOptions:
    """The factsheet plugin's options as ``mkdocs.yml`` at ``path`` sets them (for ``factsheet
    render``, which does not run MkDocs); the defaults when the file or the plugin is missing."""
    from pathlib import Path

    import yaml

    path = Path(path)
    if not path.is_file():
        return SiteOptions()

    class _Loader(yaml.SafeLoader):
        """Safe loading that reads MkDocs' !ENV and !!python tags as plain values."""

    _Loader.add_multi_constructor("", lambda _loader, _suffix, _node: None)
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FactsheetError(Problem(str(path), f"not readable as YAML: {' '.join(str(exc).split())}")) from None
    plugin: object = {}
    for item in config.get("plugins") or [] if isinstance(config, dict) else []:
        if isinstance(item, dict) and "factsheet" in item:
            plugin = item["factsheet"] or {}
    if not isinstance(plugin, dict):
        plugin = {}
    return site_options(plugin.get("publisher"), plugin.get("ratings"), plugin.get("licence"),
                        config.get("site_url"), config.get("use_directory_urls", True) is not False)
