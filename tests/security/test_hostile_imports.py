"""Any text pasted as a curl command, any JSON posing as a Postman export: a request file or a named error.

What comes out must also be a file Sluice can save and load again: text (a request file is UTF-8, so bytes
that are not are percent-encoded or replaced), and timeouts a timer can use.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.interop.curl_export import export_curl
from app.interop.curl_import import CurlImportError, import_curl
from app.interop.postman_import import PostmanImportError, import_postman
from app.model.collection import BrokenFile, load_collection
from app.model.header_syntax import header_problem
from app.model.http_request import HttpRequest
from app.model.toml_format import dumps_request, loads_request
from app.terminal_text import is_line_safe

_OPTIONS = ["-d", "--data-binary", "--json", "--data-urlencode", "-T", "-F", "-H", "-u", "-b", "-A", "-X", "-G",
            "-I", "-m", "--connect-timeout", "--speed-time", "-L", "-k", "--url", "-K", "--url-query"]
_NASTY = ["@x", "@\x00", "@-", "nan", "inf", "-1", "1e999", "9" * 400, "http://[::1", "[::1]", "http://a/",
          "file:///etc/passwd", "$'\\xff'", "$'\\ud800'", "$'\\x00'", "'", '"', "\\", "^", "$(id)", "`id`",
          "$'\\U7fffffff'", "@/dev/zero", "X:\x9b2J", "ws://a/"]
_WORDS = st.one_of(st.sampled_from(_OPTIONS), st.sampled_from(_NASTY), st.text(max_size=10))
_COMMANDS = st.one_of(st.lists(_WORDS, max_size=8).map(lambda words: "curl " + " ".join(words)),
                      st.text().map(lambda text: "curl " + text))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_COMMANDS)
def test_any_command_imports_as_a_request_file_or_a_named_error(tmp_path_factory, command: str) -> None:
    base = tmp_path_factory.mktemp("curl")
    try:
        result = import_curl(command, base)
    except CurlImportError:
        return
    text = dumps_request(result.definition)
    text.encode("utf-8")  # a request file is UTF-8: no surrogate escape of a byte left in it
    assert dumps_request(loads_request(text)) == text
    for warning in result.warnings:
        warning.encode("utf-8")


def test_bytes_that_are_not_utf8_become_text_outside_the_body() -> None:
    result = import_curl("curl http://a/$'\\xff'?q=$'\\ud800' -H $'X-A: \\xfe' --data-binary $'\\xff'")
    definition = result.definition
    assert definition.url == "http://a/%FF?q=\N{REPLACEMENT CHARACTER}"  # `\ud800` names no character
    assert definition.headers[-1] == ("X-A", "\N{REPLACEMENT CHARACTER}")
    assert definition.body.content == "/w=="  # the body keeps its byte, as Base64
    assert any("percent-encoded" in warning for warning in result.warnings)
    loads_request(dumps_request(definition))


def test_unusable_urls_timeouts_and_file_names_are_named_errors(tmp_path: Path) -> None:
    for command, words in (("curl 'http://[::1'", "cannot be used"), ("curl http://a/ -m nan", "not a number"),
                           ("curl http://a/ --connect-timeout 1e999", "not a number"),
                           ("curl http://a/ -m -1", "not a number")):
        try:
            import_curl(command, tmp_path)
        except CurlImportError as error:
            assert words in str(error), command
        else:
            raise AssertionError(f"{command} imported")
    for command in ("curl http://a/ -T $'\\x00'", "curl http://a/ -d @$'a\\x00b'"):
        found = import_curl(command, tmp_path).files
        assert len(found) == 1 and "NUL" in (found[0].problem or "")


def test_the_cli_names_the_error_instead_of_a_traceback(sluice, tmp_path: Path) -> None:
    for command in ("curl 'http://[::1'", "curl http://a/ -T $'\\x00'", "curl http://a/$'\\xff' -m inf"):
        result = sluice("import", "curl", command, "-o", str(tmp_path / "r.toml"))
        assert "Traceback" not in result.stderr, result.stderr
        assert result.code in (0, 2)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(codec=None), max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["name", "item", "request", "url", "raw", "method", "header", "key", "value", "body",
                         "mode", "auth", "type", "description", "variable", "disabled", "options", "graphql"]),
        children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_JSON, max_size=4), st.text(max_size=6))
def test_any_postman_items_import_or_are_named_and_the_collection_loads(tmp_path_factory, items, name) -> None:
    base = tmp_path_factory.mktemp("postman")
    source = base / "export.json"
    # ensure_ascii writes lone surrogates as `\ud800` escapes, as a hostile export can.
    source.write_text(json.dumps({"info": {"name": name, "schema": "v2.1"}, "item": items}), encoding="utf-8")
    try:
        import_postman(source, base / "out")
    except PostmanImportError:
        return
    collection = load_collection(base / "out")
    assert not [node for node in collection.children if isinstance(node, BrokenFile)]


def test_lone_surrogates_in_an_export_are_replaced_not_a_crash(sluice, tmp_path: Path) -> None:
    source = tmp_path / "export.json"
    source.write_text('{"info": {"name": "x\\ud800"}, "item": [{"name": "a\\udfff", "request": '
                      '{"url": "http://a/\\ud800"}}]}', encoding="utf-8")
    result = sluice("import", "postman", str(source), "-o", str(tmp_path / "out"))
    assert result.code == 0, result.stderr
    assert (tmp_path / "out" / "a.toml").read_text(encoding="utf-8").count("\N{REPLACEMENT CHARACTER}") == 2
    taken = sluice("import", "postman", str(source), "-o", str(source))  # a file where the folder would go
    assert taken.code == 1 and "Traceback" not in taken.stderr and "cannot write" in taken.stderr


_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT)
def test_an_exported_command_shows_no_control_and_imports_back_the_same(value: str, body: str) -> None:
    """`sluice export curl` prints to the terminal: a cloned collection's header value must not drive it
    (U+009B is CSI on many terminals, a bidi override reorders what the command seems to say)."""
    request = HttpRequest(url="http://a/x", method="POST", headers=(("X-Value", value),), body=body.encode("utf-8"))
    command = export_curl(request)
    assert is_line_safe(command.replace("\n", " ").replace("\t", " ")), command
    if header_problem("X-Value", value):  # a header no request can send: refused, named, on the way back
        with pytest.raises(CurlImportError, match="header 'X-Value'"):
            import_curl(command)
        return
    again = import_curl(command).definition
    assert dict(again.headers).get("X-Value", "") == value.strip(" \t")
    assert again.body.content == body or (not body and again.body.content == "")


def test_a_postman_exports_credentials_go_to_dotenv_never_into_the_toml(tmp_path: Path) -> None:
    """A shared export holds the sender's real token, key and password: the TOML files (which go into git)
    get `{{references}}`, the values go to the new collection's `.env`, and the requests still send them."""
    import json

    from app.interop.postman_import import import_postman
    from app.model.collection import load_collection
    from app.model.dotenv import parse_dotenv
    from app.model.resolve import resolve_http
    from app.model.scopes import scopes_for

    source = tmp_path / "export.json"
    source.write_text(json.dumps({
        "info": {"name": "shared", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/"},
        "variable": [{"key": "api_key", "value": "sk-live-collection"}, {"key": "base", "value": "http://127.0.0.1:9"}],
        "item": [{"name": "folder", "variable": [{"key": "password", "value": "hunter2"}], "item": [
            {"name": "chat", "request": {"url": "http://ann:pw-in-url@127.0.0.1:9/v1?api_key=k-query",
                                         "header": [{"key": "Authorization", "value": "Bearer sk-live-header"}],
                                         "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "t-auth"}]}}}]}],
    }), encoding="utf-8")
    result = import_postman(source, tmp_path / "out")
    toml = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "out").rglob("*.toml"))
    for secret in ("sk-live-collection", "hunter2", "pw-in-url", "k-query", "sk-live-header", "t-auth"):
        assert secret not in toml, secret
    stored = parse_dotenv((tmp_path / "out" / ".env").read_text(encoding="utf-8"))
    assert {"sk-live-collection", "hunter2", "pw-in-url", "k-query", "sk-live-header", "t-auth"} <= set(stored.values())
    assert any("moved to .env" in warning for warning in result.warnings) and tmp_path / "out" / ".env" in result.written
    collection = load_collection(tmp_path / "out")
    chat = collection.find(tmp_path / "out" / "folder" / "chat.toml")
    sent = resolve_http(chat.definition, scopes_for(collection, chat.path, os_env={}))
    assert ("Authorization", "Bearer t-auth") in sent.headers and "api_key=k-query" in sent.url, sent
    assert "ann:pw-in-url@" in sent.url
