"""Embedded social-media posts: the paragraphs that speak from a post's signed date."""

from __future__ import annotations

from pipeline.french.posts import DATED_SIGNATURE
from pipeline.model import ParsedParagraph

_POST_MAX_LINES = 8
_PROSE_LINE_CHARS = 200


def post_date_paragraphs(paragraphs: list[ParsedParagraph]) -> dict[int, int]:
    """paragraph index -> index of the signature paragraph of the embedded post it belongs to.

    A post is signed ``– Name (@handle) 18 novembre 2023``; its text is the lines just above, as long as
    they do not look like article prose (short, or starting with a lowercase letter or a dash).
    """
    owner: dict[int, int] = {}
    for i, para in enumerate(paragraphs):
        if not DATED_SIGNATURE.search(para.text):
            continue
        owner[i] = i
        j = i - 1
        while j >= 0 and i - j <= _POST_MAX_LINES and j not in owner:
            line = paragraphs[j].text
            prose = len(line) > _PROSE_LINE_CHARS and line[:1].isupper()
            if prose and j != i - 1:
                break
            owner[j] = i
            if prose:
                break
            j -= 1
    return owner
