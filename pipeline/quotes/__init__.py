"""docs + entities -> ``quotes``: reported quotations, embedded social-media posts, and who said them.

Quotations are read from their marks in each paragraph, then stitched across paragraphs:
- quotation marks are classified from their context (a ``»`` glued to the next word after ``d' `` opens,
  a straight ``"`` opens or closes depending on the spaces around it), matched with a stack so that nested
  ``“ ”`` stay inside the outer quotation, and a quotation still open at the end of a paragraph continues only
  when the next paragraph opens with ``«`` (French convention); otherwise it is reported, with a low
  confidence, as ending with its paragraph, so it never swallows the rest of the article; a run of opening
  marks, marks of one kind left open twice, or more than ``QUOTE_MAX_CHARS`` between the marks is no
  quotation;
- embedded posts are found from their signature line ``– Name (@handle) date`` (also glued to the post's
  last words); the post is the lines above it, up to the previous article paragraph.

Attribution is syntax first, then discourse (see :func:`_attribute`, first hit wins): a signature line under
the quotation (or a credit line "Name, role" that is no paragraph of the article), an inverted cue right
after it (``», souffle X``), an incise inside the marks (``« A, remarque X. B »``), a verb of saying /
``selon`` / ``comme le dit X`` in the same sentence, a ``X … :`` colon introduction; then the same words
quoted earlier, the continuation of the previous quotation, an interview answer, and a speaker named in the
previous sentence. Verbs of saying and the cues of not-quotations (titles, product names, terms,
translations: dropped with their reason, see :func:`extract_quotes_audited`) are data files in
``pipeline/lexicons``. Pronouns and role nouns ("le maire", "le journal", "le Toulousain", "le duo") resolve
to the named person or organisation they stand for; dates, times and places never speak. Entity mentions
from the entity stage are used when present; spaCy's own ents are the fallback.

Detect, then resolve (issue 17):
- detection, per paragraph, in registered spaCy components: ``quote_detector`` writes ``doc.spans["quote"]``
  (the quoted pieces and what the parse says before every mark: cue words, a noun labelling a one-word
  quotation, credit-line paragraphs), ``speech_cue_detector`` ``doc.spans["speech_cue"]`` (verbs of saying
  and source locutions with their subject), ``speaker_candidate_detector`` ``doc.spans["speaker_candidate"]``
  (persons, proper-noun subjects, role nouns as subjects), ``institution_detector``
  ``doc.spans["institution"]`` (institution nouns "lequel" or "ce dernier" may stand for) (all four in
  ``component.py``), and ``quote_attribution_detector`` ``doc.spans["quote_word"]``
  (``attribution_component.py``: the words of the paragraphs the attribution rules read, with the verbs of
  saying, the links the parse gives and, for every word a rule may take for a speaker, the steps naming
  it: ``reference.py``);
- export once to per-article rows (``export.py``: polars frames and plain records in document offsets,
  ``layout.py``); the docs are not read again;
- resolution over the rows, no ``Doc`` (``article.py`` holds the state): stitching quotations across
  paragraphs (``marks``), posts (``posts``), the not-quotation filters (``filters``), signatures and credit
  lines (``signatures``), the article's people (``candidates``), the attribution order (``attribute``), the
  windows around a quotation cut over the word records once the quoted ranges are known (``syntax``,
  ``inversion``), the speaker a word's steps name (``speakers``), antecedents of pronouns and role nouns
  (``antecedents``, ``naming``), continuations and interview answers (``discourse``), rows (``rows``).
Word lists and limits: ``words``, ``verbs``; records: ``records``; tree helpers (detection only): ``tree``;
entry point: ``extract``.
"""

from pipeline.quotes.extract import DROPPED_SCHEMA, extract_quotes, extract_quotes_audited
from pipeline.quotes.verbs import _form_patterns

# ``_form_patterns`` is read by tests/test_regex_linear.py under its old name.
__all__ = ["DROPPED_SCHEMA", "_form_patterns", "extract_quotes", "extract_quotes_audited"]
