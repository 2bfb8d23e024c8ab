"""The seed APIs (diagnostic chat, async job, chat widget), WebSocket JSON messages, and HTTP error bodies."""

from __future__ import annotations

import json

from merge_recorded import merge, ndjson_timeline, sse_timeline

from app.events import BodyReceived, ResponseOpened, TimelineEvent
from app.ws_events import WsMessage, WsOpened


def named(*events: tuple[str, dict]) -> str:
    return "\n".join(f"event: {name}\ndata: {json.dumps(data)}\n" for name, data in events)


def chat_done(content: str) -> dict:
    return {"id": "resp_6e5d051505a0", "created_at": 1774530618, "is_complete": False,
            "conversation_id": "conv_e389786b611e", "output": {"type": "message", "content": content, "media": []},
            "findings": []}


def chat_stream(done_text: str) -> str:
    return named(
        ("delta", {"id": "resp_6e5d051505a0", "output": {"content": "Where is"}}),
        ("delta", {"id": "resp_6e5d051505a0", "output": {"content": " your headache located?"}}),
        ("done", chat_done(done_text)),
    )


def test_seed_chat_deltas_match_done() -> None:
    reply = merge(sse_timeline(chat_stream("Where is your headache located?")))
    assert reply.profile == "seed-chat"
    assert reply.text == "Where is your headache located?"
    assert reply.complete and reply.mismatch is None


def test_seed_chat_done_that_differs_is_a_mismatch() -> None:
    reply = merge(sse_timeline(chat_stream("Where is your headache?")))
    assert reply.text == "Where is your headache located?"
    assert reply.mismatch is not None and "character 22" in reply.mismatch


def test_seed_chat_diagnosis_has_only_done() -> None:
    done = {"id": "r", "created_at": 1, "is_complete": True, "conversation_id": "c",
            "output": {"type": "diagnosis", "diseases": [{"name": "Migraine"}], "recommendation": {"text": "Rest"}}}
    reply = merge(sse_timeline(named(("done", done))))
    assert "Migraine" in reply.text and reply.finish_reason == "diagnosis"
    assert reply.complete and reply.mismatch is None


def test_seed_chat_error_event() -> None:
    raw = chat_stream("x").split("event: done")[0] + named(
        ("error", {"error": {"code": "stream_error", "message": "An unexpected error occurred."}}))
    reply = merge(sse_timeline(raw))
    assert reply.errors == ("stream_error: An unexpected error occurred.",)
    assert not reply.complete


JOB_STREAM = named(
    ("intermediate", {"type": "intermediate", "content": "Analyzing document structure...", "sequence": 1}),
    ("proposed_change", {"type": "proposed_change", "sequence": 2, "content": json.dumps(
        {"change_id": "ch_1", "operation": "edit", "old_html": "<p>a</p>", "new_html": "<p>b</p>",
         "ai_explanation": "Shorter", "batch_id": "ch_1", "batch_total": 1})}),
    ("final", {"content": "I've made all sections more concise.",
               "result": {"response": "All sections are now concise.", "document_changes": {}, "usage": {"output_tokens": 7}}}),
    ("usage", {"monthly_used": 43, "monthly_limit": 500, "monthly_remaining": 457, "was_billable": True}),
)


def test_seed_job_stream() -> None:
    reply = merge(sse_timeline(JOB_STREAM))
    assert reply.profile == "seed-job"
    assert reply.reasoning == "Analyzing document structure...\n"
    assert reply.text == "All sections are now concise."
    change = reply.tool_calls[0]
    assert (change.id, change.name, change.arguments["operation"]) == ("ch_1", "proposed_change", "edit")
    assert reply.usage["monthly_used"] == 43 and reply.usage["output_tokens"] == 7
    assert reply.complete


def test_seed_job_error() -> None:
    reply = merge(sse_timeline(named(("error", {"error": "Request timed out"}))), profile="seed-job")
    assert reply.errors == ("Request timed out",) and not reply.complete


WIDGET = [
    {"type": "start", "conversationId": "j97ch2kj"},
    {"type": "token", "token": "We"},
    {"type": "token", "token": " are"},
    {"type": "token", "token": " a platform."},
]


def test_seed_widget_tokens_and_done() -> None:
    reply = merge(ndjson_timeline([*WIDGET, {"type": "done", "message": "We are a platform.", "conversationId": "j97ch2kj"}]))
    assert reply.profile == "seed-widget"
    assert (reply.text, reply.complete, reply.mismatch) == ("We are a platform.", True, None)


def test_seed_widget_mismatch_and_error() -> None:
    reply = merge(ndjson_timeline([*WIDGET, {"type": "done", "message": "We are a customer platform."}]))
    assert reply.mismatch is not None
    failed = merge(ndjson_timeline([*WIDGET, {"type": "error", "error": "Internal server error"}]))
    assert failed.errors == ("Internal server error",) and not failed.complete


def test_websocket_json_messages_use_the_same_profiles() -> None:
    frames = [WsMessage("send", "hi")] + [WsMessage("recv", json.dumps(line)) for line in WIDGET]
    frames.append(WsMessage("recv", json.dumps({"type": "done", "message": "We are a platform."})))
    frames.append(WsMessage("recv", "not json at all"))
    events = [TimelineEvent(0, 0.05, WsOpened(101, (), None))] + [
        TimelineEvent(i + 1, 0.1 + i / 100, frame) for i, frame in enumerate(frames)]
    reply = merge(events)
    assert (reply.profile, reply.text, reply.complete) == ("seed-widget", "We are a platform.", True)


def test_http_error_body_is_reported() -> None:
    events = [
        TimelineEvent(0, 0.1, ResponseOpened(401, "HTTP/1.1", (("content-type", "application/json"),))),
        TimelineEvent(1, 0.2, BodyReceived(b'{"error":"Unauthorized"}')),
    ]
    reply = merge(events)
    assert reply.errors == ("HTTP 401: Unauthorized",) and not reply.complete


def test_unrecognised_stream_keeps_going_with_a_note() -> None:
    reply = merge(sse_timeline("data: hello\n\ndata: world\n"))
    assert reply.profile == "none" and reply.text == ""
    assert reply.complete and any("no known stream format" in note for note in reply.notes)
