"""Postman Collection v2.1 → a Sluice collection directory (requests, folders, variables, auth).

Postman already uses `{{name}}` variables, so URLs, headers and bodies are kept as written. Credentials
written out in the export (a bearer token, an API key, a password in a URL, a variable such as
`api_key = "sk-…"`) go to the new collection's `.env`, and the TOML files get `{{references}}`: an import
never writes a secret into files that go into git (each move is named in the warnings).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.model.collection import COLLECTION_FILE, FOLDER_FILE, save_request
from app.model.credential_moves import move_credentials_to_dotenv
from app.model.dotenv import dotenv_line, store_secrets
from app.model.header_syntax import header_problem
from app.model.request_definition import Auth, AuthType, Body, BodyType, RequestDefinition
from app.model.secrets import looks_like_secret
from app.model.storage import save_checked
from app.model.toml_location import FileFormatError
from app.model.toml_writer import dumps_toml
from app.streams.json_payload import parse_json


class PostmanImportError(ValueError):
    """The file is not a Postman v2.x collection."""


@dataclass(frozen=True, slots=True)
class PostmanImport:
    """What was written, and what could not be carried over."""

    written: tuple[Path, ...]
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class _Writer:
    dotenv: Path
    """The new collection's `.env`, where the credentials go."""
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    defined: set[str] = field(default_factory=set)
    """Variable names the collection and its folders define: a request's credential is kept in `.env`
    under another name (`.env` comes after them, so `{{token}}` would find theirs)."""

    def without_credentials(self, definition: RequestDefinition, where: str) -> RequestDefinition:
        result = move_credentials_to_dotenv(definition, self.dotenv, avoid=self.defined)
        if result.moved:
            self._stored()
            self.warnings.append(f"{where}: moved to .env: {result.summary()}")
        return result.definition

    def variables(self, entries: Any, where: str) -> dict[str, str]:
        """A collection's or folder's variables, those holding a credential as `{{references}}` to `.env`."""
        variables = dict(_pairs(entries))
        self.defined.update(variables)
        secret = [(name, value) for name, value in variables.items() if looks_like_secret(name, value)]
        for name, value in [(name, value) for name, value in secret if not _dotenv_can_hold(value)]:
            # A value `.env` cannot hold (`dotenv_line` refuses it) and that must not go into the TOML either:
            # left out, named, and the rest imported; `store_secrets` raised `ValueError` for it.
            secret.remove((name, value))
            del variables[name]
            self.warnings.append(f"{where}: variable {name} not imported: its value holds a line break "
                                 "(VT, FF, U+0085, U+2028…) that .env cannot keep")
        if not secret:
            return variables
        names = store_secrets(self.dotenv, secret)
        self._stored()
        for (name, _), kept in zip(secret, names):
            del variables[name]  # `.env` defines it now (it comes after the TOML files: they must not)
            if kept != name:  # `.env` already holds another value under this name
                self.warnings.append(f"{where}: variable {name} not imported: .env already has another {name}")
        moved = [name for (name, _), kept in zip(secret, names) if kept == name]
        if moved:
            self.warnings.append(f"{where}: variables moved to .env: {', '.join(moved)}")
        return variables

    def _stored(self) -> None:
        if self.dotenv not in self.written:
            self.written.append(self.dotenv)


def _dotenv_can_hold(value: str) -> bool:
    try:
        dotenv_line("name", value)
    except ValueError:
        return False
    return True


# JSON's `"\ud800"` escapes give lone surrogates, which no UTF-8 file can hold: every string of the export
# is made writable once, as it is read, rather than failing (or losing an item) when it is saved.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _writable(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\N{REPLACEMENT CHARACTER}", value)
    if isinstance(value, list):
        return [_writable(item) for item in value]
    if isinstance(value, dict):  # nested at most MAX_JSON_DEPTH deep: parse_json refused deeper
        return {_writable(key): _writable(item) for key, item in value.items()}
    return value


def _slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower())[:80].strip("-") or "request"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _text(value: Any) -> str:
    if isinstance(value, dict):  # v2.1 descriptions may be {"content": …, "type": "text/markdown"}
        return str(value.get("content", ""))
    return "" if value is None else str(value)


def _pairs(entries: Any) -> tuple[tuple[str, str], ...]:
    return tuple(
        (str(entry.get("key", "")), _text(entry.get("value")))
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict) and not entry.get("disabled")
    )


def _auth(auth: Any, where: str, writer: _Writer) -> Auth:
    if not isinstance(auth, dict) or auth.get("type") in (None, "noauth", "inherit"):
        return Auth()
    kind = str(auth["type"])
    entries = auth.get(kind, [])
    values = {
        str(entry.get("key")): _text(entry.get("value"))
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
    }
    if kind == "bearer":
        return Auth(AuthType.BEARER, token=values.get("token", ""))
    if kind == "basic":
        return Auth(AuthType.BASIC, username=values.get("username", ""), password=values.get("password", ""))
    if kind == "apikey":
        location = "query" if values.get("in") == "query" else "header"
        return Auth(AuthType.API_KEY, key_name=values.get("key", ""), key_value=values.get("value", ""), location=location)
    writer.warnings.append(f"{where}: auth type '{kind}' is not supported; left out")
    return Auth()


def _body(body: Any, where: str, writer: _Writer) -> Body:
    if not isinstance(body, dict) or not body.get("mode"):
        return Body()
    mode = body["mode"]
    if mode == "raw":
        language = body.get("options", {}).get("raw", {}).get("language", "")
        return Body(BodyType.JSON if language == "json" else BodyType.TEXT, _text(body.get("raw")))
    if mode == "urlencoded":
        return Body(BodyType.FORM, form=_pairs(body.get("urlencoded")))
    if mode == "graphql":
        graphql = body.get("graphql", {})
        variables = graphql.get("variables") or "{}"
        payload = {"query": graphql.get("query", ""), "variables": _graphql_variables(variables)}
        return Body(BodyType.JSON, json.dumps(payload, indent=2) + "\n")
    writer.warnings.append(f"{where}: body mode '{mode}' is not supported; left out")
    return Body()


def _url(url: Any) -> str:
    if isinstance(url, str):
        return url
    if isinstance(url, dict):
        return _text(url.get("raw"))
    return ""


def _request(item: dict[str, Any], where: str, writer: _Writer) -> RequestDefinition:
    request = item["request"]
    if isinstance(request, str):  # v2 allows a bare URL
        request = {"url": request}
    if not isinstance(request, dict):
        raise ValueError("'request' is neither a URL nor an object")
    headers = _pairs(request.get("header"))
    for name, value in headers:
        if problem := header_problem(name, value, templated=True):
            raise ValueError(problem)  # written, it would be a file that does not load
    return RequestDefinition(
        name=str(item.get("name", "")),
        url=_url(request.get("url")) or "http://",
        method=str(request.get("method", "GET")).upper(),
        description=_text(request.get("description") or item.get("description")),
        headers=headers,
        body=_body(request.get("body"), where, writer),
        auth=_auth(request.get("auth"), where, writer),
    )


def _write_items(items: list[Any], directory: Path, writer: _Writer) -> list[str]:
    """Write items into `directory`; returns their file names in Postman's order."""
    taken: set[str] = set()
    names: list[str] = []
    for index, item in enumerate(items, 1):
        if not isinstance(item, dict):
            continue
        title = str(item.get("name", "item"))
        try:
            names.extend(_write_item(item, title, _slug(title, taken), directory, writer))
        except (AttributeError, KeyError, TypeError, ValueError, OSError) as error:
            # An export edited by hand (or made to break importers): skip the item, say so, go on.
            writer.warnings.append(f"{title or f'item {index}'}: not a request or folder Sluice can read ({error}); left out")
    return names


def _write_item(item: dict[str, Any], title: str, slug: str, directory: Path, writer: _Writer) -> list[str]:
    """Write one item (a folder and what it holds, or a request); returns the names it adds."""
    names: list[str] = []
    if "item" in item:
        folder = directory / slug
        variables = writer.variables(item.get("variable"), title)  # before its requests: see `_Writer.defined`
        children = item.get("item")
        order = _write_items(children if isinstance(children, list) else [], folder, writer)
        settings: dict[str, Any] = {"name": title, "order": order}
        description = _text(item.get("description"))
        if description:
            settings["description"] = description
        if variables:
            settings["variables"] = variables
        if isinstance(item.get("auth"), dict) and item["auth"].get("type") not in (None, "noauth", "inherit"):
            writer.warnings.append(f"{title}: folder-level auth is not imported; set it on each request")
        path = folder / FOLDER_FILE
        save_checked(path, dumps_toml(settings).encode("utf-8"), None)
        writer.written.append(path)
        names.append(slug)
    elif "request" in item:
        path = directory / f"{slug}.toml"
        save_request(path, writer.without_credentials(_request(item, title, writer), title), expected=None)
        writer.written.append(path)
        names.append(path.name)
    return names


def _graphql_variables(variables: Any) -> Any:
    """GraphQL variables as exported (a JSON text, or already a value); unparsable text is kept as text."""
    if not isinstance(variables, str):
        return variables
    try:
        return parse_json(variables)
    except ValueError:
        return variables


def import_postman(source: Path, target: Path) -> PostmanImport:
    """Write the Postman collection in `source` as a Sluice collection in `target`.

    Only new files are written: an existing file raises `SaveConflict` (files written before it stay)."""
    try:
        data = _writable(parse_json(source.read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        raise PostmanImportError(f"cannot read {source}: {error}") from None
    if not isinstance(data, dict) or "info" not in data or not isinstance(data.get("item"), list):
        raise PostmanImportError(f"{source} is not a Postman collection (no 'info' and 'item')")
    info = data["info"] if isinstance(data["info"], dict) else {}
    schema = str(info.get("schema", ""))
    if schema and "v2" not in schema:
        raise PostmanImportError(f"{source} uses schema {schema}; export it as Collection v2.1")
    writer = _Writer(target / ".env")
    try:
        store_secrets(writer.dotenv, [])  # reads an existing .env: a broken one stops the import before it writes
    except FileFormatError as error:
        raise PostmanImportError(f"cannot keep the credentials in {writer.dotenv}: {error}") from None
    variables = writer.variables(data.get("variable"), "collection")  # before the requests: see `_Writer.defined`
    order = _write_items(data["item"], target, writer)
    settings: dict[str, Any] = {"name": str(info.get("name", target.name)), "order": order}
    description = _text(info.get("description"))
    if description:
        settings["description"] = description
    if variables:
        settings["variables"] = variables
    if isinstance(data.get("auth"), dict) and data["auth"].get("type") not in (None, "noauth"):
        writer.warnings.append("collection-level auth is not imported; set it on each request")
    path = target / COLLECTION_FILE
    save_checked(path, dumps_toml(settings).encode("utf-8"), None)
    writer.written.append(path)
    return PostmanImport(tuple(writer.written), tuple(writer.warnings))
