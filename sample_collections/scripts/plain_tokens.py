"""Merge script: plain-text tokens. Each SSE `data:` line is the next piece of the reply
(`data: Hel`, `data: lo`), and `data: [DONE]` says the reply is whole.

Used by merge-scripts/text-tokens.toml against the demo's GET /text/tokens."""

finished = False


def on_event(event):
    global finished
    if event.data == "[DONE]":
        finished = True
        return None  # adds nothing
    return event.data  # a str is text, appended to the reply


def on_end():
    return finished  # truthy: the reply is complete
