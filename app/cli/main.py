"""The `sluice` command: the TUI by default, `run`, `demo-server`, `import` and `export` as subcommands.

Heavy modules (Textual, httpx, the demo server) are imported only by the command that needs them, so
`sluice run` and the first frame of the TUI start quickly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app import __version__
from app.vocabulary import WsFormat

SUBCOMMANDS = ("run", "test", "mock", "demo-server", "import", "export")


def name_value(text: str) -> tuple[str, str]:
    """`--var NAME=VALUE` as argparse reads it (a bad one is a usage error, exit code 2)."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"{text!r} is not of the form NAME=VALUE")
    return name, value


def positive_size(text: str) -> int:
    """`--max-event-size BYTES`: a whole number of bytes, at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of bytes") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 byte")
    return value


class AppendOutgoing(argparse.Action):
    """`--send`, `--send-json`, `--send-hex`, `--send-b64` into one list, so their order is kept."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from app.model.request_definition import SavedMessage  # its module loads only for a --send

        sends = list(getattr(namespace, self.dest, None) or [])
        sends.append(SavedMessage(values, WsFormat(self.const)))
        setattr(namespace, self.dest, sends)


def _tui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sluice",
        description="A keyboard-driven terminal workbench for streaming APIs (SSE, NDJSON, WebSocket).",
        epilog="Subcommands: sluice run | test | mock | demo-server | import curl | export curl (each has --help).",
    )
    parser.add_argument("path", nargs="?", type=Path, help="collection directory to open (default: the current directory)")
    parser.add_argument("--demo", action="store_true", help="start the embedded demo server and open the sample collection")
    parser.add_argument("--demo-reset", action="store_true", help="start the demo on a fresh copy of the sample "
                        "collection (your edits to the old copy are lost)")
    parser.add_argument("--env", help="environment to activate")
    parser.add_argument("--version", action="version", version=f"sluice {__version__}")
    return parser


class _RunHelpFormatter(argparse.HelpFormatter):
    """Lists the merge profiles (installed plugins too) only when help is printed: finding plugins costs
    a scan of the installed packages that a plain `sluice run` should not pay."""

    def _expand_help(self, action: argparse.Action) -> str:
        if action.dest == "profile":
            from app.streams.merge import profile_names

            return (action.help or "") % {"profiles": ", ".join(profile_names())}
        return super()._expand_help(action)


def _run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sluice run",
        formatter_class=_RunHelpFormatter,
        description="Send requests headless and print every timeline event as it arrives.",
    )
    parser.add_argument("target", nargs="+", help="a URL (http, https, ws, wss) or one or more request .toml files run in order")
    http = parser.add_argument_group("HTTP")
    http.add_argument("-X", "--request", metavar="METHOD", help="HTTP method (default GET, or POST with a body)")
    http.add_argument("-H", "--header", action="append", default=[], metavar="'Name: value'", help="add a header (repeatable)")
    http.add_argument("-d", "--data", action="append", default=[], metavar="DATA", help="form body as curl sends it; repeats join with &; @file reads a file")
    http.add_argument("--json", metavar="JSON", help="JSON body; sets Content-Type and Accept to application/json")
    http.add_argument("--parse", choices=["auto", "sse", "ndjson", "json-array", "raw"], default="auto", help="how to frame the body (default: from the content type)")
    http.add_argument("--timeout", type=float, metavar="S", help="connect (WebSocket: handshake) timeout and longest silence allowed while reading (default 10 s / 60 s; overrides a saved request's options)")
    http.add_argument("--no-follow", action="store_true", help="do not follow redirects")
    http.add_argument("-k", "--insecure", action="store_true", help="do not verify TLS certificates")
    http.add_argument("--http2", action="store_true", help="allow HTTP/2 (needs sluice[http2])")
    http.add_argument("--max-event-size", type=positive_size, metavar="BYTES", help="drop any one event (SSE data, NDJSON line, JSON-array element) larger than this, with an error event (default 64 MiB)")
    output = parser.add_argument_group("output")
    output.add_argument("--jsonl", action="store_true", help="one JSON object per event (the schema is in the README)")
    output.add_argument("--merged", action="store_true", help="print the merged reply as it arrives; reasoning and a summary on stderr")
    output.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="colour in human output")
    merge = parser.add_argument_group("merge")
    merge.add_argument("--profile", help="force a merge profile: %(profiles)s")
    merge.add_argument("--text-path", metavar="JSONPATH", help="custom rule: JSONPath of the text in each payload")
    merge.add_argument("--reasoning-path", metavar="JSONPATH", help="custom rule: JSONPath of the reasoning")
    merge.add_argument("--event", metavar="NAME", help="custom rule: only events with this name")
    merge.add_argument("--snapshot", action="store_true", help="custom rule: each value replaces the text so far")
    merge.add_argument("--merge-script", metavar="FILE", help="merge with this Python script (see the README; a file named here is trusted)")
    merge.add_argument("--trust-scripts", action="store_true", help="let the merge scripts a collection names run (they never run without it)")
    collection = parser.add_argument_group("collections")
    collection.add_argument("--env", metavar="NAME", help="environment of the collection to use")
    collection.add_argument("--var", action="append", default=[], type=name_value, metavar="NAME=VALUE", help="set a variable (repeatable)")
    collection.add_argument("--demo", action="store_true", help="start the embedded demo server and point base_url/ws_url at it")
    ws = parser.add_argument_group("WebSocket")
    ws.add_argument("--subprotocol", action="append", default=[], metavar="P", help="offer a subprotocol (repeatable)")
    sends: dict[str, Any] = {"dest": "sends", "action": AppendOutgoing, "default": []}
    ws.add_argument("--send", const="text", metavar="TEXT", help="send a text message after the handshake (repeatable; all sends keep their order)", **sends)
    ws.add_argument("--send-json", const="json", metavar="JSON", help="send a JSON message (validated first)", **sends)
    ws.add_argument("--send-hex", const="hex", metavar="HEX", help="send binary given as hex", **sends)
    ws.add_argument("--send-b64", const="base64", metavar="B64", help="send binary given as Base64", **sends)
    ws.add_argument("--send-interval", type=float, default=0.0, metavar="S", help="pause between sends")
    stop = parser.add_argument_group(
        "stop (HTTP streams and WebSocket)",
        "End the stream cleanly: exit 0, an HTTP response closes with reason \"stopped\" (a WebSocket with "
        "1000), the closing lines and the recordings are written. A received message is an SSE event (the "
        "default message or a named one; not a comment, retry or id line), an NDJSON line, a JSON-array item, "
        "or a WebSocket message received; a raw body's chunks are not messages. With --reconnect the count "
        "and the clock cover the whole run.",
    )
    until = stop.add_mutually_exclusive_group()
    until.add_argument("--until-count", type=int, metavar="N", help="stop right after N received messages")
    until.add_argument("--until-jsonpath", metavar="EXPR", help="stop right after the first received JSON message the expression finds anything in")
    until.add_argument("--duration", type=float, metavar="S", help="stop S seconds after the response head (WebSocket: the handshake)")
    from app.cli.capture_output import add_capture_flags

    add_capture_flags(parser)
    return parser


def main(argv: list[str] | None = None) -> None:
    """Console entry point."""
    args = sys.argv[1:] if argv is None else argv
    sys.exit(dispatch(args))


def dispatch(argv: list[str]) -> int:
    if argv and argv[0] in SUBCOMMANDS:
        command, rest = argv[0], argv[1:]
        if command == "run":
            from app.cli.run_command import run_command

            return run_command(_run_parser(), rest)
        if command == "test":
            return _test(rest)
        if command == "mock":
            from app.cli.mock_command import add_mock_parser, mock_command

            parser = argparse.ArgumentParser(prog="sluice mock", description="Serve recordings (sluice run --record) on 127.0.0.1.")
            return mock_command(add_mock_parser(parser), rest)
        if command == "demo-server":
            return _demo_server(rest)
        if command == "import":
            return _import(rest)
        return _export(rest)
    options = _tui_parser().parse_args(argv)
    from app.ui.entry import run_tui

    return run_tui(options.path, demo=options.demo, environment=options.env, demo_reset=options.demo_reset)


def _test(argv: list[str]) -> int:
    from app.cli.test_command import add_test_parser, test_command

    parser = argparse.ArgumentParser(prog="sluice test", description="Run request files and check their [[expect]] assertions.")
    parser.add_argument("--var", action="append", default=[], type=name_value, metavar="NAME=VALUE", help="set a variable (repeatable)")
    return test_command(add_test_parser(parser), argv)


def _demo_server(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="sluice demo-server", description="Serve the demo endpoints on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=None, help="port to listen on (default: a free one)")
    options = parser.parse_args(argv)
    from app.demo.server import serve

    serve(options.port)
    return 0


def _import(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="sluice import", description="Import requests into a collection.")
    formats = parser.add_subparsers(dest="format", required=True)
    curl = formats.add_parser("curl", help="a curl command ('-' reads it from stdin)")
    curl.add_argument("command", help="the whole curl command, quoted, or - for stdin")
    curl.add_argument("-o", "--output", type=Path, help="request file to write (default: print the TOML)")
    curl.add_argument(
        "--read-files", action="store_true",
        help="read the local files the command names (-d @file, --data-binary @file); without it they are left out",
    )
    curl.add_argument(
        "--keep-credentials", action="store_true",
        help="write literal credentials (-u, Authorization, Cookie, API keys) into the TOML; without it they go to "
             "the collection's .env (-o into a collection) and the file keeps {{variables}}",
    )
    postman = formats.add_parser("postman", help="a Postman v2.1 collection export")
    postman.add_argument("source", type=Path, help="the Postman collection .json file")
    postman.add_argument("-o", "--output", type=Path, default=Path("."), help="collection directory to write into")
    options = parser.parse_args(argv)
    from app.cli import collection_commands

    if options.format == "curl":
        return collection_commands.import_curl_command(options.command, options.output, read_files=options.read_files,
                                                       keep_credentials=options.keep_credentials)
    return collection_commands.import_postman_command(options.source, options.output)


def _export(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="sluice export", description="Export a saved request.")
    formats = parser.add_subparsers(dest="format", required=True)
    curl = formats.add_parser("curl", help="one curl command that sends the same request")
    curl.add_argument("path", type=Path, help="the request .toml file")
    curl.add_argument("--reveal", action="store_true", help="print secrets instead of masking them")
    curl.add_argument("--env", help="environment to resolve variables with")
    curl.add_argument("--var", action="append", default=[], type=name_value, metavar="NAME=VALUE", help="set a variable (repeatable)")
    options = parser.parse_args(argv)
    from app.cli import collection_commands

    return collection_commands.export_curl_command(
        options.path, options.reveal, options.env, dict(options.var)
    )
