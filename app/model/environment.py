"""Environments (`environments/*.toml`), the `.env` file beside a collection, and the OS environment.

An environment file is flat: each top-level key is a variable (`base_url = "http://127.0.0.1:8765"`).
Secrets belong in `.env` or the OS environment: an environment file keeps a reference to them
(`token = "{{staging_token}}"`), which resolves against `.env` and `{{$env.NAME}}` only (see `scopes.py`).
Sluice writes an environment file when one is edited in the TUI, and `.env` only to move a secret the
user asked to move there (`dotenv.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.model.storage import FileStamp, check_unchanged, read_stamped, save_checked
from app.model.toml_location import FileFormatError, locate
from app.model.toml_table import parse_toml
from app.model.toml_writer import dumps_basic

ENVIRONMENTS_DIR = "environments"

EnvironmentValue = str | int | float | bool
"""What an environment file may hold for a variable; every one is used as its text."""

_ENVIRONMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")


@dataclass(frozen=True, slots=True)
class Environment:
    """A named set of variables, e.g. `demo` or `staging`.

    `text` is the file as read (the TUI edits it as it stands, comments included) and `stamp` what a save
    checks the file against."""

    name: str
    path: Path | None = None
    variables: dict[str, str] = field(default_factory=dict)
    text: str = ""
    stamp: FileStamp | None = None


class EnvironmentProblem(Exception):
    """An environment that cannot be created, renamed or saved as asked (bad name, name taken, …)."""


def _as_text(value: EnvironmentValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_environment(text: str) -> dict[str, str]:
    """An environment file's variables; `FileFormatError` (line, column) for bad TOML or a table/array."""
    variables: dict[str, str] = {}
    for key, value in parse_toml(text).items():
        if not isinstance(value, (str, int, float, bool)):
            line, column = locate(text, key) if isinstance(value, dict) else locate(text, "", key)
            raise FileFormatError(f"environment variable '{key}' should be a string, number or boolean", line, column)
        variables[key] = _as_text(value)
    return variables


def load_environment(path: Path) -> Environment:
    """Read one environment file; numbers and booleans become their TOML text (`8765`, `true`)."""
    data, stamp = read_stamped(path)
    text = data.decode("utf-8")
    return Environment(path.stem, path, parse_environment(text), text, stamp)


def dumps_environment(variables: Iterable[tuple[str, str]]) -> str:
    """The canonical text of an environment file, variables in the order given."""
    return dumps_basic(dict(variables))


def save_environment(environment: Environment, text: str) -> Environment:
    """Write `text` as `environment`'s file, exactly as given, once it parses as an environment
    (`FileFormatError` otherwise); atomic, and `SaveConflict` if the file changed on disk since it was
    loaded. Nothing is written when the text is what was loaded."""
    if environment.path is None:
        raise EnvironmentProblem(f"environment {environment.name} has no file")
    variables = parse_environment(text)
    if environment.stamp is not None and text == environment.text:
        return environment
    stamp = save_checked(environment.path, text.encode("utf-8"), environment.stamp)
    return Environment(environment.name, environment.path, variables, text, stamp)


def replace_values(text: str, values: Mapping[str, str]) -> str:
    """`text` (an environment file) with the variables in `values` given those values as strings.

    A one-line `name = value` keeps its place, spacing and trailing comment; a file where some name is
    not on such a line (a multi-line string) is written anew in canonical form, comments dropped.
    `FileFormatError` if `text` is not an environment file."""
    pending = dict(values)
    lines = text.split("\n")  # TOML ends lines only at LF (or CRLF); `splitlines` also splits at U+0085
    for index, line in enumerate(lines):
        match = _ASSIGNMENT.match(line)
        if match is None:
            continue
        key = match.group("bare") or _quoted_key(match.group("quoted"))
        if key not in pending:
            continue
        rest = line[match.end():]
        body, newline = rest.rstrip("\r"), rest[len(rest.rstrip("\r")):]
        comment = _trailing_comment(body)
        value_text = body[: len(body) - len(comment)] if comment else body
        try:
            single = parse_toml(f"v = {value_text}")
        except FileFormatError:
            continue
        if set(single) != {"v"}:
            continue
        spacing = value_text[len(value_text.rstrip()):]
        new_value = dumps_basic({"v": pending.pop(key)}).partition(" = ")[2].rstrip("\n")
        lines[index] = f"{line[:match.end()]}{new_value}{spacing}{comment}{newline}"
    variables = parse_environment(text)
    variables.update(values)
    edited = "\n".join(lines)
    # A `name = …` line inside a multi-line string is not an assignment: the edit must read back as meant.
    if not pending and parse_environment(edited) == variables:
        return edited
    return dumps_environment(variables.items())


_ASSIGNMENT = re.compile(r'^[ \t]*(?:(?P<bare>[A-Za-z0-9_\-]+)|(?P<quoted>"(?:[^"\\]|\\.)*"|\'[^\']*\'))[ \t]*=[ \t]*')


def _quoted_key(quoted: str | None) -> str:
    if not quoted:
        return ""
    try:
        return next(iter(parse_toml(f"{quoted} = 0")))
    except FileFormatError:
        return ""


def _trailing_comment(body: str) -> str:
    """The ` # comment` ending a one-line value, found where the part before it parses as a value."""
    position = body.find("#")
    while position != -1:
        try:
            if set(parse_toml(f"v = {body[:position]}")) == {"v"}:
                return body[position:]
        except FileFormatError:
            pass
        position = body.find("#", position + 1)
    return ""


def check_environment_name(name: str) -> str:
    """`name` as a file stem, or `EnvironmentProblem` saying why it cannot be one."""
    name = name.strip()
    if name.endswith(".toml"):
        name = name[: -len(".toml")]
    if not _ENVIRONMENT_NAME.fullmatch(name):
        raise EnvironmentProblem(
            f"{name!r} cannot name an environment: letters, digits, '-', '_' and '.', starting with a letter or digit"
        )
    return name


def environment_path(root: Path, name: str) -> Path:
    return root / ENVIRONMENTS_DIR / f"{name}.toml"


def create_environment(root: Path, name: str, variables: Iterable[tuple[str, str]] = ()) -> Environment:
    """A new `environments/NAME.toml` in the collection at `root`; the name must be free."""
    name = check_environment_name(name)
    path = environment_path(root, name)
    if path.exists():
        raise EnvironmentProblem(f"there is already an environment named {name}")
    text = dumps_environment(variables)
    stamp = save_checked(path, text.encode("utf-8"), None)
    return Environment(name, path, parse_environment(text), text, stamp)


def rename_environment(environment: Environment, new_name: str) -> Environment:
    """Rename the environment's file (the variables are not touched)."""
    if environment.path is None:
        raise EnvironmentProblem(f"environment {environment.name} has no file")
    new_name = check_environment_name(new_name)
    target = environment.path.with_name(f"{new_name}.toml")
    if new_name == environment.name:
        return environment
    # A case-only rename on a case-insensitive disk finds the file itself "taken".
    if target.exists() and not target.samefile(environment.path):
        raise EnvironmentProblem(f"there is already an environment named {new_name}")
    environment.path.rename(target)
    return Environment(new_name, target, environment.variables, environment.text, environment.stamp)


def delete_environment(environment: Environment) -> None:
    """Remove the environment's file; `SaveConflict` (nothing removed) if it changed on disk since it was
    read, so edits made elsewhere are never dropped unseen. One `unlink`: the file is there or it is not."""
    if environment.path is None:
        raise EnvironmentProblem(f"environment {environment.name} has no file")
    if environment.stamp is not None:
        check_unchanged(environment.path, environment.stamp)
    environment.path.unlink()


def environment_names(root: Path) -> list[str]:
    """The environments of the collection at `root`, from the file names alone (no file is parsed)."""
    directory = root / ENVIRONMENTS_DIR
    if not directory.is_dir():
        return []
    return sorted(path.stem for path in directory.glob("*.toml") if not path.name.startswith("."))


def files_signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """What the environment files and `.env` look like now (name, mtime, size): a cheap way to tell
    that one was added, removed or changed on disk without reading any (a few `stat` calls)."""
    from app.model.dotenv import DOTENV_FILE

    candidates = [root / DOTENV_FILE]
    directory = root / ENVIRONMENTS_DIR
    try:
        candidates += sorted(directory.glob("*.toml"))
    except OSError:
        pass
    signature = []
    for path in candidates:
        try:
            status = path.stat()
        except OSError:
            continue
        signature.append((path.name, status.st_mtime_ns, status.st_size))
    return tuple(signature)


def secret_variables(text: str) -> list[str]:
    """The variables of an environment file whose values look like credentials (`looks_like_secret`)."""
    from app.model.secrets import looks_like_secret

    return [name for name, value in parse_environment(text).items() if looks_like_secret(name, value)]


def move_secrets_to_dotenv(root: Path, environment: str, text: str, names: Iterable[str],
                           avoid: Iterable[str] = ()) -> str:
    """`text` (an environment file) with the values of `names` kept in the collection's `.env` instead, as
    `ENVIRONMENT_NAME` (`staging_token`: two environments' tokens never collide), and a `{{reference}}`
    to it in their place. Raises `OSError`, `FileFormatError` (a broken `.env`) or `ValueError` (a value
    `.env` cannot hold) with nothing written; `.env` is written before the caller saves `text`."""
    from app.model.dotenv import DOTENV_FILE, store_secrets

    values = parse_environment(text)
    moving = [name for name in dict.fromkeys(names) if name in values]
    stored = store_secrets(root / DOTENV_FILE, [(f"{environment}_{name}", values[name]) for name in moving], set(avoid))
    return replace_values(text, {name: "{{" + key + "}}" for name, key in zip(moving, stored)})


def secrets_only_in(root: Path, environment: Environment) -> list[str]:
    """The `.env` names `environment` refers to (`token = "{{staging_token}}"`, as moving a secret there
    writes) that no other file of the collection at `root` refers to: what deleting it would leave unused.
    Another environment sharing the secret (a value `.env` held already keeps its one name), a request or
    `collection.toml` keeps it in. Nothing is offered when `.env` or any file cannot be read: unsure is
    never unused."""
    from app.model.dotenv import DOTENV_FILE, load_dotenv
    from app.model.variables import VARIABLE_PATTERN

    try:
        stored = load_dotenv(root / DOTENV_FILE)
    except (OSError, UnicodeDecodeError, FileFormatError):
        return []
    named = [name for name in dict.fromkeys(VARIABLE_PATTERN.findall(environment.text)) if name in stored]
    return unreferenced(root, named, excluding=environment.path) if named else []


def unreferenced(root: Path, names: Iterable[str], excluding: Path | None = None) -> list[str]:
    """Those of `names` that no `{{name}}` in the collection's TOML files (requests, folders, environments,
    `collection.toml`; `excluding` left out) refers to. Empty when a file cannot be read."""
    import os

    from app.model.storage import read_regular
    from app.model.variables import VARIABLE_PATTERN

    def unreadable(error: OSError) -> None:
        raise error

    left = list(dict.fromkeys(names))
    skip = excluding.resolve() if excluding is not None else None
    try:
        for directory, folders, files in os.walk(root, onerror=unreadable):  # links to folders: not followed
            folders[:] = [name for name in folders if not name.startswith(".")]
            for file_name in files:
                path = Path(directory, file_name)
                if not file_name.endswith(".toml") or path.resolve() == skip:
                    continue
                used = set(VARIABLE_PATTERN.findall(read_regular(path).decode("utf-8", errors="replace")))
                left = [name for name in left if name not in used]
                if not left:
                    return []
    except OSError:
        return []
    return left
