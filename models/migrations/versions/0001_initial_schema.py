"""Initial schema of the local store (first release).

Revision ID: 0001
Revises: (none)
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("young_person_id", sa.String(length=36), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blobs")),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "young_people",
        sa.Column("legal_name", sa.String(length=300), nullable=False),
        sa.Column("preferred_name", sa.String(length=300), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("pronouns", sa.String(length=60), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("religion", sa.String(length=120), nullable=False),
        sa.Column("ethnicity", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("legal_status", sa.String(length=40), nullable=False),
        sa.Column("allocated_pa", sa.String(length=200), nullable=False),
        sa.Column("allocated_pa_phone", sa.String(length=60), nullable=False),
        sa.Column("allocated_pa_email", sa.String(length=200), nullable=False),
        sa.Column("in_custody", sa.Boolean(), nullable=False),
        sa.Column("prison", sa.String(length=200), nullable=False),
        sa.Column("prison_number", sa.String(length=40), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("release_accommodation_plan", sa.Text(), nullable=False),
        sa.Column("custody_checklist", sa.JSON(), nullable=False),
        sa.Column("is_parent", sa.Boolean(), nullable=False),
        sa.Column("expecting_child", sa.Boolean(), nullable=False),
        sa.Column("uasc", sa.Boolean(), nullable=False),
        sa.Column("twenty_one_plus_requested", sa.Boolean(), nullable=False),
        sa.Column("accommodation_type", sa.String(length=120), nullable=False),
        sa.Column("accommodation_suitable", sa.Boolean(), nullable=True),
        sa.Column("eet_status", sa.String(length=40), nullable=False),
        sa.Column("needs_assessment_done", sa.Date(), nullable=True),
        sa.Column("cover_photo_sha256", sa.String(length=64), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_young_people")),
    )
    op.create_table(
        "contact_notes",
        sa.Column("young_person_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("occurred_at", sa.String(length=32), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("amends_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["amends_id"],
            ["contact_notes.id"],
            name=op.f("fk_contact_notes_amends_id_contact_notes"),
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_people.id"],
            name=op.f("fk_contact_notes_young_person_id_young_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_notes")),
    )
    with op.batch_alter_table("contact_notes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contact_notes_yp_when", ["young_person_id", "occurred_at"], unique=False
        )

    op.create_table(
        "documents",
        sa.Column("young_person_id", sa.String(length=36), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("added_by_kind", sa.String(length=20), nullable=False),
        sa.Column("added_by_name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_people.id"],
            name=op.f("fk_documents_young_person_id_young_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_documents_young_person_id"), ["young_person_id"], unique=False
        )

    op.create_table(
        "important_people",
        sa.Column("young_person_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("relationship", sa.String(length=120), nullable=False),
        sa.Column("how_to_contact", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("is_emergency_contact", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_people.id"],
            name=op.f("fk_important_people_young_person_id_young_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_important_people")),
    )
    with op.batch_alter_table("important_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_important_people_young_person_id"), ["young_person_id"], unique=False
        )

    op.create_table(
        "key_dates",
        sa.Column("young_person_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("recurring", sa.Boolean(), nullable=False),
        sa.Column("plan_for_day", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_people.id"],
            name=op.f("fk_key_dates_young_person_id_young_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_dates")),
    )
    with op.batch_alter_table("key_dates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_key_dates_young_person_id"), ["young_person_id"], unique=False
        )

    op.create_table(
        "memory_items",
        sa.Column("young_person_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("memory_date", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("added_by_kind", sa.String(length=20), nullable=False),
        sa.Column("added_by_name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_people.id"],
            name=op.f("fk_memory_items_young_person_id_young_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memory_items")),
    )
    with op.batch_alter_table("memory_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_memory_items_young_person_id"), ["young_person_id"], unique=False
        )

    op.create_table(
        "plan_versions",
        sa.Column("young_person_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("agreed_with", sa.String(length=300), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_people.id"],
            name=op.f("fk_plan_versions_young_person_id_young_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
    )
    with op.batch_alter_table("plan_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_versions_young_person_id"), ["young_person_id"], unique=False
        )

    op.create_table(
        "plans",
        sa.Column("young_person_id", sa.String(length=36), nullable=False),
        sa.Column("life_summary", sa.Text(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("last_reviewed_on", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_people.id"],
            name=op.f("fk_plans_young_person_id_young_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("young_person_id", name=op.f("uq_plans_young_person_id")),
    )
    op.create_table(
        "plan_sections",
        sa.Column("young_person_id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("matter", sa.String(length=40), nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_sections_plan_id_plans")
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_people.id"],
            name=op.f("fk_plan_sections_young_person_id_young_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_sections")),
    )
    with op.batch_alter_table("plan_sections", schema=None) as batch_op:
        batch_op.create_index(
            "ix_plan_sections_yp_matter", ["young_person_id", "matter"], unique=False
        )

    op.create_table(
        "plan_actions",
        sa.Column("young_person_id", sa.String(length=36), nullable=False),
        sa.Column("section_id", sa.String(length=36), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("by_when", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["plan_sections.id"],
            name=op.f("fk_plan_actions_section_id_plan_sections"),
        ),
        sa.ForeignKeyConstraint(
            ["young_person_id"],
            ["young_people.id"],
            name=op.f("fk_plan_actions_young_person_id_young_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_actions")),
    )
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_actions_young_person_id"), ["young_person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_actions_young_person_id"))

    op.drop_table("plan_actions")
    with op.batch_alter_table("plan_sections", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_sections_yp_matter")

    op.drop_table("plan_sections")
    op.drop_table("plans")
    with op.batch_alter_table("plan_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_versions_young_person_id"))

    op.drop_table("plan_versions")
    with op.batch_alter_table("memory_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memory_items_young_person_id"))

    op.drop_table("memory_items")
    with op.batch_alter_table("key_dates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_dates_young_person_id"))

    op.drop_table("key_dates")
    with op.batch_alter_table("important_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_important_people_young_person_id"))

    op.drop_table("important_people")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_young_person_id"))

    op.drop_table("documents")
    with op.batch_alter_table("contact_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_notes_yp_when")

    op.drop_table("contact_notes")
    op.drop_table("young_people")
    op.drop_table("meta")
    op.drop_table("blobs")
    op.drop_table("audit_events")
