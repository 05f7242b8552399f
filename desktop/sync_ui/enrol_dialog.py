"""Sync ▸ Enrol this laptop…: the hub's address, the one-time code from an administrator, and
the hub's certificate fingerprint, confirmed before anything is sent.

The fingerprint is either typed as the administrator gave it, or fetched from the hub ("Show
the hub's fingerprint") and confirmed by ticking that it matches what the administrator gave.
Enrolling runs :func:`sync.client.enrol` as an ``ops.job`` (it writes the credentials into
the encrypted store); fetching runs on a read worker. A wrong code, a hub that cannot be
reached and a fingerprint that does not match each get a plain message and keep what was
typed. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.accessible import buddy_label, message_label, show_message, wrapped
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from models.errors import PathwayDeskError
from models.progress import CancelToken
from models.store import Store
from sync.client import (
    Enrolment,
    FingerprintMismatch,
    HubRefused,
    HubUnreachable,
    enrol,
    fingerprint_of_hub,
)
from sync.client.connection import normalise_fingerprint, normalise_url


def enrol_problem(exc: BaseException) -> str:
    """What went wrong, first in plain words, then the hub's or client's own sentence."""
    if isinstance(exc, FingerprintMismatch):
        return f"The fingerprint does not match. {exc}"
    if isinstance(exc, HubUnreachable):
        return f"The hub cannot be reached. {exc}"
    if isinstance(exc, HubRefused):
        return f"The hub did not accept the code: {exc} Ask your administrator for a new one."
    return str(exc)


class EnrolDialog(QDialog):
    enrolled = Signal(object)  # the Enrolment
    fingerprint_fetched = Signal(str)
    failed = Signal(str)  # the message shown

    def __init__(
        self,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        enrol_fn: Callable[..., Enrolment] = enrol,
        fetch_fingerprint: Callable[[str], str] = fingerprint_of_hub,
        enrolled_with: str = "",
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._enrol = enrol_fn
        self._fetch = fetch_fingerprint
        self._enrolled_with = enrolled_with
        self.fetched = ""  # the fingerprint the hub presented, once fetched
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setWindowTitle("Enrol this laptop")
        intro = wrapped(
            "Your administrator gives you the hub's address, a one-time code and the hub's "
            "fingerprint (a long code of letters and numbers). The fingerprint proves this "
            "laptop is talking to your council's hub and no one else's."
        )
        if self._enrolled_with:
            intro.setText(
                intro.text() + f" This laptop is enrolled with {self._enrolled_with} now; "
                "enrolling again replaces that."
            )
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("for example https://hub.council.example:8443")
        self.code_edit = QLineEdit()
        self.fingerprint_edit = QLineEdit()
        self.fingerprint_edit.setPlaceholderText("AB:CD:… as your administrator gave it")
        chars = self.fontMetrics().averageCharWidth()
        self.fingerprint_edit.setMinimumWidth(chars * 70)
        self.fetch_button = QPushButton("Show the hub's &fingerprint")
        self.fetch_button.setAccessibleName("Show the hub's fingerprint")
        self.fetched_label = wrapped("")
        self.fetched_label.setAccessibleName("The fingerprint the hub presents")
        self.fetched_label.setVisible(False)
        self.matches_box = QCheckBox("It &matches the fingerprint my administrator gave me")
        self.matches_box.setAccessibleName("It matches the fingerprint my administrator gave me")
        self.matches_box.setVisible(False)
        self.problem = message_label("error")
        self.problem.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.enrol_button = QPushButton("&Enrol")
        self.enrol_button.setAccessibleName("Enrol this laptop")
        self.enrol_button.setDefault(True)
        self.buttons.addButton(self.enrol_button, QDialogButtonBox.ButtonRole.AcceptRole)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(buddy_label("Hub &address:", self.url_edit), self.url_edit)
        form.addRow(buddy_label("One-time &code:", self.code_edit), self.code_edit)
        form.addRow(
            buddy_label(
                "Finger&print:",
                self.fingerprint_edit,
                "The hub's certificate fingerprint, as your administrator gave it",
            ),
            self.fingerprint_edit,
        )
        row = QHBoxLayout()
        row.addWidget(self.fetch_button)
        row.addStretch(1)
        form.addRow("", row)
        form.addRow(self.fetched_label)
        form.addRow(self.matches_box)
        form.addRow(self.problem)
        form.addRow(self.buttons)

    def _connect_signals(self) -> None:
        self.fetch_button.clicked.connect(self.on_fetch_button_clicked)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.url_edit.textEdited.connect(self.on_url_edit_text_edited)

    # -- slots ---------------------------------------------------------------------------------

    def on_url_edit_text_edited(self, _text: str) -> None:
        # A fingerprint fetched from another address confirms nothing about this one.
        self.fetched = ""
        self.fetched_label.setVisible(False)
        self.matches_box.setChecked(False)
        self.matches_box.setVisible(False)

    def on_fetch_button_clicked(self) -> None:
        url = self._url()
        if url is None:
            return
        self.fetch_button.setEnabled(False)
        show_message(self.problem, "")
        fetch = self._fetch
        self._ops.tasks.run(
            lambda _p, _c: fetch(url),
            on_done=lambda fp: self._on_fetched(url, fp),
            on_failed=self._on_failed,
            owner=self,
        )

    def on_buttons_accepted(self) -> None:
        url = self._url()
        if url is None:
            return
        code = self.code_edit.text().strip()
        if not code:
            self._say("Type the one-time code your administrator gave you.", self.code_edit)
            return
        typed = self.fingerprint_edit.text().strip()
        if typed:
            fingerprint = normalise_fingerprint(typed)
            if len(fingerprint) != 95:  # 32 bytes as AB: pairs
                self._say(
                    "That fingerprint is not complete: it has 64 letters and numbers, in pairs "
                    "like AB:CD:…",
                    self.fingerprint_edit,
                )
                return
        elif self.fetched and self.matches_box.isChecked():
            fingerprint = self.fetched
        else:
            self._say(
                "Type the fingerprint your administrator gave you, or show the hub's "
                "fingerprint and tick that it matches.",
                self.fingerprint_edit,
            )
            return
        self._set_busy(True)
        show_message(self.problem, "")
        enrol_fn = self._enrol

        def job(store: Store, _progress: Callable[[int, int], None], _cancel: CancelToken) -> Any:
            return enrol_fn(store, url, code, fingerprint)

        self._ops.job(
            job,
            Changes.of(None, Kind.SETTINGS),
            parent=self,
            on_done=self._on_enrolled,
            on_failed=self._on_failed,
            background=True,  # it waits on the network: edits must not queue behind it
        )

    # -- helpers -------------------------------------------------------------------------------

    def _url(self) -> str | None:
        try:
            return normalise_url(self.url_edit.text())
        except ValueError as exc:
            self._say(str(exc), self.url_edit)
            return None

    def _say(self, text: str, field: QWidget | None = None) -> None:
        show_message(self.problem, text)
        if field is not None:
            field.setFocus()
        self.failed.emit(text)

    def _set_busy(self, busy: bool) -> None:
        for w in (self.enrol_button, self.fetch_button, self.url_edit, self.code_edit):
            w.setEnabled(not busy)

    def _on_fetched(self, url: str, fingerprint: str) -> None:
        self.fetch_button.setEnabled(True)
        self.fetched = fingerprint
        self.fetched_label.setText(
            f"The hub at {url} presents this fingerprint:\n{fingerprint}\n"
            "Compare it with the one your administrator gave you, pair by pair."
        )
        self.fetched_label.setAccessibleName(f"The hub presents the fingerprint {fingerprint}")
        self.fetched_label.setVisible(True)
        self.matches_box.setVisible(True)
        self.fingerprint_fetched.emit(fingerprint)

    def _on_enrolled(self, result: Enrolment) -> None:
        self.enrolled.emit(result)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, PathwayDeskError):
            field = self.fingerprint_edit if isinstance(exc, FingerprintMismatch) else None
            if isinstance(exc, HubRefused):
                field = self.code_edit
            self._say(enrol_problem(exc), field)
        else:
            self._say("Not enrolled: something unexpected went wrong.")
            show_error(self, exc)
