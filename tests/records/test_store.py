"""Store: fact records written, read back, validated, and merged with re-extractions safely."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from generator import ingest
from generator.model import Attribution, SaidOn, Span, Speaker
from generator.records import store

TEXT = ('Mayor Ana Ruiz said on Monday that the bridge would reopen. "We are ready," she said.\n\n'
        '"The money is there," a spokesperson for the city said.\n')


def article():
    return ingest.article_from_text(TEXT, "articles/bridge.txt", published=dt.date(2021, 5, 7), digest="d1")


MAYOR = Speaker(name="Ana Ruiz", role="Mayor")


def statement(quote: str, speaker=MAYOR, kind="direct") -> Attribution:
    start = TEXT.index(quote)
    return Attribution(quote=quote, spans=(Span(start, start + len(quote)),), kind=kind, speaker=speaker,
                     cue="said", said_on=SaidOn(dt.date(2021, 5, 3)))


def first_extraction():
    sts = [statement("the bridge would reopen", kind="indirect"), statement("We are ready,")]
    doc, report = store.fold_extraction(article(), sts, None, "articles/bridge.txt", "./facts.schema.json")
    return store.dump(doc), report


def test_a_new_file_lists_every_statement_with_ids_and_is_deterministic():
    text, report = first_extraction()
    assert text == first_extraction()[0]
    assert text.startswith("# yaml-language-server: $schema=./facts.schema.json\n")
    ff, problems = store.parse_fact_file(text, "facts/bridge.yaml")
    assert problems == []
    assert [f.quote for f in ff.records] == ["the bridge would reopen", "We are ready,"]
    assert report.counts() == {"added": 2, "updated": 0, "kept": 0, "orphaned": 0, "up_to_date": 0, "reanchored": 0}
    assert all(f.status == "extracted" and f.id.startswith("s-") for f in ff.records)
    assert ff.records[1].said_on == dt.date(2021, 5, 3)
    assert ff.records[1].citation.excerpt.startswith("Mayor Ana Ruiz said")


def test_an_unchanged_file_round_trips_to_the_same_bytes():
    text, _ = first_extraction()
    edited = text.replace("statements:", "# reviewed by J. on Tuesday\nstatements:")
    assert store.dump(store.load_roundtrip(edited)) == edited


def reextract(text: str, statements) -> tuple[str, store.Report]:
    doc, report = store.fold_extraction(article(), statements, store.load_roundtrip(text), "articles/bridge.txt")
    return store.dump(doc), report


def test_reextraction_keeps_ids_and_adds_new_statements():
    text, _ = first_extraction()
    before = store.parse_fact_file(text, "f.yaml")[0].records
    new = [statement("The money is there,", Speaker(role="spokesperson", organization="city")),
           statement("the bridge would reopen", kind="indirect"), statement("We are ready,")]
    after_text, report = reextract(text, new)
    after = store.parse_fact_file(after_text, "f.yaml")[0].records
    # The machine's records found again as they were are up to date, not "kept" (that is the editors').
    assert report.counts() == {"added": 1, "updated": 0, "kept": 0, "orphaned": 0, "up_to_date": 2, "reanchored": 0}
    assert {f.id for f in before} <= {f.id for f in after}
    assert after[2].speaker == "city spokesperson"


def test_an_improved_extraction_updates_machine_records_in_place():
    text, _ = first_extraction()
    better = [statement("the bridge would reopen", kind="indirect"), statement("We are ready,", Speaker(name="Ana Ruiz"))]
    after_text, report = reextract(text, better)
    assert report.updated == [store.parse_fact_file(text, "f")[0].records[1].id]


def test_editor_edits_make_a_record_reviewed_and_survive_reextraction():
    text, _ = first_extraction()
    edited = text.replace("speaker: Ana Ruiz\n", "speaker: Ana María Ruiz  # full name\n", 1)
    facts = store.parse_fact_file(edited, "f.yaml")[0].records
    assert facts[0].status == "reviewed"
    after_text, report = reextract(edited, [statement("We are ready,")])
    assert "speaker: Ana María Ruiz  # full name\n" in after_text
    assert after_text.count("status: reviewed") == 1  # the program says so in the file, and nothing else
    assert report.kept and report.orphaned == []


def test_rejected_records_stay_and_vanished_statements_are_flagged_not_deleted():
    text, _ = first_extraction()
    rejected = text.replace("status: extracted", "status: rejected", 1)
    after_text, report = reextract(rejected, [])
    facts = store.parse_fact_file(after_text, "f.yaml")[0].records
    assert [f.status for f in facts] == ["rejected", "extracted"]
    assert facts[1].flags == ("orphaned",)
    assert len(report.orphaned) == 1 and len(report.kept) == 1


RECORD = """article: bridge
statements:
  - id: s-1
    kind: direct
    quote: We are ready,
    citation: {start: 0, end: 10}
"""


@pytest.mark.parametrize("change, field, message", [
    (("kind: direct", "kind: drect"), "kind", "expected one of direct, partial, mixed, indirect"),
    (("    kind: direct\n", "    kind: direct\n    speekr: X\n"), "speekr", "did you mean 'speaker'?"),
    (("    kind: direct\n", "    kind: direct\n    said_on: last week\n"), "said_on", "expected a date like"),
    (("    quote: We are ready,\n", ""), "quote", "missing required field"),
    (("id: s-1", "id: ../etc"), "id", "invalid id"),
    (("{start: 0, end: 10}", "{start: 10, end: 0}"), "citation.start", "0 <= start <= end"),
    (("    kind: direct\n", "    kind: direct\n    kind: partial\n"), "kind", "duplicate key"),
    (("    kind: direct\n", "    kind: direct\n    links: http://x\n    same_as: 3\n"), "same_as", "expected a list"),
    (("    kind: direct\n", "    kind: direct\n    speaker_inferred: maybe\n"), "speaker_inferred", "true or false"),
])
def test_invalid_records_are_reported_with_line_and_field(change, field, message):
    text = RECORD.replace(*change)
    ff, problems = store.parse_fact_file(text, "facts/bridge.yaml")
    assert problems, text
    assert any(p.field == field and message in str(p) and p.line for p in problems), [str(p) for p in problems]


def test_duplicate_ids_are_reported():
    text = RECORD + RECORD.split("statements:\n")[1]
    _, problems = store.parse_fact_file(text, "f.yaml")
    assert [p.field for p in problems] == ["id"] and "duplicate id" in problems[0].message
    assert problems[0].line == 7


@pytest.mark.parametrize("text, message", [
    ("statements: [\n", "invalid YAML"),
    ("!!python/object/apply:os.system ['true']\n", "!!python/object are not allowed"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(6)),
     "expands to more than"),
    ("- 1\n- 2\n", "expected a mapping"),
    ("", "the file is empty"),
])
def test_unsafe_or_broken_yaml_is_refused_not_executed(text, message):
    ff, problems = store.parse_fact_file(text, "f.yaml")
    assert ff is None
    assert message in str(problems[0])


def test_atomic_write_replaces_whole_files(tmp_path):
    target = tmp_path / "f.yaml"
    store.atomic_write(target, "old\n")
    store.atomic_write(target, "new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["f.yaml"]


def test_a_note_added_by_an_editor_protects_the_record():
    text, _ = first_extraction()
    noted = text.replace("    kind: indirect\n", "    kind: indirect\n    note: Confirmed by phone.\n", 1)
    better = [statement("the bridge would reopen", kind="mixed"), statement("We are ready,")]
    after_text, report = reextract(noted, better)
    assert "note: Confirmed by phone." in after_text and "kind: indirect\n" in after_text
    assert len(report.kept) == 1 and len(report.up_to_date) == 1 and report.updated == []


def test_extraction_uses_the_registry_name_for_a_known_alias():
    doc, _ = store.fold_extraction(article(), [statement("We are ready,", Speaker(name="Ruiz"))], None, "a.txt",
                                    registry={"ruiz": "Ana Ruiz"})
    assert store.parse_fact_file(store.dump(doc), "f")[0].records[0].speaker == "Ana Ruiz"


def _plain(value):
    """YAML values as JSON sees them (dates as text), for schema validation."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def test_an_inferred_speaker_is_written_read_back_and_validates():
    import json
    from importlib import resources

    import jsonschema
    import yaml

    guessed = replace(statement("We are ready,"), speaker_inferred=True)
    doc, _ = store.fold_extraction(article(), [guessed], None, "articles/bridge.txt", "./facts.schema.json")
    text = store.dump(doc)
    assert "speaker_inferred: true\n" in text
    assert store.parse_fact_file(text, "f.yaml")[0].records[0].speaker_inferred is True
    schema = json.loads(resources.files("generator.schemas").joinpath("facts.schema.json").read_text())
    jsonschema.validate(_plain(yaml.safe_load(text)), schema)
    # the editor checks the speaker and deletes the line: the record is theirs, no longer a guess
    checked = store.parse_fact_file(text.replace("    speaker_inferred: true\n", ""), "f.yaml")[0].records[0]
    assert (checked.speaker_inferred, checked.status) == (False, "reviewed")


def test_records_written_before_speaker_inferred_keep_their_fingerprint():
    # the hash the extractor wrote before the field existed: such records must not look edited
    record = {"speaker": "Ana Ruiz", "kind": "direct", "quote": "We are ready,", "said_on": dt.date(2021, 5, 3),
              "cue": "said", "citation": {"start": 60, "end": 73}}
    assert store.fingerprint(record) == "a0fa9177cc41"
    assert store.fingerprint({**record, "speaker_inferred": True}) != "a0fa9177cc41"
    text, _ = first_extraction()
    assert "speaker_inferred" not in text
    assert {f.status for f in store.parse_fact_file(text, "f.yaml")[0].records} == {"extracted"}


def test_fact_files_validate_against_the_shipped_json_schema():
    import json
    from importlib import resources

    import jsonschema
    import yaml

    schema = json.loads(resources.files("generator.schemas").joinpath("facts.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    text, _ = first_extraction()
    data = _plain(yaml.safe_load(text))
    jsonschema.validate(data, schema)
    data["statements"][0]["stauts"] = "reviewed"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_the_people_registry_validates_against_its_schema():
    import json
    from importlib import resources

    import jsonschema
    import yaml
    from conftest import ROOT

    schema = json.loads(resources.files("generator.schemas").joinpath("people.schema.json").read_text())
    jsonschema.validate(yaml.safe_load((ROOT / "content/people.yaml").read_text()), schema)


def test_atomic_write_keeps_ordinary_file_permissions(tmp_path):
    import os
    import stat

    target = tmp_path / "f.yaml"
    store.atomic_write(target, "new\n")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    target.chmod(0o640)
    store.atomic_write(target, "newer\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
