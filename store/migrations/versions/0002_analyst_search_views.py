"""analysts: full-text search, review trail columns, official merges, filter indexes, SQL views

Revision ID: 0002
Revises: 0001

- Full-text: SQLite gets an FTS5 external-content table over article(title, text), kept in sync by
  triggers; PostgreSQL gets a generated tsvector column (article.search_vector, not in the SQLModel
  model) with a GIN index, over the same text with punctuation folded to spaces ('simple'
  configuration: there is no Indonesian stemmer), so both backends see the same words.
- review.sentence / review.tagger_version: what was judged, readable after a re-tag.
- Reviews are append-only (a trigger refuses UPDATE): a decision is corrected by recording a new one.
- official_merge: short names merged into full names, per article (store.officials).
- Views documented in docs/analysts.md: flags_v, review_queue_v, officials_v, reviews_v.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

PG_DOCUMENT = "regexp_replace(coalesce(title, '') || ' ' || text, '[^[:alnum:]]+', ' ', 'g')"

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE article_fts USING fts5(title, text, content='article', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER article_fts_ai AFTER INSERT ON article BEGIN
         INSERT INTO article_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
       END""",
    """CREATE TRIGGER article_fts_ad AFTER DELETE ON article BEGIN
         INSERT INTO article_fts(article_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
       END""",
    """CREATE TRIGGER article_fts_au AFTER UPDATE OF title, text ON article BEGIN
         INSERT INTO article_fts(article_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
         INSERT INTO article_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
       END""",
    "INSERT INTO article_fts(article_fts) VALUES ('rebuild')",
    # Region + newest first (query, review queue, stats): SQLite walks these backwards, NULLs last.
    "CREATE INDEX ix_article_province_published ON article (province, published_at)",
    "CREATE INDEX ix_article_regency_published ON article (regency, published_at)",
    """CREATE TRIGGER review_append_only BEFORE UPDATE ON review BEGIN
         SELECT RAISE(ABORT, 'reviews are append-only: record a new decision instead');
       END""",
]

POSTGRES_FTS = [
    # A stored tsvector: ranking and index rechecks read it instead of re-parsing the text.
    f"ALTER TABLE article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    f"(to_tsvector('simple'::regconfig, {PG_DOCUMENT})) STORED",
    "CREATE INDEX ix_article_fts ON article USING gin (search_vector)",
    # Newest first with undated articles last, the order of `pantau query` and the review queue.
    "CREATE INDEX ix_article_published_desc ON article (published_at DESC NULLS LAST, id DESC)",
    "CREATE INDEX ix_article_province_published ON article (province, published_at DESC NULLS LAST, id DESC)",
    "CREATE INDEX ix_article_regency_published ON article (regency, published_at DESC NULLS LAST, id DESC)",
    """CREATE FUNCTION review_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'reviews are append-only: record a new decision instead';
       END $$""",
    "CREATE TRIGGER review_append_only BEFORE UPDATE ON review FOR EACH ROW EXECUTE FUNCTION review_append_only()",
]

VIEWS = {
    "flags_v": """
SELECT f.id AS flag_id, f.article_id, f.category, f.modality, f.subject, f.sentence,
       f.start AS sentence_start, f."end" AS sentence_end, f.fingerprint, f.tagger_version, f.created_at AS flagged_at,
       a.title, a.url, a.outlet, a.source, a.province, a.regency, a.published_at, a.fetched_at,
       a.article_type, a.roles,
       COALESCE(lr.decision, 'pending') AS review_status, lr.reviewer AS reviewed_by,
       lr.decided_at AS reviewed_at, lr.note AS review_note
FROM flag f
JOIN article a ON a.id = f.article_id
LEFT JOIN review lr ON lr.id = (SELECT max(r.id) FROM review r
                                WHERE r.article_id = f.article_id AND r.fingerprint = f.fingerprint)""",
    "review_queue_v": """
SELECT flag_id, article_id, category, modality, subject, sentence, fingerprint, tagger_version, flagged_at,
       title, url, outlet, source, province, regency, published_at, fetched_at, article_type, roles
FROM flags_v
WHERE modality = 'alleged' AND review_status = 'pending'""",
    "officials_v": """
SELECT COALESCE(m.into_id, o.id) AS person_id, p.name AS person_name, o.id AS official_id,
       o.name AS official_name, ao.name_as_printed, ao.title, ao.article_id, a.title AS article_title,
       a.url, a.outlet, a.province, a.regency, a.published_at
FROM article_official ao
JOIN official o ON o.id = ao.official_id
LEFT JOIN official_merge m ON m.article_id = ao.article_id AND m.official_id = ao.official_id
JOIN official p ON p.id = COALESCE(m.into_id, o.id)
JOIN article a ON a.id = ao.article_id""",
    "reviews_v": """
SELECT r.id AS review_id, r.article_id, r.fingerprint, r.category, r.decision, r.note, r.reviewer,
       r.decided_at, r.sentence, r.tagger_version,
       (SELECT min(f.id) FROM flag f WHERE f.article_id = r.article_id AND f.fingerprint = r.fingerprint)
         AS current_flag_id,
       a.title AS article_title, a.url, a.outlet, a.province, a.regency, a.published_at
FROM review r
JOIN article a ON a.id = r.article_id""",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column('review', sa.Column('sentence', sa.Text(), nullable=False, server_default=''))
    op.add_column('review', sa.Column('tagger_version', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))
    op.create_table('official_merge',
                    sa.Column('article_id', sa.Integer(), nullable=False),
                    sa.Column('official_id', sa.Integer(), nullable=False),
                    sa.Column('into_id', sa.Integer(), nullable=False),
                    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
                    sa.ForeignKeyConstraint(['article_id'], ['article.id'], ondelete='CASCADE'),
                    sa.ForeignKeyConstraint(['official_id'], ['official.id'], ondelete='CASCADE'),
                    sa.ForeignKeyConstraint(['into_id'], ['official.id'], ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('article_id', 'official_id'))
    op.create_index('ix_official_merge_into_id', 'official_merge', ['into_id'])
    op.create_table('official_merge_state',
                    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
                    sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
                    sa.Column('refreshed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('name'))
    for statement in SQLITE_FTS if dialect == 'sqlite' else POSTGRES_FTS if dialect == 'postgresql' else []:
        op.execute(statement)
    for name, body in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {body}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in reversed(list(VIEWS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")
    if dialect == 'sqlite':
        for trigger in ('review_append_only', 'article_fts_au', 'article_fts_ad', 'article_fts_ai'):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS article_fts")
    for index in ('ix_article_province_published', 'ix_article_regency_published'):
        op.execute(f"DROP INDEX IF EXISTS {index}")
    if dialect == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS review_append_only ON review")
        op.execute("DROP FUNCTION IF EXISTS review_append_only()")
        op.execute("DROP INDEX IF EXISTS ix_article_published_desc")
        op.execute("DROP INDEX IF EXISTS ix_article_fts")
        op.execute("ALTER TABLE article DROP COLUMN IF EXISTS search_vector")
    op.drop_index('ix_official_merge_into_id', 'official_merge')
    op.drop_table('official_merge_state')
    op.drop_table('official_merge')
    with op.batch_alter_table('review') as batch_op:
        batch_op.drop_column('tagger_version')
        batch_op.drop_column('sentence')
