"""The signature line of an embedded social-media post, ``– Name (@handle) 18 novembre 2023``, in one place.

A post quoted in an article is signed by a dash, the author's name, the handle in brackets and the date.
Each stage reads the part of the line it needs, so the shape has three readings, from the loosest:

- :data:`SIGNATURE_LINE`: a whole line that is a signature (any author, any date text), which the article
  body keeps with its post (``pipeline/article_body.py``, ``pipeline/paragraphs.py``);
- :data:`DATED_SIGNATURE`: a signature ending on a full French date (``date`` group), the day the post's
  lines speak from (``pipeline/temporal``, ``pipeline/events``);
- :data:`AUTHORED_SIGNATURE`: a signature whose author is a capitalised name (``name`` and ``handle``
  groups, a ``date`` group ending on a year), the speaker of the post (``pipeline/quotes``).

Every repetition is bounded, so a long line of dashes or names is read in linear time
(``tests/test_regex_linear.py``).
"""

from __future__ import annotations

import re

from pipeline.french.calendar import MONTHS

_DASH = r"[-–—]"
_DAY = r"1er|premier|3[01]|[12]\d|0?[1-9]"
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

SIGNATURE_LINE = re.compile(rf"^{_DASH}?.{{0,80}}\(@\w{{1,30}}\)\s*.{{0,40}}$")

DATED_SIGNATURE = re.compile(
    rf"{_DASH}\s*[^\n()]{{1,80}}\(@\w+\)\s*(?P<date>(?:{_DAY})\s+(?:{_MONTH})\s+\d{{4}})\s*$", re.IGNORECASE)

# Name words are bounded (40 characters): an unbounded word re-read the rest of a line of glued "-A-A-A"
# from every dash, quadratic time on a long line without spaces.
_NAME_WORD = r"[A-ZÀ-Þ][\w.'’-]{0,40}"
_NAME = _NAME_WORD + r"(?:\s+(?:" + _NAME_WORD + r"|de|du|van|von|der|da|di|le|la|el|al|bin|ben)){0,4}"
AUTHORED_SIGNATURE = re.compile(
    rf"{_DASH}\s*(?P<name>{_NAME})\s*\(@(?P<handle>\w{{1,30}})\)\s*(?P<date>[^\n]{{0,40}}?\d{{4}})\s*$")
