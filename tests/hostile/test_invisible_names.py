"""Zero-width characters in a label are shown, where they tell two names apart.

An SSE event named `message\\u200b` printed as `message` (and `--event message` did not match it), two
requests named `login` and `log\\u200bin` looked the same in the tree, and a curl export of a URL whose
host holds a zero-width space pasted as the host it imitates. In labels and messages (`safe_line`,
`safe_lines`, and so the curl export's `$'…'` words) the invisible ones are escaped like controls:
U+200B, the directional marks U+200E/U+200F/U+061C, U+2060-U+2064, U+FEFF, U+180E. The joiners
U+200C/U+200D stay (emoji sequences and scripts need them), and bodies (`safe_block`) keep everything.
"""

from __future__ import annotations

from raw_loopback_server import http_response

from app.interop.curl_export import export_curl
from app.interop.shell_words import split_command
from app.model.http_request import HttpRequest
from app.terminal_text import safe_block, safe_line, safe_lines

INVISIBLE = "\u200b\u200e\u200f\u061c\u2060\u2061\u2062\u2063\u2064\ufeff\u180e"


def test_labels_escape_invisible_characters_and_keep_joiners() -> None:
    assert safe_line("log\u200bin") == "log\\u200bin"
    assert safe_line(f"a{INVISIBLE}b") == "a" + "".join(f"\\u{ord(char):04x}" for char in INVISIBLE) + "b"
    assert safe_lines("x\ufeff\ny\u200e") == "x\\ufeff\ny\\u200e"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467 \u0645\u06cc\u200c\u0634\u0648\u062f"
    assert safe_line(family) is family
    assert safe_block(f"body{INVISIBLE}") == f"body{INVISIBLE}"


def test_sluice_run_shows_a_zero_width_space_in_an_event_name(raw_server, sluice) -> None:
    raw_server.routes["/zw"] = http_response(
        "200 OK", [("Content-Type", "text/event-stream")], "event: message\u200b\ndata: x\n\n".encode()
    )
    result = sluice("run", f"{raw_server.base_url}/zw")
    assert result.code == 0, result.stderr
    assert "message\\u200b" in result.stdout
    assert "\u200b" not in result.stdout


def test_a_curl_export_shows_a_zero_width_host_character() -> None:
    url = "https://pay\u200bpal.example/login"
    exported = export_curl(HttpRequest(url=url))
    assert "\u200b" not in exported
    assert "$'https://pay\\xe2\\x80\\x8bpal.example/login'" in exported  # its UTF-8 bytes, as for a control
    assert split_command(exported.replace("\\\n", " "))[1] == url
