"""The collection tree: display-name order, and a filter that lands on a request and lets go in place."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import wait_until

from app.model.collection import RequestFile
from app.ui.app import SluiceApp

SIZE = (120, 40)


def labels(app: SluiceApp) -> list[str]:
    found: list[str] = []

    def walk(node) -> None:
        for child in node.children:
            found.append(str(child.label))
            walk(child)

    walk(app.main_screen.collection_tree.root)
    return found


async def test_requests_sort_by_their_display_name_not_their_file_name(collection: Path) -> None:
    (collection / "streams" / "aaa.toml").write_text('name = "Zulu"\nurl = "http://x/"\n', encoding="utf-8")
    (collection / "streams" / "zzz.toml").write_text('name = "alpha"\nurl = "http://x/"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(labels(app)))
        folder = next(node for node in app.main_screen.collection_tree.root.children if str(node.label) == "streams")
        assert [str(node.label).split(maxsplit=1)[1] for node in folder.children] == ["alpha", "Drip", "Echo", "Zulu"]


async def test_enter_after_filtering_opens_the_request_and_escape_keeps_the_cursor(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(labels(app)))
        screen = app.main_screen
        tree = screen.collection_tree
        tree.focus()
        await pilot.press("slash", "d", "r", "i", "p")
        await wait_until(pilot, lambda: labels(app) == ["streams", "SSE    Drip"] or labels(app) == ["streams", "GET    Drip"])
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.current is not None and screen.current.title == "Drip")
        assert app.focused is tree
        await pilot.press("slash", "escape")
        await wait_until(pilot, lambda: len(labels(app)) > 2)
        await pilot.pause()
        node = tree.cursor_node
        assert node is not None and isinstance(node.data, RequestFile) and node.data.title == "Drip"


async def test_deleting_moves_to_the_next_request_and_a_folder_question_counts_its_requests(collection: Path) -> None:
    from app.ui.collection.dialogs import ConfirmDialog

    (collection / "streams" / "zzz.toml").write_text('name = "Zulu"\nurl = "http://x/"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(labels(app)))
        screen = app.main_screen
        tree = screen.collection_tree

        def cursor_title() -> str:
            data = tree.cursor_node.data if tree.cursor_node else None
            return data.title if data is not None else ""

        screen.reload_collection(select=collection / "streams" / "drip.toml")  # the tree's cursor on it, opened
        tree.focus()
        await wait_until(pilot, lambda: cursor_title() == "Drip" and screen.current is not None
                         and screen.current.title == "Drip")

        # The open request deleted: the next one in its folder is selected and opened, not the folder.
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: not (collection / "streams" / "drip.toml").exists())
        await wait_until(pilot, lambda: cursor_title() == "Echo" and screen.current is not None
                         and screen.current.title == "Echo")
        # The last of the folder: the one before it.
        screen.reload_collection(select=collection / "streams" / "zzz.toml")
        await wait_until(pilot, lambda: cursor_title() == "Zulu")
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: not (collection / "streams" / "zzz.toml").exists())
        await wait_until(pilot, lambda: cursor_title() == "Echo")
        # A folder names what goes with it.
        tree.move_cursor(next(node for node in tree.root.children if str(node.label) == "streams"))
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Delete the folder streams and the 1 request in it?" in str(app.screen.query_one("Label").render())
        await pilot.press("n")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmDialog))
        assert (collection / "streams" / "echo.toml").exists()


async def test_the_cursor_starts_on_the_open_request_so_j_enter_opens_the_next(collection: Path) -> None:
    (collection / "llm" / "zz.toml").write_text('name = "Zulu chat"\nurl = "http://x/"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        tree = screen.collection_tree
        await wait_until(pilot, lambda: screen.current is not None and bool(labels(app)))
        await wait_until(pilot, lambda: isinstance(getattr(tree.cursor_node, "data", None), RequestFile))
        first = screen.current
        assert first is not None and tree.cursor_node.data.path == first.path
        await pilot.press("ctrl+t", "j", "enter")
        await wait_until(pilot, lambda: screen.current is not None and screen.current.path != first.path)
        assert screen.current is not None and screen.current.title == "Zulu chat"


async def test_the_merge_scripts_folder_is_not_shown_as_an_empty_folder() -> None:
    """`sluice --demo`: the sample collection's `scripts/` holds merge scripts, not requests."""
    app = SluiceApp(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(labels(app)))
        folders = [str(node.label) for node in app.main_screen.collection_tree.root.children if node.allow_expand]
        assert "scripts" not in folders
        assert {"merge-scripts", "websocket"} <= set(folders)


async def test_at_100x30_a_long_name_is_cut_with_an_ellipsis_and_the_tree_does_not_scroll_sideways(collection: Path) -> None:
    long_name = "Diagnostic chat (SSE delta/done) with a long name"
    (collection / "streams" / "long.toml").write_text(f'name = "{long_name}"\nurl = "http://x/"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: bool(labels(app)))
        tree = app.main_screen.collection_tree
        await wait_until(pilot, lambda: tree.scrollable_content_region.width > 0)
        await pilot.pause()
        screen = [strip.text for strip in app.screen._compositor.render_strips()]  # what the terminal shows
        inside = tree.content_region
        row = next(line[inside.x:inside.right] for line in screen if "Diagnostic chat" in line)
        assert row.rstrip().endswith("…") and "with a long name" not in row, row
        assert tree.virtual_size.width <= tree.scrollable_content_region.width
        assert not tree.show_horizontal_scrollbar


async def test_a_filter_that_matches_nothing_says_so_and_enter_there_does_nothing(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(labels(app)))
        screen = app.main_screen
        tree = screen.collection_tree
        tree.focus()
        await pilot.press("slash", "z", "z", "q")
        await wait_until(pilot, lambda: labels(app) == ["No name contains “zzq” (esc shows all)"])
        await pilot.press("enter")  # the box's Enter goes to the tree; on the note it opens nothing
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen  # no dialog, no error
        await pilot.press("slash", "escape")
        await wait_until(pilot, lambda: len(labels(app)) > 2)
