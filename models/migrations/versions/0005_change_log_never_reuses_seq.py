"""The change log never reuses a sequence number.

SQLite gives a new row the largest rowid plus one. Purging a young person deletes their change-log
entries; if those were the newest, the next local change would take a number the sync client's
push cursor has already passed, and would never be sent. ``AUTOINCREMENT`` makes SQLite remember
the largest number ever used, so a new entry always comes after every cursor.

The table is rebuilt (SQLite cannot add AUTOINCREMENT in place), keeping every entry and number.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = "seq, change_id, table_name, row_id, young_person_id, actor, fields, seen, by_ref, source"


def upgrade() -> None:
    op.execute("""
        CREATE TABLE change_log_new (
            seq INTEGER NOT NULL CONSTRAINT pk_change_log PRIMARY KEY AUTOINCREMENT,
            change_id VARCHAR(80) NOT NULL,
            table_name VARCHAR(40) NOT NULL,
            row_id VARCHAR(36) NOT NULL,
            young_person_id VARCHAR(36),
            actor VARCHAR(200) NOT NULL,
            fields JSON NOT NULL,
            seen JSON,
            by_ref BOOLEAN NOT NULL,
            source VARCHAR(80) NOT NULL,
            CONSTRAINT uq_change_log_change_id UNIQUE (change_id)
        )
    """)
    op.execute(f"INSERT INTO change_log_new ({COLUMNS}) SELECT {COLUMNS} FROM change_log")
    op.execute("DROP TABLE change_log")
    op.execute("ALTER TABLE change_log_new RENAME TO change_log")
    op.execute("CREATE INDEX ix_change_log_yp ON change_log (young_person_id)")


def downgrade() -> None:
    raise NotImplementedError("Stores are never downgraded; restore the backup instead.")
