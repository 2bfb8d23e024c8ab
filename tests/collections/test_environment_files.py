"""Environment files and `.env` written by Sluice: round trips, secrets moved out, files seen again."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.model.collection import find_collection_root, load_collection, refresh_environments
from app.model.collection_file import ensure_collection_file
from app.model.dotenv import dotenv_line, parse_dotenv, store_secrets
from app.model.environment import (
    EnvironmentProblem,
    create_environment,
    dumps_environment,
    load_environment,
    move_secrets_to_dotenv,
    parse_environment,
    rename_environment,
    replace_values,
    save_environment,
    secret_variables,
)
from app.model.request_definition import RequestDefinition
from app.model.resolve import resolve_http
from app.model.scopes import UnknownEnvironment, scopes_for
from app.model.storage import SaveConflict
from app.model.toml_location import FileFormatError
from app.model.variables import UnresolvedVariable

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,12}", fullmatch=True)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(names, texts)
def test_a_dotenv_line_reads_back_as_its_value(key: str, value: str) -> None:
    try:
        line = dotenv_line(key, value)
    except ValueError:
        assert any(character in value for character in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        return
    assert parse_dotenv("# before\n" + line + "other=1\n") == {key: value, "other": "1"}


@settings(max_examples=60)
@given(st.dictionaries(names, texts, max_size=6))
def test_an_environment_sluice_wrote_loads_and_saves_back_byte_for_byte(tmp_path_factory, variables) -> None:
    root = tmp_path_factory.mktemp("c")
    created = create_environment(root, "staging", variables.items())
    written = created.path.read_bytes()
    loaded = load_environment(created.path)
    assert loaded.variables == variables and loaded.text.encode() == written
    assert save_environment(loaded, loaded.text) is loaded
    assert created.path.read_bytes() == written


@settings(max_examples=80)
@given(st.lists(st.tuples(names, texts, st.sampled_from(["", "  # note", "\t#c"])), max_size=5, unique_by=lambda t: t[0]),
       st.data())
def test_replacing_values_changes_only_those_values(variables, data) -> None:
    text = "# head\n" + "".join(f"{dumps_environment([(name, value)]).rstrip()}{tail}\n" for name, value, tail in variables)
    chosen = data.draw(st.lists(st.sampled_from([name for name, _, _ in variables]), unique=True)) if variables else []
    new = {name: f"{{{{{name}_ref}}}}" for name in chosen}
    edited = replace_values(text, new)
    assert parse_environment(edited) == {**parse_environment(text), **new}
    assert edited.startswith("# head\n") and edited.count("\n") == text.count("\n")


def test_an_unchanged_hand_written_file_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "environments" / "local.toml"
    path.parent.mkdir()
    path.write_text('# my comment\nport = 8765\ndebug = true\nbase_url = "http://x"\n')
    before = path.stat().st_mtime_ns
    loaded = load_environment(path)
    assert loaded.variables == {"port": "8765", "debug": "true", "base_url": "http://x"}
    assert save_environment(loaded, loaded.text) is loaded
    assert path.stat().st_mtime_ns == before
    saved = save_environment(loaded, loaded.text + 'extra = "1"\n')
    assert path.read_text().startswith("# my comment\n") and saved.variables["extra"] == "1"
    with pytest.raises(FileFormatError):
        save_environment(saved, "nested = { a = 1 }\n")


def test_saving_over_a_file_changed_on_disk_is_a_conflict(tmp_path: Path) -> None:
    created = create_environment(tmp_path, "dev", [("a", "1")])
    created.path.write_text('a = "2"\nb = "3"\n')
    with pytest.raises(SaveConflict):
        save_environment(created, 'a = "9"\n')


def test_names_are_checked_and_never_overwrite(tmp_path: Path) -> None:
    create_environment(tmp_path, "dev")
    with pytest.raises(EnvironmentProblem):
        create_environment(tmp_path, "dev")
    for bad in ("", "../up", "a/b", ".hidden", "with space"):
        with pytest.raises(EnvironmentProblem):
            create_environment(tmp_path, bad)
    prod = create_environment(tmp_path, "prod", [("x", "1")])
    with pytest.raises(EnvironmentProblem):
        rename_environment(prod, "dev")
    renamed = rename_environment(prod, "production")
    assert renamed.path == tmp_path / "environments" / "production.toml" and not prod.path.exists()
    assert load_environment(renamed.path).variables == {"x": "1"}


def test_store_secrets_appends_keeps_the_file_and_reuses_values(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    assert store_secrets(dotenv, [("Token", "sk-1")]) == ["token"]
    assert stat.S_IMODE(dotenv.stat().st_mode) == 0o600 & ~_umask()
    dotenv.write_text("# mine\nexport token=sk-1")  # no final newline
    names = store_secrets(dotenv, [("token", "sk-1"), ("token", "sk-2"), ("X-Api-Key", "k y"), ("base", "z")],
                          avoid={"base"})
    assert names == ["token", "token_2", "x_api_key", "base_2"]
    assert dotenv.read_text() == '# mine\nexport token=sk-1\ntoken_2=sk-2\nx_api_key="k y"\nbase_2=z\n'


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def test_a_secret_moved_out_of_an_environment_resolves_through_dotenv(tmp_path: Path) -> None:
    ensure_collection_file(tmp_path)
    text = '# staging\nbase_url = "http://127.0.0.1:9"\ntoken = "sk-live-abc"  # from the console\nmax_tokens = 256\n'
    assert secret_variables(text) == ["token"]
    moved = move_secrets_to_dotenv(tmp_path, "staging", text, ["token"])
    assert moved == text.replace('"sk-live-abc"', '"{{staging_token}}"')
    create_environment(tmp_path, "staging")
    save_environment(load_environment(tmp_path / "environments" / "staging.toml"), moved)
    assert (tmp_path / ".env").read_text() == "staging_token=sk-live-abc\n"
    assert "sk-live" not in (tmp_path / "environments" / "staging.toml").read_text()
    collection = load_collection(tmp_path)
    chain = scopes_for(collection, tmp_path / "r.toml", "staging", os_env={}).chain()
    found = chain.resolve("token")
    assert found is not None and found.value == "sk-live-abc" and found.origin == "environment staging → .env"
    request = resolve_http(RequestDefinition("r", "{{base_url}}/", headers=(("Authorization", "Bearer {{token}}"),)),
                           scopes_for(collection, tmp_path / "r.toml", "staging", os_env={}))
    assert ("Authorization", "Bearer sk-live-abc") in request.headers
    (tmp_path / ".env").write_text("")
    collection = load_collection(tmp_path)
    with pytest.raises(UnresolvedVariable, match="staging_token"):
        resolve_http(RequestDefinition("r", "{{token}}"), scopes_for(collection, None, "staging", os_env={}))
    spans = scopes_for(collection, None, "staging", os_env={}).chain().find("{{token}}")
    assert not spans[0].resolved and "staging_token" in spans[0].problem


def test_a_reference_in_an_extracted_value_is_never_expanded() -> None:
    from app.model.scopes import RunScopes

    chain = RunScopes(run={"job": "{{$env.HOME}}"}, os_env={"HOME": "/root"}).chain()
    assert chain.substitute("{{job}}", "URL") == "{{$env.HOME}}"


def test_environment_files_added_or_changed_on_disk_are_picked_up(tmp_path: Path) -> None:
    create_environment(tmp_path, "dev", [("a", "1")])
    collection = load_collection(tmp_path)
    assert refresh_environments(collection) is collection
    (tmp_path / "environments" / "staging.toml").write_text('a = "2"\n')
    (tmp_path / ".env").write_text("s=1\n")
    fresh = refresh_environments(collection)
    assert fresh.environment_names == ("dev", "staging") and fresh.dotenv == {"s": "1"}
    (tmp_path / "environments" / "staging.toml").write_text("a = [\n")
    broken = refresh_environments(fresh)
    assert broken.environment_names == ("dev",) and [p.path.name for p in broken.problems] == ["staging.toml"]


def test_ensure_collection_file_makes_the_folder_a_collection_once(tmp_path: Path) -> None:
    folder = tmp_path / "new-api"
    folder.mkdir()
    assert find_collection_root(folder) is None
    assert ensure_collection_file(folder) == folder / "collection.toml"
    assert (folder / "collection.toml").read_text() == 'name = "new-api"\n'
    assert ensure_collection_file(folder) is None and find_collection_root(folder) == folder


def test_an_environment_named_outside_any_collection_is_unknown(tmp_path: Path) -> None:
    with pytest.raises(UnknownEnvironment, match="no collection"):
        scopes_for(None, tmp_path / "x.toml", "staging")
    assert scopes_for(None, tmp_path / "x.toml", "").run == {}


def test_a_renamed_default_environment_stays_the_default(tmp_path: Path) -> None:
    from app.model.collection_file import rename_default_environment

    (tmp_path / "collection.toml").write_text('name = "c"\ndefault_environment = "dev"  # mine\n[variables]\na = "1"\n')
    assert rename_default_environment(tmp_path, "dev", "develop")
    assert (tmp_path / "collection.toml").read_text() == (
        'name = "c"\ndefault_environment = "develop"  # mine\n[variables]\na = "1"\n')
    assert not rename_default_environment(tmp_path, "prod", "x")


def test_no_collection_toml_inside_another_collection(tmp_path: Path) -> None:
    ensure_collection_file(tmp_path)
    (tmp_path / "chat").mkdir()
    assert ensure_collection_file(tmp_path / "chat") is None and not (tmp_path / "chat" / "collection.toml").exists()
