"""HAR and JUnit XML as the tools that read them do: whatever text the server sent, the file parses back
with the standard library (`json`, `xml.etree`) and holds no raw control character (XML 1.0 cannot hold
most C0 controls at all, not even as `&#…;`; a lone surrogate is neither UTF-8 nor XML). Recordings too."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.assertions.checks import AssertionResult, Verdict
from app.assertions.junit import TestCaseReport, junit_xml
from app.events import ConnectionFailed, ErrorType, RequestSent, ResponseOpened, StreamClosed, TimelineEvent
from app.interop.har import save_har
from app.recording.capture import Capture
from app.recording.format import save_recording
from app.ws_events import WsConnecting, WsMessage

# Any code point, lone surrogates (Cs) and controls (Cc) included.
_ANY = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=12)
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _report(texts: list[str], seconds: float) -> list[TestCaseReport]:
    results = tuple(AssertionResult(text, Verdict.FAILED if index % 2 else Verdict.PASSED, text, index, text, 0.5)
                    for index, text in enumerate(texts))
    return [TestCaseReport(texts[0], texts[-1], seconds, results), TestCaseReport(texts[-1], texts[0], 0.0, error=texts[0])]


@settings(max_examples=300, deadline=None)
@given(st.lists(_ANY, min_size=1, max_size=4), st.floats(0, 1e6))
def test_junit_always_parses_back_and_holds_no_raw_control(texts: list[str], seconds: float) -> None:
    data = junit_xml(texts[0], _report(texts, seconds))
    root = ElementTree.fromstring(data)
    assert root.tag == "testsuites" and len(root.find("testsuite") or []) == 2
    text = data.decode("utf-8")
    assert not _RAW_CONTROL.search(text)
    assert "&#" not in text.replace("&#10;", "").replace("&#13;", "").replace("&#09;", "")


def test_junit_shows_a_servers_escape_sequence_as_text() -> None:
    hostile = "merged text '\x1b]0;pwned\x07\x9b2J\x00'"
    data = junit_xml("s", [TestCaseReport("chat", "chat.toml", 1.0, (AssertionResult("contains", Verdict.FAILED, hostile),))])
    failure = ElementTree.fromstring(data).find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "contains: merged text '\\x1b]0;pwned\\x07\\x9b2J\\x00'"


def _capture(text: str, body: bytes, websocket: bool) -> Capture:
    capture = Capture(body=body)
    events = [RequestSent("GET", f"http://a/{text}?api_key={text}", (("X-Hostile", text), ("Authorization", f"Bearer {text}")))]
    if websocket:
        events = [WsConnecting(f"ws://a/{text}"), WsMessage("recv", text), WsMessage("recv", body)]
    events += [ResponseOpened(200, "HTTP/1.1", (("Content-Type", text), ("Set-Cookie", text)), reason=text),
               StreamClosed(len(body), 1, 0.5, 0.1, 0.1, None) if text else ConnectionFailed(ErrorType.STREAM_FAILED, text)]
    capture.feed([TimelineEvent(seq, 0.1 * seq, payload, 0) for seq, payload in enumerate(events)])
    capture.on_chunk(0.2, body)
    capture.on_chunk(0.3, text.encode("utf-8", "surrogatepass"))
    return capture


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_ANY, st.binary(max_size=16), st.booleans())
def test_har_and_recordings_always_parse_back_and_hold_no_raw_control(tmp_path: Path, text, body, websocket) -> None:
    capture = _capture(text, body, websocket)
    har = tmp_path / "x.har"
    save_har([capture, capture], har)
    written = har.read_text(encoding="utf-8")
    document = json.loads(written)
    assert not _RAW_CONTROL.search(written)
    entries = document["log"]["entries"]
    assert document["log"]["version"] == "1.2" and len(entries) == 2
    for entry in entries:
        assert {"startedDateTime", "time", "request", "response", "cache", "timings"} <= entry.keys()
        assert all(entry["timings"][name] >= 0 for name in ("send", "wait", "receive"))
    recording = tmp_path / "x.jsonl"
    save_recording(capture, recording)
    assert not _RAW_CONTROL.search(recording.read_text(encoding="utf-8"))
    for line in recording.read_text(encoding="utf-8").splitlines():
        json.loads(line)
