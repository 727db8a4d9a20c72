"""The field table is the one source of truth: the shipped JSON Schemas are made from it, and
`factsheet check` and the schemas agree on what is wrong."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator import content
from generator.content import events
from generator.records import fields, store
from generator.schemas import __file__ as schemas_init

SCHEMAS = Path(schemas_init).parent

RECORD = """article: good
statements:
  - id: s-1
    status: reviewed
    speaker: Jane Roe
    kind: direct
    quote: We will win
    said_on: 2020-07-06
    links: [https://www.example.com/a]
    same_as: [s-2]
    machine: 0123456789ab
    citation:
      start: 1
      end: 12
      excerpt: We will win
"""
PERSON = "- id: jane-roe\n  name: Jane Roe\n  aliases: [Roe]\n  kind: person\n  links: [https://example.com/]\n"


class JSONLikeLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it into JSON: a date is a string."""


JSONLikeLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def schema_errors(name: str, text: str) -> list[str]:
    schema = json.loads((SCHEMAS / name).read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [e.message for e in validator.iter_errors(yaml.load(text, JSONLikeLoader))]


def check_errors(name: str, text: str) -> list[str]:
    if name == "events.schema.json":
        return [str(p) for p in events.parse_events(text, "events.yaml")[1]]
    if name == "facts.schema.json":
        return [str(p) for p in store.parse_fact_file(text, "facts/good.yaml")[1]]
    return [str(p) for p in content.parse_people(text, "people.yaml")[1]]


@pytest.mark.parametrize("name", sorted(fields.SCHEMAS))
def test_the_shipped_schemas_are_made_from_the_field_table(name):
    assert (SCHEMAS / name).read_text("utf-8") == fields.schema_text(name), \
        "regenerate with: python -m generator.records.fields"


EVENT = "- date: 2020-07-10\n  time: '09:30'\n  title: Email\n  text: Sent.\n  links: [https://example.com/]\n" \
        "  sources: [good]\n- date: 2020-07-11\n  time: evening\n  title: Walk-back\n  id: e-walk-back\n"


@pytest.mark.parametrize("name, text", [("facts.schema.json", RECORD), ("people.schema.json", PERSON),
                                        ("events.schema.json", EVENT),
                                        ("facts.schema.json", RECORD.replace("    kind: direct\n",
                                                                             "    kind: direct\n    said_at: '14:30'\n"))])
def test_check_and_schema_both_accept_a_good_file(name, text):
    assert check_errors(name, text) == [] and schema_errors(name, text) == []


def record(old: str, new: str) -> str:
    assert old in RECORD, old
    return RECORD.replace(old, new)


WRONG = [
    # the disagreements found in review, each decided once
    ("a javascript: link", record("links: [https://www.example.com/a]", "links: ['javascript:alert(1)']")),
    ("an ftp link", record("links: [https://www.example.com/a]", 'links: ["ftp://x"]')),
    ("a link with a space", record("links: [https://www.example.com/a]", 'links: ["https://exa mple.com/"]')),
    ("a link as one string", record("links: [https://www.example.com/a]", "links: https://www.example.com/a")),
    ("a number as speaker", record("speaker: Jane Roe", "speaker: 42")),
    ("a number as rating", record("    kind: direct\n", "    kind: direct\n    rating: 3\n")),
    ("same_as as one string", record("same_as: [s-2]", "same_as: s-1")),
    ("a date with a time", record("said_on: 2020-07-06", "said_on: 2020-07-10T09:00:00Z")),
    ("a number as machine", record("machine: 0123456789ab", "machine: 5")),
    ("machine not a fingerprint", record("machine: 0123456789ab", "machine: xyz")),
    ("an id ending in a newline", record("id: s-1", 'id: "s-1\\n"')),
    ("a path as id", record("id: s-1", "id: ../etc")),
    ("an uppercase id", record("id: s-1", "id: S-1")),
    ("an unknown kind", record("kind: direct", "kind: drect")),
    ("an unknown status", record("status: reviewed", "status: done")),
    ("an empty quote", record("quote: We will win", 'quote: ""')),
    ("no quote", record("    quote: We will win\n", "")),
    ("no kind", record("    kind: direct\n", "")),
    ("no citation", RECORD.split("    citation")[0]),
    ("no end", record("      end: 12\n", "")),
    ("an unknown field", record("speaker: Jane Roe", "speekr: Jane Roe")),
    ("an unknown citation field", record("      end: 12\n", "      end: 12\n      strat: 1\n")),
    ("a negative offset", record("start: 1", "start: -1")),
    ("an offset as text", record("start: 1", "start: one")),
    ("a vague date", record("said_on: 2020-07-06", "said_on: last week")),
    ("an impossible date", record("said_on: 2020-07-06", 'said_on: "2020-02-31"')),
    ("an unknown precision", record("    kind: direct\n", "    kind: direct\n    said_on_precision: fortnight\n")),
    ("inferred as text", record("    kind: direct\n", "    kind: direct\n    said_on_inferred: maybe\n")),
    ("a bad id in not_same_as", record("same_as: [s-2]", "not_same_as: [Not An Id]")),
    ("an empty flag", record("    kind: direct\n", "    kind: direct\n    flags: ['']\n")),
    ("a list as note", record("    kind: direct\n", "    kind: direct\n    note: [a, b]\n")),
    ("a mapping as verdict", record("    kind: direct\n", "    kind: direct\n    verdict: {a: 1}\n")),
    ("an unknown top-level field", record("article: good", "artcle: good")),
    ("statements not a list", "article: good\nstatements: {id: s-1}\n"),
    ("a time of day YAML reads as a number", record("    kind: direct\n", "    kind: direct\n    said_at: 14:30\n")),
    ("a time of day that is not one", record("    kind: direct\n", "    kind: direct\n    said_at: noon\n")),
]
WRONG_EVENTS = [
    ("an unquoted time", EVENT.replace("'09:30'", "14:30")),
    ("an impossible time", EVENT.replace("'09:30'", "'25:00'")),
    ("a vague time", EVENT.replace("'09:30'", "noonish")),
    ("no title", EVENT.replace("  title: Email\n", "")),
    ("no date", EVENT.replace("- date: 2020-07-10\n  time", "- time")),
    ("a vague date", EVENT.replace("2020-07-10", "July 2020")),
    ("a javascript: link", EVENT.replace("[https://example.com/]", "['javascript:x']")),
    ("a source that is not an id", EVENT.replace("[good]", "[Good Article]")),
    ("an unknown field", EVENT + "  txt: x\n"),
    ("a number as title", EVENT.replace("title: Email", "title: 5")),
    ("not a list", "date: 2020-07-10\ntitle: Email\n"),
]
WRONG_PEOPLE = [
    ("an unknown kind of speaker", PERSON.replace("kind: person", "kind: robot")),
    ("aliases as one string", PERSON.replace("aliases: [Roe]", "aliases: JD")),
    ("an empty alias", PERSON.replace("aliases: [Roe]", "aliases: ['']")),
    ("a javascript: link", PERSON.replace("[https://example.com/]", "['javascript:x']")),
    ("no name", PERSON.replace("  name: Jane Roe\n", "")),
    ("a number as role", PERSON + "  role: 5\n"),
    ("an unknown field", PERSON + "  rol: Mayor\n"),
    ("a name as id", PERSON.replace("id: jane-roe", "id: Jane Roe")),
]


@pytest.mark.parametrize("case, text", WRONG, ids=[c for c, _ in WRONG])
def test_check_and_schema_both_refuse_a_wrong_record(case, text):
    assert check_errors("facts.schema.json", text), f"check accepts {case}"
    assert schema_errors("facts.schema.json", text), f"the schema accepts {case}"


@pytest.mark.parametrize("case, text", WRONG_PEOPLE, ids=[c for c, _ in WRONG_PEOPLE])
def test_check_and_schema_both_refuse_a_wrong_registry_entry(case, text):
    assert check_errors("people.schema.json", text), f"check accepts {case}"
    assert schema_errors("people.schema.json", text), f"the schema accepts {case}"


@pytest.mark.parametrize("case, text", WRONG_EVENTS, ids=[c for c, _ in WRONG_EVENTS])
def test_check_and_schema_both_refuse_a_wrong_event(case, text):
    assert check_errors("events.schema.json", text), f"check accepts {case}"
    assert schema_errors("events.schema.json", text), f"the schema accepts {case}"


def test_what_a_schema_cannot_say_is_checked_in_code():
    """start > end: no JSON Schema keyword compares two fields; check refuses it, each at its line."""
    text = record("start: 1", "start: 13")
    assert schema_errors("facts.schema.json", text) == []
    assert any("0 <= start <= end" in e for e in check_errors("facts.schema.json", text))


def test_every_field_has_a_description_and_a_known_type():
    for table in (fields.RECORD, fields.CITATION, fields.FACT_FILE, fields.PERSON, fields.FRONT_MATTER, fields.EVENT):
        for f in table:
            assert f.doc, f.name
            assert f.owner in ("editor", "machine", "program"), f.name
            assert f.type in ("text", "texts", "id", "ids", "url", "urls", "date", "time", "bool", "enum", "offset",
                              "hex12", "mapping", "records"), f.name
