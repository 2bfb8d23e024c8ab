"""The workbench's footer: the keys that matter most first, and only whole keys that fit, in one widget.

Textual's `Footer` lists the focused widget's keys first and clips the row at the right edge, so at 100
columns Esc (cancel) was cut to `es` behind the tree's file keys. This footer puts the keys for the
request's lifecycle first (cancel, send, save, help), then the rest in Textual's order, and leaves out
whole keys that do not fit instead of cutting one in half; everything left out is on the help screen (`?`)
and in the command palette.

A binding with several keys shows its first, as Textual's footer does (`del` for `delete,x`), unless the
user's `[keymap]` gives it those keys: then every one of them that works where the focus is (`f9/^j` for
`"request.send" = "f9,ctrl+j"`). Textual splits such a binding into one binding per key and its footer
showed only the first, so a user who kept the old key beside a new one could not tell it still worked.

It draws the row itself, as Textual's footer looks in its compact style (the same theme variables), instead
of a `FooterKey` widget per key: the 13 keys were 39 nodes to compose, style and lay out before the first
frame (about 5% of the CPU to the settled screen), and Textual recomposed them after every focus move. A
change of keys is now a repaint of one row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.color import Color
from textual.screen import Screen
from textual.widget import Widget

FIRST_ACTIONS = ("close_filter", "close_tree_filter", "cancel", "send", "save", "help")
"""Actions listed before all others, in this order (the screen's actions are named without namespace)."""

GAP = 1
"""Cells between two keys."""

KEY_SEPARATOR = "/"
"""Between the keys of one binding that the keymap gave several (`f9/^j`)."""

SEPARATOR = "▏"
"""Before the command palette's key, at the right edge (Textual's `border-left: vkey`)."""


@dataclass(frozen=True)
class FooterEntry:
    """One key the footer shows: the key, as displayed, what it does, and whether it applies now."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str

    @property
    def width(self) -> int:
        """Cells taken, the gap after it included."""
        return cell_len(self.display) + (cell_len(self.description) + 1 if self.description else 0) + GAP


def _action_name(action: str) -> str:
    return action.rsplit(".", 1)[-1].split("(", 1)[0]


def order_and_fit(keys: list[FooterEntry], palette: FooterEntry | None, width: int) -> list[FooterEntry]:
    """The keys to show on a row `width` cells wide, lifecycle first (`FIRST_ACTIONS`), whole keys only, with
    room kept for the palette's key. A width of 0 (not laid out yet) fits everything."""
    rank = {action: position for position, action in enumerate(FIRST_ACTIONS)}
    ordered = sorted(keys, key=lambda key: rank.get(_action_name(key.action), len(rank)))
    if width <= 0:
        return ordered
    room = width - (palette.width if palette is not None else 0)
    fitting = []
    for key in ordered:
        if key.width <= room:
            fitting.append(key)
            room -= key.width
    return fitting


class WorkbenchFooter(Widget, can_focus=False):
    """A compact footer that orders keys by importance and drops whole keys that do not fit.

    `entries` is what it shows now; a click on a key presses it, as on Textual's footer."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    WorkbenchFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer--item { background: $footer-item-background; }
        & > .footer--hover { color: $footer-key-foreground; background: $block-hover-background; }
        & > .footer--disabled { text-style: dim; }
        & > .footer--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        & > .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer--separator { color: $foreground 20%; }
    }
    """

    COMPONENT_CLASSES = {
        "footer--item", "footer--hover", "footer--disabled", "footer--key", "footer--description", "footer--separator",
    }

    def __init__(self, keymap: Mapping[str, str] | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keymap: Mapping[str, str] = keymap or {}
        """The user's `[keymap]`: the bindings it names show all their keys."""
        self._shown: tuple[object, ...] | None = None
        """What the last paint showed (`_summary`): a change of bindings that keeps it is not repainted."""
        self._spans: list[tuple[int, int, FooterEntry]] = []
        """Where each key was drawn (start, end), for the mouse."""
        self._hover: FooterEntry | None = None
        self._styles: dict[tuple[str, ...], Style] = {}
        """Layered component styles, resolved once per style change (each lookup walks the CSS)."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # As Textual's footer: not while the terminal has lost the focus (the bindings come back with it).
        if screen is self.screen and self.app.app_focus and self._summary() != self._shown:
            self.refresh()

    def _entries(self) -> tuple[list[FooterEntry], FooterEntry | None]:
        """The screen's shown bindings, one per action (its first key, as Textual's footer, or every key the
        keymap gave it), and the palette's."""
        app = self.app
        palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        keys: dict[str, FooterEntry] = {}
        ids: dict[str, str | None] = {}
        """The binding id of each action's entry: another binding of the same action adds no key to it."""
        palette = None
        # Active bindings only: a key the focused field types (`x` in the URL) does not send from there.
        for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if key == palette_key:
                palette = FooterEntry(key, app.get_key_display(binding), binding.description, binding.action, enabled,
                                      binding.tooltip or binding.description)
            elif not binding.show:
                continue
            elif binding.action not in keys:
                keys[binding.action] = FooterEntry(key, app.get_key_display(binding), binding.description,
                                                   binding.action, enabled, tooltip or binding.description)
                ids[binding.action] = binding.id
            elif binding.id is not None and binding.id == ids[binding.action] and binding.id in self._keymap:
                shown = keys[binding.action]
                keys[binding.action] = replace(shown, display=shown.display + KEY_SEPARATOR + app.get_key_display(binding))
        return list(keys.values()), palette

    @property
    def entries(self) -> list[FooterEntry]:
        """The keys shown at the current width, in their order, the palette's last."""
        keys, palette = self._entries()
        return [*order_and_fit(keys, palette, self._width_now()), *([palette] if palette else [])]

    def _width_now(self) -> int:
        # Before its first layout a footer has no width yet: it is docked across the whole screen.
        return self.size.width or self.screen.size.width

    def _summary(self) -> tuple[object, ...]:
        return (self._width_now(), *self.entries)

    # -- drawing ---------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, *components: str) -> Style:
        """The components' styles layered over the footer's, blended as Textual blends nested widgets'."""
        style = self._styles.get(components)
        if style is None:
            background = self.background_colors[1]
            color: Color = self.styles.color
            text_style = Style()
            for name in components:
                styles = self.get_component_styles(name)
                if styles.has_rule("background"):
                    background += styles.background
                if styles.has_rule("color"):
                    color = styles.color
                text_style += styles.text_style
            style = self._styles[components] = text_style + Style.from_color(
                (background + color).rich_color, background.rich_color)
        return style

    def _key_text(self, entry: FooterEntry) -> Text:
        under = ("footer--hover" if entry == self._hover else "footer--item",
                 *(() if entry.enabled else ("footer--disabled",)))
        text = Text()
        text.append(entry.display, style=self._style(*under, "footer--key"))
        if entry.description:
            text.append(f" {entry.description}", style=self._style(*under, "footer--description"))
        return text

    def render(self) -> RenderResult:
        keys, palette = self._entries()
        width = self._width_now()
        shown = order_and_fit(keys, palette, width)
        self._shown = (width, *shown, *([palette] if palette else []))
        row = Text(no_wrap=True, overflow="crop", style=self._style())
        spans = []
        for entry in shown:
            start = row.cell_len
            row.append_text(self._key_text(entry))
            spans.append((start, row.cell_len, entry))
            row.append(" " * GAP)
        if palette is not None:
            # At the right edge, with a gap after it as after every key; over the last key's gap if need be
            # (as Textual docks it).
            label = self._key_text(palette)
            row.truncate(max(0, width - len(SEPARATOR) - label.cell_len - GAP), pad=True)
            row.append(SEPARATOR, style=self._style("footer--item", "footer--separator"))
            spans.append((row.cell_len, row.cell_len + label.cell_len, palette))
            row.append_text(label)
            row.append(" " * GAP)
        self._spans = spans
        return row

    # -- the mouse -------------------------------------------------------------------------------

    def _entry_at(self, x: int) -> FooterEntry | None:
        return next((entry for start, end, entry in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._entry_at(event.x))

    def on_leave(self) -> None:
        self._set_hover(None)

    def _set_hover(self, entry: FooterEntry | None) -> None:
        if entry != self._hover:
            self._hover = entry
            self.tooltip = entry.tooltip if entry is not None else None
            self.styles.pointer = "default" if entry is None else "pointer"  # as over Textual's footer keys
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        entry = self._entry_at(event.x)
        if entry is None:
            return
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()
