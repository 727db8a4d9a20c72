"""The MkDocs plugin: a thin layer that hands the rendered fact sheet to MkDocs as generated files.

All the work (loading, checking, merging, rendering) is in the MkDocs-free core; this module
caches parsed files across ``mkdocs serve`` rebuilds, turns content problems into MkDocs
warnings under ``serve`` (which keeps running) and into errors that stop ``build`` and
``gh-deploy``, strict or not, adds the pages with
``File.generated`` and tells the dev server what to watch. It never writes into the docs folder.
"""
from __future__ import annotations

import html
import json
import os
import re
import subprocess
import time
from pathlib import Path

from generator.publish import engine

engine.use_available()  # MkDocs or ProperDocs, before the first mkdocs import
from mkdocs.config import base  # noqa: E402
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from generator import collector, content, options, render
from generator.cache import RenderCache
from generator.errors import FactsheetError
from generator.publish import partial, redirects, serving
from generator.records.fields import did_you_mean
from generator.render.data import Chunks

log = get_plugin_logger(__name__)
SECTIONS = (("Home", "index.md"), ("Timeline", "timeline/index.md"), ("Speakers", "speakers/index.md"),
            ("Sources", "sources/index.md"), ("Ratings", "ratings.md"), ("Data", "downloads.md"),
            ("Methodology", "methodology.md"))
NEEDED_EXTENSIONS = ("attr_list", "tables")
PUBLISHING = ("build", "gh-deploy")  # the commands whose site is published: content problems stop them
# The preview's problem banner (serve only): a script on every page and the list it shows.
PROBLEMS_JS, PROBLEMS_JSON = "assets/factsheet-problems.js", "assets/factsheet-problems.json"


# Pagefind's own UI (shipped in the index folder), as a header item; its results drawer floats over
# the page instead of pushing the header open. Nothing is fetched from outside the site.
# Its script (120 KB) is deferred, so that it no longer holds up the rest of the page. Pagefind
# loads its script, worker, WebAssembly and entry file when the box gets focus; the focus event
# sent once the page is idle after loading starts that at once (about 160 KB, kept in the
# browser's cache for the next pages), so a reader's first keystroke waits only for an index
# chunk and the fragments of the first results. The search runs 100 ms after the last keystroke
# (Pagefind's default is 300 ms).
PAGEFIND_BOX = """<div class="md-header__option factsheet-search" role="search">
<link rel="stylesheet" href="{bundle}pagefind-ui.css">
<style>
.factsheet-search {{ position: relative; width: 16rem; --pagefind-ui-scale: .6; }}
.factsheet-search .pagefind-ui__drawer {{ position: absolute; right: 0; width: min(36rem, 90vw);
  max-height: 70vh; overflow: auto; background: var(--md-default-bg-color); color: var(--md-default-fg-color);
  padding: 0 .8rem; box-shadow: var(--md-shadow-z2); }}
</style>
<div id="factsheet-search"></div>
<script src="{bundle}pagefind-ui.js" defer></script>
<script>addEventListener("DOMContentLoaded", () => new PagefindUI({{element: "#factsheet-search",
  showImages: false, excerptLength: 20, resetStyles: false, debounceTimeoutMs: 100}}));
addEventListener("load", () => (window.requestIdleCallback || setTimeout)(() => {{
  const box = document.querySelector("#factsheet-search input");
  if (box) box.dispatchEvent(new Event("focus"));
}}));</script>
</div>
"""


def _jsonld_of(pages: dict[str, str]) -> dict[str, str]:
    """The structured data of each page, by the page's path (render_all's ``.jsonld`` keys)."""
    return {k[: -len(".jsonld")]: v for k, v in pages.items() if k.endswith(".jsonld")}


def _problems_text(sheet: content.Sheet) -> str:
    """The preview banner's list: every problem `factsheet check` reports, while it would fail."""
    return json.dumps([str(p) for p in sheet.problems] if sheet.errors else [], ensure_ascii=False, indent=1)


def index_with_pagefind(site: Path) -> None:
    """Index the built ``site`` with the Pagefind binary (from ``pagefind[bin]``); statement
    citations and excerpts (``data-search-exclude``) stay out of the index, as with Material's."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise PluginError("search_engine: pagefind needs Pagefind: pip install 'pagefind[bin]'") from None
    binary = get_executable()
    if binary is None:
        raise PluginError("search_engine: pagefind found no Pagefind binary: pip install 'pagefind[bin]'")
    cmd = [str(binary), "--site", str(site), "--exclude-selectors", "[data-search-exclude], .headerlink", "--silent"]
    done = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    if done.returncode != 0:
        detail = " ".join((done.stderr or done.stdout).split())[:300]
        raise PluginError(f"Pagefind could not index {site}: {detail}")


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
    unreviewed = c.Choice(options.UNREVIEWED, default="show")
    """``hide``: only statements an editor reviewed are on the site (the machine's records are
    checked, never published); ``show``: they are published, labelled "not yet reviewed"."""
    search_engine = c.Choice(("material", "pagefind"), default="material")
    """``pagefind``: index the built site with Pagefind (``pip install 'pagefind[bin]'``) and put its
    search box in the header; for archives, where Material's one-file index is too large to download
    before the first result. Remove Material's ``search`` plugin from mkdocs.yml then."""

    def validate(self):
        """MkDocs' checks, with a "did you mean" for a misspelled option."""
        failed, warnings = super().validate()
        known = [name for name, _ in self._schema]
        for i, (key, message) in enumerate(warnings):
            if message.startswith("Unrecognised configuration name"):
                hint = did_you_mean(key, known, 0.5) or f"the options are {', '.join(known)}"
                warnings[i] = (key, f"{message} (hint: {hint})")
        return failed, warnings


class _Generated(File):
    """A generated file that knows whether its text changed since the previous build, so that
    ``mkdocs serve --dirty`` rebuilds only the pages an edit touched; under ``serve`` the large
    data files come as :class:`~generator.render.data.Chunks`, written piece by piece."""

    unchanged = False
    chunks: Chunks | None = None

    @classmethod
    def made(cls, config: MkDocsConfig, path: str, text: str | Chunks) -> _Generated:
        file = cls.generated(config, path, content="")
        file.set_text(text)
        return file

    def set_text(self, text: str | Chunks) -> None:
        """The file's content: a text, or the pieces of one."""
        self.chunks = text if isinstance(text, Chunks) else None
        self.content_string = "" if self.chunks is not None else text

    @property
    def content_bytes(self) -> bytes:
        return b"".join(self.chunks) if self.chunks is not None else File.content_bytes.fget(self)

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.chunks = None
        File.content_bytes.fset(self, value)

    @property
    def content_string(self) -> str:
        return self.chunks.text() if self.chunks is not None else File.content_string.fget(self)

    @content_string.setter
    def content_string(self, value: str) -> None:
        if value or self.chunks is None:  # set_text's "" keeps the pieces
            self.chunks = None
        File.content_string.fset(self, value)

    on_disk: tuple[str, Chunks, tuple[int, int]] | None = None  # what copy_file wrote last: path, pieces, (size, mtime)

    def copy_file(self, dirty: bool = False) -> None:
        if self.chunks is None or (dirty and not self.is_modified()):
            return super().copy_file(dirty)
        path = self.abs_dest_path
        os.makedirs(os.path.dirname(path), exist_ok=True)
        start, offset = self._same_start(path)
        # Only from the first piece that changed: the pieces before it are on disk already (an
        # edit changes one statement's rows of facts.json's 80 MB, anywhere in it).
        with open(path, "r+b" if start else "wb") as output:
            output.seek(offset)
            output.writelines(self.chunks[start:])
            output.truncate()
        stat = os.stat(path)
        self.on_disk = (path, self.chunks, (stat.st_size, stat.st_mtime_ns))

    def _same_start(self, path: str) -> tuple[int, int]:
        """How many of the pieces are the ones last written to ``path``, and their length in bytes;
        none when the file is not as this object left it."""
        if self.on_disk is None or self.on_disk[0] != path:
            return 0, 0
        try:
            stat = os.stat(path)
        except OSError:
            return 0, 0
        if (stat.st_size, stat.st_mtime_ns) != self.on_disk[2]:
            return 0, 0
        start = offset = 0
        for old, new in zip(self.on_disk[1], self.chunks):
            if old is not new and old != new:
                break
            start, offset = start + 1, offset + len(old)
        return start, offset

    def is_modified(self) -> bool:
        return not (self.unchanged and os.path.isfile(self.abs_dest_path)) and super().is_modified()


class FactsheetPlugin(BasePlugin[FactsheetConfig]):
    """Publishes ``content/`` as a fact sheet: home, timeline, speakers, sources and data pages."""

    def __init__(self) -> None:
        self.root = Path("content")
        self.templates = Path("templates")
        self.pages: dict[str, str] = {}
        self.jsonld: dict[str, str] = {}
        self.cache: RenderCache | None = None  # the serve cache, kept between `mkdocs serve` builds
        self.previous: dict[str, str] = {}
        self.command: str | None = None
        self.saved = False  # under `mkdocs serve`: the parse cache was written after the first build
        self.rendered: dict[str, str] | None = None  # the pages a publishing build rendered in on_pre_build
        self.sheet: content.Sheet | None = None  # loaded before the build when it may stop it
        self.written: set[str] = set()  # under serve: the files the previous build generated (to drop stale ones)
        self.stale: set[str] = set()
        self.page_urls: list[str] = []  # the pages of this build, in the order MkDocs builds them
        self.built_urls: set[str] = set()  # ... and those it built (under serve --dirty, not every one)
        self.search = serving.SearchPieces()  # under serve: every page's search entries
        self.collections = serving.Collections()
        self.built: serving.Built | None = None  # under serve: what the last build made, for rebuild_changed
        self.build_held = False  # `build`: the collector held from the pages' building to the end

    serving: FactsheetPlugin | None = None  # the instance of the running dev server (see rebuild_changed)

    # on_startup makes MkDocs keep this one instance across `mkdocs serve` rebuilds (the cache).
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.cache = RenderCache() if command == "serve" else None
        FactsheetPlugin.serving = self if command == "serve" and dirty else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base_dir = Path(config.config_file_path or ".").parent
        self.root = (base_dir / self.config.content).resolve()
        self.templates = (base_dir / self.config.templates).resolve()
        if render.RATING_CSS not in config.extra_css:
            config.extra_css.append(render.RATING_CSS)
        if self.command == "serve" and PROBLEMS_JS not in config.extra_javascript:
            config.extra_javascript.append(PROBLEMS_JS)
        for name in NEEDED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        if not self.root.is_dir():
            log.warning(f"content folder {self.root} does not exist (plugin option 'content')")
        if not self.templates.is_dir() and self.config.templates != "templates":
            # The default folder is optional (no overrides); a folder named in mkdocs.yml must exist.
            log.warning(f"templates folder {self.templates} does not exist (plugin option 'templates')")
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """A build that publishes (build, gh-deploy; strict or not) refuses content problems, and
        does so here, before MkDocs empties site/: the last good site stays."""
        self.sheet = None
        if self.command == "serve":
            self.collections.hold()
        if self.command not in PUBLISHING or not self.root.is_dir():
            return
        sheet = content.load_sheet(self.root)
        if sheet.errors:
            for problem in sheet.problems:
                (log.error if problem.severity == "error" else log.warning)(str(problem))
            raise PluginError(f"{len(sheet.errors)} content problem(s): the site was not built, the previous "
                              "site is unchanged (fix them; `factsheet check` lists them)")
        try:  # a template error too stops the build here, before the old site is gone
            self.rendered = self._render(sheet, config)
        except FactsheetError as exc:
            for problem in exc.problems:
                log.error(str(problem))
            raise PluginError(f"{len(exc.problems)} template problem(s): the site was not built, the previous "
                              "site is unchanged") from None
        self.sheet = sheet

    def _render(self, sheet: content.Sheet, config: MkDocsConfig) -> dict[str, str]:
        site_options = options.site_options(self.config.publisher, self.config.ratings, self.config.licence,
                                            config.site_url, config.use_directory_urls, self.config.unreviewed)
        return render.render_all(sheet.articles, sheet.records, sheet.people, overview=sheet.overview,
                                 title=self.config.title or config.site_name, templates=self.templates,
                                 cache=self.cache, problems=sheet.problems, options=site_options,
                                 events=sheet.events)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        sheet, self.sheet = self.sheet or (content.load_sheet(self.root) if self.root.is_dir() else content.Sheet()), None
        for problem in sheet.problems:
            log.warning(str(problem))  # serve shows problems and keeps going (publishing stopped in on_pre_build)
        try:
            self.pages, self.rendered = self.rendered or self._render(sheet, config), None
        except FactsheetError as exc:
            for problem in exc.problems:
                log.warning(str(problem))
            self.pages = {"index.md": "# Fact sheet\n\nThe fact sheet could not be rendered: see the build log.\n"}
        self._drop_content_files(files, config)
        previous, self.previous = self.previous, self.pages if self.cache is not None else {}
        self.jsonld = _jsonld_of(self.pages)
        for path, text in sorted(self.pages.items()):
            if not path.endswith((".jsonld", render.REDIRECTS)):
                file = self._add(files, config, path, text)
                if file is not None and previous:
                    file.unchanged = previous.get(path) == text and \
                        previous.get(path + ".jsonld") == self.pages.get(path + ".jsonld")
        self._add_redirects(files, config)
        if self.command == "serve":
            self._add_problems(files, config, sheet)
            written = {f.abs_dest_path for f in files if f.generated_by == "factsheet" or f.src_uri in self.pages}
            self.stale, self.written = self.written - written, written
        if self.config.nav and config.nav is None:
            config.nav = [{title: path} for title, path in SECTIONS if path in self.pages] + [
                f.src_uri for f in files.documentation_pages()
                if f.src_uri not in self.pages and f.inclusion.is_in_nav()]
        if self.command == "build":
            # The parsed content lives until the build ends: spare it from every full collection
            # MkDocs' page rendering triggers (millions of objects at 10,000 articles).
            self.build_held = collector.hold()  # released at shutdown
        return files

    def _add_redirects(self, files: Files, config: MkDocsConfig) -> None:
        """A redirect file at each former address of a speaker or source page (render_all's ``.redirect``
        keys), unless a page lives there now."""
        taken = {f.dest_uri for f in files}
        for key, target in sorted(self.pages.items()):
            if not key.endswith(render.REDIRECTS):
                continue
            old = key[: -len(render.REDIRECTS)]
            path = redirects.file_of(old, config.use_directory_urls)
            if path in taken or files.get_file_from_path(path) is not None:
                continue
            text = redirects.redirect_html(old, target, config.use_directory_urls, config.site_url)
            files.append(File.generated(config, path, content=text))

    def _add_problems(self, files: Files, config: MkDocsConfig, sheet: content.Sheet) -> None:
        """The preview's banner: the script every page loads and the problems it lists (every
        problem `factsheet check` reports, while it would fail; none otherwise)."""
        script = (render.default_templates() / "factsheet-problems.js").read_text("utf-8")
        for path, text in ((PROBLEMS_JS, script), (PROBLEMS_JSON, _problems_text(sheet))):
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=text))

    def _drop_content_files(self, files: Files, config: MkDocsConfig) -> None:
        """Keep the source articles, fact files, registry and events file out of the site (and the
        overview, which the home page includes)."""
        layout = content.Layout(self.root)
        # Plain string prefixes of real paths: resolving each of 10,000 files costs a second.
        docs = os.path.realpath(config.docs_dir)
        private = tuple(os.path.realpath(p) + os.sep for p in (layout.articles, layout.facts))
        named = {os.path.realpath(p) for p in (layout.people, layout.events, layout.overview)}
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
        file = _Generated.made(config, path, text)
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
        self.built_urls.add(page.url)
        if self.config.search_engine == "pagefind":
            output = self._pagefind_page(output, page)
        data = self.jsonld.get(page.file.src_uri)
        if "</head>" not in output:
            return output
        script = f'<script type="application/ld+json">\n{data}\n</script>\n' if data else ""
        if render.FEED in self.pages:
            feed = html.escape(os.path.relpath(render.FEED, os.path.dirname(page.file.dest_uri) or "."), quote=True)
            script += f'<link rel="alternate" type="application/atom+xml" title="Statements" href="{feed}">\n'
        head_end = output.index("</head>")
        self._release(page)
        return output[:head_end] + script + output[head_end:]

    def _release(self, page) -> None:
        """Let go of a generated page's Markdown and HTML body once its output is made: MkDocs keeps
        every Page until the build ends, and at 10,000 articles their texts are hundreds of
        megabytes at the peak. The title (set in on_page_content), the anchors and the links MkDocs
        still checks are kept; empty strings, not None, which would change what ``title`` returns."""
        if page.file.src_uri in self.pages and "title" in (getattr(page, "meta", None) or {}):
            page.markdown = page.content = ""

    def _pagefind_page(self, output: str, page) -> str:
        """Mark the page's text for Pagefind (unless the page is kept out of search) and put
        Pagefind's search box in the header, where Material's would be."""
        excluded = isinstance(page.meta.get("search"), dict) and page.meta["search"].get("exclude")
        if not excluded:
            output = output.replace('<article class="md-content__inner', '<article data-pagefind-body class="md-content__inner', 1)
        header = output.find('<nav class="md-header__inner')
        end = output.find("</nav>", header)
        if header < 0 or end < 0:
            return output
        bundle = get_relative_url("pagefind/", page.url)
        bundle = bundle if bundle.endswith("/") else bundle + "/"
        box = PAGEFIND_BOX.format(bundle=html.escape(bundle, quote=True))
        return output[:end] + box + output[end:]

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        self.built = None
        if self.command == "serve":
            self.built = serving.Built(config, files, nav)
        return nav

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        # A page's url, as the search index names it ('' for the home page, whose file says './').
        self.page_urls = [f.page.url if f.page is not None else f.url for f in files.documentation_pages()]
        self.built_urls = set()
        if self.built is not None:
            self.built.env = env
        return env

    def _complete_search_index(self, config: MkDocsConfig) -> None:
        """Under ``serve``, the search index written holds every page, built now or before (see
        :class:`~generator.publish.serving.SearchPieces`), in the order a full build writes."""
        index = serving.search_index(config)
        if self.command != "serve" or index is None:
            return
        self.search.update(index.entries, self.page_urls, self.built_urls)
        self.search.attach(index)

    @event_priority(100)  # before the search plugin writes its index (see _complete_search_index)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._complete_search_index(config)
        if self.config.search_engine == "pagefind":
            index_with_pagefind(Path(config.site_dir))
        self._remove_stale(Path(config.site_dir))
        # The first build's garbage goes first (collected and handed back), then the parse cache
        # is pickled: its bytes on top of the garbage were the server's peak at 10,000 articles.
        self.collections.release(now=not self.saved)
        # Under `mkdocs serve`, after the first build only: each edit would rewrite the whole
        # cache file in the loop the editor waits on; on_shutdown keeps the rest.
        if not self.saved and self.root.is_dir():
            content.save_cache(self.root)
            self.saved = self.command == "serve"

    def on_build_error(self, *, error: Exception) -> None:
        self.built = None  # the next rebuild is MkDocs' whole build
        self.collections.release()

    def note_changes(self, paths: set[str]) -> None:
        """Under ``factsheet serve``, before each rebuild: the paths file events named since the
        last one. From the first rebuild on (the watcher runs), the parse cache reuses the files
        no event named without looking at them (:meth:`~generator.content.FileCache.watch`)."""
        layout = content.Layout(self.root)
        content.parsecache.CACHE.watch([layout.articles, layout.facts])
        content.parsecache.CACHE.changed(paths)

    def rebuild_changed(self, paths: set[str]) -> bool:
        """Under ``factsheet serve``: after an edit of the content (articles, fact files, registry,
        events, overview) rebuild only the pages and files whose text changed, with MkDocs' own
        page building, in the site the last build made. False, having done nothing, when MkDocs'
        whole build is needed: anything else changed, pages or redirects came or went, the
        content cannot be rendered, the last build failed.

        MkDocs' dirty build makes the same pages, but first walks the docs folder (the 20,000
        content files at 10,000 articles), makes every page's file and page objects, the
        navigation and the sitemap again, and compiles the theme: ~4 s of an edit there."""
        built = self.built
        if built is None or built.env is None or not paths or not self._only_content(paths) \
                or not partial.available():
            return False
        self.collections.hold()
        start = time.monotonic()
        try:
            rebuilt = self._rebuild_changed(built)
        finally:
            self.collections.release()
        if rebuilt is not None:
            log.info(f"Rebuilt the {rebuilt} pages and files the edit changed in {time.monotonic() - start:.2f} seconds")
        return rebuilt is not None

    def _only_content(self, paths: set[str]) -> bool:
        """Whether every path is content that only the fact sheet's pages are made of."""
        layout = content.Layout(self.root)
        folders = tuple(os.path.abspath(p) for p in (layout.articles, layout.facts))
        # The folders themselves too: a file saved by renaming a new one over it changes its folder.
        named = {*folders, *(os.path.abspath(p) for p in (layout.people, layout.events, layout.overview))}
        inside = tuple(f + os.sep for f in folders)
        return all(path in named or path.startswith(inside) for path in paths)

    def _rebuild_changed(self, built: serving.Built) -> int | None:
        config, files = built.config, built.files
        sheet = content.load_sheet(self.root)
        try:
            pages = self._render(sheet, config)
        except FactsheetError:
            return None  # the whole build shows the placeholder and the problems
        old = self.previous
        if pages.keys() != old.keys() or any(pages[k] != old[k] for k in pages if k.endswith(render.REDIRECTS)):
            return None
        for problem in sheet.problems:
            log.warning(str(problem))
        changed = [k for k, text in pages.items() if text is not old[k] and text != old[k]]
        rebuilt = {k[: -len(".jsonld")] if k.endswith(".jsonld") else k for k in changed}
        targets = [files.get_file_from_path(k) for k in sorted(rebuilt)]
        if any(f is None or f.generated_by != "factsheet" for f in targets):
            return None  # a page written by hand replaced it (nothing kept changed: the whole build compares)
        self.pages = self.previous = pages
        self.jsonld = _jsonld_of(pages)
        for file in targets:
            file.set_text(pages[file.src_uri])
        listed = _problems_text(sheet)
        problems = files.get_file_from_path(PROBLEMS_JSON)
        if problems is not None and problems.content_string != listed:
            problems.content_string = listed
            targets.append(problems)
        index = serving.search_index(config)
        if index is not None:
            index.entries = []  # filled by the pages built now; on_post_build adds the others' entries
        self.built_urls = set()
        partial.build(config, files, built.nav, built.env, targets)
        config.plugins.on_post_build(config=config)
        return len(targets)

    def _remove_stale(self, site: Path) -> None:
        """Under ``serve --dirty`` MkDocs never empties the site folder: a page the content no
        longer makes (a speaker renamed away) would still be served, stale. Its file goes, and
        the folders it leaves empty, so that the server answers 404 as a full build would."""
        for path in sorted(self.stale, reverse=True):
            target = Path(path)
            if not target.resolve().is_relative_to(site.resolve()):
                continue
            target.unlink(missing_ok=True)
            folder = target.parent
            while folder != site and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        self.stale = set()

    def on_shutdown(self) -> None:
        if self.build_held:
            collector.release()
            self.build_held = False
        if self.root.is_dir():
            content.save_cache(self.root)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        for folder in (self.root, self.templates):
            if folder.is_dir():
                server.watch(str(folder))
        return server
