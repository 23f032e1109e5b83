"""Attribution inside a quotation's own paragraph, split in two: the ``quote_attribution_detector`` and
``institution_detector`` components read the parse once per paragraph (word records with their links and
the steps naming a speaker; institution nouns), and resolution decides over those records, with no ``Doc``
(the resolution tests below build their records by hand).

French passages written for the purpose.
"""

from __future__ import annotations

import polars as pl
import pytest
import spacy

from pipeline.quotes import attribution_component, component
from pipeline.quotes.article import Article
from pipeline.quotes.attribute import _attribute
from pipeline.quotes.export import (
    CANDIDATE_SCHEMA,
    CUE_SCHEMA,
    ENT_SCHEMA,
    INSTITUTION_SCHEMA,
    MARK_SCHEMA,
    PARAGRAPH_SCHEMA,
    PIECE_SCHEMA,
    TOKEN_SCHEMA,
    QuoteRows,
)
from pipeline.quotes.layout import Layout, ParagraphLayout
from pipeline.quotes.records import _Mention, _RawQuote, _Step, _Word
from pipeline.quotes.speakers import resolve_speaker, speaker_of

ATTRIBUTION = attribution_component.ATTRIBUTION_COMPONENT
INSTITUTION = component.INSTITUTION_COMPONENT


@pytest.fixture(scope="module")
def detected(detected_by):
    """``detected(text, *components)`` -> the paragraph parsed by the real model, then run through them."""
    return detected_by


# --- detection: registered components writing spans and their attributes ---------------------------------

def test_the_attribution_and_institution_factories_are_registered():
    nlp = spacy.blank("fr")
    nlp.add_pipe(ATTRIBUTION)
    nlp.add_pipe(INSTITUTION)
    assert nlp.pipe_names == [ATTRIBUTION, INSTITUTION]


def test_the_attribution_detector_writes_every_word_with_the_verb_and_the_pronoun_it_inverts(detected):
    """« … », assure-t-elle: the verb after the closing mark is read as a verb of saying, linked to its
    inverted subject, whose steps say "a feminine pronoun, to resolve"; the parse decided nothing more."""
    doc = detected("« Le calendrier sera tenu », assure-t-elle.", component.CUE_COMPONENT, ATTRIBUTION)
    assert [(span.start, span.end) for span in doc.spans[attribution_component.WORD_KEY]] == [(0, len(doc))]
    words = attribution_component.words_in(doc)
    assert [w.text for w in words] == [t.text for t in doc]
    verb = next(w for w in words if w.text == "assure")
    assert (verb.lemma, verb.lemma_positional) == ("assurer", "assurer")
    subject = words[verb.subject]
    assert subject.text == "-elle"
    assert [(s.kind, s.gender, s.flag) for s in subject.steps] == [("pronoun", "Fem", False)]
    assert words[0].steps is None  # the opening mark names nobody: no steps


def test_a_paragraph_without_a_mark_is_read_for_its_last_sentence_only(detected):
    """The sentence before a quotation opening the next paragraph is all the rules read of a paragraph
    without marks: "Selon la préfète" is linked to the role noun it introduces, "a déclaré" before it is
    not looked at."""
    text = "Le maire a déclaré la séance ouverte. Selon la préfète, le budget sera tenu."
    doc = detected(text, component.CUE_COMPONENT, ATTRIBUTION)
    (span,) = doc.spans[attribution_component.WORD_KEY]
    assert span.text == "Selon la préfète, le budget sera tenu"
    words = attribution_component.words_in(doc)
    assert next(w for w in words if w.text == "déclaré").lemma is None
    source = words[next(w for w in words if w.text == "Selon").source]
    assert source.text == "préfète"
    assert [s.kind for s in source.steps] == ["mention", "role", "phrase"]
    assert source.steps[-1].word == "préfète"


def test_the_institution_detector_writes_each_institution_noun_with_its_gender_and_its_name(detected):
    doc = detected("La société Lumina a racheté le conseil régional.", INSTITUTION)
    found = [(span.text, genders, steps[-1].kind, steps[-1].word)
             for span, genders, steps in component.institutions_in(doc)]
    assert found == [("société", ("Fem",), "name", "Lumina"),
                     ("conseil", ("Masc",), "phrase", "conseil régional")]


# --- resolution: over records built by hand, no Doc --------------------------------------------------------

def _rows(texts: list[str], words: list[list[_Word]], institutions: list[tuple] = ()) -> QuoteRows:
    """The rows of an article whose paragraphs are ``texts`` (two newlines between them), with the word
    records and institution rows given; the other detections empty."""
    source, paras, start = "", [], 0
    for n, text in enumerate(texts):
        paras.append(ParagraphLayout(f"t:{n}", text, start, start + len(text), None))
        source += text + "\n\n"
        start += len(text) + 2
    starts = [[paras[pi].doc_char_start + w.idx for w in paragraph] for pi, paragraph in enumerate(words)]
    empty = [[] for _ in texts]
    paragraphs = [(n, True, None, None, False) for n in range(len(texts))]
    return QuoteRows(
        Layout("t", source, tuple(paras)), pl.DataFrame(schema=PIECE_SCHEMA),
        pl.DataFrame(schema=MARK_SCHEMA), pl.DataFrame(paragraphs, schema=PARAGRAPH_SCHEMA, orient="row"),
        pl.DataFrame(schema=CUE_SCHEMA), pl.DataFrame(schema=ENT_SCHEMA),
        pl.DataFrame(schema=CANDIDATE_SCHEMA), pl.DataFrame(schema=TOKEN_SCHEMA), [], [], [], empty, empty,
        pl.DataFrame(list(institutions), schema=INSTITUTION_SCHEMA, orient="row"), words, starts)


def _words(text: str, tags: list[tuple[str, str]], **facts: dict) -> list[_Word]:
    """Word records of ``text`` for the (word, tag) pairs in order; ``facts`` by word: lemma, links, steps."""
    out, at = [], 0
    for i, (word, pos) in enumerate(tags):
        at = text.index(word, at)
        record = _Word(i, at, word, word.lower(), pos, "", "", False, pos == "PUNCT", False)
        for name, value in facts.get(word, {}).items():
            setattr(record, name, value)
        out.append(record)
        at += len(word)
    return out


def test_lequel_resolves_over_rows_to_the_last_institution_outside_quotations_agreeing_in_gender():
    texts = ["La société Lumina et le conseil régional ont signé. Lequel a ensuite reculé, laquelle non."]
    text = texts[0]

    def institution(noun: str, gender: str, name: str) -> tuple:
        at = text.index(noun)
        return (0, at, [gender], [{"kind": "phrase", "start": at, "end": at + len(name), "gender": None,
                                   "word": name, "flag": False}])

    rows = _rows(texts, [[]], [institution("société", "Fem", "société Lumina"),
                               institution("conseil", "Masc", "conseil régional")])
    article = Article(rows, [])

    def pronoun(word: str, gender: str) -> str | None:
        speaker = resolve_speaker(article, (_Step("pronoun", text.index(word), gender=gender, flag=True),))
        return speaker.name if speaker else None

    assert (pronoun("Lequel", "Masc"), pronoun("laquelle", "Fem")) == ("conseil régional", "société Lumina")
    article.set_quoted([(text.index("conseil"), text.index("conseil") + 7)])
    assert pronoun("Lequel", "Masc") is None  # the only masculine institution is inside quotation marks


def test_an_inverted_cue_is_read_over_the_records_and_skips_the_words_quoted_after_stitching():
    """« … », assure-t-elle: the pronoun resolves to the woman the paragraph before names; when the words
    after the mark are quoted (a quotation stitched over them), no window is left and nobody is found."""
    texts = ["Claire Vasseur dirige le chantier.", "« Le calendrier sera tenu », assure-t-elle."]
    first_start = len(texts[0]) + 2
    tags = [("«", "PUNCT"), ("Le", "DET"), ("calendrier", "NOUN"), ("sera", "AUX"), ("tenu", "VERB"),
            ("»", "PUNCT"), (",", "PUNCT"), ("assure", "VERB"), ("-t", "PRON"), ("-elle", "PRON"),
            (".", "PUNCT")]
    pronoun_at = first_start + texts[1].index("-elle")
    words = _words(texts[1], tags, assure={"lemma": "assurer", "lemma_positional": "assurer", "subject": 9},
                   **{"-elle": {"steps": (_Step("pronoun", pronoun_at, gender="Fem"),),
                                "name_end": pronoun_at + 5}})
    quote = _RawQuote([(1, 2, texts[1].index(" »"))], (1, 0), (1, texts[1].index("»") + 1), "guillemet")

    def attributed(quoted_after: bool):
        article = Article(_rows(texts, [[], words]), [])
        article.persons = [_Mention(0, 14, None, "Claire Vasseur", "PER", "Fem", True, 0)]
        end = first_start + len(texts[1]) if quoted_after else first_start + texts[1].index("»") + 1
        article.set_quoted([(first_start, end)])
        return _attribute(article, quote, "Le calendrier sera tenu")

    found = attributed(quoted_after=False)
    assert (found.speaker.name, found.cue, found.confidence) == ("Claire Vasseur", "assurer", 0.9)
    assert attributed(quoted_after=True).speaker is None


def test_a_rule_asking_who_a_word_the_component_left_unread_names_fails_loudly():
    article = Article(_rows(["Il pleut."], [[]]), [])
    with pytest.raises(ValueError, match="no speaker steps"):
        speaker_of(article, _Word(0, 0, "Il", "il", "PRON", "nsubj", "", False, False, True))
