"""`--jsonl`, recordings and HAR carry a server's bidi controls as `\\u202e` escapes, never raw.

JSON lets U+202A-U+202E and U+2066-U+2069 stand raw in a string, and `sluice run --jsonl` on a terminal
(or `cat` of a recording or a HAR) then showed the line reordered: a payload ending in
`\\u202e"}]}gnp.exe` reads as something else than it is. Escaped, the JSON means the same text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from raw_loopback_server import http_response

from app.events import SseMessage, TimelineEvent
from app.jsonl import JsonlFormatter
from app.terminal_text import json_line_safe

_RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SSE_DATA = f"safe {BIDI} \u2028\x9b end"
HEADER_VALUE = f"v{BIDI}\x85"
HEADER_SEEN = HEADER_VALUE.encode().decode("latin-1")
"""Header bytes are Latin-1 to HTTP: the UTF-8 of a bidi control arrives as `â` and two C1 controls."""


def _assert_no_raw(text: str) -> None:
    found = _RAW.search(text)
    assert found is None, f"{found.group()!r} at {found.start()}: {text[max(0, found.start() - 60):found.end() + 20]!r}"


def test_jsonl_recording_and_har_escape_bidi_controls(raw_server, sluice, tmp_path: Path) -> None:
    body = f"data: {SSE_DATA}\nid: {BIDI}\n\n".encode()
    raw_server.routes["/bidi-sse"] = http_response(
        "200 OK", [("Content-Type", "text/event-stream"), ("X-Bidi", HEADER_VALUE)], body
    )
    raw_server.routes["/bidi-ndjson"] = http_response(
        "200 OK", [("Content-Type", "application/x-ndjson")], json.dumps({"t": SSE_DATA}, ensure_ascii=False).encode() + b"\n"
    )
    for path in ("/bidi-sse", "/bidi-ndjson"):
        record, har = tmp_path / f"{path[1:]}.jsonl", tmp_path / f"{path[1:]}.har"
        result = sluice("run", "--jsonl", "--record", str(record), "--har", str(har), f"{raw_server.base_url}{path}")
        assert result.code == 0, result.stderr
        for text in (result.stdout, result.stderr, record.read_text("utf-8"), har.read_text("utf-8")):
            _assert_no_raw(text)
        events = [line for line in result.lines if line["kind"] in ("sse", "ndjson")]
        assert (events[0].get("data") or events[0]["value"]["t"]) == SSE_DATA
        if path == "/bidi-sse":
            opened = next(line for line in result.lines if line["kind"] == "open")
            assert ["X-Bidi", HEADER_SEEN] in opened["headers"]
            response = next(json.loads(line) for line in record.read_text().splitlines() if '"response"' in line)
            assert ["X-Bidi", HEADER_SEEN] in response["headers"]
            har_headers = json.loads(har.read_text())["log"]["entries"][0]["response"]["headers"]
            assert {"name": "X-Bidi", "value": HEADER_SEEN} in har_headers


def test_jsonl_escapes_bidi_in_a_websocket_message(raw_server, sluice) -> None:
    raw_server.ws_messages = [f"ws {BIDI}", json.dumps({"t": BIDI}, ensure_ascii=False)]
    raw_server.ws_close = (4000, f"bye{BIDI}")
    result = sluice("run", "--jsonl", "--duration", "5", raw_server.ws_url)
    _assert_no_raw(result.stdout)
    _assert_no_raw(result.stderr)
    texts = [line.get("text") for line in result.lines if line["kind"] == "ws_recv"]
    assert f"ws {BIDI}" in texts, result.stdout


@settings(max_examples=500, deadline=None)
@given(st.text(st.one_of(st.sampled_from(list(BIDI + "\u2028\u2029\x85\x9b\x7f\u2019\u2060é")), st.characters())))
def test_json_line_safe_leaves_nothing_raw_and_means_the_same(text: str) -> None:
    encoded = json_line_safe(json.dumps(text, ensure_ascii=False))
    _assert_no_raw(encoded)
    assert json.loads(encoded) == text


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(st.one_of(st.sampled_from(list(BIDI + "\u2028\x85\u2019é")), st.characters()), max_size=8), min_size=1))
def test_the_jsonl_writer_leaves_no_bidi_control_raw(datas: list[str]) -> None:
    events = [TimelineEvent(seq, 0.5, SseMessage("message", data, None, None), len(data)) for seq, data in enumerate(datas)]
    written = JsonlFormatter().lines(events).decode("utf-8")
    _assert_no_raw(written)
    assert [json.loads(line)["data"] for line in written.splitlines()] == datas
