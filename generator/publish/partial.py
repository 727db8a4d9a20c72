"""Building some pages of a site MkDocs built, with MkDocs' own page building (for the dev server).

MkDocs builds every page in two passes, each page's Markdown read and rendered to HTML
(``_populate_page``), then each page put into the theme and written (``_build_page``), with the
plugins' page events in both. Its build has no public call for a few pages; these two functions
are that, in MkDocs 1.6 and in its fork ProperDocs alike. Where they are missing, :func:`available`
says so and the dev server runs MkDocs' whole build.
"""
from __future__ import annotations

from mkdocs.commands import build as mkbuild
from mkdocs.structure.files import File, Files, InclusionLevel


def available() -> bool:
    """Whether this MkDocs has the page-building functions :func:`build` uses."""
    return callable(getattr(mkbuild, "_populate_page", None)) and callable(getattr(mkbuild, "_build_page", None))


def build(config, files: Files, nav, env, targets: list[File]) -> None:
    """Build the ``targets`` (files of ``files``, whose content was set anew) into the site, as
    ``mkdocs serve`` builds a page: pages through the theme, other files copied."""
    pages = [f for f in targets if f.is_documentation_page() and f.page is not None]
    for file in pages:
        mkbuild._populate_page(file.page, config, files)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    for file in pages:
        mkbuild._build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
    for file in targets:
        if file not in pages:
            file.copy_file()
