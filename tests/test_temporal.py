"""Temporal expressions: a table of French expressions with their reference date and expected value."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.schemas import validate
from pipeline.temporal import extract_temporal_expressions, reference_date_from_text

WED = dt.date(2024, 3, 13)  # a Wednesday, ISO week 2024-W11
THU_JAN = dt.date(2023, 1, 5)  # a Thursday just after New Year

# (sentence, reference date, a fragment of the expected expression, expected ISO value)
CASES = [
    # absolute dates
    ("Le sommet s'est tenu le 18 novembre 2023.", WED, "18 novembre 2023", "2023-11-18"),
    ("La loi a été votée le 22-11-2023.", WED, "22-11-2023", "2023-11-22"),
    ("Le décret date du 17/11/2023.", WED, "17/11/2023", "2023-11-17"),
    ("Le jugement est daté du 2024-05-06.", WED, "2024-05-06", "2024-05-06"),
    ("Le traité a été signé le 3 septembre 1783.", WED, "3 septembre 1783", "1783-09-03"),
    ("Il est né le 5 juin 1980.", WED, "5 juin 1980", "1980-06-05"),
    ("Le texte est entré en vigueur le 1er janvier 2024.", WED, "1er janvier 2024", "2024-01-01"),
    ("Le 8 mai 1945, l'Allemagne a capitulé.", WED, "8 mai 1945", "1945-05-08"),
    ("Le 31 décembre 2023 à 23 h 59, le compte à rebours a commencé.", WED, "31 décembre 2023", "2023-12-31"),
    ("Le jeudi 7 mars 2024, la grève a été très suivie.", WED, "7 mars 2024", "2024-03-07"),
    ("Le 14 juillet 2023, le défilé a eu lieu sous la pluie.", WED, "14 juillet 2023", "2023-07-14"),
    ("Le colloque s'est ouvert le 12 sept. 2022 à Lyon.", WED, "12 sept. 2022", "2022-09-12"),
    ("Le rapport a été remis en novembre 2023.", WED, "novembre 2023", "2023-11"),
    ("Mi-mars 2023, la banque a fait faillite.", WED, "mars 2023", "2023-03"),
    ("L'entreprise a été fondée en 2015.", WED, "en 2015", "2015"),
    ("En 1998, la France a gagné la Coupe du monde.", WED, "En 1998", "1998"),
    ("Depuis 2019, il dirige le club.", WED, "2019", "2019"),
    ("D'ici 2030, le parc sera renouvelé.", WED, "2030", "2030"),
    ("Jusqu'en 2030, les travaux vont durer.", WED, "2030", "2030"),
    ("Fin 2022, la société comptait cent salariés.", WED, "2022", "2022"),
    ("Entre 2010 et 2015, la production a doublé.", WED, "2010", "2010"),
    ("Entre 2010 et 2015, la production a doublé.", WED, "2015", "2015"),
    ("Au printemps 2021, le chantier a démarré.", WED, "printemps 2021", "2021"),
    ("Au premier trimestre 2024, les ventes ont baissé.", WED, "trimestre 2024", "2024"),
    ("Le lundi de Pâques 2018, les éboueurs ont travaillé.", WED, "Pâques 2018", "2018-04-02"),
    ("Les commerces fermeront le lundi de Pâques.", WED, "Pâques", "2024-04-01"),
    ("La réforme sera votée avant la Pentecôte.", WED, "Pentecôte", "2024-05-19"),
    ("La Pentecôte dernière reste dans les mémoires.", WED, "Pentecôte", "2023-05-28"),
    ("Au premier trimestre 2023, les ventes ont progressé.", WED, "trimestre 2023", "2023"),
    ("Dans les années 1990, la ville a beaucoup changé.", WED, "années 1990", "199"),
    ("Au XIXe siècle, le village comptait mille habitants.", WED, "XIXe siècle", "18"),
    ("Du 12 au 15 mars 2024, le salon accueille le public.", WED, "15 mars 2024", "2024-03-15"),
    ("Du 12 au 15 mars 2024, le salon accueille le public.", WED, "12", "2024-03-12"),
    # days relative to the reference date
    ("Aujourd'hui, le ministre s'exprime devant les députés.", WED, "Aujourd'hui", "2024-03-13"),
    ("Elle était absente hier.", WED, "hier", "2024-03-12"),
    ("Le vote a eu lieu avant-hier.", WED, "avant-hier", "2024-03-11"),
    ("Le verdict sera rendu demain.", WED, "demain", "2024-03-14"),
    ("Dès demain, les bus circuleront de nouveau.", WED, "demain", "2024-03-14"),
    ("Après-demain, la grève commencera.", WED, "Après-demain", "2024-03-15"),
    ("Ce matin, les syndicats ont manifesté.", WED, "Ce matin", "2024-03-13"),
    ("Hier soir, le match a été annulé.", WED, "Hier soir", "2024-03-12"),
    ("Ce soir, le président s'adressera aux Français.", WED, "Ce soir", "2024-03-13"),
    ("Cette nuit, un séisme a frappé la région.", WED, "Cette nuit", "2024-03-13"),
    ("Cet après-midi, le Sénat vote le budget.", WED, "Cet après-midi", "2024-03-13"),
    # weekdays: tense decides the direction
    ("Il est arrivé vendredi.", WED, "vendredi", "2024-03-08"),
    ("Il a parlé vendredi dernier.", WED, "vendredi dernier", "2024-03-08"),
    ("Nous partirons lundi prochain.", WED, "lundi prochain", "2024-03-18"),
    ("Samedi, des milliers de manifestants ont défilé.", WED, "Samedi", "2024-03-09"),
    ("Dimanche, les électeurs ont voté.", WED, "Dimanche", "2024-03-10"),
    ("Mercredi, le gouvernement a présenté son plan.", WED, "Mercredi", "2024-03-13"),
    ("Mercredi prochain, le gouvernement présentera son plan.", WED, "Mercredi prochain", "2024-03-20"),
    ("Le sommet aura lieu jeudi.", WED, "jeudi", "2024-03-14"),
    ("Il partira samedi.", WED, "samedi", "2024-03-16"),
    ("Le ministre va annoncer sa décision lundi.", WED, "lundi", "2024-03-18"),
    ("Mardi vers 21 h 45, un accident s'est produit sur l'autoroute.", WED, "21 h 45", "2024-03-12"),
    ("Jeudi matin, les grévistes ont bloqué le dépôt.", WED, "Jeudi matin", "2024-03-07"),
    ("Lundi soir, le conseil municipal s'est réuni.", WED, "Lundi soir", "2024-03-11"),
    ("Dans la nuit de samedi à dimanche, un incendie a ravagé l'entrepôt.", WED, "nuit de samedi",
     "2024-03-09"),
    # yearless dates: the year comes from the reference date and the tense
    ("Le défilé a eu lieu le 1er mai.", WED, "1er mai", "2023-05-01"),
    ("Le magasin ouvrira le 1er mai.", WED, "1er mai", "2024-05-01"),
    ("Le chanteur a sorti son album le 30 novembre dernier.", WED, "30 novembre dernier", "2023-11-30"),
    ("Le concert aura lieu le 30 novembre prochain.", WED, "30 novembre prochain", "2024-11-30"),
    ("La réunion s'est tenue mardi 20 février.", WED, "20 février", "2024-02-20"),
    ("Le mardi 5 mars, le conseil s'est réuni.", WED, "5 mars", "2024-03-05"),
    ("Le 2 avril, le tribunal rendra sa décision.", WED, "2 avril", "2024-04-02"),
    ("Le 2 février, le tribunal a rendu sa décision.", WED, "2 février", "2024-02-02"),
    ("Le 20 mars, le tribunal a rendu sa décision.", WED, "20 mars", "2023-03-20"),
    ("Le 28 décembre, il a été hospitalisé.", THU_JAN, "28 décembre", "2022-12-28"),
    ("À Noël, les familles se sont réunies.", WED, "Noël", "2023-12-25"),
    ("En mai, il a témoigné devant le Sénat.", WED, "En mai", "2023-05"),
    ("En janvier, les ventes ont chuté.", WED, "En janvier", "2024-01"),
    ("Il reviendra en septembre.", WED, "en septembre", "2024-09"),
    ("Début février, la neige est tombée.", WED, "février", "2024-02"),
    ("Elle a été élue en octobre dernier.", WED, "octobre dernier", "2023-10"),
    # weeks, months, years, seasons relative to the reference date
    ("Cette semaine, le Parlement examine le texte.", WED, "Cette semaine", "2024-W11"),
    ("La semaine dernière, il a démissionné.", WED, "semaine dernière", "2024-W10"),
    ("La semaine dernière, la Bourse a chuté.", THU_JAN, "semaine dernière", "2022-W52"),
    ("La semaine prochaine, le texte sera voté.", WED, "semaine prochaine", "2024-W12"),
    # ``ce week-end`` is the weekend the tense points to: just past on a Wednesday in a past sentence
    ("Ce week-end, il a plu sur toute la région.", WED, "week-end", "2024-W10"),
    ("Ce week-end, il pleuvra sur toute la région.", WED, "week-end", "2024-W11"),
    ("Le scrutin de ce week-end était très suivi.", dt.date(2024, 11, 25), "week-end", "2024-W47"),
    # the press's present names the nearest such day, often the coming one
    ("Météo-France annonce des rafales lundi.", dt.date(2022, 8, 14), "lundi", "2022-08-15"),
    ("Vendredi, la ministre doit recevoir les syndicats.", dt.date(2023, 11, 23), "Vendredi", "2023-11-24"),
    ("Une nocturne est prévue le 15 décembre.", dt.date(2022, 12, 5), "15 décembre", "2022-12-15"),
    ("Le tarif est plafonné jusqu'au 31 août.", dt.date(2025, 7, 3), "31 août", "2025-08-31"),
    # a yearless date takes the year its sentence states
    ("L'an dernier, le marché avait fermé le 20 décembre.",
     dt.date(2022, 12, 5), "20 décembre", "2021-12-20"),
    ("Dans la nuit du 2 au 3 février 2019, l'immeuble a brûlé.", WED, "nuit du 2", "2019-02-02"),
    ("Le théâtre, fermé de janvier à août, a rouvert.", dt.date(2019, 10, 4), "janvier", "2019-01"),
    ("Le théâtre, fermé de janvier à août, a rouvert.", dt.date(2019, 10, 4), "août", "2019-08"),
    ("Depuis le début du mois, le trafic a baissé.", WED, "début du mois", "2024-03"),
    ("Le ministre a dit qu'il rencontrerait les syndicats jeudi.",
     dt.date(2024, 11, 25), "jeudi", "2024-11-28"),
    ("Le vent souffle encore, avant une accalmie attendue mardi.",
     dt.date(2022, 8, 14), "mardi", "2022-08-16"),
    ("Le club est privé de victoire depuis février.", dt.date(2024, 9, 16), "février", "2024-02"),
    ("Le décret ne serait pas publié avant la mi-décembre.", dt.date(2023, 11, 23), "décembre", "2023-12"),
    ("Selon le parquet, il aurait rencontré la victime jeudi.", dt.date(2024, 11, 25), "jeudi", "2024-11-21"),
    ("Les secours espèrent finir à la fin de la semaine.", WED, "fin de la semaine", "2024-W11"),
    ("Le week-end dernier, la fête a réuni des milliers de personnes.", WED, "week-end dernier", "2024-W10"),
    ("Le mois dernier, les prix ont augmenté.", WED, "mois dernier", "2024-02"),
    ("Le mois dernier, les prix ont augmenté.", THU_JAN, "mois dernier", "2022-12"),
    ("Le mois prochain, la réforme entre en vigueur.", WED, "mois prochain", "2024-04"),
    ("L'année dernière, le chômage a baissé.", WED, "année dernière", "2023"),
    ("L\u2019an dernier, la récolte a été mauvaise.", WED, "an dernier", "2023"),
    ("L'an prochain, les impôts baisseront.", WED, "an prochain", "2025"),
    ("Cette année, le festival attire du monde.", WED, "Cette année", "2024"),
    ("En fin d'année, les comptes seront publiés.", WED, "fin d'année", "2024"),
    ("L'été dernier, la sécheresse a frappé.", WED, "été dernier", "2023"),
    ("Cet hiver, les stations ont manqué de neige.", WED, "hiver", "2023"),
    ("Cet été, la plage sera surveillée.", WED, "été", "2024"),
    ("Il a indiqué qu'il recevrait les syndicats vendredi.", dt.date(2018, 4, 3), "vendredi", "2018-04-06"),
    ("Gardez vos déchets au moins jusqu'à ce week-end.", dt.date(2018, 4, 3), "week-end", "2018-W14"),
    ("La vigilance a été maintenue jusqu'à dimanche.", dt.date(2022, 8, 18), "dimanche", "2022-08-21"),
    ("Le tarif reste plafonné jusqu'à la fin du mois de mars.", dt.date(2024, 2, 22), "mars", "2024-03"),
    # offsets
    ("Il y a trois jours, un incendie s'est déclaré.", WED, "trois jours", "2024-03-10"),
    ("Il y a quinze jours, elle a été élue.", WED, "quinze jours", "2024-02-27"),
    ("Il y a 10 jours, le navire a coulé.", WED, "10 jours", "2024-03-03"),
    ("Il y a huit ans, il fondait sa société.", WED, "huit ans", "2016"),
    ("Il y a un an, la centrale a redémarré.", WED, "un an", "2023"),
    ("Il y a deux semaines, le maire a parlé.", WED, "deux semaines", "2024-W09"),
    ("Il y a six mois, l'usine a fermé.", WED, "six mois", "2023-09"),
    ("Voici deux ans, le projet a été lancé.", WED, "deux ans", "2022"),
    ("Dans deux semaines, les élèves seront en vacances.", WED, "deux semaines", "2024-W13"),
    ("Dans trois jours, le verdict tombera.", WED, "trois jours", "2024-03-16"),
    ("Il y a 48 heures, le suspect a été interpellé.", WED, "48 heures", "2024-03-11"),
    ("En fin de semaine dernière, le maire a démissionné.", WED, "semaine dernière", "2024-W10"),
    # anaphoric: resolved against the previous explicit date
    ("Le 12 mars 2024, le juge a statué. Le lendemain, l'avocat a fait appel.", WED, "lendemain",
     "2024-03-13"),
    ("Le 5 janvier 2024, la crue a commencé. La veille, il avait beaucoup plu.", WED, "veille", "2024-01-04"),
    ("Le 3 mars 2024, le maire a été élu. Deux jours plus tard, il a démissionné.", WED, "plus tard",
     "2024-03-05"),
    ("Le 3 mars 2024, le stade a rouvert. Trois semaines auparavant, il était fermé.", WED, "auparavant",
     "2024-02-11"),
    ("Le 10 février 2024, le club a été racheté.\nLe lendemain, l'entraîneur a été limogé.", WED, "lendemain",
     "2024-02-11"),
    # more deictic phrases
    ("Au début du mois, le club a recruté un attaquant.", WED, "début du mois", "2024-03"),
    ("À la fin de l'année, la société sera vendue.", WED, "fin de l'année", "2024"),
    ("D'ici à 2030, la ville veut planter mille arbres.", WED, "2030", "2030"),
    ("À l'horizon 2035, toutes les voitures neuves seront électriques.", WED, "2035", "2035"),
    # a stated weekday picks the year (reference year ± 1) whose calendar agrees with it, whatever the tense
    ("Le festival a lieu le samedi 14 septembre.", dt.date(2023, 11, 20), "14 septembre", "2024-09-14"),
    ("Le marché ouvre le samedi 10 juin.", WED, "10 juin", "2023-06-10"),
    ("La foire se tient le dimanche 6 octobre.", THU_JAN, "6 octobre", "2024-10-06"),
    # a date beside a place word stays a date when it opens a range, and a weekday after a title is one
    ("Les trains ne s'arrêtent pas à la gare du 3 au 10 mars.", WED, "3", "2024-03-03"),
    ("Il lit La Gazette Dimanche. Dimanche, il a voté.", WED, "Dimanche", "2024-03-10"),
]

# Sentences with numbers, durations, names or habits but no date a reader could place on a calendar.
NEGATIVES = [
    "Posté il y a 3 heures par un lecteur.",
    "Le marché de Noël attire chaque année des milliers de visiteurs.",
    "L'hiver, les routes de montagne sont souvent fermées.",
    "Quelques années après avoir quitté le club, il est revenu comme entraîneur.",
    "La vidéo dure 2min.",
    "L'homme de 38 ans a été interpellé.",
    "L'État a investi 13 milliards d'euros.",
    "Au total, 505 des 700 salariés ont signé la lettre.",
    "Sam a pris la parole devant les élèves.",
    "Mai Nguyen a été élue présidente de l'association.",
    "Il a travaillé pendant trois ans dans la banque.",
    "Il y a trois semaines de congés à poser.",
    "Le monde de demain sera numérique.",
    "Le refuge se trouve à 2000 mètres d'altitude.",
    "Les clients viennent du lundi au vendredi.",
    "Le mardi, le marché s'installe sur la place.",
    "Il a couru 42 km en 3 heures.",
    "Le Père Noël a apporté des cadeaux.",
    "La liste a obtenu 1500 voix.",
    "Plus de 2000 personnes ont manifesté.",
    # streets, squares and schools named after a date; weekdays in a title
    "Il habite rue du 8-Mai-1945 depuis dix ans.",
    "Un accident s'est produit avenue du 11-Novembre.",
    "Le rassemblement a eu lieu place du 14 Juillet.",
    "Il a vendu sa maison boulevard du 8 Mai 1945.",
    "Le cortège est passé par l'avenue du 11 novembre 1918.",
    "Les élèves du lycée du 4 Septembre ont défilé.",
    "Il a confié au Courrier du Dimanche qu'il partirait.",
    "Il écrit dans La Gazette Dimanche depuis des années.",
]


@pytest.fixture(scope="module")
def extract(parse):
    def _extract(text: str, reference_date: dt.date | None, doc_id: str = "t"):
        return extract_temporal_expressions([parse(text, reference_date=reference_date, doc_id=doc_id)])

    return _extract


@pytest.mark.parametrize(("sentence", "reference", "fragment", "expected"), CASES)
def test_expression_value(extract, sentence, reference, fragment, expected):
    frame = extract(sentence, reference)
    rows = [r for r in frame.iter_rows(named=True) if fragment in r["text"]]
    assert rows, f"no expression containing {fragment!r} in {frame['text'].to_list()}"
    assert rows[0]["value"] == expected


def test_table_is_large_enough():
    assert len(CASES) >= 80


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_no_date_in_negatives(extract, sentence):
    frame = extract(sentence, WED)
    assert frame.filter(frame["value"].is_not_null()).is_empty(), frame["text"].to_list()


def test_offsets_are_exact_and_table_validates(extract):
    text = "Publié le 3 mars 2024\n\nL\u2019an dernier, le club a été racheté.\nHier, il a signé."
    frame = validate("temporal_expressions", extract(text, WED))
    for row in frame.iter_rows(named=True):
        assert text[row["doc_char_start"]:row["doc_char_end"]] == row["text"]
    assert "L\u2019an dernier" in frame["text"].to_list()
    assert frame["timex_id"].to_list() == [f"t:t{i:03d}" for i in range(frame.height)]


def test_without_reference_date_relative_values_stay_null(extract):
    frame = extract("Il est arrivé vendredi. Le sommet a eu lieu le 18 novembre 2023.", None)
    by_text = {r["text"]: r for r in frame.iter_rows(named=True)}
    assert by_text["vendredi"]["value"] is None
    assert "no_reference_date" in by_text["vendredi"]["flags"]
    assert by_text["le 18 novembre 2023"]["value"] == "2023-11-18"


def test_kind_and_anchor(extract):
    frame = extract("Le 4 mars 2024, la grève a commencé. Hier, elle a pris fin.", WED)
    absolute, relative = frame.row(0, named=True), frame.row(1, named=True)
    assert (absolute["kind"], absolute["anchor"]) == ("absolute", None)
    assert (relative["kind"], relative["anchor"]) == ("relative", "reference_date")


def test_weekday_contradicting_the_date_keeps_the_date_and_is_flagged(extract):
    frame = extract("Mardi 20 novembre, il a été recruté par un concurrent.", dt.date(2023, 11, 22))
    row = frame.row(0, named=True)
    assert row["value"] == "2023-11-20"
    assert row["flags"] == "weekday_conflict"
    explicit = extract("Le mardi 20 novembre 2023, la séance a été levée.", WED).row(0, named=True)
    assert (explicit["value"], explicit["flags"]) == ("2023-11-20", "weekday_conflict")


def test_anaphoric_expression_is_anchored_on_the_previous_date(extract):
    frame = extract("Le 12 mars 2024, le juge a statué. Le lendemain, l'avocat a fait appel.", WED)
    first, second = frame.row(0, named=True), frame.row(1, named=True)
    assert second["anchor"] == first["timex_id"]


def test_embedded_post_speaks_from_its_own_date(extract):
    text = ("Le ministre a réagi sur le réseau social.\n"
            "quelle journée aujourd'hui, merci à tous\n"
            "– Jean Dupont (@jdupont) 3 février 2024\n"
            "Le débat continue au Parlement.")
    frame = extract(text, dt.date(2024, 2, 10))
    today = frame.filter(frame["text"] == "aujourd'hui").row(0, named=True)
    signature = frame.filter(frame["text"] == "3 février 2024").row(0, named=True)
    assert today["value"] == "2024-02-03"
    assert today["anchor"] == signature["timex_id"]


def test_reference_date_is_the_publication_not_the_update():
    text = "Publié le 12 mars 2024 à 10h30\nMis à jour le 13 mars 2024 à 08h00\n\nLe 2 mars 2024, rien."
    ref = reference_date_from_text(text)
    assert (ref.date, ref.basis) == (dt.date(2024, 3, 12), "in_text")
    same_line = "Publié le 14/03/2024 à 18h32, mis à jour le 15/03/2024 à 07h05\nTexte."
    assert reference_date_from_text(same_line).date == dt.date(2024, 3, 14)
    short_year = "Publié le 16/09/24 à 11h47 — Mis à jour le 17/09/24\nTexte. Le 3/4/24, rien."
    assert reference_date_from_text(short_year).date == dt.date(2024, 9, 16)
    assert reference_date_from_text("Le 3/4/24, il a signé un bail de trois ans.").date is None


def test_reference_date_from_the_latest_update_when_no_publication_stamp():
    text = "Publié le\nTexte.\nMise à jour du 20-11-2023 : un ajout\nMise à jour du 22-11-2023 : un autre"
    ref = reference_date_from_text(text)
    assert ref.date == dt.date(2023, 11, 22)
    assert ref.evidence == "updated: 'Mise à jour du 22-11-2023 : un autre'"


PROSE = "Le conseil municipal a longuement débattu du projet de rénovation du centre-ville. " * 3


@pytest.mark.parametrize(("page", "expected"), [
    # the page's own stamp comes first; teasers and footers below carry other dates
    (f"Accueil | Politique\nPar Jeanne Martin\nLe 14 mars 2024 à 18h32\n{PROSE}\nÀ lire aussi\n"
     "Le maire répond aux critiques\n15/03/2024\n© 2025 Le Journal", dt.date(2024, 3, 14)),
    (f"Jeudi 14 mars 2024 - 18:32\nTitre de l'article\n{PROSE}", dt.date(2024, 3, 14)),
    (f"14 mars 2024 à 18h32 - Mis à jour le 15 mars 2024\n{PROSE}", dt.date(2024, 3, 14)),
    (f"Par Jeanne Martin - Publié le jeudi 14 mars 2024 à 18h32 - Lecture 3 min\n{PROSE}\n"
     "Publié le 20 mars 2024\nUn autre article", dt.date(2024, 3, 14)),
    (f"Titre\nPARIS, 14 mars 2024 (AFP) - {PROSE}", dt.date(2024, 3, 14)),
    (f"Titre\nLyon (AFP) - 12 mars 2024 - {PROSE}", dt.date(2024, 3, 12)),
    # a dated sentence of the body is not a page stamp: inferred from the latest full date
    (f"{PROSE}\nLe 3 février 2021, le jour où tout a basculé\nLe 5 mars 2021, il est parti.",
     dt.date(2021, 3, 5)),
])
def test_reference_date_of_web_page_dumps(page, expected):
    assert reference_date_from_text(page).date == expected


def test_reference_date_from_numeric_update_and_dateline():
    assert reference_date_from_text("Mis à jour le 05/01/2024\nTexte.").date == dt.date(2024, 1, 5)
    ref = reference_date_from_text("PARIS, le 4 avril 2022 - Le ministre a parlé.")
    assert (ref.date, ref.basis) == (dt.date(2022, 4, 4), "in_text")


def test_reference_date_inferred_from_latest_full_date():
    text = "Le 3 février 2021, il a signé.\nLe 5 mars 2021, il est parti. En 2030, rien."
    ref = reference_date_from_text(text)
    assert (ref.date, ref.basis) == (dt.date(2021, 3, 5), "inferred")
    assert "5 mars 2021" in ref.evidence


def test_no_reference_date_without_full_date():
    assert reference_date_from_text("Il est arrivé vendredi, en 2015.") == (None, "none", None)


# --- dates at the ends of the calendar: NULL, never an OverflowError, never a guess -----------------------

LAST_DAY = dt.date(9999, 12, 31)  # a Friday; sidecars and page stamps do carry such placeholders
FIRST_DAY = dt.date(1, 1, 1)  # a Monday
# (text, reference date, a fragment of the expression, expected value: None means NULL or no expression)
CALENDAR_ENDS = [
    ("Le verdict sera rendu demain.", LAST_DAY, "demain", None),
    ("Elle était absente hier.", LAST_DAY, "hier", "9999-12-30"),
    ("Aujourd'hui, le maire inaugure le pont.", LAST_DAY, "Aujourd'hui", "9999-12-31"),
    ("Le sommet aura lieu la semaine prochaine.", LAST_DAY, "semaine prochaine", None),
    ("La grève a duré toute la semaine dernière.", LAST_DAY, "semaine dernière", "9999-W51"),
    ("Le chantier reprendra dans trois mois.", LAST_DAY, "trois mois", None),
    ("Le barrage sera fermé dans deux jours.", LAST_DAY, "deux jours", None),
    ("Il a été élu il y a deux ans.", LAST_DAY, "deux ans", "9997"),
    ("Le 31 décembre 9999, il a signé. Le lendemain, il est parti.", LAST_DAY, "lendemain", None),
    ("Le 31 décembre 9999, il a signé. La veille, il avait hésité.", LAST_DAY, "veille", "9999-12-30"),
    ("Il partira samedi.", LAST_DAY, "samedi", None),
    ("Nous partirons lundi prochain.", LAST_DAY, "lundi prochain", None),
    ("Il est arrivé vendredi.", LAST_DAY, "vendredi", "9999-12-31"),
    ("Il a parlé lundi dernier.", LAST_DAY, "lundi dernier", "9999-12-27"),
    ("Ce week-end, le marché sera fermé.", LAST_DAY, "week-end", None),
    ("L'an prochain, la ville construira un stade.", LAST_DAY, "an prochain", None),
    ("L'an dernier, la ville a construit un stade.", LAST_DAY, "an dernier", "9998"),
    ("Le mois prochain, le musée rouvrira.", LAST_DAY, "mois prochain", None),
    ("Les soldes commenceront en janvier.", LAST_DAY, "janvier", None),
    ("Le procès s'ouvrira le 15 janvier.", LAST_DAY, "15 janvier", None),
    ("Cet hiver, la station a manqué de neige.", LAST_DAY, "hiver", None),
    ("Les commerces fermeront le lundi de Pâques.", LAST_DAY, "Pâques", None),
    ("Le verdict sera rendu demain.", FIRST_DAY, "demain", None),
    ("Elle était absente hier.", FIRST_DAY, "hier", None),
    ("Aujourd'hui, le maire inaugure le pont.", FIRST_DAY, "Aujourd'hui", None),
    ("Le sommet aura lieu la semaine prochaine.", FIRST_DAY, "semaine prochaine", None),
    ("Le chantier reprendra dans trois mois.", FIRST_DAY, "trois mois", None),
    ("Il a été élu il y a deux ans.", FIRST_DAY, "deux ans", None),
    ("Hier, il a signé. Le lendemain, il est parti.", FIRST_DAY, "lendemain", None),
    ("Il est arrivé vendredi.", FIRST_DAY, "vendredi", None),
    ("Il partira samedi.", FIRST_DAY, "samedi", None),
    ("Il a parlé lundi dernier.", FIRST_DAY, "lundi dernier", None),
    ("L'an prochain, la ville construira un stade.", FIRST_DAY, "an prochain", None),
    ("L'an dernier, la ville a construit un stade.", FIRST_DAY, "an dernier", None),
    ("Les soldes ont commencé en décembre.", FIRST_DAY, "décembre", None),
    ("Cet hiver, la station a manqué de neige.", FIRST_DAY, "hiver", None),
    ("Noël dernier, la place était illuminée.", FIRST_DAY, "Noël", None),
]


@pytest.mark.parametrize(("sentence", "reference", "fragment", "expected"), CALENDAR_ENDS)
def test_dates_at_the_ends_of_the_calendar(extract, sentence, reference, fragment, expected):
    frame = validate("temporal_expressions", extract(sentence, reference))
    values = [r["value"] for r in frame.iter_rows(named=True) if fragment in r["text"]]
    if expected is None:
        assert all(v is None for v in values), values
    else:
        assert values == [expected]


def test_out_of_range_anaphoric_expression_keeps_its_anchor(extract):
    frame = extract("Le 31 décembre 9999, il a signé. Le lendemain, il est parti.", None)
    signed, next_day = frame.row(0, named=True), frame.row(1, named=True)
    assert signed["value"] == "9999-12-31"
    assert (next_day["text"], next_day["value"]) == ("Le lendemain", None)
    assert next_day["anchor"] == signed["timex_id"]


def test_reference_date_in_text_only_within_reference_years(extract):
    text = "Publié le 31 décembre 9999\n\nDemain, la mairie ouvrira ses portes au public."
    found = reference_date_from_text(text)
    assert found == (None, "none", None)
    frame = extract(text, found.date)
    tomorrow = frame.filter(frame["text"] == "Demain").row(0, named=True)
    assert tomorrow["value"] is None and "no_reference_date" in tomorrow["flags"]
    later = "Publié le 3 mars 1650\nMis à jour le 4 mars 2024\n\nHier, le conseil a voté le budget."
    assert reference_date_from_text(later).date == dt.date(2024, 3, 4)
    probe = "Le 2 mai 2150, la sonde arrivera. Le 5 juin 2023, elle a décollé."
    assert reference_date_from_text(probe).date == dt.date(2023, 6, 5)


# --- a paragraph wrapped across indented lines: the parser reads single spaces, offsets quote the source ---

def test_date_wrapped_across_an_indented_line_is_one_expression_with_source_offsets(extract):
    text = ("Le conseil municipal, réuni en séance extraordinaire, a adopté le budget le 14\n"
            "      septembre 2023, puis il y a\n        huit ans, selon le maire, le quartier était\n"
            "    vide. Le juge a tranché jeudi\n   soir.")
    frame = validate("temporal_expressions", extract(text, dt.date(2023, 11, 24)))
    rows = frame.to_dicts()
    for row in rows:
        assert text[row["doc_char_start"]:row["doc_char_end"]] == row["text"]
    by_value = {row["value"]: row["text"] for row in rows}
    assert by_value["2023-09-14"] == "le 14\n      septembre 2023"
    assert by_value["2015"] == "il y a\n        huit ans"
    assert by_value["2023-11-23"] == "jeudi\n   soir"
