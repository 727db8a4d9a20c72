"""The MkDocs plugin: a thin layer that hands the rendered fact sheet to MkDocs as generated files.

All the work (loading, checking, merging, rendering) is in the MkDocs-free core; this module
caches parsed files across ``mkdocs serve`` rebuilds, turns content problems into MkDocs
warnings (so ``--strict`` fails the build while ``serve`` keeps running), adds the pages with
``File.generated`` and tells the dev server what to watch. It never writes into the docs folder.
"""
from __future__ import annotations

import gc
import html
import os
import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from . import content, options, render
from .errors import FactsheetError

log = get_plugin_logger(__name__)
SECTIONS = (("Home", "index.md"), ("Timeline", "timeline/index.md"), ("Speakers", "speakers/index.md"),
            ("Sources", "sources/index.md"), ("Ratings", "ratings.md"), ("Data", "downloads.md"),
            ("Methodology", "methodology.md"))
NEEDED_EXTENSIONS = ("attr_list", "tables")


class FactsheetConfig(base.Config):
    """Options of the ``factsheet`` plugin in ``mkdocs.yml``."""

    content = c.Type(str, default="content")
    """The content folder (articles/, facts/, people.yaml, index.md), relative to mkdocs.yml."""
    templates = c.Type(str, default="templates")
    """A folder of templates that override the defaults of the same name, relative to mkdocs.yml."""
    title = c.Optional(c.Type(str))
    """The fact sheet's title on the home page (default: site_name)."""
    nav = c.Type(bool, default=True)
    """Generate the navigation (home, timeline, speakers, sources, data) when mkdocs.yml has no nav."""
    publisher = c.Optional(c.Type(dict))
    """The newsroom publishing the fact checks: ``{name:, url:}`` (the author of each ClaimReview)."""
    ratings = c.Optional(c.Type(list))
    """The rating scale, most accurate first: a list of ``{label:, colour:, description:}``
    (default: True, Mostly true, Half true, Mostly false, False, Pants on fire)."""
    licence = c.Optional(c.Type((str, dict)))
    """The licence of the published data: a name, or ``{name:, url:}``."""
    search_exclude = c.ListOfItems(c.Type(str), default=["timeline", "sources"])
    """Sections whose pages (not their index) stay out of the search index: timeline months and
    source pages list statements that their speaker's page holds in full, and indexing them again
    would make the index several times larger for no new results."""

    def validate(self):
        """MkDocs' checks, with a "did you mean" for a misspelled option."""
        import difflib

        failed, warnings = super().validate()
        known = [name for name, _ in self._schema]
        for i, (key, message) in enumerate(warnings):
            if message.startswith("Unrecognised configuration name"):
                close = difflib.get_close_matches(str(key), known, 1, 0.5)
                hint = f"did you mean '{close[0]}'?" if close else f"the options are {', '.join(known)}"
                warnings[i] = (key, f"{message} (hint: {hint})")
        return failed, warnings


class _Generated(File):
    """A generated page that knows whether its text changed since the previous build, so that
    ``mkdocs serve --dirty`` rebuilds only the pages an edit touched."""

    unchanged = False

    def is_modified(self) -> bool:
        return not (self.unchanged and os.path.isfile(self.abs_dest_path)) and super().is_modified()


class FactsheetPlugin(BasePlugin[FactsheetConfig]):
    """Publishes ``content/`` as a fact sheet: home, timeline, speakers, sources and data pages."""

    def __init__(self) -> None:
        self.root = Path("content")
        self.templates = Path("templates")
        self.pages: dict[str, str] = {}
        self.jsonld: dict[str, str] = {}
        self.memo: dict[object, object] | None = None  # render state kept between `mkdocs serve` builds
        self.previous: dict[str, str] = {}
        self.command: str | None = None
        self.saved = False  # under `mkdocs serve`: the parse cache was written after the first build

    # on_startup makes MkDocs keep this one instance across `mkdocs serve` rebuilds (the cache).
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.memo = {} if command == "serve" else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base_dir = Path(config.config_file_path or ".").parent
        self.root = (base_dir / self.config.content).resolve()
        self.templates = (base_dir / self.config.templates).resolve()
        if render.RATING_CSS not in config.extra_css:
            config.extra_css.append(render.RATING_CSS)
        for name in NEEDED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        if not self.root.is_dir():
            log.warning(f"content folder {self.root} does not exist (plugin option 'content')")
        if not self.templates.is_dir() and self.config.templates != "templates":
            # The default folder is optional (no overrides); a folder named in mkdocs.yml must exist.
            log.warning(f"templates folder {self.templates} does not exist (plugin option 'templates')")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        sheet = content.load_sheet(self.root) if self.root.is_dir() else content.Sheet()
        for problem in sheet.problems:
            log.warning(str(problem))  # a warning, not an exception: serve keeps going; --strict fails
        try:
            site_options = options.site_options(self.config.publisher, self.config.ratings, self.config.licence,
                                                config.site_url, config.use_directory_urls)
            self.pages = render.render_all(sheet.articles, sheet.facts, sheet.people, overview=sheet.overview,
                                           title=self.config.title or config.site_name,
                                           templates=self.templates, memo=self.memo, problems=sheet.problems,
                                           options=site_options)
        except FactsheetError as exc:
            for problem in exc.problems:
                log.warning(str(problem))
            self.pages = {"index.md": "# Fact sheet\n\nThe fact sheet could not be rendered: see the build log.\n"}
        self._drop_content_files(files, config)
        previous, self.previous = self.previous, self.pages if self.memo is not None else {}
        self.jsonld = {k[: -len(".jsonld")]: v for k, v in self.pages.items() if k.endswith(".jsonld")}
        for path, text in sorted(self.pages.items()):
            if not path.endswith(".jsonld"):
                file = self._add(files, config, path, text)
                if file is not None and previous:
                    file.unchanged = previous.get(path) == text and \
                        previous.get(path + ".jsonld") == self.pages.get(path + ".jsonld")
        if self.config.nav and config.nav is None:
            config.nav = [{title: path} for title, path in SECTIONS if path in self.pages] + [
                f.src_uri for f in files.documentation_pages()
                if f.src_uri not in self.pages and f.inclusion.is_in_nav()]
        if self.command == "build":
            # The parsed content lives until the build ends: spare it from every full collection
            # MkDocs' page rendering triggers (millions of objects at 10,000 articles).
            gc.freeze()
        return files

    def _drop_content_files(self, files: Files, config: MkDocsConfig) -> None:
        """Keep the source articles, fact files and registry out of the site (and the overview,
        which the home page includes)."""
        layout = content.Layout(self.root)
        # Plain string prefixes of real paths: resolving each of 10,000 files costs a second.
        docs = os.path.realpath(config.docs_dir)
        private = tuple(os.path.realpath(p) + os.sep for p in (layout.articles, layout.facts))
        named = {os.path.realpath(p) for p in (layout.people, layout.overview)}
        for file in list(files):
            if file.abs_src_path is None:
                continue
            path = file.abs_src_path
            if not path.startswith(private) and path not in named:
                path = os.path.realpath(path)  # only files not yet matched (a link into content/...)
            if path.startswith(private) or path in named or \
                    (os.path.dirname(path) == docs and os.path.basename(path).startswith(".factsheet")):
                files.remove(file)

    def _add(self, files: Files, config: MkDocsConfig, path: str, text: str) -> _Generated | None:
        existing = files.get_file_from_path(path)
        if existing is not None:
            log.info(f"'{path}' is written by hand in the docs folder; it replaces the generated page")
            return None
        file = _Generated.generated(config, path, content=text)
        if path.startswith(("speakers/", "sources/", "timeline/")) and not path.endswith("index.md"):
            file.inclusion = InclusionLevel.NOT_IN_NAV
        if path.startswith("sources/") and config.repo_url and config.edit_uri:
            # "Edit this page" leads to the YAML an editor corrects, not to generated Markdown.
            article_id = Path(path).stem
            rel = os.path.relpath(self.root / "facts" / f"{article_id}.yaml", config.docs_dir)
            file.edit_uri = rel.replace(os.sep, "/")
        files.append(file)
        return file

    def on_page_content(self, output: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """Give each generated page its first heading as a plain-text title, HTML-escaped.

        MkDocs takes a page's title from its first heading as HTML, and the theme's ``<title>``
        applies ``striptags``, which decodes character references: a speaker named
        ``</title><script>...`` would become markup there. As ``meta.title`` the text is used as is.
        """
        if page.file.src_uri in self.pages and page.title and "title" not in page.meta:
            text = html.unescape(re.sub(r"<[^>]*>", "", str(page.title)))
            page.meta["title"] = html.escape(" ".join(text.split()), quote=True)
        uri = page.file.src_uri
        if uri in self.pages and "search" not in page.meta and "/" in uri and not uri.endswith("/index.md") \
                and uri.split("/", 1)[0] in self.config.search_exclude:
            page.meta["search"] = {"exclude": True}  # Material's search plugin honours this
        return output

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:
        """Put the page's schema.org JSON-LD and the link to the Atom feed in its <head> (the
        JSON-LD outside the text search indexes)."""
        data = self.jsonld.get(page.file.src_uri)
        if "</head>" not in output:
            return output
        script = f'<script type="application/ld+json">\n{data}\n</script>\n' if data else ""
        if render.FEED in self.pages:
            feed = html.escape(os.path.relpath(render.FEED, os.path.dirname(page.file.dest_uri) or "."), quote=True)
            script += f'<link rel="alternate" type="application/atom+xml" title="Statements" href="{feed}">\n'
        head_end = output.index("</head>")
        return output[:head_end] + script + output[head_end:]

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # Under `mkdocs serve`, after the first build only: each edit would rewrite the whole
        # cache file in the loop the editor waits on; on_shutdown keeps the rest.
        if not self.saved and self.root.is_dir():
            content.save_cache(self.root)
            self.saved = self.command == "serve"

    def on_shutdown(self) -> None:
        if self.root.is_dir():
            content.save_cache(self.root)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        for folder in (self.root, self.templates):
            if folder.is_dir():
                server.watch(str(folder))
        return server
