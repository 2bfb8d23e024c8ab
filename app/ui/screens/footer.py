"""The workbench's footer: the keys that matter most first, and only whole keys that fit.

Textual's `Footer` lists the focused widget's keys first and clips the row at the right edge, so at 100
columns Esc (cancel) was cut to `es` behind the tree's file keys. This footer puts the keys for the
request's lifecycle first (cancel, send, save, help), then the rest in Textual's order, and leaves out
whole keys that do not fit instead of cutting one in half; everything left out is on the help screen (`?`)
and in the command palette.
"""

from __future__ import annotations

import asyncio

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

FIRST_ACTIONS = ("close_filter", "close_tree_filter", "cancel", "send", "save", "help")
"""Actions listed before all others, in this order (the screen's actions are named without namespace)."""

GAP = 1
"""Cells between two keys."""


def _action_name(action: str) -> str:
    return action.rsplit(".", 1)[-1].split("(", 1)[0]


def _is_key(widget: Widget) -> bool:
    # Textual's FooterKey is not exported: recognised by what it carries.
    return hasattr(widget, "key_display") and hasattr(widget, "action") and not widget.has_class("-command-palette")


def _width(widget: Widget) -> int:
    description = str(getattr(widget, "description", ""))
    return cell_len(str(getattr(widget, "key_display", ""))) + (cell_len(description) + 1 if description else 0) + GAP


class WorkbenchFooter(Footer):
    """A compact footer that orders keys by importance and drops whole keys that do not fit.

    Textual recomposes a footer after every change of the bindings (each focus move) and this one after
    each resize too; a recompose that would show the same keys is skipped: each cost a layout and a paint
    of the whole screen (three at start-up)."""

    _shown: tuple[object, ...] | None = None
    """What the composed keys say (see `_summary`): None before the first compose."""
    _bindings_known = False
    """The screen has said its bindings are ready (`bindings_changed`): Textual's footer composes keys from then on."""

    def compose(self) -> ComposeResult:
        widgets = self._widgets()
        self._shown = self._summary()
        self.styles.grid_size_columns = sum(map(_is_key, widgets))
        yield from widgets

    def _widgets(self) -> list[Widget]:
        widgets = list(super().compose())
        keys = [widget for widget in widgets if _is_key(widget)]
        rest = [widget for widget in widgets if not _is_key(widget)]
        rank = {action: position for position, action in enumerate(FIRST_ACTIONS)}
        keys.sort(key=lambda key: rank.get(_action_name(str(getattr(key, "action", ""))), len(rank)))
        # Before its first layout a footer has no width yet: it is docked across the whole screen.
        width = self._width_now()
        room = width - sum(_width(widget) for widget in rest)
        if width > 0:
            fitting = []
            for key in keys:
                if _width(key) <= room:
                    fitting.append(key)
                    room -= _width(key)
            keys = fitting
        if self.compact:
            # The keys take the class from `compact` once mounted, restyling each: given now (without the
            # style update of a widget not mounted yet, 1-3 ms each), that is a no-op.
            for widget in (*keys, *rest):
                widget.add_class("-compact", update=False)
        return [*keys, *rest]

    def _width_now(self) -> int:
        return self.size.width or self.screen.size.width

    def _summary(self) -> tuple[object, ...]:
        """What the keys would say if composed now: the width and every field of the shown bindings that
        a key is built from. Read from the bindings, not by composing: `Footer.compose` also sets the grid's
        column count, which lays the screen out again even when the keys are then left as they were."""
        if not self._bindings_known:
            return (self._width_now(),)  # Textual composes no keys until then
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING if self.show_command_palette and app.ENABLE_COMMAND_PALETTE else None
        return (self._width_now(), *(
            (key, binding.action, binding.description, app.get_key_display(binding), enabled, tooltip,
             None if binding.group is None else (binding.group.description, binding.group.compact))
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        ))

    async def recompose(self) -> None:
        if self._shown is not None and self._summary() == self._shown:
            return
        await super().recompose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_known = True
        super().bindings_changed(screen)

    async def show_keys(self) -> None:
        """Compose the keys for the screen's bindings as they are now. The main screen calls this once its
        focus is set, before its first layout: left to Textual, a footer composes its keys only after the
        first change of bindings and then the next repaint, a second layout and paint of the whole screen
        (and a third when the focus moved meanwhile)."""
        self.bindings_changed(self.screen)  # the bindings are ready (its own recompose then finds nothing new)
        composed = asyncio.Event()

        async def compose_keys() -> None:
            try:
                await self.recompose()
            finally:
                composed.set()

        # Run as the footer's own callback: each key binds to the footer that is composing it.
        self.call_later(compose_keys)
        await composed.wait()

    def on_resize(self, event: events.Resize) -> None:
        if self._shown is not None and event.size.width != self._shown[0]:
            self.call_after_refresh(self.recompose)
