"""docs -> ``entity_mentions`` / ``entities``: spaCy NER cleaned, merged into canonical entities, relabelled.

Detect, then resolve:

- **detect** (:mod:`~pipeline.entities.component`): the ``entity_detector`` spaCy component reads one parsed
  paragraph and writes ``doc.spans["entity_mention"]``: spaCy's entities trimmed (elided articles, roles and
  titles, stray punctuation), extended (a surname, a hyphenated or English tail, a lower-case street noun),
  non-entities dropped (sentence starts, dates, portfolios, demonyms), handles and post-signature names
  added; each span carries its exact characters and its label evidence from the context (``attrs["votes"]``
  of its group: titles, head nouns, appositions, enumerations, the verb it is the subject or object of). It
  also records the paragraph's lower-case words and the initialisms it defines by common nouns.
- **export** (:mod:`~pipeline.entities.export`): those spans, once, to per-article rows with document
  offsets (through :class:`~pipeline.model.ParsedParagraph`).
- **resolve in the article** (:mod:`~pipeline.entities.resolve`, no doc): drop what the article shows to
  be a common noun (a one-word mention it also writes in lower case, an initialism it defines by common
  nouns), cut a span that is two names it writes apart, trim "La France" to "France" when the bare name is
  there too, tie what the text ties ("Name (@handle)", "X (anciennement Y)", "Nom long (SIGLE)", "la
  fondation X" / "Fondation X") and give each mention a ``local_key`` (:func:`local_keys`: surname-only and
  first-name-only mentions, spacing and case variants, :func:`alias_pairs`). :func:`article_mentions` is
  these three steps: the stage's cacheable per-article rows.
- **resolve in the corpus** (:func:`merge_corpus_rows`, polars rows in, tables out): join those keys across
  articles (same key, a surname or handle that only one entity of the corpus can own), decide each
  entity's label by agreement of all its mentions' votes, pick its display name, build the two tables.

Offsets: candidates live in the parsed paragraph text (runs of spaces collapsed, ``pipeline/collapse.py``)
and become document offsets at export; a mention's ``text`` is the source slice, its ``form`` the parsed
one (single spaces).

The word lists, and the data files ``lexicons/entity_*.txt`` (:mod:`pipeline.entity_lexicons`), are
general French (and common international) vocabulary, each documented where it is declared; none is
specific to a particular article.

Layout (one responsibility a module): ``vocabulary`` (word lists and context patterns), ``records``
(mentions and their rows), ``textutil``, ``acronyms`` (groups merge with ``pipeline/unionfind.py``);
detection: ``filters`` (non-entities), ``votes`` (label evidence from the context), ``candidates`` (spaCy
entities cleaned into candidates), ``component`` (the registered component); ``export``; article resolution:
``resolve``, ``aliases`` (keys inside an article); corpus: ``names`` (labels, display names, keys),
``clusters`` (merges that need all the forms), ``corpus`` (the corpus merge and the two tables); ``document``
(the per-article entry point).
"""

from pipeline.entities.aliases import alias_pairs, local_keys
from pipeline.entities.candidates import clean_entity, extended_end
from pipeline.entities.component import COMPONENT, SPANS_KEY
from pipeline.entities.corpus import merge_corpus, merge_corpus_rows
from pipeline.entities.document import article_mentions, build_entities, document_entities
from pipeline.entities.export import export_rows
from pipeline.entities.records import Mention, mentions_frame
from pipeline.entities.resolve import resolve_mentions
from pipeline.entities.vocabulary import SIGNATURE, URL_LIKE

# ``SIGNATURE`` and ``URL_LIKE`` are read by tests/test_regex_linear.py under their old names.
__all__ = [
    "COMPONENT",
    "SIGNATURE",
    "SPANS_KEY",
    "URL_LIKE",
    "Mention",
    "alias_pairs",
    "article_mentions",
    "build_entities",
    "clean_entity",
    "document_entities",
    "export_rows",
    "extended_end",
    "local_keys",
    "mentions_frame",
    "merge_corpus",
    "merge_corpus_rows",
    "resolve_mentions",
]
