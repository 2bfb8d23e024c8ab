"""The request `sluice run URL [flags]` builds (WebSocket handshake flags, flags for the wrong scheme) and
the human close line."""

from __future__ import annotations

import io

import pytest

from app.cli.main import _run_parser
from app.cli.printers import HumanPrinter
from app.cli.request_flags import UsageError, build_http_request, build_ws_request, run_script
from app.events import StreamClosed, TimelineEvent


def parse(*argv: str):
    return _run_parser().parse_args(list(argv))


def test_ws_request_parses_headers_origin_subprotocols_and_timeout() -> None:
    args = parse("wss://example.test/ws", "-H", "X-Team: blue", "-H", "Origin: https://app.test",
                 "--subprotocol", "a", "--subprotocol", "b", "-k", "--timeout", "2.5")
    request = build_ws_request(args)
    assert request.headers == (("X-Team", "blue"),)
    assert request.origin == "https://app.test"
    assert request.subprotocols == ("a", "b")
    assert request.verify_tls is False
    assert request.connect_timeout == 2.5


@pytest.mark.parametrize("argv", [("ws://example.test", "-H", "no colon"), ("ws://example.test", "-d", "x"),
                                  ("ws://example.test", "--timeout", "0")])
def test_ws_request_rejects_bad_flags(argv: tuple[str, ...]) -> None:
    with pytest.raises(UsageError):
        build_ws_request(parse(*argv))


@pytest.mark.parametrize("argv", [("--send", "hi"), ("--subprotocol", "chat")])
def test_websocket_flags_on_an_http_url_are_refused(argv: tuple[str, ...]) -> None:
    with pytest.raises(UsageError, match=argv[0]):
        build_http_request(parse("http://example.test", *argv))


@pytest.mark.parametrize(("argv", "field", "value"), [
    (("--until-count", "3"), "until_count", 3), (("--until-jsonpath", "$.done"), "until_jsonpath", "$.done"),
    (("--duration", "2"), "duration", 2.0),
])
def test_stop_flags_on_an_http_url_are_its_run_script(argv: tuple[str, ...], field: str, value: object) -> None:
    args = parse("http://example.test", *argv)
    build_http_request(args)  # not refused
    assert getattr(run_script(args), field) == value


def test_sends_keep_their_order_in_the_script() -> None:
    script = run_script(parse("ws://example.test", "--send", "a", "--send-hex", "00", "--send-json", "{}", "--until-count", "2"))
    assert [(outgoing.content, outgoing.format) for outgoing in script.sends] == [("a", "text"), ("00", "hex"), ("{}", "json")]
    assert script.until_count == 2


@pytest.mark.parametrize(("events", "words"), [(0, "0 events"), (1, "1 event in"), (2, "2 events")])
def test_human_close_line_counts_in_words(events: int, words: str) -> None:
    stream = io.BytesIO()
    HumanPrinter(stream).feed([TimelineEvent(0, 0.1, StreamClosed(46, events, 0.1, 0.01, None, None))])
    assert words in stream.getvalue().decode()
