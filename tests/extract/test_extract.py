"""Tests of the extraction stage: table-driven cases written for the project, and the seeds.

Every sentence here is made up for the tests (modelled on newspaper constructions), except the
two seed articles, which are the project's own demo content.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import extract, ingest
from generator.extract.dates import find_date
from generator.model import Article

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [ROOT.parent / "shared" / "seeds", ROOT / "content" / "articles"]
FRIDAY = dt.date(2020, 7, 10)


def article(text: str, published: dt.date | None = FRIDAY) -> Article:
    return ingest.article_from_text(text, "test.txt", published=published)


@pytest.fixture(scope="session", params=["rules", "spacy"])
def nlp(request):
    if request.param == "rules":
        return None
    pytest.importorskip("spacy")
    try:
        return extract.load_nlp("spacy")
    except OSError:
        pytest.skip("no spaCy model installed")


def run(text: str, nlp=None, published: dt.date | None = FRIDAY):
    return extract.extract(article(text, published), nlp)


def said_by(text: str, quote: str, nlp=None):
    """The statement of ``quote`` in ``text``, and its speaker's mention as the text writes it."""
    s = next(x for x in run(text, nlp) if x.quote == quote)
    return s, text[s.speaker_span.start:s.speaker_span.end]


def assert_mention(text: str, quote: str, mention: str, nlp=None) -> None:
    """The statement of ``quote`` in ``text`` names its speaker by ``mention``, as the text writes it."""
    s, written = said_by(text, quote, nlp)
    assert written == mention, extract.as_json(s)


def one(text: str, nlp=None):
    found = run(text, nlp)
    assert len(found) == 1, [extract.as_json(s) for s in found]
    return found[0]


# --- direct quotations -------------------------------------------------------------------------

DIRECT = [
    # text, quote, speaker label, cue
    ('"We will not back down," the mayor said.\n', "We will not back down,", "mayor", "said"),
    ("“Nothing has changed,” said Jane Doakes, the council's treasurer.\n", "Nothing has changed,",
     "Jane Doakes", "said"),
    ("Maria Lopez told reporters: “The bridge will open in May.”\n", "The bridge will open in May.",
     "Maria Lopez", "told"),
    ("‘We are delighted,’ said a spokesman for Acme Widgets.\n", "We are delighted,",
     "Acme Widgets spokesman", "said"),
    ("\"It's a great day for the town's children,\" Tom Baker added.\n",
     "It's a great day for the town's children,", "Tom Baker", "added"),
]


@pytest.mark.parametrize("text,quote,speaker,cue", DIRECT)
def test_direct_quotes(nlp, text, quote, speaker, cue):
    s = one(text, nlp)
    assert (s.quote, s.kind, s.speaker.label, s.cue) == (quote, "direct", speaker, cue)
    assert text[s.speaker_span.start:s.speaker_span.end] in text


def test_quote_split_mid_sentence_is_one_statement(nlp):
    text = "“The plan,” Ann Lee said, “is already late.”\n"
    s = one(text, nlp)
    assert len(s.spans) == 2 and s.quote == "The plan, is already late."
    assert s.speaker.label == "Ann Lee"


@pytest.mark.parametrize("attribution", ["Stone said.", "Stone said in an interview on Monday.",
                                         "said Stone, a retired teacher from the town."])
def test_quote_going_on_after_its_attribution_is_one_statement(nlp, attribution):
    # '"A," she said. "B."': one utterance in two spans (the evaluation contract's quote_spans)
    text = f"Bob Stone lives here.\n\n“It was cold,” {attribution} “We left early.”\n"
    s = one(text, nlp)
    assert [text[sp.start:sp.end] for sp in s.spans] == ["It was cold,", "We left early."]
    assert s.quote == "It was cold, We left early." and s.speaker.label == "Bob Stone" and s.kind == "direct"


SEPARATE_AFTER_ATTRIBUTION = [
    # the quotation after the attribution's sentence stays a statement of its own: text, quotes
    ("“It was cold,” Bob Stone said. “We left early,” he added.\n",  # its own cue
     ["It was cold,", "We left early,"]),
    ("“It was cold,” Bob Stone said.\n\n“We left early and drove home.”\n",  # another paragraph
     ["It was cold,", "We left early and drove home."]),
    ("“It was cold,” Bob Stone said, adding, “We left early.”\n",  # a second cue: two statements
     ["It was cold,", "We left early."]),
    ("Bob Stone said the roads were “a mess.” “We left early and drove home.”\n",  # after a mixed one
     ["the roads were “a mess.”", "We left early and drove home."]),
    ("“It was cold,” said Bob Stone, who works in retail. Stone backs the mayor. “We left early.”\n",
     ["It was cold,", "We left early."]),  # a sentence of narration between them
    ("“It was cold,” Bob Stone told the crowd, then turned to the mayor. “We left early.”\n",
     ["It was cold,", "We left early."]),  # the attribution's sentence goes on to something else
    ("“It was cold,” Bob Stone said, referring to the night of the vote. “We left early.”\n",
     ["It was cold,", "We left early."]),
]


@pytest.mark.parametrize("text,quotes", SEPARATE_AFTER_ATTRIBUTION)
def test_quote_after_attribution_stays_separate(nlp, text, quotes):
    found = run(text, nlp)
    assert [s.quote for s in found] == quotes, [extract.as_json(s) for s in found]
    assert all(s.speaker.label == "Bob Stone" for s in found)


def test_quote_over_two_paragraphs(nlp):
    text = ("Kim Park said the results were clear.\n\n“We counted every vote.\n\n"
            "“And we counted them twice,” Park said.\n")
    found = [s for s in run(text, nlp) if s.kind == "direct"]
    assert len(found) == 1 and len(found[0].spans) == 2
    assert found[0].speaker.label == "Kim Park"


def test_paragraph_of_quotation_after_attributed_one(nlp):
    text = "“We are ready,” said Dana White.\n\n“The team has trained for months.”\n"
    found = run(text, nlp)
    assert [s.speaker.label for s in found] == ["Dana White", "Dana White"]


# --- negative cases: refuse rather than guess --------------------------------------------------

NOT_STATEMENTS = [
    "The band played “Hey Jude” twice.\n",  # a song title
    "Critics called the show a “triumph” of style over substance, though nobody would say who.\n",
    "The so-called “experts” were nowhere to be seen.\n",  # scare quotes, no speaker
    "Amazon’s app and BuzzFeed News’ report don’t say it's over.\n",  # apostrophes only
    "The film ‘The Long Road’ opens on Friday.\n",  # a title in single quotes
    "He read “The Art of the Deal” twice.\n",  # a book title, three words and more
    "The “Keep Out Of Here” sign stayed up for a week.\n",  # a capitalised label
    "Voters backed “Proposition Twelve Now” in the end.\n",  # a name in quotation marks
    "The so-called “war on the poor” goes on and on.\n",  # scare quotes of three words and more
    "Staff had been told to delete the app by Friday.\n",  # passive: no speaker
    # the name of a work after its noun, or a headline with its byline
    "In Sen. Jeff Sessions' column on Aug. 10, “The piling on must stop,” the senator does the same.\n",
    "Critics read Trump's new book, “Crippled America: How to Make America Great Again,” for clues.\n",
    "NOW OPEN—“Pop-up art show strives to confront gentrification,” by DNAinfo's Eddie Small.\n",
    "He appeared on “Fox & Friends Weekend,” where the hosts talked about the weather.\n",  # "&" in a title
]


@pytest.mark.parametrize("text", NOT_STATEMENTS)
def test_not_statements(nlp, text):
    found = run(text, nlp)
    assert all(s.speaker is not None for s in found), [extract.as_json(s) for s in found]
    assert not any(s.speaker_inferred for s in found)
    assert all("Hey Jude" not in s.quote and "Art of" not in s.quote and "Keep Out" not in s.quote
               and "Proposition" not in s.quote and "Long Road" not in s.quote and s.quote != "experts" for s in found)
    if "“" not in text and "‘" not in text and "\"" not in text:
        assert found == []


# --- quotations with no attribution: kept, the speaker guessed and marked ------------------------

INFERRED = [  # see also ONE_SAID for '"...," one said.'
    # text, quote, speaker label (None: no honest guess), index of the statement checked
    ("\"We are going home.\"\n", "We are going home.", None, 0),  # nobody named: kept, unnamed
    ("The storm hit at noon.\n\n“Nobody saw this coming at all.”\n", "Nobody saw this coming at all.", None, 0),
    ("“We won,” said Dana White.\n\nFans cheered. “The team has trained for months.”\n",
     "The team has trained for months.", "Dana White", 1),  # the quotation run's previous speaker
    ("Jane Roe, Channel 9: “It was the best night of the campaign.”\n",
     "It was the best night of the campaign.", "Jane Roe", 0),  # a name and a colon, no cue
    ("Former secretary of state Jane Roe: “We learned that from the department and its analysis.”\n",
     "We learned that from the department and its analysis.", "Jane Roe", 0),  # a long role before the name
    ("The results of the poll released on Tuesday by the city: “Most voters want a change.”\n",
     "Most voters want a change.", None, 0),  # no role: "by the city" names nobody
    ("Sam Reed praised the crews after the storm. “We need people who cut through the mess like that.”\n",
     "We need people who cut through the mess like that.", "Sam Reed", -1),  # the speaking subject just before
    ("The storm hit the town on Monday. “Nobody saw this coming at all.”\n",
     "Nobody saw this coming at all.", None, 0),  # a sentence before with no reporting verb names nobody
    ("The crews were praised by Sam Reed. “Nobody saw this coming at all, not one of us.”\n",
     "Nobody saw this coming at all, not one of us.", None, 0),  # the named one is not the subject
    ("Ann Holt leaned in and grinned: “We are going to win so much.”\n",
     "We are going to win so much.", "Ann Holt", 0),  # the subject of the sentence the colon ends
    ("Everyone knows the slogan: “Make the town great again.”\n", "Make the town great again.", None, 0),
    ('"Great speech. She is tested and ready for the job."\n\n-President Obama, tweeting after the speech.\n',
     "Great speech. She is tested and ready for the job.", "Obama", 0),  # a credit line after a dash
    ("“We need a political revolution in this country.” - and then the crowd cheered.\n",
     "We need a political revolution in this country.", None, 0),  # a dash, but no name after it
    ("“We won,” said Dana White. Then “We will be back next year,” came over the radio.\n",
     "We will be back next year,", "Dana White", 1),  # the sentence is no attribution: the paragraph's speaker
    ("The scheduling was so odd that a spokesman could only quip: “We will be there on time.”\n",
     "We will be there on time.", None, 0),  # "The scheduling" is no speaker
    ("The campaign paid for a print run of the book: “Publish the book they do not want you to read.”\n",
     "Publish the book they do not want you to read.", None, 0),  # a colon after a work: its words follow
    # session 13: the subject opening the sentence the quotation ends, after an adjunct too
    ("In city after city, Ann Holt lobbies for a higher wage: “No one who works full time should be poor.”\n",
     "No one who works full time should be poor.", "Ann Holt", 0),
    ("Sam Reed turned to the critics on the council, “We did the work and we will finish it.”\n",
     "We did the work and we will finish it.", "Sam Reed", 0),
    ("Voters in the town liked the new slogan, “Build it now and build it fast.”\n",
     "Build it now and build it fast.", None, 0),  # the slogan's words are not the voters'
    # a paragraph ending in its speaking subject, the quotation opening the next one
    ("Sam Reed praised the crews after the storm.\n\n“Building it? Not negotiable at all.”\n",
     "Building it? Not negotiable at all.", "Sam Reed", -1),
    ("The game ended late and the fans went home.\n\n“Nobody saw this coming at all.”\n",
     "Nobody saw this coming at all.", None, 0),  # that sentence has no reporting verb
]


@pytest.mark.parametrize("text,quote,speaker,n", INFERRED)
def test_unattributed_quotation_is_kept_and_marked(nlp, text, quote, speaker, n):
    found = run(text, nlp)
    s = found[n]
    assert s.quote == quote and s.speaker_inferred, [extract.as_json(x) for x in found]
    assert (s.speaker.label if s.speaker else None) == speaker
    assert extract.as_json(s)["speaker_inferred"] is True


def test_attributed_quotation_is_not_marked_inferred(nlp):
    s = one('"We will not back down," the mayor said.\n', nlp)
    assert not s.speaker_inferred and extract.as_json(s)["speaker_inferred"] is False


def test_no_guess_from_a_distant_paragraph(nlp):
    text = ("“We won,” said Dana White.\n\nThe game ended late.\n\nFans went home.\n\n"
            "“Nobody saw this coming at all.”\n")
    s = run(text, nlp)[-1]
    assert s.speaker_inferred and s.speaker is None  # two paragraphs away: no honest guess


# --- reported speech ---------------------------------------------------------------------------

REPORTED = [
    ("Governor Ray Holt said on Tuesday that the budget would be balanced by June.\n",
     "that the budget would be balanced by June", "Ray Holt", dt.date(2020, 7, 7)),
    ("The new rules will cost farmers millions, the minister said.\n",
     "The new rules will cost farmers millions", "minister", FRIDAY),
    ("According to Sam Reed, the factory will close next year.\n",
     "the factory will close next year", "Sam Reed", FRIDAY),
    ("A spokesperson for Globex told The Daily Planet the company had no comment.\n",
     "the company had no comment", "Globex spokesperson", FRIDAY),
    ("Globex confirmed yesterday that the plant would reopen.\n", "that the plant would reopen", "Globex",
     dt.date(2020, 7, 9)),
]


# A quote-only verb reports speech when an object and the clause it opens follow (the lexicon's
# quote_only_reported); with no such clause it is no statement.
OBJECT_CLAUSE = [
    ("Jane Smith accused the mayor of hiding the report.\n", "the mayor of hiding the report", "Jane Smith"),
    ("The union accused the company of breaking its promise on pay.\n", "the company of breaking its promise on pay",
     "union"),
]
NO_OBJECT_CLAUSE = [
    "The coach urged his players on.\n",  # no clause
    "Police accused him.\n",  # an object alone
    "He urged caution.\n",
    "Smith was accused of fraud by prosecutors.\n",  # passive: the accused is no speaker
]


@pytest.mark.parametrize("text,quote,speaker", OBJECT_CLAUSE)
def test_a_quote_only_verb_with_an_object_clause_reports_speech(nlp, text, quote, speaker):
    s = one(text, nlp)
    assert (s.kind, s.quote, s.speaker.label) == ("indirect", quote, speaker)


@pytest.mark.parametrize("text", NO_OBJECT_CLAUSE)
def test_a_quote_only_verb_without_an_object_clause_is_no_statement(nlp, text):
    assert run(text, nlp) == []


@pytest.mark.parametrize("text,quote,speaker,date", REPORTED)
def test_reported_speech(nlp, text, quote, speaker, date):
    s = one(text, nlp)
    assert s.kind == "indirect"
    assert s.quote == quote
    assert s.speaker.label == speaker
    assert s.said_on.date == date


CONSTRUCTIONS = [
    # text, statement, kind, speaker, cue (issue 13's constructions)
    ('"We will not back down," the mayor interjected.\n', "We will not back down,", "direct", "mayor", "interjected"),
    ("Senator Ann Lee attacked the inquiry, calling the report “a partisan fishing expedition.”\n",
     "the report “a partisan fishing expedition.”", "mixed", "Ann Lee", "calling"),
]


@pytest.mark.parametrize("text,quote,kind,speaker,cue", CONSTRUCTIONS)
def test_constructions_of_issue_13(nlp, text, quote, kind, speaker, cue):
    s = one(text, nlp)
    assert (s.quote, s.kind, s.speaker.label, s.cue, s.speaker_inferred) == (quote, kind, speaker, cue, False)


SECOND_CUE = [
    # text, statement: a second cue after "and" shares the subject opening the sentence, even
    # when a quotation stands between them (before, the fragment after it was dropped)
    ("Mayor Lee thanked the volunteers “for all the hours you have given this city” and called the fire "
     "crews “the bravest people I have ever worked with.”\n",
     "the fire crews “the bravest people I have ever worked with.”"),
    ("Governor Ruiz signed the bill “with a heavy heart, believe me” and called the vote “a step this "
     "state could not put off any longer.”\n", "the vote “a step this state could not put off any longer.”"),
]


@pytest.mark.parametrize("text,quote", SECOND_CUE)
def test_second_cue_after_a_quotation_shares_the_opening_subject(nlp, text, quote):
    found = [s for s in run(text, nlp) if s.quote.endswith(quote)]
    assert found, [extract.as_json(s) for s in run(text, nlp)]
    assert found[0].speaker is not None and found[0].speaker.label in text.split("“")[0]


def test_second_cue_names_no_speaker_when_the_sentence_opens_with_none(nlp):
    # "When the vote ended, the crowd ...": an opening clause, no named subject: no guess
    text = "When the vote ended, the crowd cheered and called the result “a win for every family in this town.”\n"
    assert all(s.speaker is None for s in run(text, nlp))


@pytest.mark.parametrize("text", [
    "The film won praise, earning “a standing ovation from the crowd.”\n",  # a participle of no speech
    "The mayor was interjected into the debate by a reporter.\n",  # passive, no quotation
])
def test_constructions_of_issue_13_negative(nlp, text):
    assert run(text, nlp) == []


OPENED_SUBJECTS = [
    # text, speaker: '..., saying, "Q"' whose main clause's subject follows opening words or an adjunct
    ("Here in Columbia, Sanders stepped up his attacks on the banks, saying, “We have got to end this.”\n",
     "Sanders"),
    ("And then Trump went fully on the attack, saying, “The president should resign at once in disgrace!”\n",
     "Trump"),
    ("Ann Lee went on the attack, saying, “The president should resign at once in disgrace!”\n", "Ann Lee"),
]


@pytest.mark.parametrize("text,speaker", OPENED_SUBJECTS)
def test_participle_cue_after_opening_words(nlp, text, speaker):
    s = one(text, nlp)
    assert (s.speaker.label, s.cue, s.kind, s.speaker_inferred) == (speaker, "saying", "direct", False)


@pytest.mark.parametrize("text", [
    # an adjunct holding a clause of its own ("which Ann Lee lost"): its name is no subject
    "After the vote, which Ann Lee lost, the hall emptied slowly, saying, “We will be back next year.”\n",
    "Then it rained on the town, saying, “We will be back next year for more.”\n",  # "it" says nothing
])
def test_participle_cue_after_opening_words_negative(nlp, text):
    s = one(text, nlp)
    assert s.speaker is None and s.speaker_inferred


INTERJECTED = [
    # text, speaker label: a sentence adverb between commas before an apposition or relative clause
    ("Sanders, meanwhile, who has no such endorsements, said the party was “prepared to fight.”\n", "Sanders"),
    ("“We are ready for the vote,” Jane Roe, however, a council member who voted no, said.\n", "Jane Roe"),
    ("Sanders, who has no such endorsements, said the party was “prepared to fight.”\n", "Sanders"),
]


@pytest.mark.parametrize("text,speaker", INTERJECTED)
def test_adverb_between_commas_before_apposition(nlp, text, speaker):
    s = one(text, nlp)
    assert (s.speaker.label, s.speaker_inferred) == (speaker, False)


@pytest.mark.parametrize("text", [
    # "meanwhile" with no comma after the name: no apposition to step over, no mention before it
    "Meanwhile, however, who knows, said the bridge would open in May.\n",
])
def test_adverb_between_commas_needs_a_name(nlp, text):
    assert all(s.speaker is None for s in run(text, nlp))


CUES_FOUND_ON_TRAIN = [
    # text, statement, speaker, cue: verbs missing from the lexicon, and quote-only verbs with "that"
    ("The senator indicated that she would run again next year.\n", "that she would run again next year",
     "senator", "indicated"),
    ("Mayor Ann Lee clarified that the tax would not rise this year.\n", "that the tax would not rise this year",
     "Ann Lee", "clarified"),
    ("Tom Baker boasted that the team would win every game this season.\n",
     "that the team would win every game this season", "Tom Baker", "boasted"),
]


@pytest.mark.parametrize("text,quote,speaker,cue", CUES_FOUND_ON_TRAIN)
def test_cues_found_on_train(nlp, text, quote, speaker, cue):
    s = one(text, nlp)
    assert (s.kind, s.quote, s.speaker.label, s.cue) == ("indirect", quote, speaker, cue)


@pytest.mark.parametrize("text", [
    "The mayor continued to work on the budget all night.\n",  # quote-only verb, no "that": no statement
    "She called him a liar in front of the whole council.\n",
    "The mayor boasted a record of twelve wins in a row.\n",
])
def test_quote_only_verbs_without_that_give_no_reported_speech(text):
    # the rules' reading; the default mode's tagger reads "called him a liar" as PolNeAR does
    # (reported speech with a noun-phrase content): tests/test_tagger.py
    assert run(text, None) == []


def test_mixed_and_partial(nlp):
    s = one("Lena Ford said the deal was “a disaster for workers” and should be stopped.\n", nlp)
    assert s.kind == "mixed" and s.speaker.label == "Lena Ford"
    s = one("The agency withdrew the notice on Friday, saying it was “sent by mistake.”\n", nlp)
    assert s.kind == "partial" and s.quote == "sent by mistake." and s.speaker.label == "agency"


def test_told_venue(nlp):
    s = one("“We will look at it,” Jo Hart told Channel 9’s Ben Cole.\n", nlp)
    assert s.venue == "Channel 9’s Ben Cole"


# --- speakers ----------------------------------------------------------------------------------

def test_pronoun_and_surname_resolution(nlp):
    text = ("Senator Alice Grant spoke in Denver.\n\n“We need roads,” Grant said.\n\n"
            "“And bridges,” she said.\n")
    found = run(text, nlp)
    assert [s.speaker.label for s in found] == ["Alice Grant", "Alice Grant"]


def test_role_resolves_to_organisation(nlp):
    text = ("A spokesperson for Initech said the servers were safe.\n\n"
            "“No data was lost,” the spokesman said.\n\n"
            "“We apologise,” the company said.\n")
    found = run(text, nlp)
    labels = [s.speaker.label for s in found]
    assert labels == ["Initech spokesperson", "Initech spokesperson", "Initech"]
    assert found[1].speaker.role == "spokesperson" and found[1].speaker.organization == "Initech"


def test_title_kept_as_role(nlp):
    s = one("Secretary of State Ann Wells said the talks would resume soon.\n", nlp)
    assert s.speaker.name == "Ann Wells" and s.speaker.role == "Secretary of State"


# --- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase,date,precision", [
    ("on Monday", dt.date(2020, 7, 6), "day"),
    ("on Friday", FRIDAY, "day"),
    ("this morning", FRIDAY, "day"),
    ("yesterday", dt.date(2020, 7, 9), "day"),
    ("last week", dt.date(2020, 7, 3), "week"),
    ("on 6 July", dt.date(2020, 7, 6), "day"),
    ("on July 6", dt.date(2020, 7, 6), "day"),
    ("on December 30", dt.date(2019, 12, 30), "day"),
    # vague: a coarser precision (more in tests/test_dates.py)
    ("earlier this month", dt.date(2020, 7, 1), "month"),
    ("last month", dt.date(2020, 6, 1), "month"),
])
def test_dates(phrase, date, precision):
    said = find_date(f"she said {phrase}", FRIDAY)
    assert (said.date, said.precision) == (date, precision)


def test_no_publication_date_means_no_said_on(nlp):
    s = one("“It works,” said Tim Cole.\n", nlp) if False else run("“It works,” said Tim Cole.\n", nlp, None)[0]
    assert s.said_on is None


def test_undated_statement_is_inferred(nlp):
    s = one("“It works,” said Tim Cole.\n", nlp)
    assert s.said_on.date == FRIDAY and s.said_on.inferred


# --- API, invariants and the seeds -------------------------------------------------------------

def test_as_json_contract(nlp):
    s = one('"Fine," said Ed Moss on Monday.\n', nlp)
    j = extract.as_json(s)
    for key in ("quote", "start", "end", "quote_spans", "kind", "speaker", "speaker_start", "speaker_end",
                "cue", "said_on"):
        assert key in j
    assert j["said_on"] == "2020-07-06"
    json.dumps(j)


def test_extract_many_keeps_order():
    arts = [article(f"“Point {i},” said Al Roe.\n") for i in range(5)]
    out = list(extract.extract_many(arts, jobs=2, mode="rules"))
    assert [a.id for a, _ in out] == [a.id for a in arts]
    assert [s[0].quote for _, s in out] == [f"Point {i}," for i in range(5)]


def test_load_nlp_rules_is_none(monkeypatch):
    assert extract.load_nlp("rules") is None
    monkeypatch.setenv("FACTSHEET_NLP", "rules")
    assert extract.load_nlp("spacy") is None


ALPHABET = st.sampled_from(list("ab Z.,;:!?'\"“”‘’\n-—()") + ["said", " he said", "according to ",
                                                                    "Mr. ", "told", "that "])


@settings(max_examples=150, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_offsets_always_inside_text(text):
    if not text.strip():
        return
    art = article(text)
    for s in extract.extract(art, None):
        assert 0 <= s.start <= s.end <= len(text)
        assert s.quote == " ".join(text[sp.start:sp.end] for sp in s.spans)
        if s.speaker_span:
            assert 0 <= s.speaker_span.start <= s.speaker_span.end <= len(text)


def _seed_files():
    for folder in SEEDS:
        if folder.is_dir():
            files = sorted(folder.glob("*.txt"))
            if files:
                return files
    return []


@pytest.mark.skipif(not _seed_files(), reason="seed articles not found")
def test_seeds(nlp):
    files = _seed_files()
    for path in files:
        art = ingest.load_article(path, published=FRIDAY)
        found = extract.extract(art, nlp)
        labels = {s.speaker.label for s in found if s.speaker}
        assert found and all(s.speaker for s in found)
        assert all(s.quote == art.text[s.start:s.end] for s in found if len(s.spans) == 1)
        body = {(p.start, p.end) for p in art.paragraphs}
        assert all(any(a <= s.start and s.end <= b for a, b in body) for s in found)
        assert labels <= {"Amazon", "TikTok spokesperson", "Amazon spokesperson", "Mike Pompeo",
                          "Amazon IT Services department"}
    pompeo = [s for s in found if s.speaker.label == "Mike Pompeo"]
    assert pompeo


def test_two_apostrophes_as_quotation_marks(nlp):
    s = one("''We will win,'' Carl Diaz said.\n", nlp)
    assert s.quote == "We will win," and s.speaker.label == "Carl Diaz"


def test_book_title_after_comma_is_not_a_quote(nlp):
    found = run("In his 2002 book, “Make Your Kid a Millionaire,” the author argued otherwise.\n", nlp)
    assert all("Millionaire" not in s.quote for s in found)


def test_headline_fragment_takes_speaker_of_its_repeat(nlp):
    text = ("Globex drops plan 'by mistake'\n\nGlobex withdrew the memo on Monday, saying it was sent "
            "“by mistake.”\n")
    found = run(text, nlp)
    assert [s.speaker.label for s in found] == ["Globex", "Globex"]
    assert found[0].quote == "by mistake"


# --- the parse in its own process, and the lexicon-driven constructions ---------------------------

def test_extract_many_spacy_mode_matches_in_process_parse(nlp):
    """The parser process (one model load, light parses) gives what an in-process parse gives."""
    if nlp is None:
        pytest.skip("compares with the spaCy pipeline")
    texts = [
        "The mayor, who spoke after a long meeting on Tuesday, insisted the budget would hold up.\n",
        "Senator Rae Hollis acknowledged the reality of rising costs in a speech to farmers.\n\n"
        "“It is not over,” she said, adding that the vote would come next month.\n",
        "Globex called for stricter rules on imports and warned against further delays.\n",
    ]
    arts = [article(t) for t in texts]
    many = [[extract.as_json(s) for s in found] for _, found in extract.extract_many(arts, mode="spacy")]
    assert many == [[extract.as_json(s) for s in extract.extract(a, nlp)] for a in arts]


def test_light_doc_has_spacy_subtrees(nlp):
    if nlp is None:
        pytest.skip("compares with the spaCy pipeline")
    from generator.extract.parse import LightDoc, to_parse

    doc = nlp("The council said on Friday that the new bridge, which cost millions, would open soon.")
    light = LightDoc(to_parse(doc))
    for t, lt in zip(doc, light):
        assert (lt.dep_, lt.head.i, lt.left_edge.i, lt.right_edge.i) == (t.dep_, t.head.i, t.left_edge.i, t.right_edge.i)
        assert [c.i for c in lt.children] == [c.i for c in t.children]
    assert [t.i for t in light.char_span(4, 13)] == [t.i for t in doc.char_span(4, 13, alignment_mode="expand")]


def test_extract_many_rules_mode_with_workers():
    arts = [article(f"“Point {i},” said Al Roe.\n") for i in range(120)]
    out = list(extract.extract_many(arts, jobs=2, mode="rules"))
    assert [s[0].quote for _, s in out] == [f"Point {i}," for i in range(120)]


QUOTE_ATTRIBUTIONS = [
    # text, quote, speaker label (a signature, appositions, modifiers before the name)
    ("“The river is rising.” ― Ada Vance\n", "The river is rising.", "Ada Vance"),
    ("“We will rebuild,”― Omar Reyes.\n", "We will rebuild,", "Omar Reyes"),
    ("“The vote was fair,” Lena Park, 44, a retired teacher from Dayton, said on Monday.\n",
     "The vote was fair,", "Lena Park"),
    ("“Rules are rules,” board chairman Rep. Tom Ash (R-Ohio) said after the hearing.\n",
     "Rules are rules,", "Tom Ash"),
    ("“It is a start,” said 9/11 survivor Dana Roy.\n", "It is a start,", "Dana Roy"),
    ("“Tell them to come home,” the crowd chanted.\n", "Tell them to come home,", "crowd"),
    ("During a rally, Kay Moss criticized the plan, saying, “It will cost us all.”\n", "It will cost us all.",
     "Kay Moss"),
]


@pytest.mark.parametrize("text,quote,speaker", QUOTE_ATTRIBUTIONS)
def test_quote_attributions(nlp, text, quote, speaker):
    s = one(text, nlp)
    assert s.quote == quote and s.kind == "direct"
    assert speaker in text[s.speaker_span.start:s.speaker_span.end]


MIXED = [
    # text, statement, kind, speaker mention
    ("Ted Orr said the ruling by the state appeals court was “a blow to every family here.”\n",
     "the ruling by the state appeals court was “a blow to every family here.”", "mixed", "Ted Orr"),
    # a quoted predicate: after a finite cue the clause is the statement (mixed), after a
    # participle cue the quoted words are (partial)
    ("The union said it was “deeply disappointed.”\n", "it was “deeply disappointed.”", "mixed", "union"),
    ("Lea Park says her budget is “balanced at last.”\n", "her budget is “balanced at last.”", "mixed", "Lea Park"),
    ("The union walked out, saying it was “deeply disappointed.”\n", "deeply disappointed.", "partial", "union"),
    ("The firm dropped the plan, saying the memo sent on Monday was “a mistake.”\n", "a mistake.", "partial",
     "firm"),
    ("Mia Lund branded the proposal a “reckless gamble” with public money.\n",
     "the proposal a “reckless gamble” with public money", "mixed", "Mia Lund"),
    ("Pat Quinn, a senior aide to the governor, called the deal “a turning point” for the region.\n",
     "the deal “a turning point” for the region", "mixed", "Pat Quinn"),
    ("“The only way forward is a new vote” on the budget, Ravi Shah said.\n",
     "“The only way forward is a new vote” on the budget", "mixed", "Ravi Shah"),
]


@pytest.mark.parametrize("text,quote,kind,mention", MIXED)
def test_mixed_statements(nlp, text, quote, kind, mention):
    s = one(text, nlp)
    assert (s.quote, s.kind) == (quote, kind)
    assert mention in text[s.speaker_span.start:s.speaker_span.end]


CLAUSE_ENDS = [
    # the reported clause stops before another clause: text, statement
    ("Ann Cole said the bridge would close in May, but the ferry would keep running.\n",
     "the bridge would close in May"),
    ("Ann Cole said the bridge would close in May; the ferry would keep running.\n",
     "the bridge would close in May"),
    ("Ann Cole said the bridge would close in May, which surprised the drivers.\n",
     "the bridge would close in May"),
    ("Ann Cole said the bridge would close in May and warned against delays.\n",
     "the bridge would close in May"),
    # a subordinate clause opening the sentence ends at its comma: the main clause is not said
    ("While Ann Cole said the bridge would close in May, the ferry kept running all summer.\n",
     "the bridge would close in May"),
    ("Although Ann Cole has said the bridge cost 2,400 dollars, the council will vote again.\n",
     "the bridge cost 2,400 dollars"),  # a number's comma ends nothing
    ("Once again, Ann Cole said the bridge would close in May, June or July.\n",  # no opening clause
     "the bridge would close in May, June or July"),
    # session 13: a quotation's own comma ends the content before another clause, after the quotation
    ("Ann Cole said the bridge was “a disgrace to the town,” arguing that it cost too much.\n",
     "the bridge was “a disgrace to the town,”"),
    ("Ann Cole said the bridge was “a disgrace to the town,” but the council approved it.\n",
     "the bridge was “a disgrace to the town,”"),
    # ... and nothing else: a participle of no reporting verb, a list of quotations go on
    ("Ann Cole said the bridge was “a disgrace to the town,” making the council angry.\n",
     "the bridge was “a disgrace to the town,” making the council angry"),
    ("Ann Cole said the bridge was “a disgrace,” “a mess” and “a failure.”\n",
     "the bridge was “a disgrace,” “a mess” and “a failure.”"),
]


@pytest.mark.parametrize("text,quote", CLAUSE_ENDS)
def test_reported_clause_ends(nlp, text, quote):
    found = run(text, nlp)
    assert found and found[0].quote == quote and found[0].speaker.label == "Ann Cole"


@pytest.mark.parametrize("text,quotes", [
    # a second cue after "and" right after a quoted word: two statements
    ('Ann Holt called her "weak" and said she had "zero support" in the state.\n',
     ['her "weak"', 'she had "zero support" in the state']),
    ('Ann Holt called the plan "shameful" and urged leaders "not to feed that dark impulse."\n',
     ['the plan "shameful"', 'leaders "not to feed that dark impulse."']),
])
def test_second_cue_after_a_quoted_word(nlp, text, quotes):
    assert [s.quote for s in run(text, nlp)] == quotes


def test_participle_cue_after_quotation_is_its_own_statement(nlp):
    found = run("“We are ready,” the coach said, adding that the team had trained for months.\n", nlp)
    assert [s.kind for s in found] == ["direct", "indirect"]
    assert found[1].quote == "that the team had trained for months"
    assert found[1].speaker.label == found[0].speaker.label == "coach"


def test_object_cue_takes_noun_phrase_but_not_any_verb(nlp):
    s = one("Mayor Joan Fry called for an immediate review of the contract.\n", nlp)
    assert s.quote == "an immediate review of the contract" and s.speaker.name == "Joan Fry"
    assert run("The museum wrote letters to every family in the town.\n", nlp) == []
    assert run("The library maintains a program for young readers in the city.\n", nlp) == []


CONTENT_AFTER_THE_CUE = [
    # the content follows the cue, whatever stands before the subject: text, statement, speaker
    ("In the coming months, Ann Holt vowed to ban cars from the old town centre.\n",
     "to ban cars from the old town centre", "Ann Holt"),  # an infinitive, not "to the crowd"
    ("Three years after Ann Holt vowed to rebuild the bridge, the council has done nothing.\n",
     "to rebuild the bridge", "Ann Holt"),
    ("Courted by every party in the city, Ann Holt said earlier on Friday that she would run again.\n",
     "that she would run again", "Ann Holt"),  # adjuncts, then "that"
    ("Ann Holt said — on the radio, as it happens — that the bridge would reopen in May.\n",
     "that the bridge would reopen in May", "Ann Holt"),  # an aside between dashes
]


@pytest.mark.parametrize("text,quote,speaker", CONTENT_AFTER_THE_CUE)
def test_content_follows_the_cue(nlp, text, quote, speaker):
    found = run(text, nlp)
    assert [(s.quote, s.speaker.label if s.speaker else None) for s in found] == [(quote, speaker)], \
        [extract.as_json(s) for s in found]


@pytest.mark.parametrize("text,quote", [
    ("Ann Holt said to the crowd that the bridge would reopen in May.\n", "that the bridge would reopen in May"),
    ("Ann Holt said to reporters that the bridge would reopen in May.\n", "that the bridge would reopen in May"),
    ("The bridge will reopen in May, Ann Holt said to reporters.\n", "The bridge will reopen in May"),
])
def test_to_before_an_addressee_is_no_infinitive(nlp, text, quote):
    assert [s.quote for s in run(text, nlp)] == [quote]


SUBHEADS = [
    # a line of one quotation in single marks, in an article quoting in double marks: a subhead
    ('"We will win this race," Ann Holt said on Monday.\n\n\'A change warrior.\'\n\n'
     '"It is close," Holt said.\n', ["We will win this race,", "It is close,"]),
    ('"We will win this race," Ann Holt said on Monday.\n\n– ‘Who cares about the polls?’ –.\n\n'
     '"It is close," Holt said.\n', ["We will win this race,", "It is close,"]),
    # where single marks are the article's quotation marks, the line is speech: kept, its speaker guessed
    ("‘We will fight this all the way,’ Ann Holt said.\n\n‘We will fight this in court.’\n",
     ["We will fight this all the way,", "We will fight this in court."]),
]


@pytest.mark.parametrize("text,quotes", SUBHEADS)
def test_single_quoted_subhead_is_no_statement(nlp, text, quotes):
    assert [s.quote for s in run(text, nlp)] == quotes


@pytest.mark.parametrize("text,quote,mention", [
    # a document named before a colon closing its paragraph: its author speaks the next paragraph
    ("When the judge died, President Ann Holt released the following statement:\n\n"
     "“We offer our condolences to the family and friends of the judge.”\n",
     "We offer our condolences to the family and friends of the judge.", "President Ann Holt"),
    # an adverb opening an adjunct, a participle with its adverb: the subject after their comma
    ("Shortly after the call ended, the Holt campaign sent out a press release saying the mayor owes "
     "“the town an explanation for the vote.”\n", "the mayor owes “the town an explanation for the vote.”",
     "the Holt campaign"),
    ("Smiling broadly, Ann Holt thanked the state and said, “Today, you proved there is no place like home.”\n",
     "Today, you proved there is no place like home.", "Ann Holt"),
    ("Ann Holt left no doubt. Eight years ago, Ann Holt backed Ruiz over Lee and said, “Lee has done nothing.”\n",
     "Lee has done nothing.", "Ann Holt"),  # a time opening the sentence is no subject
])
def test_speaker_after_openers_and_documents(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text,quote,mention", [
    # a participle after a comma, or after a document, speaks for the main clause's subject
    ("Speaking at a town hall in Salem, New Hampshire, Ann Holt went after Ruiz, calling him “a total stiff.”\n",
     "him “a total stiff.”", "Ann Holt"),
    ("Early in her campaign, Ann Holt attacked Ruiz, calling him, among other things, “a failed candidate.”\n",
     "him, among other things, “a failed candidate.”", "Ann Holt"),
    ("After the storm, Ann Holt released a radio ad calling it “dangerous” that the council has no plan.\n",
     "it “dangerous” that the council has no plan", "Ann Holt"),
])
def test_participle_speaks_for_the_main_subject(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text,mention", [
    # the noun phrase a relative clause qualifies is the speaker, not the object inside the clause
    ("Even Republicans who have praised his candidacy warned on Tuesday that the party may have to split.\n",
     "Republicans"),
    ("Current and former officials who spoke with The Daily Planet said the committee has become a shell.\n",
     "Current and former officials"),
    ("Friends of Ann Holt who have seen her on the trail recently say that her energy has matured.\n",
     "Friends of Ann Holt"),
    ("Holt's close friends and allies have in the past said she was staying quiet on purpose.\n",
     "allies"),  # "in the past" between subject and cue
    # an apposition with a relative clause, set off by commas: the name before it
    ("Ann Holt, a professor at the college who worked for the mayor, said the change was significant.\n",
     "Ann Holt"),
])
def test_relative_clause_before_the_cue(nlp, text, mention):
    found = run(text, nlp)
    assert len(found) == 1 and mention in text[found[0].speaker_span.start:found[0].speaker_span.end], \
        [extract.as_json(s) for s in found]


def test_a_possessive_before_a_phrasal_cue_makes_it_a_noun(nlp):
    text = "Ann Holt blasted Ruiz's call for a “deportation force” on Wednesday, calling it “absurd.”\n"
    found = run(text, nlp)
    assert all(text[s.speaker_span.start:s.speaker_span.end] == "Ann Holt" for s in found), \
        [extract.as_json(s) for s in found]
    assert "Ruiz's" not in [s.speaker.label if s.speaker else None for s in found]


def test_an_opening_participle_is_no_speaker(nlp):
    text = ("Flying home one night in the corporate jet, she told her husband it would be "
            "“a fight from start to finish and more.”\n")
    assert all(s.speaker is None or s.speaker.label != "Flying" for s in run(text, nlp))


@pytest.mark.parametrize("text,cues", [
    ("Most Southern states that hold contests in March have large minority populations.\n", []),
    ("Turnout rose in the four states that voted last Saturday, officials said.\n", ["said"]),
    ("The law states that every driver must carry a license at all times.\n", ["states"]),  # after a document
    ("It states that every driver must carry a license at all times.\n", ["states"]),
])
def test_states_is_a_cue_only_as_a_verb(nlp, text, cues):
    assert [s.cue for s in run(text, nlp)] == cues


def test_possessive_before_cue_noun_is_not_a_cue(nlp):
    found = run("Mr. Hale's remarks on the budget drew a crowd of protesters to the hall.\n", nlp)
    assert found == []


MARK_SLIPS = [
    # quotation marks typed the wrong way round: text, quote, speaker mention
    ("”The harbour is our future. We will defend it.” ― Nora Quill\n",
     "The harbour is our future. We will defend it.", "Nora Quill"),
    ("Gus Ward said:\n\n“The numbers are plain. The rate is 12 percent.“\n",
     "The numbers are plain. The rate is 12 percent.", "Gus Ward"),
]


@pytest.mark.parametrize("text,quote,mention", MARK_SLIPS)
def test_misused_quotation_marks(nlp, text, quote, mention):
    s = one(text, nlp)
    assert s.quote == quote and mention in text[s.speaker_span.start:s.speaker_span.end]


def test_stray_marks_are_not_quotations(nlp):
    # a closing mark after a word, an opening mark before a space: no quotation opens or closes
    assert run("The score was 3” by the end, and “ nobody cared.\n", nlp) == []


MIXED_MORE = [
    # text, statement, kind, speaker mention
    # one word before the quotation, then a trailing attribution: mixed, not direct
    ('Harlow "has the record and the temperament for the job," retired judge Ida Fenn said.\n',
     'Harlow "has the record and the temperament for the job,"', "mixed", "Ida Fenn"),
    # an adverb between speaker and cue
    ("In May, Rolf Ames casually dismissed the tower as a “monument to vanity” in an interview.\n",
     "the tower as a “monument to vanity” in an interview", "mixed", "Rolf Ames"),
    # a plural noun that looks like a cue ("claims") before the quotation is not the cue
    ("The watchdog rated 40% of the mayor's claims as “misleading” this year.\n",
     "40% of the mayor's claims as “misleading” this year", "mixed", "watchdog"),
    # a capitalised fragment inside the cue's clause is quoted words, not a title
    ("At the rally, Vera Lind proclaimed a plan of “Jobs Before Bonds.”\n",
     "a plan of “Jobs Before Bonds.”", "mixed", "Vera Lind"),
]


@pytest.mark.parametrize("text,quote,kind,mention", MIXED_MORE)
def test_mixed_statements_more(nlp, text, quote, kind, mention):
    found = [s for s in run(text, nlp) if s.kind == kind]
    assert found, [extract.as_json(s) for s in run(text, nlp)]
    assert found[0].quote == quote and mention in text[found[0].speaker_span.start:found[0].speaker_span.end]


def test_title_outside_the_cue_clause_is_not_a_statement(nlp):
    found = run("Lia Dorn said on “Morning Desk” that the bridge would reopen in June.\n", nlp)
    assert all(s.quote != "Morning Desk" for s in found)
    assert run("Lia Dorn hummed “Blue Harbour Nights” all the way home.\n", nlp) == []


def test_first_clause_quotation_kept_beside_second_cue(nlp):
    found = run("Though she called the fee “unfair” and called for a refund to be “paid at once,” "
                "Ona Bell stayed calm.\n", nlp)
    assert any("“unfair”" in s.quote for s in found), [extract.as_json(s) for s in found]


def test_bare_quote_after_reported_speech_takes_its_speaker(nlp):
    text = ("Ines Kahl said she backed the plan because the river “keeps rising,” she said. "
            "“We cannot wait another year.”\n")
    found = run(text, nlp)
    last = [s for s in found if s.quote == "We cannot wait another year."]
    assert last and last[0].speaker.name == "Ines Kahl"


def test_participle_between_quotations_starts_a_second_statement(nlp):
    found = run("“The budget is thin,” Ada Greer said, adding later, “We will cut the travel first.”\n", nlp)
    assert [s.quote for s in found] == ["The budget is thin,", "We will cut the travel first."]
    assert [s.cue for s in found] == ["said", "adding"]
    assert all(s.speaker.name == "Ada Greer" for s in found)
    # no participle between: one statement split by its attribution
    assert len(run("“The budget,” Ada Greer said, “is thin.”\n", nlp)) == 1


TRANSCRIPT = ("On Sunday, the host spoke with Senator Joan Tull.\n\n"
              "HOST: Will you back the bill on Tuesday?\n\n"
              "TULL: No. The bill costs “far too much” and helps nobody.\n\n"
              "(CROSSTALK)\n\n"
              "HOST: Why not?\n")


def test_transcript_lines(nlp):
    found = run(TRANSCRIPT, nlp)
    assert [(s.quote, s.speaker.label) for s in found] == [
        ("Will you back the bill on Tuesday?", "Host"),
        ("No. The bill costs “far too much” and helps nobody.", "Joan Tull"),
        ("Why not?", "Host")]
    for s in found:
        assert TRANSCRIPT[s.speaker_span.start:s.speaker_span.end].isupper()


@pytest.mark.parametrize("text", [
    "UPDATE: The council met again on Friday and the vote passed.\n\nCORRECTION: An earlier version misspelled a name.\n",
    "WALLACE: a single capitalised label is a heading, not a transcript.\n\nThe rest is plain narrative here.\n",
])
def test_capitalised_labels_that_are_not_transcripts(nlp, text):
    assert run(text, nlp) == []


THAT_QUOTES = [
    # a quotation after "that" is the statement with its complementizer (mixed)
    ("Gail Moss told the panel that “the audit found nothing at all.”\n",
     "that “the audit found nothing at all.”", "Gail Moss"),
    ("The board says on its website that, “Every vote was counted twice.”\n",
     "that, “Every vote was counted twice.”", "board"),
]


@pytest.mark.parametrize("text,quote,mention", THAT_QUOTES)
def test_quotation_after_that_is_mixed(nlp, text, quote, mention):
    s = one(text, nlp)
    assert (s.quote, s.kind) == (quote, "mixed")
    assert mention in text[s.speaker_span.start:s.speaker_span.end]


COORDINATED_ENDS = [
    # the reported clause stops where another speaker's clause, or "but he ...", begins
    ("Ann Cole said the bridge would close in May and union leaders warned that traffic would suffer.\n",
     "the bridge would close in May"),
    ("Ann Cole said the bridge would close in May but she hoped for a delay.\n",
     "the bridge would close in May"),
]


@pytest.mark.parametrize("text,quote", COORDINATED_ENDS)
def test_reported_clause_ends_at_coordinated_clause(nlp, text, quote):
    found = run(text, nlp)
    assert found and found[0].quote == quote and found[0].speaker.label == "Ann Cole"


def test_and_inside_reported_clause_kept(nlp):
    found = run("Ann Cole said the bridge and the ferry would both close in May.\n", nlp)
    assert found and found[0].quote == "the bridge and the ferry would both close in May"


SHARED_SUBJECTS = [
    # text, quote, speaker mention
    ("She then waves at the driver and repeatedly says, “Please slow down,” until the bus stops.\n",
     "Please slow down,", "She"),
    ("The ad shows footage of Ona Pratt asking, “Who will pay for the new bridge?”\n",
     "Who will pay for the new bridge?", "Ona Pratt"),
    ("Coach Tim Ray exhorted his players to “play for each other” in the final.\n",
     "his players to “play for each other” in the final", "Tim Ray"),
]


@pytest.mark.parametrize("text,quote,mention", SHARED_SUBJECTS)
def test_shared_subjects_and_named_participles(nlp, text, quote, mention):
    s = one(text, nlp)
    assert s.quote == quote and mention in text[s.speaker_span.start:s.speaker_span.end]


def test_participle_after_name_needs_a_quotation():
    # the rules' reading; the tagger's (default mode) is in tests/test_tagger.py
    assert run("The ad shows Ona Pratt asking about the bridge and the budget.\n", None) == []


# --- linear time: indexes instead of scans over everything read so far ---------------------------

def test_extract_many_of_nothing_loads_no_model(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("a model was loaded for nothing")

    monkeypatch.setattr(extract, "ParserProcess", refuse)
    monkeypatch.setattr(extract, "load_nlp", refuse)
    assert list(extract.extract_many([], mode="spacy")) == []
    assert list(extract.extract_many(iter([]), mode="rules")) == []


FULL_NAMES = [
    # text, surname, offset (None: the end), full name the text before gives
    ("Jo Smith spoke. Later Smith said no.", "Smith", 22, "Jo Smith"),
    ("Jo Smith Smith said no.", "Smith", None, "Jo Smith Smith"),  # a chain belongs to its last surname
    ("Pat O'Brien\nO'Brien said no.", "O'Brien", None, "Pat O'Brien"),  # no chain inside the last match
    ("Secretary Smith said no.", "Smith", None, None),  # a title is no first name
    ("J. R. Ewing and then Ewing", "Ewing", None, "J. R. Ewing"),
    ("Ann Lee. Bob Lee. Lee said.", "Lee", 8, "Ann Lee"),
    ("Ann Lee. Bob Lee. Lee said.", "Lee", None, "Bob Lee"),
    ("ann Lee said", "Lee", None, None),
    ("xAnn Lee said", "Lee", None, None),
]


@pytest.mark.parametrize("text,surname,before,full", FULL_NAMES)
def test_full_names_from_the_text_index(text, surname, before, full):
    from generator.extract.speakers import NameIndex, full_name_scan

    before = len(text) if before is None else before
    assert NameIndex(text).full_name(surname, before) == full
    assert full_name_scan(surname, text, before) == full  # the definition the index answers


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Jo", "Smith", "O'Brien", "J.", "Ann", "Secretary", "said", "x", ".", "-"]),
                max_size=14), st.lists(st.sampled_from([" ", "\n", "", "-"]), min_size=14, max_size=14),
       st.integers(0, 200))
def test_name_index_answers_as_the_regular_expression_scan(words, seps, before):
    from generator.extract.speakers import NameIndex, full_name_scan

    text = "".join(w + s for w, s in zip(words, seps))
    before = min(before, len(text))
    index = NameIndex(text)
    for surname in ("Smith", "O'Brien", "Ann"):
        assert index.full_name(surname, before) == full_name_scan(surname, text, before)


def test_surname_and_role_resolve_across_a_long_article(nlp):
    filler = "".join(f"The road {i} was closed for repairs on the weekend.\n\n" for i in range(300))
    text = ("“The vote is final,” Jane Doe said.\n\n“We disagree,” a spokesman for Acme Widgets said.\n\n"
            + filler + "“It is not,” Doe said.\n\n“Still no,” the spokesman said.\n")
    found = run(text, nlp)
    assert [s.speaker.label for s in found] == ["Jane Doe", "Acme Widgets spokesman", "Jane Doe",
                                                "Acme Widgets spokesman"]


def test_many_statements_keep_every_one_and_their_dates(nlp):
    text = "".join(f"“Point {i} stands,” Jane Doe said on Monday. The mayor said that plan {i} was final.\n\n"
                   for i in range(200))
    found = run(text, nlp)
    assert len(found) == 400
    assert {s.said_on.date for s in found if s.speaker.label == "Jane Doe"} == {dt.date(2020, 7, 6)}
    assert all(s.said_on.inferred for s in found if s.speaker.label == "mayor")


SUBJECT_FORMS = [
    # text, quote, speaker mention: a date between speaker and verb, poll shares, contracted pronouns
    ("Nora Vance on Tuesday said the county would hire forty more nurses.\n",
     "the county would hire forty more nurses", "Nora Vance"),
    ("Ann Bell met Tom Ruiz, who in 2014 said the bond would never default.\n",
     "the bond would never default", "who"),  # the relative pronoun; the speaker is Tom Ruiz
    ("Only 41 percent said the new stadium was “worth the money.”\n",
     "the new stadium was “worth the money.”", "percent"),
    ("Lars Dahl spoke at the depot. He’s claiming that the rail line is “years behind schedule.”\n",
     "that the rail line is “years behind schedule.”", "He’s"),
    ("Lars Dahl spoke at the depot. They’re saying the rail line will close.\n", "the rail line will close",
     "They’re"),
]


@pytest.mark.parametrize("text,quote,mention", SUBJECT_FORMS)
def test_subject_forms(nlp, text, quote, mention):
    s = one(text, nlp)
    assert s.quote == quote and text[s.speaker_span.start:s.speaker_span.end].endswith(mention)


def test_contracted_pronoun_resolves_to_the_person():
    found = run("“We are late,” Lars Dahl said. He’s claiming that the rail line is “years behind schedule.”\n")
    assert [s.speaker.label for s in found] == ["Lars Dahl", "Lars Dahl"]


NOT_SUBJECT_FORMS = [
    # a date word that is not between a speaker and a verb; a share that says nothing
    "Prices rose 3 percent in the third quarter of the year.\n",
    "It’s raining in the valley this week, and the roads are closed.\n",
    "The vote on Monday was close.\n",
]


@pytest.mark.parametrize("text", NOT_SUBJECT_FORMS)
def test_not_subject_forms(nlp, text):
    assert run(text, nlp) == []


NOUN_INTRODUCTIONS = [
    # text, quote, speaker label: a speech noun with its owner before "that", or its maker before a colon
    ("The panel checked Ken Ito’s claim that the dam had been inspected twice.\n",
     "that the dam had been inspected twice", "Ken Ito"),
    ("Ken Ito repeated his warning that the dam would fail within a year.\n",
     "that the dam would fail within a year", "Ken Ito"),
    ("On May 4, 2019, Rita Gomez made the following comment: “The rate for young people is 33 percent.”\n",
     "The rate for young people is 33 percent.", "Rita Gomez"),
    ("The mayor is rolling out a new campaign message: “It is about you.”\n", "It is about you.", "mayor"),
]


@pytest.mark.parametrize("text,quote,speaker", NOUN_INTRODUCTIONS)
def test_speech_noun_introductions(nlp, text, quote, speaker):
    found = [s for s in run(text, nlp) if s.quote == quote]
    assert found and found[0].speaker.label == speaker, [extract.as_json(s) for s in run(text, nlp)]


NOT_NOUN_INTRODUCTIONS = [
    # a noun owned by no one named, a subject that did not make what the noun names, a title
    "The report repeated the claim that the dam was unsafe.\n",
    "Voters liked the slogan: “Build it now.”\n",
    "Here is the full statement: “We regret the error.”\n",
]


@pytest.mark.parametrize("text", NOT_NOUN_INTRODUCTIONS)
def test_not_speech_noun_introductions(nlp, text):
    assert all(s.speaker is None for s in run(text, nlp))


def test_owner_pronoun_of_another_subject_is_not_the_subject():
    found = run("Ken Ito rejected his claim that the dam was unsafe.\n")
    assert all(s.speaker is None or s.speaker.label != "Ken Ito" for s in found)


PRONOUN_SUBJECTS = [
    # session 13: "he"/"she" is the person named as the subject opening its sentence or the one before
    ("Ann Cole spoke first. Until last week, Mr. Sam Reed had hardly said a word. In 1999, he said the plan was bad.\n",
     "the plan was bad", "Sam Reed"),
    ("Until last week, Mr. Sam Reed had hardly met Gov. Ann Cole. In 1999, he said the plan was bad.\n",
     "the plan was bad", "Sam Reed"),  # "Mr." ends no sentence
    ("Ann Cole said the plan was good. Later, Sam Reed took the stage, and he said the plan was bad.\n",
     "the plan was bad", "Sam Reed"),
    # an organisation opening the sentence before is no "he": the person the article last quoted
    ("Sam Reed said the plan was good. The Senate voted on Monday. He said the plan was bad.\n",
     "the plan was bad", "Sam Reed"),
]


@pytest.mark.parametrize("text,quote,speaker", PRONOUN_SUBJECTS)
def test_pronoun_takes_the_subject_before(nlp, text, quote, speaker):
    found = [s for s in run(text, nlp) if s.quote == quote]
    assert found and found[0].speaker.label == speaker, [extract.as_json(s) for s in run(text, nlp)]


MANNERS_OF_SPEAKING = [
    # session 13: react, elaborate, confess, recommend next to a quotation (quote-only, as manners are)
    ("“What sport is he even talking about?” reacted Ann Holt.\n", "What sport is he even talking about?", "Ann Holt"),
    ("“The way I see it,” Ann Holt elaborated, “no one ever questioned the plan.”\n",
     "The way I see it, no one ever questioned the plan.", "Ann Holt"),
    ("“This is a big political win for me,” Sam Reed confessed.\n", "This is a big political win for me,", "Sam Reed"),
    ("“Keep the tax in place at the current level,” the panel recommended.\n",
     "Keep the tax in place at the current level,", "panel"),
]


@pytest.mark.parametrize("text,quote,speaker", MANNERS_OF_SPEAKING)
def test_manners_of_speaking(nlp, text, quote, speaker):
    s = one(text, nlp)
    assert s.quote == quote and s.speaker.label == speaker and not s.speaker_inferred, extract.as_json(s)


@pytest.mark.parametrize("text", [
    # never reported speech, nor a statement without a quotation
    "Ann Holt reacted angrily to the news of the closure.\n",
    "The panel recommended a new budget for the schools.\n",
    "Sam Reed confessed his love of the old town hall.\n",
])
def test_manners_of_speaking_report_nothing(nlp, text):
    assert run(text, nlp) == [] or all(s.kind != "direct" for s in run(text, nlp))


AS_AND_GO_ON = [
    # text, quote, speaker: ", as X put it." takes the clause right before; "going on to say"
    ("Fees rose in May, and the rule is a “tax on the poor,” as a county memo put it.\n",
     "the rule is a “tax on the poor,”", "county memo"),
    ("“We are ready,” Ana Cruz said, going on to say that the county had hired forty nurses.\n",
     "that the county had hired forty nurses", "Ana Cruz"),
    ("Ana Cruz went on to say that the county had hired forty nurses.\n",
     "that the county had hired forty nurses", "Ana Cruz"),
]


@pytest.mark.parametrize("text,quote,speaker", AS_AND_GO_ON)
def test_as_put_it_and_going_on_to_say(nlp, text, quote, speaker):
    found = [s for s in run(text, nlp) if s.quote == quote]
    assert found and found[0].speaker.label == speaker, [extract.as_json(s) for s in run(text, nlp)]


@pytest.mark.parametrize("text", [
    "The council went on to approve the budget for the county.\n",
    "The plan failed, as the mayor said it would.\n",
    "Ana Cruz put it on the shelf beside the door.\n",
])
def test_not_as_put_it_or_going_on(nlp, text):
    assert run(text, nlp) == []


def test_trailing_attribution_before_a_participle_clause(nlp):
    text = ("“We will win,” Ann Roe said. “You cut the staff to the bone” to pay for the bonuses, she said, "
            "citing the bank’s drive to “cross-sell” accounts.\n")
    found = [s for s in run(text, nlp) if "to pay for the bonuses" in s.quote]
    assert found and found[0].kind == "mixed" and found[0].speaker.label == "Ann Roe"


def test_quotation_split_by_attribution_and_but(nlp):
    text = "“We lost,” Ann Roe said. “I like the plan,” she said, but “the money is not there.”\n"
    found = run(text, nlp)
    assert [s.quote for s in found] == ["We lost,", "I like the plan, the money is not there."]
    assert len(found[1].spans) == 2 and found[1].speaker.label == "Ann Roe"


def test_double_mark_spaced_after_a_closing_single_closes_the_quotation(nlp):
    text = "Tom Ruiz spoke.\n\n\"I never liked the word 'outreach,' \" Tom Ruiz told the crowd.\n"
    s = one(text, nlp)
    assert s.quote == "I never liked the word 'outreach,'" and s.speaker.label == "Tom Ruiz"


def test_clause_before_an_attribution_finished_by_a_quotation_is_one_statement(nlp):
    text = "“It was late,” Ann Roe said. So when the firm said it would sell the mill, Ann Roe said, “we were floored.”\n"
    found = [s for s in run(text, nlp) if "floored" in s.quote]
    assert found and found[0].kind == "mixed" and len(found[0].spans) == 2
    assert found[0].quote == "So when the firm said it would sell the mill we were floored."


def test_capitalised_quotation_after_a_clause_and_attribution_stays_direct(nlp):
    text = "The vote was close, Ann Roe said, “We will try again next year.”\n"
    assert any(s.quote == "We will try again next year." and s.kind == "direct" for s in run(text, nlp))


def test_participle_clause_after_trailing_attribution_is_its_own_statement(nlp):
    text = ("“We will win,” Ann Roe said. “You cut the staff to the bone” to pay for the bonuses, she said, "
            "citing the bank’s drive to “cross-sell” accounts.\n")
    quotes = [s.quote for s in run(text, nlp)]
    assert any("cross-sell" in q and "bonuses" not in q for q in quotes), quotes


def test_speech_noun_colon_at_a_paragraph_end_introduces_the_next_paragraph(nlp):
    text = "Ana Cruz spoke.\n\nOn May 4, 2019, Rita Gomez made the following comment:\n\n“The rate is 33 percent.”\n"
    found = [s for s in run(text, nlp) if s.quote == "The rate is 33 percent."]
    assert found and found[0].speaker.label == "Rita Gomez"


def test_despite_participle_clause_ends_at_its_comma(nlp):
    s = one("Rita Gomez, despite admitting that she had doubts about the plan, voted for it.\n", nlp)
    assert s.quote == "that she had doubts about the plan" and s.speaker.label == "Rita Gomez"


def test_paragraph_ending_in_a_noun_colon_without_a_maker_introduces_nothing(nlp):
    text = "Voters liked the slogan:\n\n“Build it now.”\n"
    assert all(s.speaker is None for s in run(text, nlp))


MORE_FORMS = [
    # text, quote, kind, speaker label
    ("Ann Roe walked onto the stage, chanting “We want more!”\n", "We want more!", "direct", "Ann Roe"),
    ("“Polls moved,” said Ann Roe.\n\nRoe continued:\n\n\"The issue is partisan. I will read you the question: "
     "“Does her health matter?” Forty-three, yes.\"\n",
     "The issue is partisan. I will read you the question: “Does her health matter?” Forty-three, yes.",
     "direct", "Ann Roe"),
    ("“Polls moved,” said Ann Roe.\n\nOn May 27 she closed her review by announcing that the claim was “true.”\n",
     "that the claim was “true.”", "mixed", "Ann Roe"),
]


@pytest.mark.parametrize("text,quote,kind,speaker", MORE_FORMS)
def test_more_forms(nlp, text, quote, kind, speaker):
    found = [s for s in run(text, nlp) if s.quote == quote]
    assert found and (found[0].kind, found[0].speaker.label) == (kind, speaker), \
        [extract.as_json(s) for s in run(text, nlp)]


def test_curly_marks_inside_straight_ones_need_a_straight_closer(nlp):
    text = "\"We asked “why now?” and waited,\" Ann Roe said. Then “it rained” again.\n"
    quotes = [s.quote for s in run(text, nlp)]
    assert "We asked “why now?” and waited," in quotes


def test_name_index_answers_the_same_after_indexing_the_whole_text():
    from generator.extract.speakers import SCANNED_WORDS, NameIndex, full_name_scan

    text = " ".join(f"Ann Lee{chr(65 + i % 26)}{i} spoke, and Lee{chr(65 + i % 26)}{i} left." for i in range(2 * SCANNED_WORDS))
    index = NameIndex(text)
    for i in range(2 * SCANNED_WORDS):
        surname = f"Lee{chr(65 + i % 26)}{i}"
        assert index.full_name(surname, len(text)) == full_name_scan(surname, text, len(text)) == f"Ann {surname}"
    assert index._indexed


# --- constructions found missing on polnear-train (issue #13) ----------------------------------

LONG_ATTRIBUTIONS = [
    # text, quote, speaker label, mention as written
    ('"Taxes will rise for everyone," Republican strategist Fred Kent said.\n',
     "Taxes will rise for everyone,", "Fred Kent", "Republican strategist Fred Kent"),  # a party before the title
    ('"Big cuts do not work in an age of debt," Jim Pell of the American Policy Institute wrote.\n',
     "Big cuts do not work in an age of debt,", "Jim Pell of the American Policy Institute",
     "Jim Pell of the American Policy Institute"),  # a nationality inside the organisation's name
    ('Jo Gold, editor at large of The Forward, a weekly paper, wrote, "We should think of the fight first."\n',
     "We should think of the fight first.", "Jo Gold", "Jo Gold"),  # appositions before a distant cue
    ('Rabbi Ann Hier, the founder of the center, has said that while she fears it, "I have never seen anything like it."\n',
     "I have never seen anything like it.", "Rabbi Ann Hier", "Rabbi Ann Hier"),  # a cue far before the quotation
    ('"We will win this race," Tom Ruiz, the campaign chairman for the state party, later told reporters.\n',
     "We will win this race,", "Tom Ruiz", "Tom Ruiz"),
]


@pytest.mark.parametrize("text,quote,speaker,mention", LONG_ATTRIBUTIONS)
def test_long_attributions(nlp, text, quote, speaker, mention):
    s = next(x for x in run(text, nlp) if x.kind == "direct")
    assert (s.quote, s.speaker.label, s.speaker_inferred) == (quote, speaker, False)
    assert text[s.speaker_span.start:s.speaker_span.end] == mention


@pytest.mark.parametrize("text", [
    # no cue after the appositions: the name is not attributed the quotation
    '"We will win this race," Tom Ruiz, the campaign chairman, and his wife arrived late.\n',
    # the sentence opens with no name: no speaker from a distant cue
    'In the end, after the long vote, the council said, "It was the best we could do."\n',
])
def test_long_attributions_negative(nlp, text):
    found = [s for s in run(text, nlp) if s.kind == "direct"]
    assert all(s.speaker is None or s.speaker.label not in ("Tom Ruiz", "In the end") for s in found), \
        [extract.as_json(s) for s in found]


FRAGMENTS = [
    # text, quoted fragment, the guessed speaker (the sentence's subject), marked inferred
    ("Jeb Bush reserved his most eloquent passion for the cause of “a comprehensive reform of immigration.”\n",
     "a comprehensive reform of immigration.", "Jeb Bush"),
    ("Ann Holt has sounded off against the idea that anyone is “not tough enough for the job.”\n",
     "not tough enough for the job.", "Ann Holt"),
    ("Ann Holt reserved her passion for “a reform of immigration.”\n", "a reform of immigration.",
     "Ann Holt"),  # four words
    # one capitalised word is a name when the article writes it so inside a sentence too
    ("Mayor Ann Holt spoke first.\n\nHolt reserved her passion for “a reform of immigration.”\n",
     "a reform of immigration.", "Ann Holt"),
]


@pytest.mark.parametrize("text,quote,speaker", FRAGMENTS)
def test_unattributed_fragment_takes_its_sentence_subject_as_a_guess(nlp, text, quote, speaker):
    s = one(text, nlp)
    assert (s.quote, s.speaker.label, s.speaker_inferred) == (quote, speaker, True)


@pytest.mark.parametrize("text", [
    "Voters backed the plan, which the paper called “a bold new start for all.”\n",  # no name opens it
    "Jeb Bush liked “The Long Road Home” best.\n",  # a title, not speech
    "In the end, voters backed “a bold new start for all.”\n",  # no name opens the sentence: nothing guessed
    "Jeb Bush reserved his passion for “immigration reform now.”\n",  # three words: as often a scare quote
    # session 13: one capitalised word opening the sentence, never capitalised inside one, is no name
    "Unless the rivals quit the race, “it is very difficult to see how he is stopped.”\n",
    "Good information can still drive out bad, but only when “the truth is sexier than the lie.”\n",
])
def test_unattributed_fragment_no_subject_guess(nlp, text):
    assert all(not s.speaker_inferred or s.speaker is None for s in run(text, nlp)), \
        [extract.as_json(s) for s in run(text, nlp)]


UNUSUAL_SUBJECTS = [
    # text, statement, kind, speaker label, the mention as written
    ('“We won,” said Dana White. “I voted for him,” one said.\n', "I voted for him,", "direct", None, "one"),
    ('"We are ready for the vote," another said.\n', "We are ready for the vote,", "direct", None, "another"),
    ("Some fans have said the team will move to another city next year.\n",
     "the team will move to another city next year", "indirect", "fans", "Some fans"),
    ("The mayor visited the plant and said the jobs would stay in the town.\n",
     "the jobs would stay in the town", "indirect", "mayor", "The mayor"),
    ('The senator issued a statement saying she would "fight this in court."\n',
     'she would "fight this in court."', "mixed", "senator", "The senator"),
]


@pytest.mark.parametrize("text,quote,kind,speaker,mention", UNUSUAL_SUBJECTS)
def test_unusual_subjects(nlp, text, quote, kind, speaker, mention):
    s = run(text, nlp)[-1]
    assert (s.quote, s.kind, s.speaker.label if s.speaker else None, s.speaker_inferred) == (quote, kind, speaker, False)
    assert text[s.speaker_span.start:s.speaker_span.end] == mention  # never another speaker's name


@pytest.mark.parametrize("text", [
    "It was the one said to be the best.\n",  # "the one": no speaker, and a passive
    "The mayor visited the plant and the workers cheered for an hour.\n",  # no cue
    "The film opened with a scene showing the town at night.\n",  # "a scene showing": no speech
])
def test_unusual_subjects_negative(nlp, text):
    assert run(text, nlp) == [], [extract.as_json(s) for s in run(text, nlp)]


RELATIVE_DATES = [
    # text, said_on, precision, inferred: the words opening the sentence date the statement after them
    ("On Monday, the mayor said that the plan was final for the town.\n", dt.date(2020, 7, 6), "day", False),
    ("Just days after the mayor said that the plan was final, the council voted it down.\n",
     dt.date(2020, 7, 3), "week", True),  # the week before publication, a guess
    ('"The plan is final," the mayor said a few days ago.\n', dt.date(2020, 7, 3), "week", False),
    ("Last month the mayor said that the plan was final for the town.\n", dt.date(2020, 6, 1), "month", False),
]


@pytest.mark.parametrize("text,date,precision,inferred", RELATIVE_DATES)
def test_sentence_openers_date_the_statement(nlp, text, date, precision, inferred):
    s = run(text, nlp)[0]
    assert (s.said_on.date, s.said_on.precision, s.said_on.inferred) == (date, precision, inferred)


@pytest.mark.parametrize("text", [
    "The mayor said that the plan would be final in a few days.\n",  # inside the statement: not when said
    "The mayor said that the vote last week was a mistake for the town.\n",
])
def test_dates_inside_the_statement_do_not_date_it(nlp, text):
    s = run(text, nlp)[0]
    assert (s.said_on.date, s.said_on.precision, s.said_on.inferred) == (FRIDAY, "day", True)


OPENERS_AND_COORDINATION = [
    # text, statement, the speaker's mention as written (never the opener, never "X and")
    ("Hours later, Ann Holt told reporters: “We have been friends for years.”\n",
     "We have been friends for years.", "Ann Holt"),
    ("Back in 1999, Mr. Ruiz praised the governor, telling a radio host: “I wish I could be like that.”\n",
     "I wish I could be like that.", "Mr. Ruiz"),
    ("De Blasio said the move was made by commissioner Bill Bratton and said, “Who are you going to trust on this?”\n",
     "Who are you going to trust on this?", "De Blasio"),
    # session 13: a time with no count opens the sentence before a participle's subject too
    ("Hours later, Ann Holt returned the favour to the mayor, telling Reuters, “We have been friends for years.”\n",
     "We have been friends for years.", "Ann Holt"),
    ("Days later, Ann Holt went back to the plant, saying that the plan had failed.\n",
     "that the plan had failed", "Ann Holt"),
]


@pytest.mark.parametrize("text,quote,mention", OPENERS_AND_COORDINATION)
def test_sentence_openers_and_coordinated_verbs_are_not_speakers(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text", [
    "Hours later said the rain would stop, but nobody did.\n",  # an opener alone names nobody
    "The report was written by Ann Holt and said to be final by everyone.\n",  # "X and said": no speaker X
])
def test_openers_and_coordination_negative(nlp, text):
    assert all(s.speaker is None or s.speaker.label not in ("Hours", "Ann Holt and", "Ann Holt")
               for s in run(text, nlp)), [extract.as_json(s) for s in run(text, nlp)]


@pytest.mark.parametrize("text,quote,mention", [
    ("According to the Daily Planet, “The council also met the builders before the vote.”\n",
     "The council also met the builders before the vote.", "the Daily Planet"),
    ("According to Sam Reed of the council, “The factory will close next year.”\n",
     "The factory will close next year.", "Sam Reed of the council"),
])
def test_according_to_before_a_quotation(nlp, text, quote, mention):
    s = one(text, nlp)
    assert (s.quote, s.kind, s.speaker_inferred) == (quote, "direct", False)
    assert text[s.speaker_span.start:s.speaker_span.end] == mention


def test_according_to_the_rules_names_no_speaker(nlp):
    s = one("According to the rules of the game, “No player may touch the ball twice.”\n", nlp)
    assert s.speaker is None and s.speaker_inferred


ACCORDING_TO_AFTER = [
    # text, statement, the source's mention as written: any noun phrase after "according to"
    ("The new bridge will cost twice as much as planned, according to figures released by the county.\n",
     "The new bridge will cost twice as much as planned", "figures released by the county"),
    ("Most residents now oppose the stadium, according to a survey by the local paper.\n",
     "Most residents now oppose the stadium", "a survey by the local paper"),
    ("The mayor never read the report, according to a senior city hall aide.\n",
     "The mayor never read the report", "a senior city hall aide"),
    # the comma closes a quotation: the clause and its quotation are the statement
    ("The vote was “a turning point for the valley,” according to Ann Holt.\n",
     "The vote was “a turning point for the valley,”", "Ann Holt"),
]


@pytest.mark.parametrize("text,quote,mention", ACCORDING_TO_AFTER)
def test_according_to_after_the_statement(nlp, text, quote, mention):
    s, said = said_by(text, quote, nlp)
    assert said == mention and s.kind in ("indirect", "mixed")


@pytest.mark.parametrize("text", [
    "The work on the new bridge went ahead, according to plan.\n",  # how it went: nobody said it
    "The players lined up by the wall, according to the rules of the game.\n",
    "The boxes were sorted into three piles, according to size.\n",
])
def test_according_to_a_manner_is_no_source(nlp, text):
    assert run(text, nlp) == [], [extract.as_json(s) for s in run(text, nlp)]


RELATIVE_SUBJECTS = [
    # text, statement, speaker label, the mention as written: the relative pronoun is the cue's
    # subject, the speaker is the name it refers to
    ("The plan was backed by Ann Holt, who said that the bridge would open in May.\n",
     "that the bridge would open in May", "Ann Holt", "who"),
    ("Voters cheered Mayor Ann Holt, who told reporters that the bridge would open in May.\n",
     "that the bridge would open in May", "Ann Holt", "who"),
    ("The crowd cheered Sam Reed, who in 2019 also said that the plant would close.\n",
     "that the plant would close", "Sam Reed", "who"),
]


@pytest.mark.parametrize("text,quote,speaker,mention", RELATIVE_SUBJECTS)
def test_relative_pronoun_is_the_mention_and_its_antecedent_the_speaker(nlp, text, quote, speaker, mention):
    s, written = said_by(text, quote, nlp)
    assert (s.speaker.label if s.speaker else None, s.speaker_inferred) == (speaker, False), extract.as_json(s)
    assert written == mention


@pytest.mark.parametrize("text,quote,mention", [
    # the mention is the subject itself: no relative pronoun between it and the cue
    ("Ann Holt said the bridge would open in May for the town.\n", "the bridge would open in May for the town",
     "Ann Holt"),
    # "who" opens a clause of its own before a comma: the speaker is not its antecedent's relative
    ("Ann Holt, who lives in the town, said the bridge would open in May.\n", "the bridge would open in May",
     "Ann Holt"),
])
def test_relative_pronoun_negative(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


OPENING_ADJUNCTS_AND_ADDRESSEES = [
    # text, statement, the speaker's mention as written: never a place of the opening adjunct, a
    # participle opening the sentence, a bare weekday, nor the one a tell verb names as spoken to
    ("At a rally in Ames, Iowa, on Sunday, Ann Holt praised the plan, saying that the bridge would open in May.\n",
     "that the bridge would open in May", "Ann Holt"),
    ("Reached by phone, Ann Holt praised the plan, saying that the bridge would open in May.\n",
     "that the bridge would open in May", "Ann Holt"),
    ("Walking to the next house, Ann Holt waved and said that the bridge would open in May.\n",
     "that the bridge would open in May", "Ann Holt"),
    ("Ann Holt Thursday told reporters: “We will build the bridge next year.”\n",
     "We will build the bridge next year.", "Ann Holt"),
    ("Ann Holt later Thursday told the Daily Planet: “We will build the bridge next year.”\n",
     "We will build the bridge next year.", "Ann Holt"),
    ("Ann Holt did not name her rivals but told her supporters, “we will build the bridge next year.”\n",
     "we will build the bridge next year.", "Ann Holt"),
]


@pytest.mark.parametrize("text,quote,mention", OPENING_ADJUNCTS_AND_ADDRESSEES)
def test_opening_adjuncts_and_addressees_are_not_speakers(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text,quote,mention", [
    # a name opening the sentence stays its subject, even one ending like a participle
    ("Fleming praised the plan, saying that the bridge would open in May.\n",
     "that the bridge would open in May", "Fleming"),
    # "said Ann Holt:" names the speaker after the cue; a label with a colon still heads its quotation
    ("The crowd listened. Said Ann Holt: “We will build the bridge next year.”\n",
     "We will build the bridge next year.", "Ann Holt"),
    ("Ann Holt, Channel 9: “We will build the bridge next year.”\n", "We will build the bridge next year.", "Ann Holt"),
])
def test_opening_adjuncts_and_addressees_negative(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


def test_the_one_told_heads_no_quotation(nlp):
    s = one("On Thursday told the Daily Planet: “We will build the bridge next year.”\n", nlp)
    assert s.speaker is None and s.speaker_inferred, extract.as_json(s)


DATELINES_AND_SUBORDINATE_OPENERS = [
    # text, statement, the speaker's mention as written: a dateline, a subordinate clause or a
    # phrase opening the sentence is never its subject
    ("WASHINGTON — Sen. Ann Holt defended her plan, saying that the bridge would open in May.\n",
     "that the bridge would open in May", "Sen. Ann Holt"),
    ("SALEM, Ore., May 4 (Metro News) — Ann Holt defended her plan, saying that the bridge would open in May.\n",
     "that the bridge would open in May", "Ann Holt"),
    ("Although Tom Ruiz is not a candidate, Ann Holt praised the plan, saying that the bridge would open in May.\n",
     "that the bridge would open in May", "Ann Holt"),
    ("When the vote was over, Ann Holt reserved her praise for “the best thing that could happen to the town.”\n",
     "the best thing that could happen to the town.", "Ann Holt"),  # a fragment: her guessed words
]


@pytest.mark.parametrize("text,quote,mention", DATELINES_AND_SUBORDINATE_OPENERS)
def test_datelines_and_subordinate_openers_are_not_subjects(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text,quote,mention", [
    # capitals before a dash that open no dateline: an organisation's name, a subject pronoun
    ("NATO said that the bridge would open in May for the town.\n", "that the bridge would open in May for the town",
     "NATO"),
    ("He’s claiming that the rail line is “years behind schedule.”\n",
     "that the rail line is “years behind schedule.”", "He’s"),
])
def test_datelines_and_subordinate_openers_negative(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text,firsts", [
    ("WASHINGTON — Sen. Ann Holt spoke.", ["Sen."]),
    ("NEW YORK, Aug. 24 (UPI) — A spokesman spoke.", ["A"]),
    ("NATO — the alliance — spoke.", ["NATO"]),  # a lower-case word after the dash: no dateline
    ("The vote was close. WASHINGTON — The mayor spoke.", ["The", "WASHINGTON"]),  # only a paragraph's opening
])
def test_dateline_is_no_part_of_the_first_sentence(text, firsts):
    from generator.extract.text import split_sentences
    from generator.model import Span

    sentences = split_sentences(text, Span(0, len(text)), 0, [])
    assert [text[s.start:s.end].split()[0] for s in sentences] == firsts


@pytest.mark.parametrize("text,n", [
    # a sentence ends after an abbreviation when the next word only opens sentences, and after a
    # fragment's closing mark of two characters (wire style '')
    ("Attacks rose in the U.S. He says the plan failed.", 2),
    ("Attacks rose in the U.S. The plan failed.", 2),
    ("Sen. Ann Holt voted. The U.S. Senate met in Jan. and adjourned.", 2),  # "Sen. Ann", "U.S. Senate"
    ("Mr. Holt spoke to Dr. Ruiz at length.", 1),
    ("A leader says we are at ''the beginning of a war.'' It carries weight.", 2),
    ('A leader says we are at "the beginning of a war." It carries weight.', 2),
    ('The mayor said, "We won the vote." Then she left the hall.', 2),  # a whole quotation after a comma
    ('The mayor said: "We won. We left." Then she left the hall.', 2),
    ('"We won the vote," the mayor said. "We left."', 2),
])
def test_sentence_ends_after_abbreviations_and_fragments(text, n):
    from generator.extract.text import find_quotes, split_sentences
    from generator.model import Span

    para = Span(0, len(text))
    assert len(split_sentences(text, para, 0, find_quotes(text, [para]))) == n


def test_it_is_opening_a_sentence_names_no_speaker(nlp):
    found = run("It's the pull of the old promise that the plan would be “the best thing for everyone here.”\n", nlp)
    assert all(s.speaker is None for s in found), [extract.as_json(s) for s in found]


@pytest.mark.parametrize("text,quote,label", [
    # words a mention took from the clause before the name are no part of the speaker's name
    ("“We will build the bridge next year,” she said. And Ann Holt added: “The town will pay for it.”\n",
     "The town will pay for it.", "Ann Holt"),
    # ... but words of the noun phrase stay ("Democratic voters", "U.S. officials")
    ("Democratic voters said that the bridge would open in May for the town.\n",
     "that the bridge would open in May for the town", "Democratic voters"),
    ("U.S. officials said that the bridge would open in May for the town.\n",
     "that the bridge would open in May for the town", "U.S. officials"),
])
def test_opening_words_are_no_part_of_a_speaker_label(nlp, text, quote, label):
    s = next(x for x in run(text, nlp) if x.quote == quote)
    assert s.speaker is not None and s.speaker.label == label, extract.as_json(s)


@pytest.mark.parametrize("mention", ["When Ann Holt", "for Ann Holt", "And Ann Holt", "It's"])
def test_resolve_strips_opening_words(mention):
    from generator.extract.speakers import Memory, resolve

    found = resolve(mention, Memory(mention), 0)
    assert (found.label if found else None) == ("Ann Holt" if "Ann" in mention else None)


RELATIVE_CLAUSE_CONTENT = [
    # text, the statement: the content of "X, who said ..." ends where the main clause's verb follows
    ("Mayor Ann Holt, who said that the bridge would open in May, left the meeting early.\n",
     "that the bridge would open in May"),
    ("Ann Holt, who said the bridge would open in May, was cheered by the crowd.\n",
     "the bridge would open in May"),
    ("Ann Holt, who said that her costs were \"in the seven figures,\" described the work as hard.\n",
     "that her costs were \"in the seven figures,\""),
]


@pytest.mark.parametrize("text,quote", RELATIVE_CLAUSE_CONTENT)
def test_relative_clause_content_ends_before_the_main_verb(nlp, text, quote):
    s = next((x for x in run(text, nlp) if x.quote.startswith(quote[:12])), None)
    assert s is not None and s.quote == quote, [extract.as_json(x) for x in run(text, nlp)]


@pytest.mark.parametrize("text,quote", [
    # commas inside the content that open no main clause: a list, a second relative clause
    ("Ann Holt, who said that taxes, fees and tolls would rise, was booed.\n", "that taxes, fees and tolls would rise"),
    ("Ann Holt said that the bridge, finished in May, is safe for everyone.\n",
     "that the bridge, finished in May, is safe for everyone"),
])
def test_relative_clause_content_negative(nlp, text, quote):
    s = next((x for x in run(text, nlp) if x.quote.startswith(quote[:12])), None)
    assert s is not None and s.quote == quote, [extract.as_json(x) for x in run(text, nlp)]


HEADLINES = [
    # text, (statement, kind, the speaker's mention as written): a one-line headline "Name: what was said"
    ("Holt: Bridge Will Open In May.\n\nThe mayor spoke on Monday.\n",
     ("Bridge Will Open In May", "indirect", "Holt")),
    ("Mayor Ann Holt: Council ‘Has Failed The City’ On Roads\n\nThe mayor spoke on Monday.\n",
     ("Council ‘Has Failed The City’ On Roads", "mixed", "Mayor Ann Holt")),
    ("The mayor spoke on Monday.\n\nHolt: the council has failed the city.\n",
     ("the council has failed the city", "indirect", "Holt")),
]


@pytest.mark.parametrize("text,expected", HEADLINES)
def test_headline_label_names_the_speaker(nlp, text, expected):
    found = [(s.quote, s.kind, text[s.speaker_span.start:s.speaker_span.end]) for s in run(text, nlp)
             if s.speaker_span is not None]
    assert expected in found, [extract.as_json(s) for s in run(text, nlp)]


@pytest.mark.parametrize("text", [
    "Breaking: Bridge Will Open In May.\n\nThe mayor spoke on Monday.\n",  # a kicker
    "The Latest: Bridge will open in May.\n\nThe mayor spoke on Monday.\n",  # a column
    "Delegate Update: The latest count in the race.\n\nThe mayor spoke on Monday.\n",
    "EXCLUSIVE: Bridge Will Open In May.\n\nThe mayor spoke on Monday.\n",  # capitals
    "Monday’s Morning Email: Bridge Will Open In May.\n\nThe mayor spoke on Monday.\n",  # a possessive
    "Holt: 1,769.\n\nRuiz: 1,501.\n",  # figures, not words
    "Holt: Yes.\n\nThe mayor spoke on Monday.\n",  # too short to be a statement
    "What each candidate needs on Tuesday.\n\nHolt: Now or never.\n\nRuiz: Win in a walk.\n",  # a section's heading
    ("Holt: " + "The mayor spoke at length about the bridge and the roads and the budget. " * 4 + "\n"),  # prose
])
def test_headline_label_negative(nlp, text):
    found = [s for s in run(text, nlp) if s.speaker_span is not None and s.kind != "direct"
             and text[s.speaker_span.start:s.speaker_span.end] == text.split(":")[0]]
    assert not found, [extract.as_json(s) for s in found]


def test_headline_keeps_an_attribution_the_rules_found(nlp):
    # the line's own cue names the speaker: the rules' statement stays, no second one from the label
    text = "Holt: Ruiz said the bridge will open in May.\n\nThe mayor spoke on Monday.\n"
    found = run(text, nlp)
    assert all(text[s.speaker_span.start:s.speaker_span.end] != "Holt" for s in found if s.speaker_span), \
        [extract.as_json(s) for s in found]


PARENTHETICAL_ATTRIBUTION = [
    # text, the statement's parts, the speaker's mention as written: "A, X said, b." is one statement
    ("In her town, Ann Holt said, the bridge is already late.\n",
     ["In her town", "the bridge is already late"], "Ann Holt"),
    ("This budget, Holt says, is different.\n", ["This budget", "is different"], "Holt"),
    ("The vote would be decided, Holt said on Monday, by the smaller towns.\n",
     ["The vote would be decided", "by the smaller towns"], "Holt"),
]


@pytest.mark.parametrize("text,parts,mention", PARENTHETICAL_ATTRIBUTION)
def test_parenthetical_attribution_is_one_statement(nlp, text, parts, mention):
    s = one(text, nlp)
    assert [text[sp.start:sp.end] for sp in s.spans] == parts, extract.as_json(s)
    assert text[s.speaker_span.start:s.speaker_span.end] == mention and s.kind == "indirect"


@pytest.mark.parametrize("text,quote", [
    # what follows ", X said," is not the rest of the statement: a participle, a clause of its own,
    # an adjunct, the speaker's apposition after an inverted cue
    ("The bridge is safe, Holt said, adding that it would open in May.\n", "The bridge is safe"),
    ("The bridge is safe, Holt said, as the crowd cheered.\n", "The bridge is safe"),
    ("The bridge is safe, Holt said, in a statement on Monday.\n", "The bridge is safe"),
    ("The bridge is safe, Holt said, and Ruiz agreed.\n", "The bridge is safe"),
    ("The bridge is safe, said Ann Holt, the mayor of the town.\n", "The bridge is safe"),
])
def test_parenthetical_attribution_negative(nlp, text, quote):
    found = run(text, nlp)
    assert quote in [s.quote for s in found], [extract.as_json(s) for s in found]


@pytest.mark.parametrize("text,quote,mention", [
    # a trailing tell verb: its addressee and a short adjunct may follow ("he told the court.")
    ("The town was only doing what other towns do, Ann Holt told the court.\n",
     "The town was only doing what other towns do", "Ann Holt"),
    ("The bridge will open in May, Holt told reporters on Monday.\n", "The bridge will open in May", "Holt"),
    # after an apposition, "told X ... that" is the speaker's verb, not an inverted cue naming X
    ("Ann Holt, the mayor's spokeswoman, told the Daily Planet last fall that the bridge would open in May.\n",
     "that the bridge would open in May", "Ann Holt"),
])
def test_trailing_tell_verb(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text,not_quote", [
    # the words before the comma are no statement when the tell verb opens a clause of its own
    ("In his speech, Ann Holt urged the council to rebuild the bridge.\n", "In his speech"),
    ("In his analysis, Ann Holt told the host on Thursday how surprised he was by the vote.\n", "In his analysis"),
    ("Ann Holt, the mayor's spokeswoman, told the Daily Planet last fall that the bridge would open.\n",
     "Ann Holt, the mayor's spokeswoman"),
])
def test_trailing_tell_verb_negative(nlp, text, not_quote):
    assert not_quote not in [s.quote for s in run(text, nlp)]


@pytest.mark.parametrize("text,quote,mention", [
    # a second verb after "but" takes the first verb's subject
    ("Ann Holt has disputed both reports, but says that she would have chosen differently.\n",
     "that she would have chosen differently", "Ann Holt"),
    ("Acme keeps its finances a secret but says its business has tripled.\n", "its business has tripled", "Acme"),
    # an apposition ending in a place of two parts: "from Sumter, South Carolina,"
    ("Ann Holt, a nurse from Des Moines, Iowa, said the bridge would open in May.\n",
     "the bridge would open in May", "Ann Holt"),
])
def test_second_verb_and_place_apposition(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text,quote,mention", [
    # a name between commas after no preposition is no place: it is not stepped over
    ("Ann Holt, a nurse, Des Moines, said the bridge would open in May.\n", "the bridge would open in May", None),
])
def test_place_apposition_negative(nlp, text, quote, mention):
    found = [s for s in run(text, nlp) if s.quote == quote]
    written = [text[s.speaker_span.start:s.speaker_span.end] if s.speaker_span else None for s in found]
    assert "Ann Holt" not in written and (mention is None or mention in written), written


SHARES_AND_GROUPS = [
    # a share of those asked, as the whole subject of the cue, is the speaker as written
    ("About four in 10 said they would vote for Holt in May.\n", "they would vote for Holt in May",
     "About four in 10"),
    ("Almost half say the bridge should be rebuilt.\n", "the bridge should be rebuilt", "Almost half"),
    ("In the poll, nearly nine out of 10 said the bridge was unsafe.\n", "the bridge was unsafe",
     "nearly nine out of 10"),
    ("But 58 percent of Florida voters said the bridge was unsafe.\n", "the bridge was unsafe",
     "58 percent of Florida voters"),
    # a group noun heads the subject
    ("Opponents of the plan said the bridge would cost too much.\n", "the bridge would cost too much",
     "Opponents"),
    ("Some protesters said they would return on Monday.\n", "they would return on Monday", "protesters"),
]


@pytest.mark.parametrize("text,quote,mention", SHARES_AND_GROUPS)
def test_shares_and_groups_are_speakers(nlp, text, quote, mention):
    s, written = said_by(text, quote, nlp)
    assert mention in written, extract.as_json(s)


@pytest.mark.parametrize("text,quote,mention", [
    # a figure that is no share of people, or a subject with a verb of its own, is not taken as one
    ("The report said the bridge was unsafe.\n", "the bridge was unsafe", "report"),
    ("In 2010 said the bridge was unsafe.\n", "the bridge was unsafe", None),
    ("Half of the bridge was closed, and the mayor said it was unsafe.\n", "it was unsafe", "mayor"),
])
def test_shares_and_groups_negative(nlp, text, quote, mention):
    found = [s for s in run(text, nlp) if s.quote == quote]
    written = [text[s.speaker_span.start:s.speaker_span.end] if s.speaker_span else None for s in found]
    assert all(w is None or not w.startswith(("In 2010", "Half")) for w in written), written
    assert mention is None or any(w and mention in w for w in written), written


@pytest.mark.parametrize("text,quote,mention", [
    # "this" opening what follows the attribution is the statement's subject, not a time
    ("In the long run, many economists say, this effect could ripple through the economy.\n",
     "In the long run this effect could ripple through the economy", "many economists"),
    # a semicolon ends a trailing attribution: the clause before it is what was said
    ("Candidates need about 40 percent of the vote, political analysts say; in 2012, Romney won 27 percent.\n",
     "Candidates need about 40 percent of the vote", "analysts"),
])
def test_attribution_between_commas_or_before_a_semicolon(nlp, text, quote, mention):
    s, written = said_by(text, quote, nlp)
    assert mention in written, extract.as_json(s)


@pytest.mark.parametrize("text,not_quote", [
    # "this week" after the attribution is a time; what follows a semicolon is no statement of theirs
    ("The bridge is safe, Holt said, this week.\n", "The bridge is safe this week"),
    ("Candidates need about 40 percent of the vote, political analysts say; in 2012, Romney won 27 percent.\n",
     "; in 2012, Romney won 27 percent"),
    ("Candidates need about 40 percent of the vote, political analysts say; in 2012, Romney won 27 percent.\n",
     "in 2012, Romney won 27 percent"),
])
def test_attribution_between_commas_or_before_a_semicolon_negative(nlp, text, not_quote):
    found = [s.quote for s in run(text, nlp)]
    assert not_quote not in found, found


OBJECTS_ARE_NO_SPEAKERS = [
    # the object of an opening preposition or of a verb is no speaker of a participle after the clause
    ('In December, the prince called for Holt to resign, calling him "a disgrace to the party."\n',
     'him "a disgrace to the party."', "the prince"),
    ('Weighing in on the debate, Gov. Ann Holt agreed, praising the plan as "the best we have had in years."\n',
     "the best we have had in years.", "Gov. Ann Holt"),
    ('If he wins the election, Holt has said he would rebuild the bridge, vowing to "start on day one."\n',
     "start on day one.", "Holt"),
    # a role before "in" heads the mention: "Police in Chicago"
    ("Police in Chicago said the man was armed.\n", "the man was armed", "Police in Chicago"),
    ("Authorities in North Rhine-Westphalia, the state next to Belgium, announced tighter controls on the border.\n",
     "tighter controls on the border", "Authorities in North Rhine-Westphalia"),
    # session 13: where it was said, between the name and the cue, is no speaker
    ("Jeb Bush in a Medium post said he would appoint more conservative judges.\n",
     "he would appoint more conservative judges", "Jeb Bush"),
    ("Ann Holt on her own website wrote that the plan had failed.\n", "that the plan had failed", "Ann Holt"),
    # nor is the one spoken to, after "speaking to", "talking to"
    ("Another intelligence source speaking to Fox News said the agents were investigating.\n",
     "the agents were investigating", "Another intelligence source"),
    # a participle after an attribution set off by commas: that attribution's speaker
    ("The city did not object when the plant opened, a state official said, adding that the permits were valid.\n",
     "that the permits were valid", "a state official"),
    ("The city did not object when the plant opened, said Ann Holt, adding that the permits were valid.\n",
     "that the permits were valid", "Ann Holt"),
]


@pytest.mark.parametrize("text,quote,mention", OBJECTS_ARE_NO_SPEAKERS)
def test_objects_are_no_speakers(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text,quote,mention", [
    # a role noun before the name, an opener before the subject: the name is still the speaker
    ("Minnesota state delegate Ann Holt, clad in a red cape, said the convention could fail.\n",
     "the convention could fail", "Ann Holt"),
    ("For now, Ann Holt, at the Royal Institute, said the bridge would stay open.\n",
     "the bridge would stay open", "Ann Holt"),
    ("When the city's director, Ann Holt, said on Tuesday that the bridge was unsafe, the council met.\n",
     "that the bridge was unsafe", "director"),
    ("Ann Holt, speaking to Fox News, said the agents were investigating.\n",
     "the agents were investigating", "Ann Holt"),  # set off by commas: the name before them
    # a place of its own after "in" is part of the speaker's noun phrase, no venue
    ("Officials in the White House said the plan was final.\n", "the plan was final", "Officials"),
    # the participle after a clause that is no attribution: the main clause's subject
    ("Ann Holt attacked the council on Monday, saying that the permits were invalid.\n",
     "that the permits were invalid", "Ann Holt"),
])
def test_objects_are_no_speakers_negative(nlp, text, quote, mention):
    s = next(x for x in run(text, nlp) if x.quote.startswith(quote))  # where it ends is not the point here
    assert mention in text[s.speaker_span.start:s.speaker_span.end], extract.as_json(s)


DESCRIBED_SPEAKERS = [
    # after '"...," said' a noun phrase of any words up to the sentence's end or a comma is the speaker
    ("“The drop is attributable to the emails,” said a person close to the Clintons.\n",
     "The drop is attributable to the emails,", "a person close to the Clintons", "person close to the Clintons"),
    ('"Trump has gone in the opposite direction," said the former top aide to President George W. Bush.\n',
     "Trump has gone in the opposite direction,", "the former top aide to President George W. Bush",
     "aide to President George W. Bush"),
    ("“We have a ton of work to do,” said a longtime adviser to both Clintons, who spoke anonymously.\n",
     "We have a ton of work to do,", "a longtime adviser to both Clintons", "longtime adviser to both Clintons"),
    # a role after a hyphen heads the mention
    ("“It may be 95 percent authentic,” CrowdStrike co-founder Dmitri Alperovitch told POLITICO.\n",
     "It may be 95 percent authentic,", "CrowdStrike co-founder Dmitri Alperovitch", "Dmitri Alperovitch"),
]


@pytest.mark.parametrize("text,quote,mention,label", DESCRIBED_SPEAKERS)
def test_described_speakers(nlp, text, quote, mention, label):
    s, written = said_by(text, quote, nlp)
    assert (written, s.speaker.label) == (mention, label), extract.as_json(s)


@pytest.mark.parametrize("text,not_speaker", [
    # a verb that takes an object: what follows it is no speaker
    ('On the other side, Ann Holt tweeted a warning. "Remember the vote," it read.\n', "warning"),
    ("The nurse later sued, claiming the quarantine violated her rights.\n", "quarantine violated her rights"),
    # a description that goes on into a clause is no mention
    ('"It is over," said the mayor, who had won the vote.\n', "the mayor, who had won the vote"),
])
def test_described_speakers_negative(nlp, text, not_speaker):
    written = [text[s.speaker_span.start:s.speaker_span.end] for s in run(text, nlp) if s.speaker_span]
    assert not any(not_speaker in w for w in written), written


@pytest.mark.parametrize("text,quote,mention", [
    # manners of speaking attribute the quotation next to them (lexicon manner)
    ("“We have to do this,” Ann Holt fumed on Tuesday.\n", "We have to do this,", "Ann Holt"),
    ("“If she wants to be president, she should come to Louisiana,” the editorial read.\n",
     "If she wants to be president, she should come to Louisiana,", "the editorial"),
    ('"People are afraid of wasting their votes," Holt surmised.\n', "People are afraid of wasting their votes,", "Holt"),
    # "Mr" without a full stop, modifiers with a proper noun before a role, an age as the head
    ("“Americans use the word line,” Mr Farage told the BBC.\n", "Americans use the word line,", "Mr Farage"),
    ('"I cannot imagine how tired you must be," former State policy director Ann Holt wrote to Clinton.\n',
     "I cannot imagine how tired you must be,", "former State policy director Ann Holt"),
    ("“He is an amazing leader,” said the 46-year-old.\n", "He is an amazing leader,", "the 46-year-old"),
    # a hyphenated modifier inside the noun phrase ("the two-term president")
    ("“Nothing prepares you for the demands of the office,” the two-term mayor will say.\n",
     "Nothing prepares you for the demands of the office,", "the two-term mayor"),
    ("“We will not raise taxes this year,” the long-time treasurer said.\n", "We will not raise taxes this year,",
     "the long-time treasurer"),
    # answers in an exchange
    ("“Would it be negotiable about the budget?” Sean Hannity pressed.\n",
     "Would it be negotiable about the budget?", "Sean Hannity"),
    ("“They are all here because he is promising free stuff,” Jim Bennett shot back with a laugh.\n",
     "They are all here because he is promising free stuff,", "Jim Bennett"),
    ("“France will always be France,” an angry Hollande retaliated.\n", "France will always be France,", "Hollande"),
    ("“If they sue us in a court in Miami, they will lose,” Marco Rubio fired back.\n",
     "If they sue us in a court in Miami, they will lose,", "Marco Rubio"),
    ("Mrs. Clinton thanked the state and then boomed, “Today, you proved there is no place like home.”\n",
     "Today, you proved there is no place like home.", "Mrs. Clinton"),
    ("“You know, it happens, right?” Ann Holt went on, as if she did not hear the question.\n",
     "You know, it happens, right?", "Ann Holt"),
    ("Supporters kicked a protester, with Ann Holt reportedly yelling: “Get him the hell out of here!”\n",
     "Get him the hell out of here!", "Ann Holt"),  # an adverb between the name and its participle
])
def test_manner_verbs_and_modifiers(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text", [
    # a manner of speaking reports no speech: only a quotation next to it is attributed
    "Ann Holt read the report and laughed at the council's plan to rebuild the bridge.\n",
    "Mr. Obama interrupted a broad discussion with historians about the country's challenges.\n",
    "Ann Holt gushes about being a grandmother and the town she grew up in.\n",
    "Ann Holt read a press release about the booming economy of the town.\n",  # "press", "booming": no cues
    "The meeting went on for hours while Ann Holt read the report about the bridge.\n",  # "went on": no quotation
])
def test_manner_verbs_negative(nlp, text):
    assert run(text, nlp) == [], [extract.as_json(s) for s in run(text, nlp)]


ACCORDING_TO_PHRASES = [
    # any noun phrase after "according to" opening a sentence whose clause has no cue of its own
    ("According to law enforcement officials, the account was linked to an old email address.\n",
     "the account was linked to an old email address", "law enforcement officials"),
    ("According to a recent poll of Iowa voters, Holt holds 30 percent of the vote.\n",
     "Holt holds 30 percent of the vote", "a recent poll of Iowa voters"),
    # set off by commas inside the statement: both parts
    ("Over the long term, according to the budget office, the rise in deficits is due to the aging of the population.\n",
     "Over the long term the rise in deficits is due to the aging of the population", "the budget office"),
    # at the sentence's end without a comma
    ("Holt leads by 271 delegates according to a count by The Associated Press.\n",
     "Holt leads by 271 delegates", "a count by The Associated Press"),
]


@pytest.mark.parametrize("text,quote,mention", ACCORDING_TO_PHRASES)
def test_according_to_phrases(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text,not_quote", [
    ("The meeting went ahead according to plan.\n", "The meeting went ahead"),
    ("The AP reported that, according to an analysis, Holt met donors.\n", "The AP reported that"),
    ("And it has not gone unnoticed: According to recent polls, Holt holds 14 percent.\n",
     "And it has not gone unnoticed"),
])
def test_according_to_phrases_negative(nlp, text, not_quote):
    assert not_quote not in [s.quote for s in run(text, nlp)]


QUESTIONS_AND_AS_CLAUSES = [
    # an opening "Asked ..." question: its asker when named ("by X"), else no one
    ('Asked on Monday whether Mr. Holt would hold a cabinet post, Ann Holt said, "No."\n',
     "whether Mr. Holt would hold a cabinet post", None),
    ("When asked by a reporter whether the bridge was safe, Holt said it was.\n",
     "whether the bridge was safe", "a reporter"),
    ("When asked by Ingraham on Thursday about the bridge plan, Holt said it would wait.\n",
     "about the bridge plan", "Ingraham"),
    # an opening "As X reported," clause
    ("As The Hill reported, Ann Holt was also accused of breaking the rules.\n",
     "Ann Holt was also accused of breaking the rules", "The Hill"),
    ("As reported by the Daily Planet, the mayor was told of the risk in May.\n",
     "the mayor was told of the risk in May", "the Daily Planet"),
    # the attribution ending the sentence is read before a participle inside what it reports
    ("Police were treating it as an attack and urging people to stay home, BFM TV reported.\n",
     "Police were treating it as an attack and urging people to stay home", "BFM TV"),
]


@pytest.mark.parametrize("text,quote,mention", QUESTIONS_AND_AS_CLAUSES)
def test_questions_and_as_clauses(nlp, text, quote, mention):
    s = next(x for x in run(text, nlp) if x.quote == quote)
    written = text[s.speaker_span.start:s.speaker_span.end] if s.speaker_span else None
    assert written == mention and (mention or s.speaker is None), extract.as_json(s)


@pytest.mark.parametrize("text,not_quote", [
    # "asked" with an object is a tell verb, no opening question; an "as" clause of its own content
    ("Holt asked whether the bridge was safe, and the mayor said it was.\n", "the mayor said it was"),
    ("As the mayor said the bridge was unsafe, the council voted to close it.\n", "the council voted to close it"),
    ("Asked, Holt said nothing.\n", "Holt said nothing"),
])
def test_questions_and_as_clauses_negative(nlp, text, not_quote):
    assert not_quote not in [s.quote for s in run(text, nlp)]


@pytest.mark.parametrize("text,quote,mention", [
    # an opening "Having ..." participle: the main clause's subject said it, and the clause ends at the comma
    ("Having announced that he would not send me to prison, Judge Berman handed down his sentence.\n",
     "that he would not send me to prison", "Judge Berman"),
])
def test_opening_participle_subject(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text", [
    # the subject of a passive cue is spoken to or about: never the speaker
    "At a town hall this month, Clinton was asked about securing the border to stop illegal crossings.\n",
    "President Obama has been criticized for using the term to describe his achievements in Syria.\n",
])
def test_passive_subject_is_no_speaker(nlp, text):
    written = [text[s.speaker_span.start:s.speaker_span.end] for s in run(text, nlp) if s.speaker_span]
    assert not any(w in ("Clinton", "President Obama") for w in written), written


QUOTED_IN_CLAUSES = [
    # text, statement, mention: quotations inside reported clauses whose speaker the rules now see
    ("Holt himself said Tuesday that “the only way to win the state is to ask for its support.”\n",
     "that “the only way to win the state is to ask for its support.”", "Holt"),
    ('It was three years ago that Ann Holt, who is thinking of running, said it was "impossible" to win.\n',
     'it was "impossible" to win', "Ann Holt"),
    ("Some agree that the prison should close, with Sen. Ann Holt calling it a “Chinese menu.”\n",
     "it a “Chinese menu.”", "Sen. Ann Holt"),
    ("The plan’s “excesses” are sickening, Holt said Tuesday in Paris, noting it “makes you want to retch.”\n",
     "The plan’s “excesses” are sickening", "Holt"),
]


@pytest.mark.parametrize("text,quote,mention", QUOTED_IN_CLAUSES)
def test_quoted_in_clauses(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text,quote,mention", [
    # a participle after a name with no quotation near it is no cue; "That" before a role stays out
    ("Reporters saw Holt saying goodbye to the staff at the door.\n", None, None),
    ("That Acme spokesman said the plant would close.\n", "the plant would close", "Acme spokesman"),
])
def test_quoted_in_clauses_negative(nlp, text, quote, mention):
    found = run(text, nlp)
    if quote is None:
        assert found == [], [extract.as_json(s) for s in found]
    else:
        s, written = said_by(text, quote, nlp)
        assert written == mention, extract.as_json(s)


def test_participle_after_an_earlier_quotation_takes_the_opening_subject(nlp):
    text = 'The mayor blasted the council\'s call for a "new bridge" on Wednesday, calling it "absurd."\n'
    s, written = said_by(text, 'it "absurd."', nlp)
    assert written == "The mayor", extract.as_json(s)


def test_when_asked_after_a_statement_is_a_question_of_no_one_named(nlp):
    text = '"You bet I would," Holt said when asked whether he would close the bridge.\n'
    found = {s.quote: s for s in run(text, nlp)}
    assert found["You bet I would,"].speaker.label == "Holt"
    question = found["whether he would close the bridge"]
    assert question.speaker is None and question.speaker_span is None


def test_when_asked_inside_a_statement_stays_in_it(nlp):
    text = "Police said Holt left his car when asked to do so by officers.\n"
    s, written = said_by(text, "Holt left his car when asked to do so by officers", nlp)
    assert written == "Police"


TITLE_HEADLINES = [
    # a one-line Title Case headline: the name, a capitalised cue, what was said
    ("Holt Says He Never Pledged To Close The Bridge.\n\nThe mayor spoke on Monday.\n",
     "He Never Pledged To Close The Bridge", "Holt"),
    ("Holt Says Russians Hacked The Council, Calls The Plan ‘Troubling.’\n\nThe mayor spoke on Monday.\n",
     "Russians Hacked The Council", "Holt"),
    ("The Bridge Is Like A Lawyer’s Dumbest Client Ever, Ann Holt Says.\n\nThe mayor spoke on Monday.\n",
     "The Bridge Is Like A Lawyer’s Dumbest Client Ever", "Ann Holt"),
]


@pytest.mark.parametrize("text,quote,mention", TITLE_HEADLINES)
def test_title_case_headline(nlp, text, quote, mention):
    s, written = said_by(text, quote, nlp)
    assert written == mention and s.kind == "indirect", extract.as_json(s)


@pytest.mark.parametrize("text", [
    "The Man Who Says No.\n\nThe mayor spoke on Monday.\n",  # a title: "The" opens no name
    "He Says, She Says.\n\nThe mayor spoke on Monday.\n",  # too short to hold a statement
    "Holt says the bridge is closed, and this is not a headline at all.\n",  # not Title Case
])
def test_title_case_headline_negative(nlp, text):
    assert not any(s.cue is None and s.speaker and s.speaker.label in ("Holt", "He") for s in run(text, nlp))


def test_an_apposition_describing_an_apposition_is_stepped_over(nlp):
    text = ("Ann Holt, a pollster who works with Priorities USA, a pro-Clinton group, said the race "
            "was close.\n")
    s, written = said_by(text, "the race was close", nlp)
    assert written == "Ann Holt", extract.as_json(s)


@pytest.mark.parametrize("text,quote,mention", [
    # a sentence adverb between the speaker and the verb
    ("Holt however said he would welcome a “principled security network” for the town.\n",
     "he would welcome a “principled security network” for the town", "Holt"),
    # an invisible format character before a pasted quotation opened by a closing mark
    ("\u202a”This is why the bridge has to be rebuilt,” said Ann Holt.\n",
     "This is why the bridge has to be rebuilt,", "Ann Holt"),
])
def test_adverb_and_invisible_mark(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


@pytest.mark.parametrize("text,quote,mention", [
    # a title in marks inside the apposition between speaker and verb
    ('Ann Holt, the co-author of "Going Viral," about the spread of news, said the days of "a unifying story" are gone.\n',
     'the days of "a unifying story" are gone', "Ann Holt"),
])
def test_title_inside_an_apposition(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)






def test_title_before_a_second_verb_is_read_as_words(nlp):
    # the clause finders behind "... and asked" read words only: a title in marks before them is
    # skipped, not read as a word (this sentence from polnear-train raised AttributeError while it was)
    text = "With the help of “Flip the Script with Liz Plank”, the actor held a fake audition and asked white actors to act “whiter.”\n"
    found = run(text, nlp)
    assert all("Flip the Script" not in text[s.speaker_span.start:s.speaker_span.end] for s in found if s.speaker_span)


@pytest.mark.parametrize("text,quote,mention", [
    # a phrasal manner of speaking: the clause holding the quotation is what its subject said
    ('Ann Holt spoke about "the need to rebuild trust" with the council.\n',
     '"the need to rebuild trust" with the council', "Ann Holt"),
    ('Holt talked of reforms to hire local workers and to "close loopholes" for outside firms.\n',
     'reforms to hire local workers and to "close loopholes" for outside firms', "Holt"),
])
def test_phrasal_manner_verbs(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)


def test_an_owners_claim_after_a_cue_is_the_owners(nlp):
    # the object of "responded to" is someone else's words: the clause is the mayor's, not Roe's
    text = "Ann Roe responded to the mayor's claim that the plan made him ''smart.''\n"
    s, written = said_by(text, "that the plan made him ''smart.''", nlp)
    assert written == "mayor", extract.as_json(s)


def test_a_number_with_a_thousands_comma_is_no_clause_break(nlp):
    text = ("After a breakfast in Philadelphia, Ann Holt wrote to his 20,000 Twitter followers, "
            "“It’s time to end her career for good.”\n")
    assert_mention(text, "It’s time to end her career for good.", "Ann Holt", nlp)


@pytest.mark.parametrize("text,quote,mention", [
    # a quotation opening with a quotation inside it is still a block with its attribution after it
    ("“‘The Bridge’ kind of flows off the lips, doesn’t it? It hits her where she is weakest,” wrote Ann O’Hara.\n",
     "‘The Bridge’ kind of flows off the lips, doesn’t it? It hits her where she is weakest,", "Ann O’Hara"),
    # media roles head a mention ("opinion editor")
    ("“We won’t be running his columns in the future,” Daily News opinion editor Ann Holt told POLITICO.\n",
     "We won’t be running his columns in the future,", "Daily News opinion editor Ann Holt"),
])
def test_nested_opening_and_media_roles(nlp, text, quote, mention):
    assert_mention(text, quote, mention, nlp)
