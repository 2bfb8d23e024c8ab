"""`StreamStop`, the one definition of `--until-count` and `--until-jsonpath`: what a received message is,
where a batch is cut, how a count carries on, and that the WebSocket condition is the same one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.connections.stream_stop import StopCut, StreamStop
from app.event_runs import NdjsonTexts, SseDatas
from app.events import (
    BodyReceived,
    JsonArrayItem,
    NdjsonError,
    NdjsonValue,
    SseComment,
    SseMessage,
    SseRetry,
    StreamDiagnostic,
)
from app.run import InvalidRun, WsScript
from app.streams.decoder import ParsedBatch


def column(start: int, count: int) -> ParsedBatch:
    texts = [f'{{"i": {index}}}' for index in range(start, start + count)]
    return ParsedBatch(NdjsonTexts(texts), [len(text) for text in texts])


def mixed(*payloads: object) -> ParsedBatch:
    return ParsedBatch(list(payloads), [1] * len(payloads))  # type: ignore[arg-type]


def numbers(batch: ParsedBatch) -> list[int]:
    return [payload.value["i"] for payload in batch.payloads if type(payload) is NdjsonValue]


def jsonpath_stop(expression: str) -> StreamStop:
    stop = WsScript(until_jsonpath=expression).stream_stop()
    assert stop is not None
    return stop


def test_a_count_is_met_inside_a_column_and_the_rest_of_it_is_dropped() -> None:
    cut = StreamStop(count=3).cut(column(0, 10))
    assert cut.met
    assert numbers(cut.batch) == [0, 1, 2]
    assert list(cut.batch.sizes) == [8, 8, 8]


def test_a_count_carries_on_from_batch_to_batch() -> None:
    stop = StreamStop(count=10)
    first = stop.cut(column(0, 4))
    second = first.rest.cut(column(4, 4))
    third = second.rest.cut(column(8, 4))
    assert (first.met, second.met, third.met) == (False, False, True)
    assert len(first.batch.payloads) == 4  # published whole
    assert second.rest == StreamStop(count=2)
    assert numbers(third.batch) == [8, 9]


def test_a_count_met_by_the_last_payload_keeps_the_batch_as_it_is() -> None:
    batch = column(0, 5)
    cut = StreamStop(count=5).cut(batch)
    assert cut.met and cut.batch is batch


def test_only_messages_count_not_comments_retry_errors_diagnostics_or_raw_chunks() -> None:
    batch = mixed(
        SseComment("heartbeat"), SseRetry(10), SseMessage("message", "a"), StreamDiagnostic("x"),
        NdjsonError("{bad", "not JSON"), BodyReceived(b"raw"), SseMessage("tick", "b"), SseComment("heartbeat"),
        JsonArrayItem({"c": 1}), SseComment("after"),
    )
    cut = StreamStop(count=3).cut(batch)
    assert cut.met
    assert cut.batch.payloads[-1] == JsonArrayItem({"c": 1})  # the third message, named events included
    assert len(cut.batch.payloads) == 9
    assert StreamStop(count=4).cut(batch) == StopCut(batch, False, StreamStop(count=1))


def test_an_sse_column_counts_each_message() -> None:
    batch = ParsedBatch(SseDatas("message", ["1", "2", "3"]), [1, 1, 1])
    cut = StreamStop(count=2).cut(batch)
    assert cut.met and [payload.data for payload in cut.batch.payloads] == ["1", "2"]


def test_a_jsonpath_filter_matches_an_object_message_and_cuts_after_it() -> None:
    cut = jsonpath_stop("$[?(@.i == 6)]").cut(column(0, 10))
    assert cut.met and numbers(cut.batch) == [0, 1, 2, 3, 4, 5, 6]
    assert not jsonpath_stop("$[?(@.i == 60)]").cut(column(0, 10)).met


def test_sse_data_that_is_not_json_never_matches_not_even_the_root() -> None:
    batch = mixed(SseMessage("message", "not json"), SseComment("{}"), SseMessage("message", '{"done": true}'))
    cut = jsonpath_stop("$").cut(batch)
    assert cut.met and len(cut.batch.payloads) == 3
    assert jsonpath_stop("$.done").cut(batch).batch.payloads[-1] == SseMessage("message", '{"done": true}')


def test_json_array_items_are_matched_by_value() -> None:
    batch = mixed(JsonArrayItem({"type": "delta"}), JsonArrayItem({"type": "done"}), JsonArrayItem({"type": "x"}))
    assert len(jsonpath_stop('$[?(@.type == "done")]').cut(batch).batch.payloads) == 2


@pytest.mark.parametrize("count", [1, 3, 7])
def test_the_websocket_condition_is_the_same_count(count: int) -> None:
    condition = StreamStop(count=count).condition()
    reads = [["a", "b"], ["c"], ["d", "e", "f"], ["g", "h"]]
    found = [condition(read) for read in reads]
    received = 0
    expected = []
    for read in reads:
        # the WebSocket's rule as it was: past the count, every message ends the run
        index = max(count - 1 - received, 0)
        received += len(read)
        expected.append(index if index < len(read) else None)
    assert found == expected


def test_the_websocket_condition_matches_json_text_and_bytes() -> None:
    condition = jsonpath_stop('$[?(@.type == "done")]').condition()
    assert condition(["nope", b'{"type": "delta"}']) is None
    assert condition([b'{"type": "done"}', "x"]) == 0


@pytest.mark.parametrize(("script", "words"), [
    (WsScript(until_count=0), "at least 1"),
    (WsScript(until_jsonpath="$[?("), "not a JSONPath"),
    (WsScript(until_count=2, duration=1.0), "choose one"),
    (WsScript(duration=0.0), "positive"),
    (WsScript(duration=float("nan")), "positive"),
])
def test_conditions_that_cannot_be_used_are_refused(script: WsScript, words: str) -> None:
    with pytest.raises(InvalidRun, match=words):
        script.stream_stop()


def test_no_condition_is_none_and_a_duration_is_not_a_stream_stop() -> None:
    assert WsScript().stream_stop() is None
    assert WsScript(duration=2.0).stream_stop() is None


def test_a_run_without_a_condition_never_imports_it() -> None:
    # Its dataclasses cost a plain `sluice run` about 7 M instructions at start-up.
    script = (
        "import asyncio, sys\n"
        "from app.model.http_request import HttpRequest\n"
        "from app.run import RequestRun, WsScript\n"
        "asyncio.run(RequestRun(HttpRequest('http://127.0.0.1:1/')).run())\n"
        "print('app.connections.stream_stop' in sys.modules)\n"
        "WsScript(until_count=1).stream_stop()\n"
        "print('app.connections.stream_stop' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["False", "True"]
