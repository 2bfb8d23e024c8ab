"""What each curl option asks for: the options of a pasted command gathered into a `CurlState`.

`apply_option` records one option at a time (the URL, the method asked for, headers, data pieces read
through `FileReader` only, cookies, timeouts, the form and upload modes) and warns about what it skips;
`app.interop.curl_import` then applies curl's defaults to the whole state (which method, which generated
headers, the body) to build the request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import quote

from app.interop.curl_files import UPLOAD, CurlImportError, FileReader
from app.interop.curl_options import NO_EFFECT_ON_REQUEST, TAKES_VALUE
from app.model.request_definition import MAX_FILE_CONNECT_TIMEOUT, MAX_FILE_READ_TIMEOUT

# What curl asks for with --compressed, limited to what httpx can decode without optional packages.
COMPRESSED_ACCEPT_ENCODING = "deflate, gzip"


@dataclass(slots=True)
class DataPiece:
    """One -d/--json piece of the body and what joins it to the one before (`&`, or nothing for --json)."""

    text: str
    joiner: str = "&"


@dataclass(slots=True)
class CurlState:
    """What the options said, before curl's defaults are applied."""

    urls: list[str] = field(default_factory=list)
    method: str | None = None
    headers: list[tuple[str, str | None]] = field(default_factory=list)
    """(name, value); None removes the header (`-H 'Name:'`)."""
    implicit_headers: dict[str, str] = field(default_factory=dict)
    """The headers curl's own options make (-A, -e, --oauth2-bearer, --compressed): each option is
    single-valued in curl, so given twice the last one wins, as one header."""
    data: list[DataPiece] = field(default_factory=list)
    data_given: bool = False
    """Any -d/--data*/--json, even one whose file was left out: curl then POSTs (or, with -G, GETs)."""
    is_json: bool = False
    form: bool = False
    """-F/--form-string: a multipart body, which Sluice does not import (the method stays POST)."""
    upload: str | None = None
    """The -T file name; its bytes in `upload_body` when read."""
    upload_body: str | None = None
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


def _data_piece(option: str, value: str, files: FileReader) -> str | None:
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


def _urlencode_piece(value: str, files: FileReader) -> str | None:
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


def apply_option(state: CurlState, option: str, value: str | None, files: FileReader) -> None:
    """Record in `state` what `option` (its long name) with `value` asks curl for; files only through `files`."""
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
        state.data_given = True
        piece = _data_piece(option, value or "", files)
        if piece is not None:
            state.data.append(DataPiece(piece))
    elif option == "--json":
        state.data_given = True
        piece = _data_piece(option, value or "", files)
        if piece is not None:
            state.data.append(DataPiece(piece, joiner=""))
        state.is_json = True
    elif option == "--get":
        state.get = True
    elif option == "--head":
        state.head = True
    elif option == "--user":
        state.user = value
    elif option == "--oauth2-bearer":
        state.implicit_headers["Authorization"] = f"Bearer {value}"
    elif option == "--cookie":
        if value and "=" in value:
            state.cookies.append(value)
        else:
            state.warnings.append(f"-b {value} ignored: cookie files are not read")
    elif option == "--user-agent":
        state.implicit_headers["User-Agent"] = value or ""
    elif option == "--referer":
        referer = (value or "").removesuffix(";auto")
        if referer:
            state.implicit_headers["Referer"] = referer
        else:
            state.implicit_headers.pop("Referer", None)
    elif option == "--compressed":
        state.implicit_headers["Accept-Encoding"] = COMPRESSED_ACCEPT_ENCODING
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
            seconds = math.nan
        if not (math.isfinite(seconds) and seconds >= 0):  # `nan`, `inf`, `1e999`: no timer can use them
            raise CurlImportError(f"{option} {value!r} is not a number of seconds")
        key, most = (("connect_timeout", MAX_FILE_CONNECT_TIMEOUT) if option == "--connect-timeout"
                     else ("read_timeout", MAX_FILE_READ_TIMEOUT))
        if seconds > most:  # saved as it stands, the file would not load
            state.warnings.append(f"{option} {value} lowered to {most:g} s, the most a request file may set")
            seconds = most
        state.options[key] = seconds
    elif option == "--url-query":
        query = _urlencode_piece(value or "", files)
        if query is not None:
            state.url_queries.append(query)
    elif option in ("--form", "--form-string"):
        _form_part(state, option, value or "", files)
    elif option == UPLOAD:
        state.upload = value or ""
        state.upload_body = files.text(state.upload, UPLOAD)
    elif option in NO_EFFECT_ON_REQUEST or option in ("--location-trusted", "--no-buffer"):
        if option == "--location-trusted":
            state.options["follow_redirects"] = True
    elif option in TAKES_VALUE:
        state.warnings.append(f"{option} {value} ignored")
    else:
        state.warnings.append(f"{option} ignored")


def _form_part(state: CurlState, option: str, value: str, files: FileReader) -> None:
    if not state.form:
        state.warnings.append(f"{option}: multipart form bodies are not imported; the request stays a POST, "
                              "its body left out")
    state.form = True
    content = value.partition("=")[2]
    # `name=@file` attaches a file, `name=<file` sends its text; `--form-string` never reads one.
    if option == "--form" and content[:1] in ("@", "<") and content[1:2] not in ("", "-"):
        files.note_unsupported(content[1:].partition(";")[0], option, "is a multipart form part: never read")
