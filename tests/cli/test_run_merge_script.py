"""Merge scripts through `sluice run`: the bundled examples against the demo server, `--merge-script`,
and the trust rule: a collection's script runs only with `--trust-scripts` (proved with a script that
would write a file when imported)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.demo.providers.script import REASONING, REPLY, TOOL_ARGUMENTS, TOOL_NAME

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_collections"
SCRIPTS = SAMPLES / "scripts"
TEST_SCRIPTS = REPO / "tests" / "merge" / "scripts"


def merged(result) -> dict:
    assert result.code == 0, result.stderr
    return next(line for line in result.lines if line["kind"] == "merged")


def test_plain_text_tokens_with_merge_script(demo_server, sluice) -> None:
    result = sluice("run", f"{demo_server.base_url}/text/tokens", "--merge-script", str(SCRIPTS / "plain_tokens.py"),
                    "--jsonl")
    line = merged(result)
    assert (line["profile"], line["text"], line["complete"]) == ("script", REPLY, True)
    assert line["script"]["used"] and line["script"]["problems"] == []


def test_xml_stream_with_merge_script_any_chunking(demo_server, sluice) -> None:
    result = sluice("run", f"{demo_server.base_url}/xml/stream", "--merge-script", str(SCRIPTS / "xml_stream.py"),
                    "--jsonl")
    line = merged(result)
    assert (line["text"], line["reasoning"], line["complete"]) == (REPLY, REASONING, True)
    assert line["tool_calls"] == [{"id": "call_1", "name": TOOL_NAME, "arguments": TOOL_ARGUMENTS}]


def test_merged_output_prints_the_scripted_text(demo_server, sluice) -> None:
    result = sluice("run", f"{demo_server.base_url}/text/tokens", "--merge-script", str(SCRIPTS / "plain_tokens.py"),
                    "--merged")
    assert result.code == 0, result.stderr
    assert result.stdout == REPLY + "\n"


def test_script_problems_are_shown_and_the_stream_goes_on(demo_server, sluice, tmp_path: Path) -> None:
    script = tmp_path / "fails.py"
    script.write_text("def on_event(event):\n    if event.data.startswith(' mild'):\n        raise KeyError('x')\n"
                      "    return event.data\n")
    result = sluice("run", f"{demo_server.base_url}/text/tokens", "--merge-script", str(script), "--merged")
    assert result.code == 0
    assert "script problem:" in result.stderr and "KeyError" in result.stderr and "' mild'" in result.stderr
    assert result.stdout.startswith("Paris is today:")


def test_merge_script_must_exist(sluice, demo_server) -> None:
    result = sluice("run", f"{demo_server.base_url}/text/tokens", "--merge-script", "nope.py", "--jsonl")
    assert result.code == 2 and "nope.py" in result.stderr


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """A copy of the sample collection, plus a request whose script would write a file when imported."""
    root = tmp_path / "samples"
    shutil.copytree(SAMPLES, root)
    shutil.copy(TEST_SCRIPTS / "writes_a_file.py", root / "scripts" / "writes_a_file.py")
    (root / "merge-scripts" / "marker.toml").write_text(
        'name = "Marker"\nmethod = "GET"\nurl = "{{base_url}}/text/tokens"\n\n'
        '[stream]\nparse_mode = "sse"\nmerge_script = "scripts/writes_a_file.py"\n'
    )
    return root


def test_untrusted_collection_runs_nothing_of_the_script(collection: Path, sluice, tmp_path: Path, monkeypatch) -> None:
    marker = tmp_path / "the-script-ran"
    monkeypatch.setenv("SLUICE_TEST_MARKER", str(marker))
    result = sluice("run", str(collection / "merge-scripts" / "marker.toml"), "--demo", "--jsonl")
    line = merged(result)
    assert not marker.exists()
    assert line["script"]["used"] is False and "--trust-scripts" in line["script"]["reason"]
    assert line["profile"] != "script"
    human = sluice("run", str(collection / "merge-scripts" / "marker.toml"), "--demo", "--merged")
    assert "--trust-scripts" in human.stderr and not marker.exists()


def test_trusted_collection_runs_its_script(collection: Path, sluice, tmp_path: Path, monkeypatch) -> None:
    marker = tmp_path / "the-script-ran"
    monkeypatch.setenv("SLUICE_TEST_MARKER", str(marker))
    result = sluice("run", str(collection / "merge-scripts" / "marker.toml"), "--demo", "--trust-scripts", "--jsonl")
    line = merged(result)
    assert marker.read_text() == "this script ran"
    assert (line["profile"], line["text"]) == ("script", REPLY + "[DONE]")


def test_sample_requests_with_trusted_scripts(collection: Path, sluice) -> None:
    for name, text in (("text-tokens.toml", REPLY), ("xml-stream.toml", REPLY)):
        line = merged(sluice("run", str(collection / "merge-scripts" / name), "--demo", "--trust-scripts", "--jsonl"))
        assert (line["text"], line["complete"]) == (text, True)


def test_folder_and_collection_name_a_script(collection: Path, sluice) -> None:
    """The job stream request names no script: its folder's `merge_script` applies (JSON in a string)."""
    folder = collection / "seed-apis" / "folder.toml"
    folder.write_text(folder.read_text() + 'merge_script = "scripts/job_changes.py"\n')
    result = sluice("run", str(collection / "seed-apis" / "job-1-start.toml"),
                    str(collection / "seed-apis" / "job-2-stream.toml"), "--demo", "--trust-scripts", "--jsonl")
    assert result.code == 0, result.stderr
    lines = [line for line in result.lines if line["kind"] == "merged"]
    stream = lines[-1]
    assert stream["profile"] == "script" and stream["complete"]
    assert stream["text"].startswith("<p>We process personal data only as the GDPR allows")
    assert "Added GDPR data processing requirements" in stream["reasoning"]
    collection_file = collection / "collection.toml"
    collection_file.write_text('merge_script = "scripts/plain_tokens.py"\n' + collection_file.read_text())
    folder.write_text(folder.read_text().replace('merge_script = "scripts/job_changes.py"\n', ""))
    line = merged(sluice("run", str(collection / "faults" / "sse-ids.toml"), "--demo", "--trust-scripts", "--jsonl"))
    assert line["script"]["path"] == "scripts/plain_tokens.py"
    assert json.dumps(line)  # the collection-wide script applies to a request that names none
