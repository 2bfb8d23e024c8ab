"""The request editor: URL bar and tabs for params, headers, body, auth, stream, messages and extraction.

The tabs are the response pane's one-widget `TabBar` over a `PaneStack` (`app/ui/response/tab_stack.py`),
not Textual's `TabbedContent`: that is 27 widgets here to compose, style and lay out at start-up, and its
underline is placed only after the first paint, so the first screen changed once more about 0.1-0.3 s
later (the last change of the start-up screen on a loaded machine). Each tab's content is built the first
time it is shown (`tabs.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, TextArea

from app.model.request_definition import SavedMessage, is_websocket_url
from app.model.secrets import mask_url
from app.terminal_text import safe_line
from app.ui.request.draft import HTTP_METHODS, RequestDraft
from app.ui.request.editor_tab import EditorKeys, EditorTab
from app.ui.request.masked_area import MaskedArea
from app.ui.request.masked_text import MaskedText
from app.ui.request.tabs import EDITOR_TABS, ParamsTab, build_tab
from app.ui.request.url_bar import UrlBar, VariableHighlighter
from app.ui.request.url_query import line_pieces, query_pieces, with_query
from app.ui.response.tab_stack import PaneStack, StackedPane, TabBar

if TYPE_CHECKING:
    from app.ui.request.websocket_tabs import MessagesTab

FIRST_FIELD = "*first"
"""`show_tab(..., focus=FIRST_FIELD)` focuses the tab's first field."""

SHORT_HEIGHT = 20
"""Below this many rows the fields lose the blank line between them."""

NARROW_WIDTH = 90
"""Below this many columns the name leaves the URL bar for the border (the tab bar shows short labels only
when the full ones do not fit)."""

HTTP_ONLY_TABS = frozenset({"tab-body", "tab-stream"})
"""Tabs a WebSocket request has no use for (it sends messages, not a body; it is not an HTTP stream)."""
WEBSOCKET_ONLY_TABS = frozenset({"tab-messages", "tab-socket"})


class RequestEditor(Vertical):
    """Edits one `RequestDraft`, marking unsaved changes (● before the name)."""

    ALLOW_MAXIMIZE = True
    DEFAULT_CSS = """
    RequestEditor { border: round $panel; border-title-color: $text-muted; }
    RequestEditor:focus-within { border: round $primary; }
    RequestEditor TextArea { height: 1fr; min-height: 3; border: none; }
    RequestEditor TextArea:focus { border: none; }
    RequestEditor .row { height: 1; margin-bottom: 1; }
    RequestEditor .row Label { padding: 0 1 0 0; width: 14; }
    RequestEditor .row Input { width: 1fr; }
    RequestEditor .row Select { width: 24; }
    RequestEditor #ws-saved { height: 5; border: none; }
    RequestEditor.-short #ws-saved { height: 3; }
    RequestEditor .hint { color: $text-muted; width: 100%; height: auto; }  /* wraps: at 100x30 one line cut the syntax */
    RequestEditor #description {
        color: $text-muted; width: 100%; height: 1; display: none; text-wrap: nowrap; text-overflow: ellipsis;
    }
    RequestEditor #description.-shown { display: block; }
    RequestEditor.-narrow UrlBar #title { display: none; }
    RequestEditor EditorTab { overflow-y: auto; }
    RequestEditor.-short .row, RequestEditor.-short UrlBar, RequestEditor.-short .ws-buttons { margin-bottom: 0; }
    RequestEditor SelectOverlay { background: $surface; }
    """

    def __init__(self, highlighter: VariableHighlighter, *, keys: EditorKeys, id: str | None = None,
                 expected_size: Size | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Request"
        self._highlighter = highlighter
        self._keys = keys
        """The keys the tabs' hints name (reveal, send, save), the user's keymap applied."""
        self._saved = RequestDraft()
        self._loaded = self._saved
        """The last draft loaded: the source of every field whose tab has not been built yet."""
        self.path: Path | None = None
        """The request's file, or None for a request not saved yet."""
        self._dirty = False
        self._url_written: str | None = None
        """The URL field's value as last written from the Params tab's query area (its echo is not answered)."""
        self._query_written: str | None = None
        """The query area's text as last written from the URL field (likewise)."""
        self._focus_after_build: tuple[str, str, Widget | None] | None = None
        """(tab id, widget id, what had the focus when asked) to focus once that tab is built: keyed by tab,
        so a tab whose build was still pending when the user moved on (fast Ctrl+PageDown) does not take
        the focus back, nor does it once a key moved the focus elsewhere."""
        self._composers: dict[Path | None, SavedMessage] = {}
        """Each request's unsent composer text and format, so they do not carry over to the next one."""
        self._websocket_tabs: bool | None = None
        """Whether the tabs shown are a WebSocket's (None: not chosen yet)."""
        self._title_shown = ""
        """The name shown in the URL bar now."""
        self._url_now = MaskedText()
        """The URL field's text: shown with its credentials as `****`, the real URL underneath."""
        self.secrets_revealed = False
        """Credentials in the URL, headers, params, auth and cookie fields shown in clear (each request opens masked)."""
        self._expected_content = (
            Size(max(0, expected_size.width - 2), max(0, expected_size.height - 2)) if expected_size else Size(0, 0)
        )
        """The content size the screen's layout will give the editor (inside its border), known before that
        layout: the size classes are chosen from it before anything is styled or laid out (a class added
        after the first layout restyles every widget in the editor). `on_resize` corrects them if the guess
        was wrong."""
        if expected_size is not None:
            self._set_size_classes(self._expected_content)

    def compose(self) -> ComposeResult:
        yield UrlBar(self._highlighter)
        yield Label("", id="description")
        yield TabBar(EDITOR_TABS, id="request-tabs")
        with PaneStack(id="request-panes"):
            for spec in EDITOR_TABS:
                with StackedPane(id=spec.id):
                    if spec.id == "tab-params":
                        yield build_tab(spec.id, self._loaded, self._highlighter, self._keys)

    def on_mount(self) -> None:
        self._fit_tabs(self._loaded.is_websocket, self._loaded)

    @property
    def active_tab(self) -> str:
        """The id of the tab shown (`tab-params`, `tab-headers` …)."""
        return self.query_one(PaneStack).active

    @on(TabBar.Chosen)
    def _tab_chosen(self, event: TabBar.Chosen) -> None:
        # Clicked or stepped to on the bar: the focus stays there, as on Textual's own tabs.
        event.stop()
        self.show_tab(event.tab_id)

    def _switch_tab(self, tab_id: str) -> None:
        self.query_one(PaneStack).show(tab_id)
        self.query_one(TabBar).active = tab_id
        # Built (if need be) and focused from the editor's queue, in order: a burst of tab keys builds each
        # tab once, and a focus asked for a tab already left is not applied.
        self.call_later(self._build_tab, tab_id)

    async def _build_tab(self, tab_id: str) -> None:
        pane = self.query_one(f"#{tab_id}", StackedPane)
        if not pane.query(EditorTab):
            tab = build_tab(tab_id, self.draft, self._highlighter, self._keys)
            await pane.mount(tab)
            tab.reveal(self.secrets_revealed)
            composer = self._messages_tab() if tab_id == "tab-messages" else None
            if composer is not None:
                composer.set_composer(self._composers.get(self.path, SavedMessage("")))
        self._apply_focus(tab_id)

    def _messages_tab(self) -> MessagesTab | None:
        """The Messages tab, once built. Found by its pane, not its class: `app.ui.request.websocket_tabs` is
        imported by that build (`build_tab`), not for the first screen."""
        built = self.query_one("#tab-messages", StackedPane).query(EditorTab)
        return cast("MessagesTab | None", next(iter(built), None))

    def _tabs(self) -> list[EditorTab]:
        return list(self.query(EditorTab))

    @property
    def draft(self) -> RequestDraft:
        """The request as currently edited."""
        method = self.query_one("#method", Select).value
        url = self._url_now.edit(self.query_one("#url", Input).value).real
        draft = self._loaded.with_changes(url=url)
        # A WebSocket has no method to pick (the selector is hidden): keep the loaded one (GET or WS).
        if not draft.is_websocket:
            draft = draft.with_changes(method=str(method) if method is not Select.BLANK else "GET")
        for tab in self._tabs():
            if tab.is_mounted:
                draft = tab.collect(draft)
        return draft

    @property
    def is_dirty(self) -> bool:
        return self._dirty

    def load(self, draft: RequestDraft, path: Path | None, *, saved: RequestDraft | None = None) -> None:
        """Show `draft`; `saved` (default: the draft itself) is what counts as unchanged."""
        composer = self._messages_tab()
        if composer is not None:
            self._composers[self.path] = composer.composer_message()
        self.path = path
        self._saved = saved if saved is not None else draft
        self._loaded = draft
        method = draft.method.upper()
        selector = self.query_one("#method", Select)
        # A method the selector does not list (PROPFIND, WS) is offered too, so saving keeps it.
        known = HTTP_METHODS if method in HTTP_METHODS else (*HTTP_METHODS, method)
        selector.set_options([(safe_line(name), name) for name in known])  # a file's method is shown as text
        selector.value = method
        self.secrets_revealed = False
        self._show_url(draft.url)
        self._fit_tabs(draft.is_websocket, draft)
        for tab in self._tabs():
            tab.reveal(False)
            tab.show(draft)
        if composer is not None:
            composer.set_composer(self._composers.get(path, SavedMessage("")))
            composer.show_status("")
        self._show_description(draft.description)
        self._update_dirty()

    def _show_url(self, real: str, *, keep_cursor: bool = False) -> None:
        self._url_now = MaskedText.plain(real) if self.secrets_revealed else MaskedText.masked(real, mask_url)
        field = self.query_one("#url", Input)
        cursor = field.cursor_position
        field.value = self._url_now.shown
        field.cursor_position = min(cursor, len(field.value)) if keep_cursor else len(field.value)

    def reveal_secrets(self, shown: bool) -> None:
        """Show the credentials of the URL, headers, params and auth fields in clear, or mask them again.

        Only what is displayed changes: the request keeps its real values either way."""
        if shown == self.secrets_revealed:
            return
        real_url = self._url_now.edit(self.query_one("#url", Input).value).real
        self.secrets_revealed = shown
        self._show_url(real_url)
        for tab in self._tabs():
            tab.reveal(shown)

    def _fit_tabs(self, websocket: bool, draft: RequestDraft) -> None:
        """Show only the tabs this kind of request (`draft`) uses (the URL decides, as it changes)."""
        if websocket == self._websocket_tabs:
            return
        self._websocket_tabs = websocket
        hidden = HTTP_ONLY_TABS if websocket else WEBSOCKET_ONLY_TABS
        self.query_one(TabBar).set_tabs(tuple(spec for spec in EDITOR_TABS if spec.id not in hidden))
        if self.active_tab in hidden:
            # The tab the request is about is the one to land on. The focus stays where it is (the URL, typing).
            self._switch_tab("tab-messages" if websocket else "tab-body" if draft.body.strip() else "tab-params")

    def visible_tab_ids(self) -> list[str]:
        """The tabs shown for this request, in order (what Ctrl+PageDown/PageUp cycle through)."""
        hidden = HTTP_ONLY_TABS if self._websocket_tabs else WEBSOCKET_ONLY_TABS
        return [spec.id for spec in EDITOR_TABS if spec.id not in hidden]

    def _show_description(self, description: str) -> None:
        # Descriptions carry hints ("run Job 1 first"): the first line under the URL, all of it on hover.
        label = self.query_one("#description", Label)
        lines = description.strip().splitlines()
        first = lines[0] if lines else ""
        # Cut with `…` where it does not fit (at 100x30 it was cut mid-word, unmarked), or where more lines follow.
        label.update(Text(safe_line(first) + (" …" if len(lines) > 1 else "")))
        label.tooltip = Text(safe_line(description)) if description.strip() else None
        label.set_class(bool(first), "-shown")

    def show_ping(self, round_trip: float | None) -> None:
        """Show a ping's answer in the composer: the round trip, or that the socket closed first."""
        text = f"pong in {round_trip * 1000:.1f} ms" if round_trip is not None else "no pong: the socket closed"
        composer = self._messages_tab()
        if composer is not None:
            composer.show_status(text)

    def on_resize(self) -> None:
        self._set_size_classes(self.size)

    def _set_size_classes(self, size: Size) -> None:
        # At 100x30 the editor has about 12 rows: fields close up, and each tab scrolls.
        mounted = self.is_mounted  # before that, no styles to update: the classes are there when they are made
        self.set_class(size.height < SHORT_HEIGHT, "-short", update=mounted)
        narrow = size.width < NARROW_WIDTH
        if narrow == self.has_class("-narrow"):
            return
        self.set_class(narrow, "-narrow", update=mounted)
        if mounted:
            self._update_dirty()

    def follow_rename(self, path: Path, name: str) -> None:
        """The request's file was renamed to `path` and its `name` with it: the edits stay, still unsaved."""
        if self.path in self._composers:
            self._composers[path] = self._composers.pop(self.path)
        self.path = path
        self._saved = self._saved.with_changes(name=name)
        self._loaded = self._loaded.with_changes(name=name)
        self._update_dirty()

    def mark_saved(self, draft: RequestDraft, path: Path) -> None:
        """The draft is now on disk at `path`."""
        self._saved = draft
        self._loaded = draft
        self.path = path
        self._update_dirty()

    def show_tab(self, tab_id: str, *, focus: str | None = None) -> None:
        """Switch to a tab (building it if needed) and focus the widget with id `focus` in it
        (`FIRST_FIELD`: its first field)."""
        self._focus_after_build = (tab_id, focus, self.app.focused) if focus else None
        if self.active_tab != tab_id:
            self._switch_tab(tab_id)
        if self.query_one(f"#{tab_id}", StackedPane).query(EditorTab):
            # Built: focused now, within the key's own handling. Left to the build's callback, the focus
            # came after the keys typed next (`Ctrl+PageDown Ctrl+L http://…` typed the URL into the Params
            # field): that callback is the editor's, not on the focused widget's chain of queues that
            # `key_order.py` waits for.
            self._apply_focus(tab_id)
        # Otherwise the tab is being built, and the build applies the focus.

    def _apply_focus(self, tab_id: str) -> None:
        if self._focus_after_build is None or self._focus_after_build[0] != tab_id:
            return
        _, target, focused_then = self._focus_after_build
        self._focus_after_build = None
        if self.app.focused is not focused_then:
            return  # a key typed since moved the focus (Ctrl+L while the tab was being built): it wins
        pane = self.query_one(f"#{tab_id}", StackedPane)
        if target == FIRST_FIELD:
            # The focus chain, not `focusable`: that is true of a field in a hidden column too (the
            # Params tab's query area while the URL has none), and typing then went nowhere visible.
            field = next((widget for widget in self.screen.focus_chain if pane in widget.ancestors), None)
        else:
            field = next(iter(pane.query(f"#{target}")), None)
        if field is not None:
            field.focus()

    def composer_message(self) -> SavedMessage | None:
        """What the Messages tab would send now (None until that tab was opened)."""
        composer = self._messages_tab()
        return composer.composer_message() if composer is not None else None

    # -- unsaved-changes tracking ----------------------------------------------------------------

    def _update_dirty(self) -> None:
        dirty = self.draft != self._saved
        name = f"{'● ' if dirty else ''}{safe_line(self._loaded.name)}"
        title = self.query_one("#title", Label)
        if name != self._title_shown:
            # Called on every change event (each keystroke, and each field a load fills): the title is
            # sized to its text, so a new one lays out the screen; the same one needs nothing.
            self._title_shown = name
            title.update(Text(name))
        title.set_class(dirty, "-dirty")
        # Narrow, the URL bar has no room for the name: it moves to the border.
        self.border_title = Text(f"Request · {name}" if self.has_class("-narrow") else "Request")
        self.border_subtitle = Text(safe_line(self.path.name)) if self.path else "not saved"
        self._dirty = dirty

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "url-query":
            self._url_from_query(event.text_area)
        if event.text_area.id != "ws-composer":
            self._update_dirty()

    # -- the URL's query, in the URL and in the Params tab (`url_query.py`) -----------------------------
    # Each side is written only from the other's edits, never from its own echo: a write's change event
    # arrives after keys typed since, and answering it would put back the text before them.

    def _url_from_query(self, area: TextArea) -> None:
        if area.text == self._query_written:
            self._query_written = None  # the echo of `_query_from_url`
            return
        real = self._url_now.real
        pieces = line_pieces(cast(MaskedArea, area).real)
        if pieces != query_pieces(real):
            self._show_url(with_query(real, pieces), keep_cursor=True)
            self._url_written = self.query_one("#url", Input).value

    def _query_from_url(self, value: str) -> None:
        if value == self._url_written:
            self._url_written = None  # the echo of `_url_from_query`
            return
        for tab in self.query(ParamsTab):
            written = tab.show_url_query(self._url_now.real)
            if written is not None:
                self._query_written = written

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "url":
            self._url_now = self._url_now.edit(event.input.value)
            self._query_from_url(event.input.value)
            # The field's value now, not the event's: a change event still queued from the request loaded
            # before must not put that request's tabs back.
            websocket = is_websocket_url(event.input.value) or self._loaded.method.upper() == "WS"
            if websocket != self._websocket_tabs:
                self._fit_tabs(websocket, self.draft)
        self._update_dirty()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "ws-format":
            self._update_dirty()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._update_dirty()

    def on_messages_tab_templates_changed(self, event: MessagesTab.TemplatesChanged) -> None:
        event.stop()
        self._update_dirty()
