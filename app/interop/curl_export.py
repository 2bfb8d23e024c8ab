"""A resolved request → one curl command that sends it again (secrets masked unless revealed).

The command is written so that `import_curl` reads it back to the same request: the body goes in
`--data-raw` (no `@file` surprises), a missing Content-Type is kept missing with `-H 'Content-Type:'`,
and Sluice's read timeout (longest silence) becomes curl's `--speed-limit 1 --speed-time N`.
"""

from __future__ import annotations

import re

from app.model.http_request import HttpRequest
from app.model.request_definition import RequestDefinition
from app.model.resolve import resolve_http
from app.model.scopes import RunScopes
from app.model.secrets import mask_body, mask_header, mask_url
from app.terminal_text import is_line_safe

_DEFAULT_CONNECT_TIMEOUT = 10.0
_DEFAULT_READ_TIMEOUT = 60.0
_SAFE_WORD = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
"""A word the shell takes as it is (matched whole: `$` would also match before a final line break)."""


def shell_quote(text: str) -> str:
    """One shell word: bare when safe, single-quoted, or `$'…'` when it holds a character that would act
    on the terminal it is printed to (C0, DEL, C1 controls, bidi overrides), an invisible one that makes it
    look like another word (U+200B), or a byte that is not UTF-8."""
    if _SAFE_WORD.fullmatch(text):
        return text
    if not is_line_safe(text.replace("\n", " ").replace("\t", " ")) or any("\udc80" <= char <= "\udcff" for char in text):
        return _ansi_c_quote(text)
    return "'" + text.replace("'", "'\\''") + "'"


_ANSI_C_NAMED = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t"}


def _ansi_c_quote(text: str) -> str:
    parts = []
    for char in text:
        if char in _ANSI_C_NAMED:
            parts.append(_ANSI_C_NAMED[char])
        elif "\udc80" <= char <= "\udcff":  # a byte that is not UTF-8, kept as that byte
            parts.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif not is_line_safe(char):
            # As its UTF-8 bytes (`\xc2\x9b` for U+009B), which every shell's `$'…'` and `import curl` read back.
            parts.append("".join(f"\\x{byte:02x}" for byte in char.encode("utf-8")))
        else:
            parts.append(char)
    return "$'" + "".join(parts) + "'"


def export_curl(request: HttpRequest, reveal: bool = False) -> str:
    """A multi-line curl command (backslash continuations) that sends `request`."""
    url = request.full_url
    lines = [f"curl {shell_quote(url if reveal else mask_url(url))}"]
    method = request.method.upper()
    has_body = request.body is not None
    if method == "HEAD" and not has_body:
        lines.append("--head")
    elif method != ("POST" if has_body else "GET"):
        lines.append(f"-X {shell_quote(method)}")
    for name, value in request.headers:
        shown = value if reveal else mask_header(name, value)
        lines.append(f"-H {shell_quote(f'{name};' if shown == '' else f'{name}: {shown}')}")
    if has_body:
        if not any(name.lower() == "content-type" for name, _ in request.headers):
            lines.append("-H 'Content-Type:'")
        sent: bytes = request.body  # type: ignore[assignment]
        if not reveal:
            sent = mask_body(sent, next((value for name, value in request.headers if name.lower() == "content-type"), ""))
        body = sent.decode("utf-8", "surrogateescape")
        lines.append(f"--data-raw {shell_quote(body)}")
    flags = ["-N"]
    if request.follow_redirects:
        flags.append("-L")
    if not request.verify_tls:
        flags.append("-k")
    if request.http2:
        flags.append("--http2")
    if request.connect_timeout != _DEFAULT_CONNECT_TIMEOUT:
        flags.append(f"--connect-timeout {request.connect_timeout:g}")
    if request.read_timeout is not None and request.read_timeout != _DEFAULT_READ_TIMEOUT:
        flags.append(f"--speed-limit 1 --speed-time {request.read_timeout:g}")
    lines.append(" ".join(flags))
    return " \\\n  ".join(lines)


def export_definition_curl(definition: RequestDefinition, scopes: RunScopes | None = None, reveal: bool = False) -> str:
    """Resolve `definition` (raises `UnresolvedVariable`) and export it."""
    return export_curl(resolve_http(definition, scopes), reveal=reveal)
