"""The ``factsheet`` command: a thin click layer over the library stages."""
from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from pathlib import Path

import click

from .errors import FactsheetError

log = logging.getLogger("factsheet")


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


@main.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the <file stem>.pred.json files.")
@click.option("--published", callback=_date, help="Publication date for files that carry none (YYYY-MM-DD).")
@click.option("--jobs", "-j", type=int, default=0, help="Worker processes (default: all cores).")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def quotes(obj: Context, out_dir: Path, published: dt.date | None, jobs: int, files: tuple[Path, ...]) -> None:
    """Extract the statements of article FILES as JSON (the evaluation contract)."""
    from . import extract, ingest

    out_dir.mkdir(parents=True, exist_ok=True)
    articles, failed = [], 0
    for path in files:
        try:
            articles.append(ingest.load_article(path, published=published))
        except FactsheetError as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
    for article, statements in extract.extract_many(articles, jobs=jobs):
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
    from . import ingest

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


@main.command()
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The content folder; copies go to its articles/.")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds to wait for each server.")
@click.argument("urls", nargs=-1, required=True)
@click.pass_obj
def add(obj: Context, content_dir: Path, timeout: float, urls: tuple[str, ...]) -> None:
    """Fetch the web pages at URLS and keep a dated copy of each in CONTENT/articles/."""
    from . import fetch

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
