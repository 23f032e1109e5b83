"""Is a decoded text an article to process? Not markup, long enough, prose (it has sentences), French
(lingua, judged on the longest lines), and not a paywall teaser or a page without an article."""

from __future__ import annotations

import re

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from pipeline.formats.html import HTML_TAG, looks_like_html
from pipeline.ingest.rejections import Rejection
from pipeline.paragraphs import is_stub

# Languages the detector chooses between: French plus the European languages a French press corpus
# most often receives by mistake (wire copy, syndicated feeds).
CANDIDATE_LANGUAGES = [Language.FRENCH, Language.ENGLISH, Language.GERMAN, Language.SPANISH,
                       Language.ITALIAN, Language.PORTUGUESE, Language.DUTCH]
LANGUAGE_SAMPLE_CHARS = 3000
MIN_WORDS = 30  # below this an article has too little text for any extraction to be meaningful
# What a page that is no article says about itself (pipeline/paragraphs.py ``is_stub`` decides which).
STUB_DETAILS = {
    "paywall_stub": "Once the page chrome is removed, at most a teaser of article text is left and the page "
                    "says the rest is for subscribers.",
    "no_article": "Once the page chrome is removed, at most a teaser of article text is left: a section "
                  "front, an error or a video page, not an article.",
}
# Prose breaks a sentence or a line every few hundred characters; a 20,000-character stretch without
# either is a data dump, a minified file or a corrupted export, and would only feed the parser noise.
MAX_UNPUNCTUATED_CHARS = 20_000
SENTENCE_BREAK = re.compile(r"[.!?;:…\n]")


def check_content(text: str, detector: LanguageDetector) -> tuple[str | None, Rejection | None]:
    """(language code, rejection) for decoded canonical text: HTML, too short, not French, a paywall stub or a
    page without an article (once the page chrome is removed, at most a teaser is left)."""
    if looks_like_html(text):
        tags = len(HTML_TAG.findall(text))
        return None, Rejection("html", f"The text is HTML markup ({tags} tags found) from which no article "
                                       "text could be read.")
    words = len(re.findall(r"\w+", text))
    if words < MIN_WORDS:
        return None, Rejection("too_short", f"Only {words} words of text (at least {MIN_WORDS} needed).")
    run = longest_unpunctuated_run(text)
    if run > MAX_UNPUNCTUATED_CHARS:
        return None, Rejection("no_sentences", f"A stretch of {run:,} characters has no sentence punctuation "
                                               "or line break: this is not article prose.")
    language = detect_language(text, detector)
    if language != "fr":
        what = "could not be determined" if language is None else f"looks like {language!r}"
        return language, Rejection("not_french", f"The language {what}; only French articles are processed.")
    stub = is_stub(text)
    if stub is not None:
        return language, Rejection(stub, STUB_DETAILS[stub])
    return language, None


def longest_unpunctuated_run(text: str) -> int:
    """Length of the longest stretch of ``text`` without sentence punctuation or a line break."""
    longest = previous = 0
    for match in SENTENCE_BREAK.finditer(text):
        longest = max(longest, match.start() - previous)
        previous = match.end()
    return max(longest, len(text) - previous)


def build_language_detector() -> LanguageDetector:
    """The detector, restricted to :data:`CANDIDATE_LANGUAGES` (build once per corpus, it is costly)."""
    return LanguageDetectorBuilder.from_languages(*CANDIDATE_LANGUAGES).build()


def detect_language(text: str, detector: LanguageDetector | None = None) -> str | None:
    """ISO 639-1 code of the text's language, judged on its longest lines (prose, not menus)."""
    detector = detector or build_language_detector()
    language = detector.detect_language_of(language_sample(text))
    return None if language is None else language.iso_code_639_1.name.lower()


class PrefetchedLanguages:
    """A detector that has already judged many texts at once, on every core (lingua's parallel API).

    Language detection was the largest cost of reading a new article; one batch over the new articles
    of a run halves it on two cores. Texts it has not seen go to the wrapped detector.
    """

    def __init__(self, detector: LanguageDetector, texts: list[str]):
        samples = [language_sample(text) for text in texts]
        self._detector = detector
        self._known = dict(zip(samples, detector.detect_languages_in_parallel_of(samples), strict=True))

    def detect_language_of(self, sample: str) -> Language | None:
        if sample in self._known:
            return self._known[sample]
        return self._detector.detect_language_of(sample)


def language_sample(text: str, limit: int = LANGUAGE_SAMPLE_CHARS) -> str:
    """The longest lines up to ``limit`` characters: page chrome is short, article prose is long."""
    sample: list[str] = []
    size = 0
    for line in sorted(text.split("\n"), key=len, reverse=True):
        if size >= limit or not line.strip():
            break
        sample.append(line[: limit - size])
        size += len(sample[-1])
    return "\n".join(sample)


def prefetched(detector: LanguageDetector, texts: list[str]) -> LanguageDetector | PrefetchedLanguages:
    """The batch detector, or the plain one if the batch fails (each file is then judged, and can fail,
    on its own)."""
    try:
        return PrefetchedLanguages(detector, texts)
    except Exception:
        return detector
