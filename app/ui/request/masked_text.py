"""Editable text with its credentials shown as `****`: what the editor's URL, header and parameter fields hold.

The field shows `shown`; the request keeps `real`. An edit is applied to the shown text (as the widget
reports it) and mapped back: text outside a hidden secret is edited as typed, a secret whose `****` the
edit leaves whole keeps its real value, and a secret whose `****` the edit changes becomes what was typed.
So a masked field can never save `****` in place of the value it hides, and typing elsewhere in it keeps
the value. What counts as a credential is `app/model/secrets.py`'s one definition; a `{{variable}}`
is not a credential and stays readable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from app.model.secrets import MASK, is_secret_param, looks_like_secret, mask_header

Segment = tuple[str, str]
"""(shown, real): equal for plain text, `("****", "sk-…")` for a hidden secret."""


@dataclass(frozen=True, slots=True)
class MaskedText:
    """Text made of plain pieces and hidden secrets."""

    segments: tuple[Segment, ...] = ()

    @classmethod
    def plain(cls, text: str) -> MaskedText:
        """Nothing hidden (the field is revealed)."""
        return cls(((text, text),) if text else ())

    @classmethod
    def masked(cls, real: str, mask: Callable[[str], str]) -> MaskedText:
        """`real` as `mask` shows it; each stretch `mask` changed becomes one hidden secret."""
        shown = mask(real)
        segments: list[Segment] = []
        changed = ["", ""]  # consecutive changed stretches (a delete next to an insert) make one secret

        def close_secret() -> None:
            shown_part, real_part = changed
            if "{{" in real_part or not shown_part:
                segments.append((real_part, real_part))
            else:
                segments.append((shown_part, real_part))
            changed[:] = ["", ""]

        matcher = SequenceMatcher(None, real, shown, autojunk=False)
        for tag, real_start, real_end, shown_start, shown_end in matcher.get_opcodes():
            if tag == "equal":
                close_secret()
                segments.append((real[real_start:real_end],) * 2)
            else:
                changed[0] += shown[shown_start:shown_end]
                changed[1] += real[real_start:real_end]
        close_secret()
        return cls(_joined(segments))

    @property
    def shown(self) -> str:
        return "".join(shown for shown, _ in self.segments)

    @property
    def real(self) -> str:
        return "".join(real for _, real in self.segments)

    def edit(self, new_shown: str) -> MaskedText:
        """The text after the field's shown text became `new_shown`."""
        old = self.shown
        if new_shown == old:
            return self
        # Characters of the old shown text, each tagged with the secret it belongs to (None: plain).
        tags: list[int | None] = []
        for index, (shown, real) in enumerate(self.segments):
            tags.extend([index if shown != real else None] * len(shown))
        # Only the changed middle is diffed: a keystroke costs O(length), and a secret between two edits
        # made before the widget reported either (a TextArea reports its text, not each change) survives.
        start = _common_prefix(old, new_shown)
        end_old, end_new = len(old), len(new_shown)
        while end_old > start and end_new > start and old[end_old - 1] == new_shown[end_new - 1]:
            end_old -= 1
            end_new -= 1
        kept: list[int | None] = tags[:start]
        middle = SequenceMatcher(None, old[start:end_old], new_shown[start:end_new], autojunk=False)
        for operation, old_from, old_to, new_from, new_to in middle.get_opcodes():
            if operation == "equal":
                kept.extend(tags[start + old_from : start + old_to])
            else:
                kept.extend([None] * (new_to - new_from))
        kept.extend(tags[end_old:])
        # A secret survives only if every character of its `****` is still there, together.
        whole = {
            index for index, (shown, real) in enumerate(self.segments)
            if shown != real and _run_of(kept, index) == len(shown)
        }
        segments: list[Segment] = []
        position = 0
        while position < len(new_shown):
            owner = kept[position]
            if owner is not None and owner in whole:
                shown, real = self.segments[owner]
                segments.append((shown, real))
                position += len(shown)
                whole.discard(owner)  # a secret is placed once
                continue
            segments.append((new_shown[position], new_shown[position]))
            position += 1
        return MaskedText(_joined(segments))


def _common_prefix(first: str, second: str) -> int:
    limit = min(len(first), len(second))
    index = 0
    while index < limit and first[index] == second[index]:
        index += 1
    return index


def _run_of(tags: list[int | None], index: int) -> int:
    """The length of the one contiguous run of `index` in `tags` (0 if it is split or missing)."""
    positions = [position for position, tag in enumerate(tags) if tag == index]
    if not positions or positions[-1] - positions[0] + 1 != len(positions):
        return 0
    return len(positions)


def _joined(segments: list[Segment]) -> tuple[Segment, ...]:
    """Adjacent plain pieces merged, empty ones dropped."""
    joined: list[Segment] = []
    for shown, real in segments:
        if not shown and not real:
            continue
        if shown == real and joined and joined[-1][0] == joined[-1][1]:
            text = joined[-1][0] + shown
            joined[-1] = (text, text)
        else:
            joined.append((shown, real))
    return tuple(joined)


def mask_header_lines(text: str) -> str:
    """`Authorization: Bearer sk-1` lines as `Authorization: Bearer ****` (`#`-disabled lines too)."""
    return "\n".join(_mask_line(line, ":", mask_header) for line in text.split("\n"))


def mask_param_lines(text: str) -> str:
    """`api_key=sk-1` lines as `api_key=****`."""
    return "\n".join(
        _mask_line(line, "=", lambda name, value: MASK if is_secret_param(name) else value)
        for line in text.split("\n")
    )


def mask_cookie_lines(text: str) -> str:
    """`session=abc` lines as `session=****`: a cookie is as secret as the `Cookie` header it is sent in."""
    return "\n".join(_mask_line(line, "=", lambda name, value: mask_header("Cookie", value)) for line in text.split("\n"))


_ENVIRONMENT_STRING = re.compile(r"""^(\s*["']?([A-Za-z0-9_.\-]+)["']?\s*=\s*)(["'])(.*?)(\3)""")
"""`name = "value"` (or `'value'`) at the start of an environment file's line: the key, then the string."""


def mask_environment_lines(text: str) -> str:
    """An environment file with the values that look like credentials (`looks_like_secret`: `token`,
    `api_key`, `sk-…`) as `****`: `token = "****"`. References (`{{staging_token}}`) stay readable."""
    def line_masked(line: str) -> str:
        match = _ENVIRONMENT_STRING.match(line)
        if match is None or not looks_like_secret(match.group(2), match.group(4)):
            return line
        return f"{line[:match.start(4)]}{MASK}{line[match.end(4):]}"

    return "\n".join(line_masked(line) for line in text.split("\n"))


def _mask_line(line: str, separator: str, mask_value: Callable[[str, str], str]) -> str:
    name, found, value = line.partition(separator)
    stripped = value.strip()
    if not found or not stripped:
        return line
    masked = mask_value(name.strip().lstrip("#").strip(), stripped)
    if masked == stripped:
        return line
    start = value.index(stripped)
    return f"{name}{separator}{value[:start]}{masked}{value[start + len(stripped):]}"
