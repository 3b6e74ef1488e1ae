"""The tables analysts' filters and queries are written against, as SQLAlchemy Core handles."""
from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, Table, Text

from store.models import Article, ArticleOfficial, ArticleRole, Flag, Review

ARTICLE = Article.__table__
FLAG = Flag.__table__
REVIEW = Review.__table__
ROLE = ArticleRole.__table__
ARTICLE_OFFICIAL = ArticleOfficial.__table__
# The SQLite FTS5 index (migration 0002); its hidden column of the same name is the MATCH target.
ARTICLE_FTS = Table("article_fts", MetaData(), Column("rowid", Integer), Column("article_fts", Text),
                    Column("rank", Float))
