"""analysts: the resolved person on every article_official row

Revision ID: 0003
Revises: 0002

- article_official.person_id: who the row is about after merging short names, i.e.
  COALESCE(official_merge.into_id, official_id), stored so that the most-mentioned people, profiles and
  --official need no outer join. Backfilled here. Indexed (person_id, article_id) for one person's
  articles, and (article_id, person_id), replacing the index on article_id, for the people of filtered
  articles without reading the table.
- A trigger fills it on insert from official_merge (a re-ingested article keeps its merges until the next
  refresh, as before); store.officials.refresh_merges updates it when the merges change.
- officials_v reads person_id (same columns, same rows).
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

MERGED_INTO = ("(SELECT m.into_id FROM official_merge m "
               "WHERE m.article_id = {row}.article_id AND m.official_id = {row}.official_id)")

BACKFILL = (f"UPDATE article_official SET person_id = "
            f"COALESCE({MERGED_INTO.format(row='article_official')}, official_id)")

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER article_official_person AFTER INSERT ON article_official
        WHEN {MERGED_INTO.format(row='NEW')} IS NOT NULL BEGIN
          UPDATE article_official SET person_id = {MERGED_INTO.format(row='NEW')} WHERE id = NEW.id;
        END""",
]

POSTGRES_TRIGGERS = [
    f"""CREATE FUNCTION article_official_person() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.person_id := COALESCE({MERGED_INTO.format(row='NEW')}, NEW.official_id);
          RETURN NEW;
        END $$""",
    "CREATE TRIGGER article_official_person BEFORE INSERT ON article_official "
    "FOR EACH ROW EXECUTE FUNCTION article_official_person()",
]

OFFICIALS_V = """
SELECT ao.person_id, p.name AS person_name, o.id AS official_id,
       o.name AS official_name, ao.name_as_printed, ao.title, ao.article_id, a.title AS article_title,
       a.url, a.outlet, a.province, a.regency, a.published_at
FROM article_official ao
JOIN official o ON o.id = ao.official_id
JOIN official p ON p.id = ao.person_id
JOIN article a ON a.id = ao.article_id"""

OFFICIALS_V_0002 = """
SELECT COALESCE(m.into_id, o.id) AS person_id, p.name AS person_name, o.id AS official_id,
       o.name AS official_name, ao.name_as_printed, ao.title, ao.article_id, a.title AS article_title,
       a.url, a.outlet, a.province, a.regency, a.published_at
FROM article_official ao
JOIN official o ON o.id = ao.official_id
LEFT JOIN official_merge m ON m.article_id = ao.article_id AND m.official_id = ao.official_id
JOIN official p ON p.id = COALESCE(m.into_id, o.id)
JOIN article a ON a.id = ao.article_id"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # SQLite rebuilds the table below; a view naming it would break the rename.
    op.execute("DROP VIEW officials_v")
    op.add_column('article_official', sa.Column('person_id', sa.Integer(), nullable=True))
    op.execute(BACKFILL)
    with op.batch_alter_table('article_official') as batch_op:
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key('fk_article_official_person_id', 'official', ['person_id'], ['id'])
        batch_op.create_index('ix_article_official_person', ['person_id', 'article_id'])
        batch_op.create_index('ix_article_official_article_person', ['article_id', 'person_id'])
        batch_op.drop_index('ix_article_official_article_id')
    for statement in SQLITE_TRIGGERS if dialect == 'sqlite' else POSTGRES_TRIGGERS if dialect == 'postgresql' else []:
        op.execute(statement)
    op.execute(f"CREATE VIEW officials_v AS {OFFICIALS_V}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DROP VIEW officials_v")
    op.execute("DROP TRIGGER IF EXISTS article_official_person" + (" ON article_official" if dialect == 'postgresql'
                                                                    else ""))
    if dialect == 'postgresql':
        op.execute("DROP FUNCTION IF EXISTS article_official_person()")
    with op.batch_alter_table('article_official') as batch_op:
        batch_op.create_index('ix_article_official_article_id', ['article_id'])
        batch_op.drop_index('ix_article_official_article_person')
        batch_op.drop_index('ix_article_official_person')
        batch_op.drop_constraint('fk_article_official_person_id', type_='foreignkey')
        batch_op.drop_column('person_id')
    op.execute(f"CREATE VIEW officials_v AS {OFFICIALS_V_0002}")
