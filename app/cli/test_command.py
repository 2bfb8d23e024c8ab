"""`sluice test PATH...`: run request files, check their `[[expect]]` tables live, report for people and CI.

A directory stands for every request file in it (folders included, `environments/` left out) that has
assertions, in name order; files named on the command line run even without assertions (a chain often
starts with a request that only extracts a variable). Requests share the variables they extract, as in
`sluice run a.toml b.toml`. One line per assertion on stdout; exit 0 when every assertion passed, 1 when
one failed or a request could not be made, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import replace
from pathlib import Path

from app.assertions import AssertionChecker, AssertionResult
from app.assertions.junit import TestCaseReport, junit_xml
from app.figures import count_of
from app.model.collection import (
    COLLECTION_FILE,
    ENVIRONMENTS_DIR,
    FOLDER_FILE,
    BrokenFile,
    load_request_file,
)
from app.run import ExitCode, RequestChain, StepProblem
from app.terminal_text import safe_line

WS_DURATION = 10.0
"""A WebSocket has no end of its own; a test closes it once every assertion is decided, or after this."""


def add_test_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The flags of `sluice test` (the `--var` type comes from the caller, shared with `sluice run`)."""
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="request .toml files or directories")
    parser.add_argument("--env", metavar="NAME", help="environment of the collection to use")
    parser.add_argument("--demo", action="store_true", help="start the embedded demo server and point base_url/ws_url at it")
    parser.add_argument(
        "--ws-duration", type=float, default=WS_DURATION, metavar="S",
        help=f"close a WebSocket after S seconds if assertions are still pending (default {WS_DURATION:g})",
    )
    parser.add_argument("--junit", type=Path, metavar="FILE", help="also write a JUnit XML report (one testcase per request)")
    return parser


def request_files(paths: list[Path]) -> list[Path]:
    """The files to run: each file as given, each directory's requests with assertions in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
            continue
        if not path.is_dir():
            raise FileNotFoundError(f"{path} is neither a request file nor a directory")
        for candidate in sorted(path.rglob("*.toml"), key=lambda item: item.relative_to(path).parts):
            relative = candidate.relative_to(path).parts
            if candidate.name in (COLLECTION_FILE, FOLDER_FILE) or ENVIRONMENTS_DIR in relative[:-1]:
                continue
            loaded = load_request_file(candidate)
            if isinstance(loaded, BrokenFile) or loaded.definition.expect:
                found.append(candidate)
    return found


def test_command(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    args = parser.parse_args(argv)
    try:
        files = request_files(args.paths)
    except FileNotFoundError as error:
        parser.error(safe_line(str(error)))  # names files and values from outside
    if args.ws_duration <= 0:
        parser.error("--ws-duration must be positive")
    if not files:
        parser.error("no request with [[expect]] assertions in " + ", ".join(str(path) for path in args.paths))
    try:
        cases = asyncio.run(_run_all(files, args))
    except KeyboardInterrupt:
        return 130
    if args.junit is not None:
        args.junit.write_bytes(junit_xml("sluice test", cases))
    failed = sum(1 for case in cases if not case.passed)
    assertions = sum(len(case.results) for case in cases)
    broken = sum(len(case.failures) for case in cases)
    not_made = sum(1 for case in cases if case.error)
    print(
        f"sluice test: {count_of(len(cases), 'request')}, {count_of(assertions, 'assertion')}, {broken} failed"
        + (f", {count_of(not_made, 'request')} not made" if not_made else ""),
        file=sys.stderr,
    )
    return ExitCode.OK if not failed else ExitCode.FAILED


async def _run_all(files: list[Path], args: argparse.Namespace) -> list[TestCaseReport]:
    chain = RequestChain(args.env, dict(args.var))
    demo = None
    if args.demo:
        from app.demo.server import DemoServer

        demo = DemoServer().start()
        chain.variables.setdefault("base_url", demo.base_url)
        chain.variables.setdefault("ws_url", demo.ws_url)
    try:
        cases = []
        for path in files:
            case = await _run_one(chain, path, args.ws_duration)
            _print_case(case)
            cases.append(case)
        return cases
    finally:
        if demo is not None:
            demo.stop()


async def _run_one(chain: RequestChain, path: Path, ws_duration: float) -> TestCaseReport:
    classname = _display_path(path)
    started = time.perf_counter()
    try:
        step = chain.prepare(path)
    except StepProblem as problem:
        return TestCaseReport(path.stem, classname, 0.0, error=str(problem))
    if step.definition.is_websocket:
        # `--ws-duration` bounds a WebSocket only: an HTTP response ends by itself.
        step = replace(step, script=replace(step.script, duration=ws_duration))
    name = step.definition.name or path.stem
    checker = AssertionChecker(step.definition.expect, step.merge)
    run = chain.start(step, [checker])
    if step.definition.is_websocket:
        # A WebSocket has no end of its own: the test is over once every assertion is decided.
        checker.on_all_decided = run.close
    outcome = await run.run()
    results = tuple(checker.finish())
    seconds = time.perf_counter() - started
    problems = [f"could not extract {problem}" for problem in (outcome.extraction.problems if outcome.extraction else ())]
    if not outcome.clean and outcome.problem is not None:
        problems.insert(0, outcome.problem)
    return TestCaseReport(name, classname, seconds, results, error="; ".join(problems))


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _print_case(case: TestCaseReport) -> None:
    lines = [_result_line(case, result) for result in case.results]
    if case.error:
        lines.append(f"ERROR {safe_line(case.classname)}  {safe_line(case.error)}")
    elif not case.results:
        lines.append(f"PASS  {safe_line(case.classname)}  request made (no assertions)")
    sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.flush()


def _result_line(case: TestCaseReport, result: AssertionResult) -> str:
    word = "PASS " if result.passed else "FAIL "
    where = f"; {result.decided_by}" if result.decided_by else ""
    return f"{word} {safe_line(case.classname)}  {safe_line(result.label)}  ({safe_line(result.detail)}{where})"
