"""docs + entities -> ``quotes``: reported quotations, embedded social-media posts, and who said them.

Detection works on the whole document because quotations cross paragraphs:
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

Layout (one responsibility a module, imported in this order): ``words`` and ``verbs`` (word lists, verbs of
saying), ``records`` (the records passed between steps), ``textutil``, ``document`` (one article and its
offsets); detection: ``marks`` (quotation spans), ``posts`` (embedded posts), ``filters`` (not-quotations);
attribution: ``candidates`` and ``speakers`` (speaker naming, anaphora), ``signatures``, ``syntax``,
``discourse``, ``attribute`` (their order); ``rows`` and ``extract`` (the entry point).
"""

from pipeline.quotes.extract import DROPPED_SCHEMA, extract_quotes, extract_quotes_audited
from pipeline.quotes.posts import _SIGNATURE
from pipeline.quotes.verbs import _form_patterns

# ``_SIGNATURE`` and ``_form_patterns`` are read by tests/test_regex_linear.py under their old names.
__all__ = ["DROPPED_SCHEMA", "_SIGNATURE", "_form_patterns", "extract_quotes", "extract_quotes_audited"]
