"""The WebSocket tabs of the request editor: the composer (Messages) and the handshake (Socket).

The composer formats and checks what the user writes, keeps it as a named template, and asks for a
ping or a close with messages (`PingRequested`, `CloseRequested`): the screen owns the live run and
answers with `show_ping`. Nothing here touches a connection.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Label, OptionList, Select
from textual.widgets.option_list import Option

from app.figures import format_size
from app.model.request_definition import SavedMessage
from app.terminal_text import safe_line
from app.ui.bindings import key_named
from app.ui.collection.dialogs import NameDialog, enter_key
from app.ui.fields import Input, TextArea
from app.ui.request.draft import RequestDraft, enum_choices
from app.ui.request.editor_tab import EditorKeys, EditorTab
from app.ui.request.masked_area import MaskedArea
from app.ui.request.masked_text import mask_cookie_lines
from app.ui.request.url_bar import VariableHighlighter
from app.vocabulary import WsFormat


class PrettifyError(ValueError):
    """The composer's text is not the JSON or XML its format says."""


def prettify(content: str, format: WsFormat) -> str:
    """`content` re-indented for its format (JSON: 2 spaces; XML: one element a line). A `text` message
    is re-indented as the JSON or XML it holds (most WebSocket APIs send JSON in text frames); anything
    else raises `PrettifyError` saying why nothing changed."""
    from app.streams.ws_formats import WsFormatError, encode_json

    if not content.strip():
        raise PrettifyError("Nothing to prettify: type or load a message first.")
    if format in (WsFormat.JSON, WsFormat.TEXT):
        try:
            # The one JSON check of what is sent: strict JSON, nesting bounded (a pasted `[[[[…` never
            # reaches the recursion limit).
            return encode_json(content, prettify=True)
        except WsFormatError as error:
            if format is WsFormat.JSON:
                raise PrettifyError(str(error)) from None
        if not content.lstrip().startswith("<"):
            raise PrettifyError("Nothing to prettify: this text is neither JSON nor XML.")
    if format in (WsFormat.XML, WsFormat.HTML, WsFormat.TEXT):
        # Imported here: xml.dom.minidom took ~20 ms of start-up, for the rare XML message.
        from xml.dom import minidom
        from xml.parsers.expat import ExpatError

        try:
            pretty = minidom.parseString(content.strip()).toprettyxml(indent="  ")
        except ExpatError as error:
            raise PrettifyError(f"not well-formed XML: {error}") from None
        lines = [line for line in pretty.splitlines() if line.strip()]
        # minidom adds an XML declaration the user did not write.
        if lines and lines[0].startswith("<?xml") and not content.lstrip().startswith("<?xml"):
            lines = lines[1:]
        return "\n".join(lines)
    raise PrettifyError(f"A {format} message is bytes: there is nothing to re-indent.")


def message_label(message: SavedMessage) -> Text:
    """`[json] greeting`: a Text, so the `[format]` prefix is not read as markup; the name is sanitised."""
    return Text(f"[{message.format}] {safe_line(message.name or message.content[:40])}")


class CloseDialog(ModalScreen[tuple[int, str] | None]):
    """Ask for a close code (1000 by default) and a reason; Enter closes, Escape cancels."""

    DEFAULT_CSS = """
    CloseDialog { align: center middle; }
    CloseDialog > Vertical {
        width: 76; max-width: 95%; height: auto; padding: 1 2; background: $panel; border: thick $primary;
    }
    CloseDialog Label { width: 100%; }
    CloseDialog Input { margin-bottom: 1; }
    CloseDialog #close-error { color: $error; height: auto; }
    CloseDialog .enter-key { margin-top: 0; color: $text-muted; }
    CloseDialog Footer { dock: none; margin-top: 1; background: $panel; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Close code (1000 normal, 1001 going away, 3000-4999 application):")
            yield Input("1000", id="close-code", restrict=r"[0-9]*", max_length=4)
            yield Label("Reason (optional, at most 123 bytes):")
            yield Input(id="close-reason")
            yield Label("", id="close-error")
            yield enter_key("Close the socket with this code and reason")
            yield Footer(compact=True, show_command_palette=False)  # its keys, not the workbench's behind it

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        code_text = self.query_one("#close-code", Input).value or "1000"
        reason = self.query_one("#close-reason", Input).value
        code = int(code_text)
        # RFC 6455 §7.4: 1000-1003, 1007-1011 and 3000-4999 may be sent; 1005/1006/1015 never.
        if not (code in (1000, 1001, 1002, 1003) or 1007 <= code <= 1014 or 3000 <= code <= 4999):
            self.query_one("#close-error", Label).update(f"{code} cannot be sent: use 1000, 1001, 3000-4999 …")
            return
        if len(reason.encode("utf-8")) > 123:
            self.query_one("#close-error", Label).update("The reason is longer than 123 bytes.")
            return
        self.dismiss((code, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)


class MessagesTab(EditorTab):
    """The WebSocket composer: what to send next, in which format, and the saved templates."""

    DEFAULT_CSS = """
    MessagesTab .ws-buttons { height: 1; margin-bottom: 1; }
    MessagesTab .ws-buttons Button { margin-right: 1; min-width: 8; }
    MessagesTab #ws-status { width: 1fr; color: $text-muted; padding: 0 1; }
    """

    BINDINGS = [
        Binding("ctrl+f", "prettify", "Prettify", id="ws.prettify", tooltip="Re-indent the JSON/XML message"),
        # The buttons' actions as keys too (the help and the palette list them). Priority for Alt+letter:
        # Textual gives the focused composer the plain letter as its character, which it would type.
        Binding("alt+t", "save_template", "Save as template", show=False, priority=True, id="ws.save_template",
                tooltip="Keep the composed message as a template (written with the request)"),
        Binding("alt+p", "ping", "Ping", show=False, priority=True, id="ws.ping",
                tooltip="Ping the open socket; shows the round trip"),
        Binding("alt+d", "disconnect", "Close with code", show=False, priority=True, id="ws.close",
                tooltip="Close the open socket with a code and reason"),
    ]

    class PingRequested(Message):
        """The user asked to ping the open WebSocket; answer with `RequestEditor.show_ping`."""

    class CloseRequested(Message):
        """The user asked to close the open WebSocket with this code and reason."""

        def __init__(self, code: int, reason: str) -> None:
            super().__init__()
            self.code = code
            self.reason = reason

    class TemplatesChanged(Message):
        """A template was saved: the request has unsaved changes."""

    def __init__(self, draft: RequestDraft, highlighter: VariableHighlighter, keys: EditorKeys) -> None:
        super().__init__(draft, highlighter)
        self._keys = keys
        self._messages: tuple[SavedMessage, ...] = ()

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Format")
            yield Select(enum_choices(WsFormat), value=WsFormat.TEXT, allow_blank=False, id="ws-format", compact=True)
            yield Label("", id="ws-status")
        with Horizontal(classes="ws-buttons"):
            # Each tooltip names the button's key as the user's keymap has it.
            for button_id, label, binding_id, what in (
                ("ws-prettify", "Prettify", "ws.prettify", "re-indent JSON or XML"),
                ("ws-save-template", "Save as…", "ws.save_template", "keep this message as a template"),
                ("ws-ping", "Ping", "ws.ping", "ping the open socket; shows the round trip"),
                ("ws-close", "Close…", "ws.close", "close with a code and reason"),
            ):
                yield Button(label, id=button_id, compact=True, tooltip=f"{key_named(self, binding_id)}: {what}")
        # The hint is the composer's placeholder: at 100x30 a row of its own pushed the composer out of view.
        yield TextArea(id="ws-composer", placeholder=f"The message to send: {self._keys.send} sends it once "
                                                     "connected; Enter on a template below loads it")
        yield OptionList(id="ws-saved")

    def show(self, draft: RequestDraft) -> None:
        self._messages = draft.messages
        saved = self.query_one("#ws-saved", OptionList)
        saved.clear_options()
        saved.add_options(Option(message_label(message), id=str(index)) for index, message in enumerate(draft.messages))

    def collect(self, draft: RequestDraft) -> RequestDraft:
        return draft.with_changes(messages=self._messages)

    def composer_message(self) -> SavedMessage:
        return SavedMessage(self._text("ws-composer"), self._choice("ws-format", WsFormat, WsFormat.TEXT))

    def set_composer(self, message: SavedMessage) -> None:
        """Show `message` in the composer (each request keeps its own)."""
        self._set_text("ws-composer", message.content)
        self.query_one("#ws-format", Select).value = message.format

    def show_status(self, text: str) -> None:
        self.query_one("#ws-status", Label).update(Text(text))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        event.stop()
        self.set_composer(self._messages[int(event.option.id)])

    @on(Button.Pressed, "#ws-prettify")
    def action_prettify(self) -> None:
        """Re-indent the composed JSON or XML; say why when it is not."""
        message = self.composer_message()
        try:
            pretty = prettify(message.content, message.format)
        except PrettifyError as error:
            self.show_status(str(error))
            return
        self._set_text("ws-composer", pretty)
        self.show_status("")

    @on(Button.Pressed, "#ws-save-template")
    def action_save_template(self) -> None:
        """Keep the composed message as a named template (the request then has unsaved changes)."""
        message = self.composer_message()
        if not message.content:
            self.show_status("Nothing to save: type a message first.")
            return

        def named(name: str | None) -> None:
            if name:
                self._messages = (*self._messages, SavedMessage(message.content, message.format, name))
                self.show(RequestDraft(messages=self._messages))
                self.show_status(f"Saved template {safe_line(name)} ({self._keys.save} writes the request)")
                self.post_message(self.TemplatesChanged())

        self.app.push_screen(NameDialog("Template name:"), named)

    @on(Button.Pressed, "#ws-ping")
    def action_ping(self) -> None:
        """Ask the screen to ping the open socket."""
        self.post_message(self.PingRequested())

    @on(Button.Pressed, "#ws-close")
    def action_disconnect(self) -> None:
        """Ask for a close code and reason, then ask the screen to close the socket with them."""
        def chosen(answer: tuple[int, str] | None) -> None:
            if answer is not None:
                self.post_message(self.CloseRequested(*answer))

        self.app.push_screen(CloseDialog(), chosen)


class SocketTab(EditorTab):
    """The WebSocket handshake: subprotocols, Origin, cookies (values shown as `****` unless revealed),
    auto-reconnect, largest message."""

    DEFAULT_CSS = """
    SocketTab #ws-max-size { width: 14; }
    SocketTab #ws-max-size-unit { width: 1fr; padding: 0 0 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, draft: RequestDraft, highlighter: VariableHighlighter, reveal_hint: str) -> None:
        super().__init__(draft, highlighter)
        self._reveal_hint = reveal_hint

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Subprotocols")
            yield Input(placeholder="comma-separated, preferred first", id="ws-subprotocols", compact=True)
        with Horizontal(classes="row"):
            yield Label("Origin")
            yield Input(placeholder="e.g. http://localhost", id="ws-origin", highlighter=self._highlighter,
                        compact=True)
        with Horizontal(classes="row"):
            yield Label("Max message")
            yield Input(id="ws-max-size", restrict=r"[0-9_]*", compact=True, tooltip="bytes; larger closes with 1009")
            yield Label(_size_unit(""), id="ws-max-size-unit")
        with Horizontal(classes="row"):
            yield Label("Reconnect")
            yield Checkbox("after a drop (backoff 0.5, 1, 2, 4, 8 s)", id="ws-reconnect", compact=True)
        yield Label(f"Cookies, one per line: name=value · {self._reveal_hint}", classes="hint")
        yield MaskedArea(mask_cookie_lines, id="ws-cookies")

    def show(self, draft: RequestDraft) -> None:
        self.query_one("#ws-subprotocols", Input).value = draft.subprotocols
        self.query_one("#ws-origin", Input).value = draft.origin
        self.query_one("#ws-max-size", Input).value = draft.max_message_size
        self.query_one("#ws-reconnect", Checkbox).value = draft.auto_reconnect
        self.query_one("#ws-cookies", MaskedArea).show_real(draft.cookies)

    def reveal(self, shown: bool) -> None:
        self.query_one("#ws-cookies", MaskedArea).reveal(shown)

    @on(Input.Changed, "#ws-max-size")
    def _size_changed(self, event: Input.Changed) -> None:
        self.query_one("#ws-max-size-unit", Label).update(_size_unit(event.value))

    def collect(self, draft: RequestDraft) -> RequestDraft:
        return draft.with_changes(
            subprotocols=self._input("ws-subprotocols"),
            origin=self._input("ws-origin"),
            max_message_size=self._input("ws-max-size"),
            auto_reconnect=self.query_one("#ws-reconnect", Checkbox).value,
            cookies=self.query_one("#ws-cookies", MaskedArea).real,
        )


def _size_unit(text: str) -> str:
    """What the max message size field's number means: its unit, the size readably, and what a larger
    message does (the field alone said `16777216` and nothing else)."""
    digits = text.replace("_", "")
    readable = f" = {format_size(int(digits))}" if digits.isdigit() and len(digits) <= 15 else ""
    return f"bytes{readable} · a larger message closes the socket (1009)"
