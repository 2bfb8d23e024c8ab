"""The core layers import without Textual: the headless runner and the tests of the core never need the UI."""

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

BLOCK_TEXTUAL = """
import importlib.abc, sys
class BlockTextual(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("the core must not import textual")
        return None
sys.meta_path.insert(0, BlockTextual())
import app.events, app.bus, app.model, app.streams, app.connections
import app.connections.http_worker, app.connections.websocket
import app.streams.sse, app.streams.ndjson, app.streams.json_array, app.streams.merge
import app.model.collection, app.model.resolve, app.interop.curl_import, app.interop.curl_export
import app.cli.main, app.cli.run_command, app.cli.collection_run, app.demo.server, app.demo.app
print("ok")
"""


def test_core_layers_import_without_textual():
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_TEXTUAL], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_nothing_outside_the_ui_imports_the_ui():
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "app").rglob("*.py")
        if "ui" not in path.relative_to(REPO_ROOT / "app").parts[:1]
        and ("from app.ui" in path.read_text() or "import app.ui" in path.read_text())
        and path.name != "main.py"
    ]
    assert offenders == []
