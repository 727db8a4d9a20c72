"""A deterministic corpus of N news articles for the scale benchmarks (``benchmarks/run.py``).

The articles are Markdown with front matter (title, outlet, published, url, author) and are
written from templates of common news constructions: a quote before or after its attribution,
a quote split by its attribution, a colon introduction, partial quotes, reported speech with
"said (that)", "according to", "told reporters", spokespeople speaking for an organisation,
statements dated by weekday or by day, and background paragraphs without any statement.

Articles come in *stories*: several outlets cover the same events over a few days, so the same
statement appears in several articles (sometimes shortened, sometimes with other quotation
marks), which exercises the cross-source merging. Speakers are drawn with a long tail (a few
speak often, most rarely), from a pool that grows with N, like a real archive. Every word is
made up here; nothing is copied from real articles.

    .venv/bin/python benchmarks/corpus.py --n 1000 --out /tmp/corpus     # writes /tmp/corpus/content/...
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

FIRST = ("Maria", "James", "Aisha", "Daniel", "Priya", "Tomasz", "Grace", "Oluwaseun", "Hannah", "Carlos",
         "Mei", "Robert", "Fatima", "Liam", "Sofia", "Kenji", "Elena", "Marcus", "Ingrid", "Samuel",
         "Leila", "Patrick", "Anya", "Victor", "Nadia", "George", "Chloe", "Rahul", "Beatriz", "Owen",
         "Yusuf", "Clara", "Dmitri", "Ruth", "Andre", "Julia", "Kwame", "Helen", "Mateo", "Zara")
LAST = ("Okafor", "Lindqvist", "Brennan", "Castellanos", "Whitfield", "Nakamura", "Adeyemi", "Kowalczyk",
        "Harrington", "Delacroix", "Osei", "Fitzgerald", "Moreau", "Haddad", "Sorensen", "Quintero",
        "Abernathy", "Varga", "Ellison", "Mbeki", "Carrow", "Petrov", "Ashworth", "Ibarra", "Lachance",
        "Strand", "Obi", "Halloran", "Ferreira", "Novak", "Whitcombe", "Rahman", "Gallagher", "Sato",
        "Draper", "Mensah", "Albright", "Kerrigan", "Villanueva", "Thorne", "Bianchi", "Young", "Ortiz")
ORGS = ("Harbor Transit Authority", "Northfield City Council", "the Department of Water Resources",
        "Meridian Health", "the state Board of Education", "Calloway Energy", "the Riverside Police Department",
        "Pinecrest University", "the Ministry of Finance", "Atlas Logistics", "the county health department",
        "Bluewater Fisheries Cooperative", "the Federal Aviation Office", "Summit Bank", "Greenway Housing Trust",
        "the Teachers' Union", "Vantage Telecom", "the Port Commission", "Eastgate Hospital", "Lumen Software")
ROLES = ("chief executive", "spokesperson", "mayor", "director", "commissioner", "chair", "minister",
         "president", "senior economist", "union leader", "professor", "superintendent", "councillor",
         "chief financial officer", "police chief", "head of research")
OUTLETS = ("The Daily Ledger", "Northfield Herald", "Coastal Times", "Metro Wire", "The Evening Standard-Post",
           "Capital Report", "Valley News", "The Morning Chronicle", "Harbor Gazette", "Public Radio North",
           "The Independent Observer", "Civic Dispatch")
TOPICS = (("fares", "the fare increase", "riders"), ("budget", "the budget shortfall", "taxpayers"),
          ("water", "the water restrictions", "residents"), ("strike", "the strike", "workers"),
          ("housing", "the housing plan", "tenants"), ("hospital", "the hospital merger", "patients"),
          ("schools", "the school closures", "parents"), ("bridge", "the bridge repairs", "commuters"),
          ("outage", "the network outage", "customers"), ("fishing", "the fishing quota", "fishermen"),
          ("flights", "the flight cancellations", "passengers"), ("rates", "the interest rate decision", "borrowers"))

# Fragments of statements; a quote joins one of each, so quotes are many and distinct.
OPENERS = ("We have been clear from the start that", "I want to be very direct about this:",
           "Nobody in this building believes that", "The numbers we are seeing tell us that",
           "Let me say plainly that", "Our position has not changed, and", "We have listened carefully, and",
           "It would be irresponsible to pretend that", "After months of talks, we think that",
           "The honest answer is that", "We made a promise last year, and", "What we are hearing is that")
CLAIMS = ("{issue} will not be reversed this year", "{group} deserve a straight answer about {issue}",
          "{issue} was handled badly from the beginning", "there is no money left to soften {issue}",
          "{group} have already paid too much for {issue}", "{issue} can be fixed within six months",
          "we will publish every document about {issue}", "{issue} is the result of decisions made years ago",
          "the independent review of {issue} must go ahead", "{group} were never consulted on {issue}",
          "we expect {issue} to cost less than the first estimate", "no one will lose their job over {issue}")
CLOSERS = ("and we will keep saying so until it changes.", "and that is why we are asking for patience.",
           "but the final decision is not mine alone.", "and I take full responsibility for that.",
           "which is exactly what the report recommends.", "and anyone who says otherwise is misleading people.",
           "and we owe it to {group} to get this right.", "even if that is not what people want to hear.",
           "so we will return to the table next week.", "and the figures will be public by Friday.")
SECOND = ("This is not a political question.", "We are ready to meet anyone who wants to talk.",
          "The deadline will not move.", "I have seen the data myself.", "That is simply not acceptable.",
          "We will have more to say on Thursday.", "Nothing has been decided yet.", "The law is very clear.")
BACKGROUND = ("The dispute over {issue} has dragged on since the spring, with several rounds of talks ending "
              "without agreement.",
              "{org} has faced mounting criticism over {issue}, and a public hearing is scheduled for later "
              "this month.",
              "Figures released last quarter showed costs rising faster than expected, a trend analysts had "
              "warned about for some time.",
              "A petition opposing the plan has gathered thousands of signatures, organisers say.",
              "The decision follows a review commissioned last year, which found gaps in oversight and "
              "recommended a series of changes.",
              "Local businesses have reported mixed effects, with some welcoming the move and others "
              "saying they were caught off guard.")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CUES_PAST = ("said", "told reporters", "said in a statement", "told the council", "wrote in an email",
             "said at a news conference", "said in an interview")


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    org: str

    @property
    def last(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True)
class Said:
    """One statement of a story: who, what (two sentences), when."""

    person: Person
    first: str
    second: str
    reported: str
    day: dt.date
    spokesperson: bool


def _people(rng: random.Random, n: int) -> list[Person]:
    names, people = set(), []
    while len(people) < n:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in names:
            # the same name twice would be one speaker on the site; give the second a middle initial
            name = f"{name.split()[0]} {chr(65 + len(people) % 26)}. {name.split()[1]}"
            if name in names:
                continue
        names.add(name)
        people.append(Person(name, rng.choice(ROLES), rng.choice(ORGS)))
    return people


def _quote(rng: random.Random, issue: str, group: str) -> tuple[str, str, str]:
    claim = rng.choice(CLAIMS).format(issue=issue, group=group)
    first = f"{rng.choice(OPENERS)} {claim} {rng.choice(CLOSERS).format(group=group)}"
    return first, rng.choice(SECOND), claim


def _weekday_phrase(said: dt.date, published: dt.date) -> str:
    delta = (published - said).days
    if delta == 0:
        return "on " + WEEKDAYS[said.weekday()]
    if delta < 6:
        return "on " + WEEKDAYS[said.weekday()]
    return f"on {said.strftime('%B')} {said.day}"


def _statement_paragraph(rng: random.Random, s: Said, published: dt.date, variant: int,
                         curly: bool, shorten: bool) -> str:
    """One paragraph carrying statement ``s`` in one of several constructions."""
    o, c = ("“", "”") if curly else ('"', '"')
    first = s.first
    if shorten:  # another outlet quotes only the words up to the first comma or colon
        cut = min((i for i in (first.find(","), first.find(":")) if i > 20), default=-1)
        if cut > 0:
            first = first[cut + 1:].strip()
            first = first[0].upper() + first[1:]
    when = _weekday_phrase(s.day, published)
    p = s.person
    who = f"a {p.role} for {p.org}" if s.spokesperson else p.name
    who_cap = who[0].upper() + who[1:]
    short = f"the {p.role}" if s.spokesperson else p.last
    body = first.rstrip(".")
    if variant == 0:
        return f"{o}{body},{c} {who_cap} {rng.choice(CUES_PAST)} {when}. {o}{s.second}{c}"
    if variant == 1:
        return f"{who_cap}, the {p.role} of {p.org}, said {when}: {o}{first}{c}" if not s.spokesperson \
            else f"In a statement {when}, {p.org} said: {o}{first}{c}"
    if variant == 2:
        half = body.split(" ", 6)
        if len(half) == 7:
            return (f"{o}{' '.join(half[:6])},{c} {short} said {when}, {o}{half[6]}.{c} "
                    f"{o}{s.second}{c}")
        return f"{o}{first}{c} said {who} {when}."
    if variant == 3:
        return f"{who_cap} told reporters {when} that {s.reported}."
    if variant == 4:
        return f"According to {who}, {s.reported}, a view {short} repeated {when}."
    if variant == 5:
        words = s.reported.split()
        partial = " ".join(words[-6:])
        return f"{who_cap} {when} described the situation bluntly, saying {o}{partial}{c}."
    return f"{who_cap} said {when} that {s.reported}, adding: {o}{s.second}{c}"


def _story(rng: random.Random, people: list[Person], weights: list[float], day: dt.date,
           size: int) -> tuple[tuple[str, str, str], list[Said], list[Person]]:
    topic = rng.choice(TOPICS)
    cast = []
    while len(cast) < min(8, 3 + size // 3):
        p = rng.choices(people, weights)[0]
        if p not in cast:
            cast.append(p)
    said = []
    for _ in range(max(6, size + 4)):
        p = rng.choice(cast)
        first, second, claim = _quote(rng, topic[1], topic[2])
        said.append(Said(p, first, second, claim, day + dt.timedelta(days=rng.randint(0, 2)), rng.random() < 0.2))
    return topic, said, cast


def _article(rng: random.Random, topic: tuple[str, str, str], said: list[Said],
             published: dt.date, org: str, carried: list[tuple[str, int]] | None = None) -> str:
    """The article's Markdown body; ``carried`` receives (paragraph, index in ``said``) for each
    paragraph that carries a statement."""
    known = [s for s in said if s.day <= published] or said[:1]
    chosen = rng.sample(known, k=min(len(known), rng.randint(4, 8)))
    chosen.sort(key=lambda s: s.day)
    lede_person = chosen[0].person
    paragraphs = [f"{org[0].upper() + org[1:]} faced new questions {_weekday_phrase(chosen[0].day, published)} "
                  f"over {topic[1]}, as {topic[2]} and officials traded accusations."]
    curly = rng.random() < 0.5
    for s in chosen:
        variant = rng.randrange(7)
        paragraphs.append(_statement_paragraph(rng, s, published, variant, curly, shorten=rng.random() < 0.15))
        if carried is not None:
            carried.append((paragraphs[-1], said.index(s)))
        if rng.random() < 0.35:
            paragraphs.append(rng.choice(BACKGROUND).format(issue=topic[1], org=org))
    paragraphs.append(f"{lede_person.org[0].upper() + lede_person.org[1:]} did not respond to a request for "
                      f"further comment.")
    return "\n\n".join(paragraphs) + "\n"


def generate(n: int, seed: int = 8, truth: dict | None = None) -> list[tuple[str, str]]:
    """``(file name, Markdown text)`` for ``n`` articles; the same ``n`` and ``seed`` give the same files.

    ``truth`` (a dict), when given, receives for each file name the paragraphs that carry a
    statement, as ``(paragraph, (story, statement), the statement's second sentence)``: records
    found in one statement's paragraphs of two articles report one statement
    (``benchmarks/related.py``)."""
    rng = random.Random(f"{seed}:{n}")
    people = _people(rng, max(30, n // 5))
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(people))]  # a few speak often, most rarely
    start = dt.date(2016, 1, 4)
    span_days = 365 * 8
    out: list[tuple[str, str]] = []
    story_no = 0
    while len(out) < n:
        size = min(n - len(out), rng.randint(2, 12))
        day = start + dt.timedelta(days=rng.randrange(span_days))
        topic, said, cast = _story(rng, people, weights, day, size)
        org = rng.choice(cast).org
        outlets = rng.sample(OUTLETS, k=min(size, len(OUTLETS))) + [rng.choice(OUTLETS) for _ in range(size)]
        for k in range(size):
            outlet = outlets[k]
            published = day + dt.timedelta(days=rng.randint(0, 4))
            carried: list[tuple[str, int]] = []
            body = _article(rng, topic, said, published, org, carried)
            title = f"{org[0].upper() + org[1:]} under pressure over {topic[1]}" if k % 2 == 0 else \
                f"{said[k % len(said)].person.name} speaks out on {topic[1]}"
            slug = f"{published.isoformat()}-{story_no:05d}-{k:02d}"
            domain = outlet.lower().replace("the ", "").replace(" ", "").replace("-", "") + ".example"
            author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            front = (f"---\ntitle: \"{title}\"\noutlet: {outlet}\npublished: {published.isoformat()}\n"
                     f"author: {author}\nurl: https://www.{domain}/{published.year}/{slug}\n---\n")
            out.append((f"{slug}.md", front + body))
            if truth is not None:
                truth[f"{slug}.md"] = [(text, (story_no, i), said[i].second) for text, i in carried]
        story_no += 1
    return out


MKDOCS_YML = """site_name: "Scale benchmark ({n} articles)"
docs_dir: content
site_dir: site
theme:
  name: material
  font: false  # as the demo: no Google Fonts stylesheet in every page the search benchmark opens
  features:
    - navigation.tabs
    - navigation.top
    - search.highlight
plugins:
  - search{search}
  - factsheet:
      content: content
      templates: templates
markdown_extensions:
  - attr_list
  - tables
  - toc:
      permalink: true
exclude_docs: |
  articles/
  facts/
  people.yaml
"""


def mkdocs_yml(n: int, search: str = "", engine: str = "material") -> str:
    """The benchmark project's mkdocs.yml; ``search`` is appended to Material's search plugin entry
    (e.g. its ``indexing`` option); ``engine="pagefind"`` replaces that plugin by Pagefind."""
    text = MKDOCS_YML.format(n=n, search=search)
    if engine == "pagefind":
        text = text.replace(f"  - search{search}\n", "").replace(
            "      templates: templates\n", "      templates: templates\n      search_engine: pagefind\n")
    return text


def write_project(root: Path, n: int, seed: int = 8, search: str = "", truth: dict | None = None) -> Path:
    """A factsheet project with ``n`` generated articles in ``root`` (replacing its content/);
    ``truth`` as for :func:`generate`."""
    if (root / "content").exists():
        shutil.rmtree(root / "content")
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    for name, text in generate(n, seed, truth):
        (articles / name).write_text(text, "utf-8")
    (root / "content" / "index.md").write_text(
        f"# Scale benchmark\n\nA generated archive of {n} articles for factsheet's scale benchmarks.\n", "utf-8")
    (root / "mkdocs.yml").write_text(mkdocs_yml(n, search), "utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100, help="number of articles")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, required=True, help="project folder to write (content/, mkdocs.yml)")
    args = parser.parse_args()
    write_project(args.out, args.n, args.seed)
    print(f"{args.n} articles written to {args.out / 'content' / 'articles'}")


if __name__ == "__main__":
    main()
