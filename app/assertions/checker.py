"""The assertion checker: a bus consumer that checks a request's `[[expect]]` tables as events arrive."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.assertions.checks import AssertionResult, Check, Verdict, checks_for
from app.events import TimelineEvent
from app.model.expectations import Expectation
from app.streams.merge import MergeEngine
from app.vocabulary import MergeRule


class AssertionChecker:
    """Feed it every batch; `results` is live (pending until decided); call `finish()` when the run ends.

    It merges the stream itself (with the request's merge profile and rule), so that the merged-text,
    completeness and time-to-first-text checks read the same reply `sluice run --merged` prints.
    """

    def __init__(
        self, expectations: Iterable[Expectation], merge: tuple[str | None, MergeRule | None] = (None, None)
    ) -> None:
        self._checks: list[Check] = [check for expectation in expectations for check in checks_for(expectation)]
        self._pending = list(self._checks)
        self.engine = MergeEngine(*merge)
        self._last: TimelineEvent | None = None
        self.finished = False
        self.version = 0
        """Grows whenever a result changes, so a view redraws only then."""
        self.on_all_decided: Callable[[], object] | None = None
        """Called once when the last pending assertion is decided before the end (a WebSocket test then closes)."""

    def __len__(self) -> int:
        return len(self._checks)

    @property
    def results(self) -> list[AssertionResult]:
        return [check.result for check in self._checks]

    @property
    def passed(self) -> bool:
        """True once finished with every assertion passed."""
        return self.finished and all(check.result.verdict is Verdict.PASSED for check in self._checks)

    def feed(self, events: list[TimelineEvent]) -> None:
        if not events:
            return
        engine = self.engine
        engine.feed(events)
        self._last = events[-1]
        pending = self._pending
        for event in events if pending else ():
            for check in pending:
                check.observe(event, engine)
            if any(check.decided for check in pending):
                pending = [check for check in pending if not check.decided]
                self.version += 1
                if not pending:
                    break
        self._pending = pending
        if not pending and self._checks and self.on_all_decided is not None:
            callback, self.on_all_decided = self.on_all_decided, None
            callback()

    def finish(self) -> list[AssertionResult]:
        """The run is over: decide every pending assertion (by the last event) and return all results."""
        if not self.finished:
            self.finished = True
            self.engine.finish()
            for check in self._pending:
                check.end(self._last, self.engine)
            self._pending = []
            self.version += 1
        return self.results
