"""The event store: compact append, summaries on demand, error index, filters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.event_runs import EventRun, NdjsonTexts, SseDatas, WsTexts, expand_runs
from app.events import ConnectionFailed, NdjsonError, NdjsonValue, ResponseOpened, SseComment, SseMessage, TimelineEvent
from app.store import EventQuery, EventStore, QueryError
from app.ws_events import WsMessage


def _events(payloads, start_seq=0, step=0.5):
    return [
        TimelineEvent(start_seq + i, i * step, payload, size=10 + i)
        for i, payload in enumerate(payloads)
    ]


def test_append_keeps_order_and_rebuilds_events():
    store = EventStore()
    batch = _events([SseMessage("message", "a"), SseMessage("delta", "b\nc")])
    store.append(batch)
    store.append(_events([SseComment("ping")], start_seq=2))
    assert len(store) == 3
    assert store.event(0) == batch[0]
    assert store.event(1) == batch[1]
    assert store.payload(2) == SseComment("ping")
    assert store.total_bytes == 10 + 11 + 10


def test_summary_has_gap_label_direction_and_single_line_preview():
    store = EventStore()
    store.append(
        _events([SseMessage("delta", "line one\nline two"), WsMessage("send", "hi"), NdjsonValue('{"a": [1, 2]}')])
    )
    first, second, third = (store.summary(i) for i in range(3))
    assert first.gap is None and first.label == "delta" and first.preview == "line one⏎line two"
    assert second.gap == pytest.approx(0.5) and second.direction == "→" and second.label == "ws_send"
    assert third.preview == '{"a":[1,2]}' and not third.is_error


def test_long_preview_is_cut_and_binary_shows_hex():
    store = EventStore()
    store.append(_events([SseMessage("message", "x" * 10_000), WsMessage("recv", b"\xff\x00\x01")]))
    assert len(store.summary(0).preview) <= 240
    assert store.summary(1).preview == "0x ff 00 01"


def test_error_index_finds_next_and_previous():
    store = EventStore()
    payloads = [SseMessage("message", str(i)) for i in range(10)]
    payloads[3] = NdjsonError("{bad", "Expecting value")
    payloads[7] = ConnectionFailed("connection_reset", "reset by peer")
    store.append(_events(payloads))
    assert store.error_count == 2
    assert store.summary(3).is_error
    assert store.next_error(-1) == 3
    assert store.next_error(3) == 7
    assert store.next_error(7) is None
    assert store.previous_error(7) == 3
    assert store.previous_error(3) is None


def test_query_by_words_event_name_and_kind():
    store = EventStore()
    store.append(
        _events(
            [
                SseMessage("delta", '{"text": "Hello World"}'),
                SseMessage("done", '{"text": "hello again"}'),
                SseComment("keep-alive hello"),
                ResponseOpened(200, "HTTP/1.1", (("content-type", "text/event-stream"),)),
            ]
        )
    )
    assert list(store.search(EventQuery.parse("hello"))) == [0, 1, 2]
    assert list(store.search(EventQuery.parse("HELLO world"))) == [0]
    assert list(store.search(EventQuery.parse("event:done"))) == [1]
    assert list(store.search(EventQuery.parse("event:done event:delta hello"))) == [0, 1]
    assert list(store.search(EventQuery.parse("kind:sse_comment"))) == [2]
    assert list(store.search(EventQuery.parse("done"))) == [1]  # the event name is searched too
    assert list(store.search(EventQuery.parse(""))) == [0, 1, 2, 3]
    assert list(store.search(EventQuery.parse("hello"), start=1, stop=2)) == [1]


def test_query_field_without_value_is_a_clear_error():
    with pytest.raises(QueryError, match="event:"):
        EventQuery.parse("event:")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["delta", "done", "message"]), st.text(max_size=20)), max_size=40),
       st.integers(min_value=1, max_value=7))
def test_search_in_pieces_equals_search_at_once(items, piece):
    store = EventStore()
    store.append(_events([SseMessage(name, data) for name, data in items]))
    query = EventQuery.parse("a event:delta event:message")
    whole = list(store.search(query))
    pieces: list[int] = []
    for start in range(0, len(store), piece):
        pieces.extend(store.search(query, start, start + piece))
    assert pieces == whole
    assert whole == [i for i, (name, data) in enumerate(items) if name != "done" and "a" in f"{name} {data}".lower()]


@settings(max_examples=100, deadline=None)
@given(
    texts=st.lists(st.sampled_from(['{"a":1}', "[]", '"x"', "12"]), min_size=2, max_size=6),
    datas=st.lists(st.text(max_size=5), min_size=2, max_size=6),
    event=st.sampled_from(["message", "delta"]),
    event_id=st.none() | st.just("7"),
)
def test_runs_by_their_parsers_columns_are_stored_as_their_events(texts, datas, event, event_id):
    # A worker publishes a chunk's events by the columns its parser made: the store must not tell.
    values = [NdjsonValue(text) for text in texts]
    messages = [SseMessage(event, data, event_id) for data in datas]
    ws_messages = [WsMessage("recv", data) for data in datas]
    runs = [
        EventRun(0, 0.5, NdjsonTexts(texts), list(range(len(texts)))),
        EventRun(len(texts), 0.75, SseDatas(event, datas, event_id), list(range(len(datas)))),
        EventRun(len(texts) + len(datas), 0.8, WsTexts(datas), list(range(len(datas)))),
    ]
    by_columns, by_events = EventStore(), EventStore()
    by_columns.append_items(runs)
    by_events.append(expand_runs(runs))
    assert [by_columns.event(index) for index in range(len(by_columns))] == [
        *_events_at(values, 0, 0.5), *_events_at(messages, len(texts), 0.75),
        *_events_at(ws_messages, len(texts) + len(datas), 0.8),
    ] == [by_events.event(index) for index in range(len(by_events))]
    assert by_columns.longest_label == by_events.longest_label and by_columns.total_bytes == by_events.total_bytes


def _events_at(payloads, first_seq, t):
    return [TimelineEvent(first_seq + i, t, payload, i) for i, payload in enumerate(payloads)]
