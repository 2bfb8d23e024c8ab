"""SseDecoder: the event-stream rules beyond the WPT cases, the extras it reports, and byte sizes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.events import SseComment, SseId, SseIgnoredField, SseMessage, SseRetry, SseUnknownField, StreamDiagnostic
from app.streams.sse import SseDecoder

ID_WITH_NUL = "an id containing NUL (U+0000) is ignored: the last event ID stays as it was"
RETRY_NOT_DIGITS = "retry takes ASCII digits only (milliseconds): it is ignored and the reconnection time stays as it was"


def parse(*chunks: bytes) -> list[tuple[object, int]]:
    decoder = SseDecoder()
    parsed = [item for chunk in chunks for item in decoder.feed(chunk)]
    return parsed + decoder.finish()


def payloads(*chunks: bytes) -> list[object]:
    return [payload for payload, _ in parse(*chunks)]


def test_one_event_with_its_defaults():
    assert parse(b"data: hello\n\n") == [(SseMessage("message", "hello", None, None), 13)]


def test_crlf_split_across_chunks_is_one_line_end():
    assert payloads(b"data: a\r", b"\ndata: b\r\n\r\n") == [SseMessage("message", "a\nb")]


def test_cr_only_line_ends():
    assert payloads(b"event: x\rdata: 1\r\rdata: 2\r\r") == [
        SseMessage("x", "1"),
        SseMessage("message", "2"),
    ]


def test_multibyte_character_split_across_chunks_decodes_whole():
    euro = "€".encode()
    assert payloads(b"data: " + euro[:1], euro[1:2], euro[2:] + b"\n\n") == [SseMessage("message", "€")]


def test_invalid_utf8_becomes_replacement_characters():
    assert payloads(b"data: a\xffb\xe2\x82\n\n") == [SseMessage("message", "a\ufffdb\ufffd")]


def test_bom_split_across_chunks_is_still_stripped():
    assert payloads(b"\xef", b"\xbb", b"\xbfdata: x\n\n") == [SseMessage("message", "x")]


def test_bom_later_in_stream_is_kept():
    assert payloads(b"data: \xef\xbb\xbfx\n\n") == [SseMessage("message", "\ufeffx")]


def test_comment_strips_one_leading_space_and_does_not_touch_the_event():
    assert payloads(b"data: a\n:  two spaces\n:\ndata: b\n\n") == [
        SseComment(" two spaces"),
        SseComment(""),
        SseMessage("message", "a\nb"),
    ]


def test_unknown_fields_are_reported_in_order_and_never_dispatch():
    assert payloads(b'error: {"code": 500}\nfoo\n\ndata: x\n\n') == [
        SseUnknownField("error", '{"code": 500}'),
        SseUnknownField("foo", ""),
        SseMessage("message", "x"),
    ]


def test_field_value_keeps_later_colons_and_only_one_space_goes():
    assert payloads(b"data:  a: b\n\n") == [SseMessage("message", " a: b")]


def test_block_without_data_dispatches_nothing_and_resets_event_type():
    assert payloads(b"event: ping\n\ndata: x\n\n") == [SseMessage("message", "x")]


def test_id_reported_is_the_last_event_id_in_force():
    messages = [m for m in payloads(b"data: a\n\nid: 1\n\ndata: b\n\n") if isinstance(m, SseMessage)]
    assert [m.id for m in messages] == [None, "1"]


def test_a_block_that_sets_only_id_or_only_retry_is_reported_as_its_own_kind():
    body = b"data: a\n\nid: 7\n\nretry: 3000\n\nid:\nretry: 5\n\nid: a\0b\nretry: x\n\ndata: b\n\n"
    assert parse(body) == [
        (SseMessage("message", "a"), 9),
        (SseId("7"), 7),
        (SseRetry(3000), 13),
        (SseId(""), 14),  # an empty id resets the last event ID; both fields of one block, id first
        (SseRetry(5), 0),
        # The ignored id and retry lines are shown, each its own bytes; the blank line goes to the event.
        (SseIgnoredField("id", "a\0b", ID_WITH_NUL), 8),
        (SseIgnoredField("retry", "x", RETRY_NOT_DIGITS), 9),
        (SseMessage("message", "b", "", None), 1 + 9),
    ]


def test_a_retry_line_at_the_very_end_still_counts_as_eventsource_applies_it_at_once():
    assert payloads(b"data: a\n\nretry: 10\n")[1:] == [SseRetry(10)]
    assert payloads(b"data: a\n\nid: 10\n")[1:] == []  # the last event ID changes only at dispatch


def test_retry_belongs_to_the_event_block_that_set_it():
    messages = [m for m in payloads(b"retry: 5\ndata: a\n\ndata: b\n\nretry: -1\ndata: c\n\n") if isinstance(m, SseMessage)]
    assert [m.retry for m in messages] == [
        5,
        None,
        None,
    ]


def test_unterminated_event_is_discarded_with_a_diagnostic():
    result = payloads(b"data: a\n\ndata: b\n")
    assert result[0] == SseMessage("message", "a")
    assert len(result) == 2 and isinstance(result[1], StreamDiagnostic)
    assert "discarded" in result[1].message


def test_final_line_without_terminator_is_not_a_line():
    result = payloads(b"data: a\n\ndata: b\n\n:tail")
    assert result == [SseMessage("message", "a"), SseMessage("message", "b")]


def test_sizes_count_every_byte_of_the_event_block():
    body = b"id: 1\ndata: a\n\n:hb\n\nerror: x\nevent: e\ndata: b\n\n"
    sizes = [(type(p).__name__, size) for p, size in parse(body)]
    assert sizes == [
        ("SseMessage", 15),
        ("SseComment", 4),
        ("SseUnknownField", 9),
        ("SseMessage", 1 + 9 + 8 + 1),
    ]


def test_crlf_sizes_include_both_bytes():
    assert [size for _, size in parse(b"data: a\r\n\r\n")] == [11]


def test_sizes_add_up_to_the_body_when_every_block_dispatches():
    body = b"\xef\xbb\xbf: hi\r\ndata: 1\r\n\r\nevent: x\rdata: 2\r\r\n\ndata: 3\n\n"
    assert sum(size for _, size in parse(body)) == len(body)


def test_ten_megabyte_data_line_in_small_chunks():
    line = b"data: " + b"x" * 10_000_000 + b"\n\n"
    decoder = SseDecoder()
    got = [p for start in range(0, len(line), 4096) for p in decoder.feed(line[start : start + 4096])]
    messages = [p for p, _ in got if isinstance(p, SseMessage)]
    assert len(messages) == 1 and len(messages[0].data) == 10_000_000


def test_the_ignored_id_and_retry_of_the_malformed_sample_are_shown_and_change_nothing():
    body = b'id: 1\ndata: a\n\nid: abc\x00def\ndata: {"i": 2}\n\nretry: soon\ndata: {"i": 3}\n\n'
    assert payloads(body) == [
        SseMessage("message", "a", "1"),
        SseIgnoredField("id", "abc\x00def", ID_WITH_NUL),
        SseMessage("message", '{"i": 2}', "1"),  # the last event ID stays "1", as EventSource keeps it
        SseIgnoredField("retry", "soon", RETRY_NOT_DIGITS),
        SseMessage("message", '{"i": 3}', "1", None),
    ]


def test_a_retry_too_long_for_a_number_is_shown_as_ignored():
    (ignored, message) = payloads(b"retry: " + b"9" * 5000 + b"\ndata: a\n\n")
    assert isinstance(ignored, SseIgnoredField) and ignored.name == "retry" and "digits" in ignored.reason
    assert message == SseMessage("message", "a")


def test_retry_with_non_ascii_digits_is_shown_as_ignored():
    (ignored, message) = payloads("retry: ١٢\ndata: a\n\n".encode())
    assert ignored == SseIgnoredField("retry", "١٢", RETRY_NOT_DIGITS)
    assert message.retry is None


_IGNORED = (b"id: a\x00b", b"id:\x00", b"retry: soon", b"retry:", b"retry: 1.5", b"retry: -1")
_BAD_LINES = st.sampled_from(_IGNORED)
_GOOD_LINES = st.sampled_from([b"data: x", b"id: 7", b"retry: 20", b"event: e", b": hb", b""])


@given(st.lists(st.one_of(_BAD_LINES, _GOOD_LINES), max_size=30), st.lists(st.integers(0, 400), max_size=8))
def test_ignored_lines_are_reported_the_same_however_the_stream_is_chunked(lines, cuts):
    body = b"\n".join(lines) + b"\n\n"
    whole = parse(body)
    edges = sorted({min(cut, len(body)) for cut in cuts})
    chunks = [body[start:end] for start, end in zip([0, *edges], [*edges, len(body)])]
    assert parse(*chunks) == whole
    # Removing the ignored lines changes nothing EventSource would see: the same messages, the same order.
    messages = [payload for payload, _ in whole if isinstance(payload, SseMessage)]
    clean = b"\n".join(line for line in lines if line not in _IGNORED) + b"\n\n"
    assert [payload for payload, _ in parse(clean) if isinstance(payload, SseMessage)] == messages
    assert sum(1 for payload, _ in whole if isinstance(payload, SseIgnoredField)) == sum(line in _IGNORED for line in lines)
