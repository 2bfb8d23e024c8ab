"""Any text in a cloned collection's request file: loaded, or one broken file named with its line and
column while the others load. What loads can be saved, compared and shown (nothing nests too deeply for
the recursive steps after parsing)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.model.collection import BrokenFile, RequestFile, load_collection
from app.model.toml_format import dumps_request, loads_request
from app.model.toml_location import FileFormatError
from app.streams.ws_formats import WsFormatError, encode_message
from app.vocabulary import WsFormat

_KEYS = ["url", "method", "name", "[body]", "type", "content", "[auth]", "in", "[stream]", "parse_mode",
         "[[stream.rules]]", "mode", "[[extract]]", "variable", "from", "[[expect]]", "status", "event",
         "min_count", "within_ms", "merged_text_matches", "equals", "jsonpath", "[websocket]",
         "max_message_size", "[[websocket.messages]]", "format", "[options]", "read_timeout", "max_event_size",
         "[params]", "[headers]", "reconnect", "max_reconnects", "a.b.c", "[x.y.z]"]
_VALUES = ['"x"', "1", "-1", "0", "1e999", "nan", "-inf", "9" * 30, "true", "[]", "{}", '["a"]',
           '{value="x", enabled=false}', "'''\n(\n'''", '"(?"', '"$..["', "1979-05-27", "[1,2]", "{a={b=1}}"]
_LINES = st.one_of(
    st.tuples(st.sampled_from(_KEYS), st.sampled_from(_VALUES)).map(
        lambda pair: pair[0] if pair[0].startswith("[") else f"{pair[0]} = {pair[1]}"),
    st.text(max_size=10),
)
_DOCUMENTS = st.one_of(st.lists(_LINES, max_size=12).map(lambda lines: 'url = "http://a/"\n' + "\n".join(lines)),
                       st.text())


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENTS)
def test_any_request_text_loads_and_saves_back_or_is_a_positioned_error(text: str) -> None:
    try:
        definition = loads_request(text)
    except FileFormatError as error:
        assert error.line >= 1 and error.column >= 1
        return
    saved = dumps_request(definition)
    saved.encode("utf-8")
    again = loads_request(saved)
    assert dumps_request(again) == saved  # (not `==`: an unknown `x = nan` is kept, and nan != nan)


def test_dotted_keys_nested_too_deeply_are_a_broken_file_not_a_crash_later(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / "collection.toml").write_text('name = "c"\n', encoding="utf-8")
    (root / "good.toml").write_text('url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    deep = ".".join(["a"] * 5000)
    (root / "dotted.toml").write_text(f'url = "http://a/"\n{deep} = 1\n', encoding="utf-8")
    (root / "header.toml").write_text(f'url = "http://a/"\n[{deep}]\n', encoding="utf-8")
    (root / "array.toml").write_text(f'url = "http://a/"\n[[{deep}]]\n', encoding="utf-8")
    nodes = {node.path.name: node for node in load_collection(root).children}
    assert isinstance(nodes["good.toml"], RequestFile)
    for name in ("dotted.toml", "header.toml", "array.toml"):
        broken = nodes[name]
        assert isinstance(broken, BrokenFile) and "nested" in broken.message and broken.line == 2, name
    shallow = loads_request('url = "http://a/"\n' + ".".join(["a"] * 60) + " = 1\n")
    assert dumps_request(shallow).count("a.") > 0  # within the limit: kept and saved as any unknown key


def test_a_saved_websocket_message_with_a_huge_number_is_a_format_error() -> None:
    try:
        encode_message("[" + "9" * 5000 + "]", WsFormat.JSON)
    except WsFormatError as error:
        assert "not valid JSON" in str(error)
    else:
        raise AssertionError("sent")
