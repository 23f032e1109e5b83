"""Every regular expression of the pipeline that sees untrusted text runs in time linear in its input.

Each compiled pattern held by a ``pipeline`` module (at module level, or inside a module-level dict, list,
tuple or rule object) is run with ``finditer`` over pathological 10,000-character lines: repeated fragments
built to make a backtracking engine try every split (the photo-credit line ``(AB   /AB   /…x`` that once
took minutes, a line of ``«``, a line of names glued by dashes, ...) and fragments made of the pattern's own
words. ``finditer`` tries a match at every position, so it covers ``search``, ``match`` and ``fullmatch``
as well. A CPU-time alarm turns a catastrophic case into a failure naming the module, the pattern and the
input instead of a hung suite.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
import signal
from collections.abc import Callable, Iterator

import pytest

import pipeline
from pipeline import line_rules, quotes

LINE_CHARS = 10_000
# A linear pattern scans 10,000 characters in a few milliseconds, even with a long alternation tried at
# every position; a quadratic one needs seconds. The margin absorbs a loaded machine (CPU time is measured).
LIMIT_SECONDS = 0.1
# line_rules.line_rule runs some thirty patterns and a normalisation over the line.
LINE_RULES_LIMIT_SECONDS = 0.5

# Fragments repeated up to LINE_CHARS, then closed by "x" (which most rules cannot end on, so every
# attempt fails and a backtracking engine explores all the ways to split the run). A (prefix, fragment)
# pair puts the run where a rule expects it: inside a photo credit, a post signature, a dateline.
FRAGMENTS: dict[str, str | tuple[str, str]] = {
    "photo_credit": ("(", "AB   /"),
    "photo_credits_repeated": "(AB   /",
    "credit_label": ("Photo : ", "A "),
    "signature_name": ("– ", "Jean "),
    "signature_handle": ("– Jean Dupont (@", "a"),
    "signature_date": ("– Jean Dupont (@jdupont) ", "1 "),
    "signature_glued": ("", "-A(@a) "),
    "dateline": ("Publié le ", " "),
    "clock_then_spaces": ("12h30", " "),
    "html_tag": ("<div ", "a"),
    "open_quotation": ("« ", "mot "),
    "date_then_spaces": ("12/03/2024", " "),
    "letters": "a",
    "capitals": "A",
    "guillemets_spaced": "« ",
    "guillemets": "«",
    "closing_guillemets": "»",
    "straight_quotes": '"',
    "curly_quotes": "“ ",
    "digits_spaced": "1 ",
    "digits": "1",
    "articles": "Le ",
    "de_la": "de la ",
    "handles": "@a",
    "paren_handles": "(@a ",
    "em_dashes": "—",
    "dash_capitals": "-A",
    "dash_space_names": "– Jean ",
    "hyphenated_names": "Jean-",
    "capitalised_words": "Jean ",
    "periods": ". ",
    "dots": "a.",
    "commas": "a, ",
    "colons": "a : ",
    "slashes": "/",
    "dates": "12/",
    "dotted_dates": "1.2.",
    "spaces": " ",
    "no_break_spaces": "\u00a0",
    "newlines": "\n",
    "tabs": "\t ",
    "parentheses": "(",
    "apostrophes": "l'",
    "urls": "www.a",
    "word_dot_fr": "a-b.fr ",
    "hashtags": "#A ",
    "pipes": "| ",
    "bullets": "• ",
    "month_days": "1er janvier ",
    "weekdays": "lundi ",
    "years": "2024 ",
    "hours": "12h30 ",
    "by_lines": "Par Jean ",
}


def _line(fragment: str | tuple[str, str], chars: int = LINE_CHARS) -> str:
    """``fragment`` (after its prefix) repeated to ``chars`` - 1 characters, then ``x``."""
    prefix, body = fragment if isinstance(fragment, tuple) else ("", fragment)
    return (prefix + body * (chars // len(body) + 1))[:chars - 1] + "x"


def _patterns_in(value: object, path: str, depth: int = 0) -> Iterator[tuple[str, re.Pattern[str]]]:
    """Patterns held by ``value``: itself, or inside a dict, list, tuple, set or dataclass instance."""
    if isinstance(value, re.Pattern):
        yield path, value
    elif depth > 3:
        return
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _patterns_in(item, f"{path}[{key!r}]", depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for n, item in enumerate(value):
            yield from _patterns_in(item, f"{path}[{n}]", depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = getattr(value, "name", None)
        for f in dataclasses.fields(value):
            label = f"{path}<{name}>.{f.name}" if isinstance(name, str) else f"{path}.{f.name}"
            yield from _patterns_in(getattr(value, f.name), label, depth + 1)


def _module_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(``module.VARIABLE``, pattern) for every pattern held by a pipeline module, each pattern once."""
    seen: set[int] = set()
    found: list[tuple[str, re.Pattern[str]]] = []
    # every module, including those of the stage packages (``pipeline/ingest/``, ``pipeline/formats/``)
    modules = sorted(info.name.removeprefix("pipeline.")
                     for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."))
    for module_name in modules:
        module = importlib.import_module(f"pipeline.{module_name}")
        for var, value in vars(module).items():
            for path, pattern in _patterns_in(value, f"{module_name}.{var}"):
                if id(pattern) not in seen and isinstance(pattern.pattern, str):
                    seen.add(id(pattern))
                    found.append((path, pattern))
    return found


def _token_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Patterns compiled on first use and matched against one token: the speech verbs' conjugations."""
    return [(f"quotes._form_patterns()<{lemma}>", pattern) for lemma, pattern in quotes._form_patterns()]


def _own_words(pattern: re.Pattern[str]) -> list[str]:
    """The longest literal words of a pattern ("janvier", "selon"): fragments it will try hardest on."""
    source = re.sub(r"\\.", " ", pattern.pattern)
    source = re.sub(r"\[[^\]]*\]", " ", source)
    words = sorted(set(re.findall(r"[^\W\d_]{2,}", source)), key=lambda w: (-len(w), w))
    return words[:3]


# Known catastrophic cases in files other helpers are fixing in this round: (pattern name, input label).
# Strict, so the suite says when the fix has landed and the mark must go.
PENDING_FIXES: dict[tuple[str, str], str] = {}  # (pattern, input) known to fail, with the reason


def _cases() -> Iterator[object]:
    token_inputs = {label: FRAGMENTS[label] for label in ("letters", "capitals", "dash_capitals", "dots")}
    patterns = [(name, pattern, FRAGMENTS) for name, pattern in _module_patterns()]
    patterns += [(name, pattern, token_inputs) for name, pattern in _token_patterns()]
    for name, pattern, fragments in patterns:
        inputs = dict(fragments)
        for word in _own_words(pattern):
            inputs[f"own:{word}_spaced"] = word + " "
            inputs[f"own:{word}_glued"] = word.capitalize() + "-"
        for label, fragment in inputs.items():
            reason = PENDING_FIXES.get((name, label))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(pattern, fragment, id=f"{name}-{label}", marks=marks)


class _TooSlow(Exception):
    pass


def _raise_too_slow(signum: int, frame: object) -> None:
    raise _TooSlow


def _within_cpu_limit(work: Callable[[], object], limit: float) -> None:
    """Run ``work``; raise _TooSlow once it has used ``limit`` seconds of CPU (wall time would count the
    other jobs of a loaded machine). ``re`` checks for signals while it backtracks, so the profiling timer
    interrupts a runaway match."""
    previous = signal.signal(signal.SIGPROF, _raise_too_slow)
    signal.setitimer(signal.ITIMER_PROF, limit)
    try:
        work()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _scan(pattern: re.Pattern[str], text: str) -> Callable[[], object]:
    return lambda: sum(1 for _ in pattern.finditer(text))


def test_the_collector_sees_every_rule_family():
    names = [name for name, _ in _module_patterns()]
    for expected in ("RULE_PATTERNS['photo_credit']", ".SIGNATURE_LINE", ".DATED_SIGNATURE",
                     ".AUTHORED_SIGNATURE", "entities.SIGNATURE", "entities.URL_LIKE",
                     "formats.html.HTML_TAG",
                     "ingest.decoding.CONTROL_CHARS", "ingest.content.SENTENCE_BREAK",
                     "temporal._RULES[0]<full_date>.pattern", "temporal._DATELINE_LABEL"):
        assert any(name.endswith(expected) for name in names), expected
    assert len(_token_patterns()) > 50


def test_the_guard_fails_a_catastrophic_pattern():
    with pytest.raises(_TooSlow):
        _within_cpu_limit(_scan(re.compile(r"(?:a+)+b"), "a" * 40), 0.2)
    # the nested photo-credit pattern the paragraph stage used to have, on the line that broke it
    old_credit = re.compile(r"\(\s*[A-ZÀ-Ý][A-ZÀ-Ý .'&-]+(\s*/\s*[A-ZÀ-Ý][A-ZÀ-Ý .'&-]+)+\s*\)$")
    with pytest.raises(_TooSlow):
        _within_cpu_limit(_scan(old_credit, _line(FRAGMENTS["photo_credit"])), LIMIT_SECONDS)


@pytest.mark.parametrize(("pattern", "fragment"), list(_cases()))
def test_pattern_is_linear_on_a_pathological_line(pattern: re.Pattern[str], fragment: str | tuple[str, str]):
    text = _line(fragment)
    try:
        _within_cpu_limit(_scan(pattern, text), LIMIT_SECONDS)
    except _TooSlow:
        pytest.fail(f"{pattern.pattern[:120]!r} needs more than {LIMIT_SECONDS} s of CPU on {text[:40]!r}… "
                    f"({len(text)} characters)")


@pytest.mark.parametrize("fragment", list(FRAGMENTS.values()), ids=list(FRAGMENTS))
def test_line_rules_are_linear_on_a_pathological_line(fragment: str | tuple[str, str]):
    """The boilerplate line rules as the paragraph stage applies them, including the photo-credit test
    that is code rather than one pattern (``(JANE DOE / AGENCE)``; the old nested pattern never ended on a
    148-character ``(AB   /AB   /… x``). They skip longer lines, so the line has the longest length they
    read."""
    text = _line(fragment, line_rules.MAX_RULE_LINE_CHARS)
    try:
        _within_cpu_limit(lambda: line_rules.line_rule(text), LINE_RULES_LIMIT_SECONDS)
    except _TooSlow:
        pytest.fail(f"line_rule needs more than {LINE_RULES_LIMIT_SECONDS} s of CPU on {text[:40]!r}…")
