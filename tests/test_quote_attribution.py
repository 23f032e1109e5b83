"""Who said it: speaker attribution on French press passages written for the purpose.

Each case runs the real parse and the real entity stage (so speakers can be canonical entity names) and
then ``extract_quotes``. The table is grouped by the kind of attribution it exercises: inverted subject
after the quotation, incise inside the marks, colon introduction, anaphora (pronoun, title, role noun),
an interview's run of quoted paragraphs, block quotes signed on the next line, apposition before the verb,
no absurd nominal speaker, one speaker under several names, and things in quotation marks that are not
quotations (titles, product names, terms, translations).
"""

from __future__ import annotations

import pytest

from pipeline.entities import build_entities
from pipeline.quotes import extract_quotes
from pipeline.schemas import validate


def _norm(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def quotes_of(parse):
    """``quotes_of(text)`` -> quote rows (dicts), with entity mentions from the real entity stage."""
    memo: dict[str, list[dict]] = {}

    def _quotes(text: str) -> list[dict]:
        if text not in memo:
            document = parse(text)
            mentions, entities = build_entities([document])
            frame = extract_quotes([document], mentions, entities)
            validate("quotes", frame)
            memo[text] = frame.to_dicts()
        return memo[text]

    return _quotes


def _row_starting(rows: list[dict], start: str) -> dict | None:
    return next((r for r in rows if _norm(r["text"]).startswith(_norm(start))), None)


# (kind, passage, start of the quoted words, expected speaker or None)
CASES = [
    # --- inverted subject after the quotation, with verbs of saying of every register --------------------
    ("inverted", "« Nous n'avons jamais connu une saison pareille », souffle Gilles Aubert, gérant d'un "
     "camping près d'Annecy.", "Nous n'avons jamais connu", "Gilles Aubert"),
    ("inverted", "« Le déficit sera résorbé d'ici deux ans », avance d'emblée la présidente de la région, "
     "Odile Garnier.", "Le déficit sera résorbé", "Odile Garnier"),
    ("inverted", "Les discussions ont repris mardi à Bruxelles. « Les négociations ont échoué dans "
     "la nuit », "
     "rapporte le quotidien britannique.", "Les négociations ont échoué", "quotidien britannique"),
    ("inverted", "Le vol a été annulé samedi matin. « Ce n'est qu'un incident technique sans conséquence », "
     "minimise le porte-parole de la compagnie.", "Ce n'est qu'un incident", "porte-parole de la compagnie"),
    ("inverted", "« Il faut laisser du temps à la nouvelle équipe », tempère Sandrine Colas.",
     "Il faut laisser du temps", "Sandrine Colas"),
    ("inverted", "« Tout n'est pas perdu pour autant », nuance l'économiste Raphaël Brun.",
     "Tout n'est pas perdu", "Raphaël Brun"),
    ("inverted", "« Nous sommes devenus les champions du monde des réunions », ironise un élu de "
     "l'opposition.", "Nous sommes devenus les champions", "élu de l'opposition"),
    ("inverted", "« On verra bien au mois de juin, rien ne presse », sourit Margaux Hamon.",
     "On verra bien au mois de juin", "Margaux Hamon"),
    ("inverted", "« La demande ne faiblit pas depuis l'été », abonde Lucien Perret, libraire à Dijon.",
     "La demande ne faiblit pas", "Lucien Perret"),
    ("inverted", "« Cette victoire, on l'attendait depuis dix ans », se réjouit l'entraîneur Yannick Moreau.",
     "Cette victoire, on l'attendait", "Yannick Moreau"),
    ("inverted", "« Les chiffres parlent d'eux-mêmes », martèle la ministre du Travail, Agnès Ferrand.",
     "Les chiffres parlent", "Agnès Ferrand"),
    ("inverted", "« Rien ne justifie une telle hausse des charges », s'insurge Patrice Lemaire, président de "
     "l'association des locataires.", "Rien ne justifie une telle hausse", "Patrice Lemaire"),
    ("inverted", "« C'est une erreur de calendrier, je l'admets volontiers », concède Bertrand Joly.",
     "C'est une erreur de calendrier", "Bertrand Joly"),
    ("inverted", "« Le modèle économique de la plateforme reste fragile », pointe l'analyste Hélène Vasseur.",
     "Le modèle économique", "Hélène Vasseur"),
    ("inverted", "« La concurrence est rude sur ce marché », relève Mathilde Carré, directrice commerciale.",
     "La concurrence est rude", "Mathilde Carré"),
    ("inverted", "« Et les prix vont encore monter cet hiver », renchérit sa voisine, Inès Colin.",
     "Et les prix vont encore monter", "Inès Colin"),
    ("inverted", "« Cela fait vingt ans qu'on attend ce pont », s'amuse Roger Lacombe, agriculteur.",
     "Cela fait vingt ans", "Roger Lacombe"),
    ("inverted", "« Je ne pensais pas revenir un jour dans ce club », poursuit Kevin Mallet, tout sourire.",
     "Je ne pensais pas revenir", "Kevin Mallet"),
    ("inverted", "« Une telle sécheresse, on n'en a jamais vu », s'alarme Denise Porcher, maraîchère.",
     "Une telle sécheresse", "Denise Porcher"),
    ("inverted", "Le Courrier du Nord a enquêté pendant six mois.\n« Nous avons vérifié chaque "
     "document », a    insisté le journal, qui publiera la suite lundi.",
     "Nous avons vérifié chaque document", "Le Courrier du Nord"),
    # --- attribution inside the quotation marks ------------------------------------------------------
    ("incise", "« Le quartier a beaucoup changé, remarque la sociologue Claire Vautrin. Les familles sont "
     "parties vers la périphérie. »", "Le quartier a beaucoup changé", "Claire Vautrin"),
    ("incise", "« Nous avons doublé nos effectifs, explique Jérôme Faucher. Et ce n'est pas fini. »",
     "Nous avons doublé nos effectifs", "Jérôme Faucher"),
    ("incise", "Sophie Roussel dirige le musée depuis 2015. « Cette saison, précise-t-elle, la "
     "fréquentation a baissé de moitié. »", "Cette saison", "Sophie Roussel"),
    ("incise", "« Le problème, estime le chercheur Damien Collet, c'est le manque de données fiables. »",
     "Le problème", "Damien Collet"),
    ("incise", "« On ne pouvait pas rester les bras croisés, confie Nadia Benhamou. Alors on a créé "
     "l'association. »", "On ne pouvait pas rester", "Nadia Benhamou"),
    ("incise", "Le rapporteur du budget, Alain Gaudin, a présenté ses conclusions mardi. « À ce rythme, "
     "poursuit le rapporteur, le fonds sera épuisé en 2030. »", "À ce rythme", "Alain Gaudin"),
    # --- colon introduction ------------------------------------------------------------------------
    ("colon", "Élise Morin, qui dirige l'école depuis dix ans, confie au journal local :\n« Les parents sont "
     "inquiets, et ils ont raison de l'être. »", "Les parents sont inquiets", "Élise Morin"),
    ("colon", "Le maire de la commune, Gérard Poulain, l'a reconnu devant le conseil : « Nous avons "
     "sous-estimé le coût des travaux. »", "Nous avons sous-estimé", "Gérard Poulain"),
    ("colon", "Interrogée sur le sujet, la députée Valérie Masson a été claire : « Ce texte ne passera pas "
     "en l'état. »", "Ce texte ne passera pas", "Valérie Masson"),
    ("colon", "Vincent Lagarde résume ainsi la situation de son entreprise :\n« Nous avons perdu un client "
     "sur trois en un an. »", "Nous avons perdu un client", "Vincent Lagarde"),
    ("colon", "Sur son compte, la chanteuse Léna Fabre a écrit : « Merci pour ces dix années incroyables "
     "passées avec vous. »", "Merci pour ces dix années", "Léna Fabre"),
    ("colon", "Au téléphone, Quentin Royer ne cache pas sa colère : « On nous a menti depuis le début. »",
     "On nous a menti", "Quentin Royer"),
    ("colon", "Les ventes ont reculé. Comme nous l'explique Romain Daguet, analyste chez un courtier "
     "parisien : « La baisse était attendue après deux années records. »", "La baisse était attendue",
     "Romain Daguet"),
    ("colon", "Mais comme le soulignaient les auteurs de l'étude : « la marche quotidienne réduit les "
     "risques ».", "la marche quotidienne", "auteurs de l'étude"),
    # --- speaker named earlier, then a pronoun, a title or a role noun -------------------------------
    ("anaphora", "Paul Vidal a pris la tête du régiment en mars. « La mission sera longue et difficile », "
     "prévient le colonel Vidal.", "La mission sera longue", "Paul Vidal"),
    ("anaphora", "Jean-Marc Ollier a été réélu dimanche à la tête de la commune. « Ce résultat nous "
     "oblige », "
     "a déclaré le maire.", "Ce résultat nous oblige", "Jean-Marc Ollier"),
    ("anaphora", "Thierry Lebrun dirige la ville depuis 2014.\n« Nous ne fermerons pas la piscine "
     "», promet le "
     "premier magistrat.", "Nous ne fermerons pas la piscine", "Thierry Lebrun"),
    ("anaphora", "Sophie Delmas a pris ses fonctions en janvier à la tête du service. « Nous "
     "voulons recruter "
     "vite », explique la directrice.", "Nous voulons recruter vite", "Sophie Delmas"),
    ("anaphora", "Christine Aubry a ensuite pris la parole devant les actionnaires.\nElle a rappelé les "
     "objectifs du groupe. « Nous resterons rentables en 2025 », a-t-elle assuré.",
     "Nous resterons rentables", "Christine Aubry"),
    ("anaphora", "L'enquête a été confiée à la commissaire Laure Michaud. Selon elle, « la piste criminelle "
     "est désormais privilégiée ».", "la piste criminelle", "Laure Michaud"),
    ("anaphora", "Marion Carpentier a ouvert sa boulangerie en 2019. D'après elle, « le prix de la farine a "
     "doublé en deux ans ».", "le prix de la farine", "Marion Carpentier"),
    ("anaphora", "Karim Ziani a quitté Paris en 2020 avec sa famille. « On voulait de l'espace pour les "
     "enfants », explique-t-il.", "On voulait de l'espace", "Karim Ziani"),
    ("anaphora", "Le gardien Lucas Ferreira a encaissé trois buts samedi soir.\nAprès le match, le joueur "
     "s'est excusé auprès des supporters. « J'ai fait une erreur », a-t-il reconnu.",
     "J'ai fait une erreur", "Lucas Ferreira"),
    # --- a run of quoted paragraphs in an interview answer -------------------------------------------
    ("interview", "La pianiste Elsa Rigaud a répondu à nos questions avant son concert.\n« J'ai commencé le "
     "piano à six ans. Ma mère était professeure de musique. »\n« Aujourd'hui, je donne une centaine de "
     "concerts par an. »\n« Le public japonais est le plus attentif que je connaisse. »",
     "Aujourd'hui, je donne une centaine", "Elsa Rigaud"),
    ("interview", "La pianiste Elsa Rigaud a répondu à nos questions avant son concert.\n« J'ai commencé le "
     "piano à six ans. Ma mère était professeure de musique. »\n« Aujourd'hui, je donne une centaine de "
     "concerts par an. »\n« Le public japonais est le plus attentif que je connaisse. »",
     "Le public japonais est le plus", "Elsa Rigaud"),
    ("interview", "L'architecte Bastien Leroux livre cette année son premier musée. Il nous a reçus dans son "
     "atelier.\nPourquoi avoir choisi ce métier ?\n« Par hasard. Je voulais être ingénieur, comme mon "
     "père. »\nEt ce musée ?\n« C'est le projet d'une vie, je crois. »",
     "C'est le projet d'une vie", "Bastien Leroux"),
    # --- block quotes signed on the next line --------------------------------------------------------
    ("signed", "Plusieurs artisans de la vallée ont accepté de témoigner.\n« On travaille six jours "
     "sur sept, "
     "sans jamais compter nos heures. »\n— Benoît Carrel, menuisier\n« Les jeunes ne veulent plus de ces "
     "métiers, c'est dommage. »\n— Mireille Sauvage, tapissière",
     "On travaille six jours sur sept", "Benoît Carrel"),
    ("signed", "Plusieurs artisans de la vallée ont accepté de témoigner.\n« On travaille six jours "
     "sur sept, "
     "sans jamais compter nos heures. »\n— Benoît Carrel, menuisier\n« Les jeunes ne veulent plus de ces "
     "métiers, c'est dommage. »\n— Mireille Sauvage, tapissière",
     "Les jeunes ne veulent plus", "Mireille Sauvage"),
    ("signed", "Sur la digue, les habitants regardent l'eau monter.\n« La mer gagne chaque hiver, "
     "et personne "
     "ne fait rien pour nous. »\n— Yann Kermarrec", "La mer gagne chaque hiver", "Yann Kermarrec"),
    # --- apposition before the verb: the name, not the title ----------------------------------------
    ("apposition", "Le ministre de l'Économie, Arnaud Desjardins, a salué mardi des chiffres « encourageants "
     "pour la suite de l'année ».", "encourageants pour la suite", "Arnaud Desjardins"),
    ("apposition", "La présidente de la fédération, Monique Varenne, a qualifié la sanction d'« injuste et "
     "disproportionnée ».", "injuste et disproportionnée", "Monique Varenne"),
    ("apposition", "Le directeur général de l'hôpital, Stéphane Rouvier, a annoncé : « Les urgences "
     "rouvriront lundi matin. »", "Les urgences rouvriront", "Stéphane Rouvier"),
    ("apposition", "Porte-parole du gouvernement, Julie Marchetti a jugé la grève « incompréhensible et "
     "injustifiée ».", "incompréhensible et injustifiée", "Julie Marchetti"),
    ("apposition", "Fondateur de la jeune pousse, Hugo Besnard affirme que « l'argent n'est pas le "
     "problème ».", "l'argent n'est pas le problème", "Hugo Besnard"),
    # --- never an absurd nominal speaker: a place, a date, a common noun, a fragment ----------------
    ("no-absurd", "À Montpellier, « les loyers ont augmenté de 12 % en un an ».",
     "les loyers ont augmenté", None),
    ("no-absurd", "De 2005 à 2010, « la croissance a été portée par l'export ».",
     "la croissance a été portée", None),
    ("no-absurd", "Le risque, « c'est que tout le monde parte en même temps ».",
     "c'est que tout le monde parte", None),
    ("no-absurd", "Lundi 3 mars, « la situation était sous contrôle », selon les pompiers.",
     "la situation était sous contrôle", "pompiers"),
    ("no-absurd", "Au cœur de l'été, « les réservations ont chuté de moitié », constate un hôtelier de la "
     "station.", "les réservations ont chuté", "hôtelier de la station"),
    ("no-absurd", "Le 14 juillet, « la fête sera plus belle que jamais », a promis le comité des fêtes.",
     "la fête sera plus belle", "comité des fêtes"),
    # --- one speaker under several names: the canonical name every time ------------------------------
    ("aliases", "Francis Dumoulin a présenté son plan jeudi. « Nous fermerons deux sites », a dit "
     "M. Dumoulin. "
     "« Aucun licenciement sec n'est prévu », a ajouté Dumoulin.", "Aucun licenciement sec",
     "Francis Dumoulin"),
    ("aliases", "Francis Dumoulin a présenté son plan jeudi. « Nous fermerons deux sites », a dit "
     "M. Dumoulin. "
     "« Aucun licenciement sec n'est prévu », a ajouté Dumoulin.", "Nous fermerons deux sites",
     "Francis Dumoulin"),
    ("aliases", "La chercheuse Nadège Voisin publie une étude sur le sommeil. « Les adolescents dorment une "
     "heure de moins qu'il y a vingt ans », constate Mme Voisin.", "Les adolescents dorment",
     "Nadège Voisin"),
    # --- a small group just named ("le duo"): one of its members, never the bare noun -------------------
    ("group", "Le jeu de société a été imaginé par Léo Garnier et Inès Marchal. \"Il faut trouver une "
     "nouvelle idée chaque année\" complète le duo.", "Il faut trouver une nouvelle idée", "Inès Marchal"),
    ("group", "Les architectes Claire Dumas et Hugo Ferrand ont présenté leur projet jeudi. « Le bâtiment "
     "sera entièrement en bois », détaille le duo.", "Le bâtiment sera entièrement", "Claire Dumas"),
    # --- a time adverbial parsed as the subject: the noun phrase after it speaks ----------------------
    ("time-subject", "Longtemps la rivalité a été vive entre les deux clubs. Chaque saison de 2005 à 2010, "
     "presse sportive et supporters du monde entier se demandaient « Lyon ou Marseille, qui est le plus "
     "fort ? ».", "Lyon ou Marseille", "presse sportive"),
    # --- "il" with no person to stand for: the organisation just named, never a plural role -----------
    ("organisation-pronoun", "Les joueurs assis passent des heures devant leur écran. Une réponse se "
     "trouve du côté du Comité national olympique (CNO), qui s'intéresse de près au sujet. « Le jeu vidéo "
     "de compétition demande une vraie préparation physique », plaide-t-il.", "Le jeu vidéo de compétition",
     "Comité national olympique"),
    # --- "le journal": the newspaper the article names, even between quotation marks -----------------
    ("newspaper", "Le « Courrier du Soir » change la solution de son jeu de lettres\nLe journal régional, "
     "qui a racheté le jeu en janvier, a modifié la solution lundi. La veille, la Cour d'appel de Rennes "
     "avait rendu une décision très attendue.\n« Nous voulons souligner que c'est très inhabituel », "
     "a insisté le journal.", "Nous voulons souligner", "Courrier du Soir"),
    # --- a pull quote credited on the line under it --------------------------------------------------
    ("credit-line", "Selon les analystes, le marché reste dominé par trois éditeurs.\n« Le marché reste très "
     "concentré autour de trois éditeurs. Chaque année, les mêmes titres reviennent en tête des ventes. »\n\n"
     "Nadia Ferhat, analyste chez un cabinet d'études, spécialisée dans les loisirs numériques\n\nLa "
     "concurrence pourrait pourtant changer la donne dans les années à venir.", "Le marché reste très "
     "concentré", "Nadia Ferhat"),
    ("credit-line", "Les hôpitaux investissent peu dans ces outils.\n« Si rien ne change, nos données de "
     "santé finiront chez des assureurs privés »\nArnaud Kessler, cofondateur d'une jeune pousse lyonnaise\n"
     "Les initiatives se multiplient pourtant dans les hôpitaux.", "Si rien ne change", "Arnaud Kessler"),
    # --- a foreign name after the verb ("The …" tagged as a foreign word), a role noun of business -------
    ("inverted", "« Le groupe procède actuellement à des tests sur un nouvel outil », a révélé The Morning "
     "Chronicle le mercredi 19 juillet.", "Le groupe procède", "The Morning Chronicle"),
    ("anaphora", "Claire Morvan a cofondé une jeune pousse qui analyse les radiographies. « Demain, une "
     "application vous donnera un premier avis en quelques secondes », prédit l'entrepreneuse.",
     "Demain, une application", "Claire Morvan"),
    # --- an adjective quoted after a noun is somebody's word, not a label ------------------------------
    ("quoted-adjective", "Jean Morel a qualifié son départ de tournure « inattendue ».", "inattendue",
     "Jean Morel"),
]

NOT_QUOTATIONS = [
    ("title", "Le jeu « Royaume des Ombres » s'est vendu à un million d'exemplaires cette année.",
     "Royaume des Ombres"),
    ("title", "Elle joue depuis 2018 dans la série « Les Voisins du dessus », diffusée le samedi.",
     "Les Voisins du dessus"),
    ("title", "Son troisième roman, « Les Heures lentes », paraîtra au mois de mai chez un petit éditeur.",
     "Les Heures lentes"),
    ("title", "L'émission « Questions pour un voisin » revient à la rentrée sur la chaîne régionale.",
     "Questions pour un voisin"),
    ("title", "Le festival « Jazz en Baie » attire chaque année trente mille spectateurs.", "Jazz en Baie"),
    ("title", "La chanteuse a interprété « Welcome to the Valley » devant une salle comble.",
     "Welcome to the Valley"),
    ("product", "Le nouveau modèle, baptisé « Aero 5 Max », sera commercialisé en mars.", "Aero 5 Max"),
    ("term", "Le mot « résilience » revient dans tous les discours depuis la crise.", "résilience"),
    ("term", "Ce que les Britanniques appellent le « quiet quitting » gagne les entreprises françaises.",
     "quiet quitting"),
    ("term", "Certaines offres crispent les joueurs. Le prix des packs « cadeau » reste très élevé.",
     "cadeau"),
    ("translation", "Le terme anglais « burn-out » (« épuisement professionnel ») s'est imposé en France.",
     "épuisement professionnel"),
]


@pytest.mark.parametrize(("kind", "text", "start", "speaker"), [
    pytest.param(*case, id=f"{case[0]}-{n:02d}") for n, case in enumerate(CASES)])
def test_speaker(quotes_of, kind, text, start, speaker):
    rows = quotes_of(text)
    row = _row_starting(rows, start)
    assert row is not None, f"{kind}: quotation not found among {[r['text'] for r in rows]}"
    assert row["speaker"] == speaker


@pytest.mark.parametrize(("reason", "text", "quoted"), [
    pytest.param(*case, id=f"{case[0]}-{n:02d}") for n, case in enumerate(NOT_QUOTATIONS)])
def test_not_a_quotation_is_dropped_with_its_reason(parse, reason, text, quoted):
    from pipeline.quotes import extract_quotes_audited

    document = parse(text)
    mentions, entities = build_entities([document])
    kept, dropped = extract_quotes_audited([document], mentions, entities)
    assert _row_starting(kept.to_dicts(), quoted) is None
    drop = _row_starting(dropped.to_dicts(), quoted)
    assert drop is not None and drop["reason"] == reason


def test_a_named_speaker_carries_the_entity_id(quotes_of):
    text = ("La ministre de la Culture, Hélène Rambert, a visité le chantier. « Le théâtre rouvrira en "
            "septembre », a-t-elle promis.")
    row = _row_starting(quotes_of(text), "Le théâtre rouvrira")
    assert row is not None and row["speaker"] == "Hélène Rambert"
    assert row["speaker_entity_id"] is not None


def test_aliases_give_one_speaker_per_person(quotes_of):
    text = ("Francis Dumoulin a présenté son plan jeudi. « Nous fermerons deux sites », a dit M. Dumoulin. "
            "« Aucun licenciement sec n'est prévu », a ajouté Dumoulin. « Le dialogue reste ouvert », "
            "a-t-il conclu.")
    rows = quotes_of(text)
    assert len(rows) == 3
    assert {r["speaker"] for r in rows} == {"Francis Dumoulin"}
    assert len({r["speaker_entity_id"] for r in rows}) == 1


def test_offsets_slice_the_source_across_a_run_of_spaces(quotes_of):
    """The parser reads runs of spaces collapsed (an indented line wrap): the quotation's offsets still
    slice the source exactly, its text keeps the source's spaces, the speaker's name has single spaces."""
    from pipeline.paragraphs import normalise_chars

    text = ("Le conseil municipal s'est réuni mardi soir pour voter le budget.\n"
            "« Nous rouvrirons l'école\n      en septembre, après les travaux », a déclaré Jean-Pierre    "
            "Lefèvre, le maire de la commune, devant les habitants.")
    row = _row_starting(quotes_of(text), "Nous rouvrirons")
    assert row is not None
    source = text[row["doc_char_start"]:row["doc_char_end"]]
    assert source == "Nous rouvrirons l'école\n      en septembre, après les travaux"
    assert row["text"] == normalise_chars(source)
    assert row["speaker"] == "Jean-Pierre Lefèvre"
