"""Regexes a cloned collection holds (an expectation's `merged_text_matches`, a JSONPath filter's `=~` or
`sub(/…/)` in a check, an extraction, a merge rule or `--until-jsonpath`): none can hang a run.

`^(a|a)*$` over forty `a`s and a `b` is 2^40 steps for Python's `re`: before RE2 these runs never ended
(the subprocess's own timeout is what failed them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
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
_TEXTS = st.text(alphabet="abc\n", max_size=12)


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


def _re_goes_back_for_a_non_empty_match(pattern: re.Pattern[str], text: str) -> bool:
    """Whether `re` took an empty match and then a non-empty one at the same place (`a*?`, `|a`): the one
    case where `UserRegex.sub` (RE2 moves on) differs, as its docstring says."""
    spans = [match.span() for match in pattern.finditer(text)]
    return any(first[0] == first[1] == second[0] for first, second in zip(spans, spans[1:]))


_REPLACEMENTS = st.one_of(st.sampled_from(["-", "<\\g<0>>", "€é", "\\n", "[\\1]", "\\", "\\q", "\\g<x>", "\\101\\0"]),
                          st.text(alphabet="\\g<>0129nab-€", max_size=6))


@settings(max_examples=600, deadline=None)
@given(_PATTERNS, _TEXTS, _REPLACEMENTS)
def test_sub_replaces_as_re_sub_does(pattern: str, text: str, replacement: str) -> None:
    """`sub(/$/, "!")` gave `abc!!` (RE2's binding found the empty match at the end twice) and a `€` in the
    replacement came out as `â\x82¬`: where both engines take the pattern and the replacement, `sub()` is
    `re.sub` (a replacement `re` refuses is refused too)."""
    try:
        ours = UserRegex(pattern)
        theirs = re.compile(pattern)
    except (PatternError, re.error):
        return
    try:
        expected = theirs.sub(replacement, text)
    except (re.error, IndexError):
        with pytest.raises(PatternError):
            ours.check_replacement(replacement)
        return
    if _re_goes_back_for_a_non_empty_match(theirs, text) or ("$" in pattern and text.endswith("\n")):
        return  # the two differences the docstring of `UserRegex.sub` names
    assert ours.sub(replacement, text) == expected, (pattern, text, replacement)


@pytest.mark.parametrize(("pattern", "text", "found"), [
    ("a{,2}b", "aab", True), ("^a{,2}$", "a{,2}", False), ("x{,}y", "xxxy", True), ("[{,}]", "{", True),
    (r"\{,}", "{,}", True), ("[]{,2}]", "{,2}", True), ("^[a]x{,2}$", "axx", True),
])
def test_re_repeats_with_no_minimum_are_repeats(pattern: str, text: str, found: bool) -> None:
    """`{,n}` is `re`'s repeat of zero to n (RE2 read it as the text "{,n}"); in a class or escaped it is
    text in both engines."""
    assert UserRegex(pattern).search(text) is found is bool(re.search(pattern, text))


def test_dollar_matches_before_the_newline_that_ends_the_text() -> None:
    """A reply ending in a line break ends in `done.` for `re`, so for an expectation too."""
    assert UserRegex(r"done\.$").search("all done.\n")
    assert not UserRegex(r"done\.$").search("all done.\nmore\n")
    assert not UserRegex(r"done\.$").search("all done.\n\n")


def test_sub_at_the_end_of_the_text_replaces_once() -> None:
    assert [m.value for m in parse_jsonpath("$.t.`sub(/$/, !)`").find({"t": "abc"})] == ["abc!"]
    assert UserRegex("(?m)$").sub("!", "a\nb") == "a!\nb!"
    assert UserRegex("a").sub("€", "xa") == "x€"


def test_a_sub_replacement_the_regex_cannot_fill_is_refused_when_parsed(sluice, hostile: HostileServer,
                                                                         tmp_path: Path) -> None:
    """`sub(/(e)/, \\9)` raised IndexError (re.error before RE2) out of `sluice test` on the first payload it
    matched; `sub()` on a number raised TypeError the same way."""
    for bad in ("\\\\9", "\\\\g<x>", "\\\\"):
        with pytest.raises(PatternError):
            parse_jsonpath(f"$.t.`sub(/(e)/, {bad})`")
    assert [m.value for m in parse_jsonpath("$.t.`sub(/(e)/, <\\\\1>)`").find({"t": "ye"})] == ["y<e>"]
    assert parse_jsonpath("$.t.`sub(/1/, 2)`").find({"t": 1}) == []
    path = tmp_path / "sub.toml"
    path.write_text(f'url = "{hostile.base_url}/json"\n[[expect]]\njsonpath = \'$.text.`sub(/(e)/, \\\\9)`\'\n'
                    "[[expect]]\njsonpath = '$.text.`sub(/(e)/, E)`'\n", encoding="utf-8")
    result = sluice("test", str(path))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.code == 1 and "bad JSONPath" in result.stdout and "names group 9" in result.stdout, result
