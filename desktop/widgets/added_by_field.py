"""Who added an item: the young person, or a named professional. GUI thread only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.bidi import isolate
from models.domain import AddedBy


class AddedByField(QWidget):
    def __init__(
        self,
        young_person_name: str,
        professional_name: str,
        default: AddedBy = AddedBy.PROFESSIONAL,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._build_ui(young_person_name, professional_name)
        self._connect_signals()
        self.set_value(default, professional_name)

    def _build_ui(self, young_person_name: str, professional_name: str) -> None:
        self.setAccessibleName("Added by")
        who = young_person_name or "the young person"
        self.young_person_radio = QRadioButton(f"{isolate(who)} (the &young person)")
        self.young_person_radio.setAccessibleName(f"Added by {isolate(who)}, the young person")
        self.professional_radio = QRadioButton("A p&rofessional:")
        self.professional_radio.setAccessibleName("Added by a professional")
        self.name_edit = QLineEdit(professional_name)
        self.name_edit.setAccessibleName("Professional's name")
        self.name_edit.setPlaceholderText("Their name, e.g. Sam Patel (social worker)")
        # Room for a whole name and role: a squeezed field showed "o Adviser".
        self.name_edit.setMinimumWidth(self.name_edit.fontMetrics().averageCharWidth() * 28)
        self._group = QButtonGroup(self)
        self._group.addButton(self.young_person_radio)
        self._group.addButton(self.professional_radio)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.young_person_radio)
        professional = QHBoxLayout()
        professional.addWidget(self.professional_radio)
        professional.addWidget(self.name_edit, 1)
        layout.addLayout(professional)

    def _connect_signals(self) -> None:
        self.professional_radio.toggled.connect(self.on_professional_radio_toggled)

    def on_professional_radio_toggled(self, checked: bool) -> None:
        self.name_edit.setEnabled(checked)

    def set_value(self, kind: str, name: str = "") -> None:
        professional = kind == AddedBy.PROFESSIONAL
        (self.professional_radio if professional else self.young_person_radio).setChecked(True)
        if professional and name:
            self.name_edit.setText(name)
        self.name_edit.setEnabled(professional)

    def kind(self) -> str:
        return (
            AddedBy.PROFESSIONAL.value
            if self.professional_radio.isChecked()
            else AddedBy.YOUNG_PERSON.value
        )

    def name(self) -> str:
        return self.name_edit.text().strip() if self.kind() == AddedBy.PROFESSIONAL else ""
