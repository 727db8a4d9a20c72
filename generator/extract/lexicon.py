"""The extractor's word tables, read once from ``generator/lexicons/*.yaml``."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


def _load(name: str) -> dict:
    raw = resources.files("generator.lexicons").joinpath(name).read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 20 times faster
    return yaml.load(raw, Loader=loader)  # noqa: S506 (a safe loader)


def inflect(lemma: str) -> list[str]:
    """The forms of a regular verb: say -> says, sayed, saying (irregulars come from the table)."""
    if " " in lemma:
        head, rest = lemma.split(" ", 1)
        return [f"{form} {rest}" for form in inflect(head)]
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return [lemma, lemma + "es", lemma + "ed", lemma + "ing"]
    return [lemma, lemma + "s", lemma + "ed", lemma + "ing"]


@dataclass(frozen=True)
class Lexicon:
    """Every table the extractor uses, as sets and maps for fast look-up."""

    verb_forms: dict[str, str]  # form -> lemma, one word forms ("said" -> "say")
    phrasal_forms: dict[str, str]  # "pointed out" -> "point out"
    tell_verbs: frozenset[str]
    object_content: frozenset[str]
    quote_only: frozenset[str]
    quote_only_reported: frozenset[str]  # ... that report speech with an object and its clause
    modifiers: frozenset[str]
    passive: frozenset[str]
    venue_prepositions: frozenset[str]
    roles: frozenset[str]
    role_same_as: dict[str, str]
    organization_nouns: frozenset[str]
    document_nouns: frozenset[str]
    titles: tuple[str, ...]  # lower case, longest first
    organization_suffixes: frozenset[str]
    not_names: frozenset[str]
    pronouns: dict[str, str]
    speech_nouns: frozenset[str] = frozenset()
    name_adjectives: frozenset[str] = frozenset()
    introducer_verbs: frozenset[str] = frozenset()
    make_verbs: frozenset[str] = frozenset()
    fallback_cues: frozenset[str] = frozenset()
    subordinators: frozenset[str] = frozenset()  # open a clause before the main clause's subject
    participle_followers: frozenset[str] = frozenset()  # follow a participle opening a sentence
    noun_phrase_words: frozenset[str] = frozenset()  # not-names that may open a speaker's noun phrase
    leading_clause_words: frozenset[str] = frozenset()  # never part of a speaker's name
    not_source_nouns: frozenset[str] = frozenset()  # "according to plan": how it went, no source
    kicker_labels: frozenset[str] = frozenset()  # "Breaking: ...": a headline's label naming no speaker
    column_words: frozenset[str] = frozenset()  # "Delegate Update: ...": a column's label, no speaker
    work_nouns: frozenset[str] = frozenset()  # "book", "column": a title in marks follows
    title_small_words: frozenset[str] = frozenset()  # "of", "the": lower case in a Title Case line
    time_nouns: frozenset[str] = frozenset()  # "this week", "last month": a time, not a subject
    manner_forms: frozenset[str] = frozenset()  # "fumed", "read": quote-only cues the tagger does not see
    inverted_verbs: frozenset[str] = frozenset()  # '"...," said a person close to ...': no object follows


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The tables, loaded and indexed once per process."""
    rep, spk = _load("reporting.yaml"), _load("speakers.yaml")
    forms: dict[str, str] = {}
    phrasal: dict[str, str] = {}
    bare_nouns = set(rep["no_base_form"])
    forms_of = lambda lemma: rep["irregular"].get(lemma) or inflect(lemma)  # noqa: E731
    for lemma in rep["speech"]:
        for form in forms_of(lemma):
            if form == lemma and lemma in bare_nouns:
                continue
            (phrasal if " " in form else forms)[form] = lemma
    manner = {form: lemma for lemma in rep["manner"] for form in forms_of(lemma)
              if form not in forms and form not in phrasal}
    forms.update((form, lemma) for form, lemma in manner.items() if " " not in form)
    phrasal.update((form, lemma) for form, lemma in manner.items() if " " in form)
    lower = lambda items: frozenset(str(x).lower() for x in items)  # noqa: E731
    return Lexicon(
        verb_forms=forms,
        phrasal_forms=phrasal,
        tell_verbs=lower(rep["tell"]),
        object_content=lower(rep["object_content"]),
        quote_only=lower(rep["quote_only"]) | lower(rep["manner"]),
        manner_forms=frozenset(manner),
        quote_only_reported=lower(rep["quote_only_reported"]),
        modifiers=lower(rep["modifiers"]),
        passive=lower(rep["passive"]),
        venue_prepositions=lower(rep["venue_prepositions"]),
        roles=lower(spk["roles"]),
        role_same_as={k.lower(): v.lower() for k, v in spk["same_as"].items()},
        organization_nouns=lower(spk["organization_nouns"]),
        document_nouns=lower(spk["document_nouns"]),
        titles=tuple(sorted(lower(spk["titles"]), key=len, reverse=True)),
        organization_suffixes=frozenset(str(x) for x in spk["organization_suffixes"]),
        not_names=frozenset(str(x) for x in spk["not_names"]),
        name_adjectives=frozenset(str(x) for x in spk.get("name_adjectives") or ()),
        pronouns={str(k).lower(): v for k, v in spk["pronouns"].items()},
        speech_nouns=lower(rep.get("speech_nouns") or ()),
        introducer_verbs=lower(rep["introducer_verbs"]),
        make_verbs=frozenset(f"{stem}{end}" for stem in rep["make_verbs"]["stems"]
                             for end in rep["make_verbs"]["endings"]) | lower(rep["make_verbs"]["forms"]),
        fallback_cues=lower(rep["fallback_cues"]),
        subordinators=lower(spk["subordinators"]),
        participle_followers=lower(spk["participle_followers"]),
        noun_phrase_words=lower(spk["noun_phrase_words"]),
        leading_clause_words=lower(spk["leading_clause_words"]),
        not_source_nouns=lower(rep["not_source_nouns"]),
        kicker_labels=lower(spk["kicker_labels"]),
        column_words=lower(spk["column_words"]),
        time_nouns=lower(rep["time_nouns"]),
        title_small_words=lower(spk["title_small_words"]),
        work_nouns=lower(spk["work_nouns"]),
        inverted_verbs=frozenset(form for lemma in rep["inverted_verbs"] for form in forms_of(lemma)),
    )
