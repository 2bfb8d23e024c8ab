"""Literal credentials in a request (typed in the Auth tab, or from a pasted curl) move into `.env`."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.interop.curl_import import import_curl
from app.model.dotenv import parse_dotenv, store_secrets
from app.model.request_definition import Auth, AuthType, RequestDefinition
from app.model.secrets import (
    find_literal_credentials,
    literal_credentials,
    looks_like_secret,
    with_credentials_as_variables,
)


def _moved(definition: RequestDefinition, dotenv: Path) -> RequestDefinition:
    found = find_literal_credentials(definition)
    names = store_secrets(dotenv, [(item.variable, item.value) for item in found])
    return with_credentials_as_variables(definition, {item.where: name for item, name in zip(found, names)})


def test_a_pasted_bearer_header_keeps_its_scheme_and_the_token_goes_to_dotenv(tmp_path: Path) -> None:
    imported = import_curl("curl https://api.example/v1 -H 'Authorization: Bearer sk-abc123' -H 'X-Api-Key: k-1'")
    assert literal_credentials(imported.definition) == ["header Authorization", "header X-Api-Key"]
    moved = _moved(imported.definition, tmp_path / ".env")
    assert ("Authorization", "Bearer {{token}}") in moved.headers and ("X-Api-Key", "{{x_api_key}}") in moved.headers
    assert parse_dotenv((tmp_path / ".env").read_text()) == {"token": "sk-abc123", "x_api_key": "k-1"}
    assert literal_credentials(moved) == []


def test_curl_user_and_a_query_key_and_userinfo(tmp_path: Path) -> None:
    imported = import_curl("curl -u ann:s3cret 'https://bob:pw@api.example/v1?api_key=k9&q=1'")
    moved = _moved(imported.definition, tmp_path / ".env")
    assert moved.auth.username == "ann" and moved.auth.password == "{{password}}"
    assert moved.url == "https://bob:{{url_password}}@api.example/v1?api_key={{api_key}}&q=1"
    assert parse_dotenv((tmp_path / ".env").read_text()) == {"password": "s3cret", "url_password": "pw", "api_key": "k9"}


def test_auth_tab_fields_and_params() -> None:
    definition = RequestDefinition("r", "https://x/", params=(("access_token", "t-1"), ("q", "v")),
                                   auth=Auth(AuthType.API_KEY, key_name="X-Key", key_value="v-1"))
    found = {item.where: (item.variable, item.value) for item in find_literal_credentials(definition)}
    assert found == {"query parameter access_token": ("access_token", "t-1"), "auth key": ("X-Key", "v-1")}
    moved = with_credentials_as_variables(definition, {"query parameter access_token": "at", "auth key": "k"})
    assert moved.params == (("access_token", "{{at}}"), ("q", "v")) and moved.auth.key_value == "{{k}}"


def test_websocket_cookies_are_credentials_and_move_to_dotenv(tmp_path: Path) -> None:
    from app.model.request_definition import WebSocketSettings

    definition = RequestDefinition("ws", "ws://x/", websocket=WebSocketSettings(
        cookies=(("session", "sess-1"), ("theme", "{{theme}}"))))
    assert literal_credentials(definition) == ["cookie session"]
    moved = _moved(definition, tmp_path / ".env")
    assert moved.websocket.cookies == (("session", "{{session_cookie}}"), ("theme", "{{theme}}"))
    assert parse_dotenv((tmp_path / ".env").read_text()) == {"session_cookie": "sess-1"}
    assert literal_credentials(moved) == []


@pytest.mark.parametrize(("name", "value", "secret"), [
    ("token", "demo-token", True), ("api_key", "abc", True), ("password", "hunter2", True),
    ("openai", "sk-proj-Abc123", True), ("gh", "ghp_abcdef", True), ("db", "postgres://u:pw@db/x", True),
    ("token", "{{staging_token}}", False), ("max_tokens", "256", False), ("base_url", "http://127.0.0.1:8765", False),
    ("model", "gpt-4o-mini", False), ("secret", "", False), ("debug", "true", False),
])
def test_what_looks_like_a_secret(name: str, value: str, secret: bool) -> None:
    assert looks_like_secret(name, value) is secret
