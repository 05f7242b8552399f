"""Record the statutory care-leaver facts (SSDA903) at a contact: in touch, main activity,
accommodation and whether it is suitable. GUI thread only.

The form starts from what the record already says (the education/employment status and the
accommodation), so the adviser confirms with the young person rather than types codes; it says
which birthday this year's return asks about and the window a recording counts in. Every
recording is kept (append-only): a correction is a new recording. Read and saved through the
operation layer (one read, one write).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import buddy_label, wrapped
from desktop.dates import QT_DAY_FORMAT, format_day
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from desktop.widgets.wheel_guard import guard_wheel
from models.care_leaver_return import (
    NOT_APPLICABLE,
    WINDOW_AFTER,
    WINDOW_BEFORE,
    Accommodation,
    Activity,
    InTouch,
    code_label,
    return_birthday,
    return_year,
)
from models.errors import PathwayDeskError
from models.records import CareLeaverFactsForm, CareLeaverFactsView
from models.repo import care_leaver_facts

CHOOSE = "Choose…"
_SUITABLE = ((None, CHOOSE), (True, "Suitable"), (False, "Not suitable"))


def _combo(items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(CHOOSE, "")
    for code, label in items:
        combo.addItem(f"{label} ({code})", code)
    return combo


def _select(combo: QComboBox, data: object) -> None:
    at = combo.findData(data)
    combo.setCurrentIndex(at if at >= 0 else 0)


def describe(f: CareLeaverFactsView) -> str:
    """One recording in words: "2 Jun 2026: Yes, in touch; Training or employment…"."""
    suitable = {True: "suitable", False: "not suitable", None: ""}[f.accommodation_suitable]
    accommodation = code_label(Accommodation, f.accommodation)
    if suitable:
        accommodation = f"{accommodation}, {suitable}"
    return (
        f"{format_day(f.recorded_on)}: {code_label(InTouch, f.in_touch)}; "
        f"{code_label(Activity, f.activity)}; {accommodation} (by {f.recorded_by})"
    )


class CareLeaverFactsDialog(QDialog):
    loaded = Signal()  # the form shows the record's suggestions and history
    saved = Signal(str)  # the young person whose facts were recorded

    def __init__(
        self,
        ops: Operations,
        young_person_id: str,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._young_person_id = young_person_id
        self._today = today or date.today()
        self.form_data: CareLeaverFactsForm | None = None
        self._build_ui()
        guard_wheel(self)  # the wheel scrolls the form, never an unfocused field
        self._connect_signals()
        self._load()

    # -- building ------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.setWindowTitle("Care-leaver return facts")
        self.when_label = wrapped("Reading…")
        self.recorded_on_edit = QDateEdit(QDate(self._today))
        self.recorded_on_edit.setCalendarPopup(True)
        self.recorded_on_edit.setDisplayFormat(QT_DAY_FORMAT)
        self.recorded_on_edit.setMaximumDate(QDate(self._today))
        self.in_touch_combo = _combo([(c.value, c.label) for c in InTouch])
        self.activity_combo = _combo([(c.value, c.label) for c in Activity])
        self.accommodation_combo = _combo([(c.value, c.label) for c in Accommodation])
        self.suitable_combo = QComboBox()
        for value, label in _SUITABLE:
            self.suitable_combo.addItem(label, value)
        self.suggested_label = wrapped("")
        self.history_label = wrapped("")
        self.history_label.setAccessibleName("Recorded before")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.problem.setVisible(False)  # no empty gap until there is something to say
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout()
        form.addRow(buddy_label("Recorded &on:", self.recorded_on_edit), self.recorded_on_edit)
        form.addRow(buddy_label("In &touch:", self.in_touch_combo), self.in_touch_combo)
        form.addRow(buddy_label("Main &activity:", self.activity_combo), self.activity_combo)
        form.addRow(
            buddy_label("Acco&mmodation:", self.accommodation_combo), self.accommodation_combo
        )
        form.addRow(buddy_label("S&uitable:", self.suitable_combo), self.suitable_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.when_label)
        layout.addLayout(form)
        layout.addWidget(self.suggested_label)
        layout.addWidget(self.problem)
        layout.addWidget(self.history_label)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.in_touch_combo.currentIndexChanged.connect(self.on_in_touch_combo_changed)
        self.accommodation_combo.currentIndexChanged.connect(self.on_accommodation_combo_changed)

    def _load(self) -> None:
        ident = self._young_person_id
        self._ops.read(
            lambda s: care_leaver_facts.facts_form(s, ident), parent=self, on_done=self._show
        )

    # -- slots ---------------------------------------------------------------------------------

    def on_in_touch_combo_changed(self, _index: int) -> None:
        """DIED or RHOM: activity and accommodation are "not applicable" and are set so."""
        code = self.in_touch_combo.currentData()
        fixed = code in (InTouch.DIED, InTouch.RHOM)
        if fixed:
            _select(self.activity_combo, NOT_APPLICABLE)
            _select(self.accommodation_combo, NOT_APPLICABLE)
        elif code == InTouch.YES and self.form_data is not None:
            # Back from DIED/RHOM (or from 0): start again from the suggestions.
            if self.activity_combo.currentData() == NOT_APPLICABLE:
                _select(self.activity_combo, self.form_data.suggestion.activity or "")
            if self.accommodation_combo.currentData() == NOT_APPLICABLE:
                self._suggest_accommodation()
        self.activity_combo.setEnabled(not fixed)
        self.accommodation_combo.setEnabled(not fixed)
        self.on_accommodation_combo_changed(0)

    def on_accommodation_combo_changed(self, _index: int) -> None:
        code = self.accommodation_combo.currentData()
        real = code not in ("", NOT_APPLICABLE)
        never = real and Accommodation(code).never_suitable
        if not real:
            _select(self.suitable_combo, None)
        elif never:
            _select(self.suitable_combo, False)
        self.suitable_combo.setEnabled(real and not never)

    def on_buttons_accepted(self) -> None:
        suitable = self.suitable_combo.currentData()
        values = {
            "recorded_on": self.recorded_on_edit.date().toPython(),
            "in_touch": self.in_touch_combo.currentData(),
            "activity": self.activity_combo.currentData(),
            "accommodation": self.accommodation_combo.currentData(),
            "accommodation_suitable": suitable if isinstance(suitable, bool) else None,
        }
        if not values["in_touch"]:
            self._problem("Choose whether you are in touch.", self.in_touch_combo)
            return
        ident = self._young_person_id
        self.buttons.setEnabled(False)
        self._ops.write(
            lambda s: care_leaver_facts.record_facts(s, ident, **values),
            Changes.of(ident, Kind.PROFILE),
            parent=self,
            on_done=self._on_saved,
            on_failed=self._on_failed,
        )

    # -- helpers -------------------------------------------------------------------------------

    def _show(self, form: CareLeaverFactsForm) -> None:
        self.form_data = form
        self.when_label.setText(self._when_text(form))
        suggestion = form.suggestion
        _select(self.in_touch_combo, InTouch.YES.value)
        _select(self.activity_combo, suggestion.activity or "")
        self._suggest_accommodation()
        said = []
        if suggestion.activity:
            said.append("activity from the education and employment status")
        if suggestion.accommodation:
            said.append("accommodation from the profile")
        self.suggested_label.setText(
            f"Filled in from the record ({' and '.join(said)}): check each with "
            f"{form.name} before saving."
            if said
            else f"The record does not say enough to suggest codes: choose each with {form.name}."
        )
        history = [describe(f) for f in reversed(form.history)]
        self.history_label.setText(
            "Recorded before (kept, newest first):\n" + "\n".join(history)
            if history
            else "Nothing recorded before."
        )
        self.loaded.emit()

    def _suggest_accommodation(self) -> None:
        if self.form_data is None:
            return
        suggestion = self.form_data.suggestion
        _select(self.accommodation_combo, suggestion.accommodation or "")
        self.on_accommodation_combo_changed(0)
        if suggestion.accommodation_suitable is not None:
            _select(self.suitable_combo, suggestion.accommodation_suitable)

    def _when_text(self, form: CareLeaverFactsForm) -> str:
        start, end = return_year(self._today)
        found = return_birthday(form.date_of_birth, start)
        year = f"{format_day(start)} to {format_day(end)}"
        if found is None:
            return (
                f"No 17th to 21st birthday of {form.name} falls in this return year ({year}). "
                "A recording now is kept; from 22 the return asks for the latest contact."
            )
        age, birthday = found
        return (
            f"This year's return ({year}) asks about {form.name}'s {age}"
            f"{'st' if age == 21 else 'th'} birthday on {format_day(birthday)}: record at a "
            f"contact from {format_day(birthday - WINDOW_BEFORE)} to "
            f"{format_day(birthday + WINDOW_AFTER)}."
        )

    def _problem(self, text: str, field: QWidget | None = None) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)
        if field is not None:
            field.setFocus()

    def _on_saved(self, _view: CareLeaverFactsView) -> None:
        self.saved.emit(self._young_person_id)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, PathwayDeskError):  # a rule of the return: say which, keep the form
            self._problem(str(exc))
            return
        show_error(self, exc)
