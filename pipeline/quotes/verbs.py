"""Verbs of saying: the lemmas and locutions of ``reporting_verbs.txt``, and the lemma of a token when
spaCy's lemmatiser misses a conjugated form (irregular forms, ``-er``/``-ir`` endings).
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Token

from pipeline.quotes.words import AUXILIARY_FORMS, _lexicon_lines


def _reporting_verbs() -> tuple[frozenset[str], frozenset[tuple[str, str]], frozenset[str]]:
    """(lemmas of verbs of saying, (governor, governed) locutions, lemmas that are verbs of saying only
    right after a quotation or in an incise) from ``reporting_verbs.txt``; a pronominal entry
    ("s'insurger") matches on its verb's lemma."""
    single, pairs, positional = set(), set(), set()
    for entry in _lexicon_lines("reporting_verbs.txt"):
        if entry.startswith("~"):
            positional.add(entry[1:].strip())
            continue
        words = entry.split()
        if words[0] == "s'en":
            words = words[1:]
        elif words[0] == "se" or words[0].startswith("s'"):
            lemma = words[1] if words[0] == "se" else words[0][2:]
            single.add(lemma)
            words = [lemma, *words[2 if words[0] == "se" else 1:]]
        if len(words) == 1:
            single.add(words[0])
        else:
            pairs.add((words[0], words[-1]))
    return frozenset(single), frozenset(pairs), frozenset(positional)


# Verbs of saying (déclarer, souffler, tempérer, s'insurger, ...) from the lexicon file: a token is one when
# spaCy's lemma is listed, or when its form is a conjugation of a listed verb (spaCy's French lemmatiser
# misses some forms, e.g. "estime" -> "estime", and tags some inverted verbs as nouns).
SPEECH_VERBS, SPEECH_VERB_PAIRS, POSITIONAL_SPEECH_VERBS = _reporting_verbs()
# Source locutions ("selon", "d'après", "aux yeux de"): the noun phrase that follows is the speaker.
SOURCE_LOCUTIONS = tuple(sorted(_lexicon_lines("reporting_sources.txt"), key=len, reverse=True))

# Conjugated forms of the irregular speech verbs above (regular -er verbs are conjugated by rule).
_IRREGULAR_FORMS = {
    "dire": r"di(s|t|sent|se|sait|saient|sant|ra|rait|raient|rent|tes)",
    "écrire": r"écri(s|t|vent|ve|vait|vaient|vant|ra|rait|vit|virent)",
    "conclure": r"conclu(s|t|ent|e|ait|aient|ant|ra|rait|rent)?",
    "reconnaître": r"reconn(aît|ait|ais|aissent|aissait|aissaient|aissant|u|ue|ut|urent|aîtra|aîtrait)",
    "répondre": r"répond(s|ent|e|ait|aient|ant|ra|rait|it|irent|u)?",
    "prévenir": r"prév(iens|ient|iennent|enait|enaient|enant|enu|int|iendra|iendrait)",
    "admettre": r"adm(et|ets|ettent|ettait|ettant|is|it|irent|ettra|ettrait)",
    "promettre": r"prom(et|ets|ettent|ettait|ettant|is|it|irent|ettra|ettrait)",
    "soutenir": r"sout(iens|ient|iennent|enait|enant|enu|int|iendra|iendrait)",
    "avertir": r"avert(it|is|issent|issait|issant|i|ira|irait)",
    "réagir": r"réag(it|is|issent|issait|issant|i|ira|irait)",
    "poursuivre": r"poursui(t|s|vent|vait|vant|vi|vit)",
    "reprendre": r"repr(end|ends|ennent|enait|enant|is|it|endra)",
    "démentir": r"dém(ent|ens|entent|entait|entant|enti|entit)",
    "prédire": r"prédi(t|s|sent|sait|sant|ra|rait)",
    "plaindre": r"plai(nt|ns|gnent|gnait|gnant)",
    "conseiller": r"conseill(e|ent|ait|ant|é|a)",
    "sourire": r"souri(s|t|ent|ait|aient|ant|ra|rait)?",
    "rire": r"ri(s|t|ent|ait|aient|ant|ra|rait)?",
    "convenir": r"conv(iens|ient|iennent|enait|enaient|enant|enu|int|iendra|iendrait)",
    "maintenir": r"maint(iens|ient|iennent|enait|enant|enu|int|iendra|iendrait)",
    "croire": r"cr(ois|oit|oient|oyait|oyaient|oyant|u|ut|urent|oira|oirait)",
    "décrire": r"décri(s|t|vent|ve|vait|vaient|vant|ra|rait|vit|virent)",
    "redire": r"redi(s|t|sent|se|sait|saient|sant|ra|rait|rent)",
    "craindre": r"crai(ns|nt|gnent|gnait|gnaient|gnant|gnit)",
    "se plaindre": r"plai(nt|ns|gnent|gnait|gnant)",
    "dépeindre": r"dépei(ns|nt|gnent|gnait|gnant)",
    "interrompre": r"interromp(s|t|ent|ait|ant|u|it)",
    "abattre": r"abat(s|t|tent|tait|tant|tu|tit)",
}
_IR_ENDINGS = r"(is|it|issons|issez|issent|issais|issait|issaient|issant|i|ie|is|ies|ir|ira|irait|irent|ît)"
_ER_ENDINGS = (r"(e|es|ent|ons|ez|ais|ait|aient|ions|iez|ant|é|ée|és|ées|er|era|erai|eras|erons|erez|eront"
               r"|erait|eraient|a|as|ai|âmes|èrent|ât)")


def _speech_lemma(tok: Token, positional: bool = False) -> str | None:
    """The speech-verb lemma of ``tok`` (including "laisser entendre"), else None.

    ``positional``: the token stands where only a verb can (right after ``», `` or in an incise), so its
    part-of-speech tag, often wrong on inverted verbs ("souffle", "tempère" tagged as nouns), is not asked."""
    after_auxiliary = tok.i > 0 and tok.nbor(-1).lower_ in AUXILIARY_FORMS
    if tok.pos_ not in ("VERB", "AUX") and not after_auxiliary and not positional:
        return None
    if not tok.text[:1].islower():
        return None
    lemma = tok.lemma_.lower()
    if tok.head.i != tok.i and (tok.head.lemma_.lower(), lemma) in SPEECH_VERB_PAIRS:
        return f"{tok.head.lemma_.lower()} {lemma}"
    for child in tok.children:
        if (lemma, child.lower_) in SPEECH_VERB_PAIRS or (lemma, child.lemma_.lower()) in SPEECH_VERB_PAIRS:
            return f"{lemma} {child.lower_}"
    if lemma in SPEECH_VERBS or (positional and lemma in POSITIONAL_SPEECH_VERBS):
        return lemma
    found = _lemma_from_form(tok.lower_)
    return found if found is not None and (positional or found not in POSITIONAL_SPEECH_VERBS) else None


@cache
def _lemma_from_form(form: str) -> str | None:
    """Speech-verb lemma of a conjugated form; cached, as the same few hundred forms recur everywhere."""
    return next((lemma for lemma, pattern in _form_patterns() if pattern.fullmatch(form)), None)


@cache
def _form_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(lemma, compiled pattern) in matching order: irregular verbs first, then regular -er and -ir verbs.

    Compiled once: building a pattern per token overflowed ``re``'s cache and dominated quote attribution.
    """
    patterns = [(lemma.split()[-1], re.compile(pattern)) for lemma, pattern in _IRREGULAR_FORMS.items()]
    irregular = {lemma.split()[-1] for lemma in _IRREGULAR_FORMS}
    for lemma in sorted((SPEECH_VERBS | POSITIONAL_SPEECH_VERBS) - irregular):
        if lemma.endswith("er"):
            patterns.append((lemma, re.compile(_er_stem(lemma[:-2]) + _ER_ENDINGS)))
        elif lemma.endswith("ir"):
            patterns.append((lemma, re.compile(re.escape(lemma[:-2]) + _IR_ENDINGS)))
    return tuple(patterns)


def _er_stem(stem: str) -> str:
    """Pattern of the stem of a first-group verb with its spelling changes: c/ç (avancer: avançait),
    g/ge (exiger: exigeait), é/è and e/è before the last consonants (tempérer: tempère, relever: relève),
    and a doubled l or t (appeler: appelle)."""
    pattern = re.escape(stem)
    pattern = re.sub(r"c$", "[cç]", pattern)
    pattern = re.sub(r"g$", "ge?", pattern)
    pattern = re.sub(r"[ée](?=[^aeiouyéèê\[\]]+$)", "[éeè]", pattern)
    pattern = re.sub(r"([lt])$", r"\1\1?", pattern)
    return pattern
