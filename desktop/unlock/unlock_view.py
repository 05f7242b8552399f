"""The first screen: unlock an existing store, or create a new one. GUI thread only.

Argon2id is slow on purpose, so opening or creating a store runs through the ``TaskRunner``; the
view shows a busy bar meanwhile. A wrong passphrase is said plainly under the field, which keeps
the focus with its text selected for retyping. ``unlocked(store)`` hands the open store over.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import buddy_label, heading, message_label, show_message, wrapped
from desktop.errors import show_error
from desktop.tasks import TaskRunner
from desktop.unlock.passphrase_strength import strength_of
from models.crypto.keyfile import KdfParams
from models.errors import PathwayDeskError, WeakPassphrase, WrongPassphrase
from models.store import Store, check_new_passphrase, store_exists

CARD_WIDTH_CHARS = 56  # the form's width in average characters, so it follows the font size


class UnlockView(QWidget):
    """Open or create a store. ``kdf`` is for tests (cheap parameters for new stores)."""

    unlocked = Signal(object)  # the open Store

    def __init__(
        self,
        store_dir: Path,
        tasks: TaskRunner,
        *,
        kdf: KdfParams | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("UnlockView")
        self._folder = Path(store_dir)
        self._tasks = tasks
        self._kdf = kdf
        self._locked = False
        self._busy = False
        self._build_ui()
        self._connect_signals()
        self._load()

    # -- building ------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_open_page())
        self.pages.addWidget(self._build_create_page())
        card = QWidget()
        card.setObjectName("UnlockCard")
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(self.pages)
        card.setMaximumWidth(self.fontMetrics().averageCharWidth() * CARD_WIDTH_CHARS * 2)
        card.setMinimumWidth(self.fontMetrics().averageCharWidth() * CARD_WIDTH_CHARS)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def _build_open_page(self) -> QWidget:
        page = QWidget()
        self.open_heading = heading("Unlock Pathway Desk")
        self.open_intro = wrapped(
            "Your records are encrypted on this laptop. Type your passphrase to open them."
        )
        self.open_folder_label = wrapped("")
        self.open_folder_label.setAccessibleName("Store folder")
        self.other_store_button = QPushButton("Open another store…")
        self.other_store_button.setAccessibleName("Open another store")
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setClearButtonEnabled(False)
        passphrase_label = buddy_label("&Passphrase:", self.passphrase_edit)
        self.show_button = QPushButton("Show")
        self.show_button.setCheckable(True)
        self.show_button.setAccessibleName("Show passphrase")
        self.open_error = message_label("error")
        self.open_error.setAccessibleName("Unlock problem")
        self.open_busy = self._busy_bar("Unlocking…")
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.setAutoDefault(True)
        self.unlock_button.setAccessibleName("Unlock")
        self.to_create_button = QPushButton("Create a new store…")
        self.to_create_button.setAccessibleName("Create a new store")
        self.to_create_button.setFlat(True)

        field_row = QHBoxLayout()
        field_row.addWidget(self.passphrase_edit, 1)
        field_row.addWidget(self.show_button)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.open_folder_label, 1)
        folder_row.addWidget(self.other_store_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.to_create_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)

        layout = QVBoxLayout(page)
        layout.addWidget(self.open_heading)
        layout.addWidget(self.open_intro)
        layout.addLayout(folder_row)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(passphrase_label)
        layout.addLayout(field_row)
        layout.addWidget(self.open_error)
        layout.addWidget(self.open_busy)
        layout.addLayout(buttons)
        layout.addStretch(1)  # the create page is taller; keep this one packed at the top
        QWidget.setTabOrder(self.passphrase_edit, self.show_button)
        QWidget.setTabOrder(self.show_button, self.unlock_button)
        QWidget.setTabOrder(self.unlock_button, self.to_create_button)
        QWidget.setTabOrder(self.to_create_button, self.other_store_button)
        return page

    def _build_create_page(self) -> QWidget:
        page = QWidget()
        intro = wrapped(
            "A store keeps your caseload encrypted on this laptop. Choose an empty folder and a "
            "passphrase you will remember: nobody, IT support included, can recover it for you."
        )
        self.folder_edit = QLineEdit()
        self.choose_folder_button = QPushButton("C&hoose…")
        self.choose_folder_button.setAccessibleName("Choose a folder for the new store")
        self.name_edit = QLineEdit()
        self.new_passphrase_edit = QLineEdit()
        self.new_passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength_bar = QProgressBar()
        self.strength_bar.setRange(0, 5)  # score 0..4 shown as 1..5, so "Very weak" shows red
        self.strength_bar.setTextVisible(True)
        self.strength_bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.strength_bar.setFormat("")
        self.strength_bar.setAccessibleName("Passphrase strength")
        self.strength_advice = wrapped("")
        self.strength_advice.setProperty("message", "hint")
        self.strength_advice.setAccessibleName("Passphrase advice")
        self.create_error = message_label("error")
        self.create_error.setAccessibleName("Create problem")
        self.create_busy = self._busy_bar("Creating the store…")
        self.create_button = QPushButton("C&reate store")
        self.create_button.setAutoDefault(True)
        self.create_button.setAccessibleName("Create store")
        self.to_open_button = QPushButton("Open an existing store…")
        self.to_open_button.setFlat(True)
        self.to_open_button.setAccessibleName("Open an existing store")

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose_folder_button)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(buddy_label("&Folder:", self.folder_edit), folder_row)
        form.addRow(buddy_label("Your &name:", self.name_edit), self.name_edit)
        form.addRow(buddy_label("&Passphrase:", self.new_passphrase_edit), self.new_passphrase_edit)
        form.addRow(buddy_label("&Type it again:", self.repeat_edit), self.repeat_edit)
        strength_label = QLabel("Strength:")
        strength_label.setBuddy(self.strength_bar)
        form.addRow(strength_label, self.strength_bar)
        form.addRow("", self.strength_advice)
        buttons = QHBoxLayout()
        buttons.addWidget(self.to_open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(page)
        layout.addWidget(heading("Create a new store"))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.create_error)
        layout.addWidget(self.create_busy)
        layout.addLayout(buttons)
        layout.addStretch(1)
        for first, second in [
            (self.folder_edit, self.choose_folder_button),
            (self.choose_folder_button, self.name_edit),
            (self.name_edit, self.new_passphrase_edit),
            (self.new_passphrase_edit, self.repeat_edit),
            (self.repeat_edit, self.create_button),
            (self.create_button, self.to_open_button),
        ]:
            QWidget.setTabOrder(first, second)
        return page

    def _busy_bar(self, text: str) -> QProgressBar:
        bar = QProgressBar()
        bar.setRange(0, 0)  # indeterminate: Argon2id gives no progress
        bar.setFormat(text)
        bar.setTextVisible(True)
        bar.setAccessibleName(text)
        # Its room is kept while hidden, so the form does not jump when it appears.
        policy = bar.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        bar.setSizePolicy(policy)
        bar.setVisible(False)
        return bar

    def _connect_signals(self) -> None:
        self.unlock_button.clicked.connect(self.on_unlock_button_clicked)
        self.passphrase_edit.returnPressed.connect(self.on_unlock_button_clicked)
        self.passphrase_edit.textEdited.connect(self.on_passphrase_edit_text_edited)
        self.show_button.toggled.connect(self.on_show_button_toggled)
        self.other_store_button.clicked.connect(self.on_other_store_button_clicked)
        self.to_create_button.clicked.connect(self.on_to_create_button_clicked)
        self.to_open_button.clicked.connect(self.on_to_open_button_clicked)
        self.choose_folder_button.clicked.connect(self.on_choose_folder_button_clicked)
        self.new_passphrase_edit.textChanged.connect(self.on_new_passphrase_edit_text_changed)
        self.name_edit.textChanged.connect(self.on_new_passphrase_edit_text_changed)
        self.repeat_edit.returnPressed.connect(self.on_create_button_clicked)
        self.create_button.clicked.connect(self.on_create_button_clicked)

    def _load(self) -> None:
        self._show_folder()
        self.folder_edit.setText(str(self._folder))
        self.on_new_passphrase_edit_text_changed()
        if store_exists(self._folder):
            self.show_open_page()
        else:
            self.show_create_page()

    # -- public --------------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return self._folder

    def reload(self) -> None:
        """Look at the folder again (its store was wiped: the page to make a new one shows)."""
        self._load()

    def set_locked(self, locked: bool) -> None:
        """Locked: only the passphrase can be typed (no switching stores mid-session)."""
        self._locked = locked
        self.open_heading.setText("Pathway Desk is locked" if locked else "Unlock Pathway Desk")
        self.open_heading.setAccessibleName(self.open_heading.text())
        self.open_intro.setText(
            "Type your passphrase to carry on where you were. Your unsaved work was kept."
            if locked
            else "Your records are encrypted on this laptop. Type your passphrase to open them."
        )
        self.other_store_button.setVisible(not locked)
        self.to_create_button.setVisible(not locked)
        if locked:
            self.show_open_page()

    def show_open_page(self) -> None:
        self.pages.setCurrentIndex(0)
        self.unlock_button.setDefault(True)
        self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_create_page(self) -> None:
        self.pages.setCurrentIndex(1)
        self.create_button.setDefault(True)
        (self.name_edit if self.folder_edit.text() else self.folder_edit).setFocus()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.pages.currentIndex() == 0:
            self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- slots: open ---------------------------------------------------------------------------

    def on_unlock_button_clicked(self) -> None:
        if self._busy:
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self._open_failed_inline("Type your passphrase first.")
            return
        folder = self._folder
        self._set_busy(True)
        self._tasks.run(
            lambda _progress, _cancel: Store.open(folder, passphrase, exclusive=True),
            on_done=self._on_store_ready,
            on_failed=self._on_open_failed,
        )

    def on_passphrase_edit_text_edited(self, _text: str) -> None:
        show_message(self.open_error, "")
        self.passphrase_edit.setAccessibleDescription("")

    def on_show_button_toggled(self, shown: bool) -> None:
        self.passphrase_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.show_button.setText("Hide" if shown else "Show")
        self.show_button.setAccessibleName("Hide passphrase" if shown else "Show passphrase")

    def on_other_store_button_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Open a Pathway Desk store", str(self._folder.parent)
        )
        if not chosen:
            return
        if not store_exists(Path(chosen)):
            self._open_failed_inline(
                f"There is no Pathway Desk store in {chosen}. Choose the folder that holds "
                "key.json, or create a new store."
            )
            return
        self._folder = Path(chosen)
        self._show_folder()
        show_message(self.open_error, "")
        self.passphrase_edit.setFocus()

    def on_to_create_button_clicked(self) -> None:
        show_message(self.create_error, "")
        if store_exists(Path(self.folder_edit.text() or ".")):
            self.folder_edit.setText("")
        self.show_create_page()

    # -- slots: create -------------------------------------------------------------------------

    def on_to_open_button_clicked(self) -> None:
        self.show_open_page()

    def on_choose_folder_button_clicked(self) -> None:
        start = self.folder_edit.text() or str(self._folder.parent)
        chosen = QFileDialog.getExistingDirectory(self, "Choose an empty folder", start)
        if chosen:
            self.folder_edit.setText(chosen)
            self.name_edit.setFocus()

    def on_new_passphrase_edit_text_changed(self, _text: str = "") -> None:
        strength = strength_of(self.new_passphrase_edit.text(), (self.name_edit.text(),))
        self.strength_bar.setValue(strength.score + 1 if self.new_passphrase_edit.text() else 0)
        self.strength_bar.setFormat(strength.words)
        self.strength_bar.setProperty("strength", "good" if strength.good_enough else "weak")
        self.strength_bar.style().unpolish(self.strength_bar)
        self.strength_bar.style().polish(self.strength_bar)
        self.strength_bar.setAccessibleDescription(f"Strength: {strength.words}")
        self.strength_advice.setText(strength.advice)
        self.strength_advice.setVisible(bool(strength.advice))

    def on_create_button_clicked(self) -> None:
        if self._busy:
            return
        problem, field = self._create_problem()
        if problem:
            show_message(self.create_error, problem)
            if field is not None:
                field.setFocus()
                if isinstance(field, QLineEdit):
                    field.selectAll()
            return
        show_message(self.create_error, "")
        folder = Path(self.folder_edit.text()).expanduser()
        passphrase, name, kdf = (
            self.new_passphrase_edit.text(),
            self.name_edit.text().strip(),
            self._kdf,
        )
        self._set_busy(True)
        self._tasks.run(
            lambda _progress, _cancel: Store.create(folder, passphrase, owner_name=name, kdf=kdf,
                                                      exclusive=True),
            on_done=self._on_store_ready,
            on_failed=self._on_create_failed,
        )

    # -- helpers -------------------------------------------------------------------------------

    def _create_problem(self) -> tuple[str, QWidget | None]:
        """What stops the store being created, and the field to fix; ("", None) when fine."""
        folder_text = self.folder_edit.text().strip()
        if not folder_text:
            return "Choose a folder for the new store.", self.folder_edit
        folder = Path(folder_text).expanduser()
        if folder.exists() and not folder.is_dir():
            return f"{folder} is a file, not a folder. Choose a folder.", self.folder_edit
        if folder.is_dir() and any(folder.iterdir()):
            return (
                f"{folder} is not empty. Choose an empty folder (or a new one) for the store.",
                self.folder_edit,
            )
        if not self.name_edit.text().strip():
            return "Type your name: it goes on every note and change you make.", self.name_edit
        passphrase = self.new_passphrase_edit.text()
        try:
            check_new_passphrase(passphrase)
        except WeakPassphrase as exc:
            return str(exc), self.new_passphrase_edit
        strength = strength_of(passphrase, (self.name_edit.text(),))
        if not strength.good_enough:
            return (
                "This passphrase is too easy to guess for records this sensitive: "
                "see the advice under Strength.",
                self.new_passphrase_edit,
            )
        if self.repeat_edit.text() != passphrase:
            return "The two passphrases are different. Type the same one twice.", self.repeat_edit
        return "", None

    def _show_folder(self) -> None:
        self.open_folder_label.setText(f"Store: {self._folder}")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (
            self.passphrase_edit,
            self.unlock_button,
            self.show_button,
            self.other_store_button,
            self.to_create_button,
            self.folder_edit,
            self.choose_folder_button,
            self.name_edit,
            self.new_passphrase_edit,
            self.repeat_edit,
            self.create_button,
            self.to_open_button,
        ):
            widget.setEnabled(not busy)
        self.open_busy.setVisible(busy and self.pages.currentIndex() == 0)
        self.create_busy.setVisible(busy and self.pages.currentIndex() == 1)

    def _on_store_ready(self, store: Store) -> None:
        self._set_busy(False)
        self._folder = Path(store.folder)
        self._show_folder()
        for field in (self.passphrase_edit, self.new_passphrase_edit, self.repeat_edit):
            field.clear()
        self.show_button.setChecked(False)
        show_message(self.open_error, "")
        show_message(self.create_error, "")
        self.unlocked.emit(store)
        if self.pages.currentIndex() == 1:
            self.pages.setCurrentIndex(0)  # next time (after a lock) it is an unlock

    def _open_failed_inline(self, message: str) -> None:
        show_message(self.open_error, message)
        self.passphrase_edit.setAccessibleDescription(message)
        self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.passphrase_edit.selectAll()

    def _on_open_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, WrongPassphrase):
            self._open_failed_inline(
                "That passphrase is not right, so the store stayed locked. "
                "Check Caps Lock and the keyboard language, then try again."
            )
        elif isinstance(exc, PathwayDeskError):
            self._open_failed_inline(str(exc))
        else:
            self._open_failed_inline("The store could not be opened.")
            show_error(self, exc)

    def _on_create_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, PathwayDeskError):
            show_message(self.create_error, str(exc))
            self.folder_edit.setFocus()
        else:
            show_message(self.create_error, "The store could not be created.")
            show_error(self, exc)
