"""Loading a collection tree (broken files shown, others load), atomic saves and conflict detection."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.model import storage
from app.model.collection import BrokenFile, Folder, RequestFile, load_collection, save_request
from app.model.request_definition import RequestDefinition
from app.model.storage import SaveConflict


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def collection_root(tmp_path: Path) -> Path:
    _write(tmp_path / "collection.toml", 'name = "Shop"\ndefault_environment = "dev"\n[headers]\nX-App = "sluice"\n')
    _write(tmp_path / "environments/dev.toml", 'base_url = "http://127.0.0.1:1"\nport = 8765\n')
    _write(tmp_path / ".env", "TOKEN=secret\n")
    _write(tmp_path / "a-first.toml", 'name = "First"\nurl = "{{base_url}}/a"\n')
    _write(tmp_path / "api/folder.toml", 'order = ["z.toml", "b.toml"]\n[variables]\nlevel = "folder"\n')
    _write(tmp_path / "api/b.toml", 'url = "{{base_url}}/b"\n')
    _write(tmp_path / "api/z.toml", 'url = "{{base_url}}/z"\n')
    _write(tmp_path / "api/broken.toml", 'url = "http://x"\nname = "unterminated\n')
    _write(tmp_path / "api/wrong-type.toml", 'url = "http://x"\n[headers]\nA = 1\n')
    _write(tmp_path / "api/no-url.toml", 'name = "nothing"\n')
    return tmp_path


def test_broken_files_are_listed_with_location_and_the_rest_load(collection_root: Path) -> None:
    collection = load_collection(collection_root)
    assert collection.name == "Shop" and collection.headers == (("X-App", "sluice"),)
    assert [request.title for request in collection.requests()] == ["z", "b", "First"]
    broken = {node.path.name: node for node in collection.walk() if isinstance(node, BrokenFile)}
    assert set(broken) == {"broken.toml", "wrong-type.toml", "no-url.toml"}
    assert (broken["broken.toml"].line, broken["broken.toml"].column) == (2, 21)
    assert (broken["wrong-type.toml"].line, broken["wrong-type.toml"].column) == (3, 1)
    assert "missing 'url'" in broken["no-url.toml"].message
    assert str(broken["wrong-type.toml"]).endswith("wrong-type.toml:3:1: 'headers.A' should be a string, not a number")


def test_folder_order_and_settings(collection_root: Path) -> None:
    collection = load_collection(collection_root)
    folder = collection.children[0]
    assert isinstance(folder, Folder)
    assert [node.path.name for node in folder.children][:2] == ["z.toml", "b.toml"]
    assert folder.variables == (("level", "folder"),)
    assert collection.folders_above(collection_root / "api" / "b.toml") == [folder]


def test_environments_and_dotenv_load(collection_root: Path) -> None:
    collection = load_collection(collection_root)
    assert collection.environment("dev").variables == {"base_url": "http://127.0.0.1:1", "port": "8765"}
    assert collection.dotenv == {"TOKEN": "secret"}


def test_broken_collection_and_environment_files_are_problems_not_failures(tmp_path: Path) -> None:
    _write(tmp_path / "collection.toml", "name = \n")
    _write(tmp_path / "environments/bad.toml", "[nested]\nx = 1\n")
    _write(tmp_path / "ok.toml", 'url = "http://x"\n')
    collection = load_collection(tmp_path)
    assert len(collection.requests()) == 1
    assert sorted(problem.path.name for problem in collection.problems) == ["bad.toml", "collection.toml"]


def test_save_is_atomic_when_the_write_fails_midway(collection_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    request = load_collection(collection_root).requests()[-1]
    path = request.path
    before = path.read_bytes()

    def crash(descriptor: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(storage.os, "fsync", crash)
    changed = RequestDefinition(name="Changed", url="http://changed")
    with pytest.raises(OSError, match="disk full"):
        save_request(path, changed, request.stamp)
    assert path.read_bytes() == before
    assert [entry.name for entry in path.parent.iterdir() if entry.name.endswith(".tmp")] == []


def test_save_then_reload_round_trips(collection_root: Path) -> None:
    request = load_collection(collection_root).requests()[-1]
    saved = save_request(request.path, RequestDefinition(name="New", url="{{base_url}}/new"), request.stamp)
    reloaded = load_collection(collection_root).find(request.path)
    assert isinstance(reloaded, RequestFile) and reloaded.definition == saved.definition
    assert reloaded.stamp == saved.stamp


def test_a_file_changed_on_disk_is_never_overwritten(collection_root: Path) -> None:
    request = load_collection(collection_root).requests()[-1]
    request.path.write_text('url = "http://edited-elsewhere"\n', encoding="utf-8")
    with pytest.raises(SaveConflict):
        save_request(request.path, RequestDefinition(name="Mine", url="http://mine"), request.stamp)
    assert request.path.read_text(encoding="utf-8") == 'url = "http://edited-elsewhere"\n'


def test_touching_a_file_without_changing_it_is_no_conflict(collection_root: Path) -> None:
    request = load_collection(collection_root).requests()[-1]
    os.utime(request.path, ns=(1, 1))
    save_request(request.path, RequestDefinition(name="Mine", url="http://mine"), request.stamp)


def test_creating_over_an_existing_file_is_a_conflict(collection_root: Path) -> None:
    with pytest.raises(SaveConflict):
        save_request(collection_root / "a-first.toml", RequestDefinition(name="x", url="http://x"), None)


def test_a_folder_of_scripts_or_data_is_not_a_folder_of_requests(tmp_path: Path) -> None:
    _write(tmp_path / "chat.toml", 'url = "http://127.0.0.1:1/"\n')
    _write(tmp_path / "scripts/plain_tokens.py", "def merge(event, reply):\n    return reply\n")
    _write(tmp_path / "fixtures/deep/reply.json", "{}\n")  # nothing but other files, one level down
    (tmp_path / "scripts/__pycache__").mkdir()
    (tmp_path / "new-folder").mkdir()  # just made with N: requests still to come
    _write(tmp_path / "configured/folder.toml", 'name = "Configured"\n')
    _write(tmp_path / "mixed/helper.py", "")
    _write(tmp_path / "mixed/get.toml", 'url = "http://127.0.0.1:1/"\n')
    collection = load_collection(tmp_path)
    shown = [node.path.name for node in collection.children]
    assert shown == ["configured", "mixed", "new-folder", "chat.toml"]
