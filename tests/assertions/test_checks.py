"""Each assertion kind decides at the right event (events built by hand: the decision logic alone)."""

from __future__ import annotations

from app.assertions import AssertionChecker, Verdict
from app.assertions.checks import json_equal
from app.events import ConnectionFailed, NdjsonValue, ResponseOpened, SseMessage, StreamClosed, TimelineEvent
from app.model.expectations import Expectation


def _events(*payloads_at: tuple[float, object]) -> list[TimelineEvent]:
    return [TimelineEvent(seq, t, payload) for seq, (t, payload) in enumerate(payloads_at)]  # type: ignore[arg-type]


OPEN = ResponseOpened(200, "HTTP/1.1", (("content-type", "text/event-stream"),))
CLOSE = StreamClosed(0, 0, 1.0, 0.0, 0.0, 0.0)


def test_within_ms_fails_at_the_first_event_too_late_for_it() -> None:
    checker = AssertionChecker([Expectation(event="delta", within_ms=100)])
    checker.feed(_events((0.01, OPEN), (0.2, SseMessage("other", "{}")), (0.3, SseMessage("delta", "{}"))))
    (result,) = checker.results
    assert result.verdict is Verdict.FAILED and result.seq == 1 and "none within 100 ms" in result.detail


def test_max_count_fails_live_and_min_count_passes_live() -> None:
    checker = AssertionChecker([Expectation(event="delta", max_count=1), Expectation(event="delta", min_count=2)])
    checker.feed(_events((0.0, OPEN), (0.1, SseMessage("delta", "{}")), (0.2, SseMessage("delta", "{}"))))
    over, enough = checker.results
    assert (over.verdict, over.seq) == (Verdict.FAILED, 2)
    assert (enough.verdict, enough.seq) == (Verdict.PASSED, 2)


def test_jsonpath_reads_the_last_payload_that_has_the_path_and_ndjson_type_names_events() -> None:
    checker = AssertionChecker([Expectation(jsonpath="$.done", equals=True), Expectation(event="final")])
    events = _events(
        (0.0, OPEN), (0.1, NdjsonValue('{"done": false}')), (0.2, NdjsonValue('{"type": "final", "done": true}')),
        (0.3, NdjsonValue('{"other": 1}')), (0.4, CLOSE),
    )
    checker.feed(events)
    done, final = checker.finish()
    assert (done.verdict, done.seq) == (Verdict.PASSED, 2)
    assert (final.verdict, final.seq) == (Verdict.PASSED, 2)


def test_status_fails_on_a_transport_error_and_nothing_is_left_pending() -> None:
    checker = AssertionChecker([Expectation(status=200, no_errors=True, ttft_ms_max=10)])
    checker.feed(_events((0.5, ConnectionFailed("connection_refused", "refused"))))
    results = checker.finish()
    assert [result.verdict for result in results] == [Verdict.FAILED] * 3
    assert all(result.seq == 0 for result in results)


def test_json_equality_is_json_not_python() -> None:
    assert json_equal(1, 1.0) and json_equal({"a": [1, "x"]}, {"a": [1.0, "x"]})
    assert not json_equal(True, 1) and not json_equal(0, False) and not json_equal("1", 1)
    assert not json_equal([1], [1, 2]) and not json_equal({"a": 1}, {"a": 1, "b": 2})
