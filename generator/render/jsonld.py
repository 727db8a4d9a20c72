"""Structured data: each page's statements as schema.org JSON-LD (Quotation, ClaimReview, NewsArticle),
safe to place inside a <script> element."""
from __future__ import annotations

import datetime as dt
import json

from generator.cache import PageCache
from generator.model import Article, Record, Statement
from generator.options import SiteOptions
from generator.render.markup import safe_url
from generator.render.site import Site


def _agent(name: str | None, is_person: bool) -> dict[str, object] | None:
    if not name:
        return None
    return {"@type": "Person" if is_person else "Organization", "name": name}


def _news_article(article: Article | None, record: Record) -> dict[str, object]:
    data: dict[str, object] = {"@type": "NewsArticle", "identifier": record.citation.article}
    if article is None:
        return data
    for key, value in (("headline", article.title), ("datePublished", article.published),
                       ("url", safe_url(article.url)), ("author", _agent(article.author, True)),
                       ("publisher", _agent(article.outlet, False))):
        if value:
            data[key] = value.isoformat() if isinstance(value, dt.date) else value
    return data


def quotation(statement: Statement, site_name: str, sources: list[dict[str, object]] | None = None, *,
              organizations: frozenset[str] = frozenset(),
              options: SiteOptions | None = None) -> list[dict[str, object]]:
    """schema.org ``Quotation`` of a statement, and a ``ClaimReview`` where an editor gave a verdict.

    ``sources`` replaces the statement's articles (a source page cites its own article once, by reference).
    ``organizations`` are the registry's speakers of kind organization; ``options`` name the publishing
    newsroom (the review's author) and the site's URL (the review's ``url``, the statement's permalink).
    """
    is_person = statement.speaker not in organizations and \
        not (statement.speaker_org and statement.speaker and statement.speaker.startswith(statement.speaker_org))
    speaker = _agent(statement.speaker, is_person)
    if sources is None:
        sources = [_news_article(s.article, s.record) for s in statement.sources]
    quote: dict[str, object] = {"@type": "Quotation", "@id": f"#{statement.id}", "text": statement.quote,
                                "isBasedOn": sources, "citation": sources}
    if speaker:
        quote["spokenByCharacter"] = speaker
        quote["creator"] = speaker
    if statement.said_on:
        quote["dateCreated"] = statement.said_on.isoformat()
    out = [quote]
    if statement.verdict or statement.rating:
        out.append(_claim_review(statement, site_name, sources, speaker, options or SiteOptions()))
    return out


def _claim_review(statement: Statement, site_name: str, sources: list[dict[str, object]], speaker: dict[str, object] | None,
                  options: SiteOptions) -> dict[str, object]:
    author: dict[str, object] = {"@type": "Organization", "name": options.publisher or site_name}
    if options.publisher_url:
        author["url"] = options.publisher_url
    rating: dict[str, object] = {"@type": "Rating", "alternateName": statement.rating or statement.verdict}
    step = options.rating(statement.rating)
    if step is not None:  # schema.org's numbers: the scale's best is the highest
        rating.update(alternateName=step.label, ratingValue=len(options.scale) - options.scale.index(step),
                      bestRating=len(options.scale), worstRating=1)
    if statement.verdict:
        rating["description"] = statement.verdict
    review: dict[str, object] = {
        "@type": "ClaimReview", "@id": f"#{statement.id}-review", "claimReviewed": statement.quote,
        "itemReviewed": {"@type": "Claim", "text": statement.quote, "appearance": sources,
                         **({"author": speaker} if speaker else {}),
                         **({"datePublished": statement.said_on.isoformat()} if statement.said_on else {})},
        "author": author, "reviewRating": rating,
    }
    # The review's URL is the statement's permalink (its speaker's page, else its first source's).
    url = options.page_url(f"speakers/{statement.speaker_slug}.md" if statement.speaker_slug
                           else f"sources/{statement.sources[0].record.citation.article}.md", statement.id)
    if url:
        review["url"] = url
    if statement.reviewed_on:
        review["datePublished"] = statement.reviewed_on.isoformat()
    if statement.reviewed_by:
        review["contributor"] = {"@type": "Person", "name": statement.reviewed_by}
    return review


def jsonld(statements: list[Statement], site_name: str, article_id: str | None = None, *,
           known: dict[tuple[str, int], dict[str, object]] | None = None, site: Site | None = None) -> str:
    """A JSON-LD document for a page's statements, safe to place inside a <script> element.

    Each cited article is one node of the graph, which the statements refer to by ``@id`` (a
    speaker page's statements share their sources, and the JSON-LD would otherwise repeat each
    article twice per statement). With ``article_id`` (a source page), only that article is cited.
    ``known`` keeps the article nodes for the next pages (an article is cited on several).
    ``site`` gives the registry's organisations and the newsroom's options.
    """
    nodes: dict[str, dict[str, object]] = {}
    known = {} if known is None else known

    def refs(statement: Statement) -> list[dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        for source in statement.sources:
            key = source.record.citation.article
            if article_id is not None and key != article_id:
                continue
            if key not in nodes:
                node = known.get((key, id(source.article)))
                if node is None:
                    node = known[key, id(source.article)] = {**_news_article(source.article, source.record),
                                                             "@id": f"#source-{key}"}
                nodes[key] = node
            out[key] = {"@id": f"#source-{key}"}
        return list(out.values())

    organizations = frozenset(p.name for p in site.people if p.kind == "organization") if site else frozenset()
    options = site.options if site else None
    quotes = [item for statement in statements
              for item in quotation(statement, site_name, refs(statement), organizations=organizations, options=options)]
    graph = [*quotes, *nodes.values()]
    # Compact separators keep json's C encoder (``indent`` falls back to pure Python: 10x slower).
    text = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, separators=(",", ":"))
    # "</script>" or "<!--" in a quote must not end the element: escape the characters HTML cares about.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def jsonld_files(site: Site, kept: PageCache | None = None) -> dict[str, str]:
    """JSON-LD per page that carries statements, keyed ``<page path>.jsonld`` (with ``kept``, the
    previous render's where the page's statements are unchanged)."""
    kept = kept or PageCache(None, site, [])
    out = {}
    known: dict[tuple[str, int], dict[str, object]] = {}  # article nodes (the articles live while this runs)
    for slug, statements in site.by_speaker.items():
        path = f"speakers/{slug}.md.jsonld"
        out[path] = kept.page(path, lambda: statements,
                              lambda: jsonld(statements, site.title, known=known, site=site))
    for article_id, items in site.by_article.items():
        path = f"sources/{article_id}.md.jsonld"
        article = site.articles.get(article_id)
        out[path] = kept.page(path, lambda: (article, items),
                               lambda: jsonld(list({e.id: e for e, _ in items}.values()), site.title, article_id,
                                              known=known, site=site))
    return out
