"""Drafts of unsaved edits, append-only guards on notes and agreed plan versions, and an
index for finding a plan section's actions.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY = ("contact_notes", "plan_versions")


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_drafts")),
    )
    with op.batch_alter_table("plan_actions") as batch:
        batch.create_index("ix_plan_actions_section_id", ["section_id"])
    for table in APPEND_ONLY:
        # A legal record: once written, its text never changes. Purging a young person
        # who leaves this device's scope (sync) must drop and recreate these in its transaction.
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'append-only: {table} cannot be changed'); END"
            )


def downgrade() -> None:
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    with op.batch_alter_table("plan_actions") as batch:
        batch.drop_index("ix_plan_actions_section_id")
    op.drop_table("drafts")
