"""A multi-line text field that keeps what is typed as a draft and says when the user leaves it.

The field knows the value last saved in the store; anything different is "unsaved" and is kept as
a draft in the encrypted store (through :class:`~desktop.drafts.DraftKeeper`) while it is typed,
so a crash or a lock loses nothing. Leaving the field emits ``editing_finished`` when there is
something to save; the owner decides whether to save then. GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from desktop.bidi import set_left_to_right
from desktop.drafts import DraftKeeper
from desktop.operations import Operations


class DraftTextEdit(QPlainTextEdit):
    dirty_changed = Signal(bool)
    editing_finished = Signal()

    def __init__(
        self,
        ops: Operations,
        draft_key: str,
        accessible_name: str,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.keeper = DraftKeeper(ops, draft_key, self)
        self._saved_text = ""
        self._loading = False
        self._dirty = False
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText(placeholder)
        # Tab moves on (a keyboard user must never be trapped in a text box); Ctrl+Tab types one.
        self.setTabChangesFocus(True)
        set_left_to_right(self)  # an English note that starts with an Arabic name reads in order
        self.textChanged.connect(self.on_self_text_changed)

    @property
    def draft_key(self) -> str:
        return self.keeper.key

    def set_saved_text(self, text: str, draft: dict[str, Any] | None = None) -> None:
        """Show ``text`` (what the store holds), or the unsaved ``draft`` left from last time."""
        self._saved_text = text
        shown = text
        if draft is not None and isinstance(draft.get("text"), str):
            shown = draft["text"]
        if shown != self.toPlainText():
            self._loading = True
            try:
                self.setPlainText(shown)
            finally:
                self._loading = False
        self._set_dirty(shown != text)

    def saved_text(self) -> str:
        return self._saved_text

    def is_dirty(self) -> bool:
        return self._dirty

    def refresh_saved_text(self, text: str) -> None:
        """The store now holds ``text`` (re-read after a write): shown unless the adviser has
        typed something else, which stays on screen (and in its draft)."""
        if not self._dirty and text != self.toPlainText():
            self._loading = True
            try:
                self.setPlainText(text)
            finally:
                self._loading = False
        self._saved_text = text
        self._set_dirty(self.toPlainText() != text)

    def take_for_saving(self) -> str:
        """The text to write now; the write discards the draft in its own transaction."""
        self.keeper.forget()
        return self.toPlainText()

    def mark_saved(self, text: str) -> None:
        """``text`` (from :meth:`take_for_saving`) is now in the store. Anything typed since
        stays unsaved and is kept as a draft again."""
        self._saved_text = text
        current = self.toPlainText()
        if current != text:
            self.keeper.touch({"text": current})
        self._set_dirty(current != text)

    def flush_draft(self) -> None:
        self.keeper.flush()

    # -- slots -------------------------------------------------------------------------------

    def on_self_text_changed(self) -> None:
        if self._loading:
            return
        text = self.toPlainText()
        dirty = text != self._saved_text
        if dirty:
            self.keeper.touch({"text": text})
        else:
            self.keeper.discard()
        self._set_dirty(dirty)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        if self._dirty:
            self.editing_finished.emit()

    # -- helpers -----------------------------------------------------------------------------

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
