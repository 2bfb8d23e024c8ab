"""Shared helpers for the app-shell tests: a scratch collection on disk and condition polling."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

CHAT_REQUEST = """name = "OpenAI chat"
method = "POST"
url = "{{base_url}}/v1/chat/completions"

[headers]
Authorization = "Bearer demo-token"

[body]
type = "json"
content = '{"model": "gpt-4o-mini", "stream": true, "messages": [{"role": "user", "content": "hello"}]}'

[stream]
parse_mode = "sse"
merge_profile = "openai"
"""

DRIP_REQUEST = """name = "Drip"
url = "{{base_url}}/sse/drip?n=200&interval=0.05"
"""

ECHO_REQUEST = """name = "Echo"
url = "{{ws_url}}/ws/echo"
"""

UNRESOLVED_REQUEST = """name = "Needs token"
url = "{{base_url}}/x?key={{no_such_variable}}"
"""


def write_collection(root: Path, base_url: str = "http://127.0.0.1:9", ws_url: str = "ws://127.0.0.1:9") -> Path:
    """A small collection: an environment, two folders, a broken file."""
    (root / "environments").mkdir(parents=True)
    (root / "collection.toml").write_text('name = "Scratch"\ndefault_environment = "local"\n', encoding="utf-8")
    (root / "environments" / "local.toml").write_text(
        f'base_url = "{base_url}"\nws_url = "{ws_url}"\n', encoding="utf-8"
    )
    (root / "llm").mkdir()
    (root / "llm" / "chat.toml").write_text(CHAT_REQUEST, encoding="utf-8")
    (root / "streams").mkdir()
    (root / "streams" / "drip.toml").write_text(DRIP_REQUEST, encoding="utf-8")
    (root / "streams" / "echo.toml").write_text(ECHO_REQUEST, encoding="utf-8")
    (root / "unresolved.toml").write_text(UNRESOLVED_REQUEST, encoding="utf-8")
    (root / "broken.toml").write_text("name = [unclosed\n", encoding="utf-8")
    return root


HANG_GUARD_SECONDS = 60.0


async def wait_until(pilot: Pilot, condition: Callable[[], bool], attempts: int = 400) -> None:
    """Let the app run until `condition()` holds.

    Bounded so that a broken app fails instead of hanging; the bound is generous (at least `attempts`
    pauses and at least {HANG_GUARD_SECONDS} s) because a loaded CI machine is slow, and this is a
    guard against hangs, not an assertion on speed.
    """
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    tries = 0
    while tries < attempts or time.monotonic() < deadline:
        if condition():
            return
        tries += 1
        await pilot.pause(0.02)
    raise AssertionError("the condition never became true")
