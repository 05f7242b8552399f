"""Adding, editing and removing the people who matter to a young person and their key dates.

Opened from the overview. Each dialog saves through the operation layer (one write on the write
lane, announced as ``Kind.PEOPLE`` so the overview and anything else showing them reload); what
was typed stays in the dialog if saving fails. Removal asks first, and is a tombstone like every
removal (it syncs, and a removal that meets an edit made elsewhere is kept for a person to
decide). GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from desktop.accessible import buddy_label
from desktop.bidi import isolate
from desktop.dates import QT_DAY_FORMAT
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from desktop.widgets.wheel_guard import guard_wheel
from models.domain import KeyDateKind
from models.errors import PathwayDeskError
from models.records import KeyDateView, Person
from models.repo import young_people as yp_repo

KEY_DATE_KINDS = (
    (KeyDateKind.BIRTHDAY, "Birthday"),
    (KeyDateKind.FESTIVAL, "Festival or religious day"),
    (KeyDateKind.ANNIVERSARY, "Anniversary"),
    (KeyDateKind.OTHER, "Other"),
)


class _RecordDialog(QDialog):
    """A form with a problem line and Save/Cancel; saving runs ``op`` on the write lane."""

    def __init__(self, ops: Operations, young_person_id: str, title: str,
                 parent: QWidget | None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.young_person_id = young_person_id
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.problem.setProperty("message", "alert")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def finish_form(self) -> None:
        self.form.addRow(self.problem)
        self.form.addRow(self.buttons)
        guard_wheel(self)

    def on_buttons_accepted(self) -> None:  # overridden
        raise NotImplementedError

    def save(self, op: Callable[[Any], object]) -> None:
        self.buttons.setEnabled(False)
        self._ops.write(
            op, Changes.of(self.young_person_id, Kind.PEOPLE), parent=self,
            on_done=lambda _r: self.accept(), on_failed=self._on_save_failed,
        )

    def refuse(self, message: str, field: QWidget) -> None:
        self.problem.setText(message)
        field.setFocus()

    def _on_save_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.problem.setText(str(exc) if isinstance(exc, PathwayDeskError) else "Not saved.")
        if not isinstance(exc, PathwayDeskError):
            show_error(self, exc)


class PersonDialog(_RecordDialog):
    """Someone who matters to the young person: add (``person`` None) or edit."""

    def __init__(self, ops: Operations, young_person_id: str, person: Person | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ops, young_person_id,
                         "Add someone who matters" if person is None else "Edit person", parent)
        self.person = person
        self.name_edit = QLineEdit(person.name if person else "")
        self.relationship_edit = QLineEdit(person.relationship if person else "")
        self.relationship_edit.setPlaceholderText("for example sister, youth worker, foster carer")
        self.contact_edit = QLineEdit(person.how_to_contact if person else "")
        self.contact_edit.setPlaceholderText("phone, email, or how they prefer to be reached")
        self.notes_edit = QPlainTextEdit(person.notes if person else "")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.emergency_box = QCheckBox("&Emergency contact")
        self.emergency_box.setChecked(bool(person and person.is_emergency_contact))
        width = self.fontMetrics().averageCharWidth() * 40
        for edit in (self.name_edit, self.relationship_edit, self.contact_edit):
            edit.setMinimumWidth(width)
        self.form.addRow(buddy_label("&Name:", self.name_edit), self.name_edit)
        self.form.addRow(buddy_label("&Relationship:", self.relationship_edit),
                         self.relationship_edit)
        self.form.addRow(buddy_label("How to &contact:", self.contact_edit), self.contact_edit)
        self.form.addRow(buddy_label("N&otes:", self.notes_edit), self.notes_edit)
        self.form.addRow(self.emergency_box)
        self.finish_form()

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name_edit.text().strip(),
            "relationship": self.relationship_edit.text().strip(),
            "how_to_contact": self.contact_edit.text().strip(),
            "notes": self.notes_edit.toPlainText().strip(),
            "is_emergency_contact": self.emergency_box.isChecked(),
        }

    def on_buttons_accepted(self) -> None:
        values = self.values()
        if not values["name"]:
            self.refuse("Give the person's name.", self.name_edit)
            return
        yp, person = self.young_person_id, self.person
        if person is None:
            self.save(lambda s: yp_repo.add_person(s, yp, **values))
        else:
            self.save(lambda s: yp_repo.update_person(s, person.id, **values))


class KeyDateDialog(_RecordDialog):
    """A date that matters to the young person: add (``key_date`` None) or edit."""

    def __init__(self, ops: Operations, young_person_id: str,
                 key_date: KeyDateView | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ops, young_person_id,
                         "Add a key date" if key_date is None else "Edit key date", parent)
        self.key_date = key_date
        self.kind_combo = QComboBox()
        for kind, label in KEY_DATE_KINDS:
            self.kind_combo.addItem(label, kind.value)
        self.label_edit = QLineEdit(key_date.label if key_date else "")
        self.label_edit.setPlaceholderText("for example Mum's birthday, Eid al-Fitr")
        self.label_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(QT_DAY_FORMAT)
        self.date_edit.setDate(QDate(key_date.on_date) if key_date else QDate.currentDate())
        self.recurring_box = QCheckBox("Comes round &every year")
        self.recurring_box.setChecked(key_date.recurring if key_date else True)
        self.plan_edit = QPlainTextEdit(key_date.plan_for_day if key_date else "")
        self.plan_edit.setTabChangesFocus(True)
        self.plan_edit.setPlaceholderText("What helps on this day, and who will be in touch")
        self.plan_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        if key_date is not None:
            index = self.kind_combo.findData(key_date.kind)
            self.kind_combo.setCurrentIndex(max(index, 0))
        self.form.addRow(buddy_label("&Kind:", self.kind_combo), self.kind_combo)
        self.form.addRow(buddy_label("&Name:", self.label_edit), self.label_edit)
        self.form.addRow(buddy_label("&Date:", self.date_edit), self.date_edit)
        self.form.addRow(self.recurring_box)
        self.form.addRow(buddy_label("&Plan for the day:", self.plan_edit), self.plan_edit)
        self.finish_form()

    def values(self) -> dict[str, Any]:
        on: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        return {
            "kind": self.kind_combo.currentData(),
            "label": self.label_edit.text().strip(),
            "on_date": on,
            "recurring": self.recurring_box.isChecked(),
            "plan_for_day": self.plan_edit.toPlainText().strip(),
        }

    def on_buttons_accepted(self) -> None:
        values = self.values()
        if not values["label"]:
            self.refuse("Give the key date a name.", self.label_edit)
            return
        yp, key_date = self.young_person_id, self.key_date
        if key_date is None:
            self.save(lambda s: yp_repo.add_key_date(s, yp, **values))
        else:
            self.save(lambda s: yp_repo.update_key_date(s, key_date.id, **values))


def confirm_removal(parent: QWidget, what: str) -> bool:
    answer = QMessageBox.question(
        parent, "Remove?",
        f"Remove {isolate(what)}? It is removed on every laptop at the next sync.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def remove_person(ops: Operations, parent: QWidget, young_person_id: str,
                  person: Person) -> None:
    if confirm_removal(parent, f"{person.name} from the people who matter"):
        ops.write(lambda s: yp_repo.remove_person(s, person.id),
                  Changes.of(young_person_id, Kind.PEOPLE), parent=parent,
                  on_failed=lambda exc: show_error(parent, exc))


def remove_key_date(ops: Operations, parent: QWidget, young_person_id: str,
                    key_date: KeyDateView) -> None:
    if confirm_removal(parent, f"the key date {key_date.label}"):
        ops.write(lambda s: yp_repo.remove_key_date(s, key_date.id),
                  Changes.of(young_person_id, Kind.PEOPLE), parent=parent,
                  on_failed=lambda exc: show_error(parent, exc))
