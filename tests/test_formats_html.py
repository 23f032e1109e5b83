"""Saved web pages: the article a reader sees, the page's own metadata, and pages without an article.

The pages in tests/fixtures/html/ were written for these tests: an article page with a cookie banner,
menus, a byline, tags, a related-articles block, comments and a footer (article.html), a home page
(home.html), an article dated only by ``article:published_time`` (og_date.html) and a page in English
(english.html).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest
import trafilatura

from pipeline.formats import Extracted, NoArticle
from pipeline.formats.html import MAX_PAGE_ELEMENTS, extract_article, looks_like_html
from pipeline.ingest import canonicalise, read_corpus
from tests.test_ingest import write

PAGES = Path(__file__).parent / "fixtures" / "html"
HEADLINE = "Grenoble : la métropole vote un plan pour ses transports en commun"
ARTICLE_PARAGRAPHS = [
    "Le conseil métropolitain a adopté jeudi soir un plan de 400 millions d'euros",
    "Après quatre heures de débat, les élus de la métropole de Grenoble ont voté le plan",
    "« Ce plan change la vie quotidienne de dizaines de milliers d'habitants",
    "Une opposition divisée",
    "L'opposition a dénoncé un financement fragile. Selon Mathilde Quérel",
    "Le Syndicat mixte des mobilités de l'aire grenobloise lancera les premiers appels d'offres",
]
CHROME = [
    "cookies", "Accepter", "Paramétrer", "Je m'abonne", "Savoie", "Vendredi 29 novembre", "Par Claire",
    "Mots-clés", "À lire aussi", "Grève des tramways", "pistes cyclables", "Parkings relais : les tarifs",
    "Commentaires", "alpin38", "promesses", "Grésivaudan", "Votre commentaire", "Mentions légales",
    "Tous droits réservés",
]


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def extracted(markup: str) -> Extracted:
    result = extract_article(markup)
    assert isinstance(result, Extracted), result
    return result


def test_the_article_is_kept_and_the_page_chrome_dropped():
    article = extracted(page("article.html"))
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == HEADLINE  # trafilatura moved the <h1> to the metadata: put back once
    assert article.text.count(HEADLINE) == 1
    for start in ARTICLE_PARAGRAPHS:
        assert sum(p.startswith(start) for p in paragraphs) == 1, start
    assert len(paragraphs) == 1 + len(ARTICLE_PARAGRAPHS)
    for chrome in CHROME:
        assert chrome not in article.text, chrome


def test_the_page_metadata_is_read():
    metadata = extracted(page("article.html")).metadata
    assert metadata.title == HEADLINE
    assert metadata.author == "Claire Vasseur"
    assert metadata.site_name == "La Gazette des Alpes"
    assert metadata.url == "https://gazette-alpes.example/isere/grenoble-plan-transports"
    assert metadata.published_at == dt.date(2024, 3, 14)  # datePublished, not dateModified (15 March)


def test_an_og_published_time_alone_dates_the_page():
    article = extracted(page("og_date.html"))
    assert article.metadata.published_at == dt.date(2023, 11, 20)
    assert article.metadata.site_name == "Le Journal du Rhône"
    # here trafilatura kept the <h1> in the text: it is not added a second time
    headline = "Lyon : la bibliothèque de la Part-Dieu rouvre après deux ans de travaux"
    assert article.text.startswith(headline + "\n\n")
    assert article.text.count("Lyon : la bibliothèque de la Part-Dieu rouvre") == 1
    assert "Sur le même sujet" not in article.text and "musée des Confluences" not in article.text


def _without_metadata(markup: str) -> str:
    metadata = r"<script type=\"application/ld\+json\">.*?</script>|<meta [^>]*>"
    return re.sub(metadata, "", markup, flags=re.DOTALL)


def test_without_metadata_the_bylines_time_element_dates_the_page():
    assert extracted(_without_metadata(page("article.html"))).metadata.published_at == dt.date(2024, 3, 14)


def test_a_date_printed_in_the_page_is_not_page_metadata():
    """trafilatura's own date falls back on dates printed in the page (on the home page: the first
    teaser's); the page's date stays empty and the text rules of ingest decide."""
    home = trafilatura.bare_extraction(page("home.html"), with_metadata=True)
    assert home is not None and home.date == "2024-03-14"  # the first teaser's date
    no_time = re.sub(r"<time[^>]*>(.*?)</time>", r"\1", _without_metadata(page("article.html")))
    assert trafilatura.bare_extraction(no_time, with_metadata=True).date is not None
    assert extracted(no_time).metadata.published_at is None
    # a <time> of a reader comment, even inside the <article>, is not the page's
    stamped = '<p class="comment-author">alpin38 <time datetime="2024-03-16">16 mars</time></p>'
    commented = no_time.replace('<p class="comment-author">alpin38</p>', stamped)
    commented = commented.replace('<section id="comments"', '<article><section id="comments"')
    commented = commented.replace("</section>\n</main>", "</section></article>\n</main>")
    assert '<article><section id="comments"' in commented and "</section></article>" in commented
    assert extracted(commented).metadata.published_at is None


def test_a_home_page_has_no_article():
    result = extract_article(page("home.html"))
    assert isinstance(result, NoArticle)
    assert "home page" in result.detail


@pytest.mark.parametrize("markup", [
    "<html><body><nav><a href='/'>Accueil</a></nav></body></html>",
    "<html><body><div class='paywall'><p>Cet article est réservé aux abonnés.</p>"
    "<p><a href='/connexion'>Se connecter</a></p></div></body></html>",
])
def test_a_page_without_prose_has_no_article(markup: str):
    assert isinstance(extract_article(markup), NoArticle)


def test_html_detection():
    assert looks_like_html(page("home.html"))
    assert looks_like_html("<?xml version='1.0'?><html></html>")
    assert not looks_like_html("Le maire a déclaré que la séance était levée. " * 10)


# ------------------------------------------------------------------------------------------ via ingest


def test_ingest_reads_pages_with_their_metadata_and_reasons(tmp_path: Path):
    for name in ("article.html", "og_date.html", "home.html", "english.html"):
        write(tmp_path, name, page(name))
    write(tmp_path, "MAJUSCULES.HTM", page("og_date.html").replace("Part-Dieu", "Croix-Rousse"))
    documents, rejected = read_corpus(tmp_path)
    assert dict(zip(rejected["doc_id"], rejected["reason"], strict=True)) == {
        "home": "no_article", "english": "not_french"}
    rows = {row["doc_id"]: row for row in documents.iter_rows(named=True)}
    assert sorted(rows) == ["MAJUSCULES", "article", "og_date"]
    article = rows["article"]
    assert article["source_format"] == "html"
    assert article["text"] == canonicalise(extracted(page("article.html")).text)
    assert article["n_chars"] == len(article["text"])
    raw = (tmp_path / "article.html").read_bytes()
    assert article["content_sha256"] == hashlib.sha256(raw).hexdigest()  # the page's bytes, as for text
    assert (article["title"], article["source"]) == (HEADLINE, "La Gazette des Alpes")
    assert article["url"] == "https://gazette-alpes.example/isere/grenoble-plan-transports"
    assert article["published_at"] == article["reference_date"] == dt.date(2024, 3, 14)
    assert article["reference_date_basis"] == "html_metadata"
    assert (rows["og_date"]["reference_date"], rows["og_date"]["reference_date_basis"]) == (
        dt.date(2023, 11, 20), "html_metadata")


def test_a_sidecar_wins_over_the_page(tmp_path: Path):
    write(tmp_path, "article.html", page("article.html"))
    sidecar = {"title": "Titre du sidecar", "published_at": "2024-03-15"}
    write(tmp_path, "article.meta.json", json.dumps(sidecar))
    documents, rejected = read_corpus(tmp_path)
    assert rejected.height == 0
    row = documents.row(0, named=True)
    assert (row["title"], row["published_at"], row["reference_date"], row["reference_date_basis"]) == (
        "Titre du sidecar", dt.date(2024, 3, 15), dt.date(2024, 3, 15), "sidecar")
    assert row["source"] == "La Gazette des Alpes"  # a field the sidecar does not give comes from the page


def test_without_a_metadata_date_the_text_rules_date_the_page(tmp_path: Path):
    markup = re.sub(r"<meta property=\"article:published_time\"[^>]*>", "", page("og_date.html"))
    write(tmp_path, "sans_date.html", markup)
    documents, _ = read_corpus(tmp_path)
    row = documents.row(0, named=True)
    assert row["published_at"] is None
    assert row["reference_date_basis"] != "html_metadata"


def test_html_saved_as_txt_goes_through_the_html_path(tmp_path: Path):
    write(tmp_path, "page.txt", page("article.html"))
    documents, rejected = read_corpus(tmp_path)
    assert rejected.height == 0
    row = documents.row(0, named=True)
    assert row["source_format"] == "html" and row["reference_date_basis"] == "html_metadata"
    assert "cookies" not in row["text"] and row["text"].startswith(HEADLINE)


def test_a_western_encoded_page_and_an_xhtml_declaration(tmp_path: Path):
    markup = page("og_date.html").replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    write(tmp_path, "cp1252.html", markup.encode("cp1252"))
    write(tmp_path, "xhtml.html", '<?xml version="1.0" encoding="utf-8"?>\n' + page("og_date.html"))
    documents, rejected = read_corpus(tmp_path)
    assert rejected.height == 0
    texts = dict(zip(documents["doc_id"], documents["text"], strict=True))
    assert "Hélène Dufrêne" in texts["cp1252"] and texts["cp1252"] == texts["xhtml"]


def test_a_page_with_too_many_elements_is_too_large_and_svg_is_not_counted(tmp_path: Path):
    links = "".join(f"<a href='/{i}'>lien {i}</a>" for i in range(MAX_PAGE_ELEMENTS + 1))
    write(tmp_path, "archive.html", f"<html><body>{links}</body></html>")
    drawing = "<svg>" + "<path d='M0 0'/>" * (MAX_PAGE_ELEMENTS + 1) + "</svg>"
    write(tmp_path, "dessin.html", page("og_date.html").replace("<article>", f"<article>{drawing}"))
    documents, rejected = read_corpus(tmp_path)
    assert documents["doc_id"].to_list() == ["dessin"]
    assert dict(zip(rejected["doc_id"], rejected["reason"], strict=True)) == {"archive": "too_large"}
    assert f"{MAX_PAGE_ELEMENTS:,}-element limit" in rejected["detail"][0]
