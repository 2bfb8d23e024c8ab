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
from app.model.credential_moves import move_credentials_to_dotenv
from app.model.dotenv import DOTENV_FILE
from app.model.resolve import InvalidBody, InvalidHeader, resolve_http
from app.model.scopes import UnknownEnvironment, scopes_for
from app.model.secrets import literal_credentials
from app.model.storage import SaveConflict
from app.model.toml_format import dumps_request
from app.model.toml_location import FileFormatError
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
    keep_credentials: bool = False,
) -> int:
    """`sluice import curl 'curl …' [-o file.toml] [--read-files] [--keep-credentials]`: `-` reads the command
    from stdin; without `-o` the request file goes to stdout. An existing output file is never overwritten;
    local files the command names are read only with `read_files`. Literal credentials (`-u user:pass`,
    `Authorization`, `Cookie`, API-key headers and parameters) go to the collection's `.env` and the file
    keeps `{{references}}`, as the Postman import does; where no `.env` would be read (stdout, a file in
    no collection) they are written out only with `keep_credentials`."""
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
    definition = result.definition
    secrets = literal_credentials(definition)
    root = find_collection_root(output.parent) if output is not None else None
    if output is not None and output.exists():
        report(f"{output} already exists; not overwriting it", stderr)  # before .env is written
        return ExitCode.FAILED
    if secrets and keep_credentials:
        report(f"note: the request holds literal credentials ({', '.join(secrets)}), written out as "
               "--keep-credentials asks", stderr)
    elif secrets and (output is None or root is None):
        where = ("the TOML goes to stdout" if output is None else
                 f"{output} is in no collection (no collection.toml above it), so no .env is read for it")
        report(f"not written: the command holds literal credentials ({', '.join(secrets)}) and {where}. "
               "Write it with -o into a collection (they go to its .env, the file keeps {{variables}}), "
               "or pass --keep-credentials to write them out", stderr)
        return ExitCode.USAGE
    elif secrets and output is not None and root is not None:
        try:
            moved = move_credentials_to_dotenv(definition, root / DOTENV_FILE, _defined_before_dotenv(root, output))
        except (OSError, FileFormatError, ValueError) as error:
            report(f"not written: cannot keep the credentials in {root / DOTENV_FILE}: {error}", stderr)
            return ExitCode.FAILED
        definition = moved.definition
        report(f"moved to {root / DOTENV_FILE}: {moved.summary()}", stderr)
    if output is None:
        stdout.write(dumps_request(definition))
        return ExitCode.OK
    try:
        save_request(output, definition, expected=None)
    except SaveConflict:
        report(f"{output} already exists; not overwriting it", stderr)
        return ExitCode.FAILED
    except OSError as error:
        report(f"cannot write {output}: {error.strerror}", stderr)
        return ExitCode.FAILED
    report(f"wrote {output}", stderr)
    return ExitCode.OK


def _defined_before_dotenv(root: Path, request: Path) -> set[str]:
    """The variable names a scope searched before `.env` defines for `request` (the collection, its folders,
    any environment): a credential kept in `.env` under one of them would never be found."""
    collection = load_collection(root)
    names = {name for name, _ in collection.variables}
    for folder in collection.folders_above(request):
        names.update(name for name, _ in folder.variables)
    for environment in collection.environments:
        names.update(environment.variables)
    return names


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
