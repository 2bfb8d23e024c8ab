"""A session fed by a run's thread stores and merges each batch there: nothing is left for the UI thread."""

from __future__ import annotations

import json
import threading

from app.events import ResponseOpened, SseMessage, StreamClosed, TimelineEvent
from app.ui.response import ResponseSession


def _chunk(text: str) -> SseMessage:
    return SseMessage("message", json.dumps({"choices": [{"index": 0, "delta": {"content": text}}]}))


def test_the_feeding_thread_merges_and_the_reply_is_read_without_waiting() -> None:
    session = ResponseSession(None, "fed")
    payloads = [ResponseOpened(200, "HTTP/1.1", (("content-type", "text/event-stream"),)),
                *(_chunk(f"w{i} ") for i in range(300)), SseMessage("message", "[DONE]"),
                StreamClosed(302, 1, 0.1, 0.01, 0.02, None)]
    events = [TimelineEvent(seq, seq * 0.001, payload, 10) for seq, payload in enumerate(payloads)]

    def run() -> None:
        for start in range(0, len(events), 50):
            session.feed(events[start:start + 50])
        session.end_feed()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    # Merged on the feeding thread: nothing waits for the UI thread's pump.
    assert session.merging_behind == 0
    assert session.reply.text == "".join(f"w{i} " for i in range(300))
    assert session.reply.complete
    session.pump()
    assert session.finished


def test_a_reply_read_while_a_batch_is_being_merged_is_the_last_one_merged() -> None:
    session = ResponseSession(None, "fed")
    session.feed([TimelineEvent(0, 0.0, _chunk("first "), 10)])
    before = session.reply
    with session._feed_lock:  # as the run's thread holds it while it stores and merges a batch
        assert session.reply is before


def test_runs_fed_by_their_columns_make_the_same_session_as_their_events() -> None:
    from app.event_runs import EventRun, expand_runs
    from app.events import BodyReceived, RequestSent, SseComment

    opened = ResponseOpened(200, "HTTP/1.1", (("content-type", "text/event-stream"),))
    items = [
        TimelineEvent(0, 0.0, RequestSent("GET", "http://127.0.0.1/sse"), 0), TimelineEvent(1, 0.01, opened, 0),
        EventRun(2, 0.02, tuple(_chunk(f"a{i} ") for i in range(40)), tuple(range(10, 50))),
        # A run with other things in it: a named event with an id and retry, a comment, a body chunk.
        EventRun(42, 0.02, (SseMessage("delta", "x", "id-7", 1500), SseComment("keep"), BodyReceived(b"raw"),
                            _chunk("b ")), (5, 6, 7, 8)),
        EventRun(46, 0.5, (_chunk("c "), SseMessage("message", "[DONE]")), (9, 10)),
        TimelineEvent(48, 0.6, StreamClosed(300, 44, 0.6, 0.01, 0.02, None), 0),
    ]
    from app.recording.capture import Capture

    by_columns, by_events = ResponseSession(None, "columns"), ResponseSession(None, "events")
    by_columns.capture, by_events.capture = Capture(b""), Capture(b"")
    by_columns.feed_items(items[:3])
    by_columns.feed_items(items[3:])
    by_events.feed(expand_runs(items[:3]))
    by_events.feed(expand_runs(items[3:]))
    for session in (by_columns, by_events):
        session.end_feed()
        session.pump()
    store, expected = by_columns.store, by_events.store
    assert len(store) == len(expected) == 49
    assert store.events(0, len(store)) == expected.events(0, len(expected))
    assert [store.summary(i) for i in range(len(store))] == [expected.summary(i) for i in range(len(expected))]
    assert (store.total_bytes, store.longest_label, store.longest_id, store.has_retry, store.error_count) == (
        expected.total_bytes, expected.longest_label, expected.longest_id, expected.has_retry, expected.error_count)
    assert by_columns.metrics.to_json() == by_events.metrics.to_json()
    assert by_columns.metrics.rate_per_second() == by_events.metrics.rate_per_second()
    assert (by_columns.state, by_columns.elapsed, by_columns.body(), by_columns.reply.text) == (
        by_events.state, by_events.elapsed, by_events.body(), by_events.reply.text)
    assert {key: value for key, value in vars(by_columns.capture).items() if key not in ("_lock", "started_at")} == {
        key: value for key, value in vars(by_events.capture).items() if key not in ("_lock", "started_at")}
