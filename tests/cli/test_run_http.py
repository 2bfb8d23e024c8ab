"""`sluice run URL` against the real demo server: the `--jsonl` contract, exit codes and plain errors."""

from __future__ import annotations

import json
import socket

import pytest


def test_seed_chat_sse_streams_named_events(demo_server, sluice):
    body = json.dumps({"conversation_id": "conv_1", "input": "I have a headache"})
    result = sluice(
        "run", f"{demo_server.base_url}/v1/chats", "-H", "Authorization: Bearer demo-token",
        "-H", "Accept: text/event-stream", "--json", body, "--jsonl",
    )
    assert result.code == 0, result.stderr
    lines = result.lines
    assert [line["seq"] for line in lines] == list(range(len(lines)))
    assert all(isinstance(line["t"], float) for line in lines)
    opened = next(line for line in lines if line["kind"] == "open")
    assert opened["status"] == 200
    assert opened["http_version"] == "HTTP/1.1"
    assert ["content-type", "text/event-stream; charset=utf-8"] in opened["headers"] or any(
        name.lower() == "content-type" and value.startswith("text/event-stream") for name, value in opened["headers"]
    )
    events = [line for line in lines if line["kind"] == "sse"]
    assert {event["event"] for event in events} == {"delta", "done"}
    assert events[-1]["event"] == "done"
    deltas = "".join(json.loads(event["data"])["output"]["content"] for event in events if event["event"] == "delta")
    assert json.loads(events[-1]["data"])["output"]["content"] == deltas
    assert [line["kind"] for line in lines[-3:]] == ["close", "merged", "metrics"]
    close = lines[-3]
    assert close["events"] == len(events)
    assert close["bytes"] > 0
    assert 0 <= close["ttfb"] <= close["ttfe"] <= close["duration"]


def test_request_line_masks_the_bearer_token(demo_server, sluice):
    result = sluice("run", f"{demo_server.base_url}/v1/chats", "-H", "Authorization: Bearer demo-token", "--json", "{}", "--jsonl")
    request = result.lines[0]
    assert request["kind"] == "request"
    assert "demo-token" not in result.stdout
    assert ["Authorization", "Bearer ****"] in request["headers"] or ["authorization", "Bearer ****"] in request["headers"]


def test_http_error_status_is_still_a_complete_read(demo_server, sluice):
    result = sluice("run", f"{demo_server.base_url}/v1/chats", "--json", "{}", "--jsonl")
    assert result.code == 0
    assert next(line for line in result.lines if line["kind"] == "open")["status"] == 401
    body = next(line for line in result.lines if line["kind"] == "body")
    assert "error" in json.loads(body["text"])


def test_seed_widget_ndjson(demo_server, sluice):
    result = sluice(
        "run", f"{demo_server.base_url}/v1/chat/stream", "-H", "x-api-key: demo-key",
        "--json", json.dumps({"sessionId": "user-123", "message": "Tell me about your services"}), "--jsonl",
    )
    assert result.code == 0, result.stderr
    values = [line["value"] for line in result.lines if line["kind"] == "ndjson"]
    assert values[0]["type"] == "start"
    assert values[-1]["type"] == "done"
    assert values[-1]["message"] == "".join(value["token"] for value in values if value["type"] == "token")


@pytest.mark.parametrize(("path", "kind"), [("/sse/flood?n=3000", "sse"), ("/ndjson/flood?n=3000", "ndjson")])
def test_flood_delivers_every_event_in_order(demo_server, sluice, path, kind):
    result = sluice("run", demo_server.base_url + path, "--jsonl")
    assert result.code == 0
    lines = [line for line in result.lines if line["kind"] == kind]
    assert len(lines) == 3000
    if kind == "sse":
        numbers = [json.loads(line["data"])["i"] for line in lines]
    else:
        numbers = [line["value"]["i"] for line in lines]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3000
    assert next(line for line in result.lines if line["kind"] == "close")["events"] == 3000


def test_heartbeat_comments_are_reported(demo_server, sluice):
    result = sluice("run", f"{demo_server.base_url}/sse/heartbeat?n=3", "--jsonl")
    comments = [line for line in result.lines if line["kind"] == "sse_comment"]
    assert comments and all("text" in line for line in comments)
    assert len([line for line in result.lines if line["kind"] == "sse"]) == 3


def test_mid_stream_drop_is_named_with_progress(demo_server, sluice):
    result = sluice("run", f"{demo_server.base_url}/sse/drop?after=4", "--jsonl")
    assert result.code == 1
    error = result.lines[-3]
    assert error["kind"] == "error"
    assert error["type"] == "server_closed_mid_stream"
    assert "4 events" in error["message"]
    assert len([line for line in result.lines if line["kind"] == "sse"]) == 4
    assert len(result.stderr.strip().splitlines()) == 1
    assert "mid-stream" in result.stderr


def test_refused_connection_is_one_clear_line(sluice):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = sluice("run", f"http://127.0.0.1:{port}/", "--jsonl")
    assert result.code == 1
    error = next(line for line in result.lines if line["kind"] == "error")
    assert error["type"] == "connection_refused"
    assert result.stderr.strip().count("\n") == 0
    assert "refused" in result.stderr


def test_malformed_sse_events_do_not_stop_the_stream(demo_server, sluice):
    result = sluice("run", f"{demo_server.base_url}/sse/malformed", "--jsonl")
    assert result.code == 0
    kinds = result.kinds()
    assert kinds[-3:] == ["close", "merged", "metrics"]
    assert kinds.count("sse") >= 2
    assert "sse_comment" in kinds


def test_the_malformed_samples_ignored_id_and_retry_lines_are_shown(demo_server, sluice):
    """EventSource drops `id: abc<NUL>def` and `retry: soon` silently; Sluice shows both, in --jsonl and
    to people, and dispatches exactly what EventSource would."""
    url = f"{demo_server.base_url}/sse/malformed"
    lines = sluice("run", url, "--jsonl").lines
    ignored = [(line["name"], line["value"]) for line in lines if line["kind"] == "sse_ignored_field"]
    assert ignored == [("id", "abc\x00def"), ("retry", "soon")]
    assert all(line["id"] is None and line["retry"] is None for line in lines if line["kind"] == "sse")
    human = sluice("run", url, "--color", "never").stdout
    assert "ignored id: abc\\x00def" in human and "\x00" not in human
    assert "ignored retry: soon" in human


def test_malformed_ndjson_lines_become_errors_and_parsing_goes_on(demo_server, sluice):
    result = sluice("run", f"{demo_server.base_url}/ndjson/malformed", "--jsonl")
    assert result.code == 0
    kinds = result.kinds()
    assert "ndjson_error" in kinds
    assert kinds.index("ndjson_error") < kinds.index("close") - 1
    assert kinds.count("ndjson") >= 2
    errors = [line for line in result.lines if line["kind"] == "ndjson_error"]
    assert all(line["line"] and line["error"] for line in errors)


def test_no_blank_lines_gets_a_plain_diagnostic(demo_server, sluice):
    result = sluice("run", f"{demo_server.base_url}/sse/no-blank-lines", "--jsonl")
    diagnostics = [line for line in result.lines if line["kind"] == "diagnostic"]
    assert diagnostics
    assert "blank line" in diagnostics[0]["message"]
    assert "data:" in diagnostics[0]["sample"]
    human = sluice("run", f"{demo_server.base_url}/sse/no-blank-lines")
    assert "blank line" in human.stdout


def test_wrong_content_type_is_shown_raw_with_advice_and_can_be_forced(demo_server, sluice):
    result = sluice("run", f"{demo_server.base_url}/sse/wrong-type", "--jsonl")
    kinds = result.kinds()
    assert "body" in kinds and "sse" not in kinds
    diagnostic = next(line for line in result.lines if line["kind"] == "diagnostic")
    assert "--parse sse" in diagnostic["message"]
    forced = sluice("run", f"{demo_server.base_url}/sse/wrong-type", "--parse", "sse", "--jsonl")
    assert "sse" in forced.kinds()


def test_last_event_id_persists_and_resets(demo_server, sluice):
    result = sluice("run", f"{demo_server.base_url}/sse/ids", "--jsonl")
    events = [line for line in result.lines if line["kind"] == "sse"]
    ids = [event["id"] for event in events]
    assert ids[0] is None or isinstance(ids[0], str)
    assert "" in ids, "an empty id field resets the last event ID to the empty string"
    assert any(event["retry"] is not None for event in events)


def test_human_output_has_one_timed_line_per_event(demo_server, sluice):
    result = sluice("run", f"{demo_server.base_url}/sse/flood?n=5")
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1 + 1 + 5 + 1
    assert all(line.strip().split()[0].endswith("s") for line in lines)
    assert "closed: " in lines[-1]


def test_usage_errors_exit_2(sluice):
    assert sluice("run").code == 2
    assert sluice("run", "http://127.0.0.1:9/", "-H", "no colon here").code == 2
    assert sluice("run", "http://127.0.0.1:9/", "--parse", "xml").code == 2


def test_a_reader_that_goes_away_stops_the_run_quietly(demo_server):
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo_root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "run", f"{demo_server.base_url}/sse/flood?n=200000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=repo_root,
        env={**os.environ, "PYTHONPATH": str(repo_root)},
    )
    assert process.stdout.readline()
    process.stdout.close()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert b"Traceback" not in stderr


def test_websocket_flags_on_an_http_url_are_a_usage_error(sluice):
    result = sluice("run", "http://127.0.0.1:9/", "--send", "hello")
    assert result.code == 2
    assert "not for HTTP" in result.stderr and "--send" in result.stderr


def test_max_event_size_drops_an_oversized_event_and_reads_on(demo_server, sluice):
    result = sluice("run", f"{demo_server.base_url}/sse/flood?n=12", "--jsonl", "--max-event-size", "8")
    assert result.code == 0, result.stderr
    kinds = [line["kind"] for line in result.lines]
    assert kinds.count("sse") == 10  # data `{"i": 0}` … `{"i": 9}` are 8 bytes; 10 and 11 are 9
    too_large = [line for line in result.lines if line["kind"] == "event_too_large"]
    assert [(line["limit"], line["size"]) for line in too_large] == [(8, 17), (8, 17)]  # the whole block
    assert "maximum event size of 8 bytes" in too_large[0]["message"]
    assert kinds[-3:] == ["close", "merged", "metrics"]


def test_max_event_size_must_be_a_positive_number(sluice):
    result = sluice("run", "http://127.0.0.1:9/", "--max-event-size", "0")
    assert result.code == 2 and "at least 1 byte" in result.stderr
