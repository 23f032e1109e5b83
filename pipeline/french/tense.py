"""The tense of a French verb from spaCy's morphology and the dependency parse: past, present, future,
conditional. Shared by the stages that place a statement in time (temporal expressions, events)."""

from __future__ import annotations

from spacy.tokens import Doc, Token

# Verbs that, in the present and followed by an infinitive, speak of what is to come (``doit recevoir``).
PROSPECTIVE_VERBS = {"devoir", "aller", "compter", "prévoir", "envisager", "espérer", "vouloir", "souhaiter",
                     "apprêter", "projeter", "entendre"}


def governing_verb(doc: Doc, start: int, end: int) -> Token | None:
    """The verb the expression hangs on in the dependency parse (or the sentence's root verb)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(8):
        if (token.pos_ in ("VERB", "AUX") and not (token.i >= span.start and token.i < span.end)
                and not _adjectival_participle(token)):
            return token
        if token.head is token:
            break
        token = token.head
    root = span.sent.root
    return root if root.pos_ in ("VERB", "AUX") else None


def _adjectival_participle(token: Token) -> bool:
    """``une accalmie attendue mardi``: an adjectival participle says nothing of the clause's time."""
    return ("Part" in token.morph.get("VerbForm") and token.dep_ in ("acl", "amod", "nmod")
            and not any(c.dep_.startswith("aux") for c in token.children))


def is_conditional(token: Token) -> bool:
    """Conditional mood, also when the tagger reads a regular conditional as an imperfect.

    ``démissionnerait`` is the infinitive + ``-ait`` (``prendrait``: infinitive minus ``e``); a real
    imperfect (``démissionnait``, ``mourait``) never is.
    """
    if "Cnd" in token.morph.get("Mood"):
        return True
    lemma, form = token.lemma_.lower(), token.text.lower()
    if (token.pos_ in ("VERB", "AUX") and form.endswith(("rait", "raient")) and len(lemma) > 3
            and not form.startswith(lemma[:-2] + "ai")):
        return True  # ``recevrait``, ``serait``, ``viendrait``: not the imperfect ``courait`` / ``montrait``
    if "Imp" not in token.morph.get("Tense") or not lemma.endswith(("er", "ir", "re")):
        return False
    stems = (lemma, lemma[:-1]) if lemma.endswith("re") else (lemma,)
    return any(form in (stem + "ait", stem + "aient", stem + "ais") for stem in stems)


# Simple-future endings of the persons news prose uses (``sera``, ``pleuvra``, ``seront``; ``-rons``/``-rez``
# are left out: ``nous espérons``, ``vous déclarez`` are presents).
_FUTURE_ENDINGS = ("ra", "ront", "rai", "ras")


def _looks_future(token: Token) -> bool:
    """A finite verb with a simple-future ending, which the tagger sometimes reads as a past or present
    (the passé simple it could be confused with, ``montra``, is rare in news)."""
    form = token.text.lower()
    return ("Fin" in token.morph.get("VerbForm") and "Cnd" not in token.morph.get("Mood") and len(form) > 3
            and form.endswith(_FUTURE_ENDINGS))


def verb_tense(verb: Token | None) -> str:
    """``past`` / ``future`` / ``present`` / ``conditional`` / ``unknown`` from the verb and its
    auxiliaries' morphology."""
    if verb is None:
        return "unknown"
    auxiliaries = [c for c in verb.children if c.dep_.startswith("aux") or c.dep_ == "cop"]
    group = [verb, *auxiliaries]
    tenses = {t for tok in group for t in tok.morph.get("Tense")}
    if "Fut" in tenses or any(_looks_future(tok) for tok in group):
        return "future"
    if verb.head is not verb and verb.head.lemma_ == "aller" and "Inf" in verb.morph.get("VerbForm"):
        return "future"
    if any(c.lemma_ == "aller" and "Inf" in verb.morph.get("VerbForm") for c in auxiliaries):
        return "future"
    if is_conditional(verb):
        return "conditional"  # ``il rencontrerait jeudi``: the future of a past, or a hypothesis
    conditional_auxiliaries = [c for c in auxiliaries if is_conditional(c)]
    if conditional_auxiliaries:  # ``serait publié`` (passive) looks ahead; ``aurait rencontré``: hedged past
        return "conditional" if all(c.dep_ == "aux:pass" for c in conditional_auxiliaries) else "past"
    if "Part" in verb.morph.get("VerbForm") and auxiliaries:
        passive_present = all(c.dep_ == "aux:pass" and "Pres" in c.morph.get("Tense") for c in auxiliaries)
        return "present" if passive_present else "past"  # ``est prévue`` is present, ``est arrivé`` past
    if ("Inf" in verb.morph.get("VerbForm") and verb.head is not verb
            and verb.head.lemma_.lower() in PROSPECTIVE_VERBS and "Pres" in verb.head.morph.get("Tense")):
        return "future"  # ``doit recevoir vendredi``, ``compte annoncer lundi``
    if tenses & {"Past", "Imp"}:
        return "past"
    if "Pres" in tenses:
        return "present"
    if "Part" in verb.morph.get("VerbForm"):
        return "past"
    return "unknown"
