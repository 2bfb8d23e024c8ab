"""The web-platform-tests `eventsource/format-*` cases, replayed through SseDecoder.

Each body is what the WPT resource serves (`message.py` appends "\\n\\n\\n" unless `newline=none`); the
assertions are the WPT's, on the messages EventSource would dispatch.
"""

from __future__ import annotations

import pytest

from app.events import SseMessage
from app.streams.framing import detect_parse_mode
from app.streams.sse import SseDecoder
from app.vocabulary import ParseMode


def messages(body: bytes, chunk_size: int | None = None) -> list[SseMessage]:
    decoder = SseDecoder()
    step = chunk_size or max(len(body), 1)
    parsed = [item for start in range(0, len(body), step) for item in decoder.feed(body[start : start + step])]
    parsed += decoder.finish()
    return [payload for payload, _ in parsed if isinstance(payload, SseMessage)]


def served(message: str, newline: str = "\n\n") -> bytes:
    """The body WPT's message.py sends: the message, the newline (default blank line), then LF."""
    return (message + newline + "\n").encode("utf-8")


@pytest.fixture(params=[None, 1, 3], ids=["whole", "bytewise", "chunks-of-3"])
def chunk_size(request) -> int | None:
    return request.param


def test_format_bom_strips_only_the_stream_leading_bom(chunk_size):
    body = served("\ufeffdata:1\n\n\ufeffdata:2\n\ndata:3")
    assert [m.data for m in messages(body, chunk_size)] == ["1", "3"]


def test_format_bom_2_second_bom_makes_the_field_unknown(chunk_size):
    body = served("\ufeff\ufeffdata:1\n\ndata:2\n\ndata:3")
    assert [m.data for m in messages(body, chunk_size)] == ["2", "3"]


def test_format_comments_fest(chunk_size):
    long = "x" * 2048
    message = f"data:1\r:\0\n:\r\ndata:2\n:{long}\rdata:3\n:data:fail\r:{long}\ndata:4\n"
    assert [m.data for m in messages(served(message, newline=""), chunk_size)] == ["1\n2\n3\n4"]


def test_format_data_before_final_empty_line(chunk_size):
    body = served("retry:1000\ndata:test1\n\nid:test\ndata:test2", newline="")
    got = messages(body, chunk_size)
    assert [m.data for m in got] == ["test1"]
    assert got[0].id is None


def test_format_field_data(chunk_size):
    body = served("data:\n\ndata\ndata\n\ndata:test")
    assert [m.data for m in messages(body, chunk_size)] == ["", "\n", "test"]


def test_format_field_event_empty_means_message(chunk_size):
    got = messages(served("event: \ndata:data"), chunk_size)
    assert [(m.event, m.data) for m in got] == [("message", "data")]


def test_format_field_event_custom_name_applies_to_one_event(chunk_size):
    got = messages(served("event:test\ndata:x\n\ndata:x"), chunk_size)
    assert [m.event for m in got] == ["test", "message"]


def test_format_field_id(chunk_size):
    got = messages("id: …\nretry: 200\ndata: hello\n\n".encode(), chunk_size)
    assert [(m.data, m.id, m.retry) for m in got] == [("hello", "…", 200)]


def test_format_field_id_2_persists_across_events(chunk_size):
    got = messages(b"id: 1\ndata: 1\n\ndata:2\n\n", chunk_size)
    assert [m.id for m in got] == ["1", "1"]


def test_format_field_id_3_changes_and_persists(chunk_size):
    got = messages(b"id: 1\ndata: 1\n\nid: 2\ndata:2\n\ndata:3\n\n", chunk_size)
    assert [m.id for m in got] == ["1", "2", "2"]


def test_format_field_id_3_empty_id_resets(chunk_size):
    got = messages(b"id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n", chunk_size)
    assert [m.id for m in got] == ["1", "", ""]


@pytest.mark.parametrize("id_value", ["\0\0", "a\0", "\0a", " \0"], ids=["nul-nul", "suffix", "prefix", "space"])
def test_format_field_id_null_is_ignored(id_value, chunk_size):
    body = f"id: 7\ndata: a\n\nid:{id_value}\ndata: hello\n\n".encode()
    assert [m.id for m in messages(body, chunk_size)] == ["7", "7"]


def test_format_field_id_null_first_id_leaves_no_id(chunk_size):
    assert [m.id for m in messages(b"id:\0\0\ndata: hello\n\n", chunk_size)] == [None]


def test_format_field_parsing(chunk_size):
    message = "data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n"
    assert [m.data for m in messages(served(message, newline=""), chunk_size)] == ["\0\n 2\n1\n3\n\n4"]


def test_format_field_retry_leading_zeros_are_decimal(chunk_size):
    assert [m.retry for m in messages(served("retry:02000\ndata:x"), chunk_size)] == [2000]


def test_format_field_retry_bogus_is_ignored(chunk_size):
    assert [m.retry for m in messages(served("retry:2000\nretry:1000x\ndata:x"), chunk_size)] == [2000]


def test_format_field_retry_empty(chunk_size):
    got = messages(served("retry\ndata:test"), chunk_size)
    assert [(m.data, m.retry) for m in got] == [("test", None)]


def test_format_field_unknown_and_parsing_fun(chunk_size):
    message = "data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test"
    assert [m.data for m in messages(served(message), chunk_size)] == ["test\n\ntest"]


def test_format_leading_space_only_one_space_is_stripped(chunk_size):
    body = served("data:\ttest\rdata: \ndata:test")
    assert [m.data for m in messages(body, chunk_size)] == ["\ttest\n\ntest"]


def test_format_newlines_fest(chunk_size):
    body = served("data:test\r\ndata\ndata:test\r\n\r", newline="")
    assert [m.data for m in messages(body, chunk_size)] == ["test\n\ntest"]


def test_format_null_character(chunk_size):
    assert [m.data for m in messages(served("data:\0\n\n", newline=""), chunk_size)] == ["\0"]


def test_format_utf_8_always(chunk_size):
    assert [m.data for m in messages(served("data:ok…"), chunk_size)] == ["ok…"]


@pytest.mark.parametrize(
    ("content_type", "mode"),
    [
        ("text/event-stream;", ParseMode.SSE),  # format-mime-trailing-semicolon
        ("text/event-stream;charset=windows-1252", ParseMode.SSE),  # format-utf-8: still UTF-8 SSE
        ("text/x-bogus", ParseMode.RAW),  # format-mime-bogus
        ("text/event-stream-bogus", ParseMode.RAW),  # format-mime-valid-bogus
    ],
)
def test_format_mime(content_type, mode):
    assert detect_parse_mode(content_type) is mode
