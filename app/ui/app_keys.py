"""The app's keys for the user: the help screen (`?`) and the user's keymap, applied and checked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Generic, TypeVar

from textual.binding import Binding

from app.ui.bindings import key_named
from app.ui.key_order import OrderedKeysApp
from app.ui.settings import Settings

if TYPE_CHECKING:
    from app.ui.help_screen import KeyRow

ReturnType = TypeVar("ReturnType")


class KeymapApp(OrderedKeysApp[ReturnType], Generic[ReturnType]):
    """An app whose key help and keymap come from the bindings of every key group (`app/ui/keys.py`)."""

    settings: Settings
    """The user's settings (the keymap is theirs)."""

    @property
    def keymap(self) -> Mapping[str, str]:
        """The user's `[keymap]`, as handed to Textual (`key_named` reads it for the hints)."""
        return self.settings.keymap

    def _apply_keymap(self) -> None:
        keymap = self.settings.keymap
        if not keymap:
            return
        # Textual skips ids no binding has; telling the user about them needs every key group, which
        # imports every screen (the event detail's pygments too): that waits for the first frame.
        self.set_keymap(keymap)
        self.call_after_refresh(self._report_unknown_keymap_ids)

    def _report_unknown_keymap_ids(self) -> None:
        from app.ui.keys import binding_ids, key_groups

        unknown = sorted(set(self.settings.keymap) - binding_ids(key_groups(type(self))))
        if unknown:
            self.notify(f"[keymap] in settings.toml names no such binding: {', '.join(unknown)} "
                        f"(the ids are on the help screen, {key_named(self, 'app.help')})", title="Keymap",
                        severity="warning", timeout=10, markup=False)

    def action_help(self) -> None:
        """Show every key."""
        from app.ui.help_screen import HelpScreen

        self.push_screen(HelpScreen(self.help_groups()))

    def help_groups(self) -> list[tuple[str, list[KeyRow]]]:
        """The help screen's sections: every binding with a description, keymap applied."""
        from app.ui.help_screen import KeyRow
        from app.ui.keys import key_display, key_groups

        keymap = self.settings.keymap
        palette = Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "Command palette",
                          tooltip="Every action by name")
        groups: list[tuple[str, list[KeyRow]]] = []
        for group in key_groups(type(self)):
            bindings = [*group.bindings, palette] if group.title == "Everywhere" else group.bindings
            rows = [KeyRow(key_display(self, binding, keymap), binding.tooltip or binding.description, binding.id or "")
                    for binding in bindings if binding.description]
            groups.append((group.title, rows))
        return groups
