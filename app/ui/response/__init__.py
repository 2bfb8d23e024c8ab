"""The response side of the TUI: the session a sent request fills, and the pane that shows it.

The session is imported when first asked for (`__getattr__`): the first screen imports this package for the
pane, and must not import the session and the event model behind it before its first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.ui.response.pane import ResponsePane

if TYPE_CHECKING:
    from app.ui.response.session import ResponseSession, SessionState

__all__ = ["ResponsePane", "ResponseSession", "SessionState"]


def __getattr__(name: str) -> Any:
    if name in ("ResponseSession", "SessionState"):
        from app.ui.response import session

        return getattr(session, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
