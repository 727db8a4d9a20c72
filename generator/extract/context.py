"""Quotations attributed by their surroundings, not their own sentence: the statement before
(``"A," she said. "B."``), a paragraph ending ``He said:``, a document introduced before,
a ``Name, Outlet:`` label, transcript lines (``PENCE: Well, look, ...``) and headline labels
(``Graham: Trump Destroying GOP's Chance.``).
"""
from __future__ import annotations

import re

from generator.extract.clauses import clause_subject, introducer
from generator.extract.lexicon import lexicon
from generator.extract.mentions import mention_after, mention_before
from generator.extract.partial import opening_subject, speech_like
from generator.extract.text import Quote, Sentence, Token, tokens
from generator.extract.units import Raw, cue_at, make_units


def attach_context(text, sentences, s_index, new: list[Raw], earlier: list[Raw], done: list[Raw],
                   colon=None, last_before: Sentence | None = None) -> None:
    """Quotations with no attribution in their sentence take it from the context."""
    for raw in new:
        if raw.mention is not None or raw.same_as is not None or raw.kind != "direct" \
                or raw.quotes and raw.quotes[0].continues is not None:
            continue
        if s_index == 0 and colon is not None and not earlier:
            raw.mention, raw.cue = colon  # "He said:" and the quotation in the next paragraph
            raw.context.append(colon[0])
            continue
        if earlier and (earlier[-1].mention or earlier[-1].same_as) and earlier[-1].kind == "direct" \
                and s_index > 0 and _attribution_only(text, earlier[-1], sentences[s_index - 1]):
            # '"A," she said. "B."': one utterance, one statement in two spans (the evaluation
            # contract's quote_spans)
            earlier[-1].absorb(raw)
            continue
        if earlier and (earlier[-1].mention or earlier[-1].same_as) \
                and earlier[-1].kind != "partial" and not raw.quotes[0].single:
            raw.same_as = earlier[-1]  # 'She said that A was "final." "B."': B is hers
            continue
        if s_index > 0:
            intro = introducer(text, sentences[s_index - 1])
            if intro:
                raw.mention = intro
                raw.context.append((sentences[s_index - 1].start, sentences[s_index - 1].end))
                continue
        if s_index == 0 and done and done[-1].kind == "direct" and (done[-1].mention or done[-1].same_as) \
                and not raw.quotes[0].single \
                and done[-1].paragraph == raw.paragraph - 1 and raw.quotes and raw.quotes[0].open == sentences[0].start:
            raw.same_as = done[-1]  # a paragraph of quotation after one by the same speaker
            continue
        if raw.quotes and not raw.quotes[-1].closed:
            continue  # it runs on into the next paragraph, which may name the speaker
        if speech_like(text, raw):
            raw.inferred = True  # a quotation is kept; its speaker is guessed later, or left unnamed
            raw.mention = label_before(text, sentences[s_index], raw.quotes[0])
            if raw.mention is None and s_index > 0:
                raw.mention = speaking_subject(text, sentences[s_index - 1])
            elif raw.mention is None and last_before is not None and raw.quotes[0].open == sentences[0].start:
                raw.mention = speaking_subject(text, last_before)
            if raw.mention is None and raw.quotes[0].open > sentences[s_index].start:
                units = make_units(text, sentences[s_index], raw.quotes[:1])
                qi = next(k for k, u in enumerate(units) if u.quote is not None)
                if not _named_thing_before(units, qi):
                    raw.mention = opening_subject(units, qi, text)
        else:
            raw.spans = []  # a title, a name or a few words in marks: not a statement


def _named_thing_before(units, qi: int) -> bool:
    """ "Voters liked the slogan: "..."": the quotation is what the noun before it names, someone
    else's words, not the sentence subject's."""
    k = qi - 1
    if k >= 0 and units[k].lower in (":", ","):
        k -= 1
    lex = lexicon()
    return k >= 0 and (units[k].lower in lex.speech_nouns or units[k].lower in lex.document_nouns)


_SUBHEAD_FRAME = re.compile(r"[\s\-–—.]*")


def subheading(text: str, q: Quote) -> bool:
    """A line that is one quotation in single marks and nothing else ("'Relationships that last.'",
    "– ‘Who cares?’ –."): where quotations are in double marks, a subhead, as headlines quote in singles."""
    line_start = text.rfind("\n", 0, q.open) + 1
    line_end = text.find("\n", q.close)
    line_end = len(text) if line_end < 0 else line_end
    return q.single and bool(_SUBHEAD_FRAME.fullmatch(text, line_start, q.open)) \
        and bool(_SUBHEAD_FRAME.fullmatch(text, q.close, line_end))


# After a quotation, the rest of its sentence goes on to something else: "..., then referred to
# ...", "..., referring to the mogul", "..., before leaving".
_GOES_ON = re.compile(r",\s+(?:then|before|after|as|while|\w+ing)\b")


def _attribution_only(text: str, statement: Raw, sentence: Sentence) -> bool:
    """The sentence just before holds the statement's last quotation and, after it, only its
    attribution ('"A," Trump said in an interview.'): the next quotation goes on with it."""
    close = statement.quotes[-1].close if statement.quotes else statement.spans[-1][1]
    return sentence.start <= close <= sentence.end and not _GOES_ON.search(text, close, sentence.end)


def colon_intro(text: str, sent: Sentence) -> tuple[tuple[int, int], Token] | None:
    """ "He said:" closing a paragraph: the speaker and cue of the quotation that follows."""
    units = make_units(text, sent, [])
    lex = lexicon()
    if len(units) >= 3 and units[-1].lower == ":" and (units[-2].lower in lex.speech_nouns
                                                       or units[-2].lower in lex.document_nouns):
        # "Sanders made the following comment:", "Clinton released the following statement:"
        found = clause_subject(units, 0, len(units) - 3)
        if found:
            return (units[found[0]].start, units[found[1] - 1].end), units[-2].tok
    for i in range(len(units) - 1, -1, -1):
        cue = cue_at(units, i)
        if cue:
            found = mention_before([u.tok for u in units], i, 0)
            if found:
                return (units[found[0]].start, units[found[1] - 1].end), units[i].tok
            return None
    return None


MAX_SUBJECT_LEAD = 8  # tokens from the sentence start to its reporting verb


def speaking_subject(text: str, sent: Sentence) -> tuple[int, int] | None:
    """ "Valastro praised Christie's leadership. "We need someone who ..."": the named subject of the
    sentence before a quotation of its own, when that sentence opens with it and a reporting verb."""
    units = make_units(text, sent, [])
    for i in range(1, min(len(units), MAX_SUBJECT_LEAD)):
        if units[i].quote is not None:
            return None
        if cue_at(units, i):
            toks = [u.tok for u in units[:i + 1]]
            found = mention_before(toks, i, 0)
            if not found or found[0] != 0 or not any(t.text[:1].isupper() for t in toks[found[0]:found[1]]):
                return None
            return units[found[0]].start, units[found[1] - 1].end
    return None


def label_before(text: str, sent: Sentence, q: Quote) -> tuple[int, int] | None:
    """ "Jane Roe, Channel 9: "..."" / "- David Wasserman: "..."": a name heading the quotation
    with a colon and no cue; only a capitalised name counts (never "the results:")."""
    toks = tokens(text, sent.start, q.open)
    if len(toks) < 2 or toks[-1].text != ":":
        return None
    found = mention_before(toks, len(toks) - 1, 0)
    comma = next((k for k, t in enumerate(toks) if t.text == ","), None)
    if found is None and comma:
        found = mention_before(toks, comma, 0)  # the name before ", Outlet:"
    if found is None:
        # "Trump leaned in and grinned: "..."": the subject opening the sentence
        first = mention_after([Token(0, 0, "")] + toks[:-1], 0)
        found = (first[0] - 1, first[1] - 1) if first and first[0] == 1 and first[1] < len(toks) else None
    if found is None:
        return None
    lex = lexicon()
    if found[0] > 0 and lex.verb_forms.get(toks[found[0] - 1].lower) in lex.tell_verbs:
        return None  # "... told the Daily Planet:": the one spoken to heads no quotation
    words = toks[found[0]:found[1]]
    if len(words) > 6:
        # "Former secretary of state Hillary Rodham Clinton:": a long role before it, the name kept
        k = len(words)
        while k > 0 and words[k - 1].text[:1].isupper():
            k -= 1
        role = k > 0 and words[k - 1].text.lower() not in _NOT_ROLE_ENDS
        words = words[k:] if role and len(words) - k <= 4 else words
    if not any(t.text[:1].isupper() for t in words) or len(words) > 6:
        return None
    return words[0].start, words[-1].end


# Words that end no role before a name ("by the Gallup Organization:" is no "senior adviser Jane Roe:").
_NOT_ROLE_ENDS = {"the", "a", "an", "by", "of", "from", "to", "in", "on", "at", "for", "with", "and", "or", "as"}


_SPEAKER_LINE = re.compile(r"[\"“]?\s*([A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,2}):\s+(?=\S)")


# Capitalised labels that head a paragraph but name no speaker.
NOT_SPEAKER_LABELS = {"UPDATE", "UPDATED", "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "CORRECTION", "CLARIFICATION",
                      "WATCH", "READ", "READ MORE", "RELATED", "VIDEO", "PHOTOS", "PHOTO", "BREAKING", "SOURCE",
                      "SOURCES", "DISCLOSURE", "WARNING", "SPOILER", "ALERT", "PS", "P.S.", "TL;DR", "FAQ", "AP",
                      "QUESTION", "ANSWER", "Q", "A", "UPI", "CNN", "WASHINGTON", "NEW YORK", "LONDON"}


MIN_TRANSCRIPT_LINES = 2  # one capitalised label is a heading; two or more speakers' lines a transcript


def transcript(text: str, paragraphs) -> dict[int, Raw]:
    """Transcript lines ("PENCE: Well, look, ..."): the label names the speaker of the paragraph."""
    found: dict[int, Raw] = {}
    for p_index, para in enumerate(paragraphs):
        m = _SPEAKER_LINE.match(text, para.start, para.end)
        if not m or m.group(1) in NOT_SPEAKER_LABELS or len(m.group(1).replace(".", "")) < 3:
            continue
        a, b = m.end(), para.end
        while b > a and (text[b - 1].isspace() or text[b - 1] in "\"”"):
            b -= 1
        if b - a < 2:
            continue
        raw = Raw([(a, b)], "direct", p_index, mention=(m.start(1), m.end(1)), transcript=True)
        raw.context.append((para.start, m.end()))
        found[p_index] = raw
    if len(found) < MIN_TRANSCRIPT_LINES:
        return {}
    return found


# "Graham: ..." / "Wash Post Fact-Check: ...": a capitalised label of one to five words and a colon
_HEADLINE_LABEL = re.compile(r"([A-Z][\w.’'\-]*(?: (?:[A-Z][\w.’'\-]*|of|de|van|von|and|&)){0,4}):[ \t]+(?=\S)")
MAX_HEADLINE = 250  # characters: a headline or a summary line, not a paragraph of prose
MIN_HEADLINE_WORDS = 3
# After a label, fewer words are a section's heading as often as a statement ("Kasich: Now or
# never."): 8 of 11 such lines on polnear-train matched no attribution.
MIN_LABELLED_WORDS = 5


def headline(text: str, para, p_index: int, quotes: list[Quote], p_raws: list[Raw]) -> Raw | None:
    """ "Graham: Trump's 'Hateful Rhetoric' Destroying GOP's Chance.": a one-line headline whose label
    names the speaker of what follows the colon, reported (or mixed, with its quotations).

    The label is a name: not a kicker ("Breaking:", "Watch:"), not a column ("The Latest:"), not
    capitals ("EXCLUSIVE:", transcript lines are read apart), not a possessive ("Monday's Email:").
    Quoted fragments of the line the rules read without a speaker become part of it; a statement
    the rules attributed there keeps the line as it is.
    """
    line = text[para.start:para.end]
    if len(line) > MAX_HEADLINE or "\n" in line.strip():
        return None
    m = _HEADLINE_LABEL.match(text, para.start, para.end)
    if not m or not _speaker_label(m.group(1)):
        return None
    start, end = m.end(), para.end
    end = _trim_end(text, start, end, ".…")
    words = [t for t in tokens(text, start, end) if t.text[:1].isalnum()]
    if len(words) < MIN_LABELLED_WORDS or not words[0].text[:1].isalpha():
        return None
    inside = [q for q in quotes if start <= q.open and q.close <= end + 1]
    if len(inside) == 1 and inside[0].open == start and inside[0].close >= end:
        return None  # 'Kasich: "We Are Going To Cleveland."': a quotation with its label (label_before)
    overlapping = [r for r in p_raws if any(s < end and start < e for s, e in r.spans)]
    if any(r.mention is not None and not r.inferred for r in overlapping):
        return None
    for r in overlapping:
        r.spans = []
    raw = Raw([(start, end)], "mixed" if inside else "indirect", p_index, mention=m.span(1), quotes=inside)
    raw.context.append((para.start, m.end()))
    return raw


MAX_TITLE_NAME = 4  # words of the name before "Says": "Former Gov. Jeb Bush"


def title_headline(text: str, para, p_index: int, quotes: list[Quote], p_raws: list[Raw]) -> Raw | None:
    """ "Trump Says He Never Pledged To Kill Family Members Of Terrorists.": a one-line headline in
    Title Case, a name, a capitalised cue, what was said (reported, or mixed with its quotations);
    also "..., Trevor Noah Says." with the cue last."""
    line = text[para.start:para.end]
    if len(line) > MAX_HEADLINE or "\n" in line.strip() or any(r.spans for r in p_raws if r.mention is not None):
        return None
    toks = tokens(text, para.start, para.end)
    words = [t for t in toks if t.text[:1].isalpha()]
    if len(words) < MIN_HEADLINE_WORDS + 2 or not all(w.text[:1].isupper() or w.lower in lexicon().title_small_words for w in words):
        return None
    k = next((n for n, t in enumerate(toks) if n > 0 and _title_cue(t)), None)
    if k is None:
        return None
    last = k + 1 >= len(toks) or all(not t.text[:1].isalnum() for t in toks[k + 1:])
    lo = k - 1
    while lo > 0 and k - lo < MAX_TITLE_NAME and toks[lo - 1].text[:1].isupper() and not _title_cue(toks[lo - 1]):
        lo -= 1
    if last:  # "..., Trevor Noah Says.": the name after the last comma
        comma = max((n for n in range(k) if toks[n].text == ","), default=None)
        if comma is None:
            return None
        lo, start, end = comma + 1, para.start, toks[comma].start
    else:
        if lo != 0:
            return None  # the name must open the line
        start, end = toks[k + 1].start, para.end
        nxt = next((n for n in range(k + 1, len(toks) - 1) if toks[n].text == ","
                    and toks[n + 1].lower in lexicon().verb_forms), None)
        if nxt is not None:
            end = toks[nxt].start  # "Clinton Says Russians Hacked DNC, Calls ...": a second statement
    if not _speaker_label(text[toks[lo].start:toks[k - 1].end]):
        return None
    end = _trim_end(text, start, end, ".…,")
    if len([t for t in tokens(text, start, end) if t.text[:1].isalnum()]) < MIN_HEADLINE_WORDS:
        return None
    inside = [q for q in quotes if start <= q.open and q.close <= end + 1]
    for r in p_raws:
        if any(a < end and start < b for a, b in r.spans):
            r.spans = []  # quoted fragments read without a speaker join the line
    raw = Raw([(start, end)], "mixed" if inside else "indirect", p_index,
              mention=(toks[lo].start, toks[k - 1].end), quotes=inside)
    raw.context.append((para.start, para.end))
    return raw


def _trim_end(text: str, start: int, end: int, marks: str) -> int:
    """``end`` moved back over white space and the closing ``marks`` of a headline line."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in marks):
        end -= 1
    return end


def _title_cue(tok: Token) -> bool:
    """ "Says", "Told", "Warns": a capitalised reporting verb of the lexicon in a headline's tense
    (present, or "Said"/"Told"), not a quote-only one ("Calls", "Laughs")."""
    lex, low = lexicon(), tok.lower
    return tok.text[:1].isupper() and low in lex.verb_forms and lex.verb_forms[low] not in lex.quote_only \
        and (low.endswith("s") or low in ("said", "told"))


def _speaker_label(label: str) -> bool:
    """Whether a headline's label may name who spoke (see ``headline``)."""
    words = label.split()
    lex = lexicon()
    return len(label) >= 2 and not label.isupper() and words[0] not in ("The", "A", "An") \
        and label.lower() not in lex.kicker_labels and words[-1].lower() not in lex.column_words \
        and words[0] not in lex.not_names \
        and not any(w.endswith(("’s", "'s")) for w in words)
