"""A broken request file is named at its real line, whatever its strings hold.

TOML strings may hold U+2028, U+2029 and U+0085 raw (and a pasted description does), but the key
locator counted lines with `str.splitlines`, which also ends a line at each of them: `method = 5` on
line 3 was reported at 4:1, pointing at the wrong line.
"""

from __future__ import annotations

import pytest

from app.model.toml_format import loads_request
from app.model.toml_location import FileFormatError


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_type_error_is_named_at_its_line(separator: str, newline: str) -> None:
    head = [f'name = "x{separator}y"', 'url = "http://h/"']
    for lines, where in (([*head, "method = 5"], (3, 1)), ([*head, "[options]", 'read_timeout = "x"'], (4, 1))):
        with pytest.raises(FileFormatError) as raised:
            loads_request(newline.join([*lines, ""]))
        assert (raised.value.line, raised.value.column) == where, raised.value


def test_the_end_of_the_document_is_its_last_line() -> None:
    with pytest.raises(FileFormatError) as raised:
        loads_request('name = "x\u2028y"\nurl = "http://h/"\nx = [\n')
    assert (raised.value.line, raised.value.column) == (3, 6), raised.value
