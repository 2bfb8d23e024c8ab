"""`sluice mock FILE_OR_DIR... [--port N] [--speed X]`: serve recordings on 127.0.0.1 until Ctrl-C.

The first line on stdout is the base URL (`http://127.0.0.1:PORT`), so a script can read it; one line
per served route follows. A directory stands for every `*.jsonl` recording in it, in name order.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.recording.format import BadRecording, Recording, load_recording
from app.terminal_text import safe_line


def add_mock_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("sources", nargs="+", type=Path, metavar="FILE_OR_DIR", help="recordings (.jsonl) or directories of them")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--speed", type=float, default=1.0, help="timing scale: 2 plays twice as fast, 0 as fast as possible (default 1)")
    return parser


def recording_files(sources: list[Path]) -> list[Path]:
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files.extend(sorted(source.rglob("*.jsonl")))
        elif source.is_file():
            files.append(source)
        else:
            raise FileNotFoundError(f"{source} is neither a recording nor a directory")
    return files


def _routes_text(base_url: str, recordings: list[Recording]) -> str:
    lines = [base_url]
    for recording in recordings:
        method = "WS" if recording.protocol == "websocket" else recording.method
        lines.append(f"{method} {safe_line(recording.path)}  {safe_line(str(recording.source))}")
    return "\n".join(lines)


def mock_command(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    args = parser.parse_args(argv)
    if args.speed < 0:
        parser.error("--speed must be 0 or more")
    try:
        files = recording_files(args.sources)
        recordings = [load_recording(path) for path in files]
    except (FileNotFoundError, BadRecording) as error:
        parser.error(safe_line(str(error)))  # names files and values from outside
    if not recordings:
        parser.error(safe_line("no recordings (.jsonl) in " + ", ".join(str(source) for source in args.sources)))
    from app.demo.server import serve
    from app.recording.mock import create_mock_app

    try:
        serve(args.port, app=create_mock_app(recordings, args.speed), announce_line=lambda url: _routes_text(url, recordings))
    except KeyboardInterrupt:
        return 0
    return 0
