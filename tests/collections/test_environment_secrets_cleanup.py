"""Deleting an environment can take the secrets only it used out of `.env`: which ones (never one another
file still refers to), and a removal that keeps the rest of `.env` byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.model.dotenv import dotenv_line, parse_dotenv, remove_secrets
from app.model.environment import load_environment, secrets_only_in, unreferenced
from app.model.toml_location import FileFormatError

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)
values = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
                 max_size=20)
comments = st.sampled_from(["", "# a comment\n", "\n", "   \n", "# staging: rotated monthly\n"])


@settings(max_examples=80)
@given(st.lists(st.tuples(comments, names, values), max_size=6, unique_by=lambda entry: entry[1]), st.data())
def test_removing_secrets_keeps_every_other_line_byte_for_byte(tmp_path_factory, entries, data) -> None:
    path = tmp_path_factory.mktemp("c") / ".env"
    pieces = [(comment, key, dotenv_line(key, value)) for comment, key, value in entries]
    path.write_bytes("".join(comment + line for comment, _key, line in pieces).encode())
    chosen = set(data.draw(st.lists(st.sampled_from([key for _c, key, _l in pieces]), unique=True))) if pieces else set()
    before = path.read_bytes()

    removed = remove_secrets(path, chosen | {"not_there"})

    assert set(removed) == chosen
    expected = "".join(comment + ("" if key in chosen else line) for comment, key, line in pieces)
    assert path.read_bytes() == expected.encode()
    assert parse_dotenv(expected) == {key: value for _c, key, value in entries if key not in chosen}
    if not chosen:
        assert path.read_bytes() == before


def test_a_hand_written_multi_line_value_goes_whole_and_the_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text('a=1\r\nKEY="line one\nline two"\nexport b = 2 # note\nKEY=again\n', encoding="utf-8", newline="")
    path.chmod(0o600)
    assert remove_secrets(path, {"KEY"}) == ["KEY"]
    assert path.read_bytes() == b"a=1\r\nexport b = 2 # note\n"
    assert path.stat().st_mode & 0o777 == 0o600
    assert remove_secrets(tmp_path / "missing.env", {"KEY"}) == []
    assert not (tmp_path / "missing.env").exists()


def test_a_broken_dotenv_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("a=1\nnot a line\n", encoding="utf-8")
    with pytest.raises(FileFormatError):
        remove_secrets(path, {"a"})
    assert path.read_text(encoding="utf-8") == "a=1\nnot a line\n"


def _collection(root: Path) -> Path:
    (root / "environments").mkdir(parents=True)
    (root / ".env").write_text("staging_token=t1\nshared_key=k\ntoken=demo\nstaging_unused=x\n", encoding="utf-8")
    (root / "environments" / "staging.toml").write_text(
        'base_url = "http://s"\ntoken = "{{ staging_token }}"\nkey = "{{shared_key}}"\nurl = "{{base_url}}/x"\n'
        'auth = "{{token}}"\n', encoding="utf-8")
    (root / "environments" / "prod.toml").write_text('key = "{{shared_key}}"\n', encoding="utf-8")
    (root / "api").mkdir()
    (root / "api" / "chat.toml").write_text('url = "http://x"\n[headers]\nAuthorization = "Bearer {{token}}"\n',
                                            encoding="utf-8")
    return root


def test_only_the_secrets_no_other_file_refers_to_are_offered(tmp_path: Path) -> None:
    root = _collection(tmp_path)
    staging = load_environment(root / "environments" / "staging.toml")
    # shared_key: prod uses it too; token: a request uses it; base_url is not in .env; staging_unused is
    # in .env but staging does not refer to it.
    assert secrets_only_in(root, staging) == ["staging_token"]
    assert unreferenced(root, ["staging_token", "shared_key", "token"]) == []
    assert unreferenced(root, ["staging_token", "staging_unused"], excluding=staging.path) == [
        "staging_token", "staging_unused"]


def test_nothing_is_offered_when_a_file_cannot_be_read_or_dotenv_is_broken(tmp_path: Path) -> None:
    root = _collection(tmp_path)
    staging = load_environment(root / "environments" / "staging.toml")
    fifo = root / "api" / "pipe.toml"
    import os

    os.mkfifo(fifo)  # not a regular file: never read, so nothing can be said unused
    assert secrets_only_in(root, staging) == []
    fifo.unlink()
    (root / ".env").write_text("broken line\n", encoding="utf-8")
    assert secrets_only_in(root, staging) == []
