"""The raw Body view breaks lines where the body does (LF, CRLF), nowhere else.

`str.splitlines` also breaks at VT, FF, FS/GS/RS, U+0085, U+2028 and U+2029, and drops them: a body
`safe\\x85text` showed as two clean lines, the NEL gone before the sanitiser (`safe_block`, which shows
it as `\\x85`) could see it, and a JSON string holding a raw U+2028 looked like two lines of JSON. A lone
CR stays in its row (shown as `\\r`), as it does in every other view.
"""

from __future__ import annotations

from app.store.body_lines import RawLines
from app.terminal_text import safe_block


def test_only_lf_and_crlf_break_a_line() -> None:
    body = 'safe\x85text\n{"a": "x\u2028y"}\r\nform\x0cfeed\x0bvt\x1cfs\u2029\nover\rwrite\n'
    rows = RawLines(body).rows
    assert rows == ["safe\x85text", '{"a": "x\u2028y"}', "form\x0cfeed\x0bvt\x1cfs\u2029", "over\rwrite"]
    shown = [safe_block(row) for row in rows]
    assert shown[0] == "safe\\x85text"
    assert shown[3] == "over\\rwrite"


def test_line_counts_match_the_body() -> None:
    assert RawLines("").rows == []
    assert RawLines("a").rows == ["a"]
    assert RawLines("a\n").rows == ["a"]
    assert RawLines("a\n\nb").rows == ["a", "", "b"]
    assert RawLines("a\r\n\r\n").rows == ["a", ""]
