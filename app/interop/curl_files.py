"""The local files a curl command names (`-d @file`, `--data-binary @file`, `-T file`, `-F name=@file`).

A pasted command must not quietly put `~/.ssh/id_rsa` into a body that Ctrl+J then posts anywhere: files
are only noted unless the caller asked to read them, and devices, FIFOs and files over 10 MB are never read.
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
        """`-d @/path/x.json (1,234 bytes)`: what was named, for warnings and the request's description."""
        size = f"{self.size:,} bytes" if self.size is not None else "unreadable"
        at = "" if self.option == UPLOAD else "@"
        return f"{self.option} {at}{self.path} ({size})"


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
            return read_regular(path)
        except OSError as error:
            raise CurlImportError(f"{shown}: cannot read {path}: {error.strerror}") from None

    def text(self, name: str, option: str) -> str | None:
        """`bytes_of` as text (undecodable bytes kept as surrogates, so binary bodies stay exact)."""
        data = self.bytes_of(name, option)
        return None if data is None else data.decode("utf-8", "surrogateescape")

    def note_unsupported(self, name: str, option: str, why: str) -> None:
        """A file the command names that Sluice cannot import at all (a multipart part): listed, never read."""
        path = (self.base_dir / name).expanduser()
        size, _ = _inspect(path)
        self.found.append(LocalFile(option, path, size, why))


def _inspect(path: Path) -> tuple[int | None, str | None]:
    """(size, None) for a file that may be read; (size or None, why not) otherwise."""
    try:
        status = path.stat()
    except OSError as error:
        return None, f"cannot be read ({error.strerror})"
    except ValueError:  # a NUL in the name, which no file name can hold
        return None, "cannot be read (a NUL byte in its name)"
    if not stat.S_ISREG(status.st_mode):
        return None, "is a device, FIFO or socket: never read"
    if status.st_size > MAX_FILE_BYTES:
        return status.st_size, f"is over {MAX_FILE_BYTES // (1024 * 1024)} MB: never read"
    return status.st_size, None
