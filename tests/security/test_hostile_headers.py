"""Headers from outside (a cloned collection's files, a `.env` value, a line typed in the editor) that
cannot be sent: named, with the file's line and column, before anything goes out; never an h11 or
websockets refusal that names no header, and never a header split into two lines."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import h11
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.model.collection import load_collection
from app.model.header_syntax import header_problem
from app.model.request_definition import RequestDefinition
from app.model.resolve import InvalidHeader, resolve_http, resolve_ws
from app.model.scopes import RunScopes
from app.model.toml_format import loads_request
from app.model.toml_location import FileFormatError
from app.model.toml_writer import dumps_toml


def _request(headers: dict[str, str]) -> str:
    return dumps_toml({"url": "http://127.0.0.1:9/", "headers": headers})


def test_a_broken_header_in_a_cloned_file_is_named_with_its_line_and_the_others_load(tmp_path: Path) -> None:
    root = tmp_path / "c"
    (root / "folder").mkdir(parents=True)
    (root / "collection.toml").write_text('name = "c"\n[headers]\n"X-Ok" = "1"\n', encoding="utf-8")
    (root / "good.toml").write_text(_request({"X-{{tenant}}": "{{value}}", "Accept": "a\tb"}), encoding="utf-8")
    (root / "crlf.toml").write_text(_request({"Accept": "a", "X-Evil": "a\r\nInjected: 1"}), encoding="utf-8")
    (root / "name.toml").write_text(_request({"X Bad": "1"}), encoding="utf-8")
    (root / "control.toml").write_text(_request({"X-Bell": "a\x07"}), encoding="utf-8")
    (root / "folder" / "folder.toml").write_text('[headers]\nX-Nul = "\\u0000"\n', encoding="utf-8")
    (root / "folder" / "inside.toml").write_text(_request({"A": "1"}), encoding="utf-8")
    collection = load_collection(root)
    broken = {problem.path.name: problem for problem in collection.broken_files()}
    assert set(broken) == {"crlf.toml", "name.toml", "control.toml", "folder.toml"}
    assert (broken["crlf.toml"].line, broken["crlf.toml"].column) == (5, 1)
    assert "'X-Evil'" in broken["crlf.toml"].message and "carriage return" in broken["crlf.toml"].message
    assert broken["name.toml"].line == 4 and "'X Bad'" in broken["name.toml"].message and "a space" in broken["name.toml"].message
    assert "'X-Bell'" in broken["control.toml"].message and "'\\x07'" in broken["control.toml"].message
    assert broken["folder.toml"].line == 2 and "NUL" in broken["folder.toml"].message
    assert sorted(request.path.name for request in collection.requests()) == ["good.toml", "inside.toml"]
    assert collection.headers == (("X-Ok", "1"),)


def test_a_switched_off_header_may_be_a_note_but_is_one_line() -> None:
    loaded = loads_request(_request({"check this later": {"value": "", "enabled": False}}))  # type: ignore[dict-item]
    assert loaded.disabled_headers[0].name == "check this later"
    with pytest.raises(FileFormatError, match="switched off"):
        loads_request(_request({"X-Off": {"value": "a\nb", "enabled": False}}))  # type: ignore[dict-item]


def _h11_accepts(name: str, value: str) -> bool:
    try:
        h11.Request(method="GET", target="/", headers=[("Host", "a"), (name.encode("ascii"), value.encode("ascii"))])
    except (h11.LocalProtocolError, UnicodeEncodeError):
        return False
    return True


_ANY = st.text(st.characters(codec="utf-8"), max_size=8)


@settings(max_examples=400, deadline=None)
@given(name=st.one_of(_ANY, st.text("abX-_ :\r\n\x00{}", max_size=6)), value=st.one_of(_ANY, st.text("ab \t\r\n\x00\x7f", max_size=6)))
def test_a_header_that_loads_and_resolves_is_one_h11_sends(name: str, value: str) -> None:
    """The check is at least as strict as h11's (which lets some C0 controls through, the check does not)."""
    try:
        definition = loads_request(_request({name: value}))
    except FileFormatError as error:
        assert error.line >= 1 and error.column >= 1
        return
    try:
        request = resolve_http(definition, RunScopes(run={}))
    except (InvalidHeader, ValueError):
        return  # an unresolved `{{…}}` in it, or non-ASCII: refused, named, before any I/O
    assert all(_h11_accepts(*header) for header in request.headers)


@pytest.fixture
def silent_port() -> Iterator[socket.socket]:
    """A port that listens but never accepts: a connection attempt lands in its backlog, seen by `accept`."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield listener


def _nothing_connected(listener: socket.socket) -> bool:
    listener.setblocking(False)
    try:
        listener.accept()[0].close()
    except BlockingIOError:
        return True
    return False


def test_a_line_break_from_a_dotenv_value_is_named_and_nothing_is_sent(tmp_path: Path, sluice, silent_port) -> None:
    port = silent_port.getsockname()[1]
    root = tmp_path / "c"
    root.mkdir()
    (root / "collection.toml").write_text('name = "c"\n', encoding="utf-8")
    (root / ".env").write_text('token="abc\\r\\nX-Injected: 1"\n', encoding="utf-8")
    (root / "r.toml").write_text(dumps_toml({"url": f"http://127.0.0.1:{port}/", "headers": {"Authorization": "Bearer {{token}}"}}),
                                 encoding="utf-8")
    result = sluice("run", str(root / "r.toml"))
    assert result.code != 0
    assert "header 'Authorization'" in result.stderr and "carriage return" in result.stderr
    assert "abc" not in result.stderr  # the secret's value is not shown, only where the problem is
    assert _nothing_connected(silent_port)


def test_websocket_headers_and_cookies_are_checked_as_resolved() -> None:
    scopes = RunScopes(run={"v": "a\nb"})
    definition = RequestDefinition(name="w", url="ws://127.0.0.1:9/", headers=(("X-A", "{{v}}"),))
    with pytest.raises(InvalidHeader, match="header 'X-A'.*line break"):
        resolve_ws(definition, scopes)
    from dataclasses import replace

    from app.model.request_definition import WebSocketSettings

    with pytest.raises(InvalidHeader, match="cookie 'session'"):
        resolve_ws(replace(definition, headers=(), websocket=WebSocketSettings(cookies=(("session", "{{v}}"),))), scopes)


def test_the_check_names_the_first_bad_character() -> None:
    assert header_problem("X-Ok", "visible text\tand a tab") == ""
    assert "character 3" in header_problem("X", "ab\ncd")
    assert "'é'" in header_problem("X", "café", wire=True) and header_problem("X", "café") == ""
    assert header_problem("X-{{name}}", "1", templated=True) == ""
    assert "'{'" in header_problem("X-{{name}}", "1")
    assert "no name" in header_problem("", "1")
    assert "'X-Ok'" not in header_problem("X-Ok", "1")


def test_a_pasted_curl_commands_header_that_cannot_be_sent_is_refused_naming_it(sluice, tmp_path: Path) -> None:
    from app.interop.curl_import import CurlImportError, import_curl

    with pytest.raises(CurlImportError, match="header 'X': its value holds a carriage return"):
        import_curl("curl -H $'X: a\\r\\nInjected: 1' http://127.0.0.1:9/")
    with pytest.raises(CurlImportError, match="header 'Y Z'"):
        import_curl("curl -H 'Y Z: 1' http://127.0.0.1:9/")
    result = sluice("import", "curl", "curl -H $'X: a\\nB: c' http://127.0.0.1:9/", "-o", str(tmp_path / "r.toml"))
    assert result.code == 2 and "header 'X'" in result.stderr and not (tmp_path / "r.toml").exists()


def test_a_postman_request_with_a_header_that_cannot_be_sent_is_left_out_naming_it(tmp_path: Path) -> None:
    import json

    from app.interop.postman_import import import_postman

    source = tmp_path / "export.json"
    source.write_text(json.dumps({"info": {"name": "x"}, "item": [
        {"name": "bad", "request": {"url": "http://a/", "header": [{"key": "X-Evil", "value": "a\r\nB: c"}]}},
        {"name": "good", "request": {"url": "http://a/", "header": [{"key": "Accept", "value": "a"}]}},
    ]}), encoding="utf-8")
    result = import_postman(source, tmp_path / "out")
    assert any("bad" in warning and "header 'X-Evil'" in warning for warning in result.warnings)
    collection = load_collection(tmp_path / "out")
    assert [request.title for request in collection.requests()] == ["good"] and not collection.broken_files()


def test_a_websockets_origin_and_subprotocols_are_checked_too() -> None:
    from app.model.request_definition import WebSocketSettings

    with pytest.raises(InvalidHeader, match="header 'Origin'.*line break"):
        resolve_ws(RequestDefinition(name="w", url="ws://127.0.0.1:9/", websocket=WebSocketSettings(origin="http://a\nX: 1")))
    with pytest.raises(InvalidHeader, match="subprotocol 'chat v1'"):
        resolve_ws(RequestDefinition(name="w", url="ws://127.0.0.1:9/", websocket=WebSocketSettings(subprotocols=("chat v1",))))
    assert resolve_ws(RequestDefinition(name="w", url="ws://127.0.0.1:9/",
                                        websocket=WebSocketSettings(subprotocols=("sluice.v1",)))).subprotocols == ("sluice.v1",)
