"""The records that name a file get an index of their own.

Each sync looks for the files it has to move (``models.repo.files.named_files``). Most memory-box
items are written memories with no file, so that read went through every document and memory item
in the store: about a millisecond more for each 4,000 of them, on every sync, with nothing to
move. A partial index of only the records that name a file (holding what the read needs) makes it
cost what there is to move.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("documents", "memory_items")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(
            f"ix_{table}_files", table, ["sha256", "young_person_id", "size", "deleted"],
            sqlite_where=sa.text("sha256 IS NOT NULL"),
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_files", table_name=table)
