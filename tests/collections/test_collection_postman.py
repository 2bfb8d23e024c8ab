"""Postman v2.1 import: folders, requests, variables, auth and bodies become a loadable Sluice collection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.interop.postman_import import PostmanImportError, import_postman
from app.model.collection import Folder, load_collection
from app.model.request_definition import AuthType, BodyType
from app.model.resolve import resolve_http
from app.model.scopes import scopes_for
from app.model.storage import SaveConflict

POSTMAN = {
    "info": {"name": "Chat API", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
    "variable": [{"key": "base_url", "value": "http://127.0.0.1:8765"}],
    "item": [
        {
            "name": "Streaming",
            "item": [
                {
                    "name": "Chat stream",
                    "request": {
                        "method": "POST",
                        "header": [{"key": "Accept", "value": "text/event-stream"}, {"key": "X-Off", "value": "1", "disabled": True}],
                        "url": {"raw": "{{base_url}}/v1/chats?fail=1", "host": ["{{base_url}}"]},
                        "body": {"mode": "raw", "raw": "{\"input\": \"hi\"}", "options": {"raw": {"language": "json"}}},
                        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}]},
                    },
                },
                {"name": "Chat stream", "request": "{{base_url}}/status/200"},
            ],
        },
        {
            "name": "Login form",
            "request": {
                "method": "POST",
                "url": "{{base_url}}/login",
                "body": {"mode": "urlencoded", "urlencoded": [{"key": "user", "value": "ann"}]},
                "auth": {"type": "apikey", "apikey": [{"key": "key", "value": "api_key"}, {"key": "value", "value": "{{api_key}}"}, {"key": "in", "value": "query"}]},
            },
        },
        {"name": "Upload", "request": {"method": "POST", "url": "{{base_url}}/up", "body": {"mode": "formdata", "formdata": []}}},
    ],
}


def test_postman_collection_becomes_a_sluice_collection(tmp_path: Path) -> None:
    source = tmp_path / "chat.postman_collection.json"
    source.write_text(json.dumps(POSTMAN))
    result = import_postman(source, tmp_path / "chat")
    assert result.warnings == ("Upload: body mode 'formdata' is not supported; left out",)
    collection = load_collection(tmp_path / "chat")
    assert collection.broken_files() == [] and collection.name == "Chat API"
    assert collection.variables == (("base_url", "http://127.0.0.1:8765"),)
    folder = collection.children[0]
    assert isinstance(folder, Folder) and folder.name == "Streaming"
    assert [node.path.name for node in folder.children] == ["chat-stream.toml", "chat-stream-2.toml"]
    chat = folder.children[0].definition
    assert chat.headers == (("Accept", "text/event-stream"),)
    assert chat.body.type is BodyType.JSON and chat.auth.type is AuthType.BEARER
    login = collection.find(tmp_path / "chat" / "login-form.toml").definition
    scopes = scopes_for(collection, None, run={"api_key": "k"}, os_env={})
    sent = resolve_http(login, scopes)
    assert sent.url == "http://127.0.0.1:8765/login" and sent.params == (("api_key", "k"),) and sent.body == b"user=ann"


def test_postman_import_never_overwrites_and_rejects_other_files(tmp_path: Path) -> None:
    source = tmp_path / "c.json"
    source.write_text(json.dumps(POSTMAN))
    import_postman(source, tmp_path / "out")
    with pytest.raises(SaveConflict):
        import_postman(source, tmp_path / "out")
    source.write_text('{"openapi": "3.0.0"}')
    with pytest.raises(PostmanImportError, match="not a Postman collection"):
        import_postman(source, tmp_path / "other")
