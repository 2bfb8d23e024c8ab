"""`sluice run` with saved request files: chaining through extracted variables, errors before sending."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = REPO_ROOT / "sample_collections" / "seed-apis"


def test_job_flow_chains_job_id_from_the_first_request_into_the_second(sluice):
    result = sluice("run", str(SEEDS / "job-1-start.toml"), str(SEEDS / "job-2-stream.toml"), "--demo", "--jsonl")
    assert result.code == 0, result.stderr
    assert "extracted job_id = job_" in result.stderr
    requests = [line for line in result.lines if line["kind"] == "request"]
    assert len(requests) == 2
    job_id = result.stderr.split("extracted job_id = ")[1].split()[0]
    assert f"job_id={job_id}" in requests[1]["url"]
    assert "api_key=****" in requests[1]["url"], "the api_key query parameter is masked in the output"
    events = [line["event"] for line in result.lines if line["kind"] == "sse"]
    assert events[-2:] == ["final", "usage"]


def test_unresolved_variable_is_named_and_nothing_is_sent(sluice):
    result = sluice("run", str(SEEDS / "job-2-stream.toml"), "--demo", "--jsonl")
    assert result.code == 1
    assert result.stdout == ""
    assert "job_id" in result.stderr and "URL" in result.stderr


def test_var_flag_fills_a_variable(sluice):
    result = sluice("run", str(SEEDS / "job-2-stream.toml"), "--demo", "--var", "job_id=job_unknown", "--jsonl")
    assert result.code == 0
    assert "error" in [line["event"] for line in result.lines if line["kind"] == "sse"]


def test_broken_request_file_is_named_with_its_line(sluice, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "x"\nurl = "http://127.0.0.1:9/"\nmethod = = "GET"\n')
    result = sluice("run", str(broken))
    assert result.code == 1
    assert "broken.toml" in result.stderr and ":3" in result.stderr


def test_export_then_import_curl_round_trips(sluice):
    exported = sluice("export", "curl", str(SEEDS / "diagnostic-chat.toml"), "--var", "base_url=http://127.0.0.1:9")
    assert exported.code == 0, exported.stderr
    command = exported.stdout.strip()
    assert command.startswith("curl ")
    assert "demo-token" not in command, "secrets are masked unless --reveal"
    revealed = sluice("export", "curl", str(SEEDS / "diagnostic-chat.toml"), "--var", "base_url=http://127.0.0.1:9", "--reveal")
    assert "demo-token" in revealed.stdout
    imported = sluice("import", "curl", revealed.stdout.strip(), "--keep-credentials")
    assert imported.code == 0, imported.stderr
    assert 'url = "http://127.0.0.1:9/v1/chats"' in imported.stdout
    assert 'method = "POST"' in imported.stdout
