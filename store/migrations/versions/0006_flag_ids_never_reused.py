"""flag ids are never reused: on SQLite the flag table becomes AUTOINCREMENT (PostgreSQL sequences never reuse)

A flag id is what an analyst notes ("#186"); without AUTOINCREMENT SQLite gives a deleted highest id to the
next flag, so a noted id could name another finding after a retag drops the old one.

Revision ID: 0006
Revises: 0005
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    _recreate(autoincrement=True)


def downgrade() -> None:
    _recreate(autoincrement=False)


def _recreate(autoincrement: bool) -> None:
    """Copy the table into a new one (SQLite sets AUTOINCREMENT only at CREATE TABLE). The analysts' views on
    flag stay as they are: the legacy rename does not re-check them against the table being swapped."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("PRAGMA legacy_alter_table=ON")
    with op.batch_alter_table('flag', recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
        pass
    op.execute("PRAGMA legacy_alter_table=OFF")
