"""`--env NAME` naming no environment is an error everywhere: `sluice run`, `sluice test`, the TUI."""

from __future__ import annotations

from pathlib import Path

import pytest

REQUEST = 'name = "x"\nurl = "http://127.0.0.1:9/"\n'


@pytest.fixture
def loose_request(tmp_path: Path) -> Path:
    path = tmp_path / "x.toml"
    path.write_text(REQUEST)
    return path


@pytest.mark.parametrize("command", ["run", "test"])
def test_a_request_outside_a_collection_has_no_environments(sluice, loose_request: Path, command: str) -> None:
    result = sluice(command, str(loose_request), "--env", "staging")
    assert result.code != 0 and "no environment named 'staging'" in result.stdout + result.stderr and "no collection" in result.stdout + result.stderr


@pytest.mark.parametrize("command", ["run", "test"])
def test_an_unknown_environment_of_a_collection_lists_the_others(sluice, tmp_path: Path, command: str) -> None:
    (tmp_path / "collection.toml").write_text('name = "c"\n')
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "local.toml").write_text('base_url = "http://127.0.0.1:9"\n')
    (tmp_path / "x.toml").write_text(REQUEST)
    result = sluice(command, str(tmp_path / "x.toml"), "--env", "nope")
    assert result.code != 0 and "no environment named 'nope' (available: local)" in result.stdout + result.stderr


def test_a_url_has_no_environments(sluice) -> None:
    result = sluice("run", "http://127.0.0.1:9/", "--env", "staging")
    assert result.code == 2 and "--env staging" in result.stderr


def test_the_tui_refuses_an_unknown_environment_before_starting(sluice, tmp_path: Path) -> None:
    result = sluice(str(tmp_path), "--env", "nope")
    assert result.code == 2 and "no environment named 'nope' (available: none)" in result.stderr
    demo = sluice("--demo", "--env", "nope")
    assert demo.code == 2 and "(available: demo)" in demo.stderr
