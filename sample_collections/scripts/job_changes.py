"""Merge script: JSON inside a JSON string (the async job seed, GET /v1/chat/{session}/stream).

`intermediate` events report progress (kept as reasoning); a `proposed_change` event's `content` is a
string that holds the change as JSON: its new HTML is the reply, its explanation more reasoning; the
`final` event ends the job."""

import json

finished = False


def on_event(event):
    global finished
    payload = event.json if isinstance(event.json, dict) else {}
    if event.event == "intermediate":
        return {"reasoning": payload.get("content", "") + "\n"}
    if event.event == "proposed_change":
        change = json.loads(payload["content"])  # the JSON inside the string
        return {"text": change["new_html"], "reasoning": change["ai_explanation"] + "\n"}
    if event.event == "final":
        finished = True
    return None


def on_end():
    return finished
