"""TOML that Sluice writes holds no terminal control, however hostile the text it keeps.

TOML lets C1 controls (U+0080-U+009F; U+009B is CSI on many terminals) and the bidi overrides stand
raw in a string; only C0 and DEL must be escaped. A request imported from a pasted curl command went to
the terminal with them raw (`sluice import curl` without `-o` prints the TOML), and a saved file did
the same under `cat`. They are written as `\\u009b` escapes, which TOML reads back as the same text.
"""

from __future__ import annotations

import re
import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.model.environment import dumps_environment, replace_values
from app.model.toml_writer import dumps_toml

_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_HOSTILE = "\x9b2J\u202eevil\x85\u2066x\u2069"
"""What a header value may hold (C0 controls are refused there): C1 controls and bidi controls."""

_texts = st.text(
    st.one_of(st.sampled_from(list("\x9b\x85\x80\u202e\u2066\u2028\n\r\t'\"\\\x1b\x7f")), st.characters()), max_size=30
)


def _assert_no_invisible(text: str) -> None:
    found = _INVISIBLE.search(text.replace("\r\n", "\n"))
    assert found is None, f"{found.group()!r} at {found.start()}: {text!r}"


def test_import_curl_prints_c1_and_bidi_escaped(sluice):
    command = f"curl -H 'X-A: a{_HOSTILE}' 'http://h/{_HOSTILE}?q={_HOSTILE}' --data-raw 'line1\n{_HOSTILE}\x1b]0;t\x07'"
    result = sluice("import", "curl", command)
    assert result.code == 0, result.stderr
    _assert_no_invisible(result.stdout)
    _assert_no_invisible(result.stderr)
    assert "\\u009b2J\\u202eevil\\u0085" in result.stdout
    written = tomllib.loads(result.stdout)
    assert written["headers"]["X-A"] == f"a{_HOSTILE}"
    assert written["body"]["content"] == f"line1\n{_HOSTILE}\x1b]0;t\x07"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(key=_texts, value=_texts, lines=_texts)
def test_dumps_toml_escapes_and_reads_back(key, value, lines):
    document = {"name": value, "body": {"content": f"{lines}\n{value}\n"}, "headers": {key or "k": value}}
    text = dumps_toml(document)
    _assert_no_invisible(text)
    assert tomllib.loads(text) == document


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(value=_texts)
def test_environment_files_escape_and_read_back(value):
    canonical = dumps_environment([("token", value), (value or "k", "x")])
    edited = replace_values('token = "old"  # kept\n', {"token": value})
    for text in (canonical, edited):
        _assert_no_invisible(text)
        assert tomllib.loads(text)["token"] == value


def test_settings_keep_a_hostile_collection_path_escaped(tmp_path) -> None:
    from app.ui.settings import Settings, load_settings, save_settings

    last = f"/clones/repo{_HOSTILE}"
    path = save_settings(Settings(last_collection=last), tmp_path)
    _assert_no_invisible(path.read_text("utf-8"))
    assert load_settings(tmp_path).last_collection == last
