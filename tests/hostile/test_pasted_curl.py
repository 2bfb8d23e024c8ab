"""Any pasted curl command is imported or refused with `CurlImportError`, never an exception from inside.

A lone surrogate other than U+DC80-U+DCFF (which stand for the bytes of `$'\\xff'`) stands for no byte
at all; `curl -d '\\ud800'` as text (from a clipboard or a caller of `import_curl`) raised
`UnicodeEncodeError` out of the import while building the body.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.interop.curl_import import CurlImportError, import_curl
from app.model.toml_format import dumps_request, loads_request

_HOSTILE = st.sampled_from(list("\x00\x1b\x07\x08\r\n\t\x7f\x85\x9b\u202e\u2066\u200b\ufeff\ud800\udfff\udcff'\"$`\\ @;=&:{}[]#"))
_TEXT = st.lists(st.one_of(_HOSTILE, st.characters()), max_size=30).map("".join)
_OPTIONS = st.sampled_from(
    ["-H", "-d", "--data-binary", "--data-raw", "-u", "-b", "-X", "-F", "--url", "-G", "--json", "-A", "-e",
     "--oauth2-bearer", "--data-urlencode", "-K", "-T", "--compressed", "--max-time", "-k", "--url-query"]
)
_WORD = _TEXT.map(lambda text: "'" + text.replace("'", "'\\''") + "'")
_COMMANDS = st.lists(st.one_of(_OPTIONS, _WORD, _TEXT), max_size=8).map(lambda words: "curl http://h/ " + " ".join(words))


def test_a_lone_surrogate_in_the_data_becomes_u_fffd() -> None:
    imported = import_curl("curl http://h/ -d 'a\ud800b'")
    assert imported.definition.body.content == "a\N{REPLACEMENT CHARACTER}b"
    assert loads_request(dumps_request(imported.definition)) == imported.definition


@settings(max_examples=400, suppress_health_check=list(HealthCheck), deadline=None)
@given(_COMMANDS)
def test_any_command_imports_or_is_refused_by_name(command: str) -> None:
    try:
        imported = import_curl(command)
    except CurlImportError:
        return
    assert loads_request(dumps_request(imported.definition)) == imported.definition
