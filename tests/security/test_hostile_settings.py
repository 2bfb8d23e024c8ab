"""Settings, keymap and theme files are read with the guards of collection files: a FIFO, a 10 MB+ file,
nesting past the limit, a colour that is no colour or a key name holding controls is a named problem and
Sluice starts with the defaults, never hangs nor raises; a settings file it could not read is not
written over."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.ui.app import SluiceApp
from app.ui.settings import EDITOR_HEIGHT_RANGE, TREE_WIDTH_RANGE, Settings, load_settings
from app.ui.themes import ThemeFileError, load_themes, theme_from_toml

BROKEN_SETTINGS = {
    "deep": "theme = " + "[" * 5000 + "]" * 5000 + "\n",
    "syntax": 'theme = "sluice-light"\n[keymap\n',
    "not utf-8": b"theme = \"\xff\"\n",
    "huge": "# " + "x" * (10 * 1024 * 1024) + "\n",
}


@pytest.mark.parametrize("case", BROKEN_SETTINGS)
def test_a_settings_file_that_cannot_be_read_gives_the_defaults_and_says_where(case: str, tmp_path: Path) -> None:
    content = BROKEN_SETTINGS[case]
    path = tmp_path / "settings.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    settings = load_settings(tmp_path)
    assert (settings.theme, settings.keymap, settings.writable) == (Settings().theme, {}, False)
    assert len(settings.problems) == 1 and str(path) in settings.problems[0], settings.problems


def test_a_settings_fifo_does_not_hang_start_up(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "settings.toml")
    settings = load_settings(tmp_path)
    assert settings.writable is False and "not a regular file" in settings.problems[0]


def test_layout_values_out_of_range_are_clamped_and_control_key_names_refused(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text(
        '[layout]\ntree_width = -500\neditor_height = 100000000000000000000\n'
        '[keymap]\n"app.focus_tree" = "f2\\u001b]52;c;cHduZWQ=\\u0007"\n"app.help" = "f1"\n', encoding="utf-8")
    settings = load_settings(tmp_path)
    assert (settings.layout.tree_width, settings.layout.editor_height) == (TREE_WIDTH_RANGE[0], EDITOR_HEIGHT_RANGE[1])
    assert settings.keymap == {"app.help": "f1"}
    assert any("app.focus_tree" in problem for problem in settings.problems)


async def test_the_app_does_not_write_over_a_settings_file_it_could_not_read(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    written = '[keymap]\n"request.send" = "f9"\n[layout\n'  # one typo from the user's keymap
    (config / "settings.toml").write_text(written, encoding="utf-8")
    app = SluiceApp(tmp_path / "empty", settings_dir=config)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "sluice-light"
        await pilot.pause()
        assert any("settings.toml" in str(toast.message) and "3:" in str(toast.message)
                   for toast in app._notifications), list(app._notifications)
    assert (config / "settings.toml").read_text(encoding="utf-8") == written


THEMES = {
    "fifo": None,
    "deep": 'name = "deep"\nprimary = "#123456"\nx = ' + "[" * 5000 + "]" * 5000 + "\n",
    "colour": 'name = "colour"\nprimary = "not-a-colour"\n',
    "token": 'name = "token"\nprimary = "#123456"\n[variables]\nmethod-get = "}"\n',
    "name": 'name = "evil\\u001b[2J\\u202e"\nprimary = "#123456"\n',
}


def test_bad_theme_files_are_reported_and_the_good_one_loads(tmp_path: Path) -> None:
    for name, content in THEMES.items():
        if content is None:
            os.mkfifo(tmp_path / f"{name}.toml")
        else:
            (tmp_path / f"{name}.toml").write_text(content, encoding="utf-8")
    (tmp_path / "good.toml").write_text('name = "good"\nprimary = "#123456"\n', encoding="utf-8")
    themes, problems = load_themes(tmp_path)
    assert [theme.name for theme in themes] == ["good"]
    assert sorted(Path(problem.split(":")[0]).stem for problem in problems) == sorted(THEMES)
    assert all("\x1b" not in problem and "\u202e" not in problem for problem in problems)
    with pytest.raises(ThemeFileError, match="nested more than 64 levels"):
        theme_from_toml(tmp_path / "deep.toml")
