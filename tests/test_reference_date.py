"""The reference date read from a whole saved page: the stamp next to the headline, never the chrome's dates.

Pages are written for the test (see ``tests/test_article_body.py`` for their shape).
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.reference_date import reference_date_from_text
from tests.test_article_body import page, wrapped

HEADER_DATE = ("   mar. 05/03/2024\n   Le journal numérique du jour\n\n     * Vidéos\n     * Météo\n"
               + "".join(f"     * Rubrique {i}\n" for i in range(8)) + "\n")
TEASERS = ("\n\n   Sur le même thème\n\n   Le maire répond aux critiques\n   20 mars 2024\n\n"
           "   La piscine rouvre ses portes\n   22 mars 2024\n")


def test_publication_label_under_the_headline():
    text = page(header=HEADER_DATE, between="   Publié le 14/03/2024 à 18h32, mis à jour le 15/03/2024\n\n",
                footer=TEASERS)
    date, basis, evidence = reference_date_from_text(text)
    assert (date, basis) == (dt.date(2024, 3, 14), "in_text")
    assert "Publié le 14/03/2024" in evidence


def test_byline_with_a_date_glued_to_the_author_name():
    byline = "   PolitiqueSociétépar Jeanne Martin14 mars 202414 mars 2024\n\n"
    text = page(header=HEADER_DATE, between=byline)
    assert reference_date_from_text(text)[:2] == (dt.date(2024, 3, 14), "in_text")


def test_kicker_timestamp_just_above_the_headline():
    text = page(header=HEADER_DATE + "   Société 09/05/2022 23:08\n\n")
    assert reference_date_from_text(text).date == dt.date(2022, 5, 9)


def test_bare_timestamp_line_after_the_byline():
    text = page(header=HEADER_DATE, between="   Par Jeanne Martin\n   vendredi 15 mars 2024 à 13h38min\n\n")
    assert reference_date_from_text(text).date == dt.date(2024, 3, 15)


@pytest.mark.parametrize("chrome", ["header", "teasers", "comments", "legal"])
def test_dates_of_the_chrome_never_date_the_article(chrome: str):
    """Site-header day, teaser dates, comment dates and legal notices: the page has no stamp: none."""
    parts = {
        "header": {"header": HEADER_DATE},
        "teasers": {"footer": TEASERS},
        "comments": {"footer": "\n\n   Jean B. le 16/03/2024 à 09:15 — Courage aux familles de la vallée.\n"},
        "legal": {"footer": "\n\n   Conformément à la loi du 06/01/1978 modifiée, vous disposez d'un droit "
                            "d'accès.\n"},
    }[chrome]
    assert reference_date_from_text(page(**parts)) == (None, "none", None)


def test_a_stamp_printed_under_the_standfirst():
    standfirst = ("Les élus de Valbrune refusent la fermeture de leur maternité et demandent une réunion "
                  "avec l'agence régionale de santé avant la fin du mois.")
    between = (wrapped(standfirst) + "\n   En partenariat avec Agence Santé Exemple - 14 mars 2024 à 06:15 "
               "| mis à\n   jour le 15 mars 2024 à 15:14 - Temps de lecture :\n\n")
    text = page(header=HEADER_DATE, between=between, footer=TEASERS)
    assert reference_date_from_text(text)[:2] == (dt.date(2024, 3, 14), "in_text")


def test_a_dateline_opening_the_body():
    opening = "   Le conseil municipal de Valbrune"
    text = page(header=HEADER_DATE).replace(opening, "   VALBRUNE, 12 mars 2024 (AFP) - " + opening.strip())
    assert reference_date_from_text(text)[:2] == (dt.date(2024, 3, 12), "in_text")


def test_without_a_stamp_the_latest_date_of_the_body_is_inferred_not_the_teasers():
    text = page(header=HEADER_DATE, footer=TEASERS).replace(
        "lundi soir", "lundi 11 mars 2024 au soir")
    date, basis, evidence = reference_date_from_text(text)
    assert (date, basis) == (dt.date(2024, 3, 11), "inferred")
    assert "11 mars 2024" in evidence


def test_an_update_label_when_the_page_gives_no_publication():
    text = page(header=HEADER_DATE, between="   Mis à jour le 16 mars 2024 à 08h00\n\n", footer=TEASERS)
    assert reference_date_from_text(text)[:2] == (dt.date(2024, 3, 16), "in_text")


def test_a_publication_label_far_above_the_headline_is_still_read():
    """A stamp printed above a long menu: still the article's own, not after the body."""
    text = page(header="   Publié le 14 mars 2024\n\n" + HEADER_DATE.replace("mar. 05/03/2024", "Édition"))
    assert reference_date_from_text(text).date == dt.date(2024, 3, 14)


@pytest.mark.parametrize(("text", "expected"), [
    ("Publié le 12 mars 2024 à 10h30\nMis à jour le 13 mars 2024 à 08h00\n\nLe 2 mars 2024, rien.",
     dt.date(2024, 3, 12)),
    ("Le 3 février 2021, il a signé.\nLe 5 mars 2021, il est parti. En 2030, rien.", dt.date(2021, 3, 5)),
    ("Il est arrivé vendredi, en 2015.", None),
])
def test_texts_without_a_located_article_are_read_as_before(text: str, expected: dt.date | None):
    assert reference_date_from_text(text).date == expected
