"""Enrol this laptop with the council's hub: the hub's address and a one-time code from an
administrator, then the hub's certificate fingerprint, fetched and shown for the person to
confirm against what the administrator gave (or pasted, to be compared for them). Nothing is sent
to the hub until the fingerprint is confirmed. Fetching and enrolling run off the GUI thread
(the enrolment itself as a background job: it writes the laptop's key into the store).
GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.accessible import buddy_label, heading, message_label, show_message, wrapped
from desktop.operations import Changes, Kind, Operations
from desktop.sync_ui.dialog_fit import fit_height_soon
from models.progress import CancelToken
from models.store import Store
from sync.client import (
    Enrolment,
    FingerprintMismatch,
    HubRefused,
    HubUnreachable,
    SyncError,
    SyncStatus,
    enrol,
    fingerprint_of_hub,
)
from sync.client.connection import normalise_fingerprint, normalise_url


class EnrolDialog(QDialog):
    fingerprint_shown = Signal(str)
    enrolled = Signal(object)  # Enrolment
    failed = Signal(str)  # the message shown

    def __init__(self, ops: Operations, status: SyncStatus | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._status = status
        self._fingerprint = ""  # what the hub at the address presented
        self._checked_url = ""
        self._busy = False
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setWindowTitle("Enrol this laptop")
        chars = self.fontMetrics().averageCharWidth()
        self.setMinimumWidth(chars * 70)
        self.intro = wrapped(
            "Enrolling links this laptop to your council's hub, so your records sync with your "
            "team. Your administrator gives you the hub's address, a one-time code and the "
            "hub's certificate fingerprint."
        )
        self.already = message_label("info")
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("for example https://hub.council.example:8443")
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("the one-time code, as given")
        self.check_button = QPushButton("&Check the hub")
        self.check_button.setToolTip("Fetch the hub's certificate fingerprint to confirm it")
        self.fingerprint_label = wrapped("")
        self.fingerprint_label.setVisible(False)
        # The fingerprint itself: fixed-width, in two lines of 16 pairs, to compare pair by pair.
        self.fingerprint_value = QLabel()
        self.fingerprint_value.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint_value.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.fingerprint_value.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.fingerprint_value.setVisible(False)
        self.confirm_box = QCheckBox(
            "This fingerprint is the one my administrator gave me"
        )
        self.confirm_box.setEnabled(False)
        self.expected_edit = QLineEdit()
        self.expected_edit.setPlaceholderText("or paste the fingerprint you were given")
        self.message = message_label("error")
        self.message.setAccessibleName("Enrolment problem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.enrol_button = self.buttons.addButton(
            "&Enrol", QDialogButtonBox.ButtonRole.AcceptRole
        )
        form = QFormLayout(self)
        form.addRow(heading("Enrol this laptop", 2))
        form.addRow(self.intro)
        form.addRow(self.already)
        form.addRow(buddy_label("Hub &address:", self.url_edit), self.url_edit)
        form.addRow(buddy_label("One-time &code:", self.code_edit), self.code_edit)
        form.addRow("", self.check_button)
        form.addRow(self.fingerprint_label)
        form.addRow(self.fingerprint_value)
        form.addRow(self.confirm_box)
        form.addRow(buddy_label("E&xpected fingerprint:", self.expected_edit,
                                "The SHA-256 fingerprint your administrator gave you; it is "
                                "compared with the hub's for you"), self.expected_edit)
        form.addRow(self.message)
        form.addRow(self.buttons)
        self.confirm_box.setAccessibleName("The fingerprint matches what my administrator gave")

    def _connect_signals(self) -> None:
        self.url_edit.textEdited.connect(self.on_url_edit_text_edited)
        self.code_edit.textEdited.connect(self._update_buttons)
        self.expected_edit.textEdited.connect(self._update_buttons)
        self.confirm_box.toggled.connect(self._update_buttons)
        self.check_button.clicked.connect(self.on_check_button_clicked)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _load(self) -> None:
        st = self._status
        if st is not None and st.enrolled:
            show_message(self.already, f"This laptop is enrolled with {st.hub_url} as "
                                       f"{st.username}. Enrolling again replaces that link.")
            self.url_edit.setText(st.hub_url)
        self._update_buttons()
        self.url_edit.setFocus()

    # -- slots ---------------------------------------------------------------------------------

    def on_url_edit_text_edited(self, _text: str) -> None:
        # Another address: the fingerprint shown was another hub's.
        self._fingerprint = ""
        self._checked_url = ""
        self.fingerprint_label.setVisible(False)
        self.fingerprint_value.setVisible(False)
        self.confirm_box.setChecked(False)
        self.confirm_box.setEnabled(False)
        self._update_buttons()

    def on_check_button_clicked(self) -> None:
        try:
            url = normalise_url(self.url_edit.text())
        except ValueError as exc:
            self._fail(str(exc), self.url_edit)
            return
        self._set_busy(True, "Looking for the hub…")

        def fetch(_progress: object, _cancel: CancelToken) -> str:
            return fingerprint_of_hub(url)

        self._ops.tasks.run(
            fetch,
            owner=self,
            on_done=lambda fp: self._on_fingerprint(url, fp),
            on_failed=self._on_failed,
        )

    def on_buttons_accepted(self) -> None:
        fingerprint = self._confirmed_fingerprint()
        if not fingerprint or not self.code_edit.text().strip():
            return
        url, code = self._checked_url or self.url_edit.text(), self.code_edit.text()
        self._set_busy(True, "Enrolling…")

        def run(store: Store, _progress: object, _cancel: CancelToken) -> Enrolment:
            return enrol(store, url, code, fingerprint)

        self._ops.job(
            run,
            Changes.of(None, Kind.SETTINGS),
            parent=self,
            on_done=self._on_enrolled,
            on_failed=self._on_failed,
            background=True,
        )

    # -- helpers -------------------------------------------------------------------------------

    def _on_fingerprint(self, url: str, fingerprint: str) -> None:
        self._set_busy(False)
        self._fingerprint, self._checked_url = fingerprint, url
        self.fingerprint_label.setText(
            f"The hub at {url} presents this certificate fingerprint (SHA-256). Check it against "
            "the one your administrator gave you, pair by pair, or paste theirs below."
        )
        self.fingerprint_label.setVisible(True)
        pairs = fingerprint.split(":")
        self.fingerprint_value.setText(
            "\n".join(":".join(pairs[i : i + 16]) for i in range(0, len(pairs), 16))
        )
        self.fingerprint_value.setAccessibleName(f"Hub fingerprint: {fingerprint}")
        self.fingerprint_value.setVisible(True)
        self.confirm_box.setEnabled(True)
        self._update_buttons()
        self.fingerprint_shown.emit(fingerprint)

    def _on_enrolled(self, result: Enrolment) -> None:
        self._set_busy(False)
        self.enrolled.emit(result)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, FingerprintMismatch):
            self._fail(str(exc), self.expected_edit)
        elif isinstance(exc, HubUnreachable):
            self._fail(str(exc), self.url_edit)
        elif isinstance(exc, HubRefused):
            self._fail(f"The hub refused the enrolment: {exc}", self.code_edit)
        elif isinstance(exc, SyncError):
            self._fail(str(exc), self.url_edit)
        else:
            self._fail(f"The laptop could not be enrolled ({exc}).", self.url_edit)

    def _fail(self, text: str, field: QWidget) -> None:
        show_message(self.message, text)
        self.message.setProperty("message", "error")
        self._repolish(self.message)
        field.setFocus()
        self.failed.emit(text)

    def _confirmed_fingerprint(self) -> str:
        """The fingerprint the person vouched for: pasted, or the one shown and ticked."""
        pasted = normalise_fingerprint(self.expected_edit.text())
        if len(pasted) == 95:  # 32 bytes, as AA:BB:…
            return pasted
        if self._fingerprint and self.confirm_box.isChecked():
            return self._fingerprint
        return ""

    def _update_buttons(self) -> None:
        pasted = normalise_fingerprint(self.expected_edit.text())
        if self.expected_edit.text().strip() and len(pasted) != 95:
            show_message(self.message, "That fingerprint is not complete: it is 32 pairs of "
                                       "characters, like 3F:A0:…")
            self.message.setProperty("message", "info")
        elif pasted and self._fingerprint and pasted != self._fingerprint:
            show_message(self.message, "The fingerprint you pasted does not match the hub's. "
                                       "Do not enrol: check the address with your administrator.")
            self.message.setProperty("message", "error")
        elif pasted and self._fingerprint:
            show_message(self.message, "The fingerprints match.")
            self.message.setProperty("message", "ok")
        elif not self._busy:
            show_message(self.message, "")
        self._repolish(self.message)
        known_mismatch = bool(pasted and self._fingerprint and pasted != self._fingerprint)
        ready = bool(self.url_edit.text().strip() and self.code_edit.text().strip()
                     and self._confirmed_fingerprint() and not known_mismatch)
        self.enrol_button.setEnabled(ready and not self._busy)
        self.check_button.setEnabled(bool(self.url_edit.text().strip()) and not self._busy)
        fit_height_soon(self)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        fit_height_soon(self)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        if busy:
            show_message(self.message, text)
            self.message.setProperty("message", "info")
            self._repolish(self.message)
        for field in (self.url_edit, self.code_edit, self.expected_edit):
            field.setReadOnly(busy)
        self._update_buttons()

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)
