"""The fields of a young person's profile, grouped as a PA thinks of them. GUI thread only.

``values()`` gives the store's field names and Python types (for ``models.repo.young_people``),
``draft()``/``set_draft()`` a JSON-safe copy for the draft keeper, and ``problems()`` what must be
fixed before saving, each with the field to move the focus to.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpacerItem,
    QWidget,
)

from desktop.accessible import buddy_label, heading
from desktop.dates import DATE_HINT, input_text, parse_day
from desktop.widgets.wheel_guard import guard_wheel
from models import registry
from models.domain import LegalStatus
from models.registry import field_problems
from models.rules import EetStatus

LEGAL_STATUSES = tuple((status.value, status.label) for status in LegalStatus)
ACCOMMODATION_TYPES = (
    "Staying Put with former foster carers",
    "Supported lodgings",
    "Semi-independent accommodation",
    "Independent tenancy",
    "Living with family or friends",
    "Student accommodation",
    "Custody",
    "Emergency or bed and breakfast",
    "Sofa surfing",
    "Other",
)
SUITABLE = (("", "Not assessed"), ("yes", "Suitable"), ("no", "Not suitable"))
_SUITABLE_VALUE = {"": None, "yes": True, "no": False}
_SUITABLE_KEY = {None: "", True: "yes", False: "no"}
TEXT_FIELDS = (
    "legal_name",
    "preferred_name",
    "pronouns",
    "religion",
    "ethnicity",
    "phone",
    "email",
    "allocated_pa",
    "prison",
    "prison_number",
)
FLAG_FIELDS = ("in_custody", "is_parent", "expecting_child", "uasc", "twenty_one_plus_requested")
DATE_FIELDS = ("date_of_birth", "release_date", "needs_assessment_done")
FIELDS = (
    *TEXT_FIELDS,
    *FLAG_FIELDS,
    *DATE_FIELDS,
    "languages",
    "address",
    "legal_status",
    "accommodation_type",
    "accommodation_suitable",
    "eet_status",
)
OLDEST_AGE = registry.OLDEST_AGE
YOUNGEST_AGE = registry.YOUNGEST_AGE


class ProfileForm(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._today = today or date.today()
        self._build_ui()
        guard_wheel(self)  # the wheel scrolls the form, never an unfocused field
        self._connect_signals()
        self._load()

    # -- building ------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.edits: dict[str, QLineEdit] = {name: QLineEdit() for name in TEXT_FIELDS}
        self.dates: dict[str, QLineEdit] = {name: QLineEdit() for name in DATE_FIELDS}
        for edit in self.dates.values():
            edit.setPlaceholderText("dd/mm/yyyy")
        self.flags: dict[str, QCheckBox] = {
            "in_custody": QCheckBox("In &custody"),
            "is_parent": QCheckBox("A p&arent"),
            "expecting_child": QCheckBox("E&xpecting a child"),
            "uasc": QCheckBox("&UASC (came to the UK alone, seeking safety)"),
            "twenty_one_plus_requested": QCheckBox("Wants support after &21 (21Plus)"),
        }
        for box in self.flags.values():
            box.setAccessibleName(box.text().replace("&", ""))
        self.languages_edit = QLineEdit()
        self.languages_edit.setPlaceholderText("For example: Tigrinya, Arabic, English")
        self.address_edit = QPlainTextEdit()
        self.address_edit.setTabChangesFocus(True)
        lines = self.address_edit.fontMetrics().lineSpacing()
        self.address_edit.setFixedHeight(lines * 4)
        self.legal_status_combo = QComboBox()
        for value, label in LEGAL_STATUSES:
            self.legal_status_combo.addItem(label, value)
        self.accommodation_combo = QComboBox()
        self.accommodation_combo.setEditable(True)
        self.accommodation_combo.addItems(["", *ACCOMMODATION_TYPES])
        self.suitable_combo = QComboBox()
        for value, label in SUITABLE:
            self.suitable_combo.addItem(label, value)
        self.eet_combo = QComboBox()
        for status in EetStatus:
            self.eet_combo.addItem(status.label, status.value)

        e, d = self.edits, self.dates
        # One form for everything: labels line up, and on a narrow window (big fonts, 200%)
        # QFormLayout puts each field under its label instead of scrolling sideways.
        self.layout_form = form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._section("Who they are", first=True)
        self._row("&Legal name (required):", e["legal_name"])
        self._row("&Preferred name:", e["preferred_name"], "What they like to be called")
        self._row("Date of &birth (required):", d["date_of_birth"], DATE_HINT)
        self._row("Pr&onouns:", e["pronouns"])
        self._row("Lan&guages:", self.languages_edit, "Separate languages with commas")
        self._row("Religion:", e["religion"])
        self._row("Ethnicity:", e["ethnicity"])
        self._section("Contact details")
        self._row("P&hone:", e["phone"])
        self._row("&Email:", e["email"])
        self._row("A&ddress:", self.address_edit)
        self._section("Leaving care")
        self._row("Legal s&tatus:", self.legal_status_combo)
        self._row("Allocated &PA:", e["allocated_pa"])
        self._row("&Needs assessment done on:", d["needs_assessment_done"], DATE_HINT)
        self._section("Circumstances")
        form.addRow(self.flags["in_custody"])
        self.custody_fields: list[QWidget] = [e["prison"], e["prison_number"], d["release_date"]]
        self._row("Pri&son (required):", e["prison"])
        self._row("Prison nu&mber:", e["prison_number"])
        self._row("&Release date:", d["release_date"], DATE_HINT)
        for name in ("is_parent", "expecting_child", "uasc", "twenty_one_plus_requested"):
            form.addRow(self.flags[name])
        self._section("Home, education and work")
        self._row("Accommodation t&ype:", self.accommodation_combo)
        self._row("Is it s&uitable?", self.suitable_combo)
        self._row("Education or &work:", self.eet_combo, "Education, employment or training status")

    def _section(self, title: str, first: bool = False) -> None:
        label = heading(title, level=2)
        if not first:
            self.layout_form.addItem(
                QSpacerItem(0, self.fontMetrics().lineSpacing() // 2, QSizePolicy.Policy.Minimum)
            )
        self.layout_form.addRow(label)

    def _row(self, text: str, field: QWidget, description: str = "") -> None:
        self.layout_form.addRow(buddy_label(text, field, description), field)

    def _connect_signals(self) -> None:
        for edit in (*self.edits.values(), *self.dates.values(), self.languages_edit):
            edit.textEdited.connect(self.edited)
        self.address_edit.textChanged.connect(self.edited)
        for box in self.flags.values():
            box.toggled.connect(self.edited)
        self.flags["in_custody"].toggled.connect(self.on_in_custody_toggled)
        for combo in (self.legal_status_combo, self.suitable_combo, self.eet_combo):
            combo.activated.connect(self.edited)
        self.accommodation_combo.currentTextChanged.connect(self.edited)

    def _load(self) -> None:
        self.on_in_custody_toggled(False)

    # -- slots ---------------------------------------------------------------------------------

    def on_in_custody_toggled(self, on: bool) -> None:
        for field in self.custody_fields:
            self.layout_form.setRowVisible(field, on)

    def custody_shown(self) -> bool:
        return all(field.isVisibleTo(self) for field in self.custody_fields)

    # -- values in and out ---------------------------------------------------------------------

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the form from store values (a ``Profile``'s fields); silent (no ``edited``)."""
        self.blockSignals(True)
        try:
            for name, edit in self.edits.items():
                edit.setText(str(values.get(name) or ""))
            for name, edit in self.dates.items():
                day = values.get(name)
                edit.setText(input_text(day) if isinstance(day, date) else str(day or ""))
            for name, box in self.flags.items():
                box.setChecked(bool(values.get(name)))
            self.languages_edit.setText(", ".join(values.get("languages") or ()))
            self.address_edit.setPlainText(values.get("address") or "")
            _select_data(self.legal_status_combo, values.get("legal_status") or "")
            self.accommodation_combo.setCurrentText(values.get("accommodation_type") or "")
            suitable = values.get("accommodation_suitable")
            _select_data(self.suitable_combo, _SUITABLE_KEY.get(suitable, suitable or ""))
            _select_data(self.eet_combo, values.get("eet_status") or EetStatus.UNKNOWN.value)
        finally:
            self.blockSignals(False)
        self.on_in_custody_toggled(self.flags["in_custody"].isChecked())

    def values(self) -> dict[str, Any]:
        """Store values; call :meth:`problems` first (unreadable dates come back as ``None``)."""
        out: dict[str, Any] = {name: edit.text().strip() for name, edit in self.edits.items()}
        if not out["preferred_name"]:
            out["preferred_name"] = out["legal_name"]
        for name, edit in self.dates.items():
            try:
                out[name] = parse_day(edit.text())
            except ValueError:
                out[name] = None
        out.update({name: box.isChecked() for name, box in self.flags.items()})
        out["languages"] = [w.strip() for w in self.languages_edit.text().split(",") if w.strip()]
        out["address"] = self.address_edit.toPlainText().strip()
        out["legal_status"] = self.legal_status_combo.currentData() or ""
        out["accommodation_type"] = self.accommodation_combo.currentText().strip()
        out["accommodation_suitable"] = _SUITABLE_VALUE.get(self.suitable_combo.currentData())
        out["eet_status"] = self.eet_combo.currentData()
        if not out["in_custody"]:  # custody details only mean something while in custody
            for name in ("prison", "prison_number"):
                out.pop(name)
            out.pop("release_date")
        return out

    def draft(self) -> dict[str, Any]:
        """Everything as typed (JSON-safe, even half-typed dates)."""
        return {
            "text": {name: edit.text() for name, edit in self.edits.items()},
            "dates": {name: edit.text() for name, edit in self.dates.items()},
            "flags": {name: box.isChecked() for name, box in self.flags.items()},
            "languages": self.languages_edit.text(),
            "address": self.address_edit.toPlainText(),
            "legal_status": self.legal_status_combo.currentData(),
            "accommodation_type": self.accommodation_combo.currentText(),
            "accommodation_suitable": self.suitable_combo.currentData(),
            "eet_status": self.eet_combo.currentData(),
        }

    def set_draft(self, draft: dict[str, Any]) -> None:
        values: dict[str, Any] = {**draft.get("text", {}), **draft.get("flags", {})}
        values.update(draft.get("dates", {}))  # strings: set_values shows them as typed
        values["languages"] = [w for w in draft.get("languages", "").split(",") if w.strip()]
        for name in ("address", "legal_status", "accommodation_type", "accommodation_suitable"):
            values[name] = draft.get(name)
        values["eet_status"] = draft.get("eet_status")
        self.set_values(values)
        self.languages_edit.setText(draft.get("languages", ""))

    def problems(self) -> list[tuple[str, QWidget]]:
        """What must be fixed before saving: (sentence, field), in form order.

        The rules are the record type's (``models.registry``), the same ones the store applies
        to a change typed here or arriving by sync; only unreadable dates are checked here."""
        found: list[tuple[str, QWidget]] = []
        widgets: dict[str, QWidget] = {**self.edits, **self.dates}
        for edit in widgets.values():
            edit.setAccessibleDescription("")
        unreadable = self._unreadable_dates()
        found.extend(unreadable)
        values = self.values()
        for name in {n for n, _ in self._date_fields_unreadable}:
            values.pop(name, None)
        for name, message in field_problems("young_people", values, today=self._today):
            field = widgets.get(name or "", self.edits["legal_name"])
            found.append((message, field))
        order = list(widgets)
        found.sort(key=lambda item: order.index(_name_of(widgets, item[1])))
        for message, field in found:
            field.setAccessibleDescription(message)
        return found

    def _unreadable_dates(self) -> list[tuple[str, QWidget]]:
        found: list[tuple[str, QWidget]] = []
        self._date_fields_unreadable: list[tuple[str, QWidget]] = []
        for name, edit in self.dates.items():
            if name == "release_date" and not self.flags["in_custody"].isChecked():
                continue
            try:
                parse_day(edit.text())
            except ValueError as exc:
                found.append((f"{_DATE_NAMES[name]}: {exc}", edit))
                self._date_fields_unreadable.append((name, edit))
        return found


def _name_of(widgets: dict[str, QWidget], widget: QWidget) -> str:
    return next(name for name, w in widgets.items() if w is widget)


_DATE_NAMES = {
    "date_of_birth": "Date of birth",
    "release_date": "Release date",
    "needs_assessment_done": "Needs assessment date",
}


def _select_data(combo: QComboBox, value: Any) -> None:
    index = combo.findData(value)
    if index < 0 and value not in (None, ""):
        combo.addItem(str(value), value)  # a value from elsewhere (sync, an older version)
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))
