"""desk: accounts, their API tokens, and what digests have sent

Revision ID: 0004
Revises: 0003

- account: the review desk's users (argon2 password hash, role viewer|reviewer|admin, disabled flag,
  failed-login counter and lock, e-mail and apprise targets, subscriptions as JSON lists).
- api_token: per-account tokens for the JSON API, stored as SHA-256 hex.
- digest_sent: (account, article, fingerprint, channel) of every flag a digest has delivered by e-mail or
  by notification, so re-runs send nothing twice and a failed delivery is retried next time.
The review table is unchanged: the desk adds the decision `needs_more` (a string like the others).
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'account',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('disabled', sa.Boolean(), nullable=False),
        sa.Column('email', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('notify_urls', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('sub_provinces', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('sub_roles', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('sub_categories', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('failed_logins', sa.Integer(), nullable=False),
        sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('last_login_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_account_name', 'account', ['name'], unique=True)
    op.create_table(
        'api_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('last_used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_api_token_account_id', 'api_token', ['account_id'])
    op.create_index('ix_api_token_token_hash', 'api_token', ['token_hash'], unique=True)
    op.create_table(
        'digest_sent',
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['article_id'], ['article.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('account_id', 'article_id', 'fingerprint', 'channel'))


def downgrade() -> None:
    op.drop_table('digest_sent')
    op.drop_index('ix_api_token_token_hash', table_name='api_token')
    op.drop_index('ix_api_token_account_id', table_name='api_token')
    op.drop_table('api_token')
    op.drop_index('ix_account_name', table_name='account')
    op.drop_table('account')
