"""`sluice test` against the real demo server: one line per assertion, exit codes, JUnit XML, chains."""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest

from app.assertions import AssertionChecker, Verdict
from app.model.http_request import HttpRequest
from app.model.toml_format import loads_request
from app.run import RequestRun

SAMPLES = Path(__file__).resolve().parents[2] / "app" / "sample_collections"

DRIP = """name = "Drip"
url = "{{base_url}}/sse/drip?n=4&interval=0"

[[expect]]
status = 200

[[expect]]
event = "message"
min_count = 4
max_count = 4
within_ms = 60000

[[expect]]
jsonpath = "$.i"
equals = 3

[[expect]]
no_errors = true
"""

FAILING = """name = "Not found"
url = "{{base_url}}/status/404"

[[expect]]
status = 200

[[expect]]
jsonpath = "$.error"
equals = "Not Found"
"""


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_passing_file_prints_one_line_per_assertion_and_exits_0(sluice, tmp_path: Path) -> None:
    path = _write(tmp_path, "drip.toml", DRIP)
    result = sluice("test", str(path), "--demo")
    assert result.code == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5  # status; the event table makes two (count, within); jsonpath; no_errors
    assert all(line.startswith("PASS") for line in lines)
    assert any("status = 200" in line and "(open)" in line for line in lines), "each result names its deciding event"


def test_a_failed_assertion_exits_1_and_junit_has_one_failure_per_assertion(sluice, tmp_path: Path) -> None:
    _write(tmp_path, "a-drip.toml", DRIP)
    _write(tmp_path, "b-missing.toml", FAILING)
    _write(tmp_path, "c-no-assertions.toml", 'url = "{{base_url}}/sse/drip"\n')
    report = tmp_path / "report.xml"
    result = sluice("test", str(tmp_path), "--demo", "--junit", str(report))
    assert result.code == 1
    assert "FAIL" in result.stdout and "status = 200" in result.stdout and "got 404" in result.stdout
    suites = ElementTree.parse(report).getroot()
    suite = suites.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == ["Drip", "Not found"], "a directory runs only requests with assertions"
    assert cases[0].find("failure") is None
    failures = cases[1].findall("failure")
    assert len(failures) == 1
    assert failures[0].get("message", "").startswith("status = 200: got 404")
    assert suite.get("failures") == "1" and suite.get("tests") == "2"


def test_a_request_that_cannot_be_made_exits_1(sluice, tmp_path: Path) -> None:
    path = _write(tmp_path, "x.toml", 'url = "http://127.0.0.1:9/nothing"\n\n[[expect]]\nstatus = 200\n')
    result = sluice("test", str(path))
    assert result.code == 1
    assert "connection refused" in result.stdout.lower() or "refused" in result.stdout


def test_usage_errors_exit_2(sluice, tmp_path: Path) -> None:
    assert sluice("test", str(tmp_path / "absent.toml")).code == 2
    assert sluice("test", str(tmp_path)).code == 2, "a directory without assertions is a usage error"


def test_extracted_variables_flow_to_the_next_request(sluice, tmp_path: Path) -> None:
    collection = tmp_path / "demo"
    shutil.copytree(SAMPLES, collection)
    start, stream = collection / "seed-apis" / "job-1-start.toml", collection / "seed-apis" / "job-2-stream.toml"
    start.write_text(start.read_text() + '\n[[expect]]\njsonpath = "$.job_id"\n')
    stream.write_text(stream.read_text() + '\n[[expect]]\nstatus = 200\n\n[[expect]]\nevent = "final"\nmin_count = 1\n')
    result = sluice("test", str(start), str(stream), "--demo")
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout.count("PASS") == 3


def test_a_websocket_test_ends_once_every_assertion_is_decided(sluice, tmp_path: Path) -> None:
    collection = tmp_path / "demo"
    shutil.copytree(SAMPLES, collection)
    chat = collection / "websocket" / "chat.toml"
    chat.write_text(chat.read_text() + '\n[[expect]]\nstatus = 101\n\n[[expect]]\nevent = "done"\nmin_count = 2\n')
    result = sluice("test", str(chat), "--demo", "--ws-duration", "60")
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout.count("PASS") == 2, "both saved messages were answered, then the test closed the socket"


@pytest.mark.asyncio
async def test_checker_decides_live_with_the_deciding_event(demo_server) -> None:
    definition = loads_request(DRIP.replace("{{base_url}}", demo_server.base_url))
    checker = AssertionChecker(definition.expect)
    decided_before_end: list[int] = []

    class Watch:
        def feed(self, events) -> None:
            decided_before_end.append(sum(result.verdict is not Verdict.PENDING for result in checker.results))

    await RequestRun(HttpRequest(url=definition.url), [checker, Watch()]).run()
    assert decided_before_end[-1] >= 2, "status and within_ms are decided before the stream ends"
    results = checker.finish()
    assert all(result.passed for result in results), results
    status = results[0]
    assert status.kind == "open" and status.seq == 1
