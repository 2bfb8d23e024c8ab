"""No input crashes Sluice: deep JSON and TOML, links that loop, devices, slow `.env`, arbitrary bytes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.connections.content_encoding import BodyDecoder, DecodingFailed
from app.interop.postman_import import PostmanImportError, import_postman
from app.model.collection import BrokenFile, Folder, RequestFile, load_collection, load_request_file
from app.model.dotenv import parse_dotenv
from app.model.storage import atomic_write
from app.model.toml_location import FileFormatError
from app.nesting import MAX_JSON_DEPTH, deeper_than
from app.store.body_lines import PrettyJsonLines
from app.streams.json_array import JsonArrayDecoder
from app.streams.json_payload import JsonTooDeep, parse_json
from app.streams.ndjson import NdjsonDecoder
from app.streams.sse import SseDecoder
from app.vocabulary import ParseMode

DEEP = "[" * 5000 + "]" * 5000


def test_deep_json_is_a_named_error_everywhere_it_is_parsed() -> None:
    try:
        parse_json(DEEP)
    except JsonTooDeep as error:
        assert "nested too deeply" in str(error)
    else:
        raise AssertionError("deep JSON parsed")
    assert parse_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None
    pretty = PrettyJsonLines("[" * 100_000)
    pretty.ensure(10**9)
    assert pretty.complete and "nested more than" in (pretty.error or "")


def test_deep_stream_payloads_are_errors_and_the_stream_goes_on() -> None:
    ndjson = NdjsonDecoder().feed(DEEP.encode() + b'\n{"after": 1}\n')
    assert [payload.kind for payload, _ in ndjson] == ["ndjson_error", "ndjson"]
    array = JsonArrayDecoder()
    items = array.feed(f'[{DEEP}, {{"after": 1}}]'.encode()) + array.finish()
    kinds = [payload.kind for payload, _ in items]
    assert kinds[-1] == "json_item" and any("error" in kind for kind in kinds)


def test_sse_merged_and_jsonl_survive_deep_data(hostile, sluice) -> None:
    for flags in ((), ("--jsonl",), ("--merged",), ("--merged", "--profile", "openai")):
        for path in ("/deep-sse", "/deep-json", "/deep-ndjson"):
            result = sluice("run", f"{hostile.base_url}{path}", *flags)
            assert result.code == 0, (path, flags, result.stderr[-500:])
            assert "Traceback" not in result.stderr


def _collection(root: Path) -> Path:
    root.mkdir()
    (root / "collection.toml").write_text('name = "c"\n', encoding="utf-8")
    (root / "good.toml").write_text('url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    (root / "deep.toml").write_text("x = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    (root / "inline.toml").write_text("x = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n", encoding="utf-8")
    return root


def test_deep_toml_breaks_one_file_not_the_collection(tmp_path: Path, sluice) -> None:
    root = _collection(tmp_path / "c")
    collection = load_collection(root)
    by_name = {node.path.name: node for node in collection.children}
    assert isinstance(by_name["good.toml"], RequestFile)
    assert isinstance(by_name["deep.toml"], BrokenFile) and "nested" in by_name["deep.toml"].message
    assert isinstance(by_name["inline.toml"], BrokenFile)
    result = sluice("run", str(root / "deep.toml"))
    assert result.code == 1 and "nested" in result.stderr and "Traceback" not in result.stderr


def test_links_back_up_devices_and_fifos_are_not_followed(tmp_path: Path) -> None:
    root = _collection(tmp_path / "c")
    (root / "folder").mkdir()
    (root / "folder" / "r.toml").write_text('url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    os.symlink("..", root / "folder" / "up")
    os.symlink("..", root / "folder" / "up2")
    os.symlink(root / "folder", root / "again")
    os.symlink("/dev/zero", root / "zero.toml")
    os.mkfifo(root / "fifo.toml")
    collection = load_collection(root)
    names = {node.path.name: node for node in collection.children}
    assert isinstance(names["again"], BrokenFile)
    assert isinstance(names["zero.toml"], BrokenFile) and isinstance(names["fifo.toml"], BrokenFile)
    folder = names["folder"]
    assert isinstance(folder, Folder)
    assert {child.path.name for child in folder.children if isinstance(child, BrokenFile)} == {"up", "up2"}


def test_dotenv_unterminated_quote_is_linear_and_named() -> None:
    text = 'KEY="' + ("x" * 40 + "\n") * 20_000
    try:
        parse_dotenv(text)
    except FileFormatError as error:
        assert "unterminated" in error.message
    assert parse_dotenv('A="x\\"y"\nB=\'q\nr\'\nC="l1\nl2"\n') == {"A": 'x"y', "B": "q\nr", "C": "l1\nl2"}


def test_new_files_honour_the_umask_and_rewrites_keep_the_mode(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        atomic_write(tmp_path / "new.toml", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.toml").stat().st_mode) == 0o600
    kept = tmp_path / "kept.toml"
    kept.write_bytes(b"x")
    kept.chmod(0o640)
    atomic_write(kept, b"y")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000), st.integers(min_value=1, max_value=64))
def test_every_decoder_takes_arbitrary_bytes(data: bytes, cut: int) -> None:
    for decoder in (SseDecoder(), NdjsonDecoder(), JsonArrayDecoder()):
        for start in range(0, len(data), cut):
            decoder.feed(data[start : start + cut])
        decoder.finish()
    for coding in ("gzip", "deflate", "br"):
        body = BodyDecoder(coding)
        try:
            if body.decodes:
                list(body.feed(data))
                list(body.finish())
        except DecodingFailed:
            pass
    assert deeper_than(data, 3) in (True, False)
    assert ParseMode.SSE


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=500))
def test_the_collection_loader_takes_arbitrary_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    assert isinstance(load_request_file(path), (RequestFile, BrokenFile))
    try:
        parse_dotenv(text)
    except FileFormatError:
        pass


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)
_postmanish = st.fixed_dictionaries(
    {"info": _json, "item": st.lists(st.dictionaries(st.sampled_from(
        ["name", "request", "item", "url", "body", "header", "auth", "event", "variable"]), _json, max_size=5), max_size=4)},
    optional={"variable": _json, "auth": _json},
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(_json, _postmanish))
def test_the_postman_importer_takes_arbitrary_json(tmp_path: Path, document: object) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "out"
    try:
        import_postman(source, target)
    except PostmanImportError:
        pass
    finally:
        for path in sorted(target.rglob("*"), reverse=True) if target.exists() else ():
            path.unlink() if path.is_file() else path.rmdir()


def test_renaming_to_a_path_is_refused_not_a_crash(tmp_path: Path) -> None:
    from app.ui.collection.operations import OperationError, rename

    broken = tmp_path / "broken.toml"
    broken.write_text("name = [\n", encoding="utf-8")
    for name in ("../escape.toml", "a/b.toml", "..", ""):
        try:
            rename(BrokenFile(broken, 1, 1, "broken"), name)
        except OperationError:
            pass
        else:
            raise AssertionError(f"renamed to {name!r}")
    assert broken.exists()
