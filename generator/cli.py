"""The ``factsheet`` command: a thin click layer over the library stages."""
from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from pathlib import Path

import click

from generator.errors import FactsheetError

log = logging.getLogger("factsheet")


class Progress:
    """Articles done, rate and time left, on one rewritten line of a terminal's stderr; nothing
    when stderr is not a terminal (a log file, CI), so logs keep only the results."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.shown = self.stream.isatty()
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.shown or (now - self.last < 0.2 and done < total):
            return
        self.last = now
        rate = done / max(now - self.start, 1e-9)
        left = (total - done) / rate if rate else 0
        self.stream.write(f"\r{done}/{total} articles, {rate:.1f}/s, {left:.0f} s left ")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


class Context:
    """Options shared by every command."""

    def __init__(self, verbose: bool):
        self.verbose = verbose


def _fail(exc: FactsheetError, ctx: Context | None = None) -> None:
    for problem in exc.problems:
        click.echo(f"error: {problem}", err=True)
    if ctx is not None and ctx.verbose:
        raise exc
    sys.exit(1)


def _date(_ctx, _param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date like 2020-07-10, got {value!r}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", "-v", is_flag=True, help="Show tracebacks and debug messages.")
@click.version_option(package_name="factsheet")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Who said what, and when: build a fact sheet from news articles."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(levelname)s: %(message)s")
    ctx.obj = Context(verbose)


NLP = click.option("--nlp", type=click.Choice(["spacy", "rules"]), default="spacy", show_default=True,
                   help="spacy: rules plus a dependency parse where needed; rules: no language model (faster).")


@main.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the <file stem>.pred.json files.")
@click.option("--published", callback=_date, help="Publication date for files that carry none (YYYY-MM-DD).")
@click.option("--jobs", "-j", type=int, default=0, help="Worker processes (default: all cores).")
@NLP
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def quotes(out_dir: Path, published: dt.date | None, jobs: int, nlp: str,
           files: tuple[Path, ...]) -> None:
    """Extract the statements of article FILES as JSON (the evaluation contract)."""
    from generator import extract, ingest

    out_dir.mkdir(parents=True, exist_ok=True)
    articles, failed = [], 0
    for path in files:
        try:
            articles.append(ingest.load_article(path, published=published))
        except FactsheetError as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
    for article, statements in extract.extract_many(articles, jobs=jobs, mode=nlp):
        target = out_dir / (Path(article.path).stem + ".pred.json")
        target.write_text(json.dumps([extract.as_json(s) for s in statements], ensure_ascii=False, indent=1),
                          encoding="utf-8")
    if failed:
        sys.exit(1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the article as one JSON object.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def parse(obj: Context, as_json: bool, file: Path) -> None:
    """Read one article FILE and print its metadata and main text."""
    from generator import ingest

    try:
        article = ingest.load_article(file)
    except FactsheetError as exc:
        _fail(exc, obj)
        return
    data = {
        "title": article.title, "published": article.published.isoformat() if article.published else None,
        "author": article.author, "outlet": article.outlet, "url": article.url, "body": article.body,
    }
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    for key in ("title", "published", "author", "outlet", "url"):
        click.echo(f"{key}: {data[key] if data[key] is not None else '-'}")
    click.echo()
    click.echo(article.body)


CONTENT = click.option("--content", "content_dir", default="content", show_default=True,
                        type=click.Path(file_okay=False, path_type=Path), help="The content folder.")


def _report_problems(problems, *, label: str = "error") -> int:
    errors = 0
    for problem in problems:
        level = "warning" if problem.severity == "warning" else label
        errors += level == label
        click.echo(f"{level}: {problem}", err=True)
    return errors


@main.command("extract")
@CONTENT
@click.option("--jobs", "-j", type=int, default=0, help="Worker processes (default: all cores).")
@click.option("--force", is_flag=True, help="Extract every article again, changed or not.")
@click.option("--wait", type=float, default=0, help="Seconds to wait for another running extract.")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Extract on a Dask cluster: a scheduler address (tcp://host:8786), or 'local' for a "
                   "cluster of --jobs processes here (pip install 'factsheet[dask]').")
@NLP
@click.pass_obj
def extract_cmd(obj: Context, content_dir: Path, jobs: int, force: bool, wait: float, nlp: str,
                dask_address: str | None) -> None:
    """Find the statements of new or changed articles and write their fact records."""
    from generator import content

    try:
        result = content.extract_content(content_dir, jobs=jobs, force=force, wait=wait, mode=nlp, dask=dask_address,
                                         progress=Progress())
    except FactsheetError as exc:
        _fail(exc, obj)
        return
    except OSError as exc:  # Dask missing, or no scheduler at the address
        if obj.verbose or dask_address is None:
            raise
        click.echo(f"error: --dask {dask_address}: {' '.join(str(exc).split())}", err=True)
        sys.exit(1)
    totals = {"added": 0, "updated": 0, "kept": 0, "orphaned": 0}
    for article_id, report in sorted(result.reports.items()):
        counts = report.counts()
        for key in totals:
            totals[key] += counts[key]
        click.echo(f"{article_id}: " + ", ".join(f"{v} {k}" for k, v in counts.items() if v) if any(counts.values())
                   else f"{article_id}: no statements")
    click.echo(f"{len(result.reports)} extracted, {len(result.skipped)} unchanged; "
               + ", ".join(f"{v} {k}" for k, v in totals.items()))
    if _report_problems(result.problems):
        sys.exit(1)


@main.command("add-statement")
@CONTENT
@click.argument("article")
@click.argument("words")
@click.option("--speaker", required=True, help="Who said it (a name or alias from people.yaml, or any name).")
@click.option("--kind", type=click.Choice(["direct", "partial", "mixed", "indirect"]), default="direct",
              show_default=True, help="How the article reports it.")
@click.option("--said-on", callback=_date, help="The day it was said (YYYY-MM-DD).")
@click.option("--occurrence", type=click.IntRange(min=1), help="Which occurrence of the words, when they occur more than once.")
@click.pass_obj
def add_statement(obj: Context, content_dir: Path, article: str, words: str, speaker: str, kind: str,
                  said_on: dt.date | None, occurrence: int | None) -> None:
    """Add a statement the extractor missed: WORDS, exactly as ARTICLE (a file or an article id) has them.

    Fills in the id, offsets and excerpt and appends a reviewed record to the article's fact file.
    """
    from generator import content

    try:
        label, fact_id, record = content.add_statement(content_dir, article, words, speaker, kind=kind,
                                                       said_on=said_on, occurrence=occurrence)
    except FactsheetError as exc:
        _fail(exc, obj)
        return
    click.echo(f"added {fact_id} to {label}:")
    click.echo(record, nl=False)


@main.command()
@CONTENT
def check(content_dir: Path) -> None:
    """Validate everything under the content folder; exit 1 on any error."""
    from generator import content

    sheet = content.load_sheet(content_dir)
    content.save_cache(content_dir)
    errors = _report_problems(sheet.problems)
    if errors:
        click.echo(f"{errors} error{'s' if errors != 1 else ''} in {content_dir}", err=True)
        sys.exit(1)
    click.echo(f"ok: {len(sheet.articles)} articles, {len(sheet.records)} statements, {len(sheet.people)} people")


@main.command()
@CONTENT
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), default="templates",
              show_default=True, help="Templates that override the defaults.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the Markdown pages and data files to.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default="mkdocs.yml",
              show_default=True, help="The MkDocs configuration whose factsheet plugin options (publisher, "
                                      "ratings, licence) apply, if it exists.")
@click.pass_obj
def render(obj: Context, content_dir: Path, templates: Path, out_dir: Path, config_file: Path) -> None:
    """Write the fact sheet as Markdown pages (what the MkDocs plugin publishes) to a folder."""
    from generator import content, options
    from generator import render as rendering
    from generator.records import store

    sheet = content.load_sheet(content_dir)
    content.save_cache(content_dir)
    if _report_problems(sheet.problems):
        sys.exit(1)
    try:
        pages = rendering.render_all(sheet.articles, sheet.records, sheet.people, overview=sheet.overview,
                                     templates=templates, options=options.from_mkdocs_yml(config_file))
    except FactsheetError as exc:
        _fail(exc, obj)
        return
    root = out_dir.resolve()
    for path, text in sorted(pages.items()):
        target = (root / path).resolve()
        if not target.is_relative_to(root):  # ids are validated; this is the last line of defence
            raise click.ClickException(f"refusing to write outside {out_dir}: {path}")
        store.atomic_write(target, text)
    click.echo(f"{len(pages)} files written to {out_dir}")


@main.command()
@CONTENT
@click.option("--config-file", "-f", default="mkdocs.yml", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The MkDocs configuration.")
@click.option("--site-dir", "-d", type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--jobs", "-j", type=int, default=0, help="Worker processes for extraction.")
@click.pass_obj
def build(obj: Context, content_dir: Path, config_file: Path, site_dir: Path | None, jobs: int) -> None:
    """Extract (new or changed articles), check, then build the site with MkDocs (strict)."""
    from generator import content

    try:
        result = content.extract_content(content_dir, jobs=jobs, progress=Progress())
    except FactsheetError as exc:
        _fail(exc, obj)
        return
    if result.reports:
        click.echo(f"extracted {len(result.reports)} article(s)")
    sheet = content.load_sheet(content_dir)
    content.save_cache(content_dir)
    errors = _report_problems(list(dict.fromkeys([*result.problems, *sheet.problems])))  # each problem once
    if errors:
        click.echo(f"{errors} error(s): the site was not built. Fix them, then run `factsheet build` again.", err=True)
        sys.exit(1)
    from generator.publish import build_site

    try:
        final = build_site(config_file, site_dir, verbose=obj.verbose)
    except FactsheetError as exc:
        _fail(exc, obj)
        return
    click.echo(f"site built in {final}")


@main.command()
@click.option("--config-file", "-f", default="mkdocs.yml", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The MkDocs configuration.")
@click.option("--dev-addr", "-a", metavar="IP:PORT", help="Address to serve on (default: MkDocs' 127.0.0.1:8000).")
@click.option("--full", is_flag=True, help="Rebuild every page after each change, as plain `mkdocs serve` does.")
@click.pass_obj
def serve(obj: Context, config_file: Path, dev_addr: str | None, full: bool) -> None:
    """Preview the site; after an edit, only the pages it changed are built again.

    This is `mkdocs serve --dirty`: the navigation holds only the section pages, so a page built
    earlier never shows a stale menu, and a changed record is served in about a second instead of
    after a rebuild of every page.
    """
    from generator.publish import serve_site

    try:
        serve_site(config_file, dev_addr, dirty=not full)
    except FactsheetError as exc:
        _fail(exc, obj)


@main.command()
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The content folder; copies go to its articles/.")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds each download may take in all (a server that drips bytes is cut off).")
@click.argument("urls", nargs=-1, required=True)
def add(content_dir: Path, timeout: float, urls: tuple[str, ...]) -> None:
    """Fetch the web pages at URLS and keep a dated copy of each in CONTENT/articles/."""
    from generator.ingest import fetch

    failed = 0
    for url in urls:
        try:
            path, new = fetch.add(url, content_dir / "articles", timeout=timeout)
        except FactsheetError as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            continue
        click.echo(f"{'added' if new else 'already archived'}: {url} -> {path}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
