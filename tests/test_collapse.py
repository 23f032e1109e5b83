"""The parser reads paragraphs with runs of spaces collapsed; every offset still points into the source."""

from __future__ import annotations

import random

import pytest

from pipeline.collapse import collapse_spaces, collapse_whitespace


@pytest.mark.parametrize(
    "text",
    ["", "a", "  ", "un  deux", "  en tête", "en fin  ", "a  b   c    d", "Jean-Pierre      Lefèvre, maire"],
)
def test_every_collapsed_offset_maps_to_the_same_character_of_the_source(text):
    collapsed, offsets = collapse_whitespace(text)
    assert "  " not in collapsed
    assert len(offsets) == len(collapsed)
    assert all(text[o] == c for c, o in zip(collapsed, offsets, strict=True))
    assert offsets == sorted(set(offsets))


def test_source_offsets_map_back_to_the_kept_character_or_the_next_one():
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice("ab  ") for _ in range(rng.randrange(0, 40)))
        collapsed, mapping = collapse_spaces(text)
        if mapping is None:
            assert collapsed == text
            continue
        assert mapping.source_offset(len(collapsed)) == len(text)
        for i in range(len(collapsed)):
            source = mapping.source_offset(i)
            assert text[source] == collapsed[i]
            assert mapping.collapsed_offset(source) == i
        for source in range(len(text)):
            i = mapping.collapsed_offset(source)
            assert mapping.source_offset(i) >= source or text[source] == " "


WRAPPED_PAGE = """\
   Le projet de rénovation de la médiathèque a été présenté lundi
   soir aux habitants, réunis dans la salle des fêtes du village.
   Les travaux commenceront au printemps et dureront deux années
   selon le calendrier établi par les services. Selon Jean-Pierre
   Lefèvre, ancien maire de la commune, la décision sera prise en
   mars après une nouvelle consultation des habitants du quartier.
"""


def test_a_name_wrapped_across_an_indented_line_is_parsed_whole_and_points_into_the_source(parse):
    document = parse(WRAPPED_PAGE)
    [paragraph] = document.paragraphs
    assert "  " not in paragraph.text
    [name] = [ent for ent in paragraph.doc.ents if "Lefèvre" in ent.text]
    assert name.text == "Jean-Pierre Lefèvre"
    start, end = paragraph.span_offsets(name)
    assert WRAPPED_PAGE[start:end] == "Jean-Pierre\n   Lefèvre"
    assert paragraph.local_offset(start) == name.start_char
    assert paragraph.doc_char_end == WRAPPED_PAGE.index("quartier.") + len("quartier.")
