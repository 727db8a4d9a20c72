"""The people registry (``content/people.yaml``): speakers' names, aliases, roles and stable ids."""
from __future__ import annotations

from generator import ingest
from generator.content.layout import Layout
from generator.errors import FactsheetError, Problem
from generator.model import Person
from generator.records import fields, store, yamlio


def parse_people(text: str, path: str) -> tuple[list[Person], list[Problem]]:
    """Validate the people registry: a list of entries with a name and optional aliases."""
    try:
        data, node = yamlio.load(text, path)
    except FactsheetError as exc:
        return [], exc.problems
    if data is None:
        return [], []
    if isinstance(data, dict) and "people" in data:
        data, node = data["people"], yamlio.locate_node(node, "people")
    if not isinstance(data, list):
        return [], [Problem(path, "expected a list of people", 1, hint="start each entry with '- name: ...'")]
    people, problems, names = [], [], {}
    addresses: dict[str, str] = {}  # page addresses (ids and former ids) -> whose
    for i, raw in enumerate(data):
        line = yamlio.locate(node, i)[0]
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
            problems.append(Problem(path, "expected an entry with a name", line, field="name",
                                    hint="write '- name: Mike Pompeo'"))
            continue
        values = store.check_list_item(raw, fields.PERSON, path, node, i, problems)
        if values is None:
            continue
        aliases = tuple(store.clean_name(a) for a in values.get("aliases", ()))
        if not all(aliases):
            problems.append(Problem(path, "an alias is empty", *yamlio.key_mark(node, i, "aliases"), field="aliases",
                                    hint="remove the empty entry; an empty alias would match every unnamed speaker"))
            continue
        person = _person(raw["name"], values, aliases)
        problems += _clashes(person, path, line, addresses, names)
        people.append(person)
    return people, problems


def _person(name: str, values: dict, aliases: tuple[str, ...]) -> Person:
    return Person(id=str(values.get("id") or ingest.slugify(name)), name=store.clean_name(name) or name.strip(),
                  aliases=aliases, role=values.get("role"), organization=values.get("organization"),
                  kind=values.get("kind", "person"), links=values.get("links", ()),
                  description=values.get("description"), former_ids=values.get("former_ids", ()))


def _clashes(person: Person, path: str, line: int | None, addresses: dict[str, str],
             names: dict[str, str]) -> list[Problem]:
    """A page address or a name the registry already gives someone else (both noted for the next entry)."""
    problems = []
    for address in (person.id, *person.former_ids):
        if address in addresses:
            problems.append(Problem(path, f"the address '{address}' is already {addresses[address]}", line,
                                    field="id" if address == person.id else "former_ids",
                                    hint="one page address belongs to one speaker: give another id, or "
                                         "remove it from former_ids"))
        addresses.setdefault(address, f"the page of {person.name}")
    for name in (person.name, *person.aliases):
        key = name.casefold()
        if key in names:
            problems.append(Problem(path, f"'{name}' is already the name or alias of {names[key]}", line,
                                    field="aliases", hint="one name belongs to one entry; merge the two entries"))
        names[key] = person.name
    return problems


def read_people(layout: Layout) -> tuple[list[Person], list[Problem]]:
    """The people registry of a content folder, validated (nothing when there is no people.yaml)."""
    if not layout.people.is_file():
        return [], []
    problems: list[Problem] = []
    text = store.read_utf8(layout.people, layout.label(layout.people), problems)
    return parse_people(text, layout.label(layout.people)) if text is not None else ([], problems)


def canonical_speakers(people: list[Person]) -> dict[str, Person]:
    """Every name and alias (case-folded) to its registry entry."""
    return {name.casefold(): p for p in people for name in (p.name, *p.aliases)}
