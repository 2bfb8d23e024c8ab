"""A pasted curl command → a `RequestDefinition` that sends what curl itself would send.

curl's rules kept here: the method (POST with data, GET with `-G`, HEAD with `-I`, `-X` wins), data
pieces joined with `&` (`--json` pieces concatenated), `-d @file` loses CR/LF but `--data-binary @file`
does not, the form content type curl adds for `-d`, `-H 'Name;'` for an empty header and `-H 'Name:'` to
drop one, `http://` guessed for a URL without a scheme, and no redirects unless `-L`.
Unknown options are skipped with a warning, never a failure.
"""

from __future__ import annotations

import base64
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from app.interop.curl_options import NO_EFFECT_ON_REQUEST, SHORT_ALIASES, TAKES_VALUE
from app.interop.shell_words import ShellSyntaxError, split_command
from app.model.request_definition import Auth, AuthType, Body, BodyType, RequestDefinition, RequestOptions
from app.model.storage import MAX_FILE_BYTES, read_regular
from app.streams.json_payload import parse_json

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
# What curl asks for with --compressed, limited to what httpx can decode without optional packages.
COMPRESSED_ACCEPT_ENCODING = "deflate, gzip"


class CurlImportError(ValueError):
    """The text is not a curl command Sluice can turn into a request."""


@dataclass(frozen=True, slots=True)
class LocalFile:
    """A local file the command reads into the request (`-d @file`, `--data-binary @file`, …)."""

    option: str
    path: Path
    size: int | None
    """Its size in bytes, None when it cannot be read."""
    problem: str | None = None
    """Why it is never read (missing, a device, a FIFO, over 10 MB), or None."""


@dataclass(frozen=True, slots=True)
class CurlImport:
    """The imported request and what was ignored on the way."""

    definition: RequestDefinition
    warnings: tuple[str, ...] = ()
    files: tuple[LocalFile, ...] = ()
    """Every local file the command names; read into the request only when `read_files` was given."""


@dataclass(slots=True)
class _FileReader:
    """Reads `@file` arguments, or (the default) only notes them: a pasted command must not quietly put
    `~/.ssh/id_rsa` into a body that Ctrl+J then posts anywhere."""

    base_dir: Path
    read: bool
    found: list[LocalFile] = field(default_factory=list)

    def text(self, name: str, option: str) -> str | None:
        """The file's text, or None when it is left out (not asked to read, or never readable)."""
        if name == "-":
            raise CurlImportError(f"{option} @- reads stdin, which a pasted command cannot provide")
        path = (self.base_dir / name).expanduser()
        size, problem = _inspect(path)
        self.found.append(LocalFile(option, path, size, problem))
        if problem is not None and self.read:
            raise CurlImportError(f"{option} @{name}: {path} {problem}")
        if problem is not None or not self.read:
            return None
        try:
            return read_regular(path).decode("utf-8", "surrogateescape")
        except OSError as error:
            raise CurlImportError(f"{option} @{name}: cannot read {path}: {error.strerror}") from None


def _inspect(path: Path) -> tuple[int | None, str | None]:
    """(size, None) for a file that may be read; (size or None, why not) otherwise."""
    try:
        status = path.stat()
    except OSError as error:
        return None, f"cannot be read ({error.strerror})"
    if not stat.S_ISREG(status.st_mode):
        return None, "is a device, FIFO or socket: never read"
    if status.st_size > MAX_FILE_BYTES:
        return status.st_size, f"is over {MAX_FILE_BYTES // (1024 * 1024)} MB: never read"
    return status.st_size, None


@dataclass(slots=True)
class _DataPiece:
    text: str
    joiner: str = "&"


@dataclass(slots=True)
class _CurlState:
    """What the options said, before curl's defaults are applied."""

    urls: list[str] = field(default_factory=list)
    method: str | None = None
    headers: list[tuple[str, str | None]] = field(default_factory=list)
    """(name, value); None removes the header (`-H 'Name:'`)."""
    implicit_headers: list[tuple[str, str]] = field(default_factory=list)
    data: list[_DataPiece] = field(default_factory=list)
    is_json: bool = False
    get: bool = False
    head: bool = False
    user: str | None = None
    cookies: list[str] = field(default_factory=list)
    url_queries: list[str] = field(default_factory=list)
    options: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _curl_escape(text: str) -> str:
    # curl_easy_escape keeps only unreserved characters; --data-urlencode then writes spaces as `+`.
    return quote(text.encode("utf-8", "surrogateescape"), safe="-._~").replace("%20", "+")


def _data_piece(option: str, value: str, files: _FileReader) -> str | None:
    if option in ("--data", "--data-ascii") and value.startswith("@"):
        text = files.text(value[1:], option)
        return None if text is None else text.replace("\r", "").replace("\n", "")
    if option == "--data-binary" and value.startswith("@"):
        return files.text(value[1:], option)
    if option == "--json" and value.startswith("@"):
        return files.text(value[1:], option)
    if option == "--data-urlencode":
        return _urlencode_piece(value, files)
    return value


def _urlencode_piece(value: str, files: _FileReader) -> str | None:
    equals = value.find("=")
    at = value.find("@")
    if equals == 0:
        return _curl_escape(value[1:])
    if equals > 0 and (at == -1 or equals < at):
        return f"{value[:equals]}={_curl_escape(value[equals + 1:])}"
    if at == 0:
        text = files.text(value[1:], "--data-urlencode")
        return None if text is None else _curl_escape(text)
    if at > 0:
        text = files.text(value[at + 1 :], "--data-urlencode")
        return None if text is None else f"{value[:at]}={_curl_escape(text)}"
    return _curl_escape(value)


def _parse_header(raw: str) -> tuple[str, str | None] | None:
    if ":" in raw:
        name, _, value = raw.partition(":")
        value = value.strip(" \t")
        return (name.strip(), value if value else None)
    if raw.endswith(";"):
        return (raw[:-1].strip(), "")
    return None


def _expand_short(word: str, words: list[str], index: int) -> tuple[list[tuple[str, str | None]], int]:
    """`-sSLXPOST` → [("--silent", None), ("--show-error", None), ("--location", None), ("--request", "POST")]."""
    found: list[tuple[str, str | None]] = []
    position = 1
    while position < len(word):
        letter = word[position]
        name = SHORT_ALIASES.get(letter, f"-{letter}")
        if name in TAKES_VALUE:
            rest = word[position + 1 :]
            if rest:
                found.append((name, rest))
            elif index < len(words):
                found.append((name, words[index]))
                index += 1
            else:
                found.append((name, None))
            return found, index
        found.append((name, None))
        position += 1
    return found, index


def _options(words: list[str]) -> list[tuple[str, str | None]]:
    """(option, value) pairs in order; a bare URL comes as ("--url", value)."""
    pairs: list[tuple[str, str | None]] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word.startswith("--") and len(word) > 2:
            if word in TAKES_VALUE:
                pairs.append((word, words[index] if index < len(words) else None))
                index += 1
            else:
                pairs.append((word, None))
        elif word.startswith("-") and len(word) > 1:
            expanded, index = _expand_short(word, words, index)
            pairs.extend(expanded)
        else:
            pairs.append(("--url", word))
    return pairs


def _apply(state: _CurlState, option: str, value: str | None, files: _FileReader) -> None:
    if value is None and option in TAKES_VALUE:
        raise CurlImportError(f"{option} needs a value")
    if option == "--url":
        state.urls.append(value or "")
    elif option == "--request":
        state.method = value
    elif option in ("--header", "--proxy-header"):
        if option == "--proxy-header":
            state.warnings.append("--proxy-header ignored: proxies are not supported")
        elif value and value.startswith("@"):
            state.warnings.append(f"-H {value} ignored: headers from a file are not imported")
        else:
            parsed = _parse_header(value or "")
            if parsed is None:
                state.warnings.append(f"-H {value!r} ignored: curl ignores a header without ':' or ';'")
            else:
                state.headers.append(parsed)
    elif option in ("--data", "--data-ascii", "--data-binary", "--data-raw", "--data-urlencode"):
        piece = _data_piece(option, value or "", files)
        if piece is not None:
            state.data.append(_DataPiece(piece))
    elif option == "--json":
        piece = _data_piece(option, value or "", files)
        if piece is not None:
            state.data.append(_DataPiece(piece, joiner=""))
        state.is_json = True
    elif option == "--get":
        state.get = True
    elif option == "--head":
        state.head = True
    elif option == "--user":
        state.user = value
    elif option == "--oauth2-bearer":
        state.implicit_headers.append(("Authorization", f"Bearer {value}"))
    elif option == "--cookie":
        if value and "=" in value:
            state.cookies.append(value)
        else:
            state.warnings.append(f"-b {value} ignored: cookie files are not read")
    elif option == "--user-agent":
        state.implicit_headers.append(("User-Agent", value or ""))
    elif option == "--referer":
        referer = (value or "").removesuffix(";auto")
        if referer:
            state.implicit_headers.append(("Referer", referer))
    elif option == "--compressed":
        state.implicit_headers.append(("Accept-Encoding", COMPRESSED_ACCEPT_ENCODING))
    elif option == "--insecure":
        state.options["verify_tls"] = False
    elif option == "--location":
        state.options["follow_redirects"] = True
    elif option in ("--http2", "--http2-prior-knowledge"):
        state.options["http2"] = True
    elif option == "--speed-limit":
        pass  # only meaningful with --speed-time, which becomes the read timeout
    elif option in ("--max-time", "--connect-timeout", "--speed-time"):
        try:
            seconds = float(value or "")
        except ValueError:
            raise CurlImportError(f"{option} {value!r} is not a number of seconds") from None
        state.options["connect_timeout" if option == "--connect-timeout" else "read_timeout"] = seconds
    elif option == "--url-query":
        query = _urlencode_piece(value or "", files)
        if query is not None:
            state.url_queries.append(query)
    elif option in ("--form", "--form-string", "--upload-file"):
        state.warnings.append(f"{option} ignored: multipart forms and uploads are not imported")
    elif option in NO_EFFECT_ON_REQUEST or option in ("--location-trusted", "--no-buffer"):
        if option == "--location-trusted":
            state.options["follow_redirects"] = True
    elif option in TAKES_VALUE:
        state.warnings.append(f"{option} {value} ignored")
    else:
        state.warnings.append(f"{option} ignored")


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


def _final_headers(state: _CurlState, body: str | None) -> list[tuple[str, str]]:
    """curl's generated headers, then the user's: a user header replaces (or with no value removes) them."""
    generated = list(state.implicit_headers)
    if state.cookies:
        generated.append(("Cookie", "; ".join(state.cookies)))
    if state.is_json:
        generated += [("Content-Type", "application/json"), ("Accept", "application/json")]
    elif body is not None:
        generated.append(("Content-Type", FORM_CONTENT_TYPE))
    overridden = {name.lower() for name, _ in state.headers}
    headers = [pair for pair in generated if pair[0].lower() not in overridden]
    return headers + [(name, value) for name, value in state.headers if value is not None]


def _title(method: str, url: str) -> str:
    path = urlsplit(url).path or "/"
    return f"{method} {path}"


def import_curl(command: str, base_dir: Path | None = None, *, read_files: bool = False) -> CurlImport:
    """Parse `command` (as pasted: quotes, continuations, `$'…'`); `@file` paths are relative to `base_dir`.

    Local files (`-d @file`, `--data-binary @file`, `--json @file`, `--data-urlencode name@file`) are read
    only with `read_files`; otherwise they are left out, listed in `files` and named in a warning, so the
    caller can ask first. Devices, FIFOs and files over 10 MB are never read."""
    try:
        words = split_command(command.strip())
    except ShellSyntaxError as error:
        raise CurlImportError(str(error)) from None
    if words and words[0] == "$":
        words = words[1:]
    if not words or Path(words[0]).name.lower() not in ("curl", "curl.exe"):
        raise CurlImportError("not a curl command: it should start with 'curl'")
    state = _CurlState()
    files = _FileReader(base_dir or Path.cwd(), read_files)
    for option, value in _options(words[1:]):
        _apply(state, option, value, files)
    if not read_files:
        for found in files.found:
            size = f"{found.size:,} bytes" if found.size is not None else "unreadable"
            why = found.problem or "local files are read only when asked"
            state.warnings.append(f"{found.option} @{found.path} ({size}) left out of the body: {why}")
    if not state.urls:
        raise CurlImportError("the curl command has no URL")
    if len(state.urls) > 1:
        state.warnings.append(f"only the first of {len(state.urls)} URLs was imported")
    data: str | None = None
    if state.data:
        data = state.data[0].text + "".join(piece.joiner + piece.text for piece in state.data[1:])
    url = _guess_scheme(state.urls[0])
    for query in state.url_queries:
        url = _with_query(url, query)
    body_text: str | None = data
    if state.get and data is not None:
        url = _with_query(url, data)
        body_text = None
    method = state.method or ("HEAD" if state.head else "POST" if body_text is not None else "GET")
    headers = _final_headers(state, body_text)
    auth = Auth()
    if state.user is not None and not any(name.lower() == "authorization" for name, _ in state.headers):
        username, _, password = state.user.partition(":")
        auth = Auth(AuthType.BASIC, username=username, password=password)
    definition = RequestDefinition(
        name=_title(method.upper(), url),
        url=url,
        method=method.upper(),
        headers=tuple(headers),
        body=_body(body_text, headers),
        auth=auth,
        options=RequestOptions(
            connect_timeout=float(state.options.get("connect_timeout", 10.0)),  # type: ignore[arg-type]
            read_timeout=float(state.options.get("read_timeout", 60.0)),  # type: ignore[arg-type]
            follow_redirects=bool(state.options.get("follow_redirects", False)),
            verify_tls=bool(state.options.get("verify_tls", True)),
            http2=bool(state.options.get("http2", False)),
        ),
    )
    return CurlImport(definition, tuple(state.warnings), tuple(files.found))


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
