"""Temporal expressions (TIMEX) and the reference date of a document.

Detection is rule-based: regular expressions over each paragraph's text (one rule per expression family,
listed in ``_RULES``), longest match wins on overlaps. spaCy is used only for what regexes cannot see:
the tense of the verb governing an expression (``vendredi`` in a past sentence is the last Friday, in a
future sentence the next one) and named entities (a weekday inside a person or organisation name is not
a date). Resolution is done here with ``datetime`` arithmetic; nothing is guessed: an expression that
needs a reference date keeps ``value`` NULL when the document has none.

Resolution rules (``anchor`` says what an expression was resolved against):
- absolute dates carry their own year (``18 novembre 2023``, ``22-11-2023``, ``en 2015``): anchor NULL;
- deictic expressions (``hier``, ``vendredi dernier``, ``il y a huit ans``, ``en mai``, ``le 30 novembre
  dernier``) are resolved against the document's reference date: anchor ``reference_date``;
- a bare weekday or a yearless date takes the nearest occurrence in the direction of the governing verb's
  tense (past or present: on or before the reference date; future: after it);
- ``dans la nuit`` / ``le lendemain`` / ``la veille`` / ``le soir même`` / ``deux jours plus tard`` / ``un an
  plus tôt`` are anaphoric: resolved against the latest day-level date before them in the same paragraph
  or in the paragraph above (anchor = its ``timex_id``), else ``dans la nuit`` falls back on the reference
  date and the others are dropped;
- ``trois ans plus tard`` / ``l'année précédente`` count years from the latest expression with a year;
  ``jusqu'au 28`` after a day is a day of that day's month;
- a time of day belongs to its day (``jeudi à midi``, ``dans la soirée de mercredi`` are the day); a part
  of the day alone (``dans la soirée``) is the day the text was speaking of, like ``dans la nuit``;
- event-anchored expressions (``trois jours avant le scrutin``) take the date the text gives the event
  (``le scrutin du 12 mars``) when it gives one, else are placed from the article's dated event of that
  type once events are known (``pipeline/anchoring.py``); until then, and without one, NULL;
- lines of an embedded social-media post (signed ``– Name (@handle) 18 novembre 2023``) speak from the
  post's date: their deictic expressions are anchored on the signature's timex.
A weekday that contradicts an explicit date keeps the date and gets the flag ``weekday_conflict``.

Detect, then resolve: the ``timex_detector`` spaCy component (``component``) writes each paragraph's
expressions to ``doc.spans["timex"]``, with what resolution will need from the parse (tense, the sentence
a yearless date sits in, the words that name what a day dates) and, for a relative expression, its recipe
(the calculation as data). ``export`` turns them into per-article detected rows once; ``resolve`` and
``rows`` resolve those rows against any reference date without the parse, which is how an undated article
is tried on many candidate days (``pipeline/corpus_dating.py``).

Layout of the package (one responsibility a module; each imports the others absolutely, so that
``pipeline/versions.py`` versions the whole stage):
- ``vocabulary``: French calendar words and the regex fragments rules are written with;
- ``timex``: the structures (``Timex``, ``Recipe``, ``Context``, ``Rule``, ``ReferenceDate``);
- ``normalise``: calendar arithmetic, from an expression to its ISO value; ``recipes``: a recipe applied
  to a base day;
- ``tense``: the tense an expression is read in (``depuis``, ``jusqu'à``, else its verb's tense, from
  ``pipeline/french/tense.py``);
- ``event_offsets``: offsets from an event or a prior date (``trois jours avant le scrutin``);
- ``builders``: what each rule makes of one match; ``rules``: the rule table and its hints;
- ``detect``: every expression of one paragraph; ``posts``: embedded social-media posts;
- ``component``: the registered spaCy component (detection plus the parse facts resolution needs);
- ``export``: the detected rows of an article;
- ``resolve``: values and anchors in reading order, over rows; ``rows``: the ``temporal_expressions`` rows;
- ``stamps``: the reference date of a document from its own text.
"""

from pipeline.temporal.detect import _select, detect
from pipeline.temporal.event_offsets import EventOffset, event_offset
from pipeline.temporal.export import DETECTED_SCHEMA, detect_temporal_expressions, empty_detected
from pipeline.temporal.normalise import REFERENCE_YEARS, VALUE_YEARS, shift
from pipeline.temporal.posts import post_date_paragraphs
from pipeline.temporal.resolve import ArticleTimexes, _resolve_all, _Resolved, resolve_article, values_at
from pipeline.temporal.rows import articles_of, extract_temporal_expressions, resolve_temporal_expressions
from pipeline.temporal.rules import _RULES
from pipeline.temporal.stamps import _DATELINE_LABEL, _dates_in, _page_stamps, reference_date_from_text
from pipeline.temporal.timex import Context, ReferenceDate, Rule, Timex
from pipeline.temporal.vocabulary import ANCHOR_REFERENCE, EVENT_ANCHORED, FLAGS_SEPARATOR

# What other modules import from ``pipeline.temporal``; ``_RULES`` and ``_DATELINE_LABEL`` keep the names
# tests/test_regex_linear.py reports them under, and the private names are those tests and
# ``pipeline/reference_date.py`` import.
__all__ = [
    "ANCHOR_REFERENCE",
    "DETECTED_SCHEMA",
    "EVENT_ANCHORED",
    "FLAGS_SEPARATOR",
    "REFERENCE_YEARS",
    "VALUE_YEARS",
    "_DATELINE_LABEL",
    "_RULES",
    "ArticleTimexes",
    "Context",
    "EventOffset",
    "ReferenceDate",
    "Rule",
    "Timex",
    "_Resolved",
    "_dates_in",
    "_page_stamps",
    "_resolve_all",
    "_select",
    "articles_of",
    "detect",
    "detect_temporal_expressions",
    "empty_detected",
    "event_offset",
    "extract_temporal_expressions",
    "post_date_paragraphs",
    "reference_date_from_text",
    "resolve_article",
    "resolve_temporal_expressions",
    "shift",
    "values_at",
]
