"""Workers that own the I/O (httpx, websockets) and publish TimelineEvents to the bus."""

import sys

# `import httpx` also imports its optional command-line client (rich, click, pygments) whenever those
# happen to be installed: 40% of `sluice run`'s start-up, for code Sluice never calls. A None entry makes
# that one import fail at once, and httpx falls back to its own stub for the `httpx` command.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
# httpcore likewise imports trio, if it is installed, in case it runs under trio: Sluice runs on asyncio
# only, and trio's import costs as much again. httpcore then uses anyio, as it does for asyncio anyway.
sys.modules.setdefault("trio", None)  # type: ignore[arg-type]
