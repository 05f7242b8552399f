"""The team's laptops as a table model (no window): member, laptop, enrolled, last sync, state.
Built from what ``sync.client.team.team`` returns. GUI thread only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.dates import format_moment

ROLES = {"advisor": "Adviser", "manager": "Manager", "admin": "Administrator"}


@dataclass(frozen=True)
class TeamLaptop:
    device_id: str
    username: str
    role: str
    name: str
    enrolled_at: str | None
    last_sync_at: str | None
    revoked_at: str | None
    own: bool  # this laptop

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def laptops_of(team: dict[str, Any], own_device_id: str) -> list[TeamLaptop]:
    rows = []
    for member in team.get("members", []):
        for d in member.get("devices", []):
            rows.append(TeamLaptop(
                device_id=str(d["device_id"]), username=str(member["username"]),
                role=str(member.get("role", "")), name=str(d.get("name") or ""),
                enrolled_at=d.get("enrolled_at"), last_sync_at=d.get("last_sync_at"),
                revoked_at=d.get("revoked_at"), own=str(d["device_id"]) == own_device_id,
            ))
    return rows


def parse_time(text: str | None) -> datetime | None:
    """A time the hub sent (ISO 8601; UTC when it says no zone)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _moment(text: str | None, blank: str) -> str:
    moment = parse_time(text)
    return format_moment(moment) if moment else blank


class Column(IntEnum):
    MEMBER = 0
    LAPTOP = 1
    LAST_SYNC = 2
    STATE = 3


HEADERS = {Column.MEMBER: "Team member", Column.LAPTOP: "Laptop",
           Column.LAST_SYNC: "Last sync", Column.STATE: "State"}


class TeamLaptopsModel(QAbstractTableModel):
    LaptopRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[TeamLaptop] = []

    def set_rows(self, rows: list[TeamLaptop]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[TeamLaptop]:
        return list(self._rows)

    def laptop(self, row: int) -> TeamLaptop | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        laptop = self._rows[index.row()]
        if role == self.LaptopRole:
            return laptop
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        column = Column(index.column())
        if column == Column.MEMBER:
            return f"{laptop.username} ({ROLES.get(laptop.role, laptop.role)})"
        if column == Column.LAPTOP:
            return laptop.name + (" (this laptop)" if laptop.own else "")
        if column == Column.LAST_SYNC:
            return _moment(laptop.last_sync_at, "Never")
        if laptop.revoked:
            return f"Revoked {_moment(laptop.revoked_at, '')}".strip()
        return "Active"
