"""Merge script: an XML stream (the demo's GET /xml/stream, `application/xml`).

The body is a run of elements, `<think>`, `<token>`, `<call id name>` (JSON arguments) and `<done/>`,
cut into chunks wherever the network cut it: a pull parser fed every chunk sees whole elements
whatever the chunking."""

import xml.etree.ElementTree as ET

parser = ET.XMLPullParser(events=("start", "end"))
parser.feed("<stream>")  # one root around the elements, so they parse as one document
depth = 0
finished = False


def on_event(event):
    global depth, finished
    parser.feed(event.data)
    result = {}
    for kind, element in parser.read_events():
        if kind == "start":
            depth += 1
            continue
        depth -= 1
        if depth != 1:
            continue
        if element.tag == "token":
            result["text"] = result.get("text", "") + (element.text or "")
        elif element.tag == "think":
            result["reasoning"] = result.get("reasoning", "") + (element.text or "")
        elif element.tag == "call":
            result["tool_call"] = {"id": element.get("id"), "name": element.get("name"),
                                   "arguments": element.text or "", "done": True}
        elif element.tag == "done":
            finished = True
    return result or None


def on_end():
    return finished
