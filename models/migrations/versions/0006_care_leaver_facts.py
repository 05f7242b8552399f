"""The statutory care-leaver facts (SSDA903): one append-only recording per young person per
contact — in touch, activity, accommodation and its suitability, with the date and who recorded.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLE = "care_leaver_facts"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("young_person_id", sa.String(length=36), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("in_touch", sa.String(length=4), nullable=False),
        sa.Column("activity", sa.String(length=2), nullable=False),
        sa.Column("accommodation", sa.String(length=1), nullable=False),
        sa.Column("accommodation_suitable", sa.Boolean(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_people.id"],
            name=op.f("fk_care_leaver_facts_young_person_id_young_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_leaver_facts")),
    )
    op.create_index(
        "ix_care_leaver_facts_yp_when", TABLE, ["young_person_id", "recorded_on"], unique=False
    )
    # A statutory record: once written it never changes (as models.purge lifts and restores).
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{event.lower()} BEFORE {event} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only: {TABLE} cannot be changed'); END"
        )


def downgrade() -> None:
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{event}")
    op.drop_index("ix_care_leaver_facts_yp_when", table_name=TABLE)
    op.drop_table(TABLE)
