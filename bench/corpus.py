"""Deterministic synthetic corpus: N French articles of realistic length, recombined from the paragraphs
of an input folder with varied names, dates and quotations. Written to a temporary folder, never to seeds/."""

from __future__ import annotations

import random
import re
from pathlib import Path

from pipeline.ingest import read_corpus
from pipeline.paragraphs import split_paragraphs

FIRST_NAMES = [
    "Claire",
    "Julien",
    "Nadia",
    "Marc",
    "Sophie",
    "Karim",
    "Léa",
    "Thomas",
    "Inès",
    "Hugo",
    "Camille",
    "Yanis",
    "Elise",
    "Bruno",
    "Amina",
    "Paul",
    "Chloé",
    "Mehdi",
    "Anne",
    "Louis",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Durand",
    "Lefebvre",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Garcia",
    "Roux",
    "Fontaine",
    "Chevalier",
    "Girard",
    "Bonnet",
    "Mercier",
    "Blanc",
    "Guerin",
]
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
PERSON = re.compile(r"(?<=[a-zé,] )([A-Z][a-zéèï]+) ([A-Z][a-zéèï]+)\b")
FULL_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")
QUOTE = re.compile(r"«([^«»]{20,300})»")


def source_paragraphs(seeds_dir: Path) -> list[str]:
    """The cleaned paragraphs of every article in ``seeds_dir`` (boilerplate already removed)."""
    documents, _ = read_corpus(seeds_dir)
    paragraphs, _ = split_paragraphs(documents)
    return paragraphs["text"].to_list()


SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+(?=[A-ZÀÂÉÈÊÎÔÇ«])")


def sentences_of(paragraphs: list[str]) -> list[str]:
    """Sentences of the source paragraphs: the units articles are rebuilt from."""
    return [s for p in paragraphs for s in SENTENCE_END.split(p) if len(s) > 30]


def make_article(rng: random.Random, pool: list[str], quotes: list[str]) -> str:
    """One article: a heading and 8 to 16 paragraphs of 2 to 4 sentences drawn from ``pool``, with its own
    names, dates and quotations, so that (as in a real corpus) paragraphs almost never repeat."""
    names: dict[str, str] = {}

    def person(match: re.Match) -> str:
        key = match.group(0)
        if key not in names:
            names[key] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        return names[key]

    def date(_: re.Match) -> str:
        return f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2015, 2025)}"

    def quote(_: re.Match) -> str:
        return f"« {rng.choice(quotes).strip()} »"

    body = [" ".join(rng.choice(pool) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(8, 16))]
    text = "\n\n".join(body)
    text = QUOTE.sub(quote, FULL_DATE.sub(date, PERSON.sub(person, text)))
    heading = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} au cœur d'une nouvelle polémique"
    return f"{heading}\n\n{text}\n"


def write_corpus(seeds_dir: Path, out_dir: Path, n_articles: int, seed: int = 0) -> int:
    """Write ``n_articles`` articles to ``out_dir``; returns the number of characters written."""
    rng = random.Random(seed)
    paragraphs = source_paragraphs(seeds_dir)
    pool = sentences_of(paragraphs)
    quotes = [m.group(1) for p in paragraphs for m in QUOTE.finditer(p)] or [
        "Nous verrons bien ce qui se passera."
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n_articles):
        article = make_article(rng, pool, quotes)
        (out_dir / f"article-{i:05d}.txt").write_text(article, encoding="utf-8")
        total += len(article)
    return total
