"""`sluice import curl` / `sluice export curl` command functions."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from app.cli.collection_commands import export_curl_command, import_curl_command
from app.model.toml_format import loads_request


def test_import_to_stdout_from_stdin_with_warnings() -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    command = "curl --frob -H 'Authorization: Bearer sk-1' -d a=1 http://127.0.0.1:1/x\n"
    assert import_curl_command("-", None, stdin=io.StringIO(command), stdout=stdout, stderr=stderr,
                               keep_credentials=True) == 0
    definition = loads_request(stdout.getvalue())
    assert definition.method == "POST" and definition.body.content == "a=1"
    assert "--frob ignored" in stderr.getvalue() and "literal credentials (header Authorization)" in stderr.getvalue()


def test_import_writes_a_file_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "req.toml"
    stderr = io.StringIO()
    assert import_curl_command("curl http://127.0.0.1:1/a", target, stderr=stderr) == 0
    before = target.read_bytes()
    assert import_curl_command("curl http://127.0.0.1:1/b", target, stderr=stderr) == 1
    assert target.read_bytes() == before and "already exists" in stderr.getvalue()
    assert import_curl_command("not curl", target, stderr=stderr) == 2


def test_export_resolves_collection_variables_and_masks_secrets(tmp_path: Path) -> None:
    (tmp_path / "collection.toml").write_text('default_environment = "dev"\n')
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments/dev.toml").write_text('base_url = "http://127.0.0.1:9"\n')
    (tmp_path / ".env").write_text("token=sk-secret\n")
    request = tmp_path / "api" / "r.toml"
    request.parent.mkdir()
    request.write_text('method = "POST"\nurl = "{{base_url}}/x"\n[auth]\ntype = "bearer"\ntoken = "{{token}}"\n'
                       '[body]\ntype = "json"\ncontent = "{}"\n')
    stdout = io.StringIO()
    assert export_curl_command(request, reveal=False, stdout=stdout) == 0
    assert "http://127.0.0.1:9/x" in stdout.getvalue() and "Bearer ****" in stdout.getvalue()
    assert "sk-secret" not in stdout.getvalue()
    revealed = io.StringIO()
    assert export_curl_command(request, reveal=True, stdout=revealed) == 0
    assert "Bearer sk-secret" in revealed.getvalue()


def test_export_reports_unresolved_variables_and_broken_files(tmp_path: Path) -> None:
    request = tmp_path / "r.toml"
    request.write_text('url = "{{nowhere}}/x"\n')
    stderr = io.StringIO()
    assert export_curl_command(request, reveal=False, variables={}, stdout=io.StringIO(), stderr=stderr) == 1
    assert "{{nowhere}}" in stderr.getvalue() and "URL" in stderr.getvalue()
    request.write_text("url = [\n")
    assert export_curl_command(request, reveal=False, stdout=io.StringIO(), stderr=stderr) == 1
    assert "r.toml:" in stderr.getvalue()


def test_model_and_interop_import_without_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['textual'] = None\n"
        "import app.model.collection, app.model.resolve, app.run.extraction, app.interop.curl_import, app.interop.curl_export"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def _collection(root: Path, variables: str = "") -> Path:
    (root / "environments").mkdir(parents=True)
    (root / "collection.toml").write_text(f'name = "c"\n{variables}', encoding="utf-8")
    (root / "environments" / "dev.toml").write_text('api_key = "{{dev_api_key}}"\n', encoding="utf-8")
    return root


CREDENTIALS = ("curl -u alice:s3cret-pass -H 'Cookie: sid=c00kie-value' -H 'X-Api-Key: k3y-value' "
               "'http://127.0.0.1:1/x?access_token=t0ken-value'")


def test_credentials_go_to_the_collections_dotenv_and_the_file_keeps_references(tmp_path: Path) -> None:
    root = _collection(tmp_path / "c", 'variables = { password = "not the one" }\n')
    (root / "api").mkdir()
    target = root / "api" / "x.toml"
    stderr = io.StringIO()
    assert import_curl_command(CREDENTIALS, target, stderr=stderr) == 0
    text = target.read_text(encoding="utf-8")
    for secret in ("s3cret-pass", "c00kie-value", "k3y-value", "t0ken-value"):
        assert secret not in text and secret not in stderr.getvalue()
    dotenv = (root / ".env").read_text(encoding="utf-8")
    assert all(secret in dotenv for secret in ("s3cret-pass", "c00kie-value", "k3y-value", "t0ken-value"))
    assert "moved to" in stderr.getvalue() and "auth password as {{password_2}}" in stderr.getvalue()
    assert "{{x_api_key_2}}" not in text and "{{api_key" not in text  # names other scopes define are avoided
    # The references resolve to exactly what the command sent.
    exported = io.StringIO()
    assert export_curl_command(target, reveal=True, stdout=exported, stderr=io.StringIO()) == 0
    basic = base64.b64encode(b"alice:s3cret-pass").decode()
    for piece in (f"Basic {basic}", "Cookie: sid=c00kie-value", "X-Api-Key: k3y-value", "access_token=t0ken-value"):
        assert piece in exported.getvalue()


def test_where_no_dotenv_is_read_credentials_are_written_only_when_asked(tmp_path: Path) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    assert import_curl_command(CREDENTIALS, None, stdout=stdout, stderr=stderr) == 2
    assert stdout.getvalue() == "" and "--keep-credentials" in stderr.getvalue() and "stdout" in stderr.getvalue()
    loose = tmp_path / "loose.toml"
    assert import_curl_command(CREDENTIALS, loose, stderr=stderr) == 2
    assert not loose.exists() and "in no collection" in stderr.getvalue()
    assert import_curl_command(CREDENTIALS, loose, stderr=stderr, keep_credentials=True) == 0
    assert "s3cret-pass" in loose.read_text(encoding="utf-8")


def test_an_existing_file_is_refused_before_dotenv_is_touched(tmp_path: Path) -> None:
    root = _collection(tmp_path / "c")
    target = root / "x.toml"
    target.write_text('url = "http://127.0.0.1:1/"\n', encoding="utf-8")
    stderr = io.StringIO()
    assert import_curl_command(CREDENTIALS, target, stderr=stderr) == 1
    assert "already exists" in stderr.getvalue() and not (root / ".env").exists()
