"""Until a stream's format is known, its data payloads wait here; once it is decided they are replayed.

Detection looks at up to `DETECTION_WINDOW` data payloads: the built-in profiles first, then installed
plugins for what those did not recognise, then `none`. Nothing is lost: the profile chosen is given every
payload that waited, in order, timed as it arrived.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.streams.json_payload import parse_json
from app.streams.merge.builder import ReplyBuilder
from app.streams.merge.detect import detect_profile
from app.streams.merge.plugins import detect as plugin_detect
from app.streams.merge.plugins import discover as plugin_discover
from app.streams.merge.profile import MergeProfile, describe_error
from app.streams.stream_metrics import StreamMetrics

DETECTION_WINDOW = 8
"""Data payloads looked at before giving up on recognising the format."""

NOT_JSON: Any = object()
"""The parsed value of a text payload that is not JSON."""

# A data payload waiting for detection: (time, event name, raw text or None, parsed value or None).
_Pending = tuple[float, str, str | None, Any]


class DetectionQueue:
    """The data payloads that arrived before a profile was forced or recognised."""

    def __init__(self) -> None:
        self.pending: list[_Pending] = []

    def add(
        self, t: float, event: str, text: str | None, value: Any, content_type: str | None, hint: str | None,
        note: Callable[[str], None],
    ) -> str | None:
        """Park one payload (`text` for a text payload, else its parsed `value`); return the profile name
        once the payloads seen so far decide it (`none` when the window is full), else None. `note`
        receives what installed plugins had to say."""
        if text is not None:
            try:
                value = parse_json(text)
            except ValueError:
                value = NOT_JSON
        self.pending.append((t, event, text, value))
        name = None if value is NOT_JSON else detect_profile(content_type, event, value, hint)
        if name is None and plugin_discover():
            # Installed plugins are asked only about what the built-in profiles did not recognise.
            name, problems = plugin_detect(content_type, event, text if value is NOT_JSON else value)
            for problem in problems:
                note(problem)
        if name is None and len(self.pending) >= DETECTION_WINDOW:
            name = "none"
        return name

    def replay(self, profile: MergeProfile, builder: ReplyBuilder, metrics: StreamMetrics) -> None:
        """Give `profile` every payload that waited, in order; each that added a fragment is timed."""
        pending, self.pending = self.pending, []
        for t, event, text, value in pending:
            fragments = builder.fragments
            if text is not None:
                profile.on_data(event, text)
            else:
                profile.on_value(event, value)
            if builder.fragments != fragments:
                metrics.observe_fragment(t)

    def first_detail(self) -> str:
        """What the first payload that waited says, as an error detail ("" if none waited)."""
        if not self.pending:
            return ""
        _t, _event, text, value = self.pending[0]
        if value is not NOT_JSON and value is not None:
            return describe_error(value)
        return (text or "").strip()[:300]
