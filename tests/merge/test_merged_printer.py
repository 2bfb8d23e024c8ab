"""`--merged` output: text on stdout as it arrives, reasoning and the summary on stderr."""

from __future__ import annotations

import io

from merge_recorded import sse_lines, sse_timeline
from test_merge_openai import chunk

from app.cli.merged_printer import MergedPrinter, metrics_summary
from app.events import SseMessage, TimelineEvent
from app.streams.merge import MergeEngine

STREAM = sse_timeline(sse_lines(
    chunk({"reasoning_content": "Think."}),
    chunk({"content": "Hel"}),
    chunk({"content": "lo"}),
    chunk({}, "stop"),
    {"object": "chat.completion.chunk", "choices": [], "usage": {"completion_tokens": 2}},
    "[DONE]",
))


def test_text_streams_to_stdout_batch_by_batch() -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    printer = MergedPrinter(stdout, stderr, color=False)
    printer.feed(STREAM[:3])
    assert (stdout.getvalue(), stderr.getvalue()) == ("Hel", "Think.\n")
    printer.feed(STREAM[3:])
    assert stdout.getvalue() == "Hello"
    reply = printer.finish()
    assert reply.text == "Hello" and stdout.getvalue() == "Hello\n"
    lines = stderr.getvalue().splitlines()
    assert lines[0] == "Think."
    assert lines[-1].startswith("ttfb 100ms · first token 110ms") and "2 tokens" in lines[-1]
    assert not any(line.startswith(("error", "incomplete")) for line in lines)


def test_binary_streams_color_and_problems_on_stderr() -> None:
    stdout, stderr = io.BytesIO(), io.BytesIO()
    printer = MergedPrinter(stdout, stderr, color=True, engine=MergeEngine("openai"))
    error = SseMessage("message", '{"error": {"type": "server_error", "message": "boom"}}')
    printer.feed([*STREAM[:3], TimelineEvent(9, 0.5, error)])
    printer.finish()
    err = stderr.getvalue().decode()
    assert stdout.getvalue() == b"Hel\n"
    assert "\x1b[2mThink." in err
    assert "error: server_error: boom" in err
    assert "incomplete: the stream reported an error" in err


def test_metrics_summary_wording() -> None:
    line = metrics_summary({"ttfb": 0.12, "ttft": 0.34, "duration": 1.52, "fragments": 120,
                            "fragments_per_second": 80.1, "gap_p50": 0.008, "gap_p95": 0.02, "gap_max": 1.2,
                            "stalls": 0, "stall_threshold": 2.0, "output_tokens": 45, "tokens_per_second": 38.5})
    assert line == ("ttfb 120ms · first token 340ms · total 1.52s · 120 fragments (80.1/s) · "
                    "gap p50 8ms p95 20ms max 1.20s · 0 stalls > 2s · 45 tokens (38.5 tok/s)")
