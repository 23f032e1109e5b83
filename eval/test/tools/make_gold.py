"""Writes ../gold/*.json from the hand annotations below.
body markers (start/end) are only used by check_gold.py, not written to gold."""
import os
import json, re, os
R, A = "relative", "absolute"
# granularity for entries whose value is null (cannot be placed)
NULL_GRAN = {"il y a quelques semaines": "week", "il y a quelques jours": "day", "il y a une dizaine d'années": "year"}
D = {}
def gran(v):
    if v is None: return None
    for g, p in [("day", r"\d{4}-\d\d-\d\d"), ("week", r"\d{4}-W\d\d"), ("month", r"\d{4}-\d\d"), ("year", r"\d{4}")]:
        if re.fullmatch(p, v): return g
    raise ValueError(v)

D["t01_piscine_herinnes"] = dict(ref="2021-05-12", basis="first web stamp 'Publié le 12/05/2021 à 06h00' (ignoring 'Mis à jour le 13/05/2021')",
  start="Hérinnes-sur-Meuse : la majorité", end="Lire aussi", t=[
  ("hier soir", "2021-05-11", R, None),
  ("2018", "2018", A, None),
  ("il y a deux ans", "2019", R, None),
  ("26 avril", "2021-04-26", A, "yearless; past council session -> 2021"),
  ("fin mai", "2021-05", A, "'fin mai' = end of May 2021; month granularity"),
  ("le 1er septembre prochain", "2021-09-01", A, None),
  ("mars 2023", "2023-03", A, None),
  ("la semaine dernière", "2021-W18", R, None),
  ("le 4 mai", "2021-05-04", A, "yearless, past"),
  ("jeudi", "2021-05-13", R, "reported speech future-in-the-past ('réunirait'): coming Thursday"),
  ("lundi prochain", "2021-05-17", R, None),
  ("octobre 2018", "2018-10", A, None),
  ("Lundi", "2021-05-10", R, "past Monday, = eve of Tuesday's council"),
  ("la veille du conseil", "2021-05-10", R, "anaphoric: eve of the council held 'hier soir' (2021-05-11)"),
])
D["t02_proces_fiduciaire"] = dict(ref="2019-03-14", basis="sidecar published_at 2019-03-14T18:25:00+01:00",
  start=None, end=None, t=[
  ("ce jeudi", "2019-03-14", R, None),
  ("2011", "2011", A, "start of interval 'entre 2011 et 2016'"),
  ("2016", "2016", A, "end of interval"),
  ("lundi", "2019-03-11", R, "past: trial opened Monday"),
  ("le 3 octobre 2017", "2017-10-03", A, None),
  ("Mardi", "2019-03-12", R, None),
  ("La veille", "2019-03-11", R, "anaphoric: eve of Tuesday 12 March"),
  ("hier", "2019-03-13", R, None),
  ("l'an dernier", "2018", R, None),
  ("Il y a quelques semaines", None, R, "vague, cannot be placed"),
  ("fin avril", "2019-04", A, "'d'ici à fin avril', yearless -> coming April 2019"),
  ("mi-juin", "2019-06", A, "'à la mi-juin' -> mid-June 2019, month granularity"),
])
D["t03_cyclisme_val_loire"] = dict(ref="2023-07-18", basis="first web stamp 'Le 18 juillet 2023 à 6:00' (ignoring 'Mis à jour')",
  start="Cyclisme : Théo Marchal", end="À lire aussi", t=[
  ("hier", "2023-07-17", R, None),
  ("mercredi", "2023-07-19", R, "coming Wednesday (time trial)"),
  ("hier", "2023-07-17", R, None),
  ("dimanche", "2023-07-16", R, "past Sunday (prologue)"),
  ("Le 2 juin", "2023-06-02", A, "yearless, past -> 2023"),
  ("trois jours plus tard", "2023-06-05", R, "anaphoric to 2 June"),
  ("juin", "2023-06", A, "'les quinze derniers jours de juin'"),
  ("l'an dernier", "2022", R, None),
  ("2021", "2021", A, None),
  ("ce mardi", "2023-07-18", R, None),
  ("mercredi", "2023-07-19", R, None),
  ("samedi", "2023-07-22", R, "coming Saturday, last stage; inside 'espère ... porter' future context"),
  ("dans trois semaines", "2023-W32", R, "18 July + 3 weeks = 8 Aug 2023 (ISO week 32); approximate, week granularity"),
  ("le 27 août", "2023-08-27", A, "yearless, future"),
])
D["t04_resultats_boreal"] = dict(ref="2024-02-22", basis="sidecar published_at 2024-02-22T17:40:00-05:00 (local date)",
  start=None, end=None, t=[
  ("jeudi", "2024-02-22", R, "Canadian press style: bare weekday = the publication day itself"),
  ("le 31 décembre", "2023-12-31", A, "yearless; closed quarter -> past December 2023"),
  ("2022", "2022", A, "'quatrième trimestre de 2022' (quarter not annotated, year only)"),
  ("l'an dernier", "2023", R, None),
  ("1987", "1987", A, None),
  ("La semaine dernière", "2024-W07", R, None),
  ("la fin du mois de mars", "2024-03", A, "'d'ici la fin du mois de mars'; month granularity"),
  ("le 15 mars", "2024-03-15", A, None),
  ("le 1er mars", "2024-03-01", A, None),
  ("avril", "2024-04", A, "'en avril', future"),
  ("début 2025", "2025", A, "'début 2025' -> year granularity"),
  ("Le mois dernier", "2024-01", R, None),
  ("mardi prochain", "2024-02-27", R, None),
  ("jeudi", "2024-02-22", R, "same day as publication"),
])
D["t05_greve_dechets"] = dict(ref="2018-04-03", basis="first web stamp 'Mis en ligne le mardi 3 avril 2018' (ignoring 'Modifié le mercredi 4 avril 2018')",
  start="Grève des éboueurs à Reims", end="Lire aussi", t=[
  ("vendredi", "2018-04-06", R, "title; coming Friday"),
  ("jeudi", "2018-03-29", R, "'entamée depuis jeudi' -> past Thursday (consistent with 'sixième jour')"),
  ("Ce matin", "2018-04-03", R, None),
  ("avant-hier", "2018-04-01", R, None),
  ("le lundi de Pâques", "2018-04-02", A, "named holiday, Easter Monday 2018 (= yesterday)"),
  ("il y a dix jours", "2018-03-24", R, None),
  ("le 22 mars", "2018-03-22", A, "yearless, past"),
  ("vendredi", "2018-04-06", R, "reported speech future-in-the-past ('recevrait')"),
  ("La veille", "2018-04-05", R, "anaphoric: eve of Friday's meeting"),
  ("demain", "2018-04-04", R, None),
  ("ce week-end", "2018-W14", R, "said on a Tuesday -> the coming weekend 7-8 April 2018 (ISO week 14)"),
  ("2016", "2016", A, None),
  ("1er mai", "2018-05-01", A, "'le cortège du 1er mai' (Labour Day 2018)"),
])
D["t06_orages_grele_ardeche"] = dict(ref="2022-08-18", basis="sidecar published_at 2022-08-18 (date only)",
  start=None, end=None, t=[
  ("Hier soir", "2022-08-17", R, None),
  ("Ce jeudi matin", "2022-08-18", R, None),
  ("dans trois semaines", "2022-W36", R, "in a quote, 18 Aug + 3 weeks = 8 Sep 2022 (ISO week 36); approximate"),
  ("avril 2021", "2021-04", A, None),
  ("aujourd'hui", "2022-08-18", R, None),
  ("mardi", "2022-08-16", R, "past Tuesday"),
  ("juin", "2022-06", A, "'depuis juin'"),
  ("le mois dernier", "2022-07", R, None),
  ("vendredi", "2022-08-19", R, "future-in-the-past ('réunirait')"),
  ("15 septembre", "2022-09-15", A, "'jusqu'au 15 septembre', yearless future"),
  ("Il y a quelques jours", None, R, "vague"),
  ("ce week-end", "2022-W33", R, "coming weekend 20-21 Aug 2022"),
  ("dimanche", "2022-08-21", R, "'jusqu'à dimanche'"),
  ("15 août 1999", "1999-08-15", A, None),
])
D["t07_presidentielle_macedoine"] = dict(ref="2025-04-07", basis="web stamp '07 avril 2025 | 06h30'",
  start="Présidentielle en Macédoine du Nord", end="LIRE AUSSI", t=[
  ("dimanche", "2025-04-06", R, "standfirst; past Sunday (first round)"),
  ("le 20 avril", "2025-04-20", A, None),
  ("ce lundi", "2025-04-07", R, None),
  ("2019", "2019", A, None),
  ("Il y a cinq ans", "2020", R, None),
  ("décembre dernier", "2024-12", R, None),
  ("Samedi", "2025-04-05", R, "past Saturday, last rally"),
  ("jeudi", "2025-04-10", R, "future-in-the-past ('statuerait')"),
  ("la semaine dernière", "2025-W14", R, None),
  ("le 20 avril", "2025-04-20", A, None),
  ("le 12 mai", "2025-05-12", A, None),
  ("mardi prochain", "2025-04-15", R, "AMBIGUOUS: said on a Monday; read as Tuesday of next week (tomorrow would be 'demain'); 2025-04-08 is the alternative reading"),
])
D["t08_festival_remparts_romont"] = dict(ref="2026-06-10", basis="sidecar published_at 2026-06-10T11:05:00+02:00",
  start=None, end=None, t=[
  ("ce mercredi", "2026-06-10", R, None),
  ("ce mercredi", "2026-06-10", R, None),
  ("le jeudi 2 juillet", "2026-07-02", A, None),
  ("le dimanche 5 juillet", "2026-07-05", A, None),
  ("il y a trois ans", "2023", R, None),
  ("2001", "2001", A, None),
  ("2019", "2019", A, None),
  ("L'an dernier", "2025", R, None),
  ("hier", "2026-06-09", R, None),
  ("demain", "2026-06-11", R, "'dès demain à 9 heures'"),
  ("le vendredi 26 juin", "2026-06-26", A, None),
  ("le 31 mai", "2026-05-31", A, "yearless, past"),
  ("la semaine prochaine", "2026-W25", R, None),
  ("le samedi soir", "2026-07-04", R, "anaphoric to the festival (2-5 July 2026): its Saturday evening; could be misread as recurring"),
])
D["t09_sommeil_ados_estrie"] = dict(ref="2020-10-29", basis="first web stamp 'Publié le 29 octobre 2020' (ignoring 'modifié le 30 octobre 2020')",
  start="Les adolescents de l'Estrie", end="À lire aussi", t=[
  ("il y a dix ans", "2010", R, "title"),
  ("mercredi", "2020-10-28", R, "past Wednesday"),
  ("septembre 2017", "2017-09", A, None),
  ("juin 2019", "2019-06", A, None),
  ("il y a une dizaine d'années", None, R, "approximate ('une dizaine'); left null"),
  ("mars", "2020-03", A, "'depuis mars' (pandemic), current year"),
  ("cette semaine", "2020-W44", R, None),
  ("janvier", "2021-01", A, "'en janvier' after an October publication -> next January (2021)"),
  ("l'an prochain", "2021", R, "school timetables 'pour l'an prochain'; calendar year 2021 (could be school year 2021-22)"),
  ("vendredi", "2020-10-30", R, None),
  ("dimanche", "2020-11-01", R, "coming Sunday (DST end), apposed to 'le 1er novembre'"),
  ("le 1er novembre", "2020-11-01", A, None),
])
D["t10_tram_ligne_c_valloire"] = dict(ref="2026-09-15", basis="sidecar published_at 2026-09-15T05:30:00+02:00",
  start=None, end=None, t=[
  ("ce mardi", "2026-09-15", R, None),
  ("avril 2028", "2028-04", A, None),
  ("fin 2027", "2027", A, "'fin 2027' -> year granularity"),
  ("30 novembre", "2026-11-30", A, "'jusqu'au 30 novembre', yearless future"),
  ("le mois dernier", "2026-08", R, None),
  ("lundi prochain", "2026-09-21", R, None),
  ("hier", "2026-09-14", R, None),
  ("2019", "2019", A, None),
  ("Samedi dernier", "2026-09-12", R, None),
  ("le 14 décembre", "2026-12-14", A, None),
  ("le 1er septembre", "2026-09-01", A, "yearless, past (two weeks before publication)"),
  ("la semaine dernière", "2026-W37", R, None),
  ("12 octobre", "2026-10-12", A, "'sa séance du 12 octobre', yearless future"),
  ("le samedi 3 octobre", "2026-10-03", A, None),
])

if __name__ == "__main__":
    os.makedirs(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "gold"), exist_ok=True)
    for stem, d in D.items():
        tx = []
        for text, value, kind, note in d["t"]:
            e = {"text": text, "value": value, "granularity": gran(value) if value else NULL_GRAN[text.lower()], "kind": kind}
            if note: e["note"] = note
            tx.append(e)
        g = {"doc_id": stem, "reference_date": d["ref"], "reference_date_basis": d["basis"],
             "boilerplate": [], "content": [], "entities": [], "events": [], "quotes": [], "timexes": tx}
        with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "gold", f"{stem}.json"), "w", encoding="utf-8") as f:
            json.dump(g, f, ensure_ascii=False, indent=1)
    print("wrote", len(D))
