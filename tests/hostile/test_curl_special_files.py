"""`-d @/proc/self/environ` and friends: never read, unasked or asked, and named for what they are.

A kernel pseudo-file (`/proc`, `/sys`) is a regular file whose size says nothing: `/proc/self/environ`
reports 0 bytes and holds every secret of the process environment. The import listed it as
"(0 bytes)", so the TUI's question "read these files?" looked harmless, and a yes put the environment
into a body that the next send posts anywhere. Devices, FIFOs and sockets were "(unreadable)", which is
not why they are left out.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from app.interop.curl_import import CurlImportError, import_curl


@pytest.mark.parametrize("path", ["/proc/self/environ", "/proc/self/cmdline", "/sys/kernel/mm/transparent_hugepage/enabled"])
def test_a_kernel_pseudo_file_is_never_read_and_says_so(path: str) -> None:
    if not Path(path).exists():
        pytest.skip(f"{path} is not on this machine")
    result = import_curl(f"curl http://127.0.0.1:9/ -d @{path}")
    (found,) = result.files
    assert found.problem is not None and "never read" in found.problem and "pseudo-file" in found.problem
    assert "0 bytes" not in found.describe() and "bytes)" not in found.describe()
    assert any(path in warning and "pseudo-file" in warning for warning in result.warnings)
    with pytest.raises(CurlImportError, match="pseudo-file"):
        import_curl(f"curl http://127.0.0.1:9/ -d @{path}", read_files=True)


def test_a_link_to_a_pseudo_file_is_refused_as_one(tmp_path: Path) -> None:
    link = tmp_path / "notes.txt"
    link.symlink_to("/proc/self/environ")
    (found,) = import_curl(f"curl http://127.0.0.1:9/ --data-binary @{link}").files
    assert found.problem is not None and "pseudo-file" in found.problem


def test_devices_fifos_and_sockets_are_named_by_kind(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(tmp_path / "sock"))
    try:
        kinds = {}
        for path in ("/dev/zero", str(fifo), str(tmp_path / "sock"), str(tmp_path)):
            (found,) = import_curl(f"curl http://127.0.0.1:9/ -d @{path}").files
            kinds[path] = found.problem
            assert "unreadable" not in found.describe()
    finally:
        listening.close()
    assert kinds["/dev/zero"] == "is a device: never read"
    assert kinds[str(fifo)] == "is a FIFO: never read"
    assert kinds[str(tmp_path / "sock")] == "is a socket: never read"
    assert kinds[str(tmp_path)] == "is a folder: never read"


def test_a_missing_file_says_it_is_missing(tmp_path: Path) -> None:
    (found,) = import_curl(f"curl http://127.0.0.1:9/ -d @{tmp_path / 'gone.json'}").files
    assert found.problem == "cannot be read (No such file or directory)"
    assert found.describe().endswith("gone.json")


def test_an_empty_regular_file_is_still_listed_with_its_size(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    (found,) = import_curl(f"curl http://127.0.0.1:9/ -d @{empty}").files
    assert found.problem is None and found.describe().endswith("(0 bytes)")
    assert import_curl(f"curl http://127.0.0.1:9/ -d @{empty}", read_files=True).definition.body.content == ""
