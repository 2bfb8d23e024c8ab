"""A stand-in for T1's `ResponsePane` while `app/ui/response/pane.py` does not exist yet.

It has the same `show(session)` method and pumps the session on a timer, so sending, history and tests
work end to end; `response_pane_class()` picks the real pane as soon as it is importable.
"""

from __future__ import annotations

from textual.widgets import Static


class PlaceholderResponsePane(Static):
    """Shows the current session's status in one line."""

    DEFAULT_CSS = """
    PlaceholderResponsePane { border: round $panel; height: 1fr; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Send a request (Ctrl+J) to see its response here.", id=id)
        self.border_title = "Response"
        self.session: object | None = None

    def on_mount(self) -> None:
        self.set_interval(1 / 15, self._pump)

    def show(self, session: object) -> None:
        """Display `session` (a `ResponseSession`)."""
        self.session = session
        self._pump()

    def _pump(self) -> None:
        session = self.session
        if session is None:
            return
        session.pump()  # type: ignore[attr-defined]
        state = getattr(session, "state", "")
        failure = getattr(session, "failure", None)
        detail = f" — {failure.message}" if failure is not None else ""
        self.update(
            f"{getattr(session, 'title', '')}: {state} {getattr(session, 'http_status', '') or ''} "
            f"· {getattr(session, 'event_count', 0)} events{detail}"
        )


def response_pane_class() -> type:
    """T1's `ResponsePane` when it exists, else the placeholder."""
    try:
        from app.ui.response.pane import ResponsePane
    except ImportError:
        return PlaceholderResponsePane
    return ResponsePane
