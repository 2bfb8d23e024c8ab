"""Method and URL: variables in the URL are highlighted, unresolved ones marked; a pasted curl command imports."""

from __future__ import annotations

from collections.abc import Callable

from rich.highlighter import Highlighter
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, Select

from app.model.request_definition import is_websocket_url
from app.model.variables import VARIABLE_PATTERN
from app.ui.fields import Input
from app.ui.request.draft import HTTP_METHODS


class VariableHighlighter(Highlighter):
    """Colours `{{name}}` by whether the active scopes can resolve it."""

    def __init__(self, is_known: Callable[[str], bool]) -> None:
        super().__init__()
        self.is_known = is_known
        self.resolved_style = "bold green"
        self.unresolved_style = "bold red underline"

    def highlight(self, text: Text) -> None:
        for match in VARIABLE_PATTERN.finditer(text.plain):
            known = self.is_known(match.group(1))
            text.stylize(self.resolved_style if known else self.unresolved_style, match.start(), match.end())


class UrlInput(Input):
    """The URL field. A pasted (or typed and submitted) curl command becomes a `CurlPasted` message."""

    class CurlPasted(Message):
        """The user pasted a curl command into the URL field."""

        def __init__(self, command: str) -> None:
            super().__init__()
            self.command = command

    def on_paste(self, event: events.Paste) -> None:
        # Input keeps only the first line of a paste; a curl command spans many, so take it whole here.
        if event.text.lstrip().startswith("curl "):
            event.prevent_default()
            event.stop()
            self.post_message(self.CurlPasted(event.text))


class UrlBar(Horizontal):
    """Method selector, URL field and the request's name with its unsaved-changes marker."""

    DEFAULT_CSS = """
    UrlBar { height: 1; margin-bottom: 1; }
    UrlBar #method { width: 12; }
    UrlBar #url { width: 1fr; margin-left: 1; }
    UrlBar #title { width: auto; max-width: 40; padding: 0 1; color: $text-muted; }
    UrlBar #title.-dirty { color: $warning; text-style: bold; }
    UrlBar #ws-badge { display: none; width: 12; color: $accent; text-style: bold; padding: 0 1; }
    UrlBar.-websocket #ws-badge { display: block; }
    UrlBar.-websocket #method { display: none; }
    """

    def __init__(self, highlighter: VariableHighlighter) -> None:
        super().__init__()
        self._highlighter = highlighter

    def compose(self) -> ComposeResult:
        yield Label("WS", id="ws-badge")
        yield Select([(method, method) for method in HTTP_METHODS], value="GET", allow_blank=False, id="method", compact=True)
        yield UrlInput(placeholder="URL, or paste a curl command", highlighter=self._highlighter, id="url", compact=True)
        yield Label("", id="title")

    def on_input_changed(self, event: Input.Changed) -> None:
        # A WebSocket URL has no method: show a WS badge in the method's place. The value now, not the
        # event's: a change still queued from the request loaded before must not set the badge back.
        self.set_class(is_websocket_url(event.input.value), "-websocket")
