"""Regexes a cloned collection holds (an expectation's `merged_text_matches`, a JSONPath filter's `=~` or
`sub(/…/)` in a check, an extraction, a merge rule or `--until-jsonpath`): none can hang a run.

`^(a|a)*$` over forty `a`s and a `b` is 2^40 steps for Python's `re`: before RE2 these runs never ended
(the subprocess's own timeout is what failed them)."""

from __future__ import annotations

import re
from pathlib import Path

from hostile_server import REDOS_TEXT, HostileServer
from hypothesis import given, settings
from hypothesis import strategies as st

from app.model.toml_format import loads_request
from app.model.toml_location import FileFormatError
from app.user_jsonpath import parse_jsonpath
from app.user_regex import MAX_PATTERN_CHARS, PatternError, UserRegex

CATASTROPHIC = "^(a|a)*$"


def test_sluice_test_decides_a_catastrophic_expectation_instead_of_hanging(sluice, hostile: HostileServer,
                                                                            tmp_path: Path) -> None:
    path = tmp_path / "redos.toml"
    path.write_text(f"""url = "{hostile.base_url}/redos"

[[expect]]
merged_text_matches = "{CATASTROPHIC}"

[[expect]]
merged_text_matches = "^a+b$"

[[expect]]
jsonpath = '$.items[?(@.text =~ "{CATASTROPHIC}")]'

[[expect]]
jsonpath = '$.items[0].text.`sub(/(a|a)*b/, X)`'
equals = "X"

[[extract]]
variable = "found"
from = "sse"
path = '$.items[?(@.text =~ "{CATASTROPHIC}")].text'
""", encoding="utf-8")
    result = sluice("test", str(path))
    lines = result.stdout.splitlines()
    assert result.code == 1, result
    assert any("merged text matches /^(a|a)*$/" in line and "fail" in line.lower() for line in lines), result.stdout
    assert any("merged text matches /^a+b$/" in line and "pass" in line.lower() for line in lines), result.stdout
    assert any("=~" in line and "fail" in line.lower() for line in lines), result.stdout
    assert any("sub(" in line and "pass" in line.lower() for line in lines), result.stdout
    assert "could not extract found" in result.stdout + result.stderr, result


def test_a_custom_merge_rule_with_a_catastrophic_filter_merges_what_matches(sluice, hostile: HostileServer,
                                                                            tmp_path: Path) -> None:
    path = tmp_path / "rule.toml"
    path.write_text(f"""url = "{hostile.base_url}/redos"

[stream]
merge_profile = "custom"

[[stream.rules]]
text = '$.items[?(@.text =~ "{CATASTROPHIC}")].text'
reasoning = '$.items[?(@.text =~ "^a+b$")].text'
""", encoding="utf-8")
    result = sluice("run", str(path), "--jsonl")
    assert result.code == 0, result
    merged = next(line for line in result.lines if line["kind"] == "merged")
    assert (merged["text"], merged["reasoning"]) == ("", REDOS_TEXT), merged


def test_parsed_jsonpaths_run_their_regexes_through_re2() -> None:
    items = [{"text": REDOS_TEXT}, {"text": "aaa"}, {"text": 7}, {"text": "\ud800a"}]
    found = parse_jsonpath(f'$[?(@.text =~ "{CATASTROPHIC}")].text').find(items)
    assert [match.value for match in found] == ["aaa"]
    assert [match.value for match in parse_jsonpath('$[?(@.text =~ "a$")].text').find(items)] == ["aaa", "\ud800a"]
    assert [match.value for match in parse_jsonpath("$.t.`sub(/(a|a)*b/, X)`").find({"t": REDOS_TEXT})] == ["X"]


def test_patterns_re2_refuses_are_named_errors_when_read() -> None:
    cases = {
        "(?=lookahead)": "invalid perl operator",
        "(a)\\\\1": "invalid escape",
        "(.*){1,32000}[bc]": "invalid repetition size",
        "a" * (MAX_PATTERN_CHARS + 1): "more than 1,000 characters",
    }
    for pattern, words in cases.items():
        try:
            loads_request(f'url = "http://a/"\n[[expect]]\nmerged_text_matches = "{pattern}"\n')
        except FileFormatError as error:
            assert words in error.message and error.line == 3, (pattern[:30], error)
        else:
            raise AssertionError(f"loaded {pattern[:30]}")
        try:
            parse_jsonpath(f'$[?(@.a =~ "{pattern}")]')
        except PatternError as error:
            assert words.replace("\\\\", "\\") in str(error) or words in str(error), error
        else:
            raise AssertionError(f"parsed =~ {pattern[:30]}")


def test_refused_patterns_write_nothing_to_stderr(sluice, tmp_path: Path) -> None:
    """RE2 logs each refused pattern to stderr by default: the TUI's terminal, and the pattern is the file's."""
    path = tmp_path / "bad.toml"
    path.write_text('url = "http://127.0.0.1:9/"\n[[expect]]\nmerged_text_matches = "(?=\\u001b[2J)"\n', encoding="utf-8")
    result = sluice("test", str(path))
    assert result.code != 0
    assert "re2.cc" not in result.stderr and "\x1b" not in result.stderr, result.stderr


_PATTERNS = st.text(alphabet="ab()|*+?.^$[]{},12-", max_size=12)
_TEXTS = st.text(alphabet="abc", max_size=12)


@settings(max_examples=400, deadline=None)
@given(_PATTERNS, _TEXTS)
def test_a_pattern_both_engines_accept_finds_the_same_as_re(pattern: str, text: str) -> None:
    """RE2's syntax is not Python's (no backreferences, no lookaround): where both take a pattern, the
    answer is the same, so an expectation written for `re` keeps its meaning."""
    try:
        ours = UserRegex(pattern)
        theirs = re.compile(pattern)
    except (PatternError, re.error):
        return
    assert ours.search(text) == bool(theirs.search(text)), (pattern, text)
