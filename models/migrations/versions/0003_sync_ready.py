"""Sync-ready store: the change log, conflicts, quarantine, device identity apart from data, the
out-of-hours service as a synced record, stable plan ids, computed version numbers, and
set-valued fields stamped per element.

Every record already in the store gets one change-log entry (so records made before enrolment
push on the first sync), and the plan and its ten sections take ids derived from the young
person's id.

Revision ID: 0003
Revises: 0002
"""

import json
import time
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SEEN_KEY = "deleted~seen"
# Frozen copies of what this revision knows (later code may change; this migration must not).
_NAMESPACE = uuid.UUID("5b0f7a52-8d8e-4d58-9b7e-2f6b4f0f5a31")
OUT_OF_HOURS_ID = str(uuid.uuid5(_NAMESPACE, "team_services/out_of_hours"))
TABLES = {  # table -> (scope column or None, append-only, set-valued columns, bool, json columns)
    "young_people": (
        "id",
        False,
        {"languages": "set", "custody_checklist": "flags"},
        {
            "in_custody",
            "is_parent",
            "expecting_child",
            "uasc",
            "twenty_one_plus_requested",
            "accommodation_suitable",
            "deleted",
        },
        set(),
    ),
    "important_people": ("young_person_id", False, {}, {"is_emergency_contact", "deleted"}, set()),
    "plans": ("young_person_id", False, {}, {"deleted"}, set()),
    "plan_sections": ("young_person_id", False, {}, {"deleted"}, set()),
    "plan_actions": ("young_person_id", False, {}, {"deleted"}, set()),
    "plan_versions": ("young_person_id", True, {}, {"deleted"}, {"snapshot"}),
    "contact_notes": ("young_person_id", True, {}, {"deleted"}, set()),
    "documents": ("young_person_id", False, {}, {"deleted"}, set()),
    "memory_items": ("young_person_id", False, {}, {"deleted"}, set()),
    "key_dates": ("young_person_id", False, {}, {"recurring", "deleted"}, set()),
    "team_services": (None, False, {}, {"deleted"}, set()),
}
APPEND_ONLY = ("contact_notes", "plan_versions")


def _plan_id(yp: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"plan/{yp}"))


def _section_id(yp: str, matter: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"plan_section/{yp}/{matter}"))


def _synced_columns():
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
    ]


def _create_tables() -> None:
    op.create_table(
        "team_services",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_services")),
    )
    op.create_table(
        "change_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("change_id", sa.String(length=80), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("young_person_id", sa.String(length=36), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("seen", sa.JSON(), nullable=True),
        sa.Column("by_ref", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_log")),
        sa.UniqueConstraint("change_id", name=op.f("uq_change_log_change_id")),
    )
    op.create_index("ix_change_log_yp", "change_log", ["young_person_id"])
    op.create_table(
        "superseded_stamps",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=300), nullable=False),
        sa.Column("stamp", sa.String(length=64), nullable=False),
        sa.Column("young_person_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint(
            "table_name", "row_id", "field", "stamp", name=op.f("pk_superseded_stamps")
        ),
    )
    op.create_index(
        op.f("ix_superseded_stamps_young_person_id"), "superseded_stamps", ["young_person_id"]
    )
    op.create_table(
        "conflicts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("young_person_id", sa.String(length=36), nullable=True),
        sa.Column("field", sa.String(length=300), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("stamp", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("detected_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
    )
    op.create_index("ix_conflicts_row", "conflicts", ["table_name", "row_id", "field"])
    op.create_index(op.f("ix_conflicts_young_person_id"), "conflicts", ["young_person_id"])
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("change_id", sa.String(length=80), nullable=False),
        sa.Column("young_person_id", sa.String(length=36), nullable=True),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("retryable", sa.Boolean(), nullable=False),
        sa.Column("change", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantine")),
    )
    op.create_index(op.f("ix_quarantine_change_id"), "quarantine", ["change_id"])
    op.create_index(op.f("ix_quarantine_young_person_id"), "quarantine", ["young_person_id"])
    op.create_table(
        "device_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.String(length=32), nullable=False),
        sa.Column("bound_to", sa.String(length=64), nullable=False),
        sa.Column("enrolled_at", sa.String(length=32), nullable=True),
        sa.Column("hub_url", sa.String(length=300), nullable=False),
        sa.Column("hub_device_id", sa.String(length=80), nullable=False),
        sa.Column("retired_nodes", sa.JSON(), nullable=False),
        sa.Column("copied_from", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_identity")),
    )


def _stamp(ms: int, counter: int, node: str) -> str:
    return f"{ms:013d}-{counter:05d}-{node}"


def _move_meta(conn) -> None:
    meta = dict(conn.exec_driver_sql("SELECT key, value FROM meta").fetchall())
    node = meta.get("node_id") or uuid.uuid4().hex[:12]
    conn.exec_driver_sql(
        "INSERT INTO device_identity (id, node_id, bound_to, hub_url, hub_device_id, "
        "retired_nodes, copied_from) VALUES (1, ?, '', '', '', '[]', '')",
        (node,),
    )
    name, phone = meta.get("out_of_hours_name", ""), meta.get("out_of_hours_phone", "")
    if name or phone:
        high = meta.get("clock_high_water")
        ms = max(int(time.time() * 1000), int(high.split("-", 1)[0]) + 1 if high else 0)
        stamp = _stamp(ms, 0, node)
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
        stamps = {k: stamp for k in ("name", "phone", "created_by", "created_at")}
        conn.exec_driver_sql(
            "INSERT INTO team_services (id, name, phone, created_by, created_at, deleted, stamps) "
            "VALUES (?, ?, ?, ?, ?, 0, ?)",
            (OUT_OF_HOURS_ID, name, phone, meta.get("owner_name", ""), now, json.dumps(stamps)),
        )
        conn.exec_driver_sql(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock_high_water', ?)", (stamp,)
        )
    conn.exec_driver_sql(
        "DELETE FROM meta WHERE key IN ('node_id', 'out_of_hours_name', 'out_of_hours_phone')"
    )


def _stable_plan_ids(conn) -> None:
    dbapi = conn.connection.dbapi_connection
    dbapi.create_function("pd_plan_id", 1, _plan_id, deterministic=True)
    dbapi.create_function("pd_section_id", 2, _section_id, deterministic=True)
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    conn.exec_driver_sql(
        "UPDATE plan_actions SET section_id = (SELECT pd_section_id(s.young_person_id, s.matter) "
        "FROM plan_sections s WHERE s.id = plan_actions.section_id)"
    )
    conn.exec_driver_sql(
        "UPDATE plan_sections SET id = pd_section_id(young_person_id, matter), "
        "plan_id = pd_plan_id(young_person_id)"
    )
    conn.exec_driver_sql("UPDATE plans SET id = pd_plan_id(young_person_id)")


def _backfill(conn) -> None:
    """One change-log entry per existing record, and per-element stamps for set fields."""
    for table, (scope, append_only, sets, bools, jsons) in TABLES.items():
        cur = conn.exec_driver_sql(f"SELECT * FROM {table}")  # noqa: S608 - fixed names
        names = [d[0] for d in cur.cursor.description]
        log, restamp = [], []
        for raw in cur.fetchall():
            row = dict(zip(names, raw, strict=True))
            stamps = json.loads(row["stamps"] or "{}")
            first = min((v for v in stamps.values() if isinstance(v, str)), default=None)
            if first is None:
                continue
            stamps.setdefault("created_by", first)
            stamps.setdefault("created_at", first)
            for name, kind in sets.items():
                whole = stamps.pop(name, None)
                value = json.loads(row[name] or ("{}" if kind == "flags" else "[]"))
                if whole is None:
                    continue
                ms, counter, node = whole.split("-", 2)
                if kind == "flags":
                    for key in value:
                        stamps[f"{name}[{key}]"] = whole
                else:  # distinct, increasing stamps keep the order the list was typed in
                    for i, element in enumerate(value):
                        stamps[f"{name}[{element}]"] = _stamp(int(ms), int(counter) + i, node)
            if row["deleted"]:
                stamps[SEEN_KEY] = {
                    k: v for k, v in stamps.items() if k != "deleted" and isinstance(v, str)
                }
            fields = {}
            for key, stamp in stamps.items():
                if not isinstance(stamp, str):
                    continue
                name, bracket, rest = key.partition("[")
                if append_only:
                    value = None
                elif bracket:
                    element = rest[:-1]
                    whole = json.loads(row[name] or "null")
                    value = bool(whole.get(element)) if isinstance(whole, dict) else True
                elif name in bools:
                    value = None if row[name] is None else bool(row[name])
                elif name in jsons:
                    value = json.loads(row[name]) if row[name] is not None else None
                else:
                    value = row[name]
                fields[key] = [value, stamp, []]
            yp = row["id"] if scope == "id" else (row[scope] if scope else None)
            log.append(
                (
                    str(uuid.uuid4()),
                    table,
                    row["id"],
                    yp,
                    row["created_by"],
                    json.dumps(fields),
                    json.dumps(stamps.get(SEEN_KEY)) if row["deleted"] else None,
                    1 if append_only else 0,
                )
            )
            restamp.append((json.dumps(stamps), row["id"]))
        if table in APPEND_ONLY:
            for event in ("update", "delete"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
        conn.connection.dbapi_connection.cursor().executemany(
            f"UPDATE {table} SET stamps = ? WHERE id = ?",
            restamp,  # noqa: S608
        )
        if table in APPEND_ONLY:
            _append_only_triggers(conn, table)
        conn.connection.dbapi_connection.cursor().executemany(
            "INSERT INTO change_log (change_id, table_name, row_id, young_person_id, actor, "
            "fields, seen, by_ref, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'local')",
            log,
        )


def _append_only_triggers(conn, table: str) -> None:
    for event in ("UPDATE", "DELETE"):
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only: {table} cannot be changed'); END"
        )


def upgrade() -> None:
    _create_tables()
    conn = op.get_bind()
    _move_meta(conn)
    _stable_plan_ids(conn)
    # Version numbers are computed at read time (devices may agree versions offline).
    for event in ("update", "delete"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS plan_versions_no_{event}")
    conn.exec_driver_sql("ALTER TABLE plan_versions DROP COLUMN version")
    _append_only_triggers(conn, "plan_versions")
    _backfill(conn)


def downgrade() -> None:
    raise NotImplementedError("a sync-ready store cannot be taken back to revision 0002")
