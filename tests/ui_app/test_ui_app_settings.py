"""Settings and themes: where they live, what a bad file gives, what the app registers."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ui.resources import themes_path
from app.ui.settings import Layout, Settings, config_dir, load_settings, save_settings
from app.ui.themes import THEME_VARIABLE_DEFAULTS, ThemeFileError, load_themes, theme_from_toml


def test_sluice_config_dir_wins_over_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SLUICE_CONFIG_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_dir() == tmp_path / "explicit"


def test_config_dir_falls_back_to_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SLUICE_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config_dir() == tmp_path / "sluice"


def test_settings_round_trip(tmp_path: Path) -> None:
    settings = Settings(theme="sluice-light", last_collection="/x/y", layout=Layout(tree_width=40, tree_visible=False))
    save_settings(settings, tmp_path)
    assert load_settings(tmp_path) == settings


def test_missing_or_malformed_settings_give_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()
    (tmp_path / "settings.toml").write_text("theme = [", encoding="utf-8")
    broken = load_settings(tmp_path)
    assert broken.with_changes(problems=(), writable=True) == Settings() and "1:10" in broken.problems[0]
    (tmp_path / "settings.toml").write_text('theme = 3\n[layout]\ntree_width = "wide"\n', encoding="utf-8")
    assert load_settings(tmp_path) == Settings()


def test_three_builtin_themes_load_with_every_token() -> None:
    themes, problems = load_themes(themes_path())
    assert problems == []
    names = {theme.name for theme in themes}
    assert {"sluice-dark", "sluice-light", "sluice-high-contrast"} <= names
    assert [theme.dark for theme in themes if theme.name == "sluice-light"] == [False]
    for theme in themes:
        assert set(THEME_VARIABLE_DEFAULTS) <= set(theme.variables), theme.name


def test_bad_theme_file_is_reported_with_its_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n', encoding="utf-8")
    with pytest.raises(ThemeFileError, match="bad.toml"):
        theme_from_toml(bad)
    (tmp_path / "good.toml").write_text('name = "good"\nprimary = "#123456"\n', encoding="utf-8")
    themes, problems = load_themes(tmp_path)
    assert [theme.name for theme in themes] == ["good"]
    assert len(problems) == 1 and "bad.toml" in problems[0]


def test_shipped_folders_are_found() -> None:
    from app.ui.resources import sample_collections_path

    assert (sample_collections_path() / "collection.toml").is_file()
    assert (themes_path() / "sluice-dark.toml").is_file()


def test_saving_keeps_the_keys_this_version_does_not_know(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text(
        '# mine\ntheme = "sluice-dark"\nfuture_option = "kept"\nlast_collection = "/a"\n'
        '[layout]\ntree_width = 30\nnew_pane = true\n'
        '[keymap]\n"request.send" = "f9"\n"app.help" = ""\n'
        '[plugins.lint]\nlevel = 3\n', encoding="utf-8")
    loaded = load_settings(tmp_path)
    assert loaded.keymap == {"request.send": "f9"} and loaded.problems  # the empty one is reported, not used
    save_settings(loaded.with_changes(theme="sluice-light", layout=Layout(tree_width=50)), tmp_path)
    import tomllib

    saved = tomllib.loads((tmp_path / "settings.toml").read_text(encoding="utf-8"))
    assert saved["theme"] == "sluice-light" and saved["future_option"] == "kept" and saved["last_collection"] == "/a"
    assert saved["layout"]["tree_width"] == 50 and saved["layout"]["new_pane"] is True
    assert saved["keymap"] == {"request.send": "f9", "app.help": ""}  # left for the user to fix
    assert saved["plugins"] == {"lint": {"level": 3}}
    again = load_settings(tmp_path)
    assert again.theme == "sluice-light" and again.layout.tree_width == 50
    save_settings(again.with_changes(last_collection=None), tmp_path)
    assert "last_collection" not in tomllib.loads((tmp_path / "settings.toml").read_text(encoding="utf-8"))
