"""The URL's query and the Params tab are two views of one text: a query typed (in bursts) into either
shows in the other, credentials stay masked in both, and a request saved unchanged keeps its bytes."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import burst, open_named, wait_until
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input, TextArea

from app.ui.app import SluiceApp
from app.ui.request.url_query import line_pieces, query_lines, query_pieces, with_query

SIZE = (160, 45)
PIECE = st.text(st.characters(blacklist_characters="&#\n\r", blacklist_categories=("Cs", "Zl", "Zp", "Cc")),
                min_size=1, max_size=8).map(str.strip).filter(bool)


@given(base=st.sampled_from(["{{base_url}}/x", "ws://h/p", "https://a/b?", "https://a/b?z=1"]),
       pieces=st.lists(PIECE, max_size=4), fragment=st.sampled_from(["", "#top", "#a=b"]))
def test_a_query_goes_to_lines_and_back_unchanged(base: str, pieces: list[str], fragment: str) -> None:
    url = with_query(base + fragment, pieces)
    assert query_pieces(url) == pieces
    assert line_pieces(query_lines(url)) == pieces
    assert with_query(url, line_pieces(query_lines(url))) == url
    assert url.endswith(fragment)


def test_a_line_cannot_end_the_query_or_hold_two_pieces_unseen() -> None:
    assert line_pieces(" a=1 \n\nb=#2&c=3\n") == ["a=1", "b=%232", "c=3"]
    assert with_query("http://h/p?old=1#frag", []) == "http://h/p#frag"


def editor_parts(app: SluiceApp) -> tuple[Input, TextArea]:
    editor = app.main_screen.editor
    return editor.query_one("#url", Input), editor.query_one("#url-query", TextArea)


async def test_a_query_typed_into_the_url_shows_in_the_params_tab_and_back(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        screen.editor.show_tab("tab-params")
        url, area = editor_parts(app)
        await burst(pilot, "ctrl+l", "end", *"?q=1&page=2")
        await wait_until(pilot, lambda: area.text == "q=1\npage=2")
        column = screen.editor.query_one("#url-query-column")
        assert url.value.endswith("/v1/chat/completions?q=1&page=2") and column.display
        labels = [str(label.render()) for label in screen.editor.query(".column-title")]
        assert labels[-1] == "Sent after it ([params]):", labels  # not eaten as markup
        area.focus()
        await burst(pilot, "down", "end", "enter", *"limit=5", "up", "end", "backspace", *"3")
        await wait_until(pilot, lambda: url.value.endswith("?q=1&page=3&limit=5"))
        assert area.text == "q=1\npage=3\nlimit=5"
        assert screen.editor.draft.params == ""  # the [params] table is its own: nothing moved into it
        await burst(pilot, "ctrl+l", "ctrl+u", *"http://h/p")  # Ctrl+U: delete to the start
        await wait_until(pilot, lambda: area.text == "" and not column.display)


async def test_credentials_stay_masked_in_both_and_the_real_values_are_kept(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        editor = app.main_screen.editor
        editor.show_tab("tab-params")
        url, area = editor_parts(app)
        await burst(pilot, "ctrl+l", "end", *"?api_key=sk-live-9&q=x")
        await wait_until(pilot, lambda: area.text == "api_key=****\nq=x")  # the URL shows what was typed
        area.focus()
        await burst(pilot, "down", "end", *"y")
        await wait_until(pilot, lambda: url.value.endswith("?api_key=****&q=xy"))
        assert editor.draft.url.endswith("?api_key=sk-live-9&q=xy")


async def test_a_request_with_a_query_and_params_saves_unchanged_byte_for_byte(collection: Path) -> None:
    path = collection / "streams" / "query.toml"
    original = 'name = "Query"\nmethod = "GET"\nurl = "{{base_url}}/sse/drip?n=3&interval=0.01"\n\n[params]\nextra = "1"\n'

    path.write_text(original, encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        open_named(app, "Query")
        screen.editor.show_tab("tab-params")
        await wait_until(pilot, lambda: bool(screen.editor.query("#url-query")))
        url, area = editor_parts(app)
        await wait_until(pilot, lambda: area.text == "n=3\ninterval=0.01")
        assert screen.editor.query_one("#params", TextArea).text == "extra=1"
        await pilot.pause()
        assert not screen.editor.is_dirty
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == original


async def test_at_100x30_the_params_table_stays_in_view_beside_the_urls_query(collection: Path) -> None:
    path = collection / "streams" / "query.toml"
    path.write_text('name = "Query"\nurl = "{{base_url}}/sse/drip?n=3&interval=0.01"\n\n'
                    '[params]\na = "1"\nb = "2"\nc = "3"\nd = "4"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        open_named(app, "Query")
        await burst(pilot, "ctrl+l", "end", *"&x=1")  # typed in a burst: the focus stays in the URL
        params = screen.editor.query_one("#params", TextArea)
        url, area = editor_parts(app)
        await wait_until(pilot, lambda: area.text == "n=3\ninterval=0.01\nx=1" and params.text == "a=1\nb=2\nc=3\nd=4")
        await pilot.pause()
        assert app.focused is url
        pane = screen.editor.query_one("#request-panes")
        for shown in (area, params):  # each area whole inside the editor's visible pane, every line in view
            assert pane.region.contains_region(shown.region), (shown.id, shown.region, pane.region)
            assert shown.region.height >= 4, (shown.id, shown.region)


async def test_ctrl_pagedown_to_params_focuses_the_table_when_the_url_has_no_query(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        editor = app.main_screen.editor
        url, _ = editor_parts(app)
        assert "?" not in url.value
        steps = len(editor.query_one("#request-tabs").tabs)  # once round, back to Params, built by then
        await burst(pilot, "ctrl+l", *["ctrl+pagedown"] * steps)
        params = editor.query_one("#params", TextArea)
        await wait_until(pilot, lambda: editor.active_tab == "tab-params" and app.focused is params)
        await burst(pilot, *"a=1")
        await wait_until(pilot, lambda: params.text == "a=1")
