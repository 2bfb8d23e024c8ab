"""The detail of one event: pretty JSON with highlighting, the raw text, a hexdump for binary data."""

from __future__ import annotations

import json
from typing import Any

from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from app.events import BodyReceived, EventPayload, JsonArrayItem, NdjsonValue, SseMessage, TimelineEvent
from app.figures import format_seconds, format_size
from app.model.secrets import masked_payload
from app.store import EventStore, event_text
from app.store.summary import event_label
from app.streams.json_payload import parse_json
from app.streams.ws_formats import hexdump
from app.terminal_text import safe_block, safe_line
from app.ui.bindings import key_named
from app.ws_events import WsControl, WsMessage

HIGHLIGHT_LIMIT = 200_000
"""Characters beyond which syntax highlighting is skipped (copying still takes everything)."""

HEXDUMP_LIMIT = 64 * 1024
FIELD_PREVIEW_CHARS = 300
"""A long field (an SSE event's data) is cut in the field list; the Raw and JSON sections show it whole."""


def _json_value(payload: EventPayload) -> tuple[bool, Any]:
    """(True, value) when the payload is or carries JSON; (False, None) otherwise."""
    if isinstance(payload, (NdjsonValue, JsonArrayItem)):
        return True, payload.value
    text: str | None = None
    if isinstance(payload, SseMessage):
        text = payload.data
    elif isinstance(payload, WsMessage) and isinstance(payload.data, str):
        text = payload.data
    elif isinstance(payload, BodyReceived):
        text = payload.data.decode("utf-8", errors="replace")
    if text is None:
        return True, payload.to_json()
    stripped = text.strip()
    looks_like_json = bool(stripped) and (stripped[0] in '{["' or stripped[0].isdigit())
    if not looks_like_json:
        return False, None
    try:
        return True, parse_json(stripped)
    except ValueError:
        return False, None


def _binary_data(payload: EventPayload) -> bytes | None:
    if isinstance(payload, WsMessage) and isinstance(payload.data, bytes):
        return payload.data
    if isinstance(payload, WsControl):
        return payload.data
    if isinstance(payload, BodyReceived):
        try:
            payload.data.decode("utf-8")
        except UnicodeDecodeError:
            return payload.data
    return None


def _fields_table(event: TimelineEvent) -> Table:
    """Every field of the event: its envelope (seq, kind, time, size) and each payload field by name."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row("seq", str(event.seq))
    table.add_row("kind", event.kind)
    table.add_row("t", f"{event.t:.6f} s")
    table.add_row("size", f"{event.size:,} bytes")
    for name, value in event.payload.to_json().items():
        if isinstance(value, str):
            shown = safe_line(value if len(value) <= FIELD_PREVIEW_CHARS else value[:FIELD_PREVIEW_CHARS] + "…")
        elif value is None:
            shown = "none"
        else:
            shown = safe_line(json.dumps(value, ensure_ascii=False, default=repr)[:FIELD_PREVIEW_CHARS])
        table.add_row(safe_line(name), Text(shown, style="dim" if value is None else ""))
    return table


class EventDetailScreen(ModalScreen[None]):
    """One event in full. `c` copies the raw text, `y` the pretty JSON.

    Credentials a request or WebSocket URL carries (and a request's credential headers) are masked as in
    the Headers tab, until `v` reveals them; what `c` and `y` copy is what is shown."""

    DEFAULT_CSS = """
    EventDetailScreen {
        align: center middle;
        & > #detail-body {
            width: 90%;
            height: 90%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        & .detail-heading { color: $accent; text-style: bold; margin-top: 1; }
        & #detail-title { text-style: bold; }
    }
    """

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", id="detail.close"),
        Binding("c", "copy_raw", "Copy raw", id="detail.copy_raw"),
        Binding("y", "copy_json", "Copy JSON", id="detail.copy_json"),
        Binding("v", "toggle_reveal", "Reveal secrets", id="detail.reveal"),
        Binding("j", "scroll_down", "Down", show=False, id="detail.down"),
        Binding("k", "scroll_up", "Up", show=False, id="detail.up"),
    ]

    reveal: var[bool] = var(False)
    """Show credential values in clear (off by default, like the Headers tab)."""

    def __init__(self, store: EventStore, index: int) -> None:
        super().__init__()
        self._received = store.event(index)
        self.masks_secrets = masked_payload(self._received.payload) != self._received.payload
        """True when the event carries a credential that is masked until `v`."""
        self._describe(masked=True)

    def _describe(self, *, masked: bool) -> None:
        received = self._received
        payload = masked_payload(received.payload) if masked else received.payload
        self.event = TimelineEvent(received.seq, received.t, payload, received.size)
        """The event as shown (credentials masked unless revealed)."""
        self.raw_text = event_text(payload)
        """The payload's text as shown (what `c` copies)."""
        is_json, value = _json_value(payload)
        self.pretty_json = (
            json.dumps(value, indent=2, ensure_ascii=False, default=repr) if is_json else None
        )
        """Indented JSON when the payload is or carries JSON (what `y` copies), else None."""
        self.binary = _binary_data(payload)

    def compose(self) -> ComposeResult:
        event = self.event
        with VerticalScroll(id="detail-body"):
            yield Static(
                Text(
                    f"#{event.seq}  {safe_line(event_label(event.payload))}  at {format_seconds(event.t)}"
                    f"  ·  {format_size(event.size)}"
                ),
                id="detail-title",
            )
            if self.masks_secrets:
                hint = "v: hide secrets" if self.reveal else "credentials masked · v: reveal"
                yield Static(Text(hint, style="dim"), id="detail-reveal-hint")
            yield Static("Fields", classes="detail-heading")
            yield Static(_fields_table(event), id="detail-fields")
            if self.pretty_json is not None:
                yield Static("JSON", classes="detail-heading")
                yield Static(self._highlighted(self.pretty_json), id="detail-json")
            if self.binary is not None:
                yield Static(f"Hexdump ({format_size(len(self.binary))})", classes="detail-heading")
                lines = hexdump(self.binary[:HEXDUMP_LIMIT])
                if len(self.binary) > HEXDUMP_LIMIT:
                    lines.append(f"… {len(self.binary) - HEXDUMP_LIMIT:,} more bytes")
                yield Static(Text("\n".join(lines)), id="detail-hex")
            else:
                yield Static("Raw", classes="detail-heading")
                # Control bytes are shown as escapes: printed raw they would move the cursor and break the frame.
                yield Static(Text(safe_block(self.raw_text[:HIGHLIGHT_LIMIT])), id="detail-raw")
        yield Footer()

    def _highlighted(self, pretty: str) -> Syntax | Text:
        # What is shown is escaped (JSON escapes C0 controls, not DEL, C1 or bidi); what `y` copies stays exact.
        pretty = safe_block(pretty)
        if len(pretty) > HIGHLIGHT_LIMIT:
            return Text(pretty[:HIGHLIGHT_LIMIT] + f"\n… (cut here; {key_named(self, 'detail.copy_json')} copies it all)")
        return Syntax(pretty, "json", theme="ansi_dark", word_wrap=True, background_color="default")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `v` is offered (and listed in the footer) only where something is masked.
        return self.masks_secrets if action == "toggle_reveal" else True

    def action_toggle_reveal(self) -> None:
        self.reveal = not self.reveal
        self._describe(masked=not self.reveal)
        self.refresh(recompose=True)

    def action_copy_raw(self) -> None:
        self.app.copy_to_clipboard(self.raw_text)
        self.notify("Raw text copied", timeout=2)

    def action_copy_json(self) -> None:
        if self.pretty_json is None:
            self.notify("This event is not JSON", severity="warning", timeout=2)
            return
        self.app.copy_to_clipboard(self.pretty_json)
        self.notify("JSON copied", timeout=2)

    def action_scroll_down(self) -> None:
        self.query_one("#detail-body", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#detail-body", VerticalScroll).scroll_up()
