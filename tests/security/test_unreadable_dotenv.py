"""A `.env` that is not UTF-8 (a cloned or hand-saved file in Latin-1): named as a broken file with its
line and column, and named again wherever a variable it would define is missing, never only as
"undefined" variables."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import wait_until

from app.model.collection import load_collection
from app.ui.app import SluiceApp


def _collection(root: Path, url: str = "http://127.0.0.1:9/x") -> Path:
    (root / "environments").mkdir(parents=True)
    (root / "collection.toml").write_text('name = "c"\ndefault_environment = "dev"\n', encoding="utf-8")
    (root / "environments" / "dev.toml").write_text(f'base = "{url}"\n', encoding="utf-8")
    (root / ".env").write_bytes(b"A=ok\n# caf\xc3\xa9 is fine\nTOKEN=caf\xe9\n")
    (root / "r.toml").write_text('name = "R"\nurl = "{{base}}?t={{TOKEN}}"\n', encoding="utf-8")
    return root


def test_the_file_is_named_with_the_line_and_column_of_the_first_byte_that_is_not_utf8(tmp_path: Path) -> None:
    collection = load_collection(_collection(tmp_path / "c"))
    [problem] = collection.problems
    assert problem.path.name == ".env" and (problem.line, problem.column) == (3, 10)
    assert "not UTF-8" in problem.message


def test_sluice_run_names_it_beside_the_undefined_variable(tmp_path: Path, sluice) -> None:
    root = _collection(tmp_path / "c")
    result = sluice("run", str(root / "r.toml"))
    assert result.code == 1
    assert "{{TOKEN}}" in result.stderr and f"{root / '.env'}:3:10: not UTF-8 text" in result.stderr


async def test_the_tui_says_it_when_the_request_is_sent(tmp_path: Path) -> None:
    root = _collection(tmp_path / "c")
    app = SluiceApp(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        screen.open_request(screen.workspace.collection.requests()[0])
        await pilot.pause()
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: any("Not sent" in note.message for note in app._notifications))
        message = next(note.message for note in app._notifications if "Not sent" in note.message)
        assert ".env:3:10: not UTF-8 text" in message and "{{TOKEN}}" in message
        assert screen.live is None


def test_an_environment_file_that_is_not_utf8_is_named_not_called_unknown(tmp_path: Path, sluice) -> None:
    root = _collection(tmp_path / "c")
    (root / "environments" / "dev.toml").write_bytes(b'base = "caf\xe9"\n')
    result = sluice("run", str(root / "r.toml"))
    assert result.code == 1
    assert "no environment named 'dev'" in result.stderr and f"{root / 'environments' / 'dev.toml'}:1:12: not UTF-8" in result.stderr
