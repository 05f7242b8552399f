"""The caseload's last contact and last visit follow amendments: a note corrected to another
kind or date counts as corrected (a visit recorded by mistake must not hide an overdue visit).

The summary trigger now counts only notes no amendment replaces; an amendment recomputes its
young person's summary from those. An index on ``amends_id`` keeps that to one lookup per note.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VISITS = "('custody_visit', 'home_visit', 'out_of_area_visit')"  # models.domain.VISIT_KINDS

# ISO-8601 UTC text sorts in time order, so max() of the text is the latest time.
ON_NEW_NOTE = f"""
CREATE TRIGGER contact_summary_on_note AFTER INSERT ON contact_notes
WHEN new.amends_id IS NULL
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
CURRENT = """
FROM contact_notes n
WHERE n.young_person_id = {yp}
  AND NOT EXISTS (SELECT 1 FROM contact_notes a WHERE a.amends_id = n.id)
"""
ON_AMENDMENT = f"""
CREATE TRIGGER contact_summary_on_amendment AFTER INSERT ON contact_notes
WHEN new.amends_id IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO contact_summary (young_person_id, last_contact, last_visit)
    SELECT new.young_person_id, max(n.occurred_at),
           max(CASE WHEN n.kind IN {VISITS} THEN n.occurred_at END)
    {CURRENT.format(yp="new.young_person_id")};
END
"""
REBUILD = f"""
INSERT OR REPLACE INTO contact_summary (young_person_id, last_contact, last_visit)
SELECT y.id,
       (SELECT max(n.occurred_at) {CURRENT.format(yp="y.id")}),
       (SELECT max(CASE WHEN n.kind IN {VISITS} THEN n.occurred_at END) {CURRENT.format(yp="y.id")})
FROM young_people y
WHERE EXISTS (SELECT 1 FROM contact_notes c WHERE c.young_person_id = y.id)
"""


def upgrade() -> None:
    op.create_index("ix_contact_notes_amends_id", "contact_notes", ["amends_id"])
    op.execute("DROP TRIGGER IF EXISTS contact_summary_on_note")
    op.execute(ON_NEW_NOTE)
    op.execute(ON_AMENDMENT)
    op.execute(REBUILD)


def downgrade() -> None:
    raise NotImplementedError("the summary's rules only move forward")
