"""docs -> ``entity_mentions`` / ``entities``: spaCy NER cleaned, merged into canonical entities, relabelled.

Two pure steps, so the per-document part can be cached:

- :func:`document_entities` turns one parsed article into :class:`Mention` rows: spaCy entities trimmed
  (elided articles, roles and titles, stray punctuation), non-entities dropped, social-media handles added,
  each mention carrying label evidence (``votes``) from its context and a ``local_key`` that already
  merges what the article itself ties together (surname-only and first-name-only mentions, spacing and
  case variants, "Name (@handle)", "X (anciennement Y)", "Nom long (SIGLE)").
- :func:`merge_corpus` joins those keys across articles (same key, a surname or handle that only one
  entity of the corpus can own), decides each entity's label by agreement of all its mentions' votes,
  picks its display name and builds the two tables.

Before the keys, :func:`document_entities` drops what the article itself shows to be a common noun (a
one-word mention it also writes in lower case, an initialism it defines by common nouns), cuts a span
that is two names it writes apart, and trims "La France" to "France" when the bare name is there too;
:func:`alias_pairs` ties forms that name the same thing whatever the context (articles, plurals,
truncations, initialisms, "Ville de X", periphrases, an event's short form, a parent's name before a coined
one); :func:`_named_with_their_noun` ties "la fondation X" to "Fondation X".

Offsets: candidates live in the parsed paragraph text (runs of spaces collapsed, ``pipeline/collapse.py``)
and become document offsets only through :meth:`ParsedParagraph.doc_span`; a mention's ``text`` is the
source slice, its ``form`` the parsed one (single spaces).

The word lists below, and the data files ``lexicons/entity_*.txt`` (:mod:`pipeline.entity_lexicons`), are
general French (and common international) vocabulary, each documented where it is declared; none is
specific to a particular article.

Layout (one responsibility a module, imported in this order): ``vocabulary`` (word lists and context
patterns), ``records`` (the records passed between steps, and mentions as rows), ``textutil``,
``unionfind``, ``acronyms``; per article: ``filters`` (non-entities), ``votes`` (label evidence from the
context), ``candidates`` (spaCy entities cleaned into candidates), ``aliases`` (merging inside an
article); corpus: ``names`` (labels, display names, keys), ``clusters`` (merges that need all the forms),
``corpus`` (the corpus merge and the two tables); ``document`` (the per-article entry point).
"""

from pipeline.entities.aliases import alias_pairs
from pipeline.entities.candidates import clean_entity, extended_end
from pipeline.entities.corpus import merge_corpus, merge_corpus_rows
from pipeline.entities.document import article_mentions, build_entities, document_entities
from pipeline.entities.records import Mention, mentions_frame
from pipeline.entities.vocabulary import SIGNATURE, URL_LIKE

# ``SIGNATURE`` and ``URL_LIKE`` are read by tests/test_regex_linear.py under their old names.
__all__ = [
    "SIGNATURE",
    "URL_LIKE",
    "Mention",
    "alias_pairs",
    "article_mentions",
    "build_entities",
    "clean_entity",
    "document_entities",
    "extended_end",
    "mentions_frame",
    "merge_corpus",
    "merge_corpus_rows",
]
