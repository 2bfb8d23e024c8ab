"""Keys typed during start-up land as typed: while the collection is still being read they wait for it, in
order; the first screen's Timeline takes its keys before any response; the terminal does not translate
them (Enter, Ctrl+S/Q) and gets its settings back."""

from __future__ import annotations

import threading
from pathlib import Path

from helpers_ui_app import burst, mount_once_the_collection_is_read, wait_until

from app.ui.app import SluiceApp

SIZE = (120, 40)


async def test_keys_typed_before_the_collection_is_read_wait_for_it_in_order(collection: Path, monkeypatch) -> None:
    from app.model import collection as collection_module

    gate = threading.Event()
    read = collection_module.load_collection

    def read_when_let(root: Path) -> object:
        gate.wait(60)  # the test lets the load finish once the keys are typed
        return read(root)

    monkeypatch.setattr(collection_module, "load_collection", read_when_let)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await pilot.press("slash", "d", "r", "i", "p", "enter")
        assert screen.workspace.collection is None, "typed while the collection is still being read"
        gate.set()
        await wait_until(pilot, lambda: screen.current is not None and screen.current.title == "Drip")
        assert app.focused is screen.collection_tree


async def test_a_collection_read_before_the_screen_is_composed_is_in_its_first_layout_and_keys_wait_in_order(
    collection: Path, monkeypatch
) -> None:
    shown_when_composed: list[bool] = []
    mount_once_the_collection_is_read(monkeypatch, lambda screen: shown_when_composed.append(screen.workspace.collection is not None))
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await pilot.press("slash", "d", "r", "i", "p", "enter")
        await wait_until(pilot, lambda: screen.current is not None and screen.current.title == "Drip")
        assert shown_when_composed == [True]
        assert app.focused is screen.collection_tree


async def test_the_timelines_keys_typed_at_start_up_work_before_any_response(collection: Path) -> None:
    # The first screen's Timeline has no store (the event model is imported later): a filter, the jumps,
    # the detail and the cursor typed at once make one when they need it, in order.
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        timeline = screen.response_pane.timeline
        await burst(pilot, "ctrl+g", "slash", *"kind:open", "enter", "n", "e", "f", "j", "enter", "G")
        await wait_until(pilot, lambda: app.focused is timeline and timeline.filter_query.source == "kind:open")
        await wait_until(pilot, lambda: screen.query_one("#timeline-filter-status").display)
        assert timeline.row_count == 0 and app.screen is screen, "nothing to open a detail of"
        await pilot.press("escape")
        await wait_until(pilot, lambda: timeline.filter_query.is_empty)
        assert not screen.query_one("#timeline-filter-status").display


def test_keys_typed_during_start_up_are_not_translated_by_the_terminal_and_its_settings_come_back() -> None:
    import os
    import pty
    import termios

    from app.ui.entry import keys_typed_ahead_kept

    controller, terminal = pty.openpty()
    try:
        with os.fdopen(terminal, "rb", buffering=0, closefd=False) as stream:
            before = termios.tcgetattr(terminal)
            assert before[0] & termios.ICRNL and before[3] & termios.ECHO
            with keys_typed_ahead_kept(stream):
                during = termios.tcgetattr(terminal)
                assert not during[0] & (termios.ICRNL | termios.IXON), "Enter stays Enter, Ctrl+S/Q reach the app"
                assert not during[3] & (termios.ICANON | termios.ECHO)
                assert during[3] & termios.ISIG, "Ctrl+C still stops a start-up that hangs"
            assert termios.tcgetattr(terminal) == before
    finally:
        os.close(controller)
        os.close(terminal)


def test_without_a_terminal_start_up_leaves_stdin_alone(tmp_path: Path) -> None:
    from app.ui.entry import keys_typed_ahead_kept

    with (tmp_path / "stdin").open("w+") as stream, keys_typed_ahead_kept(stream):
        pass
