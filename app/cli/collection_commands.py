"""`sluice import curl …` and `sluice export curl …`: the command functions the argument parser calls."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from app.cli.stderr import report
from app.interop.curl_export import export_curl
from app.interop.curl_import import CurlImportError, import_curl
from app.model.collection import (
    BrokenFile,
    find_collection_root,
    load_collection,
    load_request_file,
    save_request,
)
from app.model.request_definition import RequestDefinition
from app.model.resolve import InvalidBody, resolve_http
from app.model.scopes import UnknownEnvironment, scopes_for
from app.model.secrets import is_secret_header, is_secret_param
from app.model.storage import SaveConflict
from app.model.toml_format import dumps_request
from app.model.variables import UnresolvedVariable
from app.run import ExitCode


def _literal_secrets(definition: RequestDefinition) -> list[str]:
    """Header and query names holding a literal value that looks like a credential."""
    named = [
        f"header {name}"
        for name, value in definition.headers
        if value and "{{" not in value and is_secret_header(name)
    ]
    if definition.auth.password or definition.auth.token:
        named.append("auth")
    query = definition.url.partition("?")[2]
    for piece in query.split("&"):
        name = piece.partition("=")[0]
        if "{{" not in piece and is_secret_param(name):
            named.append(f"query parameter {name}")
    return named


def import_curl_command(
    argv_command: str,
    output: Path | None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """`sluice import curl 'curl …' [-o file.toml]`: `-` reads the command from stdin; without `-o` the request
    file goes to stdout. An existing output file is never overwritten."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    command = stdin.read() if argv_command == "-" else argv_command
    try:
        # `-d @file` paths are relative to where the command is run, as for curl itself.
        result = import_curl(command, base_dir=Path.cwd())
    except CurlImportError as error:
        report(f"cannot import: {error}", stderr)
        return ExitCode.USAGE
    for warning in result.warnings:
        report(f"warning: {warning}", stderr)
    secrets = _literal_secrets(result.definition)
    if secrets:
        report(f"note: the request holds literal credentials ({', '.join(secrets)}); "
               "consider {{variables}} with the values in .env", stderr)
    if output is None:
        stdout.write(dumps_request(result.definition))
        return ExitCode.OK
    try:
        save_request(output, result.definition, expected=None)
    except SaveConflict:
        report(f"{output} already exists; not overwriting it", stderr)
        return ExitCode.FAILED
    except OSError as error:
        report(f"cannot write {output}: {error.strerror}", stderr)
        return ExitCode.FAILED
    report(f"wrote {output}", stderr)
    return ExitCode.OK


def export_curl_command(
    path: Path,
    reveal: bool,
    environment: str | None = None,
    variables: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """`sluice export curl request.toml [--reveal] [--env NAME] [--var k=v]`: print one curl command.

    Variables resolve as for `sluice run` (the enclosing collection, its environment, `.env`, OS env)."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    loaded = load_request_file(path)
    if isinstance(loaded, BrokenFile):
        report(f"{loaded}", stderr)
        return ExitCode.FAILED
    root = find_collection_root(path)
    try:
        collection = load_collection(root) if root else None
        scopes = scopes_for(collection, path, environment, run=dict(variables or {}))
        request = resolve_http(loaded.definition, scopes)
    except (UnresolvedVariable, UnknownEnvironment, InvalidBody) as error:
        report(f"{path}: {error}", stderr)
        return ExitCode.FAILED
    stdout.write(export_curl(request, reveal=reveal) + "\n")
    return ExitCode.OK


def import_postman_command(source: Path, target: Path, stderr: TextIO | None = None) -> int:
    """`sluice import postman collection.json DIR`: write a Sluice collection (new files only)."""
    from app.interop.postman_import import PostmanImportError, import_postman

    stderr = stderr or sys.stderr
    try:
        result = import_postman(source, target)
    except PostmanImportError as error:
        report(f"cannot import: {error}", stderr)
        return ExitCode.USAGE
    except SaveConflict as error:
        report(f"{error.path} already exists; not overwriting it", stderr)
        return ExitCode.FAILED
    for warning in result.warnings:
        report(f"warning: {warning}", stderr)
    report(f"wrote {len(result.written)} files to {target}", stderr)
    return ExitCode.OK
