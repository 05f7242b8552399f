"""The change log keeps a change that wrote every field at one stamp in a compact form.

Nearly every change is the first write of a new record: all its fields share one stamp and
replace nothing. The log kept that stamp once per field (and an empty list of replaced stamps),
so a first sync of a team wrote it tens of thousands of times over. ``change_log.stamp`` now holds
it once, and ``fields`` holds just the values (see ``models.schema.ChangeLog``). Entries already
written keep their form: both are read back alike.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: the table is not rebuilt, so its AUTOINCREMENT counter stays.
    op.add_column("change_log", sa.Column("stamp", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("change_log") as batch:
        batch.drop_column("stamp")
