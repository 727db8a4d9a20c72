"""Merging: fact records into the site's statements (one per thing said, with every source).

Between store and render: records of several articles that give the same words of the same
speaker become one :class:`~generator.model.Statement`, gaps filled from whichever source has them.
Matching compares only records that share a 4-word block and a speaker (never all pairs), so the
cost grows with the number of records, not its square. Under ``mkdocs serve`` the previous
merge is kept and reused for statements whose records did not change.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from rapidfuzz import fuzz

from generator.cache import Bounded
from generator.content import canonical_speakers
from generator.model import Article, Person, Record, Source, Statement
from generator.records.fields import RESERVED_NAMES, slugify
from generator.wording import word_key

MATCH_RATIO = 88  # rapidfuzz ratio at or above which two quotes of one speaker are one statement
TRUNCATION_RATIO = 96  # partial_ratio for a quote that one source shortened


def page_slug(text: str, taken: set[str] | None = None) -> str:
    """A slug that is safe as a file name in the site: no '..', no reserved names, unique in ``taken``."""
    slug = slugify(text)
    if slug in RESERVED_NAMES:
        slug += "-1"
    if taken is not None:
        base, n = slug, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
    return slug





def speaker_key(record: Record, people: dict[str, Person]) -> str | None:
    """Who a record is about, for matching: the registry entry, else the organisation or name."""
    if record.speaker and record.speaker.casefold() in people:
        return "p:" + people[record.speaker.casefold()].id
    if record.speaker_org and record.speaker in (record.speaker_org, f"{record.speaker_org} {record.speaker_role}"):
        return record.speaker_org.casefold()  # "Amazon" and "Amazon spokesperson" speak for one body
    return record.speaker.casefold() if record.speaker else None


def same_words(a: str, b: str) -> bool:
    """True when two quotes are the same statement in other typography, length or small wording."""
    return _same_norms(word_key(a), word_key(b))


def _same_norms(na: str, nb: str) -> bool:
    """:func:`same_words` of two quotes already normalised."""
    if not na or not nb:
        return False
    if na == nb or fuzz.ratio(na, nb) >= MATCH_RATIO:
        return True
    short, long_ = sorted((na, nb), key=len)
    return len(short.split()) >= 6 and fuzz.partial_ratio(short, long_) >= TRUNCATION_RATIO


def _grams(norm: str) -> set[str]:
    """The word 4-grams of a normalised quote (the quote itself when shorter)."""
    words = norm.split()
    return {" ".join(words[j:j + 4]) for j in range(max(1, len(words) - 3))}


def _blocks(norms: list[str], grams: Callable[[str], set[str] | frozenset[str]] = _grams) -> dict[str, list[int]]:
    """Candidate groups by shared word 4-grams (of the normalised quotes), so matching never
    compares all pairs."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, norm in enumerate(norms):
        for gram in grams(norm):
            index[gram].append(i)
    return index


class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class _ApartUnion(_Union):
    """A union that never puts two records an editor said are ``not_same_as`` in one group,
    also not through a third (A~B and B~C with A not_same_as C: the second join is refused)."""

    def __init__(self, records: list[Record], apart: set[frozenset[str]]):
        super().__init__(len(records))
        self.members = [{f.id} for f in records]
        barred: dict[str, set[str]] = defaultdict(set)
        for pair in apart:
            a, b = (*pair, *pair)[:2]
            barred[a].add(b)
            barred[b].add(a)
        self.barred = [set(barred.get(f.id, ())) for f in records]

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.barred[ra] & self.members[rb] or self.barred[rb] & self.members[ra]:
            return
        root, other = min(ra, rb), max(ra, rb)
        self.parent[other] = root
        self.members[root] |= self.members[other]
        self.barred[root] |= self.barred[other]


def group_records(records: list[Record], people: dict[str, Person], norm: Callable[[str], str] = word_key) -> list[list[Record]]:
    """Groups of records that are one statement: same speaker (or unknown), same words, other articles.

    ``same_as`` joins records whatever the matcher says; ``not_same_as`` keeps them apart.
    """
    return [[records[i] for i in group] for group in group_indexes(records, people, norm)]


def group_indexes(records: list[Record], people: dict[str, Person], norm: Callable[[str], str] = word_key,
                   same: Callable[[str, str], bool] = _same_norms,
                   grams: Callable[[str], set[str] | frozenset[str]] = _grams) -> list[list[int]]:
    """:func:`group_records` as positions in ``facts``; ``same`` and ``grams`` stand for
    :func:`_same_norms` and :func:`_grams` (a caller may remember their answers)."""
    n = len(records)
    position = {f.id: i for i, f in enumerate(records)}
    apart = {frozenset((f.id, o)) for f in records for o in f.not_same_as}
    union = _ApartUnion(records, apart) if apart else _Union(n)
    keys = [speaker_key(f, people) or None for f in records]
    norms = [norm(f.quote) for f in records]
    sources = [f.citation.article for f in records]
    checked: set[int] = set()
    # Every pair (i < j) in a block that passes the checks below is compared once; which pairs are
    # joined does not depend on the order, and the groups come out in the order of the records.
    for members in _blocks(norms, grams).values():
        if len(members) < 2 or len(members) > 50:  # a 4-gram shared this widely is boilerplate wording
            continue
        # Records of two named speakers are never one statement: pair within a speaker, and an
        # unknown speaker with anyone.
        by_key: dict[str | None, list[int]] = {}
        for i in members:
            by_key.setdefault(keys[i], []).append(i)
        unknown = by_key.pop(None, [])
        pairs = [(i, j) for group in by_key.values() for x, i in enumerate(group) for j in group[x + 1:]]
        pairs += [(i, j) if i < j else (j, i) for i in unknown for j in members if j != i]
        for i, j in pairs:
            pair = i * n + j
            if pair in checked:
                continue
            checked.add(pair)
            if apart and frozenset((records[i].id, records[j].id)) in apart:
                continue
            if sources[i] == sources[j]:
                # one article's two records are one statement only when one holds the other: the same
                # words at the same place ('"A," she said. "B."' as one record, and a record of "B.")
                if keys[i] is not None and _nested(records[i], records[j], norms[i], norms[j]):
                    union.join(i, j)
                continue
            if same(norms[i], norms[j]):
                union.join(i, j)
    for record in records:
        for other in record.same_as:
            if other in position and frozenset((record.id, other)) not in apart:
                union.join(position[record.id], position[other])
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[union.find(i)].append(i)
    return list(groups.values())


def _nested(a: Record, b: Record, norm_a: str, norm_b: str) -> bool:
    """One record's citation span and words lie inside the other's (both of one article)."""
    if (a.citation.end - a.citation.start) < (b.citation.end - b.citation.start):
        a, b, norm_a, norm_b = b, a, norm_b, norm_a
    return a.citation.start <= b.citation.start and b.citation.end <= a.citation.end and norm_b in norm_a


def _specificity(record: Record) -> tuple[int, int]:
    return (2 if record.speaker_role or record.speaker_org else 1 if record.speaker else 0, len(record.speaker or ""))


def make_statement(group: list[Record], articles: dict[str, Article], slugs: dict[str, str],
               people: dict[str, Person], norm: Callable[[str], str] = word_key) -> Statement:
    """One statement for the site from a group of records, filling gaps from whichever source has them."""
    group = sorted(group, key=lambda f: (articles[f.citation.article].published or dt.date.max
                                         if f.citation.article in articles else dt.date.max, f.id))
    first = group[0]
    filled: list[tuple[str, str]] = []
    speaker_fact = max(group, key=_specificity)
    if speaker_fact is not first and _specificity(speaker_fact) > _specificity(first):
        filled.append(("speaker", speaker_fact.citation.article))
    dated = [f for f in group if f.said_on and not f.said_on_inferred] or [f for f in group if f.said_on]
    date_fact = min(dated, key=lambda f: (["day", "week", "month", "year"].index(f.said_on_precision), f.said_on)) \
        if dated else None
    # Another source's date is used where the first's is missing, a guess or coarser ("last week"
    # here, "on Monday" there), and the statement says where it came from.
    if date_fact is not None and date_fact is not first and (first.said_on_inferred or not first.said_on
                                                            or first.said_on_precision != date_fact.said_on_precision):
        filled.append(("said_on", date_fact.citation.article))
    venue_fact = next((f for f in group if f.venue), None)
    if venue_fact is not None and venue_fact is not first:
        filled.append(("venue", venue_fact.citation.article))
    editor = next((f for f in group if f.verdict or f.note or f.rating or f.reviewed_by or f.reviewed_on), first)
    quote = max((f.quote for f in group), key=len)
    variants = _variants(group, norm)
    speaker = speaker_fact.speaker
    if speaker and speaker.casefold() in people:
        speaker = people[speaker.casefold()].name
    return Statement(
        id=first.id, quote=quote, kind=first.kind, speaker=speaker,
        speaker_slug=slugs.get(speaker) if speaker else None,
        sources=tuple(Source(f, articles.get(f.citation.article), _own_speaker(f, speaker_fact, people))
                      for f in group),
        said_on=date_fact.said_on if date_fact else None,
        said_on_precision=date_fact.said_on_precision if date_fact else "day",
        said_on_inferred=date_fact.said_on_inferred if date_fact else False,
        venue=venue_fact.venue if venue_fact else None,
        speaker_role=speaker_fact.speaker_role, speaker_org=speaker_fact.speaker_org,
        speaker_inferred=speaker_fact.speaker_inferred,
        variants=variants, filled=tuple(filled),
        note=editor.note, verdict=editor.verdict, rating=editor.rating,
        reviewed_by=editor.reviewed_by, reviewed_on=editor.reviewed_on,
        links=tuple(link for f in group for link in f.links),
        said_at=next((f.said_at for f in group if f.said_at), None),
    )


def _own_speaker(record: Record, chosen: Record, people: dict[str, Person]) -> str | None:
    """The record's speaker when it is another speaker than the statement's (a same_as across two
    speakers), by its registry name; None when it is the same speaker or the record names none."""
    if not record.speaker or record is chosen:
        return None
    key = speaker_key(record, people)
    if key is None or key == speaker_key(chosen, people):
        return None
    person = people.get(record.speaker.casefold())
    return person.name if person else record.speaker


def _variants(group: list[Record], norm: Callable[[str], str] = word_key) -> tuple[tuple[str, str], ...]:
    """(article id, wording) for each distinct wording, when the sources' wordings differ.

    One wording per article: two sentences of one article are not two sources' wordings.
    """
    seen, articles, out = set(), set(), []
    for record in group:
        key = norm(record.quote)
        if key not in seen and record.citation.article not in articles:
            seen.add(key)
            articles.add(record.citation.article)
            out.append((record.citation.article, record.quote))
    return tuple(out) if len(out) > 1 else ()


def build_statements(records: list[Record], articles: dict[str, Article], people: list[Person]) -> list[Statement]:
    """The site's statements: published records, merged across sources, newest said first."""
    return merge_statements(records, articles, people, None).ordered


def _signature(record: Record, registry: dict[str, Person]) -> tuple[object, ...]:
    """What of a visible record decides the groups and the speakers' page slugs (see :func:`merge_statements`)."""
    return (record.id, record.quote, record.speaker, speaker_key(record, registry), record.citation.article,
            record.citation.start, record.citation.end, record.same_as, record.not_same_as)


class _Answers:
    """Answers of the pure functions the merging asks over and over: a quote's normal form and
    4-grams, and whether two normal forms are the same words (kept between renders, bounded by
    the number of records)."""

    def __init__(self) -> None:
        self.norm = Bounded(word_key)
        self.grams_of = Bounded(lambda norm: frozenset(_grams(norm)))
        self.pairs = Bounded(lambda pair: _same_norms(*pair))

    def same(self, a: str, b: str) -> bool:
        return self.pairs[a, b]

    def trim(self, records: int) -> None:
        for memo in (self.norm, self.grams_of, self.pairs):
            memo.limit = 4 * records + 1000
            if len(memo) > memo.limit:
                memo.clear()


@dataclass
class Merged:
    """One :func:`merge_statements`: its inputs and results, which the next one (``mkdocs serve``) reuses."""

    people: tuple[Person, ...]
    registry: dict[str, Person]
    articles: dict[str, Article]  # a copy: the caller may change its dict in place
    visible: list[Record]
    signatures: list[tuple[object, ...]]
    groups: list[list[int]]  # positions in ``visible``
    group_of: list[int]  # position in ``visible`` -> its group
    slugs: dict[str, str]
    statements: list[Statement]  # one per group
    ordered: list[Statement]  # the site's order
    answers: _Answers
    bridging: tuple[tuple[object, ...], ...] = ()  # the signatures of the rejected records that joined groups


def merge_statements(records: list[Record], articles: dict[str, Article], people: list[Person],
                     previous: Merged | None) -> Merged:
    """:func:`build_statements`, reusing the ``previous`` call's work where its inputs are the same.

    The groups depend only on each visible record's :func:`_signature` (and on the registry), so
    when no signature changed the previous groups stand, with the new records in place of the old
    ones. Anything else (the registry, a quote or a speaker changed, records added, removed or
    rejected) groups from scratch. Either way a statement is made again only when one of its
    records or articles is another object than before (records and articles are frozen: the
    same object is the same content), or the registry or the speakers' slugs changed.
    """
    people = tuple(people)
    answers = previous.answers if previous is not None else _Answers()
    if previous is not None and previous.people == people:
        registry = previous.registry
    else:
        registry = canonical_speakers(list(people))
        previous = None
    visible = [f for f in records if f.status != "rejected"]
    # Rejected records still join the groups they were in (the headline and the body of one article
    # quoting what another source also had stay one statement when that source's record is
    # rejected); an unnamed one joins nothing, as it would pair with any speaker.
    bridges = [f for f in records if f.status == "rejected" and speaker_key(f, registry)]
    bridging = tuple(_signature(f, registry) for f in bridges)
    if previous is not None and previous.bridging != bridging:
        previous = None
    answers.trim(len(visible))
    articles = dict(articles)  # a copy: the caller may change its dict in place
    moved = _moved_articles(previous, articles)
    changed = _changed_records(previous, visible, registry)
    if changed is not None:
        assert previous is not None
        merged = _regrouped_as_before(previous, visible, changed, moved, articles)
        merged.bridging = bridging
        return merged
    merged = _regrouped(previous, people, registry, visible, moved, articles, answers, bridges)
    merged.bridging = bridging
    return merged


def _moved_articles(previous: Merged | None, articles: dict[str, Article]) -> set[str]:
    """Ids of the articles that are other objects than in the previous merge (or gone, or new)."""
    if previous is None:
        return set()
    old = previous.articles
    return {key for key in old.keys() | articles.keys() if articles.get(key) is not old.get(key)}


def _changed_records(previous: Merged | None, visible: list[Record], registry: dict[str, Person]) -> list[int] | None:
    """Positions of the records that are new objects with the same signature as before, or None
    when the groups may differ (no previous merge, another number of records, a signature changed)."""
    if previous is None or len(visible) != len(previous.visible):
        return None
    changed = []
    for i, (record, old) in enumerate(zip(visible, previous.visible)):
        if record is not old:
            if _signature(record, registry) != previous.signatures[i]:
                return None
            changed.append(i)
    return changed


def _regrouped_as_before(previous: Merged, visible: list[Record], changed: list[int], moved: set[str],
                         articles: dict[str, Article]) -> Merged:
    """The previous groups with these records: only the statements of changed records or articles made again."""
    groups, group_of, answers = previous.groups, previous.group_of, previous.answers
    dirty = {group_of[i] for i in changed}
    if moved:
        dirty.update(group_of[i] for i, record in enumerate(visible) if record.citation.article in moved)
    statements = list(previous.statements)
    for g in dirty:
        statements[g] = make_statement([visible[i] for i in groups[g]], articles, previous.slugs, previous.registry,
                                answers.norm)
    ordered = _newest_first(statements) if dirty else previous.ordered
    return Merged(previous.people, previous.registry, articles, visible, previous.signatures, groups, group_of,
                  previous.slugs, statements, ordered, answers)


def _regrouped(previous: Merged | None, people: tuple[Person, ...], registry: dict[str, Person],
               visible: list[Record], moved: set[str], articles: dict[str, Article], answers: _Answers,
               bridges: list[Record] = ()) -> Merged:
    """Groups from scratch (``bridges`` join groups and are then left out of them); a group of the
    very same records, articles and slugs keeps its statement."""
    signatures = [_signature(f, registry) for f in visible]
    groups = group_indexes([*visible, *bridges], registry, answers.norm, answers.same, answers.grams_of)
    if bridges:
        groups = [kept for kept in ([i for i in g if i < len(visible)] for g in groups) if kept]
    group_of = [0] * len(visible)
    for g, members in enumerate(groups):
        for i in members:
            group_of[i] = g
    slugs = _speaker_slugs(visible, registry)
    # Both merges' records are alive, so the same ids are the same objects.
    before: dict[tuple[int, ...], Statement] = {}
    if previous is not None and previous.slugs == slugs:
        old = previous.visible
        before = {tuple([id(old[i]) for i in g]): statement for g, statement in zip(previous.groups, previous.statements)}
    statements = []
    for g in groups:
        statement = before.get(tuple([id(visible[i]) for i in g])) if before else None
        if statement is None or moved and any(visible[i].citation.article in moved for i in g):
            statement = make_statement([visible[i] for i in g], articles, slugs, registry, answers.norm)
        statements.append(statement)
    return Merged(people, registry, articles, visible, signatures, groups, group_of, slugs, statements,
                  _newest_first(statements), answers)


def _speaker_slugs(visible: list[Record], registry: dict[str, Person]) -> dict[str, str]:
    """Each speaker's page slug, unique: a registry speaker's is its stable ``id`` (so a rename
    keeps the address), taken first; any other speaker's is made from the name, in the order of
    record ids."""
    taken: set[str] = set()
    slugs: dict[str, str] = {}
    named = sorted(visible, key=lambda f: f.id)
    people = {registry[r.speaker.casefold()].id: registry[r.speaker.casefold()] for r in named
              if r.speaker and r.speaker.casefold() in registry}
    for person_id, person in sorted(people.items()):
        slugs[person.name] = page_slug(person_id, taken)
    for record in named:
        label = record.speaker
        if label and label.casefold() not in registry and label not in slugs:
            slugs[label] = page_slug(label, taken)
    return slugs


def page_redirects(slugs: dict[str, str], people: list[Person], articles: dict[str, Article]) -> dict[str, str]:
    """Old page -> the page it moved to: each registry speaker's ``former_ids`` (a rename without
    an id, or another entry merged into this one) and each article's (its file renamed); none
    where a page lives now."""
    pages = set(slugs.values())
    out = {f"speakers/{old}.md": f"speakers/{slugs[p.name]}.md" for p in people if p.name in slugs
           for old in p.former_ids if old not in pages}
    out.update({f"sources/{old}.md": f"sources/{a.id}.md" for a in articles.values() for old in a.former_ids
                if old not in articles})
    return out


def _newest_first(statements: list[Statement]) -> list[Statement]:
    return sorted(statements, key=lambda e: (e.said_on or dt.date.min, e.id), reverse=True)
