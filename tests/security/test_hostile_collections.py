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


_MARKING_SCRIPT = "from pathlib import Path\nPath({marker!r}).write_text('ran')\n\ndef on_event(event):\n    return event.data\n"


def _scripted_collection(tmp_path: Path, named: str) -> tuple[Path, Path]:
    root = tmp_path / "cloned"
    (root / "scripts").mkdir(parents=True)
    (root / "collection.toml").write_text('name = "c"\n', encoding="utf-8")
    marker = tmp_path / "the-script-ran"
    (tmp_path / "outside.py").write_text(_MARKING_SCRIPT.format(marker=str(marker)), encoding="utf-8")
    (root / "scripts" / "link.py").symlink_to(tmp_path / "outside.py")
    (root / "r.toml").write_text(f'url = "{{{{base_url}}}}/text/tokens"\n[stream]\nmerge_script = "{named}"\n',
                                 encoding="utf-8")
    return root, marker


def test_a_cloned_collections_script_outside_it_is_never_read_nor_run(demo_server, sluice, tmp_path: Path) -> None:
    for named in ("../outside.py", str(tmp_path / "outside.py"), "scripts/link.py", "/dev/zero"):
        root, marker = _scripted_collection(tmp_path / str(abs(hash(named))), named)
        result = sluice("run", str(root / "r.toml"), "--trust-scripts", "--jsonl", "--var", f"base_url={demo_server.base_url}")
        assert result.code == 0, result.stderr
        script = next(line for line in result.lines if line["kind"] == "merged")["script"]
        assert not script["used"] and "outside the collection" in script["reason"], (named, script)
        assert not marker.exists(), named


def test_a_fifo_named_as_a_script_is_not_read_by_the_trust_dialog(tmp_path: Path) -> None:
    import os

    from app.model.collection import load_collection, load_request_file
    from app.ui.script_trust import with_script_trust

    root, _ = _scripted_collection(tmp_path, "scripts/fifo.py")
    os.mkfifo(root / "scripts" / "fifo.py")  # reading it would block the UI thread for ever
    loaded = load_request_file(root / "r.toml")
    assert isinstance(loaded, RequestFile)
    sent, pushed = [], []

    class App:
        settings = None

        def remember_script_answer(self, answer) -> None:
            raise AssertionError("nothing to remember")

        def push_screen(self, screen, callback=None) -> None:
            pushed.append(screen)

    with_script_trust(App(), load_collection(root), root / "r.toml", loaded.definition, sent.append)  # type: ignore[arg-type]
    assert not pushed and len(sent) == 1
    assert not sent[0].trusted and "not a regular file" in sent[0].reason


def test_links_out_of_a_cloned_collection_are_never_read(tmp_path: Path, sluice) -> None:
    """`.env -> ~/.aws/credentials`, `environments/prod.toml -> …`, `shared -> ~`, `r.toml -> …`: each
    is a broken entry naming the link; nothing outside is read (and so never sent as a variable)."""
    from app.model.dotenv import store_secrets

    home = tmp_path / "home"
    (home / "deep").mkdir(parents=True)
    (home / "credentials").write_text("aws_secret_access_key=AKIA-from-home\n", encoding="utf-8")
    (home / "prod.toml").write_text('token = "from-home"\n', encoding="utf-8")
    (home / "deep" / "private.toml").write_text('url = "http://127.0.0.1:9/from-home"\n', encoding="utf-8")
    root = tmp_path / "cloned"
    (root / "environments").mkdir(parents=True)
    (root / "collection.toml").write_text('name = "c"\n', encoding="utf-8")
    (root / "good.toml").write_text('url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    (root / ".env").symlink_to(home / "credentials")
    (root / "environments" / "prod.toml").symlink_to(home / "prod.toml")
    (root / "shared").symlink_to(home / "deep")
    (root / "private.toml").symlink_to(home / "deep" / "private.toml")
    (root / "alias.toml").symlink_to(root / "good.toml")  # a link inside the collection is fine
    collection = load_collection(root)
    assert collection.dotenv == {} and collection.environments == ()
    broken = {node.path.name: node.message for node in collection.problems}
    broken |= {node.path.name: node.message for node in collection.children if isinstance(node, BrokenFile)}
    for name in (".env", "prod.toml", "shared", "private.toml"):
        assert "outside the collection" in broken[name], (name, broken)
    assert isinstance(next(node for node in collection.children if node.path.name == "alias.toml"), RequestFile)
    try:
        store_secrets(root / ".env", [("token", "sk-new")])
    except FileFormatError as error:
        assert "outside the collection" in error.message
    else:
        raise AssertionError("wrote through the link")
    assert (root / ".env").is_symlink() and "sk-new" not in (home / "credentials").read_text(encoding="utf-8")
    result = sluice("run", str(root / "good.toml"), "--var", "x=1")  # a broken .env does not stop a request
    assert "AKIA-from-home" not in result.stdout + result.stderr


def test_jsonpaths_and_regexes_a_cloned_file_makes_too_deep_are_positioned_errors() -> None:
    deep_path = "$" + ".a" * 3000
    cases = {
        f'[[expect]]\njsonpath = "{deep_path}"\n': "JSONPath of more than",
        f'[[extract]]\nvariable = "v"\npath = "{deep_path}"\n': "JSONPath of more than",
        f'[[stream.rules]]\ntext = "{deep_path}"\n': "JSONPath of more than",
        '[[expect]]\nmerged_text_matches = "' + "(" * 3000 + ")" * 3000 + '"\n': "more than 1,000 characters",
        '[[expect]]\nmerged_text_matches = "a{1,2000}"\n': "not a valid regex: invalid repetition size",
    }
    for table, words in cases.items():
        try:
            loads_request('url = "http://a/"\n' + table)
        except FileFormatError as error:
            key_line = 2 + table.count("\n", 0, table.rindex(" = "))  # the line of the offending key
            assert words in error.message and error.line == key_line, (table[:40], error)
        else:
            raise AssertionError(f"loaded {table[:40]}")
    loads_request('url = "http://a/"\n[[expect]]\njsonpath = "$' + ".a" * 90 + '"\n')  # deep, but within the limit


