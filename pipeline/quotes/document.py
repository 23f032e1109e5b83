"""One article as the syntactic attribution rules see it: the resolution state (:class:`Article`) plus
the paragraph docs, for the rules that read the parse around a quotation.
"""

from __future__ import annotations

from spacy.tokens import Token

from pipeline.model import DocumentParse
from pipeline.quotes.article import Article
from pipeline.quotes.export import QuoteRows
from pipeline.quotes.records import _Mention
from pipeline.quotes.words import _CLOSERS, _OPENERS


class _Document(Article):
    """One article with its paragraph docs, for the rules that need the tree."""

    def __init__(self, parse: DocumentParse, rows: QuoteRows, mentions: list[_Mention]):
        super().__init__(rows, mentions)
        self.parse = parse
        self.paras = parse.paragraphs

    def tok_start(self, para: int, tok: Token) -> int:
        return self.paras[para].doc_offset(tok.idx)

    def token_quoted(self, para: int, tok: Token) -> bool:
        return tok.text not in _OPENERS and tok.text not in _CLOSERS and tok.text != '"' and \
            self.is_quoted(self.tok_start(para, tok))

    def para_of(self, tok: Token) -> int:
        for i, pp in enumerate(self.paras):
            if pp.doc is tok.doc:
                return i
        raise ValueError("token outside the document")
