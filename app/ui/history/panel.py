"""The history panel: every request sent in this session, newest first; Enter re-opens its response."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from app.figures import count_of
from app.terminal_text import safe_line

if TYPE_CHECKING:
    from app.ui.response.session import ResponseSession


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One sent request and the response session that holds its events."""

    title: str
    sent_at: datetime
    session: ResponseSession


def describe_session(session: ResponseSession) -> str:
    """`closed 200 · 42 events` from the response session's status: its data events, as the status line
    and the close row count them (not every Timeline row)."""
    status = f" {session.http_status}" if session.http_status else ""
    return f"{session.state.value}{status} · {count_of(session.data_events, 'event')}"


def _prompt(entry: HistoryEntry) -> Text:
    return Text(safe_line(f"{entry.sent_at:%H:%M:%S} {entry.title}  {describe_session(entry.session)}"))


class HistoryPanel(OptionList):
    """Lists sent requests with time, status and event count."""

    DEFAULT_CSS = """
    HistoryPanel { height: 12; border: round $panel; border-title-color: $text-muted; }
    HistoryPanel:focus { border: round $primary; }
    """

    BINDINGS = [
        # Shown: with the list's other keys hidden, the footer said nothing of what the list is for.
        Binding("enter", "select", "Re-open", id="history.open", tooltip="Show that response again"),
        Binding("j", "cursor_down", "Down", show=False, id="history.down"),
        Binding("k", "cursor_up", "Up", show=False, id="history.up"),
        Binding("g", "first", "First", show=False, id="history.first"),
        Binding("G", "last", "Last", show=False, id="history.last"),
        # Shown too: the only other thing the list does, and nothing else said it was there.
        Binding("H", "export_har", "Export HAR", id="history.har", tooltip="Export History as HAR"),
    ]

    class SessionChosen(Message):
        """The user picked a past response to show again."""

        def __init__(self, entry: HistoryEntry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "History"
        self._entries: list[HistoryEntry] = []

    def action_export_har(self) -> None:
        """Every response of the session, oldest first, as one HAR file."""
        from app.ui.response.exports import export_with_notice, save_sessions_har

        sessions = [entry.session for entry in reversed(self._entries)]
        export_with_notice(self, lambda: save_sessions_har(sessions, "history"))

    @property
    def entries(self) -> tuple[HistoryEntry, ...]:
        return tuple(self._entries)

    def add(self, entry: HistoryEntry) -> None:
        """Record a newly sent request at the top."""
        self._entries.insert(0, entry)
        self.refresh_statuses()
        self.highlighted = 0

    def refresh_statuses(self) -> None:
        """Re-read each session's state (when a run starts or ends)."""
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(Option(_prompt(entry), id=str(index)) for index, entry in enumerate(self._entries))
        if highlighted is not None and self._entries:
            self.highlighted = min(highlighted, len(self._entries) - 1)

    def show_status(self, session: ResponseSession) -> None:
        """Re-read one live session's entry (its state or its event count moved on): only its line is
        redrawn, and only if its words changed, so a flood costs one short line per pane tick at most."""
        for index, entry in enumerate(self._entries):
            if entry.session is session:
                prompt = _prompt(entry)
                if prompt != self.get_option_at_index(index).prompt:
                    self.replace_option_prompt_at_index(index, prompt)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.SessionChosen(self._entries[int(event.option.id)]))
