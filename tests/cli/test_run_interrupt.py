"""Ctrl+C (SIGINT) and SIGTERM on `sluice run`: the stream ends `cancelled` and nothing is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "run", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "NO_COLOR": "1"},
        # SIGINT as a terminal sends it, even where the test runner's own shell ignores it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _first_event(process: subprocess.Popen[str], kind: str) -> list[str]:
    """Lines read until the first one of `kind`: the run is then surely streaming."""
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if json.loads(line)["kind"] == kind:
            return lines
    raise AssertionError(f"the run ended before a {kind} event: {lines}")


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_ends_an_endless_stream_with_its_closing_lines_and_recording(demo_server, tmp_path, signal_number):
    recording = tmp_path / "stream.jsonl"
    process = _start(
        f"{demo_server.base_url}/sse/drip?n=100000&interval=0.05", "--jsonl", "--record", str(recording)
    )
    lines = _first_event(process, "sse")
    process.send_signal(signal_number)
    rest, stderr = process.communicate(timeout=60)
    kinds = [json.loads(line)["kind"] for line in lines + rest.splitlines()]
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert kinds[-3:] == ["close", "merged", "metrics"]
    assert json.loads(rest.splitlines()[-3])["reason"] == "cancelled"
    assert recording.stat().st_size > 0  # the recording was written, not lost with the process



def test_a_signal_ends_a_chain_of_request_files_at_the_step_it_stopped(demo_server, tmp_path):
    endless = tmp_path / "endless.toml"
    endless.write_text(f'name = "endless"\nurl = "{demo_server.base_url}/sse/drip?n=100000&interval=0.05"\n')
    after = tmp_path / "after.toml"
    after.write_text(f'name = "after"\nurl = "{demo_server.base_url}/sse/drip?n=1"\n')
    process = _start(str(endless), str(after), "--jsonl")
    lines = _first_event(process, "sse")
    process.send_signal(signal.SIGINT)
    rest, stderr = process.communicate(timeout=60)
    events = [json.loads(line) for line in lines + rest.splitlines()]
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert [event["kind"] for event in events].count("request") == 1  # the second file never ran
    assert [event["reason"] for event in events if event["kind"] == "close"] == ["cancelled"]
