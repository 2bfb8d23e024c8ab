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
