"""Merge scripts through the engine: plain-text tokens, JSON inside a string, an XML stream, every kind
of mistake a script makes (shown with its event, the stream goes on), a slow script, untrusted scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from merge_recorded import sse_timeline, timeline

from app.events import BodyReceived, SseMessage, TimelineEvent
from app.streams.merge import MergeEngine
from app.streams.merge.script import MergeScriptSpec, script_fingerprint

SCRIPTS = Path(__file__).parent / "scripts"
EXAMPLES = Path(__file__).resolve().parents[2] / "sample_collections" / "scripts"
"""The worked examples of the README, shipped with the sample collection."""


def spec(name: str, trusted: bool = True, reason: str = "") -> MergeScriptSpec:
    folder = EXAMPLES if (EXAMPLES / name).is_file() else SCRIPTS
    return MergeScriptSpec(folder / name, f"scripts/{name}", trusted, reason)


def merged(name: str, events: list[TimelineEvent], **kwargs: object):
    engine = MergeEngine(script=spec(name), **kwargs)  # type: ignore[arg-type]
    engine.feed(events)
    return engine.finish()


PLAIN = "data: Hel\n\ndata: lo, \n\ndata: world\n\ndata: [DONE]\n"


def test_plain_text_tokens() -> None:
    reply = merged("plain_tokens.py", sse_timeline(PLAIN))
    assert (reply.profile, reply.text, reply.complete) == ("script", "Hello, world", True)
    assert reply.script is not None and reply.script.used and reply.script.problems == ()
    assert reply.to_json()["script"] == {"path": "scripts/plain_tokens.py", "used": True, "reason": None,
                                         "problems": [], "problem_count": 0}


def test_plain_text_without_the_end_marker_is_incomplete() -> None:
    reply = merged("plain_tokens.py", sse_timeline("data: Hel\n\ndata: lo\n"))
    assert reply.text == "Hello" and not reply.complete


def test_json_in_a_string() -> None:
    change = {"new_html": "<p>New</p>", "ai_explanation": "Shorter"}
    raw = (
        'event: intermediate\ndata: {"type": "intermediate", "content": "Reading"}\n\n'
        f'event: proposed_change\ndata: {json.dumps({"type": "proposed_change", "content": json.dumps(change)})}\n\n'
        'event: final\ndata: {"content": "Done"}\n'
    )
    reply = merged("job_changes.py", sse_timeline(raw))
    assert (reply.text, reply.reasoning) == ("<p>New</p>", "Reading\nShorter\n")
    assert reply.complete


def test_xml_stream_from_a_plain_body() -> None:
    # Chunks cut mid-element and several elements in one chunk: the example's pull parser copes.
    body = ['<think>Weather? </think><tok', 'en>It is </token>', '<token>sunny.</token><call id="c1" ',
            'name="get_weather">{"city": "Oslo"}</call>', '<done/>']
    events = timeline([BodyReceived(part.encode()) for part in body], content_type="application/xml")
    reply = merged("xml_stream.py", events)
    assert (reply.reasoning, reply.text, reply.complete) == ("Weather? ", "It is sunny.", True)
    (call,) = reply.tool_calls
    assert (call.id, call.name, call.arguments) == ("c1", "get_weather", {"city": "Oslo"})


def test_mistakes_are_reported_with_their_event_and_the_stream_goes_on() -> None:
    raw = "data: a\n\ndata: boom\n\ndata: b\n\ndata: number\n\ndata: typo\n\ndata: c\n"
    reply = merged("misbehaves.py", sse_timeline(raw))
    assert reply.text == "abc"
    assert reply.script is not None and reply.script.problem_count == 3
    boom, number, typo = reply.script.problems
    assert boom.startswith("scripts/misbehaves.py: on_event raised ZeroDivisionError: division by zero at event #2 (sse")
    assert "'boom'" in boom
    assert "returned int; expected None, a str or a dict at event #4" in number
    assert "unknown key(s) 'txt'" in typo and "#5" in typo


def test_a_script_that_does_not_load_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("def on_event(event):\n    return (\n")
    engine = MergeEngine(script=MergeScriptSpec(broken, "broken.py", True))
    engine.feed(sse_timeline("data: x\n"))
    reply = engine.finish()
    assert reply.script is not None and not reply.script.used
    assert reply.script.reason is not None and "not used: loading it raised SyntaxError" in reply.script.reason
    no_function = tmp_path / "nothing.py"
    no_function.write_text("x = 1\n")
    reply = MergeEngine(script=MergeScriptSpec(no_function, "nothing.py", True)).finish()
    assert reply.script is not None and "defines no on_event" in (reply.script.reason or "")


def test_a_script_changed_after_it_was_trusted_does_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    script = tmp_path / "s.py"
    script.write_text("def on_event(event):\n    return event.data\n")
    trusted_with = script_fingerprint(script.read_bytes())
    script.write_text(f"open({str(marker)!r}, 'w').write('ran')\ndef on_event(event):\n    return 'evil'\n")
    engine = MergeEngine(script=MergeScriptSpec(script, "s.py", True, fingerprint=trusted_with))
    engine.feed(sse_timeline("data: x\n"))
    reply = engine.finish()
    assert not marker.exists() and reply.text == ""
    assert reply.script is not None and "changed after it was trusted" in (reply.script.reason or "")


def test_an_untrusted_script_never_runs_and_the_merge_still_works(tmp_path: Path, monkeypatch) -> None:
    marker = tmp_path / "ran"
    monkeypatch.setenv("SLUICE_TEST_MARKER", str(marker))
    raw = 'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n'
    engine = MergeEngine(script=spec("writes_a_file.py", trusted=False, reason="run with --trust-scripts"))
    engine.feed(sse_timeline(raw))
    reply = engine.finish()
    assert not marker.exists()
    assert (reply.profile, reply.text) == ("openai", "Hi")
    assert reply.script is not None and not reply.script.used and reply.script.reason == "run with --trust-scripts"


def test_a_slow_script_does_not_hold_the_stream_up() -> None:
    """`feed` hands events over and returns at once; the reply catches up, and `finish` waits for it."""
    events = sse_timeline("".join(f"data: {n}\n\n" for n in range(20)))
    engine = MergeEngine(script=spec("slow.py"))
    engine.feed(events)  # 20 events x 50 ms in the script; feed must not wait for them
    assert engine.script_pending
    reply = engine.finish()
    assert reply.text == "".join(str(n) for n in range(20)) and not engine.script_pending


def test_a_script_still_busy_at_the_end_is_reported() -> None:
    events = sse_timeline("".join(f"data: {n}\n\n" for n in range(40)))
    engine = MergeEngine(script=spec("slow.py"), script_wait=0.0)
    engine.feed(events)
    reply = engine.finish()
    assert reply.script is not None and any("still busy" in problem for problem in reply.script.problems)


def test_events_reach_the_script_with_every_field(tmp_path: Path) -> None:
    script = tmp_path / "fields.py"
    script.write_text("def on_event(e):\n    return repr((e.kind, e.event, e.data, e.id, e.json, e.seq)) + ';'\n")
    events = [TimelineEvent(5, 0.25, SseMessage("delta", '{"a": 1}', "7"))]
    reply = merged_path(script, events)
    assert reply.text == "('sse', 'delta', '{\"a\": 1}', '7', {'a': 1}, 5);"


def merged_path(path: Path, events: list[TimelineEvent]):
    engine = MergeEngine(script=MergeScriptSpec(path, path.name, True))
    engine.feed(events)
    return engine.finish()


@pytest.mark.parametrize("cuts", [[1], [2, 4], [3]])
def test_batching_does_not_change_the_reply(cuts: list[int]) -> None:
    events = sse_timeline(PLAIN)
    engine = MergeEngine(script=spec("plain_tokens.py"))
    start = 0
    for cut in [*cuts, len(events)]:
        engine.feed(events[start:cut])
        start = cut
    assert engine.finish().text == "Hello, world"  # finish waits for the script's thread
