"""A pasted curl command → a `RequestDefinition` that sends what curl itself would send.

curl's rules kept here: the method (POST with data, even data left out, and with `-F`; PUT with `-T`, to
`URL/file` when the URL ends in `/`; GET with `-G`, HEAD with `-I`, `-X` wins; two of them is an error), data
pieces joined with `&` (`--json` pieces concatenated), `-d @file` loses CR/LF but `--data-binary @file`
does not, the form content type curl adds for `-d`, `-H 'Name;'` for an empty header and `-H 'Name:'` to
drop one, `http://` guessed for a URL without a scheme, and no redirects unless `-L`.
Unknown options are skipped with a warning, never a failure. What each option records is
`app.interop.curl_state`'s; here curl's defaults are applied to the whole of it.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from app.interop.curl_files import CurlImportError, FileReader, LocalFile
from app.interop.curl_options import option_pairs
from app.interop.curl_state import CurlState, apply_option
from app.interop.shell_words import ShellSyntaxError, split_command
from app.model.header_syntax import header_problem
from app.model.request_definition import (
    Auth,
    AuthType,
    Body,
    BodyType,
    RequestDefinition,
    RequestOptions,
)
from app.streams.json_payload import parse_json

__all__ = ["CurlImport", "CurlImportError", "LocalFile", "import_curl"]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True, slots=True)
class CurlImport:
    """The imported request and what was ignored on the way."""

    definition: RequestDefinition
    warnings: tuple[str, ...] = ()
    files: tuple[LocalFile, ...] = ()
    """Every local file the command names; read into the request only when `read_files` was given."""


# Which request curl makes, by the options that choose one; two of them at once is curl's error
# "You can only select one HTTP request method!" (checked against curl 7.88: `-I -d`, `-F -d`, `-T -d`,
# `-G -d -T`). -G turns data into a query (HEAD with -I), and -G alone changes nothing for -F or -T.
_MODE_METHOD = {"head": "HEAD", "form": "POST", "upload": "PUT", "get": "GET", "post": "POST"}


def _method(state: CurlState) -> str:
    modes: dict[str, str] = {}
    if state.head:
        modes["head"] = "-I/--head"
    if state.form:
        modes["form"] = "-F/--form"
    if state.upload is not None:
        modes["upload"] = "-T/--upload-file"
    if state.data_given:
        modes["head" if state.head and state.get else "get" if state.get else "post"] = "-d/--data"
    if len(modes) > 1:
        raise CurlImportError(f"curl refuses {' with '.join(modes.values())}: only one request method can be chosen")
    if state.method:
        return state.method.upper()
    return _MODE_METHOD[next(iter(modes))] if modes else "GET"


def _upload_url(url: str, name: str) -> str:
    """curl's -T: a URL whose path is empty or ends in `/` gets the file's name appended."""
    parts = urlsplit(url)
    if parts.path and not parts.path.endswith("/"):
        return url
    # A name from `$'\xff'` holds the raw byte as a surrogate: quoted back to the byte, as curl sends it.
    path = (parts.path or "/") + quote(Path(name).name, errors="surrogateescape")
    return parts._replace(path=path).geturl()


def _left_out_note(state: CurlState, files: FileReader) -> str:
    """The request's description when part of what curl would send was not imported ("" otherwise)."""
    parts = [found.describe() for found in files.found if found.problem is not None or not files.read]
    if state.form and not any(found.option == "--form" for found in files.found):
        parts.append("the -F multipart form")
    if not parts:
        return ""
    return "Imported from curl with this left out (not read): " + "; ".join(parts) + ". Paste it into the Body tab."


def _with_query(url: str, query: str) -> str:
    if not query:
        return url
    base, hash_mark, fragment = url.partition("#")
    joined = f"{base}&{query}" if "?" in base else f"{base}?{query}"
    return joined + hash_mark + fragment


def _guess_scheme(url: str) -> str:
    if "://" in url:
        return url
    return f"http://{url}"


def _final_headers(state: CurlState, data_body: bool) -> list[tuple[str, str]]:
    """curl's generated headers, then the user's: a user header replaces (or with no value removes) them.
    A name given more than once keeps all its values, in order, at its first place: the order of
    different names means nothing in HTTP, and a request file (`[headers]`, one key per name) keeps it so.

    `data_body`: the body is -d data (not turned into a query by -G), which curl labels as a form."""
    generated = list(state.implicit_headers.items())
    if state.cookies:
        generated.append(("Cookie", "; ".join(state.cookies)))
    if state.is_json:
        generated += [("Content-Type", "application/json"), ("Accept", "application/json")]
    elif data_body:
        generated.append(("Content-Type", FORM_CONTENT_TYPE))
    overridden = {name.lower() for name, _ in state.headers}
    by_name: dict[str, list[str]] = {}
    for name, value in generated:
        if name.lower() not in overridden:
            by_name[name] = [value]
    for name, given in state.headers:
        if given is not None:
            by_name.setdefault(name, []).append(given)
    return [(name, value) for name, values in by_name.items() for value in values]


# Bytes that are not UTF-8 (`$'\\xff'`) stay surrogate escapes after splitting: exact in a body (written
# as Base64), but a request file is text, so elsewhere they are percent-encoded (URL) or replaced.
_NOT_TEXT = re.compile("[\ud800-\udfff]")


_NO_BYTE = re.compile("[\ud800-\udc7f\udd00-\udfff]")
"""A lone surrogate in the text itself that is not a byte's escape (U+DC80-U+DCFF, as Python reads
argv): it stands for nothing that can be sent, and would fail every UTF-8 encoding after it."""


def _url_text(url: str, warnings: list[str]) -> str:
    if _NOT_TEXT.search(url) is None:
        return url
    warnings.append("bytes of the URL that are not UTF-8 were percent-encoded")
    return _NOT_TEXT.sub(lambda match: _escaped_byte(match.group()), url)


def _escaped_byte(char: str) -> str:
    # A byte of `\xHH` is U+DC80-U+DCFF; any other lone surrogate (`$'\ud800'`) stands for no byte at all.
    return quote(char.encode("utf-8", "surrogateescape")) if "\udc80" <= char <= "\udcff" else "%EF%BF%BD"


def _text(text: str, where: str, warnings: list[str]) -> str:
    if _NOT_TEXT.search(text) is None:
        return text
    warnings.append(f"bytes of {where} that are not UTF-8 were replaced by U+FFFD")
    return _NOT_TEXT.sub("\N{REPLACEMENT CHARACTER}", text)


def _title(method: str, url: str) -> str:
    path = urlsplit(url).path or "/"
    return f"{method} {path}"


def import_curl(command: str, base_dir: Path | None = None, *, read_files: bool = False) -> CurlImport:
    """Parse `command` (as pasted: quotes, continuations, `$'…'`); `@file` paths are relative to `base_dir`.

    Local files (`-d @file`, `--data-binary @file`, `--json @file`, `--data-urlencode name@file`, `-T file`)
    are read only with `read_files`; otherwise they are left out, listed in `files`, named in a warning and
    in the request's description (the method stays what curl would use), so the caller can ask first.
    Devices, FIFOs, files over 10 MB and multipart (`-F name=@file`) parts are never read."""
    try:
        words = split_command(_NO_BYTE.sub("\N{REPLACEMENT CHARACTER}", command).strip())
    except ShellSyntaxError as error:
        raise CurlImportError(str(error)) from None
    if words and words[0] == "$":
        words = words[1:]
    if not words or Path(words[0]).name.lower() not in ("curl", "curl.exe"):
        raise CurlImportError("not a curl command: it should start with 'curl'")
    state = CurlState()
    files = FileReader(base_dir or Path.cwd(), read_files)
    for option, value in option_pairs(words[1:]):
        apply_option(state, option, value, files)
    for found in files.found:
        if found.problem is not None or not read_files:
            why = found.problem or "local files are read only when asked"
            state.warnings.append(f"{found.describe()} left out of the request: {why}")
    if not state.urls:
        raise CurlImportError("the curl command has no URL")
    if len(state.urls) > 1:
        state.warnings.append(f"only the first of {len(state.urls)} URLs was imported")
    method = _method(state)
    data: str | None = None
    if state.data:
        data = state.data[0].text + "".join(piece.joiner + piece.text for piece in state.data[1:])
    elif state.data_given:
        data = ""  # every piece was a file left out: still a POST, with the body marked as left out
    url = _guess_scheme(state.urls[0])
    try:
        urlsplit(url)
    except ValueError as error:  # `http://[::1`: curl cannot use it either
        raise CurlImportError(f"the URL {url!r} cannot be used: {error}") from None
    for query in state.url_queries:
        url = _with_query(url, query)
    body_text: str | None = None
    if state.get and data is not None:
        url = _with_query(url, data)
    elif data is not None:
        body_text = data
    if state.upload is not None:  # never with data: `_method` refused that
        url = _upload_url(url, state.upload)
        body_text = state.upload_body or ""
    elif state.form:
        body_text = ""
    warnings = state.warnings
    url = _url_text(url, warnings)
    headers = [(_text(name, f"header {name!r}", warnings), _text(value, f"header {name!r}", warnings))
               for name, value in _final_headers(state, data_body=data is not None and not state.get)]
    for name, value in headers:
        # `-H $'X: a\r\nB: c'` from a web page: in the editor it would become two headers, and saved, a
        # file that does not load: refused, named, before the request is touched.
        if problem := header_problem(name, value, templated=True):
            raise CurlImportError(problem)
    auth = Auth()
    if state.user is not None and not any(name.lower() == "authorization" for name, _ in state.headers):
        username, _, password = _text(state.user, "-u", warnings).partition(":")
        auth = Auth(AuthType.BASIC, username=username, password=password)
    method = _text(method, "-X", warnings)
    definition = RequestDefinition(
        name=_title(method, url),
        url=url,
        method=method,
        description=_text(_left_out_note(state, files), "a file name", warnings),
        headers=tuple(headers),
        body=_body(body_text, headers),
        auth=auth,
        options=RequestOptions(
            connect_timeout=float(state.options.get("connect_timeout", 10.0)),  # type: ignore[arg-type]
            # `--max-time 0` is the model's None (the longest a file may set), as a saved `read_timeout = 0` reads back.
            read_timeout=float(state.options.get("read_timeout", 60.0)) or None,  # type: ignore[arg-type]
            follow_redirects=bool(state.options.get("follow_redirects", False)),
            verify_tls=bool(state.options.get("verify_tls", True)),
            http2=bool(state.options.get("http2", False)),
        ),
    )
    shown = tuple(dict.fromkeys(_NOT_TEXT.sub("\N{REPLACEMENT CHARACTER}", warning) for warning in warnings))
    return CurlImport(definition, shown, tuple(files.found))


def _body(text: str | None, headers: list[tuple[str, str]]) -> Body:
    if text is None:
        return Body()
    raw = text.encode("utf-8", "surrogateescape")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Body(BodyType.BASE64, base64.b64encode(raw).decode("ascii"))
    content_type = next((value for name, value in headers if name.lower() == "content-type"), "")
    if "json" in content_type.lower() and _looks_like_json(decoded):
        return Body(BodyType.JSON, decoded)
    return Body(BodyType.TEXT, decoded)


def _looks_like_json(text: str) -> bool:
    try:
        parse_json(text)
    except ValueError:
        return False
    return True
