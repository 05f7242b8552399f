"""Drafts of unsaved edits, append-only guards on notes and agreed plan versions, and indexes
that let the caseload load without reading note text or plan snapshots.

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
VISITS = "('custody_visit', 'home_visit', 'out_of_area_visit')"  # models.domain.VISIT_KINDS

# ISO-8601 UTC text sorts in time order, so max() of the text is the latest time.
SUMMARY_TRIGGER = f"""
CREATE TRIGGER contact_summary_on_note AFTER INSERT ON contact_notes
BEGIN
    INSERT INTO contact_summary (young_person_id, last_contact, last_visit)
    VALUES (
        new.young_person_id, new.occurred_at,
        CASE WHEN new.kind IN {VISITS} THEN new.occurred_at END
    )
    ON CONFLICT (young_person_id) DO UPDATE SET
        last_contact = max(coalesce(last_contact, ''), excluded.last_contact),
        last_visit = CASE
            WHEN excluded.last_visit IS NULL THEN last_visit
            ELSE max(coalesce(last_visit, ''), excluded.last_visit)
        END;
END
"""
BACKFILL = f"""
INSERT INTO contact_summary (young_person_id, last_contact, last_visit)
SELECT young_person_id, max(occurred_at),
       max(CASE WHEN kind IN {VISITS} THEN occurred_at END)
FROM contact_notes GROUP BY young_person_id
"""


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
    op.create_index(
        "ix_contact_notes_yp_kind_when", "contact_notes", ["young_person_id", "kind", "occurred_at"]
    )
    op.create_index("ix_plan_versions_yp_agreed", "plan_versions", ["young_person_id", "agreed_on"])
    op.create_table(
        "contact_summary",
        sa.Column("young_person_id", sa.String(length=36), nullable=False),
        sa.Column("last_contact", sa.String(length=32), nullable=True),
        sa.Column("last_visit", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("young_person_id", name=op.f("pk_contact_summary")),
    )
    op.execute(BACKFILL)
    op.execute(SUMMARY_TRIGGER)
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
    op.execute("DROP TRIGGER IF EXISTS contact_summary_on_note")
    op.drop_table("contact_summary")
    op.drop_index("ix_plan_versions_yp_agreed", "plan_versions")
    op.drop_index("ix_contact_notes_yp_kind_when", "contact_notes")
    with op.batch_alter_table("plan_actions") as batch:
        batch.drop_index("ix_plan_actions_section_id")
    op.drop_table("drafts")
