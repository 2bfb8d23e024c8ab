"""A text area whose credentials show as `****` until revealed: the editor's headers, params and cookies,
and the environments screen's variables."""

from __future__ import annotations

from collections.abc import Callable

from app.ui.fields import TextArea
from app.ui.request.masked_text import MaskedText


class MaskedArea(TextArea):
    """Shows `masker(real)` (unless revealed) and keeps the real text underneath (`MaskedText`), so an
    edit of the shown text never saves `****` in place of the value it hides."""

    def __init__(self, masker: Callable[[str], str], *, id: str | None = None, show_line_numbers: bool = False,
                 placeholder: str = "") -> None:
        super().__init__(id=id, soft_wrap=False, show_line_numbers=show_line_numbers, placeholder=placeholder)
        self._masker = masker
        self.revealed = False
        """Credentials shown in clear."""
        self._text_now = MaskedText()

    @property
    def real(self) -> str:
        """The text with every hidden credential's real value in place."""
        return self._text_now.edit(self.text).real

    def show_real(self, real: str) -> None:
        """Show `real`, masked unless revealed."""
        self._text_now = MaskedText.plain(real) if self.revealed else MaskedText.masked(real, self._masker)
        if self.text != self._text_now.shown:
            self.load_text(self._text_now.shown)

    def reveal(self, shown: bool) -> None:
        """Show the credentials in clear (True) or as `****` again (False); the real text is unchanged."""
        if shown == self.revealed:
            return
        real = self.real
        self.revealed = shown
        self.show_real(real)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # The text as it is now (not as the event saw it): edits are mapped back onto the real values.
        if event.text_area is self:
            self._text_now = self._text_now.edit(self.text)
