"""Split a pasted shell command into words the way bash (or Windows cmd) would hand them to curl.

Handles single and double quotes, backslash escapes and backslash-newline continuations, bash's `$'…'`
ANSI-C strings (browsers' "Copy as cURL" uses them), `#` comments, and stops at an unquoted `|`, `;`,
`&&`, `||`, `>` or `<` so `curl … | jq .` works. Shell variables (`$OPENAI_API_KEY`, `${TOKEN}`) outside
single quotes become Sluice variables (`{{$env.OPENAI_API_KEY}}`), which resolve from the OS environment. Windows "Copy as cURL (cmd)" commands (`^` escapes and
continuations) are recognised by their `^"` quoting.
"""

from __future__ import annotations

import re

_ANSI_C_SIMPLE = {
    "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
    "e": "\x1b", "E": "\x1b", "\\": "\\", "'": "'", '"': '"', "?": "?",
}
_OPERATOR_CHARS = "|;&<>"
_SHELL_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_DOUBLE_QUOTE_ESCAPABLE = '$`"\\'


class ShellSyntaxError(ValueError):
    """The text cannot be split into words (an unterminated quote)."""


def split_command(text: str) -> list[str]:
    """The words of the first command in `text`."""
    if _is_cmd(text):
        return _split_cmd(text)
    return [join_surrogates(word) for word in _split_posix(text)]


def _is_cmd(text: str) -> bool:
    # cmd's `^"` quoting (or `^` continuations) before any single quote: a POSIX command can hold `^"`
    # inside its single quotes (`--data-raw '^"'`, as `sluice export curl` writes it), which is no cmd.
    marks = [at for at in (text.find('^"'), text.find("^\n"), text.find("^\r\n")) if at != -1]
    quote = text.find("'")
    return bool(marks) and (quote == -1 or min(marks) < quote)


def _split_posix(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    in_word = False
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char in " \t\r\n":
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
            index += 1
        elif char == "\\":
            following = text[index + 1 : index + 2]
            if following == "\n":
                index += 2
            elif text[index + 1 : index + 3] == "\r\n":
                index += 3
            else:
                current.append(following)
                in_word = True
                index += 2
        elif char == "'":
            end = text.find("'", index + 1)
            if end == -1:
                raise ShellSyntaxError("unterminated ' quote")
            current.append(text[index + 1 : end])
            in_word = True
            index = end + 1
        elif char == '"':
            index = _read_double_quoted(text, index + 1, current)
            in_word = True
        elif char == "$" and text[index + 1 : index + 2] == "'":
            index = _read_ansi_c(text, index + 2, current)
            in_word = True
        elif char == "$" and _SHELL_VARIABLE.match(text, index):
            index = _read_variable(text, index, current)
            in_word = True
        elif char == "#" and not in_word:
            end = text.find("\n", index)
            index = length if end == -1 else end
        elif char in _OPERATOR_CHARS and not (char == "&" and text[index + 1 : index + 2] != "&"):
            break
        else:
            current.append(char)
            in_word = True
            index += 1
    if in_word:
        words.append("".join(current))
    return words


def _read_double_quoted(text: str, index: int, out: list[str]) -> int:
    while index < len(text):
        char = text[index]
        if char == '"':
            return index + 1
        if char == "$" and _SHELL_VARIABLE.match(text, index):
            index = _read_variable(text, index, out)
            continue
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            if following == "\n":
                index += 2
                continue
            if following in _DOUBLE_QUOTE_ESCAPABLE:
                out.append(following)
                index += 2
                continue
        out.append(char)
        index += 1
    raise ShellSyntaxError('unterminated " quote')


def _read_variable(text: str, index: int, out: list[str]) -> int:
    match = _SHELL_VARIABLE.match(text, index)
    assert match is not None
    out.append("{{$env." + (match.group(1) or match.group(2)) + "}}")
    return match.end()


def _read_ansi_c(text: str, index: int, out: list[str]) -> int:
    while index < len(text):
        char = text[index]
        if char == "'":
            return index + 1
        if char != "\\":
            out.append(char)
            index += 1
            continue
        code = text[index + 1 : index + 2]
        if code in _ANSI_C_SIMPLE:
            out.append(_ANSI_C_SIMPLE[code])
            index += 2
        elif code in ("x", "u", "U"):
            limit = {"x": 2, "u": 4, "U": 8}[code]
            digits = _take_while(text, index + 2, limit, "0123456789abcdefABCDEF")
            if digits:
                out.append(_code_point(int(digits, 16)) if code != "x" else _byte_char(int(digits, 16)))
                index += 2 + len(digits)
            else:
                out.append("\\" + code)
                index += 2
        elif code.isdigit() and code in "01234567":
            digits = _take_while(text, index + 1, 3, "01234567")
            out.append(_byte_char(int(digits, 8) & 0xFF))
            index += 1 + len(digits)
        elif code == "c" and index + 2 < len(text):
            out.append(chr(ord(text[index + 2]) & 0x1F))
            index += 3
        else:
            out.append("\\" + code)
            index += 2
    raise ShellSyntaxError("unterminated $' quote")


def _code_point(value: int) -> str:
    # `\U` takes 8 digits (up to 0xFFFFFFFF) and `\ud800` names a surrogate: neither is a character that
    # text can hold, so both are U+FFFD rather than a `chr` error or a string no file can be written from.
    return "\N{REPLACEMENT CHARACTER}" if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF else chr(value)


def _byte_char(value: int) -> str:
    # `\xHH` is a byte; bytes ≥ 0x80 are kept as surrogate escapes so UTF-8 sequences reassemble exactly.
    return chr(value) if value < 0x80 else bytes([value]).decode("utf-8", "surrogateescape")


def _take_while(text: str, start: int, limit: int, allowed: str) -> str:
    end = start
    while end < len(text) and end - start < limit and text[end] in allowed:
        end += 1
    return text[start:end]


def join_surrogates(word: str) -> str:
    """Reassemble UTF-8 written as `\\xHH` escapes; invalid sequences stay surrogate-escaped bytes."""
    if not any("\udc80" <= char <= "\udcff" for char in word):
        return word
    raw = word.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "surrogateescape")


def _split_cmd(text: str) -> list[str]:
    """cmd.exe: `^x` is a literal x and `^` + newline continues; then the C runtime's argv rules apply."""
    unescaped: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "^":
            following = text[index + 1 : index + 2]
            if following == "\r":
                index += 3
            elif following == "\n":
                index += 2
            else:
                unescaped.append(following)
                index += 2
        else:
            unescaped.append(char)
            index += 1
    return _split_windows_argv("".join(unescaped))


def _split_windows_argv(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    in_word = in_quotes = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            slashes = len(_take_while(text, index, len(text), "\\"))
            if text[index + slashes : index + slashes + 1] == '"':
                current.append("\\" * (slashes // 2))
                if slashes % 2:
                    current.append('"')
                    index += slashes + 1
                else:
                    index += slashes
            else:
                current.append("\\" * slashes)
                index += slashes
            in_word = True
        elif char == '"':
            in_quotes = not in_quotes
            in_word = True
            index += 1
        elif char in " \t\r\n" and not in_quotes:
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
            index += 1
        else:
            current.append(char)
            in_word = True
            index += 1
    if in_quotes:
        raise ShellSyntaxError('unterminated " quote')
    if in_word:
        words.append("".join(current))
    return words
