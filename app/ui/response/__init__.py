"""The response side of the TUI: the session a sent request fills, and the pane that shows it."""

from app.ui.response.pane import ResponsePane
from app.ui.response.session import ResponseSession, SessionState

__all__ = ["ResponsePane", "ResponseSession", "SessionState"]
