"""Contact notes lose their (young person, kind, time) index.

It was made (0002) so the caseload could find each young person's last visit without reading
note text. The caseload has read that from ``contact_summary`` ever since (kept by triggers,
0002 and 0004); nothing else asks for notes by kind across young people, and a young person's
own notes of some kinds are found through ``ix_contact_notes_yp_when``. The index cost every note
written: a manager's first sync of a 200-young-person team (30,000 notes) wrote about a tenth
less with it gone (writing 1.14 -> 1.04 s, alternating runs).

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_contact_notes_yp_kind_when", table_name="contact_notes")


def downgrade() -> None:
    op.create_index(
        "ix_contact_notes_yp_kind_when", "contact_notes", ["young_person_id", "kind", "occurred_at"]
    )
