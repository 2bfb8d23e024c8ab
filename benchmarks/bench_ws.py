"""Sluice's headless WebSocket path vs a plain `websockets` loop on the same loopback flood, in one run.

    python benchmarks/bench_ws.py [--messages 100000] [--runs 3] [--via auto|cli|api]

The demo server (in its own process) floods `/ws/flood?n=N` small text messages. Timed, each in its own
child process with stdout to /dev/null:
- sluice: `sluice run ws://… --until-count N --jsonl` (`--via cli`), or `run_ws` with a `JsonlPrinter`
  (`--via api`, for before the CLI is wired); `auto` picks the CLI when `app.cli.ws_command` exists;
- baseline: `websockets.asyncio.client.connect` and `async for` counting messages up to N.
Target: Sluice ≤ 1.5× the baseline's time.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from measure import best_of, demo_server_process, report  # noqa: E402

TARGET_RATIO = 1.5


async def _baseline(url: str, count: int) -> int:
    from websockets.asyncio.client import connect

    received = 0
    async with connect(url, max_size=16 * 1024 * 1024) as websocket:
        async for _ in websocket:
            received += 1
            if received >= count:
                break
    return received


async def _sluice_api(url: str, count: int) -> int:
    from app.cli.printers import JsonlPrinter
    from app.cli.ws_run import run_ws
    from app.model.ws_request import WsRequest

    return await run_ws(WsRequest(url), [], 0.0, count, None, None, JsonlPrinter(sys.stdout.buffer))


def _child(mode: str, url: str, count: int) -> int:
    if mode == "baseline":
        received = asyncio.run(_baseline(url, count))
        print(received)
        return 0 if received == count else 1
    return asyncio.run(_sluice_api(url, count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--via", choices=("auto", "cli", "api"), default="auto")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "URL", "COUNT"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        mode, url, count = options.child
        sys.exit(_child(mode, url, int(count)))

    via = options.via
    if via == "auto":
        via = "cli" if importlib.util.find_spec("app.cli.ws_command") else "api"
    this_script = [sys.executable, str(Path(__file__).resolve())]
    with demo_server_process() as base_url:
        url = base_url.replace("http://", "ws://") + f"/ws/flood?n={options.messages}"
        if via == "cli":
            sluice = [sys.executable, "-m", "app", "run", url, "--until-count", str(options.messages), "--jsonl"]
        else:
            sluice = [*this_script, "--child", "sluice", url, str(options.messages)]
        sluice_result = best_of(options.runs, sluice)
        baseline_result = best_of(options.runs, [*this_script, "--child", "baseline", url, str(options.messages)])
        report(
            f"WebSocket flood, {options.messages} messages: sluice ({via}) --jsonl vs websockets counting loop",
            sluice_result,
            baseline_result,
            target=TARGET_RATIO,
        )


if __name__ == "__main__":
    main()
