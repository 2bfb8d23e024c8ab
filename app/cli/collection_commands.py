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
from app.model.resolve import InvalidBody, InvalidHeader, resolve_http
from app.model.scopes import UnknownEnvironment, scopes_for
from app.model.secrets import literal_credentials
from app.model.storage import SaveConflict
from app.model.toml_format import dumps_request
from app.model.variables import UnresolvedVariable
from app.run import ExitCode


def import_curl_command(
    argv_command: str,
    output: Path | None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    *,
    read_files: bool = False,
) -> int:
    """`sluice import curl 'curl …' [-o file.toml] [--read-files]`: `-` reads the command from stdin; without
    `-o` the request file goes to stdout. An existing output file is never overwritten; local files the
    command names are read only with `read_files`."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    command = stdin.read() if argv_command == "-" else argv_command
    try:
        # `-d @file` paths are relative to where the command is run, as for curl itself.
        result = import_curl(command, base_dir=Path.cwd(), read_files=read_files)
    except CurlImportError as error:
        report(f"cannot import: {error}", stderr)
        return ExitCode.USAGE
    for warning in result.warnings:
        report(f"warning: {warning}", stderr)
    if not read_files and any(found.problem is None for found in result.files):
        report("note: pass --read-files to put those files into the request", stderr)
    secrets = literal_credentials(result.definition)
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
    except (UnresolvedVariable, UnknownEnvironment, InvalidBody, InvalidHeader) as error:
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
    except OSError as error:
        report(f"cannot write the collection: {error.filename or target}: {error.strerror}", stderr)
        return ExitCode.FAILED
    for warning in result.warnings:
        report(f"warning: {warning}", stderr)
    report(f"wrote {len(result.written)} files to {target}", stderr)
    return ExitCode.OK
