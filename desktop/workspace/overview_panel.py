"""Overview: who the young person is, what is due, what they are entitled to, who matters.

"Edit profile" asks the main window for the profile dialog (``edit_requested``); the people who
matter and the key dates are added, edited and removed here (``people_dates_dialogs``).
Follows the panel contract of the workspace (``loaded``, ``flush_drafts``,
``current_state``/``restore_state``). Loads in one read operation, again after every change
announced for this young person. GUI thread only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import wrapped
from desktop.bidi import isolate
from desktop.caseload.caseload_model import BADGE_MEANING
from desktop.caseload.profile_form import LEGAL_STATUSES
from desktop.dates import format_day
from desktop.operations import Changes, Kind, Operations
from desktop.workspace import people_dates_dialogs as dialogs
from desktop.workspace.people_dates_dialogs import KeyDateDialog, PersonDialog
from models.records import KeyDateView, Person, Profile
from models.repo.young_people import list_key_dates, list_people, load_profile
from models.rules import EetStatus, birthday_in_year

SHOWN_KINDS = (Kind.PROFILE, Kind.PEOPLE, Kind.PLAN, Kind.NOTES)  # notes: when a visit is due
TWO_COLUMNS_FROM_CHARS = 110  # narrower than this (big fonts, 200% scale): one column
_LEGAL = dict(LEGAL_STATUSES)
_SUITABLE = {None: "Not assessed", True: "Suitable", False: "Not suitable"}


class OverviewPanel(QWidget):
    edit_requested = Signal()
    loaded = Signal()  # the record as last read is shown

    def __init__(
        self,
        ops: Operations,
        young_person_id: str,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("OverviewPanel")
        self._ops = ops
        self.young_person_id = young_person_id
        self._today = today
        self._columns = 0
        self.profile: Profile | None = None
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.edit_button = QPushButton("&Edit profile…")
        self.edit_button.setAccessibleName("Edit profile")
        self.edit_button.setToolTip("Edit profile (Ctrl+E)")
        self.groups = {
            "due": QGroupBox("What is due"),
            "about": QGroupBox("About them"),
            "circumstances": QGroupBox("Circumstances"),
            "home": QGroupBox("Home, education and work"),
            "contact": QGroupBox("Contact details"),
            "offers": QGroupBox("Offers they can have"),
            "key_dates": QGroupBox("Key dates"),
            "people": QGroupBox("People who matter to them"),
        }
        for box in self.groups.values():
            box.setAccessibleName(box.title())
            QVBoxLayout(box)
        self.left_column = QVBoxLayout()
        self.right_column = QVBoxLayout()
        columns = QHBoxLayout()
        columns.addLayout(self.left_column, 1)
        columns.addLayout(self.right_column, 1)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        top = QHBoxLayout()
        top.addWidget(
            wrapped("A summary of the record. To change the profile, use Edit profile "
                    "(Ctrl+E); add people and key dates in their boxes."), 1
        )
        top.addWidget(self.edit_button)
        body_layout.addLayout(top)
        body_layout.addLayout(columns)
        body_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)

    def _connect_signals(self) -> None:
        self.edit_button.clicked.connect(self.edit_requested)
        self._ops.announcer.changes_announced.connect(self.on_announcer_changes_announced)

    def _load(self) -> None:
        yp_id, today = self.young_person_id, self._today

        def read(s) -> tuple[Profile, tuple[Person, ...], tuple[KeyDateView, ...]]:
            return (
                load_profile(s, yp_id, today),
                tuple(list_people(s, yp_id)),
                tuple(list_key_dates(s, yp_id)),
            )

        self._ops.read(read, parent=self, on_done=self._show)

    def _show(self, read: tuple[Profile, tuple[Person, ...], tuple[KeyDateView, ...]]) -> None:
        profile, people, key_dates = read
        self.profile = profile
        self._fill_due(profile)
        self._fill_about(profile)
        self._fill_circumstances(profile)
        self._fill_home(profile)
        self._fill_contact(profile)
        self._fill_offers(profile)
        self._fill_key_dates(key_dates)
        self._fill_people(people)
        self._arrange()
        self.loaded.emit()

    def on_announcer_changes_announced(self, changes: Changes, _initiator: object) -> None:
        if changes.concerns(self.young_person_id) and changes.touches(*SHOWN_KINDS):
            self._load()

    # -- panel contract ------------------------------------------------------------------------

    def reload(self) -> None:
        self._load()

    def flush_drafts(self) -> None:
        """Nothing is typed here; the profile dialog keeps its own draft."""

    def current_state(self) -> dict:
        return {"scroll": self.scroll.verticalScrollBar().value()}

    def restore_state(self, state: dict) -> None:
        self.scroll.verticalScrollBar().setValue(int(state.get("scroll", 0)))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange()

    # -- filling -------------------------------------------------------------------------------

    def _fill_due(self, p: Profile) -> None:
        lines = []
        for item in p.due:
            if item.overdue:
                lines.append(("alert", f"Overdue: {item.label}, was due {format_day(item.due)}"))
            else:
                lines.append(("", f"{item.label}: due {format_day(item.due)}"))
        if not lines:
            lines.append(("", "Nothing is due (the leaving care duty ends at 25)."))
        self._set_lines("due", lines)

    def _fill_about(self, p: Profile) -> None:
        self._set_form(
            "about",
            [
                ("Preferred name", p.preferred_name),
                ("Legal name", p.legal_name),
                ("Date of birth", f"{format_day(p.date_of_birth)} (age {p.age})"),
                ("Pronouns", p.pronouns),
                ("Languages", ", ".join(p.languages)),
                ("Religion", p.religion),
                ("Ethnicity", p.ethnicity),
                ("Legal status", _LEGAL.get(p.legal_status, p.legal_status)),
                ("Allocated PA", _join(p.allocated_pa, p.allocated_pa_phone, p.allocated_pa_email)),
                ("Needs assessment", format_day(p.needs_assessment_done, "Not recorded")),
            ],
        )

    def _fill_circumstances(self, p: Profile) -> None:
        rows = []
        flags = {
            "custody": p.in_custody,
            "parent": p.is_parent,
            "expecting": p.expecting_child,
            "uasc": p.uasc,
        }
        rows += [("", BADGE_MEANING[k]) for k, on in flags.items() if on]
        if p.twenty_one_plus_requested:
            rows.append(("", "Wants support after 21 (21Plus)"))
        if p.in_custody:
            rows.append(
                ("Prison", _join(p.prison, p.prison_number and f"number {p.prison_number}"))
            )
            rows.append(("Release date", format_day(p.release_date, "Not known")))
        if not rows:
            rows.append(("", "None recorded."))
        self._set_form("circumstances", rows)

    def _fill_home(self, p: Profile) -> None:
        suitable = _SUITABLE.get(p.accommodation_suitable, "Not assessed")
        try:
            eet = EetStatus(p.eet_status).label
        except ValueError:
            eet = p.eet_status
        self._set_form(
            "home",
            [
                ("Accommodation", p.accommodation_type or "Not recorded"),
                ("Suitable", suitable),
                ("Education, employment or training", eet),
            ],
            alerts={"Suitable"} if p.accommodation_suitable is False else set(),
        )

    def _fill_contact(self, p: Profile) -> None:
        self._set_form("contact", [("Phone", p.phone), ("Email", p.email), ("Address", p.address)])

    def _fill_offers(self, p: Profile) -> None:
        if not p.offers:
            self._set_lines("offers", [("", "No care-leaver offers at this age.")])
            return
        self._set_lines(
            "offers",
            [("", f"<b>{offer.value}</b>: {_html(offer.plain_words)}") for offer in p.offers],
        )

    def _fill_key_dates(self, dates: tuple[KeyDateView, ...]) -> None:
        today = self._today or date.today()
        layout = self._reset("key_dates")
        for k in dates:
            when = _next_occurrence(k, today)
            text = f"<b>{_html(isolate(k.label))}</b>: {format_day(when)}"
            if k.plan_for_day:
                text += f"<br>Plan for the day: {_html(k.plan_for_day)}"
            layout.addLayout(self._entry(
                text, k.label,
                lambda _c=False, k=k: self._open(KeyDateDialog(self._ops, self.young_person_id, k,
                                                               self)),
                lambda _c=False, k=k: dialogs.remove_key_date(self._ops, self,
                                                              self.young_person_id, k)))
        if not dates:
            layout.addWidget(wrapped("No key dates recorded."))
        self.add_key_date_button = self._add_button(
            layout, "Add a &key date…", "Add a key date",
            lambda: self._open(KeyDateDialog(self._ops, self.young_person_id, None, self)))

    def _fill_people(self, people: tuple[Person, ...]) -> None:
        layout = self._reset("people")
        for person in people:
            text = f"<b>{_html(isolate(person.name))}</b>"
            if person.relationship:
                text += f" ({_html(isolate(person.relationship))})"
            if person.is_emergency_contact:
                text += ", emergency contact"
            if person.how_to_contact:
                text += f"<br>{_html(person.how_to_contact)}"
            layout.addLayout(self._entry(
                text, person.name,
                lambda _c=False, p=person: self._open(PersonDialog(
                    self._ops, self.young_person_id, p, self)),
                lambda _c=False, p=person: dialogs.remove_person(self._ops, self,
                                                                 self.young_person_id, p)))
        if not people:
            layout.addWidget(wrapped("Nobody recorded yet."))
        self.add_person_button = self._add_button(
            layout, "Add &someone who matters…", "Add someone who matters",
            lambda: self._open(PersonDialog(self._ops, self.young_person_id, None, self)))

    def _entry(self, html: str, name: str, edit: Callable[..., None],
               remove: Callable[..., None]) -> QHBoxLayout:
        """One person or key date: its text, then Edit… and Remove buttons named after it."""
        row = QHBoxLayout()
        label = wrapped(html)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setAccessibleName(_plain_text(html))
        row.addWidget(label, 1)
        for text, action, handler in (("Edit…", "Edit", edit), ("Remove", "Remove", remove)):
            button = QPushButton(text)
            button.setAccessibleName(f"{action} {name}")
            button.setToolTip(f"{action} {name}")
            button.clicked.connect(handler)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _add_button(self, layout: QVBoxLayout, text: str, name: str,
                    handler: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(handler)
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return button

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- helpers -------------------------------------------------------------------------------

    def _set_lines(self, key: str, lines: list[tuple[str, str]]) -> None:
        layout = self._reset(key)
        for kind, text in lines:
            label = wrapped(text)
            label.setTextFormat(Qt.TextFormat.RichText if "<" in text else Qt.TextFormat.PlainText)
            label.setAccessibleName(_plain_text(text))
            if kind == "alert":
                label.setProperty("message", "alert")
            layout.addWidget(label)

    def _set_form(
        self, key: str, rows: list[tuple[str, str]], alerts: set[str] | None = None
    ) -> None:
        layout = self._reset(key)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for name, value in rows:
            field = wrapped(isolate(value) if value else "—")
            field.setTextFormat(Qt.TextFormat.PlainText)
            field.setAccessibleName(f"{name}: {value or 'not recorded'}" if name else value)
            if alerts and name in alerts:
                field.setProperty("message", "alert")
            if name:
                label = QLabel(f"{name}:")
                label.setBuddy(field)
                form.addRow(label, field)
            else:
                form.addRow(field)
        layout.addLayout(form)

    def _reset(self, key: str) -> QVBoxLayout:
        box = self.groups[key]
        layout = box.layout()
        while layout.count():
            item = layout.takeAt(0)
            if item.widget() is not None:
                _discard(item.widget())
            elif item.layout() is not None:
                _delete_layout(item.layout())
        return layout  # type: ignore[return-value]

    def _arrange(self) -> None:
        chars = self.width() / max(self.fontMetrics().averageCharWidth(), 1)
        columns = 2 if chars >= TWO_COLUMNS_FROM_CHARS else 1
        if columns == self._columns:
            return
        self._columns = columns
        for column in (self.left_column, self.right_column):
            while column.count():
                column.takeAt(0)
        if columns == 1:
            order = ["due", "about", "circumstances", "offers", "home", "contact", "key_dates"]
            placement = [(self.left_column, [*order, "people"])]
        else:
            placement = [
                (self.left_column, ["due", "about", "circumstances", "home", "contact"]),
                (self.right_column, ["offers", "key_dates", "people"]),
            ]
        for column, keys in placement:
            for key in keys:
                column.addWidget(self.groups[key])
            column.addStretch(1)


def _discard(widget: QWidget) -> None:
    """Out of the panel at once (a stale button is never found or clicked), deleted later."""
    widget.hide()
    widget.setParent(None)  # type: ignore[call-overload]
    widget.deleteLater()


def _delete_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            _discard(item.widget())
        elif item.layout() is not None:
            _delete_layout(item.layout())
    layout.deleteLater()


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain_text(html: str) -> str:
    text = re.sub(r"<br\s*/?>", ". ", html)
    text = re.sub(r"<[^>]+>", "", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _next_occurrence(k: KeyDateView, today: date) -> date:
    if not k.recurring:
        return k.on_date
    this_year = birthday_in_year(k.on_date, today.year)
    return this_year if this_year >= today else birthday_in_year(k.on_date, today.year + 1)
