"""How an HTTP stream ends by the run's own condition (`--until-count`, `--until-jsonpath`, `--duration`):
right after the message that met it, `stopped`, exit 0, `seq` consecutive, and with `--reconnect` the
count and the clock cover the whole run (real servers on 127.0.0.1: `helpers_http` and the demo server)."""

from __future__ import annotations

import asyncio
import io
import json

from helpers_http import EndlessServer

from app.cli.printers import JsonlPrinter
from app.demo.server import DemoServer
from app.model.http_request import HttpRequest
from app.run import ExitCode, RequestRun, RunOutcome, WsScript
from app.run.reconnect import ReconnectPolicy

GUARD_SECONDS = 60


async def run_jsonl(url: str, script: WsScript, reconnect: ReconnectPolicy | None = None) -> tuple[RunOutcome, list[dict]]:
    stream = io.BytesIO()
    run = RequestRun(HttpRequest(url, read_timeout=30.0), [JsonlPrinter(stream)], script=script, reconnect=reconnect)
    # A guard, not a measure: these streams never end, so a stop that fails would hang the suite.
    async with asyncio.timeout(GUARD_SECONDS):
        outcome = await run.run()
    return outcome, [json.loads(line) for line in stream.getvalue().decode().splitlines()]


def kinds(lines: list[dict]) -> list[str]:
    return [line["kind"] for line in lines]


def sse_datas(lines: list[dict]) -> list[str]:
    return [line["data"] for line in lines if line["kind"] == "sse"]


def assert_stopped(outcome: RunOutcome, lines: list[dict]) -> None:
    assert outcome.exit_code == ExitCode.OK and outcome.problem is None
    assert lines[-1]["kind"] == "close" and lines[-1]["reason"] == "stopped"
    assert [line["seq"] for line in lines] == list(range(len(lines)))


async def test_until_count_ends_an_endless_sse_flood_right_after_the_nth_message(endless_server: EndlessServer) -> None:
    outcome, lines = await run_jsonl(endless_server.http_url("/sse/endless"), WsScript(until_count=40))
    assert_stopped(outcome, lines)
    datas = sse_datas(lines)
    assert len(datas) == 40  # comments and retry-only blocks are not counted
    assert datas[-1] == '{"i": 39}' and lines[-2]["kind"] == "sse"  # nothing after the 40th
    assert {"sse_comment", "sse_retry"} <= set(kinds(lines))
    assert lines[-1]["events"] == 40
    assert outcome.end is not None and outcome.end.reason == "stopped"  # type: ignore[union-attr]


async def test_until_count_counts_ndjson_lines(endless_server: EndlessServer) -> None:
    outcome, lines = await run_jsonl(endless_server.http_url("/ndjson/endless"), WsScript(until_count=1000))
    assert_stopped(outcome, lines)
    values = [line["value"]["i"] for line in lines if line["kind"] == "ndjson"]
    assert values == list(range(1000))


async def test_until_jsonpath_ends_on_the_matching_line(endless_server: EndlessServer) -> None:
    outcome, lines = await run_jsonl(endless_server.http_url("/ndjson/endless"), WsScript(until_jsonpath="$[?(@.i == 777)]"))
    assert_stopped(outcome, lines)
    assert lines[-2] == {**lines[-2], "kind": "ndjson", "value": {"i": 777}}


async def test_until_jsonpath_skips_sse_data_that_is_not_json(endless_server: EndlessServer) -> None:
    outcome, lines = await run_jsonl(endless_server.http_url("/sse/endless"), WsScript(until_jsonpath="$.i"))
    assert_stopped(outcome, lines)
    assert sse_datas(lines) == ['{"i": 0}']
    outcome, lines = await run_jsonl(endless_server.http_url("/sse/endless"), WsScript(until_jsonpath="$[?(@.i > 5)]"))
    assert sse_datas(lines)[-1] == '{"i": 7}'  # 6 is "not json 6"
    assert "not json 6" in sse_datas(lines)


async def test_duration_ends_a_stream_that_goes_silent(endless_server: EndlessServer) -> None:
    # Without the clock this would wait for the 30 s read timeout and fail (exit 1).
    outcome, lines = await run_jsonl(endless_server.http_url("/sse/silent"), WsScript(duration=0.3))
    assert_stopped(outcome, lines)
    assert kinds(lines) == ["request", "open", "sse", "close"]


async def test_duration_ends_a_flood_with_seq_consecutive(endless_server: EndlessServer) -> None:
    outcome, lines = await run_jsonl(endless_server.http_url("/ndjson/endless"), WsScript(duration=0.3))
    assert_stopped(outcome, lines)
    values = [line["value"]["i"] for line in lines if line["kind"] == "ndjson"]
    assert values == list(range(len(values)))


async def test_the_count_carries_across_reconnects_and_a_stop_is_not_resumed(demo_server: DemoServer) -> None:
    url = f"{demo_server.base_url}/sse/resumable?n=1000&per=3&retry=0"
    outcome, lines = await run_jsonl(url, WsScript(until_count=7), ReconnectPolicy(max_reconnects=10))
    assert_stopped(outcome, lines)
    assert sse_datas(lines) == [f'{{"i": {k}}}' for k in range(7)]
    assert [line["reason"] for line in lines if line["kind"] == "close"] == ["complete", "complete", "stopped"]
    assert kinds(lines).count("reconnect") == 2


async def test_the_clock_carries_across_reconnects(demo_server: DemoServer) -> None:
    # Each connection ends by itself long before the duration: a clock restarted at each head would never
    # stop the run, which would end `complete` after the 200 reconnections (four seconds of waits at least).
    url = f"{demo_server.base_url}/sse/resumable?n=100000&per=2&retry=20"
    outcome, lines = await run_jsonl(url, WsScript(duration=0.5), ReconnectPolicy(max_reconnects=200))
    assert_stopped(outcome, lines)
    assert kinds(lines).count("reconnect") < 200


async def test_a_clock_that_runs_out_while_waiting_to_reconnect_ends_the_run_there(demo_server: DemoServer) -> None:
    url = f"{demo_server.base_url}/sse/resumable?n=100&per=2&retry=30000"
    outcome, lines = await run_jsonl(url, WsScript(duration=0.5), ReconnectPolicy(max_reconnects=1))
    assert_stopped(outcome, lines)
    assert kinds(lines)[-2:] == ["reconnect", "close"]
    assert [line["reason"] for line in lines if line["kind"] == "close"] == ["complete", "stopped"]
    assert kinds(lines).count("request") == 1


async def test_a_stream_that_ends_before_its_condition_is_complete(demo_server: DemoServer) -> None:
    outcome, lines = await run_jsonl(f"{demo_server.base_url}/sse/drip?n=3&interval=0", WsScript(until_count=5))
    assert outcome.exit_code == ExitCode.OK
    assert lines[-1] == {**lines[-1], "kind": "close", "reason": "complete"}
    assert len(sse_datas(lines)) == 3


async def test_a_condition_met_by_the_line_the_end_of_the_body_completes_is_stopped(endless_server: EndlessServer) -> None:
    url = endless_server.http_url("/ndjson/unterminated")
    outcome, lines = await run_jsonl(url, WsScript(until_count=3))
    assert_stopped(outcome, lines)
    assert lines[-2] == {**lines[-2], "kind": "ndjson", "value": {"i": 2}}
    outcome, lines = await run_jsonl(url, WsScript(until_count=4))
    assert lines[-1] == {**lines[-1], "kind": "close", "reason": "complete", "events": 3}
