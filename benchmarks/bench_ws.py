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
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from measure import REPO_ROOT, demo_server_process  # noqa: E402

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


def _timed(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and exit code of one child with stdout to /dev/null.

    CPU time is reported beside wall time because on a shared machine the wall ratio swings with load.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with open(os.devnull, "wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def _best(runs: int, command: list[str]) -> tuple[float, float, int]:
    return min((_timed(command) for _ in range(runs)), key=lambda result: result[0])


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
        sluice_wall, sluice_cpu, sluice_exit = _best(options.runs, sluice)
        baseline_wall, baseline_cpu, baseline_exit = _best(
            options.runs, [*this_script, "--child", "baseline", url, str(options.messages)]
        )
    ratio = sluice_wall / baseline_wall
    print(f"WebSocket flood, {options.messages} messages: sluice ({via}) --jsonl vs websockets counting loop")
    print(f"  sluice   {sluice_wall:8.3f} s wall  {sluice_cpu:7.3f} s CPU   exit {sluice_exit}")
    print(f"  baseline {baseline_wall:8.3f} s wall  {baseline_cpu:7.3f} s CPU   exit {baseline_exit}")
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"  ratio    {ratio:8.2f}x wall ({verdict} the target of {TARGET_RATIO}x), {sluice_cpu / baseline_cpu:.2f}x CPU")

if __name__ == "__main__":
    main()
