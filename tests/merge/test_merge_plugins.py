"""Profile plugins: a tiny package in tests/merge/plugin_site (a module and its `.dist-info` with an
`entry_points.txt`), put on the path of a real `sluice run`: forced by name, detected, listed in
`--profile` help; its broken siblings are reported and skipped, never fatal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.demo.providers.script import REPLY

REPO = Path(__file__).resolve().parents[2]
SITE = Path(__file__).parent / "plugin_site"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(SITE)]), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, timeout=60)


def merged(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.returncode == 0, result.stderr
    return next(line for line in map(json.loads, result.stdout.splitlines()) if line["kind"] == "merged")


def test_plugin_forced_by_name(demo_server) -> None:
    line = merged(run("run", f"{demo_server.base_url}/text/tokens", "--profile", "acme", "--jsonl"))
    assert (line["profile"], line["text"], line["complete"]) == ("acme", REPLY, True)


def test_plugin_detects_its_format(demo_server) -> None:
    result = run("run", f"{demo_server.base_url}/text/tokens", "--merged")
    assert result.returncode == 0, result.stderr
    assert result.stdout == REPLY + "\n"


def test_broken_plugins_are_reported_and_skipped(demo_server) -> None:
    """A stream no profile recognises makes every plugin be asked: the broken ones are notes."""
    result = run("run", f"{demo_server.base_url}/ndjson/flood?n=3", "--merged")
    assert result.returncode == 0, result.stderr
    assert "merge profile plugin 'wrong-type' skipped: sluice_acme:NOT_A_PROFILE is not a MergeProfile subclass" in result.stderr
    assert "merge profile plugin 'missing' skipped: cannot load sluice_acme_missing:Profile: ModuleNotFoundError" in result.stderr


def test_a_broken_plugin_asked_for_by_name_is_a_usage_error(demo_server) -> None:
    result = run("run", f"{demo_server.base_url}/text/tokens", "--profile", "missing", "--jsonl")
    assert result.returncode == 2
    assert "merge profile plugin 'missing' is broken: cannot load" in result.stderr


def test_plugins_are_listed_in_profile_help() -> None:
    result = run("run", "--help")
    assert result.returncode == 0
    assert "acme" in result.stdout and "wrong-type" in result.stdout


def test_built_in_formats_never_load_plugins(demo_server) -> None:
    body = json.dumps({"stream": True, "messages": []})
    line = merged(run("run", f"{demo_server.base_url}/v1/chat/completions", "--json", body, "--jsonl"))
    assert line["profile"] == "openai" and line["complete"]
