"""U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR never reach a terminal raw, from any text sink.

They are not controls (category Zl/Zp), so `safe_block` and `safe_line` left them as they were: the
terminal shows them as nothing or a box (Rich counts them as zero cells, some terminals as one, so the
columns after them shift), and a copy of the view pastes a line break into an editor or a shell that the
screen never showed. Every sink now shows them as `\\u2028` / `\\u2029`, as `json_line_safe` already
did; NEL (U+0085), VT and FF were escaped already and stay so.
"""

from __future__ import annotations

import json

import pytest

from app.terminal_text import is_line_safe, json_line_safe, safe_block, safe_line, safe_lines

_SEPARATORS = "a\u2028b\u2029c\x85d\x0be\x0cf"
_SHOWN = "a\\u2028b\\u2029c\\x85d\\x0be\\x0cf"


@pytest.mark.parametrize("sink", [safe_line, safe_block, safe_lines])
def test_every_text_sink_shows_the_separators_as_escapes(sink) -> None:
    assert sink(_SEPARATORS) == _SHOWN
    assert sink(f"{_SEPARATORS}\n") == _SHOWN + ("\\n" if sink is safe_line else "\n")


def test_a_shell_word_with_a_separator_is_written_escaped() -> None:
    from app.interop.curl_export import shell_quote

    assert not is_line_safe("x\u2028y")
    assert shell_quote("x\u2028y") == "$'x\\xe2\\x80\\xa8y'"


def test_json_lines_keep_escaping_them() -> None:
    assert json_line_safe(json.dumps(_SEPARATORS, ensure_ascii=False)) == '"a\\u2028b\\u2029c\\u0085d\\u000be\\ff"'


def test_the_junit_report_shows_them_as_every_other_control() -> None:
    from app.assertions.junit import TestCaseReport, junit_xml

    report = junit_xml("suite", [TestCaseReport("case\u2028name", "chat.toml", 0.1, error="saw x\u2028y")])
    assert "\u2028".encode() not in report and b"case\\u2028name" in report
