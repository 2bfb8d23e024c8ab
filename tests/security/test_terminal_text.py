"""The terminal sanitiser: nothing a terminal would interpret survives, everything else is unchanged."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from app.terminal_text import json_line_safe, safe_block, safe_line, safe_lines

_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def test_hostile_sequences_are_shown_not_emitted() -> None:
    osc_title = "\x1b]0;pwned\x1b\\"
    osc52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
    assert safe_line(osc_title) == "\\x1b]0;pwned\\x1b\\"
    assert safe_line(osc52) == "\\x1b]52;c;cm0gLXJmIH4=\\x07"
    assert safe_line("\x1b[2Jok\x08\x08") == "\\x1b[2Jok\\x08\\x08"
    assert safe_line("\x9b2J") == "\\x9b2J"
    assert safe_line("a\u202eb\u2066c") == "a\\u202eb\\u2066c"
    assert safe_line("a\nb\tc\r") == "a\\nb\\tc\\r"


def test_block_keeps_layout_but_not_controls() -> None:
    assert safe_block("line 1\nline\t2\r\n") == "line 1\nline\t2\r\n"
    assert safe_block("over\rwrite\r\nok") == "over\\rwrite\r\nok"
    assert safe_block("\x1b]0;t\x07\n\x7f") == "\\x1b]0;t\\x07\n\\x7f"
    # An override would reorder the lines it is in (`--merged` on a terminal): shown, not obeyed.
    assert safe_block("\u202eright-to-left\n\u2067x\u2069") == "\\u202eright-to-left\n\\u2067x\\u2069"


def test_clean_text_is_returned_as_is() -> None:
    text = "data: {\"choices\": [\"héllo 世界 🙂\"]}"
    assert safe_line(text) is text
    assert safe_block(text) is text


@given(st.text())
def test_line_never_contains_a_control(text: str) -> None:
    out = safe_line(text)
    assert not _ANY_CONTROL.search(out)
    assert not _BIDI.search(out)
    if not _ANY_CONTROL.search(text) and not _BIDI.search(text):
        assert out == text


@given(st.text())
def test_block_only_keeps_newline_tab_and_crlf(text: str) -> None:
    out = safe_block(text)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out.replace("\r\n", "\n"))
    assert not _BIDI.search(out)


@given(st.text())
def test_json_line_safe_round_trips(text: str) -> None:
    encoded = json_line_safe(json.dumps({"data": text}, ensure_ascii=False))
    assert json.loads(encoded) == {"data": text}
    assert not re.search("[\x7f-\x9f\u2028\u2029]", encoded)
    assert "\n" not in encoded


def test_lines_keep_newlines_and_escape_the_rest() -> None:
    assert safe_lines("cannot open\n\u202eevil\x1b[2J\r") == "cannot open\n\\u202eevil\\x1b[2J\\r"


@given(st.text(alphabet=st.characters(max_codepoint=0x30A0), max_size=40), st.sampled_from([None, "bold red"]))
def test_a_fields_rendered_line_loses_its_controls_and_keeps_its_columns(text: str, style: str | None) -> None:
    from rich.segment import Segment
    from rich.style import Style
    from textual.strip import Strip

    from app.ui.fields import without_controls

    strip = Strip([Segment(text, Style.parse(style) if style else None), Segment("\x1b[2J", None, [(1,)])])
    cleaned = without_controls(strip)
    assert cleaned.cell_length == strip.cell_length
    assert not any(character < " " or character == "\x7f" for character in cleaned.text[: -len("\x1b[2J")])
    assert list(cleaned)[-1] == list(strip)[-1]  # a control segment (Textual's own) is left alone
