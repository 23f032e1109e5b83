"""Date families of real press and agency copy (issue 16): times of day, bare years and months, two-digit
years, event offsets dated by the text. Each table row: text, reference date, expected (surface, value)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.schemas import validate
from pipeline.temporal import extract_temporal_expressions

FRI = dt.date(2023, 11, 24)  # a Friday

# (text, reference date, exact surface of the expression, expected ISO value)
TIMES_OF_DAY = [
    ("Jeudi à midi, le maire a reçu les commerçants.", FRI, "Jeudi à midi", "2023-11-23"),
    ("Le 24 novembre vers 18 h 30, la foule s'est dispersée.", FRI, "Le 24 novembre vers 18 h 30",
     "2023-11-24"),
    ("Mercredi vers 22 h, un incendie s'est déclaré dans l'entrepôt.", FRI, "Mercredi vers 22 h",
     "2023-11-22"),
    ("Jeudi dans la soirée, les pompiers ont maîtrisé le feu.", FRI, "Jeudi dans la soirée", "2023-11-23"),
    ("Dans la soirée de mercredi, la préfecture a levé l'alerte.", FRI, "Dans la soirée de mercredi",
     "2023-11-22"),
    ("Dans la matinée d'hier, les gendarmes ont bouclé le quartier.", FRI, "Dans la matinée d'hier",
     "2023-11-23"),
    ("Le matin du 12 novembre, le cortège est parti de la mairie.", FRI, "Le matin du 12 novembre",
     "2023-11-12"),
    ("Le bateau a quitté le port mardi jusqu'à minuit.", FRI, "mardi jusqu'à minuit", "2023-11-21"),
    # a part of the day alone belongs to the day the text is speaking of, else to the reference day
    ("Le 14 novembre, le conseil a siégé. En fin d'après-midi, il a voté le budget.", FRI,
     "En fin d'après-midi", "2023-11-14"),
    ("Dans la soirée, la circulation a été rétablie sur la rocade.", FRI, "Dans la soirée", "2023-11-24"),
]

YEARS_AND_MONTHS = [
    ("Le chiffre d'affaires a doublé par rapport à 2019, selon le cabinet.", FRI, "2019", "2019"),
    ("Une enquête de 2021 publiée par l'institut le confirme.", FRI, "2021", "2021"),
    ("Le champion de l'édition 2018 a renoncé à défendre son titre.", FRI, "2018", "2018"),
    ("Après des années 2020 et 2021 difficiles, la filière repart.", FRI, "2020", "2020"),
    ("Après des années 2020 et 2021 difficiles, la filière repart.", FRI, "2021", "2021"),
    ("L'usine a ouvert en 1987 près de la gare.", FRI, "en 1987", "1987"),
    ("Les ventes de mars ont reculé de dix pour cent.", FRI, "mars", "2023-03"),
    ("Le marché s'est retourné en mars 97, selon les courtiers.", FRI, "en mars 97", "1997-03"),
    ("Le député a été élu le 3 juin 91 à la surprise générale.", FRI, "le 3 juin 91", "1991-06-03"),
    ("Les étudiants de mai 68 ont occupé la faculté.", FRI, "mai 68", "1968-05"),
    ("L'accord signé en juin 05 expirera bientôt.", FRI, "en juin 05", "2005-06"),
    ("Le budget voté le 15 décembre 95 a été exécuté fin 96.", FRI, "fin 96", "1996"),
    ("Le député, élu en 97 puis battu en 02, brigue un nouveau mandat.", FRI, "en 02", "2002"),
]

# the date the text gives an event places an offset from it
EVENT_OFFSETS = [
    ("Le scrutin s'est tenu le 12 novembre. Trois jours avant le scrutin, les candidats ont débattu.", FRI,
     "Trois jours avant le scrutin", "2023-11-09"),
    ("Deux jours après l'inauguration, le pont a été fermé. L'inauguration a eu lieu le 6 novembre.", FRI,
     "Deux jours après l'inauguration", "2023-11-08"),
    ("Le conseil du 20 novembre a voté le budget. La veille du conseil, les élus se sont réunis.", FRI,
     "La veille du conseil", "2023-11-19"),
]

# counted from the latest date the text gave: years from any expression with a year, days of a month from
# the latest day
FROM_PRIOR_DATES = [
    ("Champion de l'édition 2019 à Vienne, il a gagné de nouveau trois ans plus tard à Oslo.", FRI,
     "trois ans plus tard", "2022"),
    ("En janvier 2023, les ventes ont triplé par rapport à l'année précédente.", FRI, "l'année précédente",
     "2022"),
    ("Le procès, ouvert le lundi 6 novembre, doit durer jusqu'au 28.", FRI, "jusqu'au 28", "2023-11-28"),
    ("Le 3 novembre, la grève a commencé ; le 5 et le 6, les dépôts ont été bloqués.", FRI, "le 6",
     "2023-11-06"),
]

# numbers that count or number something, and names, are not years or months
NEGATIVES = [
    "Le club compte 1950 adhérents et 2010 bénévoles.",
    "Le 3 juin 91 personnes ont signé la pétition.",
    "Le 12 mars 15 salariés ont été licenciés.",
    "Le standard répond au n° 2021 du lundi au vendredi.",
    "Le siège est installé au 2021 avenue des Tilleuls.",
    "La sonde Mars a transmis de nouvelles images.",
    "Mai Lefèvre a pris la présidence du club.",
    "Les enfants jouent dans la cour pendant la journée.",
    "Les pompiers sont intervenus peu après 1 h 30.",
    "Les adolescents consultent leur téléphone en soirée.",
    "Le parking sera gratuit tous les samedis de décembre.",
    "La tarte a été coupée en 12.",
    "Ils ont été 40 à manifester devant la préfecture.",
    "La grève a été reconduite jusqu'au 28.",
]


@pytest.fixture(scope="module")
def extract(parse):
    def _extract(text: str, reference_date: dt.date | None):
        return validate("temporal_expressions",
                        extract_temporal_expressions([parse(text, reference_date=reference_date)]))

    return _extract


@pytest.mark.parametrize(("text", "reference", "surface", "expected"),
                         TIMES_OF_DAY + YEARS_AND_MONTHS + EVENT_OFFSETS + FROM_PRIOR_DATES)
def test_expression_and_value(extract, text, reference, surface, expected):
    frame = extract(text, reference)
    found = {r["text"]: r["value"] for r in frame.iter_rows(named=True)}
    assert surface in found, f"{surface!r} not in {found}"
    assert found[surface] == expected
    for row in frame.iter_rows(named=True):
        assert text[row["doc_char_start"]:row["doc_char_end"]] == row["text"]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_date_in_counts_and_names(extract, text):
    frame = extract(text, FRI)
    assert frame.filter(frame["value"].is_not_null()).is_empty(), frame["text"].to_list()


@pytest.mark.parametrize("text", [
    "Trois jours avant le scrutin, les candidats ont débattu à la télévision.",
    # a day in a sentence that merely mentions the event is not its date
    "Le 16 novembre, le maire a parlé du scrutin. Trois jours avant le scrutin, les candidats ont débattu.",
])
def test_event_offset_without_a_stated_date_stays_null(extract, text):
    frame = extract(text, FRI)
    row = frame.filter(frame["text"].str.contains("avant le scrutin")).row(0, named=True)
    assert (row["text"].lower(), row["value"], row["anchor"]) == ("trois jours avant le scrutin", None, None)


def test_event_offset_is_anchored_on_the_stated_date(extract):
    frame = extract("Le scrutin s'est tenu le 12 novembre. Trois jours avant le scrutin, ils ont débattu.",
                    FRI)
    stated, offset = frame.row(0, named=True), frame.row(1, named=True)
    assert offset["anchor"] == stated["timex_id"]


def test_agency_dateline_date_is_the_nearest_such_day(extract):
    frame = extract("PARIS, 24 novembre (AFP) - Le ministre a annoncé mardi sa démission.",
                    dt.date(2023, 11, 23))
    found = {r["text"]: r["value"] for r in frame.iter_rows(named=True)}
    assert found == {"24 novembre": "2023-11-24", "mardi": "2023-11-21"}


def test_a_street_number_after_a_date_is_not_a_day(extract):
    frame = extract("Le 3 novembre, il a emménagé au 28, rue des Lilas.", FRI)
    assert frame["text"].to_list() == ["Le 3 novembre"]
