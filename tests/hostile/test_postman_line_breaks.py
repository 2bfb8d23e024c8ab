"""A Postman export whose credential-like variable holds a line break `.env` cannot keep (U+2028, VT, FF,
NEL…) imports, without that variable and saying so: collection-level, it raised `ValueError` out of
`sluice import postman` as a traceback; folder-level, the whole folder was left out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.interop.postman_import import import_postman
from app.model.dotenv import parse_dotenv

_SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


@pytest.mark.parametrize("breaking", ["\u2028", "\x0b", "\x0c", "\x85", "\x1e"])
def test_the_variable_is_left_out_with_a_warning_and_the_rest_imports(tmp_path: Path, sluice, breaking: str) -> None:
    source = tmp_path / "export.json"
    source.write_text(json.dumps({
        "info": {"name": "x", "schema": _SCHEMA},
        "variable": [{"key": "api_key", "value": f"abc{breaking}EVIL=1"}, {"key": "token", "value": "sk-live-abc"}],
        "item": [{"name": "chat", "variable": [{"key": "secret", "value": f"s{breaking}X=2"}],
                  "item": [{"name": "one", "request": {"method": "GET", "url": "http://127.0.0.1:9/{{token}}"}}]}],
    }))
    result = sluice("import", "postman", str(source), "-o", str(tmp_path / "out"))
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "api_key" in result.stderr and "secret" in result.stderr and "line break" in result.stderr
    dotenv = parse_dotenv((tmp_path / "out" / ".env").read_text())
    assert dotenv == {"token": "sk-live-abc"}
    assert (tmp_path / "out" / "chat" / "one.toml").is_file()


def test_import_postman_itself_never_raises_for_it(tmp_path: Path) -> None:
    source = tmp_path / "export.json"
    source.write_text(json.dumps({"info": {"name": "x", "schema": _SCHEMA},
                                  "variable": [{"key": "password", "value": "a\u2029b"}], "item": []}))
    result = import_postman(source, tmp_path / "out")
    assert any("password" in warning for warning in result.warnings)
