"""The collection's default environment set, cleared and followed from the TUI (`collection_file.py`), as
`load_collection` (and so `sluice run` without `--env`) reads it; deleting an environment file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.model.collection import load_collection
from app.model.collection_file import read_default_environment, write_default_environment
from app.model.environment import create_environment, delete_environment, load_environment
from app.model.storage import SaveConflict
from app.model.toml_location import FileFormatError


def test_set_replaces_only_the_value_and_clear_removes_the_line(tmp_path: Path) -> None:
    path = tmp_path / "collection.toml"
    path.write_text('# mine\nname = "c"\ndefault_environment = "dev"  # why\n\n[variables]\na = "1"\n')
    write_default_environment(tmp_path, "prod")
    assert path.read_text() == '# mine\nname = "c"\ndefault_environment = "prod"  # why\n\n[variables]\na = "1"\n'
    assert load_collection(tmp_path).default_environment == "prod" == read_default_environment(tmp_path)
    write_default_environment(tmp_path, "")
    assert path.read_text() == '# mine\nname = "c"\n\n[variables]\na = "1"\n'
    assert load_collection(tmp_path).default_environment == "" == read_default_environment(tmp_path)


def test_set_adds_the_key_before_any_table_and_makes_a_missing_collection_toml(tmp_path: Path) -> None:
    path = tmp_path / "c" / "collection.toml"
    path.parent.mkdir()
    path.write_text('name = "c"\n[headers]\nX = "1"\n')
    write_default_environment(path.parent, "staging")
    assert path.read_text() == 'name = "c"\ndefault_environment = "staging"\n[headers]\nX = "1"\n'
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    write_default_environment(fresh, "local")
    assert tomllib.loads((fresh / "collection.toml").read_text()) == {"name": "fresh", "default_environment": "local"}


def test_a_broken_collection_toml_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "collection.toml"
    path.write_text('name = [\n')
    with pytest.raises(FileFormatError):
        write_default_environment(tmp_path, "x")
    assert path.read_text() == 'name = [\n'
    path.write_text('description = """\ndefault_environment = "inside a string"\n"""\n')
    write_default_environment(tmp_path, "x")  # the string is not the key: the key is added
    assert tomllib.loads(path.read_text())["description"] == 'default_environment = "inside a string"\n'
    assert read_default_environment(tmp_path) == "x"


_NAMES = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,20}", fullmatch=True)
_VALUES = st.one_of(st.text(max_size=20), st.integers(), st.booleans())
_DOCUMENTS = st.dictionaries(st.sampled_from(["name", "description", "default_environment", "merge_script"]),
                             st.text(max_size=30), max_size=4)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=_DOCUMENTS, headers=st.dictionaries(st.text(min_size=1, max_size=8), _VALUES, max_size=3),
       name=st.one_of(st.just(""), _NAMES))
def test_any_collection_toml_keeps_every_other_key(tmp_path: Path, document: dict[str, str],
                                                   headers: dict[str, object], name: str) -> None:
    import tomli_w

    path = tmp_path / "collection.toml"
    data: dict[str, object] = {**document, "headers": headers} if headers else dict(document)
    path.write_text(tomli_w.dumps(data, multiline_strings=True))
    # What the file holds, not `data`: tomli_w writes "\r\n" in a multi-line string as a bare newline.
    before = tomllib.loads(path.read_text())
    write_default_environment(tmp_path, name)
    written = tomllib.loads(path.read_text())
    expected = {key: value for key, value in before.items() if key != "default_environment"}
    if name:
        expected["default_environment"] = name
    assert written == expected


def test_delete_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    staging = create_environment(tmp_path, "staging", [("a", "1")])
    (tmp_path / "environments" / "staging.toml").write_text('a = "2"\n')
    with pytest.raises(SaveConflict):
        delete_environment(staging)
    assert (tmp_path / "environments" / "staging.toml").exists()
    delete_environment(load_environment(tmp_path / "environments" / "staging.toml"))
    assert not (tmp_path / "environments" / "staging.toml").exists()
