"""Runs one trusted merge script on its own thread, so a slow script never stalls the stream or the UI.

The merge engine hands every data event to `submit` (a queue put, never a wait) and collects what the
script returned with `take_outcomes` whenever it is fed; the script's thread loads the file, then calls
`on_event` for each event in order and `on_end` after `finish`. A script slower than the stream makes the
merged reply lag (the engine reports `pending`), never the Timeline: measured in
`tests/merge/test_merge_script.py::test_a_slow_script_does_not_hold_the_stream_up` and the README.

The file is read once, its SHA-256 checked against the one that was trusted, and exactly those bytes
are compiled: a script edited after the user trusted it does not run.
"""

from __future__ import annotations

import queue
import threading
import types
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any

from app.model.storage import read_regular
from app.streams.merge.script import MergeScriptSpec, ScriptEvent, script_fingerprint

_module_numbers = count(1)


@dataclass(frozen=True, slots=True)
class ScriptOutcome:
    """What one call of the script gave: a value, or a problem (its exception, or why it did not run).

    `event` is the event `on_event` was called with; None for loading the file and for `on_end`."""

    event: ScriptEvent | None
    value: Any = None
    problem: str | None = None
    end: bool = False


class ScriptRunner:
    """One script, one thread, started at construction (the file is read and run there, not here)."""

    def __init__(self, spec: MergeScriptSpec, fingerprint: str | None = None) -> None:
        self.spec = spec
        self._fingerprint = fingerprint
        self._inbox: queue.SimpleQueue[ScriptEvent | None] = queue.SimpleQueue()
        self._outcomes: deque[ScriptOutcome] = deque()
        self._submitted = 0
        self._processed = 0
        self.has_end = False
        """True once the script is loaded and defines `on_end`."""
        self._finished = threading.Event()
        self._ending = False
        self._thread = threading.Thread(target=self._run, name=f"merge script {spec.shown}", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> bool:
        """True while submitted events are not processed yet, or outcomes wait to be taken."""
        if self._outcomes:
            return True
        return not self._finished.is_set() and self._processed < self._submitted

    @property
    def done(self) -> bool:
        """True once the thread ended (after `finish`, or when the file could not be loaded)."""
        return self._finished.is_set()

    def submit(self, event: ScriptEvent) -> None:
        self._submitted += 1
        self._inbox.put(event)

    def take_outcomes(self) -> list[ScriptOutcome]:
        outcomes = []
        popleft = self._outcomes.popleft
        while self._outcomes:
            outcomes.append(popleft())
        return outcomes

    def finish(self, wait: float) -> bool:
        """No more events: let the script end (`on_end`), waiting at most `wait` seconds. True if it did."""
        if not self._ending:
            self._ending = True
            self._inbox.put(None)
        return self._finished.wait(wait)

    def _run(self) -> None:
        try:
            functions = self._load()
            if functions is None:
                return
            on_event, on_end = functions
            self.has_end = on_end is not None
            while True:
                event = self._inbox.get()
                if event is None:
                    break
                try:
                    self._outcomes.append(ScriptOutcome(event, on_event(event)))
                except BaseException as error:  # the script's failure is shown, the merge goes on
                    self._outcomes.append(ScriptOutcome(event, problem=f"on_event raised {_name(error)}"))
                self._processed += 1
            if on_end is not None:
                try:
                    self._outcomes.append(ScriptOutcome(None, on_end(), end=True))
                except BaseException as error:
                    self._outcomes.append(ScriptOutcome(None, problem=f"on_end raised {_name(error)}", end=True))
        finally:
            self._processed = self._submitted
            self._finished.set()

    def _load(self) -> tuple[Callable[[ScriptEvent], Any], Callable[[], Any] | None] | None:
        path = self.spec.path
        try:
            # Non-blocking and checked on the opened file: a FIFO or a link swapped in never hangs the thread.
            source = read_regular(path, inside=self.spec.inside)
        except OSError as error:
            self._cannot_load(f"cannot read it: {error.strerror or error}")
            return None
        if self._fingerprint is not None and script_fingerprint(source) != self._fingerprint:
            self._cannot_load("it changed after it was trusted; trust it again")
            return None
        module = types.ModuleType(f"sluice_merge_script_{next(_module_numbers)}")
        module.__file__ = str(path)
        try:
            exec(compile(source, str(path), "exec"), module.__dict__)  # the user trusted this file
        except BaseException as error:
            self._cannot_load(f"loading it raised {_name(error)}")
            return None
        on_event = getattr(module, "on_event", None)
        on_end = getattr(module, "on_end", None)
        if not callable(on_event):
            self._cannot_load("it defines no on_event(event) function")
            return None
        if on_end is not None and not callable(on_end):
            self._cannot_load("its on_end is not a function")
            return None
        return on_event, on_end

    def _cannot_load(self, why: str) -> None:
        self._outcomes.append(ScriptOutcome(None, problem=f"not used: {why}"))


def _name(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
