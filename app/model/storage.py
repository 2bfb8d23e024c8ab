"""Saving files safely: atomic replace, and never over a file someone changed since we read it."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What a file looked like when it was read: a save compares it with the file on disk now."""

    mtime_ns: int
    size: int
    sha256: str


class SaveConflict(Exception):
    """The file changed on disk since it was loaded; saving would silently drop those changes."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} changed on disk since it was opened; reload it or save under another name")
        self.path = path


def stamp_bytes(path: Path, data: bytes) -> FileStamp:
    """The stamp of `path` whose content `data` was just read."""
    status = path.stat()
    return FileStamp(status.st_mtime_ns, status.st_size, hashlib.sha256(data).hexdigest())


def read_stamped(path: Path) -> tuple[bytes, FileStamp]:
    """A file's bytes with the stamp to save it back against."""
    data = path.read_bytes()
    return data, stamp_bytes(path, data)


def check_unchanged(path: Path, expected: FileStamp | None) -> None:
    """Raise `SaveConflict` if `path` is not what `expected` recorded (`None`: the file must not exist)."""
    if expected is None:
        if path.exists():
            raise SaveConflict(path)
        return
    try:
        status = path.stat()
    except FileNotFoundError:
        raise SaveConflict(path) from None
    if status.st_mtime_ns == expected.mtime_ns and status.st_size == expected.size:
        return
    # mtime alone misleads (touch, checkout of identical content): the content decides.
    if status.st_size != expected.size or hashlib.sha256(path.read_bytes()).hexdigest() != expected.sha256:
        raise SaveConflict(path)


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, fsync it, then rename it over `path`.

    A crash at any point leaves either the old file or the new one, never a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(temporary_name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes 0600 files; keep the old file's mode, or the usual 0644 for a new one.
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is; some platforms cannot open directories.
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def save_checked(path: Path, data: bytes, expected: FileStamp | None) -> FileStamp:
    """Atomically write `data` if the file is still as loaded (`expected`); returns the new stamp."""
    check_unchanged(path, expected)
    atomic_write(path, data)
    return stamp_bytes(path, data)
