"""The tree's `r` with the new name typed right behind it: every key goes into the rename box, in order."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import burst, wait_until

from app.model.collection import RequestFile
from app.ui.app import SluiceApp
from app.ui.collection.dialogs import NameDialog


async def test_keys_typed_right_after_r_go_into_the_rename_box(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.main_screen.collection_tree
        await wait_until(pilot, lambda: tree.cursor_node is not None and isinstance(tree.cursor_node.data, RequestFile))
        # chat (open) -> streams/ -> Drip, then `r` and the name; `n`, `d`, `x` and `j` are tree keys
        # (new, duplicate, delete, down): none may reach the tree.
        await burst(pilot, "ctrl+t", "j", "j")
        await wait_until(pilot, lambda: isinstance(tree.cursor_node.data, RequestFile) and tree.cursor_node.data.title == "Drip")
        await burst(pilot, "r", *"Index", "backspace", *"d jx", "enter")
        await wait_until(pilot, lambda: (collection / "streams" / "inded-jx.toml").exists())
        assert not isinstance(app.screen, NameDialog)
        assert sorted(path.name for path in (collection / "streams").iterdir()) == ["echo.toml", "inded-jx.toml"]
        assert 'name = "Inded jx"' in (collection / "streams" / "inded-jx.toml").read_text(encoding="utf-8")
