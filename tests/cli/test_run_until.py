"""`sluice run URL --until-count N | --until-jsonpath EXPR | --duration S` on HTTP streams that never end:
the real command in a subprocess, against real servers on 127.0.0.1 (`tests/run/helpers_http.py`, the demo)."""

from __future__ import annotations

import json


def closing(result) -> list[str]:
    return result.kinds()[-3:]


def test_until_count_ends_an_endless_sse_stream_with_exit_0_and_every_closing_line(endless_server, sluice, tmp_path):
    recording, har = tmp_path / "stream.jsonl", tmp_path / "stream.har"
    result = sluice(
        "run", endless_server.http_url("/sse/endless"), "--until-count", "10", "--jsonl",
        "--record", str(recording), "--har", str(har),
    )
    assert result.code == 0, result.stderr
    assert closing(result) == ["close", "merged", "metrics"]
    close = result.lines[-3]
    assert close["reason"] == "stopped" and close["events"] == 10
    assert [line["data"] for line in result.lines if line["kind"] == "sse"][-1] == '{"i": 9}'
    assert result.lines[-4]["kind"] == "sse"  # the tenth message is the last event before the close
    assert result.stderr == ""
    end = json.loads(recording.read_text().splitlines()[-1])
    assert end == {**end, "kind": "end", "reason": "stopped"}
    assert len(json.loads(har.read_text())["log"]["entries"]) == 1


def test_until_jsonpath_ends_an_endless_ndjson_stream(endless_server, sluice):
    result = sluice("run", endless_server.http_url("/ndjson/endless"), "--until-jsonpath", "$[?(@.i == 250)]", "--jsonl")
    assert result.code == 0, result.stderr
    assert closing(result) == ["close", "merged", "metrics"]
    assert result.lines[-4] == {**result.lines[-4], "kind": "ndjson", "value": {"i": 250}}
    assert result.lines[-3]["reason"] == "stopped"


def test_duration_ends_a_silent_stream_and_the_human_output_says_stopped(endless_server, sluice):
    result = sluice("run", endless_server.http_url("/sse/silent"), "--duration", "0.5", "--timeout", "30")
    assert result.code == 0, result.stderr
    last = result.stdout.splitlines()[-1]
    assert "stopped: " in last and "1 event in" in last
    assert "closed: " not in result.stdout


def test_the_human_output_of_a_count_says_stopped(endless_server, sluice):
    result = sluice("run", endless_server.http_url("/ndjson/endless"), "--until-count", "3")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[1] for line in lines[2:5]] == ["ndjson"] * 3
    assert "stopped: " in lines[-1] and "3 events" in lines[-1]
    assert len(lines) == 6  # request, open, three lines, the close


def test_with_reconnect_the_count_covers_the_whole_run(demo_server, sluice):
    result = sluice(
        "run", f"{demo_server.base_url}/sse/resumable?n=1000&per=2&retry=0", "--reconnect", "--until-count", "5", "--jsonl",
    )
    assert result.code == 0, result.stderr
    assert [line["reason"] for line in result.lines if line["kind"] == "close"] == ["complete", "complete", "stopped"]
    assert len([line for line in result.lines if line["kind"] == "sse"]) == 5
    assert closing(result) == ["close", "merged", "metrics"]


def test_in_a_chain_the_condition_applies_to_each_request_file(endless_server, sluice, tmp_path):
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    first.write_text(f'name = "first"\nurl = "{endless_server.http_url("/ndjson/endless")}"\n')
    second.write_text(f'name = "second"\nurl = "{endless_server.http_url("/sse/endless")}"\n')
    records = tmp_path / "records"
    result = sluice("run", str(first), str(second), "--until-count", "4", "--jsonl", "--record", str(records))
    assert result.code == 0, result.stderr
    closes = [line for line in result.lines if line["kind"] == "close"]
    assert [(close["reason"], close["events"]) for close in closes] == [("stopped", 4), ("stopped", 4)]
    assert result.kinds().count("request") == 2
    assert sorted(path.name for path in records.iterdir()) == ["first.jsonl", "second.jsonl"]


def test_a_bad_condition_is_a_usage_error_before_anything_is_sent(sluice):
    for flags, words in ((("--until-count", "0"), "at least 1"), (("--until-jsonpath", "$[?("), "JSONPath"),
                         (("--duration", "-1"), "positive")):
        result = sluice("run", "http://127.0.0.1:9/", *flags, "--jsonl")
        assert result.code == 2, flags
        assert words in result.stderr and result.stdout == ""


def test_help_says_what_counts(sluice):
    result = sluice("run", "--help")
    assert result.code == 0
    text = " ".join(result.stdout.split())
    assert "stop (HTTP streams and WebSocket)" in text
    assert "not a comment, retry or id line" in text
    assert "stop S seconds after the response head" in text
