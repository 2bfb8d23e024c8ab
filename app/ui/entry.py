"""The TUI's entry point: `sluice [PATH]` and `sluice --demo` call `run_tui`."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path


def run_tui(path: Path | None, demo: bool, environment: str | None = None) -> int:
    """Run the workbench on the collection at `path` (default: the current directory) until quit,
    with `environment` active (default: the collection's own default)."""
    # Start-up allocates hundreds of thousands of long-lived objects (Textual's styles, widgets, the
    # collection) and the cyclic collector kept re-scanning them: about 0.5 s of a loaded machine's
    # 2 s to the first frame (gc.callbacks). It is off until the collection is on screen, when
    # `tune_for_streaming` parks those objects outside it and switches it back on.
    gc.disable()
    # Imported here so `sluice run` and `--help` never pay for Textual.
    from app.ui.app import SluiceApp

    if path is not None and not path.exists():
        print(f"sluice: {path} does not exist", file=sys.stderr)
        return 2
    app = SluiceApp(path, demo=demo, environment=environment)
    problem = app.environment_problem()
    if problem is not None:
        print(f"sluice: {problem}", file=sys.stderr)
        return 2
    result = app.run()
    return result if isinstance(result, int) else (app.return_code or 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.ui.entry", description="Sluice's terminal workbench")
    parser.add_argument("path", nargs="?", type=Path, help="collection folder (default: the current directory)")
    parser.add_argument("--demo", action="store_true", help="start the demo server and open the sample collection")
    parser.add_argument("--env", help="environment to activate")
    arguments = parser.parse_args(argv)
    return run_tui(arguments.path, arguments.demo, arguments.env)


if __name__ == "__main__":
    sys.exit(main())
