"""How a WebSocket run ends: right after its stop condition with `seq` consecutive, and exit 1 with one
line whenever Sluice itself had to fail the connection (real servers on 127.0.0.1, see conftest)."""

from __future__ import annotations

import io
import json

import pytest
from helpers_run import ThreadedServer

from app.cli.printers import JsonlPrinter
from app.model.request_definition import SavedMessage
from app.model.ws_request import WsRequest
from app.run import ExitCode, RequestRun, RunOutcome, WsScript
from app.vocabulary import WsFormat


async def run_jsonl(request: WsRequest, script: WsScript = WsScript()) -> tuple[RunOutcome, list[dict]]:
    stream = io.BytesIO()
    outcome = await RequestRun(request, [JsonlPrinter(stream)], script=script).run()
    return outcome, [json.loads(line) for line in stream.getvalue().decode().splitlines()]


def received_numbers(lines: list[dict]) -> list[int]:
    return [json.loads(line["text"])["i"] for line in lines if line["kind"] == "ws_recv"]


def assert_one_line_per_event(lines: list[dict]) -> None:
    assert [line["seq"] for line in lines] == list(range(len(lines)))


async def test_until_count_on_a_flood_ends_right_after_the_nth_message(flood_server: ThreadedServer) -> None:
    outcome, lines = await run_jsonl(WsRequest(flood_server.url), WsScript(until_count=10))
    assert outcome.exit_code == ExitCode.OK and outcome.problem is None
    assert received_numbers(lines) == list(range(10))
    assert [line["kind"] for line in lines] == ["ws_connecting", "ws_open", *["ws_recv"] * 10, "ws_close"]
    assert lines[-1] == {**lines[-1], "code": 1000, "by": "client"}
    assert_one_line_per_event(lines)


async def test_until_jsonpath_on_a_flood_ends_on_the_match(flood_server: ThreadedServer) -> None:
    outcome, lines = await run_jsonl(WsRequest(flood_server.url), WsScript(until_jsonpath="$[?(@.i == 500)]"))
    assert outcome.exit_code == ExitCode.OK
    assert received_numbers(lines) == list(range(501))
    assert lines[-1]["kind"] == "ws_close"
    assert_one_line_per_event(lines)


async def test_duration_on_a_flood_keeps_seq_consecutive(flood_server: ThreadedServer) -> None:
    outcome, lines = await run_jsonl(WsRequest(flood_server.url), WsScript(duration=0.2))
    assert outcome.exit_code == ExitCode.OK
    numbers = received_numbers(lines)
    assert numbers == list(range(len(numbers)))
    assert lines[-1] == {**lines[-1], "kind": "ws_close", "code": 1000, "by": "client"}
    assert_one_line_per_event(lines)


@pytest.mark.parametrize(
    ("behaviour", "code", "words"),
    [("too-big", 1009, "message too big"), ("bad-utf8", 1007, "invalid payload data"), ("bad-frame", 1002, "protocol error")],
)
async def test_sluice_failing_the_connection_is_not_a_clean_end(
    raw_server: ThreadedServer, behaviour: str, code: int, words: str
) -> None:
    outcome, lines = await run_jsonl(WsRequest(f"{raw_server.url}/{behaviour}"))
    assert lines[-1] == {**lines[-1], "kind": "ws_close", "code": code, "by": "client"}
    assert outcome.exit_code == ExitCode.FAILED
    assert outcome.problem is not None
    assert outcome.problem.startswith(f"Sluice closed the connection: {code} ({words})")


async def test_handshake_timeout_says_how_long_it_waited(raw_server: ThreadedServer) -> None:
    outcome, lines = await run_jsonl(WsRequest(f"{raw_server.url}/silent", connect_timeout=0.3))
    assert outcome.exit_code == ExitCode.FAILED
    assert lines[-1]["kind"] == "error" and lines[-1]["type"] == "connect_timeout"
    assert "within 0.3 s" in lines[-1]["message"]


def test_cli_exits_1_with_one_line_when_sluice_closes_with_an_error(raw_server: ThreadedServer, sluice) -> None:
    result = sluice("run", f"{raw_server.url}/too-big", "--jsonl")
    assert result.code == 1
    assert next(line for line in result.lines if line["kind"] == "ws_close")["code"] == 1009
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "1009 (message too big)" in result.stderr


def test_cli_timeout_sets_the_handshake_timeout(raw_server: ThreadedServer, sluice) -> None:
    result = sluice("run", f"{raw_server.url}/silent", "--timeout", "0.5")
    assert result.code == 1
    assert "connect timeout: no handshake response" in result.stderr and "within 0.5 s" in result.stderr


def test_cli_until_count_on_a_flood(flood_server: ThreadedServer, sluice) -> None:
    result = sluice("run", flood_server.url, "--until-count", "10", "--jsonl")
    assert result.code == 0, result.stderr
    timeline = [line for line in result.lines if line["kind"] not in ("merged", "metrics")]
    assert received_numbers(timeline) == list(range(10))
    assert timeline[-1]["kind"] == "ws_close"
    assert [line["seq"] for line in result.lines] == list(range(len(result.lines)))


def test_cli_timeout_applies_to_a_saved_websocket_request(raw_server: ThreadedServer, sluice, tmp_path) -> None:
    saved = tmp_path / "silent.toml"
    saved.write_text(f'name = "silent"\nurl = "{raw_server.url}/silent"\n')
    result = sluice("run", str(saved), "--timeout", "0.5")
    assert result.code == 1
    assert "within 0.5 s" in result.stderr


@pytest.mark.parametrize("path", ["mixed", "after-send/mixed"])
async def test_messages_fragments_and_pings_keep_their_order(raw_server: ThreadedServer, path: str) -> None:
    """Whole messages are taken from the parser, fragmented ones through websockets' own reassembly: the
    timeline is the same either way, whether the frames came with the handshake or while listening."""
    script = WsScript(sends=(SavedMessage("hi", WsFormat.TEXT),))
    outcome, lines = await run_jsonl(WsRequest(f"{raw_server.url}/{path}"), script)
    seen = [
        (line["kind"], line.get("text", line.get("b64", line.get("data"))))
        for line in lines
        if line["kind"] in ("ws_recv", "ws_ping", "ws_pong")
    ]
    assert seen == [
        ("ws_recv", "a"),
        ("ws_ping", "7031"),
        ("ws_pong", "7031"),
        ("ws_recv", "bc"),
        ("ws_recv", "ZA=="),
        ("ws_ping", "7032"),
        ("ws_pong", "7032"),
        ("ws_recv", "é"),
    ]
    assert lines[-1] == {**lines[-1], "kind": "ws_close", "code": 1000, "by": "server"}
    assert outcome.exit_code == ExitCode.OK
    assert_one_line_per_event(lines)


@pytest.mark.parametrize("path", ["ok-then-bad-utf8", "after-send/ok-then-bad-utf8"])
async def test_invalid_utf8_after_whole_messages_still_fails_with_1007(raw_server: ThreadedServer, path: str) -> None:
    script = WsScript(sends=(SavedMessage("hi", WsFormat.TEXT),))
    outcome, lines = await run_jsonl(WsRequest(f"{raw_server.url}/{path}"), script)
    assert [line["text"] for line in lines if line["kind"] == "ws_recv"] == ["ok"]
    assert lines[-1] == {**lines[-1], "kind": "ws_close", "code": 1007, "by": "client"}
    assert outcome.exit_code == ExitCode.FAILED
