"""Saving files safely: atomic replace, and never over a file someone changed since we read it."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable
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


MAX_FILE_BYTES = 10 * 1024 * 1024
"""Collection files, `.env` files and files a curl command names are read whole; none is bigger."""


def read_regular(path: Path, limit: int = MAX_FILE_BYTES, *, inside: Path | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (and, given `inside`, a file within that
    resolved folder); an `OSError` saying why otherwise.

    A cloned collection can hold `x.toml -> /dev/zero` or a FIFO, and a pasted curl command can name
    either: opened without blocking, checked with `fstat`, and read at most `limit` + 1 bytes. Every check
    is made on the opened file, never on the path before opening it: a link swapped in between the check
    and the read (`merge.py -> ~/.ssh/id_ed25519`) would otherwise be read as the checked file."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a device, FIFO or socket is never read)", str(path))
        if status.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit // (1024 * 1024)} MB ({status.st_size:,} bytes)", str(path))
        if inside is not None:
            opened = _opened_path(descriptor, path, status)
            if opened is None or not opened.is_relative_to(inside):
                raise OSError(errno.EPERM, f"it leads outside {inside} ({opened or 'somewhere else'})", str(path))
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit // (1024 * 1024)} MB", str(path))
    return data


def _opened_path(descriptor: int, path: Path, status: os.stat_result) -> Path | None:
    """Where the open file `descriptor` is, as the kernel knows it (Linux: /proc; macOS: F_GETPATH); else
    where `path` resolves now, if that is still the same file (None when it is not)."""
    try:
        return Path(os.readlink(f"/proc/self/fd/{descriptor}"))
    except OSError:
        pass
    try:
        import fcntl

        return Path(fcntl.fcntl(descriptor, fcntl.F_GETPATH, bytes(1024)).rstrip(b"\0").decode())  # type: ignore[attr-defined]
    except (ImportError, AttributeError, OSError, UnicodeDecodeError):
        pass
    resolved = path.resolve()
    try:
        now = resolved.stat()
    except OSError:
        return None
    return resolved if (now.st_dev, now.st_ino) == (status.st_dev, status.st_ino) else None


def link_out_of(path: Path, root: Path) -> Path | None:
    """Where `path` leads when it is a link that resolves outside the (resolved) folder `root`, else None.

    A cloned collection can hold `.env -> ~/.aws/credentials` or `shared -> ~`: read, such a link would
    put local files nobody asked for into variables, the tree, or a `.env` written back inside the clone.
    One `lstat` for a file that is no link."""
    if not path.is_symlink():
        return None
    target = path.resolve()
    return None if target.is_relative_to(root) else target


def read_stamped(path: Path) -> tuple[bytes, FileStamp]:
    """A file's bytes (a regular file of at most MAX_FILE_BYTES) with the stamp to save it back against."""
    data = read_regular(path)
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


def atomic_write(path: Path, data: bytes | Iterable[bytes], new_mode: int = 0o666) -> None:
    """Write `data` (bytes, or pieces of them written as they come) to a temporary file beside `path`,
    fsync it, then rename it over `path`.

    A crash at any point leaves either the old file or the new one, never a half-written file. A new
    file gets `new_mode` less the umask; an existing one keeps its mode.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(temporary_name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes 0600 files; keep the old file's mode, or give a new one what open() would (0666
        # less the umask: 0644 usually, 0600 under `umask 077`).
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else new_mode & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _umask() -> int:
    """The process umask. Linux shows it in /proc; elsewhere it can only be read by setting it (briefly)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


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


def save_checked(path: Path, data: bytes, expected: FileStamp | None, new_mode: int = 0o666) -> FileStamp:
    """Atomically write `data` if the file is still as loaded (`expected`); returns the new stamp."""
    check_unchanged(path, expected)
    atomic_write(path, data, new_mode)
    return stamp_bytes(path, data)
