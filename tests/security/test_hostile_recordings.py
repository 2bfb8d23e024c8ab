"""Recordings are outside input too: `sluice mock` serves any file it accepts, and names the line of one
it cannot serve. Writing one (and a HAR file) never leaks the server's cookies unasked, never leaves half
a file, and a path that cannot be written is an error on stderr, not a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.recording.format import BadRecording, load_recording
from app.recording.mock import create_mock_app

_HEADER = {"kind": "recording", "version": 1, "protocol": "http"}
_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
    st.sampled_from([10**400, 1e308, -1, 5000, 1006, "/{x:nope}", "http://[::1", "G E T", "X\r\nY", "\x00", "é" * 80,
                     [["a", "b"]], [["Bad Name", "v"]], [["X", "line\nbreak"]], [["X", "\u0100"]], "AAAA", "!!"]),
)
_FIELDS = ["kind", "t", "b64", "method", "url", "status", "reason", "headers", "subprotocol", "direction",
           "opcode", "text", "code", "close_reason", "by", "version", "protocol"]
_LINES = st.one_of(
    st.dictionaries(st.sampled_from(_FIELDS), _VALUES, max_size=6),
    st.fixed_dictionaries({"kind": st.sampled_from(["request", "response", "chunk", "message", "end"])},
                          optional={name: _VALUES for name in _FIELDS[1:]}),
    st.just({"kind": "request", "method": "GET", "url": "http://a/x"}),
    st.just({"kind": "end", "reason": "close", "by": "server"}),
    st.text(max_size=10),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINES, max_size=6), st.sampled_from(["http", "websocket"]))
def test_any_recording_is_served_or_named_with_its_line(tmp_path_factory, lines, protocol) -> None:
    path = tmp_path_factory.mktemp("rec") / "r.jsonl"
    texts = [json.dumps({**_HEADER, "protocol": protocol})] + [
        line if isinstance(line, str) else json.dumps(line) for line in lines
    ]
    path.write_text("\n".join(texts) + "\n", encoding="utf-8")
    try:
        recording = load_recording(path)
    except BadRecording as error:
        assert str(path) in str(error)
        return
    create_mock_app([recording])  # routes built: a path Starlette cannot compile would raise here
    for name, value in recording.headers:  # what the mock will write on the wire
        name.encode("latin-1"), value.encode("latin-1")
        assert "\n" not in value and "\r" not in value
    assert 100 <= recording.status <= 999 and recording.method.isprintable()


def _write(path: Path, *lines: dict) -> Path:
    path.write_text("\n".join(json.dumps(line) for line in (_HEADER, *lines)) + "\n", encoding="utf-8")
    return path


def test_the_mock_names_the_line_it_cannot_serve(sluice, tmp_path: Path) -> None:
    request = {"kind": "request", "method": "GET", "url": "http://a/x"}
    cases = {
        "status": (request, {"kind": "response", "status": 10**400}),
        "header": (request, {"kind": "response", "status": 200, "headers": [["X-A", "a\r\nSet-Cookie: x=1"]]}),
        "time": (request, {"kind": "chunk", "t": 1e308, "b64": ""}),
        "route": ({"kind": "request", "method": "GET", "url": "http://a/{x:nope}"},),
        "close": (request, {"kind": "end", "reason": "close", "by": "server", "code": 1006}),
        "line": (request, ["not", "an", "object"]),  # type: ignore[dict-item]
    }
    for name, lines in cases.items():
        path = _write(tmp_path / f"{name}.jsonl", *lines)
        result = sluice("mock", str(path), timeout=30)
        assert result.code == 2, (name, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert f"{path}:{len(lines) + 1}:" in result.stderr, (name, result.stderr)


def test_a_recording_masks_the_servers_credentials_unless_revealed(hostile, sluice, tmp_path: Path) -> None:
    url = f"{hostile.base_url}/session"
    masked, revealed, har = tmp_path / "masked.jsonl", tmp_path / "revealed.jsonl", tmp_path / "x.har"
    assert sluice("run", url, "--record", str(masked), "--har", str(har)).code == 0
    assert sluice("run", url, "--record", str(revealed), "--reveal").code == 0
    for secret in ("s3cr3t-cookie", "t0ken-from-server"):
        assert secret not in masked.read_text(encoding="utf-8") and secret not in har.read_text(encoding="utf-8")
        assert secret in revealed.read_text(encoding="utf-8")
    assert load_recording(masked).headers  # still a recording the mock serves


def test_an_unwritable_record_or_har_path_is_named_and_exits_1(hostile, sluice, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for flag in ("--record", "--har"):
        target = tmp_path / "file" / "inside.out"  # a file where the folder should be
        result = sluice("run", f"{hostile.base_url}/session", flag, str(target))
        assert result.code == 1, result.stderr
        assert "Traceback" not in result.stderr and "cannot write the" in result.stderr and str(target) in result.stderr


def test_the_mock_names_a_hostile_file_name_without_its_controls(sluice, tmp_path: Path) -> None:
    path = tmp_path / "\x1b]0;pwned\x07\x9b2J.jsonl"
    path.write_text("not json\n", encoding="utf-8")
    result = sluice("mock", str(tmp_path), timeout=30)
    assert result.code == 2 and "Traceback" not in result.stderr
    assert "\\x1b]0;pwned\\x07\\x9b2J" in result.stderr
    assert not any(char in result.stderr for char in "\x1b\x07\x9b")


def test_a_redirects_location_has_its_token_masked_in_har_and_recordings(hostile, sluice, tmp_path: Path) -> None:
    har, recording = tmp_path / "x.har", tmp_path / "x.jsonl"
    url = f"{hostile.base_url}/oauth-redirect"
    assert sluice("run", url, "--no-follow", "--har", str(har), "--record", str(recording)).code == 0
    response = json.loads(har.read_text(encoding="utf-8"))["log"]["entries"][0]["response"]
    assert response["redirectURL"] == "http://127.0.0.1:9/cb#access_token=****&state=s"
    for path in (har, recording):
        assert "t0ken-in-fragment" not in path.read_text(encoding="utf-8")
    revealed = tmp_path / "revealed.har"
    assert sluice("run", url, "--no-follow", "--har", str(revealed), "--reveal").code == 0
    assert "t0ken-in-fragment" in revealed.read_text(encoding="utf-8")
