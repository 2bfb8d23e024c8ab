"""The local files a curl command names (`-d @file`, `--data-binary @file`, `-T file`, `-F name=@file`).

A pasted command must not quietly put `~/.ssh/id_rsa` into a body that Ctrl+J then posts anywhere: files
are only noted unless the caller asked to read them, and devices, FIFOs, sockets, kernel pseudo-files
(`/proc`, `/sys`) and files over 10 MB are never read.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

from app.model.storage import MAX_FILE_BYTES, read_regular

UPLOAD = "--upload-file"
"""The one option whose file is named bare (`-T file`), not as `@file`."""


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
    """Why it is never read (missing, a device, a FIFO, over 10 MB, a multipart part), or None."""

    def describe(self) -> str:
        """`-d @/path/x.json (1,234 bytes)`: what was named, for warnings and the request's description.
        The size only of a file that could be read: a pseudo-file's or a device's says nothing (the
        `problem` says why it is left out)."""
        at = "" if self.option == UPLOAD else "@"
        size = f" ({self.size:,} bytes)" if self.size is not None and self.problem is None else ""
        return f"{self.option} {at}{self.path}{size}"


@dataclass(slots=True)
class FileReader:
    """Reads `@file` arguments, or (the default) only notes them."""

    base_dir: Path
    read: bool
    found: list[LocalFile] = field(default_factory=list)

    def bytes_of(self, name: str, option: str) -> bytes | None:
        """The file's bytes, or None when it is left out (not asked to read, or never readable)."""
        shown = f"{option} {name}" if option == UPLOAD else f"{option} @{name}"
        if name == "-":
            raise CurlImportError(f"{shown} reads stdin, which a pasted command cannot provide")
        path = (self.base_dir / name).expanduser()
        size, problem = _inspect(path)
        self.found.append(LocalFile(option, path, size, problem))
        if problem is not None and self.read:
            raise CurlImportError(f"{shown}: {path} {problem}")
        if problem is not None or not self.read:
            return None
        try:
            data = read_regular(path)
        except OSError as error:
            raise CurlImportError(f"{shown}: cannot read {path}: {error.strerror}") from None
        if size is not None and len(data) != size:
            # What the user agreed to read (its size listed) is not what is there: a pseudo-file `_inspect`
            # could not place (procfs mounted elsewhere reports 0 bytes), or a file written meanwhile.
            why = _PSEUDO_FILE if size == 0 else f"changed size ({size:,} → {len(data):,} bytes) as it was read: not read"
            raise CurlImportError(f"{shown}: {path} {why}")
        return data

    def text(self, name: str, option: str) -> str | None:
        """`bytes_of` as text (undecodable bytes kept as surrogates, so binary bodies stay exact)."""
        data = self.bytes_of(name, option)
        return None if data is None else data.decode("utf-8", "surrogateescape")

    def note_unsupported(self, name: str, option: str, why: str) -> None:
        """A file the command names that Sluice cannot import at all (a multipart part): listed, never read."""
        path = (self.base_dir / name).expanduser()
        size, _ = _inspect(path)
        self.found.append(LocalFile(option, path, size, why))


_PSEUDO_FILE = "is a kernel pseudo-file (its size says nothing of what it holds): never read"
_PSEUDO_ROOTS = (Path("/proc"), Path("/sys"))
"""procfs and sysfs: `/proc/self/environ` is a regular file of "0 bytes" that holds the process environment."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file"


def _is_pseudo(path: Path) -> bool:
    try:
        places = (path.absolute(), path.resolve())
    except (OSError, RuntimeError):  # a link loop: no file to read either
        return True
    return any(place.is_relative_to(root) for place in places for root in _PSEUDO_ROOTS)


def _inspect(path: Path) -> tuple[int | None, str | None]:
    """(size, None) for a file that may be read; (size or None, why not) otherwise."""
    try:
        status = path.stat()
    except OSError as error:
        return None, f"cannot be read ({error.strerror})"
    except ValueError:  # a NUL in the name, which no file name can hold
        return None, "cannot be read (a NUL byte in its name)"
    if not stat.S_ISREG(status.st_mode):
        return None, f"is a {_kind(status.st_mode)}: never read"
    if _is_pseudo(path):
        return None, _PSEUDO_FILE
    if status.st_size > MAX_FILE_BYTES:
        return status.st_size, f"is over {MAX_FILE_BYTES // (1024 * 1024)} MB: never read"
    return status.st_size, None
