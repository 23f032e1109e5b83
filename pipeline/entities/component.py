"""Entity detection as a registered spaCy component: the mention candidates of one paragraph doc.

``entity_detector`` reads one parsed paragraph (tokens, tags, deps, sentences and spaCy's entities) and
writes what needs that parse or only that paragraph:

- ``doc.spans["entity_mention"]``: the mention candidates after the span repairs (names stop at marks and
  function words, lose a role or an elided article, take a surname or a lower-case street noun) and the
  filters that read the parse (sentence starts, dates, portfolios, demonyms, ...), plus handles and
  post-signature names. ``label_`` is spaCy's label ("" for a mention found by rule). The group's
  ``attrs`` hold one list per attribute, in the order of the spans: ``chars`` (paragraph offsets of the
  name's exact characters: a name need not end on a token boundary, "-Emily Chang" is one token), ``votes``
  (label -> weight: what the words and the context say the name is: a role before it, an apposition, an
  enumeration's kind, the verb it is the subject or object of) and ``is_handle``. (Not ``Span``
  extensions: spaCy keys those by the span's characters, and two names glued in one token, "Paris-Berlin",
  cover the same token span.)
- two paragraph facts the article-level filters read: ``doc._.entity_lower_words`` (folded words the
  paragraph writes in lower case) and ``doc._.entity_common_initialisms`` (initialisms it defines by
  common nouns).

Everything that needs the other paragraphs (common nouns written capitalised, glued names, "La France" /
"France", aliases, keys) is resolved over the exported rows (:mod:`pipeline.entities.resolve`).
"""

from __future__ import annotations

import json

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from pipeline.entities.candidates import paragraph_candidates
from pipeline.entities.filters import common_noun_initialisms
from pipeline.entities.records import _Candidate
from pipeline.entities.textutil import _fold

COMPONENT = "entity_detector"
SPANS_KEY = "entity_mention"

Doc.set_extension("entity_lower_words", default=None, force=True)
Doc.set_extension("entity_common_initialisms", default=None, force=True)


@Language.factory(COMPONENT)
def make_entity_detector(nlp: Language, name: str) -> EntityDetector:
    """Factory registered with spaCy: ``nlp.add_pipe("entity_detector")``."""
    return EntityDetector()


class EntityDetector:
    """Writes a paragraph's entity mention candidates to ``doc.spans["entity_mention"]``; never changes the
    tokens or the parse."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # spaCy joins the tokens anew on every access
        candidates = paragraph_candidates(doc, text)
        doc.spans[SPANS_KEY] = SpanGroup(
            doc,
            name=SPANS_KEY,
            spans=[_span(doc, cand) for cand in candidates],
            attrs={
                "chars": [(cand.start, cand.end) for cand in candidates],
                "votes": [dict(sorted(cand.votes.items())) for cand in candidates],
                "is_handle": [cand.is_handle for cand in candidates],
            },
        )
        doc._.entity_lower_words = lower_case_words(doc)
        doc._.entity_common_initialisms = common_noun_initialisms(text)
        return doc


def _span(doc: Doc, cand: _Candidate) -> Span:
    """The tokens covering a candidate, labelled with spaCy's label."""
    covering = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    return Span(doc, covering.start, covering.end, label=cand.ner_label)


def mention_attributes(doc: Doc) -> list[tuple[Span, tuple[int, int], dict[str, float], bool]]:
    """Each detected mention with its attributes: (span, exact characters, votes, is a handle)."""
    group = doc.spans[SPANS_KEY]
    attrs = group.attrs
    return list(zip(group, attrs["chars"], attrs["votes"], attrs["is_handle"], strict=True))


def lower_case_words(doc: Doc) -> list[str]:
    """Folded words of more than two letters the paragraph writes in lower case ("jeux", "gaming"), sorted."""
    return sorted({_fold(token.text) for token in doc if token.text.islower() and len(token.text) > 2})


def votes_json(votes: dict[str, float]) -> str:
    """A mention's votes as the rows store them: JSON of the sorted (label, weight) pairs."""
    return json.dumps(tuple(sorted(votes.items())))
