"""JUnit XML for `sluice test --junit`: one testsuite per run, one testcase per request, one failure per assertion.

The flavour CI systems read (GitLab, Jenkins, GitHub test reporters): `<testsuites>` around one
`<testsuite>`; a request that could not be made is an `<error>`, a failed assertion a `<failure>` whose
`message` is the assertion and what was seen, and whose text names the event that decided it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree

from app.assertions.checks import AssertionResult
from app.terminal_text import safe_block

_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold at all, not even as `&#…;`, that `safe_block` leaves: a lone surrogate
(JSON's `"\\ud800"` escape carries one into a merged text) and the two non-characters."""


@dataclass(frozen=True, slots=True)
class TestCaseReport:
    """One request of a `sluice test` run."""

    __test__ = False  # not a pytest class, whatever its name says

    name: str
    classname: str
    """The request file, relative to where the run started."""
    seconds: float
    results: tuple[AssertionResult, ...] = ()
    error: str = ""
    """Why the request could not be made (a broken file, a variable no scope defines, a refused connection)."""

    @property
    def failures(self) -> list[AssertionResult]:
        return [result for result in self.results if not result.passed]

    @property
    def passed(self) -> bool:
        return not self.error and not self.failures


def _clean(text: str) -> str:
    # Controls shown as escapes (`\x1b`), as on a terminal: most C0 controls are not XML 1.0 at all, and
    # a CI log that prints a failure message must not get an escape sequence from a server either.
    return _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", safe_block(text))


def junit_xml(suite_name: str, cases: list[TestCaseReport]) -> bytes:
    """The whole report as UTF-8 XML bytes."""
    failures = sum(len(case.failures) for case in cases if not case.error)
    errors = sum(1 for case in cases if case.error)
    seconds = f"{sum(case.seconds for case in cases):.3f}"
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": str(errors), "time": seconds}
    root = ElementTree.Element("testsuites", counts)
    suite = ElementTree.SubElement(root, "testsuite", {"name": _clean(suite_name), **counts})
    for case in cases:
        element = ElementTree.SubElement(
            suite, "testcase", {"name": _clean(case.name), "classname": _clean(case.classname), "time": f"{case.seconds:.3f}"}
        )
        if case.error:
            ElementTree.SubElement(element, "error", {"message": _clean(case.error), "type": "request"})
            continue
        for result in case.failures:
            failure = ElementTree.SubElement(
                element, "failure", {"message": _clean(f"{result.label}: {result.detail}"), "type": "assertion"}
            )
            failure.text = _clean(f"decided by {result.decided_by}" if result.decided_by else "no event arrived")
        passed = [result for result in case.results if result.passed]
        if passed:
            ElementTree.SubElement(element, "system-out").text = _clean(
                "\n".join(f"PASS {result.label}: {result.detail}" for result in passed)
            )
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
