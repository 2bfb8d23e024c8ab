"""A secret variable's value is masked wherever a request is shown or exported, whatever holds it.

Masking went by name only: `X-Custom: {{token}}`, `/v1/{{api_key}}/chat` or a JSON body's
`"opaque": "{{token}}"` showed the `.env` value in clear in `--jsonl`, the request line, HAR, recordings,
`sluice export curl` and the TUI's Headers tab. Now every value `variable_report` calls secret (from
`.env` or `$env`, a credential's name or shape, used where credentials go) is remembered when the request
is resolved and masked everywhere, unless `--reveal`. Well-known key shapes (`sk-…`) and a value with an
auth scheme (`Bearer …`) are masked in any header or URL, variable or not.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from raw_loopback_server import RawServer, http_response

from app.events import RequestSent
from app.model.collection import load_collection
from app.model.request_definition import RequestDefinition
from app.model.resolve import resolve_http
from app.model.scopes import scopes_for
from app.model.secrets import (
    KNOWN_SECRETS,
    is_secret_header,
    is_secret_param,
    mask_body,
    mask_header,
    mask_url,
    masked_payload,
)
from app.model.toml_format import loads_request

SECRET = "opaque+value/2024"
"""From `.env`; a `+` and a `/` so that its percent-encoded forms are masked too."""
KEY = "sk-proj-0123456789abcdefghijklmn"


@pytest.fixture(autouse=True)
def forget_known_secrets() -> Iterator[None]:
    KNOWN_SECRETS.forget()
    yield
    KNOWN_SECRETS.forget()


@pytest.fixture
def collection(tmp_path: Path, raw_server: RawServer) -> Path:
    raw_server.routes["/v1/opaque+value/2024/chat"] = http_response("200 OK", [("Content-Type", "text/plain")], b"ok")
    raw_server.routes["/v1/opaque%2Bvalue/2024/chat"] = raw_server.routes["/v1/opaque+value/2024/chat"]
    (tmp_path / "collection.toml").write_text('name = "c"\n')
    (tmp_path / ".env").write_text(f"opaque={SECRET}\n")
    (tmp_path / "chat.toml").write_text(
        'method = "POST"\n'
        f'url = "{raw_server.base_url}/v1/{{{{opaque}}}}/chat?note={{{{opaque}}}}"\n'
        '[headers]\nX-Custom = "{{opaque}}"\nX-Upstream = "Bearer {{opaque}}"\n'
        "[body]\ntype = \"json\"\ncontent = '{\"nested\": {\"opaque\": \"{{opaque}}\"}}'\n"
    )
    return tmp_path / "chat.toml"


def _definition(text: str) -> RequestDefinition:
    return loads_request(text)


def test_resolving_remembers_the_secret_and_every_view_masks_it(collection: Path) -> None:
    tree = load_collection(collection.parent)
    request = resolve_http(_definition(collection.read_text()), scopes_for(tree, collection, ""))
    sent = RequestSent("POST", request.full_url, request.headers, len(request.body or b""))
    shown = masked_payload(sent)
    assert isinstance(shown, RequestSent)
    assert "opaque" not in shown.url.replace("opaque}}", "") and "2024" not in shown.url
    assert dict(shown.headers)["X-Custom"] == "****" and dict(shown.headers)["X-Upstream"] == "Bearer ****"
    assert b"2024" not in mask_body(request.body or b"", "application/json")
    assert mask_url("http://h/x?v=opaque%2Bvalue%2F2024") == "http://h/x?v=****"


def test_sluice_run_jsonl_and_the_request_line_mask_it(collection: Path, sluice) -> None:
    jsonl = sluice("run", str(collection), "--jsonl")
    (request,) = [line for line in jsonl.lines if line["kind"] == "request"]
    assert SECRET not in json.dumps(request) and "opaque%2B" not in json.dumps(request)
    assert "/v1/****/chat" in request["url"]
    human = sluice("run", str(collection))
    assert "2024" not in human.stdout and "/v1/****/chat" in human.stdout


def test_har_and_recordings_mask_it_unless_revealed(collection: Path, tmp_path: Path, sluice) -> None:
    har, recording = tmp_path / "out.har", tmp_path / "out.jsonl"
    assert sluice("run", str(collection), "--har", str(har), "--record", str(recording)).code == 0
    for written in (har, recording):
        text = written.read_text()
        assert "2024" not in text and "opaque%2B" not in text, written.name
    assert sluice("run", str(collection), "--har", str(har), "--reveal").code == 0
    assert "opaque+value/2024" in har.read_text() or "opaque%2Bvalue" in har.read_text()


def test_export_curl_masks_it_unless_revealed(collection: Path, sluice) -> None:
    masked = sluice("export", "curl", str(collection))
    assert masked.code == 0 and "2024" not in masked.stdout and "X-Custom: ****" in masked.stdout
    revealed = sluice("export", "curl", str(collection), "--reveal")
    assert "opaque+value/2024" in revealed.stdout


def test_short_plain_and_number_values_are_not_masked_by_value() -> None:
    KNOWN_SECRETS.remember(["chat", "12345678", "true"])
    assert mask_url("http://h/chat/12345678?x=true") == "http://h/chat/12345678?x=true"


def test_the_known_secrets_are_bounded() -> None:
    KNOWN_SECRETS.remember(f"secret-number-{index}" for index in range(KNOWN_SECRETS.LIMIT * 2))
    assert mask_url("http://h/secret-number-0") == "http://h/secret-number-0"  # the oldest is forgotten
    assert mask_url(f"http://h/secret-number-{KNOWN_SECRETS.LIMIT * 2 - 1}") == "http://h/****"


@pytest.mark.parametrize("name", ["X-Auth", "X-Goog-Api-Key", "api-key", "Ocp-Apim-Subscription-Key", "X-Amz-Credential",
                                  "X-Hub-Signature-256", "X-Passwd", "X-Pwd", "X-Vault-Token", "X-Jwt"])
def test_unusual_credential_header_names_are_masked(name: str) -> None:
    assert is_secret_header(name)
    assert mask_header(name, "opaque-123") == "****"


@pytest.mark.parametrize("name", ["X-Session-Id", "Keep-Alive", "X-Authenticated-Via", "Monkey", "Accept"])
def test_ordinary_header_names_are_not(name: str) -> None:
    assert not is_secret_header(name)


def test_parameter_names_widened_sensibly() -> None:
    assert all(map(is_secret_param, ["passwd", "pwd", "auth", "X-Amz-Credential", "credentials", "jwt"]))
    assert not any(map(is_secret_param, ["session_id", "state", "zipcode", "author", "monkey", "code"]))
    # An OAuth code is masked where it is one: in the URL a redirect sends the client to.
    assert mask_header("Location", "https://app/cb?code=abc123&state=s1") == "https://app/cb?code=****&state=s1"
    assert mask_url("https://shop/?code=US") == "https://shop/?code=US"


def test_an_auth_scheme_or_a_key_shape_is_masked_in_any_header_and_url() -> None:
    assert mask_header("X-Upstream", "Bearer abc.def") == "Bearer ****"
    assert mask_header("X-Forwarded-Authorization", "Basic dXNlcjpwYXNz") == "Basic ****"
    assert mask_header("X-Note", f"use {KEY} here") == "use **** here"
    assert mask_url(f"https://api.example/v1/{KEY}/chat") == "https://api.example/v1/****/chat"
    assert mask_url("https://h/sk-learn-tutorial-for-beginners") == "https://h/sk-learn-tutorial-for-beginners"
    # A challenge names a scheme and says why, no credential: shown as it is.
    challenge = 'Bearer realm="api", error="invalid_token"'
    assert mask_header("WWW-Authenticate", challenge) == challenge


def test_a_curl_import_moves_a_bearer_token_in_a_custom_header_to_dotenv(tmp_path: Path, sluice) -> None:
    (tmp_path / "collection.toml").write_text('name = "c"\n')
    command = f"curl http://127.0.0.1:9/v1 -H 'X-Upstream: Bearer opaque-abc-123' -H 'X-Note: {KEY}'"
    result = sluice("import", "curl", command, "-o", str(tmp_path / "up.toml"))
    assert result.code == 0, result.stderr
    written = (tmp_path / "up.toml").read_text()
    assert "opaque-abc-123" not in written and KEY not in written and "Bearer {{" in written
    dotenv = (tmp_path / ".env").read_text()
    assert "opaque-abc-123" in dotenv and KEY in dotenv
    assert "opaque-abc-123" not in result.stderr + result.stdout


async def test_the_tuis_timeline_and_headers_tab_mask_it_until_revealed(collection: Path) -> None:
    import asyncio

    from pilot_waits import wait_until
    from textual.app import App, ComposeResult

    from app.bus import EventBus
    from app.connections.http_worker import stream_http
    from app.ui.response import ResponsePane, ResponseSession

    class PaneHost(App[None]):
        def compose(self) -> ComposeResult:
            yield ResponsePane()

    tree = load_collection(collection.parent)
    request = resolve_http(_definition(collection.read_text()), scopes_for(tree, collection, ""))

    def screen(app: App) -> str:
        return "\n".join(strip.text for strip in app.screen._compositor.render_strips())

    host = PaneHost()
    async with host.run_test(size=(160, 40)) as pilot:
        pane = host.query_one(ResponsePane)
        bus = EventBus()
        session = ResponseSession(bus, "chat")
        task = asyncio.create_task(stream_http(request, bus))
        pane.show(session)
        await task
        await wait_until(pilot, lambda: session.finished and pane.timeline.row_count == len(session.store))
        await pilot.pause()
        assert "/v1/****/chat" in screen(host) and "2024" not in screen(host)  # the Timeline's request row
        await pane.action_show_tab("tab-headers")
        await pilot.pause()
        await pilot.pause()
        shown = screen(host)
        assert "2024" not in shown and "opaque%2B" not in shown and "Bearer ****" in shown
        await pilot.press("v")
        await pilot.pause()
        assert "2024" in screen(host)
