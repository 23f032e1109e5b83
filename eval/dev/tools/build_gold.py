"""Builds gold/*.json and sidecar meta files for the French temporal dev set.
Timex tuples: (text, value, granularity, kind[, note]). Order = order of occurrence."""
import os
import json, os
BASE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
A, R = 'absolute', 'relative'
D, W, M, Y = 'day', 'week', 'month', 'year'

docs = {}

docs['dev01_assurance_chomage_report'] = dict(
 reference_date='2023-11-23',
 reference_date_basis="'Publié le 23 novembre 2023 à 18h32, modifié le 24 novembre 2023 à 07h05' line under the byline (first publication, not the update)",
 boilerplate=["S’abonner dès 1 €", "Publié le 23 novembre 2023 à 18h32, modifié le 24 novembre 2023 à 07h05", "Partager sur Facebook", "Lire aussi | Article réservé à nos abonnés Le 16 mars 2023, le jour où Elisabeth Borne a dégainé le 49.3", "Lecteurs 37 commentaires", "© Le Monde 2025"],
 content=["Assurance-chômage : le gouvernement repousse encore le décret, la majorité se divise", "Le calendrier glisse encore. Mercredi 22 novembre, à l’issue d’une réunion à Matignon", "Vendredi, la première ministre doit recevoir les présidents des groupes de la majorité"],
 timexes=[
  ('mercredi soir', '2023-11-22', D, R),
  ('Mercredi 22 novembre', '2023-11-22', D, A),
  ('la mi-décembre', '2023-12', M, A),
  ('le 1er décembre', '2023-12-01', D, A),
  ('La semaine dernière', '2023-W46', W, R),
  ('le 14 novembre', '2023-11-14', D, A),
  ('en février 2023', '2023-02', M, A),
  ('Vendredi', '2023-11-24', D, R),
  ('lundi prochain', '2023-11-27', D, R),
  ('début décembre', '2023-12', M, A),
  ('Il y a un an', '2022', Y, R),
  ('mardi', '2023-11-21', D, R),
  ('en 2022', '2022', Y, A),
  ('2027', '2027', Y, A),
  ('fin septembre', '2023-09', M, A),
 ],
 notes="Teasers ('Lire aussi | ... Le 16 mars 2023 ...') and footer '© Le Monde 2025' are not annotated. 'l’hiver' is a season (not annotated). Typographic apostrophes (’) throughout.")

docs['dev02_proces_incendie_evry'] = dict(
 reference_date='2021-06-09',
 reference_date_basis='sidecar published_at (2021-06-09T19:05:00+02:00)',
 meta={"published_at": "2021-06-09T19:05:00+02:00", "title": "Procès de l'incendie de la rue des Tanneurs à Évry : le propriétaire condamné à quatre ans de prison", "url": "https://www.leparisien.fr/essonne-91/evry-courcouronnes-91000/proces-de-lincendie-de-la-rue-des-tanneurs-le-proprietaire-condamne-a-quatre-ans-de-prison-09-06-2021-K4TQ2ZHXRNBYLMFE7W3C5PAJVU.php", "source": "Le Parisien"},
 boilerplate=[],
 content=["Le tribunal correctionnel d'Évry-Courcouronnes (Essonne) a condamné ce mercredi Gérard Pillon, 63 ans", "Une mise en demeure de la mairie, datée du 17/10/2018, était restée sans suite."],
 timexes=[
  ('ce mercredi', '2021-06-09', D, R),
  ('dans la nuit du 2 au 3 février 2019', '2019-02-02', D, A),
  ('la semaine dernière', '2021-W22', W, R),
  ('en 2016', '2016', Y, A),
  ('17/10/2018', '2018-10-17', D, A),
  ('jeudi', '2021-06-03', D, R),
  ('Vendredi dernier', '2021-06-04', D, R),
  ("aujourd'hui", '2021-06-09', D, R),
  ('en 2020', '2020', Y, A),
  ('le 3 février prochain', '2022-02-03', D, A),
 ],
 notes="Distractors: '63 ans', 'quatre ans', 'âgé de 6 ans', 'depuis des années', 'vers 3 heures du matin' (time of day inside the night already annotated), 'Pendant plus de deux ans', 'dans les dix jours'. The URL contains the date 09-06-2021.")

docs['dev03_nantes_lens_ligue1'] = dict(
 reference_date='2024-09-16',
 reference_date_basis="'Publié le 16/09/24 à 11h47 — Mis à jour le 16/09/24 à 14h20' line (two-digit year)",
 boilerplate=["Publié le 16/09/24 à 11h47 — Mis à jour le 16/09/24 à 14h20", "Temps de lecture : 2min", "Partager sur Facebook  Partager sur X  Partager sur WhatsApp  Copier le lien", "Ligue 1 : Lens s'impose à Rennes (1-0) et prend provisoirement la tête (31/08/24)", "Coupe de France : le tirage du 7e tour programmé le 23 octobre", "© Copyright 20 Minutes 2025 - Tous droits réservés"],
 content=["Nantes arrache le nul face à Lens, Yanis Ferhat encore décisif", "La Beaujoire a longtemps cru à la défaite.", "Les Nantais se déplaceront vendredi à Strasbourg (20h45)"],
 timexes=[
  ('dimanche', '2024-09-15', D, R),
  ('Dimanche soir', '2024-09-15', D, R),
  ('le 24 août', '2024-08-24', D, A),
  ('le 1er septembre', '2024-09-01', D, A),
  ('février', '2024-02', M, A),
  ('en mai', '2024-05', M, A),
  ('le 17 août', '2024-08-17', D, A),
  ('vendredi', '2024-09-20', D, R),
  ('le dimanche 29 septembre', '2024-09-29', D, A),
  ('samedi', '2024-09-21', D, R),
 ],
 notes="'cet été' is a season (not annotated). Distractors: scores 2-0/2-1/2-2, '21 ans', '31 ans', '81e minute', '88e', '80 minutes', 'depuis des années', '505 passes', player 'Sam Oukidja', the newspaper name '20 Minutes' inside the body, '2min' reading time in chrome, '(20h45)' kick-off time. Teasers carry other dates (31/08/24, 12/07/24, le 23 octobre) and are not annotated.")

docs['dev04_thermoval_suppressions_postes'] = dict(
 reference_date='2025-02-27',
 reference_date_basis='sidecar published_at (2025-02-27T07:30:00+01:00)',
 meta={"published_at": "2025-02-27T07:30:00+01:00", "title": "Chaudières : le groupe Thermoval va supprimer 340 postes dans le Nord", "url": "https://www.lesechos.fr/industrie-services/energie-environnement/chaudieres-le-groupe-thermoval-va-supprimer-340-postes-dans-le-nord-2150318", "source": "Les Echos"},
 boilerplate=[],
 content=["Le fabricant de chaudières Thermoval a présenté mercredi aux représentants du personnel", "Une réunion tripartite entre la direction, les syndicats et l'État est prévue lundi 3 mars à la préfecture de Lille."],
 timexes=[
  ('mercredi', '2025-02-26', D, R),
  ('début 2024', '2024', Y, A),
  ('juin', '2025-06', M, A),
  ('il y a huit ans', '2017', Y, R),
  ('2019', '2019', Y, A),
  ('en 2024', '2024', Y, A),
  ('le 12 mars', '2025-03-12', D, A),
  ('en septembre 2023', '2023-09', M, A),
  ('La semaine dernière', '2025-W08', W, R),
  ('en 2025', '2025', Y, A),
  ('le 18 octobre dernier', '2024-10-18', D, A),
  ('hier soir', '2025-02-26', D, R),
  ('lundi 3 mars', '2025-03-03', D, A),
  ('demain', '2025-02-28', D, R),
  ('les prochains jours', None, D, R, 'vague, cannot be placed'),
 ],
 notes="Distractors: '340 emplois sur 1 150', 'de 1 600 à 1 150 salariés', '52 ans, dont 27', '58 millions', '612 millions', '19 %', '30 %', 'depuis des mois', 'deux heures', 'à partir de 5 h 30', 'pendant trois ou quatre ans'. 'dès juin' -> month of the coming June.")

docs['dev05_crozon_kayakistes_secourus'] = dict(
 reference_date='2022-08-14',
 reference_date_basis="'Publié le 14/08/2022 à 10h15' line under the author line",
 boilerplate=["Ouest-France Yann Le Roux.", "Publié le 14/08/2022 à 10h15", "Lire les 12 commentaires", "À lire aussi : Monts d'Arrée. Le feu est fixé, plus de 1 700 hectares partis en fumée (19/07/2022)", "À lire aussi : Crozon. Le festival du Bout du monde a refait le plein ce week-end", "Ouest-France © 2025 - Tous droits réservés"],
 content=["Crozon. Deux kayakistes en détresse secourus au large du cap de la Chèvre", "L'alerte a été donnée samedi vers 20 h 30 par la mère de famille", "Transportés au centre hospitalier de la Cavale Blanche, à Brest"],
 timexes=[
  ('samedi après-midi', '2022-08-13', D, R),
  ('dans la nuit de samedi à dimanche', '2022-08-13', D, R),
  ('samedi vers 20 h 30', '2022-08-13', D, R),
  ('ce dimanche matin', '2022-08-14', D, R),
  ("aujourd'hui", '2022-08-14', D, R),
  ('demain', '2022-08-15', D, R),
  ('le début du mois', '2022-08', M, R),
  ('Le 2 août', '2022-08-02', D, A),
  ('le lendemain', '2022-08-03', D, R),
  ('En juillet 2021', '2021-07', M, A),
  ('lundi', '2022-08-15', D, R),
  ('mardi', '2022-08-16', D, R),
 ],
 notes="Reference date is a Sunday; 'ce dimanche matin' = reference day. 'peu après 1 h 30' is the Sunday night hour (not annotated, time only). Distractors: 'âgé de 46 ans', '14 ans', 'une heure', 'Dragon 29', '30 nœuds', '16 degrés', 'depuis vingt-deux ans', '67 ans', '50 km/h'. 'ce week-end' appears only in a teaser (not annotated).")

docs['dev06_theatre_nouveau_bassin_creation'] = dict(
 reference_date='2019-10-04',
 reference_date_basis='sidecar published_at (2019-10-04T05:00:00-04:00, Montréal time)',
 meta={"published_at": "2019-10-04T05:00:00-04:00", "title": "Le Théâtre du Nouveau Bassin lance sa saison avec une création de Mélanie Thibodeau", "url": "https://www.ledevoir.com/culture/theatre/564210/le-theatre-du-nouveau-bassin-lance-sa-saison-avec-une-creation-de-melanie-thibodeau", "source": "Le Devoir"},
 boilerplate=[],
 content=["La création sera présentée en première ce soir au Théâtre du Nouveau Bassin", "Billets de 32 $ à 58 $."],
 timexes=[
  ('ce soir', '2019-10-04', D, R),
  ('26 octobre', '2019-10-26', D, A),
  ('mardi', '2019-10-01', D, R),
  ('1970', '1970', Y, A),
  ('2019', '2019', Y, A),
  ('en mai 2018', '2018-05', M, A),
  ('en 2015', '2015', Y, A),
  ('la fin de semaine', '2019-W40', W, R, "Québec usage: 'fin de semaine' = weekend (Sat 5 - Sun 6 Oct 2019)"),
  ('le mercredi 16 octobre', '2019-10-16', D, A),
  ('janvier', '2019-01', M, A),
  ('août', '2019-08', M, A),
  ('le 7 septembre dernier', '2019-09-07', D, A),
  ('en novembre', '2019-11', M, A),
  ('le 14 février', '2020-02-14', D, A, 'future sentence, next 14 February'),
  ('26 octobre', '2019-10-26', D, A, 'second occurrence, in the closing info line'),
 ],
 notes="'à l'automne 2016' is a season (not annotated). 'entre 1970 et 2019' annotated as two years; 'de janvier à août' as two months. Distractors: 'près de trois ans', '38 ans', 'six semaines', 'pendant un an', '74 ans', '85 000 $', 'à 20 h'.")

docs['dev07_seisme_perou_arequipa'] = dict(
 reference_date='2020-04-07',
 reference_date_basis="AFP dateline at the start of the first paragraph: 'LIMA, 7 avril 2020 (AFP) -' (no 'Publié le' line on the page)",
 boilerplate=["Partager  Facebook  Twitter  E-mail  Imprimer", "pb/mr/ybl", "Coronavirus : le Pérou prolonge le confinement jusqu'au 26 avril (10/04/2020)", "Équateur : un séisme de magnitude 5,9 secoue Guayaquil (18/03/2020)", "© Le Républicain Lorrain 2025 - Tous droits réservés"],
 content=["Séisme dans le sud du Pérou : au moins onze morts dans la région d'Arequipa", "Au moins onze personnes ont été tuées et une quarantaine blessées", "Le Pérou est situé sur la \"ceinture de feu\" du Pacifique"],
 timexes=[
  ('lundi soir', '2020-04-06', D, R),
  ('ce matin', '2020-04-07', D, R),
  ('le 16 mars', '2020-03-16', D, A),
  ('Il y a trois jours', '2020-04-04', D, R),
  ('mercredi', '2020-04-08', D, R),
  ('la fin de la semaine', '2020-W15', W, R),
  ('Le 15 août 2007', '2007-08-15', D, A),
  ('En janvier 2018', '2018-01', M, A),
 ],
 notes="The dateline '7 avril 2020' is the reference-date source and is treated like a 'Publié le' line (not listed in timexes); a tagger that tags it gets value 2020-04-07. Teasers include a LATER article (10/04/2020). Distractors: 'magnitude 6,4', '22 h 14', '35 km', '58 ans', '9 ans', '300 habitations', 'pour 60 jours', 'Covid-19', '107 morts', '85 %', '519 morts'.")

docs['dev08_meteorite_aveyron_martienne'] = dict(
 reference_date='2026-01-20',
 reference_date_basis='sidecar published_at (2026-01-20T00:20:00+01:00 -- local date 2026-01-20, which is 2026-01-19 in UTC)',
 meta={"published_at": "2026-01-20T00:20:00+01:00", "title": "Météorite de l'Aveyron : les premiers fragments confirment une origine martienne", "url": "https://www.francetvinfo.fr/sciences/espace/meteorite-de-l-aveyron-les-premiers-fragments-confirment-une-origine-martienne_7712345.html", "source": "franceinfo"},
 boilerplate=[],
 content=["C'est une première en France depuis plus d'un siècle.", "un fragment sera exposé à la Grande Galerie de l'évolution à partir du samedi 7 février"],
 timexes=[
  ('le 28 décembre dernier', '2025-12-28', D, A),
  ('lundi', '2026-01-19', D, R),
  ('Deux jours plus tard', '2025-12-30', D, R, 'anaphoric, anchored on 28 December 2025'),
  ('début janvier', '2026-01', M, A),
  ('juillet 2011', '2011-07', M, A),
  ("il y a plusieurs millions d'années", None, Y, R, 'vague, cannot be placed'),
  ('hier', '2026-01-19', D, R),
  ('la semaine prochaine', '2026-W05', W, R),
  ('mi-mars', '2026-03', M, A),
  ('samedi 7 février', '2026-02-07', D, A),
  ('2027', '2027', Y, A),
 ],
 notes="published_at is 00:20 local time: converting to UTC would give the wrong reference day. 'le 28 décembre dernier' crosses the year boundary. Distractors: 'depuis plus d'un siècle', 'vers 18 h 40', '24 heures sur 24', 'Sam Delpech', '412 grammes', '57 ans', '1,3 kilogramme', '80 000', '400', '41 ans', '1,4 milliard d'années'.")

docs['dev09_mons_piscine_grand_large'] = dict(
 reference_date='2023-05-31',
 reference_date_basis="'Publié le 31-05-2023 à 17h52 - Mis à jour le 01-06-2023 à 08h10' line (DD-MM-YYYY, first publication)",
 boilerplate=["Publié le 31-05-2023 à 17h52 - Mis à jour le 01-06-2023 à 08h10", "Cet article est réservé aux abonnés", "Charleroi : la piscine Hélios rouvre après deux ans de travaux (12-01-2023)", "Réagir (4)", "© IPM 2025 - Tous droits réservés"],
 content=["Mons : la nouvelle piscine du Grand Large ne rouvrira pas avant 2025", "Les nageurs montois devront encore patienter.", "Le conseil communal doit se prononcer sur l'avenant au marché public lors de sa séance du lundi 12 juin."],
 timexes=[
  ('2025', '2025', Y, A),
  ('mardi', '2023-05-30', D, R),
  ('septembre 2024', '2024-09', M, A),
  ('le 1er octobre 2021', '2021-10-01', D, A),
  ('début 2025', '2025', Y, A),
  ('hier soir', '2023-05-30', D, R),
  ('en février', '2023-02', M, A),
  ('en avril', '2023-04', M, A),
  ('2023', '2023', Y, A),
  ('la semaine dernière', '2023-W21', W, R),
  ('lundi 12 juin', '2023-06-12', D, A),
  ('le 21 juin', '2023-06-21', D, A),
  ('la veille', '2023-06-20', D, R, 'anaphoric, day before 21 June'),
 ],
 notes="Belgian numerals as distractors: 'une septantaine de riverains', 'nonante minutes'. 'le mercredi et le samedi' is recurring (not annotated). 'la rentrée scolaire' left unannotated (not a calendar date). Other distractors: 'neuf mois', '24 millions', '29,5 millions', 'une heure', 'un an de retard'.")

docs['dev10_vaud_gratuite_transports'] = dict(
 reference_date='2024-11-25',
 reference_date_basis='sidecar published_at (date only: 2024-11-25)',
 meta={"published_at": "2024-11-25", "title": "Vaud: le oui à la gratuité des transports pour les moins de 20 ans l'emporte de justesse", "url": "https://www.rts.ch/info/regions/vaud/2024/article/vaud-le-oui-a-la-gratuite-des-transports-pour-les-moins-de-20-ans-l-emporte-de-justesse-28712345.html", "source": "RTS Info"},
 boilerplate=[],
 content=["Les Vaudoises et les Vaudois ont accepté dimanche, par 50,8% des voix", "Le scrutin de ce week-end était couplé aux votations fédérales."],
 timexes=[
  ('dimanche', '2024-11-24', D, R),
  ('en mars 2022', '2022-03', M, A),
  ('hier soir', '2024-11-24', D, R),
  ('le 1er janvier 2026', '2026-01-01', D, A),
  ('ce matin', '2024-11-25', D, R),
  ('jeudi', '2024-11-28', D, R),
  ('ce week-end', '2024-W47', W, R, 'reference day is a Monday: the weekend just past (23-24 Nov) lies in ISO week 47, not in the reference week 48'),
  ('En septembre 2020', '2020-09', M, A),
  ('9 février prochain', '2025-02-09', D, A),
  ("l'an dernier", '2023', Y, R),
 ],
 notes="Distractors: 'moins de 20 ans' (title and body), '50,8%', '47,2%', '118 des 300 communes', \"14'200 signatures\", '24 ans', 'entre 38 et 45 millions', '58%', 'chaque année', 'dès la première année', '15 à 20%'.")

docs['dev11_gazole_sous_1_60'] = dict(
 reference_date='2025-07-03',
 reference_date_basis="'Par Jeanne Martin / Publié le 03/07/2025 à 18:32, mis à jour le 04/07/2025 à 09:15' (first publication)",
 boilerplate=["Publié le 03/07/2025 à 18:32, mis à jour le 04/07/2025 à 09:15", "00:00/04:12", "Lien copié", "Carburants : pourquoi le prix du gazole s’envole (07/03/2022)", "Bison Futé : les prévisions de trafic pour le week-end du 14 juillet", "© Le Figaro 2026"],
 content=["Carburants : le gazole repasse sous la barre de 1,60 euro le litre, une première depuis 2022", "Bonne nouvelle pour les automobilistes, à l’approche des grands départs en vacances.", "La prochaine publication hebdomadaire des prix est attendue mardi 8 juillet."],
 timexes=[
  ('2022', '2022', Y, A),
  ('ce jeudi', '2025-07-03', D, R),
  ('la semaine dernière', '2025-W26', W, R),
  ('14 février 2022', '2022-02-14', D, A),
  ('mi-juin', '2025-06', M, A),
  ('lundi', '2025-06-30', D, R),
  ('la mi-juillet', '2025-07', M, A),
  ('31 août', '2025-08-31', D, A),
  ('ce week-end', '2025-W27', W, R),
  ('En 2024', '2024', Y, A),
  ('en 2019', '2019', Y, A),
  ('en mars', '2025-03', M, A),
  ('mardi 8 juillet', '2025-07-08', D, A),
 ],
 notes="'lundi' in a past sentence crosses the month boundary (30 June). Teasers contain dates ('au 1er août', '07/03/2022', 'le week-end du 14 juillet', 'au 1er septembre') and are not annotated; '© Le Figaro 2026' is later than the article. Distractors: '95-E10', 'SP98', '1,589 euro', '79 dollars', '67 dollars', '1 450 euros', '18 %', 'en une semaine', 'en quelques jours', audio player '00:00/04:12'. Typographic apostrophes (’).")

docs['dev12_albi_marche_de_noel'] = dict(
 reference_date='2022-12-05',
 reference_date_basis='sidecar published_at (2022-12-05T18:32:00+01:00)',
 meta={"published_at": "2022-12-05T18:32:00+01:00", "title": "Albi : le marché de Noël de la place du Vigan a attiré 30 000 visiteurs pour son premier week-end", "url": "https://www.ladepeche.fr/2022/12/05/albi-le-marche-de-noel-de-la-place-du-vigan-a-attire-30-000-visiteurs-pour-son-premier-week-end-10850123.php", "source": "La Dépêche du Midi"},
 boilerplate=[],
 content=["Le pari semble réussi pour la nouvelle formule du marché de Noël albigeois.", "Le marché restera ouvert jusqu'au samedi 31 décembre, tous les jours de 11 heures à 20 heures."],
 timexes=[
  ('vendredi soir', '2022-12-02', D, R),
  ('samedi', '2022-12-03', D, R),
  ('dimanche', '2022-12-04', D, R),
  ("L'an dernier", '2021', Y, R),
  ('le 20 décembre', '2021-12-20', D, A, "year comes from the preceding \"L'an dernier\" (2021), not from the reference year"),
  ('Cette année', '2022', Y, R),
  ('en 2021', '2021', Y, A),
  ('samedi', '2022-12-03', D, R, 'second occurrence'),
  ("l'an passé", '2021', Y, R),
  ('en octobre', '2022-10', M, A),
  ('la semaine prochaine', '2022-W50', W, R),
  ('samedi 31 décembre', '2022-12-31', D, A),
  ('mardi 15 décembre', '2022-12-15', D, A, 'weekday conflicts with date (15 Dec 2022 is a Thursday); the explicit date wins'),
  ('dimanche 18 décembre', '2022-12-18', D, A),
  ('début janvier', '2023-01', M, A),
 ],
 notes="Deliberate weekday/date mismatch: 'mardi 15 décembre'. Distractors: 'rue du 8-Mai-1945', 'Mardi Gras', 'tous les samedis de décembre', 'chaque mercredi après-midi', 'premier week-end' (title), '30 000 visiteurs', '62 chalets, contre 45', '35 mètres', '20 %', 'depuis vingt ans', 'toutes les dix minutes', '300 mètres carrés', 'de 11 heures à 20 heures', 'minuit', '58 ans'.")

for stem, d in docs.items():
    tx = []
    for t in d['timexes']:
        e = {"text": t[0], "value": t[1], "granularity": t[2], "kind": t[3]}
        if len(t) > 4: e["note"] = t[4]
        tx.append(e)
    g = {"doc_id": stem, "reference_date": d['reference_date'], "reference_date_basis": d['reference_date_basis'],
         "boilerplate": d['boilerplate'], "content": d['content'], "entities": [], "events": [], "quotes": [],
         "timexes": tx, "notes": d.get('notes', '')}
    with open(f'{BASE}/gold/{stem}.json', 'w', encoding='utf-8') as f:
        json.dump(g, f, ensure_ascii=False, indent=1); f.write('\n')
    if 'meta' in d:
        with open(f'{BASE}/articles/{stem}.meta.json', 'w', encoding='utf-8') as f:
            json.dump(d['meta'], f, ensure_ascii=False, indent=1); f.write('\n')
print('wrote', len(docs))
