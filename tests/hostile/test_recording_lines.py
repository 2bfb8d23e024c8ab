"""A recording is JSON Lines: only LF (or CRLF) ends a line, whatever the JSON strings hold.

Sluice writes U+2028, U+2029 and U+0085 escaped, but `jq -c` (or any JSON tool a recording is edited
with) writes them raw inside strings, and `str.splitlines` broke such a line in two: `sluice mock`
refused the whole file with "Unterminated string" at a line number one short of the real one.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.recording.format import BadRecording, load_recording

_SEPARATORS = "a\u2028b\u2029c\x85d\x0ce\x1cf"


def _write(path: Path, lines: list[dict], newline: str = "\n") -> None:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + newline for line in lines), "utf-8")


def _lines(text: str) -> list[dict]:
    return [
        {"kind": "recording", "version": 1, "protocol": "websocket"},
        {"kind": "request", "t": 0.0, "method": "GET", "url": "ws://127.0.0.1:1/ws", "headers": []},
        {"kind": "message", "t": 0.1, "direction": "recv", "opcode": "text", "text": text},
        {"kind": "end", "t": 0.2, "reason": "close", "by": "server", "code": 1000, "close_reason": ""},
    ]


def test_raw_line_separators_inside_strings_load(tmp_path: Path) -> None:
    for newline in ("\n", "\r\n"):
        path = tmp_path / f"rec{len(newline)}.jsonl"
        _write(path, _lines(_SEPARATORS), newline)
        recording = load_recording(path)
        assert [message.data for message in recording.messages] == [_SEPARATORS]


def test_a_broken_line_is_named_by_its_real_number(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    lines = _lines(_SEPARATORS)
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines[:3]) + '{"kind": "end", "t": \n'
    path.write_text(text, "utf-8")
    try:
        load_recording(path)
    except BadRecording as error:
        assert f"{path}:4:" in str(error), error
    else:
        raise AssertionError("a broken line loaded")
