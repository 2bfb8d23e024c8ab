"""Pane layout actions of the main screen: hide, maximise and resize, remembered in the settings."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

from app.ui.settings import EDITOR_HEIGHT_RANGE, TREE_WIDTH_RANGE, Layout

TREE_SHARE_OF_SCREEN = 3
"""The tree never takes more than a third of the screen's width: at 100 columns the Timeline needs the rest."""

LAYOUT_BINDINGS: list[BindingType] = [
    Binding("ctrl+b", "toggle_tree", "Show/hide tree", show=False, id="layout.toggle_tree",
                tooltip="Show / hide the collection tree"),
    Binding("ctrl+r", "toggle_history", "History", id="layout.toggle_history",
                tooltip="Show / hide the history of sent requests"),
    Binding("ctrl+o", "toggle_maximise", "Maximise", id="layout.maximise",
                tooltip="Maximise the focused pane / restore"),
    Binding("alt+left", "resize_tree(-4)", "Narrower tree", show=False, id="layout.tree_narrower"),
    Binding("alt+right", "resize_tree(4)", "Wider tree", show=False, id="layout.tree_wider"),
    Binding("alt+up", "resize_editor(-5)", "Shorter editor", show=False, id="layout.editor_shorter"),
    Binding("alt+down", "resize_editor(5)", "Taller editor", show=False, id="layout.editor_taller"),
]


def tree_width(layout: Layout, screen_width: int) -> int:
    """The tree's width on a screen this wide (when shown)."""
    # The width the user chose is kept in the settings; a narrow terminal only shows less of it.
    low, _ = TREE_WIDTH_RANGE
    return min(layout.tree_width, max(low, screen_width // TREE_SHARE_OF_SCREEN))


def expected_editor_size(layout: Layout, screen: Size) -> Size:
    """The editor's size (border included) that `layout` gives it on a screen of this size, with nothing
    maximised: known before the first layout, so the editor picks its size classes and tab labels in
    that layout instead of restyling and laying everything out again after it (two passes of the whole
    screen at start-up). The header and the footer take a row each."""
    width = screen.width - (tree_width(layout, screen.width) if layout.tree_visible else 0)
    height = (screen.height - 2) * layout.editor_height // 100
    return Size(max(0, width), max(0, height))


def expected_tree_size(layout: Layout, screen: Size) -> Size | None:
    """The tree's size (border included) that `layout` gives it on a screen of this size, with nothing
    maximised and its filter closed; None when it has none (hidden) or shares its column with the history
    (whose height is its own). The header and the footer take a row each."""
    if not layout.tree_visible or layout.history_visible:
        return None
    return Size(tree_width(layout, screen.width), max(0, screen.height - 2))


def scroll_bars_needed(content: Size, inside: Size, vertical_width: int, horizontal_height: int) -> tuple[bool, bool]:
    """(horizontal, vertical): the scroll bars of an `overflow: auto auto` widget whose content (its virtual
    size) is `content` and whose room for it, inside border and padding, is `inside`, decided as Textual
    does after a layout (a bar that takes room can call for the other)."""
    horizontal = content.width > inside.width
    vertical = content.height > inside.height
    if vertical and not horizontal:
        horizontal = content.width > inside.width - vertical_width
    if horizontal and not vertical:
        vertical = content.height > inside.height - horizontal_height
    return horizontal, vertical


class LayoutActions(Screen[None]):
    """Mixed into the main screen: the layout lives in `self.layout_settings` and is applied to the panes."""

    BINDINGS = LAYOUT_BINDINGS

    layout_settings: Layout = Layout()

    class LayoutChanged(Message):
        """The user resized, hid or showed a pane (the app remembers it)."""

        def __init__(self, layout: Layout) -> None:
            super().__init__()
            self.layout = layout

    def _pane(self, selector: str) -> Widget:
        return self.query_one(selector)

    def apply_layout(self) -> None:
        """Size and show the panes from `layout_settings`."""
        layout = self.layout_settings
        sidebar = self._pane("#sidebar")
        editor = self._pane("#editor")
        # A maximised pane fills the screen: the tree's width and the editor's share are for side by side.
        sidebar.styles.width = "1fr" if self.maximized is sidebar else tree_width(layout, self.app.size.width)
        sidebar.display = layout.tree_visible
        self._pane("#history").display = layout.history_visible
        editor.styles.height = "1fr" if self.maximized is editor else f"{layout.editor_height}%"

    def on_resize(self) -> None:
        self.apply_layout()

    def _changed(self, **changes: object) -> None:
        self.layout_settings = replace(self.layout_settings, **changes)  # type: ignore[arg-type]
        self.apply_layout()
        self.post_message(self.LayoutChanged(self.layout_settings))

    def action_toggle_tree(self) -> None:
        """Show or hide the collection tree."""
        self._changed(tree_visible=not self.layout_settings.tree_visible)
        self._leave_hidden_pane()

    def action_toggle_history(self) -> None:
        """Show or hide the history panel (it opens with the tree)."""
        layout = self.layout_settings
        # Behind a hidden tree the History is not shown, whatever the setting says: Ctrl+R shows it then.
        visible = not (layout.history_visible and layout.tree_visible)
        self._changed(history_visible=visible, tree_visible=layout.tree_visible or visible)
        if visible:
            self._pane("#history").focus()
        else:
            self._leave_hidden_pane()

    def _leave_hidden_pane(self) -> None:
        """Move the focus out of a pane just hidden, to the first field shown: it went nowhere (no pane
        showed the focus, and keys did nothing), or, from the tree, to the History hidden with it (its
        Enter and H went on working unseen)."""
        focused = self.focused
        if focused is not None and not all(node.display for node in focused.ancestors_with_self):
            self.focus_next()

    def minimize(self) -> None:
        """Restore the maximised pane (Ctrl+O, Esc, Ctrl+T …) to its place and size."""
        super().minimize()
        self.apply_layout()

    def action_toggle_maximise(self) -> None:
        """Maximise the pane holding the focus, or restore the layout."""
        if self.maximized is not None:
            self.minimize()
            self.refresh_bindings()
            return
        focused = self.focused
        for pane_id in ("#editor", "#response", "#sidebar"):
            pane = self._pane(pane_id)
            if focused is not None and (focused is pane or pane in focused.ancestors):
                # Set directly: containers refuse `maximize()` unless they opt in, and the pane is T1's class.
                self.maximized = pane
                self.apply_layout()
                self.refresh_bindings()
                return
        self.notify("Focus a pane first (Tab), then maximise it.", severity="warning")

    def action_resize_tree(self, delta: int) -> None:
        """Make the tree wider or narrower."""
        low, high = TREE_WIDTH_RANGE
        self._changed(tree_width=max(low, min(high, self.layout_settings.tree_width + delta)), tree_visible=True)

    def action_resize_editor(self, delta: int) -> None:
        """Give the request editor more or less of the right column."""
        low, high = EDITOR_HEIGHT_RANGE
        self._changed(editor_height=max(low, min(high, self.layout_settings.editor_height + delta)))
